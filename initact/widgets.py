"""Interactive explorers: turn the knobs of chapter 11's two experiments and watch.

* :func:`depth_explorer`: pick an activation, an initializer and its ``scale``,
  a depth and a width; see the activations of every layer and the signal
  size by layer next to the mean-field prediction of
  :func:`initact.theory.propagate_variance`.
* :func:`dying_relu_explorer`: pick a learning rate; a ``64-100-100-10`` MLP
  with He initialization trains on the digits for a few epochs and you see
  the fraction of dead units per hidden layer after every epoch, and the
  accuracy it ends with.

Each explorer is three layers, so every part can be used and tested alone:

1. a pure computation (:func:`depth_experiment`, :func:`dying_relu_experiment`)
   returning a small result object with a ``summary()``;
2. its drawing (``result.plot(fig=None)``, from :mod:`initact.plotting.explore`);
   :func:`render_depth` and :func:`render_dying_relu` do 1 and 2 in one call;
3. the widget wiring (:class:`DepthExplorer`, :class:`DyingReluExplorer`):
   ``explorer.controls`` maps names to ipywidgets controls, and setting a
   control's ``value`` (in a browser or in plain Python) redraws
   ``explorer.figure`` and shows it as a PNG in ``explorer.output``.

ipywidgets and matplotlib are imported only when an explorer or a figure is
made, so ``import initact.widgets`` needs NumPy alone.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import math
from dataclasses import dataclass

import numpy as np

from . import _checks
from .activations import ACTIVATIONS, Activation, get_activation
from .diagnostics import DeadChart
from .initializers import Initializer, Orthogonal, VarianceScaling, get_initializer
from .nn import History, evaluate, fit, mlp
from .propagation import Propagation, propagate
from .theory import moments, propagate_variance

__all__ = [
    "DEPTH_INITIALIZERS",
    "DYING_RELU_ACTIVATIONS",
    "DYING_RELU_SIZES",
    "DepthExperiment",
    "DepthExplorer",
    "DyingReluExperiment",
    "DyingReluExplorer",
    "depth_experiment",
    "depth_explorer",
    "dying_relu_experiment",
    "dying_relu_explorer",
    "initializer_scale",
    "render_depth",
    "render_dying_relu",
    "scaled_initializer",
]

#: The initializer presets the depth explorer offers (Table 11-1, the "standard" one, orthogonal).
DEPTH_INITIALIZERS = (
    "glorot_uniform",
    "glorot_normal",
    "he_uniform",
    "he_normal",
    "lecun_uniform",
    "lecun_normal",
    "standard_uniform",
    "orthogonal",
)
#: Activations the dying-ReLU explorer offers: ReLU and the variants meant to cure it.
DYING_RELU_ACTIVATIONS = ("relu", "leaky_relu", "rrelu", "prelu", "elu", "selu", "gelu", "swish")
#: Layer widths of the dying-ReLU network: 64 pixels, two hidden layers, 10 classes.
DYING_RELU_SIZES = (64, 100, 100, 10)

# Ranges of the depth explorer's controls (the scale slider moves on a log2 scale).
_SCALE_LOG2_RANGE = (-3.0, 3.0)
_DEPTH_RANGE = (1, 100)
_WIDTH_RANGE = (10, 500)
# The learning-rate slider moves on a log10 scale: 0.01 to about 3.2.
_LR_LOG10_RANGE = (-2.0, 0.5)
_FIGSIZE = (10.0, 4.0)


# --------------------------------------------------------------------------- checks


def _choice(value: object, name: str, options: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {', '.join(options)}; got {value!r}")
    return value


# --------------------------------------------------------------------------- initializers


def initializer_scale(initializer: str | Initializer) -> float:
    """The ``scale`` of ``Var[W] = scale / n`` an initializer uses; ``gain**2`` for orthogonal.

    >>> initializer_scale("he_normal"), initializer_scale("orthogonal")
    (2.0, 1.0)
    """
    init = get_initializer(initializer)
    if isinstance(init, VarianceScaling):
        return init.scale
    if isinstance(init, Orthogonal):
        # A square orthogonal matrix times g has entries of variance g**2 / n.
        return init.gain**2
    raise TypeError(f"initializer must be a VarianceScaling or Orthogonal, got {init!r}")


def scaled_initializer(preset: str, scale: float | None = None) -> Initializer:
    """The ``preset``'s mode and distribution, with the variance ``scale / n``.

    What the depth explorer's scale slider does: ``VarianceScaling(scale,
    mode, distribution)`` with the preset's mode and distribution, or an
    orthogonal matrix with ``gain = sqrt(scale)``. ``scale=None`` keeps the
    preset as it is.

    >>> scaled_initializer("he_normal", 1.0)
    VarianceScaling(scale=1.0, mode='fan_in', distribution='truncated_normal')
    >>> scaled_initializer("orthogonal", 4.0)
    Orthogonal(gain=2.0)
    """
    if not isinstance(preset, str):
        raise TypeError(f"preset must be an initializer name (str), got {type(preset).__name__}")
    init = get_initializer(preset)
    if scale is None:
        return init
    scale = _checks.real(scale, "scale", above=0)
    if isinstance(init, VarianceScaling):
        return VarianceScaling(scale, init.mode, init.distribution)
    if isinstance(init, Orthogonal):
        return Orthogonal(gain=math.sqrt(scale))
    raise TypeError(f"preset {preset!r} has no scale to set")  # pragma: no cover


# --------------------------------------------------------------------------- depth


def _activation_std(activation: Activation, q: float) -> float:
    """Standard deviation of f(z) for z ~ N(0, q), q the mean-field variance (0 and inf too)."""
    if q == 0.0:
        return 0.0  # z is exactly 0, so f(z) is the constant f(0)
    if not math.isfinite(q):
        return math.inf
    m = moments(activation, q)
    return math.sqrt(max(m.second - m.mean * m.mean, 0.0))


@dataclass(frozen=True)
class DepthExperiment:
    """A deep random network's signal, measured and predicted, layer by layer.

    ``run`` is the :class:`~initact.propagation.Propagation` (index ``l`` is
    hidden layer ``l + 1``). ``theory_q[l]`` is the mean-field pre-activation
    variance of layer ``l + 1`` and ``theory_std[l]`` the standard deviation of
    its activations, ``f(z)`` with ``z ~ N(0, theory_q[l])``.
    """

    activation_name: str
    initializer_name: str
    scale: float
    n_samples: int
    seed: int
    run: Propagation
    theory_q: np.ndarray
    theory_std: np.ndarray

    @property
    def depth(self) -> int:
        return self.run.depth

    @property
    def width(self) -> int:
        return self.run.width

    @property
    def measured_q(self) -> np.ndarray:
        """Measured pre-activation second moment per layer (the q the theory predicts)."""
        with np.errstate(invalid="ignore", over="ignore"):
            return self.run.pre_activation_variance()

    @property
    def measured_std(self) -> np.ndarray:
        """Measured standard deviation of the activations per layer."""
        with np.errstate(invalid="ignore", over="ignore"):
            return self.run.std()

    @property
    def title(self) -> str:
        return (
            f"{self.activation_name}, {self.initializer_name} with scale={self.scale:.3g}: "
            f"{self.depth} layers of {self.width} units"
        )

    def summary(self) -> str:
        """The last layer's signal, measured against theory, as one line of text.

        The theory is exact for He on ReLU: ``q = 2`` at every layer, and the
        activation std is ``sqrt(2 (1/2 - 1/(2 pi))) = 0.826``.

        >>> print(depth_experiment("relu", "he_normal", depth=5, width=50).summary())
        layer 5: pre-activation std √q ... (theory 1.41), activation std ... (theory 0.826)
        """
        return (
            f"layer {self.depth}: "
            f"pre-activation std √q {math.sqrt(self.measured_q[-1]):.3g} "
            f"(theory {math.sqrt(self.theory_q[-1]):.3g}), "
            f"activation std {self.measured_std[-1]:.3g} (theory {self.theory_std[-1]:.3g})"
        )

    def plot(self, fig=None):
        """Histograms by layer and signal size by layer against theory; see
        :func:`initact.plotting.explore.plot_signal_by_depth`. Returns the figure."""
        from .plotting.explore import plot_signal_by_depth

        return plot_signal_by_depth(
            self.run, self.theory_q, self.theory_std, fig=fig, title=self.title
        )


def depth_experiment(
    activation: str = "relu",
    initializer: str = "he_normal",
    scale: float | None = None,
    depth: int = 30,
    width: int = 100,
    *,
    n_samples: int = 200,
    seed: int = 0,
) -> DepthExperiment:
    """Send ``n_samples`` standard normal inputs through ``depth`` random layers; add theory.

    The network is :func:`initact.propagation.propagate`'s: ``depth`` dense
    layers of ``width`` units, no bias, weights from
    :func:`scaled_initializer` ``(initializer, scale)`` (``scale=None``: the
    preset's own), computed in float64 so that exploding settings stay finite.

    The theory line. Every fan is ``width``, so ``Var[W] = scale / width``.
    The first layer's pre-activation ``z1 = x @ W1`` has second moment
    ``q1 = width * Var[W] * E[x^2] = scale`` for standard normal inputs; after
    that the mean-field map ``q[l+1] = scale * E[f(z)^2]``, ``z ~ N(0, q[l])``
    takes over, i.e. ``propagate_variance(activation, scale, depth - 1, q0=scale)``.
    It predicts the *pre-activation* second moment (the mean of z is 0); the
    activations' standard deviation is then ``sqrt(E[f(z)^2] - E[f(z)]^2)``
    at that q (a ReLU's activations have std ``sqrt(q (1/2 - 1/(2 pi)))``,
    not ``sqrt(q)``).

    >>> exp = depth_experiment("relu", "glorot_uniform", depth=4, width=50)
    >>> exp.theory_q  # Glorot on ReLU halves the signal at every layer
    array([1.   , 0.5  , 0.25 , 0.125])
    """
    name = activation if isinstance(activation, str) else repr(activation)
    act = get_activation(activation)
    if not isinstance(initializer, str):
        raise TypeError(
            f"initializer must be a preset name (str), got {type(initializer).__name__}"
        )
    init = scaled_initializer(initializer, scale)
    scale = initializer_scale(init)
    depth = _checks.integer(depth, "depth")
    width = _checks.integer(width, "width")
    n_samples = _checks.integer(n_samples, "n_samples")
    seed = _checks.integer(seed, "seed", at_least=0)

    run = propagate(
        act, init, depth=depth, width=width, n_samples=n_samples, rng=seed,
        backward=False, dtype=np.float64,
    )  # fmt: skip
    # E[x^2] = 1 for standard normal inputs, so the first layer's q is the scale itself.
    theory_q = propagate_variance(run.activation, scale, depth - 1, q0=scale * 1.0)
    theory_std = np.array([_activation_std(run.activation, float(q)) for q in theory_q])
    return DepthExperiment(name, initializer, scale, n_samples, seed, run, theory_q, theory_std)


def render_depth(
    activation: str = "relu",
    initializer: str = "he_normal",
    scale: float | None = None,
    depth: int = 30,
    width: int = 100,
    seed: int = 0,
    *,
    n_samples: int = 200,
    fig=None,
):
    """:func:`depth_experiment` and its figure in one call; returns the figure.

    ``fig``: a matplotlib figure to clear and draw into; None opens a new
    pyplot figure (end the notebook cell with ``plt.show()``).

    >>> fig = render_depth("tanh", "glorot_uniform", depth=10, width=50)
    >>> fig.get_suptitle()
    'tanh, glorot_uniform with scale=1: 10 layers of 50 units'
    """
    experiment = depth_experiment(
        activation, initializer, scale, depth, width, n_samples=n_samples, seed=seed
    )
    return experiment.plot(fig)


# --------------------------------------------------------------------------- dying ReLU


@functools.lru_cache(maxsize=1)
def _digits():
    from .data import load_digits

    return load_digits(seed=0)


@dataclass(frozen=True)
class DyingReluExperiment:
    """What one training run of the dying-ReLU experiment saw.

    ``epochs`` (0 = at initialization) and ``dead_fractions`` (one row per
    epoch, one column per hidden layer) come from a
    :class:`~initact.diagnostics.DeadChart` on the training images;
    ``history`` is :func:`~initact.nn.fit`'s; ``test_accuracy`` is NaN when
    training diverged.
    """

    activation_name: str
    lr: float
    seed: int
    n_epochs: int
    epochs: np.ndarray
    dead_fractions: np.ndarray
    history: History
    test_accuracy: float

    @property
    def diverged(self) -> bool:
        return self.history.diverged

    @property
    def title(self) -> str:
        if self.diverged:
            outcome = f"diverged in epoch {int(self.epochs[-1]) + 1}"
        else:
            outcome = f"test accuracy {self.test_accuracy:.3f}"
        return f"{self.activation_name}, he_normal, SGD with lr={self.lr:.3g}: {outcome}"

    def summary(self) -> str:
        """Dead fraction per layer after the last epoch, and the test accuracy, as text.

        >>> print(dying_relu_experiment(0.1, epochs=1).summary())
        lr=0.1, epoch 1: dead units layer 1 0.000, layer 2 0.000; test accuracy ...
        >>> print(dying_relu_experiment(50.0, epochs=1).summary())
        lr=50: diverged in epoch 1; dead units at epoch 0: layer 1 0.000, layer 2 0.000
        """
        last = int(self.epochs[-1])
        dead = ", ".join(
            f"layer {i + 1} {fraction:.3f}" for i, fraction in enumerate(self.dead_fractions[-1])
        )
        lr = f"lr={self.lr:.3g}"
        if self.diverged:
            return f"{lr}: diverged in epoch {last + 1}; dead units at epoch {last}: {dead}"
        return f"{lr}, epoch {last}: dead units {dead}; test accuracy {self.test_accuracy:.3f}"

    def plot(self, fig=None):
        """Dead units per layer and accuracy per epoch; see
        :func:`initact.plotting.explore.plot_dead_training`. Returns the figure."""
        from .plotting.explore import plot_dead_training

        return plot_dead_training(
            self.epochs,
            self.dead_fractions,
            self.history.accuracy,
            self.history.val_accuracy,
            n_epochs=self.n_epochs,
            fig=fig,
            title=self.title,
        )


def dying_relu_experiment(
    lr: float,
    activation: str = "relu",
    *,
    epochs: int = 5,
    batch_size: int = 32,
    seed: int = 0,
) -> DyingReluExperiment:
    """Train ``mlp([64, 100, 100, 10], activation, "he_normal")`` on the digits; count dead units.

    Plain SGD (no momentum) with learning rate ``lr``, in float64, ``epochs`` passes of
    ``batch_size`` over the 1168 training images of
    :func:`initact.data.load_digits` (split seed 0). ``seed`` seeds the
    weights and the shuffling. A unit is dead when it outputs 0 for every
    training image (:func:`initact.diagnostics.dead_fraction`). Float64 keeps a
    stable run (``lr`` up to about 0.6) the same to many digits on every CPU; above
    about 1 a run is chaotic, and only statements over several seeds carry over
    from one computer to another (chapter 4 of the book shows why). Training is
    silent (no progress bar): it runs inside widget callbacks, where a bar
    has nowhere to go.

    >>> exp = dying_relu_experiment(0.1, epochs=2)
    >>> exp.epochs.tolist(), exp.dead_fractions.shape  # epoch 0 is the initialization
    ([0, 1, 2], (3, 2))
    """
    lr = _checks.real(lr, "lr", above=0)
    activation = _choice(activation, "activation", DYING_RELU_ACTIVATIONS)
    epochs = _checks.integer(epochs, "epochs")
    batch_size = _checks.integer(batch_size, "batch_size")
    seed = _checks.integer(seed, "seed", at_least=0)
    data = _digits()
    model = mlp(list(DYING_RELU_SIZES), activation, "he_normal", rng=seed, dtype=np.float64)
    chart = DeadChart(data.X_train)
    # A rate that blows training up overflows on the way (the validation pass and
    # the dead chart run outside fit's own guard): that is the experiment's
    # outcome, reported as ``diverged``, not a warning.
    with np.errstate(over="ignore", invalid="ignore"):
        history = fit(
            model, data.X_train, data.y_train, epochs=epochs, batch_size=batch_size, lr=lr,
            rng=seed, X_val=data.X_val, y_val=data.y_val, callbacks=[chart], progress=False,
        )  # fmt: skip
        accuracy = math.nan if history.diverged else evaluate(model, data.X_test, data.y_test)[1]
    return DyingReluExperiment(
        activation, lr, seed, epochs, chart.epochs, chart.fractions, history, float(accuracy)
    )


def render_dying_relu(
    lr: float,
    activation: str = "relu",
    *,
    epochs: int = 5,
    seed: int = 0,
    fig=None,
):
    """:func:`dying_relu_experiment` and its figure in one call; returns the figure.

    >>> fig = render_dying_relu(0.1, epochs=1)
    >>> fig.get_suptitle()
    'relu, he_normal, SGD with lr=0.1: test accuracy ...'
    """
    return dying_relu_experiment(lr, activation, epochs=epochs, seed=seed).plot(fig)


# --------------------------------------------------------------------------- widgets


def _ipywidgets():
    try:
        import ipywidgets
    except ImportError as err:  # pragma: no cover - exercised only without ipywidgets
        raise ImportError(
            "the explorers need ipywidgets: pip install 'initact[book]' (or pip install ipywidgets)"
        ) from err
    return ipywidgets


def _new_figure():
    """A figure that pyplot does not track, so a notebook never shows it by itself.

    Fixed margins instead of a layout engine: the constrained layout would measure
    every label again at each redraw, a third of the time a slider move costs.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=_FIGSIZE)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.12, top=0.86, wspace=0.25)
    return fig


class _Explorer:
    """Shared wiring: controls -> ``update()`` -> figure -> PNG in an Output widget."""

    controls: dict
    figure: object
    output: object
    status: object
    widget: object

    def _build(self, rows: list[list[str]]) -> None:
        widgets = _ipywidgets()
        self.figure = _new_figure()
        self.output = widgets.Output()
        self.status = widgets.HTML()
        boxes = [widgets.HBox([self.controls[name] for name in row]) for row in rows]
        self.widget = widgets.VBox([*boxes, self.output, self.status])
        self._holding = False
        self.error: str | None = None
        for control in self.controls.values():
            control.observe(self._on_change, names="value")

    @property
    def params(self) -> dict:
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def update(self) -> None:
        """Recompute and redraw for the controls' current values."""
        raise NotImplementedError

    def _on_change(self, change) -> None:
        if self._holding:
            return
        try:
            self._changed(change)
            self.update()
        except Exception as err:  # a widget callback's errors are otherwise invisible
            self.error = f"{type(err).__name__}: {err}"
            self.status.value = f'<span style="color:#b00">{html.escape(self.error)}</span>'

    def _changed(self, change) -> None:
        """Hook for a control that moves others before the redraw."""

    def _show(self, text: str, png: str | None = None) -> str:
        """Put the figure, as a PNG, in the Output widget, and ``text`` in the status line.

        ``png`` is the figure already rendered (base64), to skip the rendering;
        the base64 PNG shown is returned.
        """
        if png is None:
            buffer = io.BytesIO()
            self.figure.savefig(buffer, format="png")
            png = base64.b64encode(buffer.getvalue()).decode("ascii")
        title = self.figure.get_suptitle()
        self.output.outputs = (
            {
                "output_type": "display_data",
                "data": {"image/png": png, "text/plain": f"<Figure: {title}>"},
                "metadata": {},
            },
        )
        self.error = None
        self.status.value = html.escape(text)
        return png

    def _repr_mimebundle_(self, **kwargs):
        # The widget view for Jupyter, and a short, deterministic text repr (nbval compares it).
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        return bundle


class DepthExplorer(_Explorer):
    """Widgets for :func:`depth_experiment`; ``controls`` are named like its arguments.

    ``controls``: ``"activation"`` (every initact activation), ``"initializer"``
    (:data:`DEPTH_INITIALIZERS`; choosing one sets the scale to its own),
    ``"scale"`` (log2 slider, 1/8 to 8), ``"depth"`` (1 to 100), ``"width"``
    (10 to 500) and ``"seed"``. Any change redraws ``figure`` and shows it in
    ``output``; ``experiment`` is the latest :class:`DepthExperiment`. Display
    the explorer (or its ``widget``) in a notebook to use it.

    >>> explorer = DepthExplorer(depth=10, width=50)
    >>> explorer.controls["depth"].value = 20
    >>> explorer.experiment.depth, len(explorer.experiment.theory_q)
    (20, 20)
    >>> explorer.controls["initializer"].value = "glorot_uniform"
    >>> explorer.controls["scale"].value  # the preset's scale
    1.0
    >>> explorer
    DepthExplorer(activation='relu', initializer='glorot_uniform', scale=1, depth=20, ...)
    """

    def __init__(
        self,
        activation: str = "relu",
        initializer: str = "he_normal",
        scale: float | None = None,
        depth: int = 30,
        width: int = 100,
        seed: int = 0,
        *,
        n_samples: int = 200,
    ) -> None:
        activation = _choice(activation, "activation", ACTIVATIONS)
        initializer = _choice(initializer, "initializer", DEPTH_INITIALIZERS)
        scale = initializer_scale(initializer) if scale is None else _checks.real(scale, "scale")
        low, high = _SCALE_LOG2_RANGE
        if not 2.0**low <= scale <= 2.0**high:
            raise ValueError(f"scale must lie in [{2.0**low:g}, {2.0**high:g}], got {scale!r}")
        depth = _checks.integer(depth, "depth", at_least=_DEPTH_RANGE[0], at_most=_DEPTH_RANGE[1])
        width = _checks.integer(width, "width", at_least=_WIDTH_RANGE[0], at_most=_WIDTH_RANGE[1])
        seed = _checks.integer(seed, "seed", at_least=0, at_most=2**31 - 1)
        self.n_samples = _checks.integer(n_samples, "n_samples")

        w = _ipywidgets()
        slider = {"continuous_update": False, "style": {"description_width": "initial"}}
        self.controls = {
            "activation": w.Dropdown(
                options=ACTIVATIONS, value=activation, description="activation"
            ),
            "initializer": w.Dropdown(
                options=DEPTH_INITIALIZERS, value=initializer, description="initializer"
            ),
            "seed": w.BoundedIntText(value=seed, min=0, max=2**31 - 1, description="seed"),
            "scale": w.FloatLogSlider(
                value=scale, base=2, min=low, max=high, step=0.05, readout_format=".3g",
                description="scale", **slider,
            ),
            "depth": w.IntSlider(
                value=depth, min=_DEPTH_RANGE[0], max=_DEPTH_RANGE[1], description="depth", **slider
            ),
            "width": w.IntSlider(
                value=width, min=_WIDTH_RANGE[0], max=_WIDTH_RANGE[1], step=10,
                description="width", **slider,
            ),
        }  # fmt: skip
        self._build([["activation", "initializer", "seed"], ["scale", "depth", "width"]])
        self.experiment: DepthExperiment | None = None
        self.update()

    def _changed(self, change) -> None:
        if change.owner is self.controls["initializer"]:
            # A preset comes with its own scale; the slider then varies it from there.
            self._holding = True
            try:
                self.controls["scale"].value = initializer_scale(change.new)
            finally:
                self._holding = False

    def update(self) -> None:
        p = self.params
        self.experiment = depth_experiment(
            p["activation"], p["initializer"], p["scale"], p["depth"], p["width"],
            n_samples=self.n_samples, seed=p["seed"],
        )  # fmt: skip
        self.experiment.plot(self.figure)
        self._show(self.experiment.summary())

    def __repr__(self) -> str:
        p = self.params
        return (
            f"DepthExplorer(activation={p['activation']!r}, initializer={p['initializer']!r}, "
            f"scale={p['scale']:.3g}, depth={p['depth']}, width={p['width']}, seed={p['seed']})"
        )


class DyingReluExplorer(_Explorer):
    """Widgets for :func:`dying_relu_experiment`: a log-scale ``"lr"`` slider and an activation.

    Every result is kept in ``cache`` (keyed by activation and learning
    rate), with its rendered picture, so moving back to a setting already
    seen shows it at once, without training or rendering again.
    ``experiment`` is the result on show.

    >>> explorer = DyingReluExplorer(lr=0.1, epochs=1)
    >>> explorer.controls["lr"].value = 2.0
    >>> explorer.controls["lr"].value = 0.1
    >>> sorted(lr for _, lr in explorer.cache)
    [0.1, 2.0]
    """

    def __init__(
        self, lr: float = 0.1, activation: str = "relu", *, epochs: int = 5, seed: int = 0
    ) -> None:
        lr = _checks.real(lr, "lr", above=0)
        low, high = _LR_LOG10_RANGE
        if not 10.0**low <= lr <= 10.0**high:
            raise ValueError(f"lr must lie in [{10.0**low:g}, {10.0**high:.3g}], got {lr!r}")
        activation = _choice(activation, "activation", DYING_RELU_ACTIVATIONS)
        self.epochs = _checks.integer(epochs, "epochs")
        self.seed = _checks.integer(seed, "seed", at_least=0)
        w = _ipywidgets()
        self.controls = {
            "lr": w.FloatLogSlider(
                value=lr, base=10, min=low, max=high, step=0.1, readout_format=".3g",
                description="lr", continuous_update=False,
            ),
            "activation": w.Dropdown(
                options=DYING_RELU_ACTIVATIONS, value=activation, description="activation"
            ),
        }  # fmt: skip
        self.cache: dict[tuple[str, float], DyingReluExperiment] = {}
        self._pictures: dict[tuple[str, float], str] = {}
        self._build([["lr", "activation"]])
        self.experiment: DyingReluExperiment | None = None
        self.update()

    @staticmethod
    def _key(activation: str, lr: float) -> tuple[str, float]:
        # The slider's values are powers of 10 computed in the browser: 12 significant
        # digits tell every slider position apart and ignore the last bits of rounding.
        return activation, float(f"{lr:.12g}")

    def update(self) -> None:
        p = self.params
        key = self._key(p["activation"], p["lr"])
        if key not in self.cache:
            self.status.value = html.escape(f"training with lr={p['lr']:.3g} ...")
            self.cache[key] = dying_relu_experiment(
                key[1], key[0], epochs=self.epochs, seed=self.seed
            )
        self.experiment = self.cache[key]
        self.experiment.plot(self.figure)  # cheap; keeps ``figure`` in step with the picture
        self._pictures[key] = self._show(self.experiment.summary(), self._pictures.get(key))

    def __repr__(self) -> str:
        p = self.params
        return (
            f"DyingReluExplorer(lr={p['lr']:.3g}, activation={p['activation']!r}, "
            f"epochs={self.epochs}, seed={self.seed})"
        )


def depth_explorer(
    activation: str = "relu",
    initializer: str = "he_normal",
    scale: float | None = None,
    depth: int = 30,
    width: int = 100,
    seed: int = 0,
    *,
    n_samples: int = 200,
) -> DepthExplorer:
    """A :class:`DepthExplorer`, drawn once; display it in a notebook cell to play.

    >>> explorer = depth_explorer("tanh", "lecun_normal", depth=5, width=20)
    >>> sorted(explorer.controls)
    ['activation', 'depth', 'initializer', 'scale', 'seed', 'width']
    """
    return DepthExplorer(activation, initializer, scale, depth, width, seed, n_samples=n_samples)


def dying_relu_explorer(
    lr: float = 0.1, activation: str = "relu", *, epochs: int = 5, seed: int = 0
) -> DyingReluExplorer:
    """A :class:`DyingReluExplorer`, drawn once; display it in a notebook cell to play.

    >>> explorer = dying_relu_explorer(lr=0.1, epochs=1)
    >>> explorer.controls["lr"].description
    'lr'
    """
    return DyingReluExplorer(lr, activation, epochs=epochs, seed=seed)
