"""Interactive explorers: chapter 11's two experiments, on sliders.

* :func:`depth_explorer`: pick an activation, an initializer and its ``scale``,
  a depth and a width; see the activations of every layer and the signal
  size by layer next to the mean-field prediction (the computation is
  :func:`initact.experiments.depth_experiment`).
* :func:`dying_relu_explorer`: pick a learning rate and an activation; a
  ``64-100-100-10`` MLP trains on the digits for a few epochs and you see the
  fraction of dead units per hidden layer after every epoch, and the accuracy
  it ends with (:func:`initact.experiments.dying_relu_experiment`).

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
import html
import io

from . import _checks, experiments
from .activations import ACTIVATIONS
from .experiments import (
    DEPTH_INITIALIZERS,
    DYING_RELU_ACTIVATIONS,
    DepthExperiment,
    DyingReluExperiment,
    _choice,
    initializer_scale,
)

# One entry point per explorer, a function, as each experiment has one. The classes are what
# they return (documented, not meant to be built directly), so the kind of explorer a function
# returns can change later, a static one say, without a second name for readers to learn.
__all__ = ["depth_explorer", "dying_relu_explorer"]

# Ranges of the depth explorer's controls (the scale slider moves on a log2 scale).
_SCALE_LOG2_RANGE = (-3.0, 3.0)
_DEPTH_RANGE = (1, 100)
_WIDTH_RANGE = (10, 500)
# The learning-rate slider moves on a log10 scale: 0.01 to about 3.2.
_LR_LOG10_RANGE = (-2.0, 0.5)
_FIGSIZE = (10.0, 4.0)


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
