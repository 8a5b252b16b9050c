"""Figures of a network while it trains: dead units, learning curves, activation histograms.

The data come from :func:`initact.nn.fit` (its :class:`~initact.nn.History`) and
from the callbacks of :mod:`initact.diagnostics` (:class:`~initact.diagnostics.DeadChart`,
:class:`~initact.diagnostics.Recorder`), or from
:func:`~initact.diagnostics.born_dead_probability`. Nothing here trains or
simulates: each function draws what it is given and returns the figure.

- :func:`plot_learning_curves`: one metric per epoch, one line per run.
- :func:`plot_dead_chart`: fraction of dead units per hidden layer, per epoch.
- :func:`plot_zero_fraction`: fraction of exact zeros per hidden layer, per step.
- :func:`plot_color_dim`: fastai's "color_dim" image, a histogram of ``|activation|``
  per training step, stacked side by side.
- :func:`plot_dead_units`: which units are dead at which epoch, one row per unit.
- :func:`plot_peak_preactivation`: a unit's largest pre-activation per epoch; below 0
  means dead (ReLU) or in a coma (leaky ReLU).
- :func:`plot_divergence`: the distance between two runs that start a hair apart,
  per epoch, on a log scale: a stable run forgets the difference, a chaotic one grows it.
- :func:`plot_born_dead`: born-dead probability against depth, simulated and exact.
- :func:`plot_update_ratio`: Karpathy's update:data ratio per dense layer and step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from .. import _checks
from ._style import axes, layer_colors, names, real_array

__all__ = [
    "plot_born_dead",
    "plot_color_dim",
    "plot_dead_chart",
    "plot_dead_units",
    "plot_divergence",
    "plot_learning_curves",
    "plot_peak_preactivation",
    "plot_update_ratio",
    "plot_zero_fraction",
]


# --------------------------------------------------------------------------- checks


def _layer_labels(n: int, layer_names: Sequence[str] | None) -> list[str]:
    if layer_names is None:
        return [f"layer {i + 1}" for i in range(n)]
    layer_names = names(layer_names, "layer_names")
    if len(layer_names) != n:
        raise ValueError(f"layer_names must have one name per layer ({n}), got {len(layer_names)}")
    return layer_names


def _integer_ticks(axis) -> None:
    """Epochs and depths are whole numbers: no tick at 2.5."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _check_mapping(series: object, name: str) -> Mapping:
    if not isinstance(series, Mapping) or not series:
        raise TypeError(f"{name} must be a non-empty mapping of label -> values")
    return series


def _per_epoch(values: object, epochs: np.ndarray, name: str) -> np.ndarray:
    """``values`` as a float array holding one number per epoch, or a clear error."""
    values = real_array(values, name, finite=False)
    if values.size != epochs.size:
        raise ValueError(f"{name} must hold one value per epoch ({epochs.size}), got {values.size}")
    return values


# --------------------------------------------------------------------------- per epoch


def plot_learning_curves(
    histories: Mapping[str, object],
    *,
    metric: str = "accuracy",
    ax=None,
    title: str | None = None,
):
    """One line per run: ``metric`` of each :class:`~initact.nn.History` against the epoch.

    ``metric`` is a list attribute of the history: ``"accuracy"``, ``"loss"``,
    ``"val_accuracy"`` or ``"val_loss"``. A run that diverged (``history.diverged``)
    ends early; its label says so.

    >>> from initact.nn import History
    >>> h = History(epoch=[1, 2], loss=[1.0, 0.5], accuracy=[0.5, 0.8])
    >>> fig = plot_learning_curves({"lr = 0.1": h})
    >>> fig.axes[0].get_ylabel(), fig.axes[0].lines[0].get_ydata().tolist()
    ('training accuracy', [0.5, 0.8])
    """
    histories = _check_mapping(histories, "histories")
    metrics = ("accuracy", "loss", "val_accuracy", "val_loss")
    if metric not in metrics:
        raise ValueError(f"metric must be one of {', '.join(metrics)}, got {metric!r}")
    fig, ax = axes(ax)
    for label, history in histories.items():
        if not hasattr(history, metric) or not hasattr(history, "epoch"):
            raise TypeError(f"histories[{label!r}] must be an initact.nn.History")
        values = np.asarray(getattr(history, metric), dtype=np.float64)
        epochs = np.asarray(history.epoch, dtype=np.float64)
        if values.size != epochs.size:
            raise ValueError(
                f"histories[{label!r}] has {epochs.size} epochs but {values.size} {metric} values"
            )
        text = str(label)
        if getattr(history, "diverged", False):
            text += f" (diverged after epoch {int(epochs[-1]) if epochs.size else 0})"
        ax.plot(epochs, values, marker=".", label=text)
    name = metric.replace("val_", "validation ") if metric.startswith("val_") else metric
    ax.set_xlabel("epoch")
    _integer_ticks(ax.xaxis)
    ax.set_ylabel(name if metric.startswith("val_") else f"training {name}")
    ax.set_title(title or f"{name} per epoch")
    ax.legend(fontsize="small")
    ax.grid(True, alpha=0.3)
    return fig


def plot_dead_chart(
    epochs: Sequence[int],
    fractions: object,
    *,
    layer_names: Sequence[str] | None = None,
    ax=None,
    title: str | None = None,
):
    """The "dead chart": fraction of dead units per hidden layer after each epoch.

    ``epochs`` (shape ``(n,)``) and ``fractions`` (shape ``(n, layers)``) are
    :class:`~initact.diagnostics.DeadChart`'s ``epochs`` and ``fractions``.

    >>> fig = plot_dead_chart([0, 1, 2], [[0.0, 0.0], [0.0, 0.5], [0.1, 0.9]])
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['layer 1', 'layer 2']
    """
    epochs = real_array(epochs, "epochs", finite=False)
    fractions = real_array(fractions, "fractions", ndim=2, finite=False)
    if fractions.shape[0] != epochs.size:
        raise ValueError(
            f"fractions must have one row per epoch ({epochs.size}), got shape {fractions.shape}"
        )
    labels = _layer_labels(fractions.shape[1], layer_names)
    fig, ax = axes(ax)
    for values, label, color in zip(fractions.T, labels, layer_colors(len(labels)), strict=True):
        ax.plot(epochs, values, marker=".", color=color, label=label)
    ax.set_ylim(-0.03, 1.03)
    ax.set_xlabel("epoch (0 = initialization)")
    _integer_ticks(ax.xaxis)
    ax.set_ylabel("fraction of dead units")
    ax.set_title(title or "dead units per layer")
    ax.legend(fontsize="small")
    ax.grid(True, alpha=0.3)
    return fig


# --------------------------------------------------------------------------- per step


def plot_zero_fraction(
    steps: Sequence[int],
    zero_fraction: object,
    *,
    layer_names: Sequence[str] | None = None,
    ax=None,
    title: str | None = None,
):
    """Fraction of exact zeros in each hidden layer's activations, per training step.

    ``steps`` and ``zero_fraction`` are :class:`~initact.diagnostics.Recorder`'s
    ``steps`` (shape ``(n,)``) and ``zero_fraction`` (shape ``(n, layers)``).
    Unlike the dead chart, this counts zeros in one minibatch: a ReLU layer
    sits near 0.5 when healthy, and at 1 when all its units are off for the batch.

    >>> fig = plot_zero_fraction([1, 2, 3], [[0.5, 0.5], [0.5, 0.7], [0.5, 1.0]])
    >>> fig.axes[0].get_ylabel()
    'fraction of zero activations'
    """
    steps = real_array(steps, "steps", finite=False)
    zero_fraction = real_array(zero_fraction, "zero_fraction", ndim=2, finite=False)
    if zero_fraction.shape[0] != steps.size:
        raise ValueError(
            f"zero_fraction must have one row per step ({steps.size}), "
            f"got shape {zero_fraction.shape}"
        )
    labels = _layer_labels(zero_fraction.shape[1], layer_names)
    fig, ax = axes(ax)
    for values, label, color in zip(
        zero_fraction.T, labels, layer_colors(len(labels)), strict=True
    ):
        ax.plot(steps, values, color=color, linewidth=1, label=label)
    ax.set_ylim(-0.03, 1.03)
    ax.set_xlabel("training step")
    ax.set_ylabel("fraction of zero activations")
    ax.set_title(title or "zero activations per minibatch")
    ax.legend(fontsize="small")
    ax.grid(True, alpha=0.3)
    return fig


def plot_color_dim(
    steps: Sequence[int],
    histogram: object,
    bin_edges: Sequence[float],
    *,
    layer: int = 0,
    vmax: float | None = None,
    colorbar: bool = True,
    ax=None,
    title: str | None = None,
):
    """fastai's "color_dim" image of one layer: a column per step, a histogram of ``|a|`` in each.

    ``histogram`` has shape ``(steps, layers, bins)`` and ``bin_edges`` ``bins + 1``
    values, as :class:`~initact.diagnostics.Recorder` records them; ``layer`` is
    0-based. The colour is ``log(1 + count)``, so a few large activations stay
    visible next to the many small ones. A bright bottom row means activations
    piled up at (or near) 0. ``vmax`` fixes the top of the colour scale, so
    images of different runs compare; the default is this image's maximum.

    >>> counts = np.zeros((3, 1, 4), dtype=np.int32)
    >>> counts[:, 0, 0] = 10
    >>> fig = plot_color_dim([1, 2, 3], counts, [0.0, 1.0, 2.0, 3.0, 4.0])
    >>> fig.axes[0].images[0].get_array().shape  # bins x steps
    (4, 3)
    """
    steps = real_array(steps, "steps", finite=False)
    histogram = real_array(histogram, "histogram", ndim=3, finite=False)
    bin_edges = real_array(bin_edges, "bin_edges", finite=False)
    n_steps, n_layers, n_bins = histogram.shape
    if n_steps != steps.size:
        raise ValueError(
            f"histogram must have one row per step ({steps.size}), got shape {histogram.shape}"
        )
    if bin_edges.size != n_bins + 1:
        raise ValueError(
            f"bin_edges must hold bins + 1 = {n_bins + 1} values, got {bin_edges.size}"
        )
    layer = _checks.integer(layer, "layer", at_least=0, at_most=n_layers - 1)
    if vmax is not None:
        vmax = _checks.real(vmax, "vmax", above=0)
    colorbar = _checks.flag(colorbar, "colorbar")
    if np.any(histogram < 0):
        raise ValueError("histogram holds counts, which cannot be negative")
    image = np.log1p(histogram[:, layer, :]).T  # rows: bins (|a| upward), columns: steps
    fig, ax = axes(ax)
    # Each column spans one recorded step (half a gap either side), each row one bin.
    half = (steps[1] - steps[0]) / 2 if steps.size > 1 else 0.5
    extent = (steps[0] - half, steps[-1] + half, bin_edges[0], bin_edges[-1])
    shown = ax.imshow(
        image,
        origin="lower",
        aspect="auto",
        extent=extent,
        cmap="viridis",
        vmin=0.0,
        vmax=vmax if vmax is not None else max(float(image.max()), 1e-12),
        interpolation="nearest",
    )
    if colorbar:
        fig.colorbar(shown, ax=ax, label="log(1 + count)")
    ax.set_xlabel("training step")
    ax.set_ylabel("|activation|")
    ax.set_title(title or f"histogram of |activation| per step, layer {layer + 1}")
    return fig


# --------------------------------------------------------------------------- units


def plot_dead_units(
    masks: object,
    *,
    epochs: Sequence[int] | None = None,
    highlight: Sequence[int] = (),
    ax=None,
    title: str | None = None,
):
    """Which unit is dead after which epoch: a dark cell is dead, a light one alive.

    ``masks`` has shape ``(n_epochs, n_units)`` (one :func:`~initact.diagnostics.dead_units`
    mask of one layer per epoch); ``epochs`` labels its rows (default 0, 1, ...).
    ``highlight`` lists units to outline in red.
    A dark stretch followed by light cells in one row is a unit that came back.

    >>> fig = plot_dead_units([[False, False], [True, False], [False, False]], highlight=[0])
    >>> fig.axes[0].get_ylabel()
    'unit'
    """
    try:
        masks = np.asarray(masks)
    except ValueError:  # ragged nested lists
        raise TypeError(
            "masks must be a boolean array (epochs, units), got rows of different lengths"
        ) from None
    if masks.dtype != np.bool_:
        raise TypeError(f"masks must be a boolean array (True = dead), got dtype {masks.dtype}")
    if masks.ndim != 2 or masks.size == 0:
        raise ValueError(f"masks must be a non-empty 2-D array (epochs, units), got {masks.shape}")
    n_epochs, n_units = masks.shape
    if epochs is None:
        epochs = np.arange(n_epochs, dtype=np.float64)
    else:
        epochs = real_array(epochs, "epochs", finite=False)
        if epochs.size != n_epochs:
            raise ValueError(
                f"epochs must hold {n_epochs} values (rows of masks), got {epochs.size}"
            )
    if isinstance(highlight, (str, bytes)) or not isinstance(highlight, Iterable):
        raise TypeError(f"highlight must be a sequence of unit numbers, got {highlight!r}")
    highlight = [
        _checks.integer(unit, f"highlight[{i}]", at_least=0, at_most=n_units - 1)
        for i, unit in enumerate(highlight)
    ]
    fig, ax = axes(ax)
    half = (epochs[1] - epochs[0]) / 2 if n_epochs > 1 else 0.5
    ax.imshow(
        masks.T.astype(np.float64),
        origin="lower",
        aspect="auto",
        cmap="Greys",
        vmin=0.0,
        vmax=1.0,
        extent=(epochs[0] - half, epochs[-1] + half, -0.5, n_units - 0.5),
        interpolation="nearest",
    )
    from matplotlib.patches import Rectangle

    for unit in highlight:
        ax.add_patch(
            Rectangle(
                (epochs[0] - half, unit - 0.5),
                epochs[-1] - epochs[0] + 2 * half,
                1.0,
                fill=False,
                edgecolor="tab:red",
                linewidth=1.5,
                label=f"unit {unit}",
            )
        )
    ax.set_xlim(epochs[0] - half, epochs[-1] + half)
    ax.set_xlabel("epoch (0 = initialization)")
    _integer_ticks(ax.xaxis)
    ax.set_ylabel("unit")
    ax.set_title(title or "dead units (dark) per epoch")
    if highlight:  # outside the image, which has no empty corner
        ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


def plot_peak_preactivation(
    epochs: Sequence[int],
    peaks: Mapping[str, Sequence[float]],
    *,
    ax=None,
    title: str | None = None,
):
    """Largest pre-activation over the data of chosen units, per epoch; one line per unit.

    ``peaks`` maps a label to one value per epoch: ``max_i z_ij``, the largest
    weighted sum of unit ``j`` over the inputs ``i``. Below the dashed zero line
    a ReLU unit is dead (output and gradient 0 for every input); a leaky one
    is in a "coma" (it outputs ``alpha * z`` and still gets a gradient).

    >>> fig = plot_peak_preactivation([0, 1, 2], {"unit 6": [0.5, -1.0, 0.2]})
    >>> fig.axes[0].lines[0].get_ydata().tolist()
    [0.5, -1.0, 0.2]
    """
    epochs = real_array(epochs, "epochs", finite=False)
    peaks = _check_mapping(peaks, "peaks")
    fig, ax = axes(ax)
    lowest = np.inf
    for label, values in peaks.items():
        values = _per_epoch(values, epochs, f"peaks[{label!r}]")
        lowest = min(lowest, float(values.min()))
        ax.plot(epochs, values, marker="o", markersize=4, label=str(label))
    ax.axhline(0.0, color="black", linestyle="--", linewidth=1)
    if lowest < 0:  # some unit was dead (or in a coma): shade that side
        low, high = ax.get_ylim()
        ax.axhspan(low, 0.0, color="0.9", zorder=0)
        ax.set_ylim(low, high)
    ax.set_xlabel("epoch (0 = initialization)")
    _integer_ticks(ax.xaxis)
    ax.set_ylabel("largest pre-activation over the data")
    ax.set_title(title or "below 0: dead (ReLU) or in a coma (leaky)")
    ax.legend(fontsize="small")
    ax.grid(True, alpha=0.3)
    return fig


def plot_divergence(
    epochs: Sequence[int],
    distances: Mapping[str, Sequence[float]],
    *,
    ax=None,
    title: str | None = None,
):
    """Distance between two runs per epoch (log scale), one line per pair of runs.

    ``distances`` maps a label to one value per epoch, such as
    :func:`initact.diagnostics.parameter_distance` between the snapshots of a
    run and of its twin started a hair away. Zeros (identical runs) are drawn
    at the bottom of the axis rather than dropped.

    >>> fig = plot_divergence([0, 1, 2], {"lr 1.0": [1e-12, 1e-6, 0.5]})
    >>> fig.axes[0].get_yscale()
    'log'
    """
    epochs = real_array(epochs, "epochs", finite=False)
    distances = _check_mapping(distances, "distances")
    fig, ax = axes(ax)
    for label, values in distances.items():
        values = _per_epoch(values, epochs, f"distances[{label!r}]")
        if np.any(values < 0):
            raise ValueError(f"distances[{label!r}] must be >= 0")
        ax.plot(epochs, np.maximum(values, 1e-18), marker="o", markersize=4, label=str(label))
    ax.set_yscale("log")
    ax.set_xlabel("epoch (0 = initialization)")
    _integer_ticks(ax.xaxis)
    ax.set_ylabel("largest |difference| of a parameter")
    ax.set_title(title or "two runs that start a hair apart")
    ax.legend(fontsize="small")
    ax.grid(True, alpha=0.3)
    return fig


# --------------------------------------------------------------------------- born dead


def plot_born_dead(
    depths: Sequence[int],
    simulated: Mapping[object, Sequence[float]],
    *,
    exact: Mapping[object, Sequence[float]] | None = None,
    stderr: Mapping[object, Sequence[float]] | None = None,
    ax=None,
    title: str | None = None,
):
    """Probability that a ReLU net is born dead against its depth, one colour per width.

    ``simulated`` maps a width to one Monte Carlo estimate per depth (dots, with
    ``stderr`` error bars if given); ``exact`` maps widths to the closed form
    ``1 - (1 - 2**-width)**depth`` (lines), as
    :func:`~initact.diagnostics.born_dead_probability` and
    :func:`~initact.diagnostics.born_dead_exact` give them.

    >>> fig = plot_born_dead([1, 2], {2: [0.26, 0.43]}, exact={2: [0.25, 0.4375]})
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['width 2: 1 - (1 - 2^-N)^L', 'width 2: simulated']
    """
    depths = real_array(depths, "depths", finite=False)
    simulated = _check_mapping(simulated, "simulated")
    for name, optional in (("exact", exact), ("stderr", stderr)):
        if optional is not None and not isinstance(optional, Mapping):
            kind = type(optional).__name__
            raise TypeError(f"{name} must be None or a mapping of width -> values, got {kind}")
    fig, ax = axes(ax)
    colors = layer_colors(len(simulated))
    for (width, values), color in zip(simulated.items(), colors, strict=True):
        values = real_array(values, f"simulated[{width!r}]", finite=False)
        if values.size != depths.size:
            raise ValueError(
                f"simulated[{width!r}] must hold one value per depth ({depths.size}), "
                f"got {values.size}"
            )
        if exact is not None and width in exact:
            theory = real_array(exact[width], f"exact[{width!r}]", finite=False)
            if theory.size != depths.size:
                raise ValueError(f"exact[{width!r}] must hold one value per depth ({depths.size})")
            ax.plot(depths, theory, color=color, label=f"width {width}: 1 - (1 - 2^-N)^L")
        errors = None
        if stderr is not None and width in stderr:
            errors = real_array(stderr[width], f"stderr[{width!r}]", finite=False)
            if errors.size != depths.size:
                raise ValueError(f"stderr[{width!r}] must hold one value per depth ({depths.size})")
        ax.errorbar(
            depths,
            values,
            yerr=errors,
            color=color,
            marker="o",
            markersize=4,
            linestyle="none",
            capsize=2,
            label=f"width {width}: simulated",
        )
    ax.set_ylim(-0.03, 1.03)
    ax.set_xlabel("depth L (hidden layers)")
    ax.set_ylabel("P(born dead)")
    ax.set_title(title or "born dead: bias-free ReLU nets, symmetric weights")
    ax.legend(fontsize="small")
    ax.grid(True, alpha=0.3)
    return fig


# --------------------------------------------------------------------------- update ratio


def plot_update_ratio(
    steps: Sequence[int],
    update_ratio: object,
    *,
    steps_per_epoch: int | None = None,
    reference: float | None = 1e-3,
    layer_names: Sequence[str] | None = None,
    ax=None,
    title: str | None = None,
):
    """Karpathy's update:data ratio, ``std(update) / std(W)``, per dense layer and step.

    ``steps`` (shape ``(n,)``) and ``update_ratio`` (shape ``(n, layers)``) are
    :class:`~initact.diagnostics.Recorder`'s. The y axis is logarithmic: a ratio of
    ``1e-3`` means that one step changes the weights by a thousandth of their
    spread. With ``steps_per_epoch`` the x axis counts epochs (step ``s`` at
    ``s / steps_per_epoch``), so the figure lines up with a dead chart.
    ``reference`` draws a dashed horizontal line (Karpathy's rough guide, ``1e-3``;
    ``None`` draws none). A step whose update is exactly 0 (a frozen layer) leaves
    a gap: a log scale has no place for 0. Layers are named ``dense 1`` ... with
    the last one marked as the output, unless ``layer_names`` says otherwise.

    >>> fig = plot_update_ratio([1, 2, 3], [[0.1, 0.02], [0.01, 0.002], [1e-3, 0.0]],
    ...                         steps_per_epoch=3)
    >>> ax = fig.axes[0]
    >>> ax.get_yscale(), ax.get_xlabel()
    ('log', 'epoch')
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['dense 1', 'dense 2 (output)', 'reference 1e-03']
    """
    steps = _checks.real_array(steps, "steps", finite=False)
    update_ratio = _checks.real_array(update_ratio, "update_ratio", ndim=2, finite=False)
    if update_ratio.shape[0] != steps.size:
        raise ValueError(
            f"update_ratio must have one row per step ({steps.size}), "
            f"got shape {update_ratio.shape}"
        )
    if np.any(update_ratio < 0):
        raise ValueError("update_ratio must be >= 0 (a ratio of two standard deviations)")
    if steps_per_epoch is not None:
        steps_per_epoch = _checks.integer(steps_per_epoch, "steps_per_epoch")
    if reference is not None:
        reference = _checks.real(reference, "reference", above=0)
    layers = update_ratio.shape[1]
    if layer_names is None:
        layer_names = [f"dense {i + 1}" for i in range(layers)]
        if layers > 1:
            layer_names[-1] += " (output)"
    labels = _layer_labels(layers, layer_names)
    x = steps if steps_per_epoch is None else steps / steps_per_epoch
    fig, ax = axes(ax)
    shown = np.where(update_ratio > 0, update_ratio, np.nan)  # no 0 on a log scale
    for values, label, color in zip(shown.T, labels, layer_colors(layers), strict=True):
        ax.plot(x, values, color=color, linewidth=0.8, label=label)
    if reference is not None:
        ax.axhline(reference, color="black", linestyle="--", linewidth=1,
                   label=f"reference {reference:.0e}")  # fmt: skip
    ax.set_yscale("log")
    ax.set_xlabel("training step" if steps_per_epoch is None else "epoch")
    ax.set_ylabel("std(update) / std(W)")
    ax.set_title(title or "update:data ratio per step")
    ax.legend(fontsize="small")
    ax.grid(True, alpha=0.3)
    return fig
