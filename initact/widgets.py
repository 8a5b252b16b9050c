"""Interactive explorers: chapter 11's two experiments, on sliders.

* :func:`depth_explorer`: pick an activation, an initializer and its ``scale``,
  a depth and a width; see the activations of every layer and the signal
  size by layer next to the mean-field prediction (the computation is
  :func:`initact.experiments.depth_experiment`).
* :func:`dying_relu_explorer`: pick a learning rate and an activation; a
  ``64-100-100-10`` MLP trains on the digits for a few epochs and you see the
  fraction of dead units per hidden layer after every epoch, and the accuracy
  it ends with (:func:`initact.experiments.dying_relu_experiment`).
* :func:`training_explorer`: pick an activation, an initializer and its scale,
  press "train", and watch a deep MLP learn the digits epoch by epoch: its loss,
  and the dead and saturated fractions of every layer
  (:func:`initact.experiments.training_experiment`), with a progress bar.

These need a running kernel. For a page with no kernel (the HTML book),
:func:`static_explorer` precomputes a grid of pictures and switches between
them in the browser alone: the controls are linked to the pictures by
``jslink``, so the saved widget state works in any page that renders it.

This module is the wiring only: controls, a figure and the picture on show.
Each function returns an explorer (:class:`DepthExplorer`,
:class:`DyingReluExplorer`): ``explorer.controls`` maps names to ipywidgets
controls, and setting a control's ``value`` (in a browser or in plain Python)
reruns the experiment, redraws ``explorer.figure`` and shows it as a PNG in
``explorer.output``; ``explorer.experiment`` is the result on show. For a
result without widgets, call the experiment itself and its ``.plot()``.

ipywidgets and matplotlib are imported only when an explorer is made, so
``import initact.widgets`` needs NumPy alone.
"""

from __future__ import annotations

import base64
import contextlib
import html
import io

from . import _checks, experiments
from .activations import ACTIVATIONS
from .experiments import (
    DEPTH_INITIALIZERS,
    DYING_RELU_ACTIVATIONS,
    TRAINING_ACTIVATIONS,
    DepthExperiment,
    DyingReluExperiment,
    TrainingExperiment,
    _choice,
    initializer_scale,
)

# One entry point per explorer, a function, as each experiment has one. The classes are what
# they return (documented, not meant to be built directly), so the kind of explorer a function
# returns can change later, a static one say, without a second name for readers to learn.
__all__ = ["depth_explorer", "dying_relu_explorer", "static_explorer", "training_explorer"]

# Ranges of the depth explorer's controls (the scale slider moves on a log2 scale).
_SCALE_LOG2_RANGE = (-3.0, 3.0)
_DEPTH_RANGE = (1, 100)
_WIDTH_RANGE = (10, 500)
# The learning-rate slider moves on a log10 scale: 0.01 to about 3.2.
_LR_LOG10_RANGE = (-2.0, 0.5)
_FIGSIZE = (13.0, 4.2)
# 72 dpi: a 936 x 302 picture, sharp in a notebook's width, quick to render and to send.
_DPI = 72


def _slider_scale(initializer: str, scale: object) -> float:
    """``scale`` (None: the preset's own), checked against the scale slider's range."""
    scale = initializer_scale(initializer) if scale is None else _checks.real(scale, "scale")
    low, high = _SCALE_LOG2_RANGE
    if not 2.0**low <= scale <= 2.0**high:
        raise ValueError(f"scale must lie in [{2.0**low:g}, {2.0**high:g}], got {scale!r}")
    return scale


# --------------------------------------------------------------------------- the entry points


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
    """Sliders on :func:`~initact.experiments.depth_experiment`, drawn once; display it to play.

    The arguments are the controls' first values, named like the experiment's:
    ``"activation"`` (every initact activation), ``"initializer"``
    (:data:`~initact.experiments.DEPTH_INITIALIZERS`; choosing one sets the
    scale to its own), ``"scale"`` (log2 slider, 1/8 to 8; None: the preset's
    own), ``"depth"`` (1 to 100), ``"width"`` (10 to 500) and ``"seed"``; a
    value no control can hold is refused. ``n_samples`` is fixed. Returns a
    :class:`DepthExplorer`.

    >>> explorer = depth_explorer(depth=10, width=50)
    >>> sorted(explorer.controls)
    ['activation', 'depth', 'initializer', 'scale', 'seed', 'width']
    >>> explorer.controls["depth"].value = 20
    >>> explorer.experiment.depth, len(explorer.experiment.theory_q)
    (20, 20)
    >>> explorer.controls["initializer"].value = "glorot_uniform"
    >>> explorer.controls["scale"].value  # the preset's scale
    1.0
    >>> explorer
    DepthExplorer(activation='relu', initializer='glorot_uniform', scale=1, depth=20, ...)
    """
    return DepthExplorer(activation, initializer, scale, depth, width, seed, n_samples=n_samples)


def dying_relu_explorer(
    lr: float = 0.1, activation: str = "relu", *, epochs: int = 5, seed: int = 0
) -> DyingReluExplorer:
    """Sliders on :func:`~initact.experiments.dying_relu_experiment`, drawn once; display it.

    Controls: ``"lr"`` (log10 slider, 0.01 to 3.16 in steps of 10**0.1) and
    ``"activation"`` (:data:`~initact.experiments.DYING_RELU_ACTIVATIONS`);
    ``epochs`` and ``seed`` are fixed. Every result is kept, with its picture,
    so going back to a setting already seen shows it at once, without training
    again. Returns a :class:`DyingReluExplorer`.

    >>> explorer = dying_relu_explorer(lr=0.1, epochs=1)
    >>> explorer.controls["lr"].value = 2.0
    >>> explorer.controls["lr"].value = 0.1
    >>> sorted(lr for _, lr in explorer.cache)
    [0.1, 2.0]
    """
    return DyingReluExplorer(lr, activation, epochs=epochs, seed=seed)


def training_explorer(
    activation: str = "tanh",
    initializer: str = "glorot_uniform",
    scale: float | None = None,
    *,
    depth: int = 6,
    width: int = 64,
    epochs: int = 5,
    lr: float = 0.1,
    seed: int = 0,
) -> TrainingExplorer:
    """Controls on :func:`~initact.experiments.training_experiment`, and a "train" button.

    Controls: ``"activation"`` (:data:`~initact.experiments.TRAINING_ACTIVATIONS`),
    ``"initializer"`` (:data:`~initact.experiments.DEPTH_INITIALIZERS`; choosing
    one sets the scale to its own), ``"scale"`` (log2 slider, 1/8 to 8), ``"lr"``
    (log10 slider, 0.01 to 3.16) and ``"epochs"`` (1 to 20); ``depth``, ``width``
    and ``seed`` are fixed. Pressing the button (``explorer.train()`` in code)
    trains afresh: a progress bar counts the epochs and the figure is redrawn
    after each one. The first values are trained once, when the explorer is made.
    Returns a :class:`TrainingExplorer`.

    >>> explorer = training_explorer("relu", "he_normal", depth=3, width=16, epochs=2)
    >>> explorer.progress.value, explorer.progress.max, explorer.experiment.epochs.tolist()
    (2, 2, [0, 1, 2])
    >>> explorer.controls["epochs"].value = 3
    >>> explorer.train()
    >>> explorer.experiment.epochs.tolist()
    [0, 1, 2, 3]
    """
    return TrainingExplorer(
        activation, initializer, scale, depth=depth, width=width, epochs=epochs, lr=lr, seed=seed
    )


def static_explorer(kind: str, *, small: bool = False) -> StaticExplorer:
    """An explorer that needs no kernel: a precomputed grid of pictures, switched in the browser.

    ``kind`` is ``"depth"``, ``"dying_relu"`` or ``"training"``. Each picture is
    the experiment's own ``.plot()`` for one point of a small grid (below); the
    controls are a dropdown per menu and a slider with a Play button for the last
    axis, linked to nested ``Stack`` widgets by ``jslink``, so choosing a value
    shows its picture in any page that renders the saved widget state, with no
    kernel. ``small=True`` keeps two values per axis (quick; for tests).

    * ``"depth"``: activation (relu, tanh, sigmoid, selu) x initializer
      (standard_uniform, glorot_uniform, he_normal, lecun_normal) x depth
      (1, 2, 5, 10, 20, 30), 100 units, seed 0: 96 pictures.
    * ``"dying_relu"``: activation (relu, leaky_relu) x learning rate (0.1 to
      2.5, in steps of 10**0.2), seed 0: 16 pictures.
    * ``"training"``: activation (relu, tanh, sigmoid) x initializer
      (standard_uniform, glorot_uniform, he_normal) x epoch (0 to 5), 6 layers of 64
      units, lr 0.1, seed 0: 54 pictures from 9 trainings.

    >>> explorer = static_explorer("depth", small=True)
    >>> explorer.n_frames, [c.description for c in explorer.controls.values()]
    (8, ['activation', 'initializer', 'depth'])
    >>> explorer.show(activation="tanh", depth=2) is explorer.visible_image()
    True
    """
    kinds = {"depth": _depth_grid, "dying_relu": _dying_relu_grid, "training": _training_grid}
    kind = _choice(kind, "kind", tuple(kinds))
    if not isinstance(small, bool):
        raise TypeError(f"small must be True or False, got {small!r}")
    axes, render = kinds[kind](small)
    return StaticExplorer(kind, axes, render)


# --------------------------------------------------------------------------- what they return


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

    fig = Figure(figsize=_FIGSIZE, dpi=_DPI)
    fig.subplots_adjust(left=0.06, right=0.985, bottom=0.13, top=0.86, wspace=0.28)
    return fig


@contextlib.contextmanager
def _one_blas_thread():
    """One BLAS thread while an explorer computes.

    Its matrices are small (100 x 100): a second OpenBLAS thread saves nothing
    there, and on a busy machine its spinning makes a product hundreds of times
    slower (20 ms instead of 0.08 ms measured on 2 loaded cores).
    threadpoolctl comes with scikit-learn; without it, nothing changes.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - scikit-learn (book extra) brings it
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=_DPI)
    return buffer.getvalue()


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
            with _one_blas_thread():
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
            png = base64.b64encode(_png(self.figure)).decode("ascii")
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
    """What :func:`depth_explorer` returns.

    ``controls`` (by name), ``figure`` (redrawn on every change), ``output``
    (the figure as a PNG), ``status`` (the summary line or an error),
    ``widget`` (the box to display; the explorer displays as it) and
    ``experiment``, the :class:`~initact.experiments.DepthExperiment` on show.
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
        scale = _slider_scale(initializer, scale)
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
                value=scale, base=2, min=_SCALE_LOG2_RANGE[0], max=_SCALE_LOG2_RANGE[1],
                step=0.05, readout_format=".3g", description="scale", **slider,
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
        with _one_blas_thread():
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
        self.experiment = experiments.depth_experiment(
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
    """What :func:`dying_relu_explorer` returns.

    The attributes of :class:`DepthExplorer`, and ``cache``: every
    :class:`~initact.experiments.DyingReluExperiment` computed so far, keyed by
    activation and learning rate.
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
        with _one_blas_thread():
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
            self.cache[key] = experiments.dying_relu_experiment(
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


class TrainingExplorer(_Explorer):
    """What :func:`training_explorer` returns.

    The attributes of :class:`DepthExplorer`, and ``button`` (trains),
    ``progress`` (an IntProgress counting epochs) and ``experiment``, the
    :class:`~initact.experiments.TrainingExperiment` on show (partial while
    training runs).
    """

    def __init__(
        self,
        activation: str = "tanh",
        initializer: str = "glorot_uniform",
        scale: float | None = None,
        *,
        depth: int = 6,
        width: int = 64,
        epochs: int = 5,
        lr: float = 0.1,
        seed: int = 0,
    ) -> None:
        activation = _choice(activation, "activation", TRAINING_ACTIVATIONS)
        initializer = _choice(initializer, "initializer", DEPTH_INITIALIZERS)
        scale = _slider_scale(initializer, scale)
        lr = _checks.real(lr, "lr", above=0)
        lr_low, lr_high = _LR_LOG10_RANGE
        if not 10.0**lr_low <= lr <= 10.0**lr_high:
            raise ValueError(f"lr must lie in [{10.0**lr_low:g}, {10.0**lr_high:.3g}], got {lr!r}")
        epochs = _checks.integer(epochs, "epochs", at_most=20)
        self.depth = _checks.integer(depth, "depth", at_most=100)
        self.width = _checks.integer(width, "width", at_most=1000)
        self.seed = _checks.integer(seed, "seed", at_least=0)
        w = _ipywidgets()
        slider = {"continuous_update": False, "style": {"description_width": "initial"}}
        self.controls = {
            "activation": w.Dropdown(
                options=TRAINING_ACTIVATIONS, value=activation, description="activation"
            ),
            "initializer": w.Dropdown(
                options=DEPTH_INITIALIZERS, value=initializer, description="initializer"
            ),
            "scale": w.FloatLogSlider(
                value=scale, base=2, min=_SCALE_LOG2_RANGE[0], max=_SCALE_LOG2_RANGE[1],
                step=0.05, readout_format=".3g", description="scale", **slider,
            ),
            "lr": w.FloatLogSlider(
                value=lr, base=10, min=lr_low, max=lr_high, step=0.1, readout_format=".3g",
                description="lr", **slider,
            ),
            "epochs": w.IntSlider(value=epochs, min=1, max=20, description="epochs", **slider),
        }  # fmt: skip
        self.button = w.Button(description="train", button_style="primary", icon="play")
        self.progress = w.IntProgress(value=0, min=0, max=epochs, description="epoch 0")
        self._build([["activation", "initializer"], ["scale", "lr", "epochs"]])
        # Training takes seconds: it starts on the button, not on every control's move.
        for control in self.controls.values():
            control.unobserve(self._on_change, names="value")
        self.controls["initializer"].observe(self._on_initializer, names="value")
        self.button.on_click(lambda _: self.train())
        self.widget.children = (
            *self.widget.children[:2], w.HBox([self.button, self.progress]),
            *self.widget.children[2:],
        )  # fmt: skip
        self.experiment: TrainingExperiment | None = None
        self.train()

    def _on_initializer(self, change) -> None:
        self.controls["scale"].value = initializer_scale(change.new)

    def _epoch_done(self, partial: TrainingExperiment) -> None:
        epoch = int(partial.epochs[-1])
        self.progress.value = epoch
        self.progress.description = f"epoch {epoch}"
        self.experiment = partial
        partial.plot(self.figure)
        self._show(f"training... {partial.summary()}")

    def train(self) -> None:
        """Train afresh with the controls' values, redrawing after every epoch."""
        p = self.params
        self.progress.max = p["epochs"]
        self.progress.value = 0
        self.button.disabled = True
        try:
            with _one_blas_thread():
                self.experiment = experiments.training_experiment(
                    p["activation"], p["initializer"], p["scale"], depth=self.depth,
                    width=self.width, epochs=p["epochs"], lr=p["lr"], seed=self.seed,
                    on_epoch=self._epoch_done,
                )  # fmt: skip
                self.experiment.plot(self.figure)
                self._show(self.experiment.summary())
        except Exception as err:  # a button callback's errors are otherwise invisible
            self.error = f"{type(err).__name__}: {err}"
            self.status.value = f'<span style="color:#b00">{html.escape(self.error)}</span>'
        finally:
            self.button.disabled = False

    def __repr__(self) -> str:
        p = self.params
        return (
            f"TrainingExplorer(activation={p['activation']!r}, initializer={p['initializer']!r}, "
            f"scale={p['scale']:.3g}, lr={p['lr']:.3g}, epochs={p['epochs']}, "
            f"depth={self.depth}, width={self.width}, seed={self.seed})"
        )


# --------------------------------------------------------------------------- static explorers

# Each grid: a list of (name, values, labels) axes, the last one on a slider with Play, and
# render(*values) -> PNG bytes. Pictures are 8-bit palette PNGs: a third of the size.


def _palette_png(fig) -> bytes:
    from PIL import Image  # matplotlib depends on Pillow

    image = Image.open(io.BytesIO(_png(fig))).convert("RGB")
    buffer = io.BytesIO()
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(
        buffer, format="png", optimize=True
    )
    return buffer.getvalue()


def _depth_grid(small: bool):
    activations = ("relu", "tanh") if small else ("relu", "tanh", "sigmoid", "selu")
    initializers = ("glorot_uniform", "he_normal") if small else (
        "standard_uniform", "glorot_uniform", "he_normal", "lecun_normal"
    )  # fmt: skip
    depths = (1, 2) if small else (1, 2, 5, 10, 20, 30)
    fig = _new_figure()

    def render(activation, initializer, depth):
        experiments.depth_experiment(activation, initializer, depth=depth, width=100).plot(fig)
        return _palette_png(fig)

    axes = [("activation", activations), ("initializer", initializers), ("depth", depths)]
    return axes, render


def _dying_relu_grid(small: bool):
    activations = ("relu", "leaky_relu")
    steps = (-1.0, -0.8) if small else (-1.0, -0.8, -0.6, -0.4, -0.2, 0.0, 0.2, 0.4)
    rates = tuple(float(f"{10**k:.3g}") for k in steps)
    fig = _new_figure()
    runs = {}

    def render(activation, lr):
        if (activation, lr) not in runs:
            runs[activation, lr] = experiments.dying_relu_experiment(lr, activation, seed=0)
        runs[activation, lr].plot(fig)
        return _palette_png(fig)

    return [("activation", activations), ("lr", rates)], render


def _training_grid(small: bool):
    activations = ("relu", "tanh") if small else ("relu", "tanh", "sigmoid")
    initializers = ("glorot_uniform", "he_normal") if small else (
        "standard_uniform", "glorot_uniform", "he_normal"
    )  # fmt: skip
    epochs = 1 if small else 5
    fig = _new_figure()
    runs = {}

    def render(activation, initializer, epoch):
        key = activation, initializer
        if key not in runs:
            runs[key] = experiments.training_experiment(
                activation, initializer, depth=6, width=64, epochs=epochs, lr=0.1, seed=0
            )
        runs[key].plot(fig, upto=epoch)
        return _palette_png(fig)

    axes = [("activation", activations), ("initializer", initializers)]
    return [*axes, ("epoch", tuple(range(epochs + 1)))], render


class StaticExplorer:
    """What :func:`static_explorer` returns: pictures in nested Stacks, linked to controls.

    ``controls`` maps each axis's name to its control (Dropdowns, then a
    SelectionSlider), ``play`` animates the slider, ``widget`` is the box to
    display, ``n_frames`` the number of pictures, and ``embed_state()`` the
    saved widget state a static page needs. ``show(**values)`` moves the
    controls from Python (the links then act only in a browser, so it also
    sets the stacks), and ``visible_image()`` is the Image on show.
    """

    def __init__(self, kind, axes, render) -> None:
        w = _ipywidgets()
        self.kind = kind
        self.axes = axes
        names = [name for name, _ in axes]
        *menus, (last, last_values) = axes
        self.controls = {
            name: w.Dropdown(options=[str(v) for v in values], index=0, description=name)
            for name, values in menus
        }
        self.controls[last] = w.SelectionSlider(
            options=[str(v) for v in last_values], index=0, description=last,
            continuous_update=True,
        )  # fmt: skip
        self.play = w.Play(value=0, min=0, max=len(last_values) - 1, interval=700)
        self.links = [w.jslink((self.play, "value"), (self.controls[last], "index"))]
        self.images = {}
        self.stacks: dict[tuple, object] = {}
        with _one_blas_thread():
            self.root = self._stack((), [values for _, values in axes], render, names)
        self.n_frames = len(self.images)
        self.widget = w.VBox(
            [w.HBox(list(self.controls.values())[:-1]),
             w.HBox([self.play, self.controls[last]]), self.root]
        )  # fmt: skip

    def _stack(self, prefix, remaining, render, names):
        w = _ipywidgets()
        values, *rest = remaining
        if not rest:
            children = []
            for value in values:
                image = w.Image(value=render(*prefix, value), format="png")
                image.layout.max_width = "100%"
                self.images[(*prefix, value)] = image
                children.append(image)
        else:
            children = [self._stack((*prefix, v), rest, render, names) for v in values]
        stack = w.Stack(children=children, selected_index=0)
        control = self.controls[names[len(prefix)]]
        self.links.append(w.jslink((control, "index"), (stack, "selected_index")))
        self.stacks[prefix] = stack
        return stack

    def show(self, **values) -> object:
        """Set controls by value (``depth=5``) and the stacks as the browser would; the Image."""
        for name, value in values.items():
            if name not in self.controls:
                raise ValueError(f"show() takes {', '.join(self.controls)}; got {name!r}")
            self.controls[name].value = str(value)
        index = [self.controls[name].index for name, _ in self.axes]
        for prefix, stack in self.stacks.items():
            stack.selected_index = index[len(prefix)]
        return self.visible_image()

    def visible_image(self) -> object:
        """The Image the selected indices point at."""
        node = self.root
        while isinstance(node, type(self.root)):  # a Stack: go down its selected child
            node = node.children[node.selected_index]
        return node

    def embed_state(self) -> tuple[dict, dict]:
        """``(state, view)``: the widget state (the links included) and the view to show.

        ``state`` is the "application/vnd.jupyter.widget-state+json" mapping of a
        notebook's metadata, ``view`` the "application/vnd.jupyter.widget-view+json"
        output of the cell that shows it.
        """
        from ipywidgets.embed import dependency_state, embed_data

        state = dependency_state([self.widget, *self.links], drop_defaults=True)
        data = embed_data(views=[self.widget], state=state, drop_defaults=True)
        return data["manager_state"], data["view_specs"][0]

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        return bundle

    def __repr__(self) -> str:
        return f"StaticExplorer({self.kind!r}, {self.n_frames} pictures)"
