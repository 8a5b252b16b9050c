"""Figures of the chapter that derives Table 11-1 (see :mod:`initact.theory`).

Four pictures: training curves against the chance loss, the spread of the
Glorot/He signal ratio across random networks, the scales each criterion and
each library recommends, and histograms of weights drawn with one variance
but different distributions. Each takes numbers computed elsewhere in
``initact`` and only draws them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from .. import _checks
from ._style import MAX_POINTS, axes, names

__all__ = [
    "plot_log_ratio_spread",
    "plot_loss_curves",
    "plot_scale_comparison",
    "plot_weight_histograms",
]

# One marker per source, so the scale comparison also reads in black and white.
_MARKERS = ("o", "s", "^", "v", "D", "P", "X", "*")


def _numbers(values: object, name: str) -> np.ndarray:
    """``values`` as a float array; a TypeError unless it holds real numbers only.

    No ``dtype=float`` conversion: it would read the string "0.5" as a number.
    """
    try:
        array = np.asarray(values)
    except (TypeError, ValueError):  # ragged nested lists
        raise TypeError(
            f"{name} must be a sequence of numbers (rows of equal length), got {values!r}"
        ) from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a sequence of numbers, got {values!r}")
    return array.astype(np.float64)


def _series(values: object, name: str) -> np.ndarray:
    """``values`` as a non-empty 1-D float array, or a clear error."""
    array = _numbers(values, name)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of numbers, got {array.shape}")
    return array


def _mapping(data: object, name: str) -> Mapping:
    if not isinstance(data, Mapping) or not data:
        raise TypeError(f"{name} must be a non-empty dict of label -> values, got {data!r}")
    return data


def _runs(values: object, name: str) -> np.ndarray:
    """``values`` as a 2-D float array, one row per run (a 1-D sequence is one run)."""
    array = _numbers(values, name)
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2 or array.size == 0:
        raise ValueError(
            f"{name} must be one run (1-D) or one row per run (2-D) of numbers, got {array.shape}"
        )
    return array


def plot_loss_curves(
    losses: Mapping[str, Sequence[float]],
    *,
    chance: float | None = None,
    ax=None,
    title: str | None = None,
):
    """Training loss by epoch, one colour per label, with an optional chance-level line.

    ``losses`` maps a label (e.g. an initializer) to one loss per epoch, epoch 1 first,
    such as ``history.loss`` from :func:`initact.nn.fit`, or to a 2-D array with one
    such row per run (seed): each run is a thin line of the label's colour, and the
    legend says how many runs. ``chance`` draws a dotted horizontal line there
    (``ln 2`` for two balanced classes).

    >>> fig = plot_loss_curves({"Glorot": [0.69, 0.69], "He": [0.6, 0.4]}, chance=0.693)
    >>> fig.axes[0].get_xlabel(), len(fig.axes[0].get_lines())
    ('epoch', 3)
    >>> fig = plot_loss_curves({"He": [[0.6, 0.4], [0.6, 0.3], [0.7, 0.5]]})
    >>> len(fig.axes[0].get_lines()), fig.axes[0].get_legend().get_texts()[0].get_text()
    (3, 'He (3 runs)')
    """
    from matplotlib.ticker import MaxNLocator

    losses = _mapping(losses, "losses")
    if chance is not None:
        chance = _checks.real(chance, "chance", above=0)
    fig, ax = axes(ax)
    for k, (label, values) in enumerate(losses.items()):
        runs = _runs(values, f"losses[{label!r}]")
        epochs = np.arange(1, runs.shape[1] + 1)
        several = len(runs) > 1
        legend = f"{label} ({len(runs)} runs)" if several else str(label)
        for i, run in enumerate(runs):
            ax.plot(
                epochs,
                run,
                color=f"C{k}",
                marker=None if several else ".",
                linewidth=1.0 if several else 1.5,
                alpha=0.75 if several else 1.0,
                label=legend if i == 0 else None,
            )
    if chance is not None:
        ax.axhline(chance, color="gray", linestyle=":", label=f"chance ({chance:.3f})")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel("training loss")
    ax.set_title(title or "Training loss by epoch")
    ax.legend(fontsize="small")
    ax.grid(True, alpha=0.3)
    return fig


def plot_log_ratio_spread(
    ratios: object,
    *,
    theory: Sequence[float],
    sd: Sequence[float] | None = None,
    ax=None,
    title: str | None = None,
    ylabel: str = "log2(RMS Glorot / RMS He)",
):
    """Per-layer log-ratios of many random networks around their infinite-width prediction.

    ``ratios`` is an array of shape ``(n_runs, depth)``: one row per network (seed),
    one column per layer, layer 1 first. ``theory`` has one predicted value per layer;
    ``sd``, if given, is the predicted standard deviation per layer and is drawn as a
    shaded band of plus or minus two of it around ``theory``.

    >>> import numpy as np
    >>> r = np.array([[-0.5, -1.1], [-0.4, -0.9]])
    >>> fig = plot_log_ratio_spread(r, theory=[-0.5, -1.0], sd=[0.1, 0.15])
    >>> fig.axes[0].get_xlabel()
    'layer'
    """
    ratios = _numbers(ratios, "ratios")
    if ratios.ndim != 2 or ratios.size == 0:
        raise ValueError(f"ratios must have shape (n_runs, depth), got {ratios.shape}")
    depth = ratios.shape[1]
    theory = _series(theory, "theory")
    if theory.size != depth:
        raise ValueError(f"theory needs one value per layer ({depth}), got {theory.size}")
    layers = np.arange(1, depth + 1)
    fig, ax = axes(ax)
    if sd is not None:
        sd = _series(sd, "sd")
        if sd.size != depth:
            raise ValueError(f"sd needs one value per layer ({depth}), got {sd.size}")
        ax.fill_between(
            layers, theory - 2 * sd, theory + 2 * sd, color="C1", alpha=0.2, label="theory ± 2 sd"
        )
    for i, row in enumerate(ratios):
        ax.plot(
            layers,
            row,
            color="C0",
            alpha=0.5,
            linewidth=0.8,
            label=f"measured ({ratios.shape[0]} seeds)" if i == 0 else None,
        )
    ax.plot(layers, theory, color="C1", linestyle="--", label="infinite width")
    ax.set_xlabel("layer")
    ax.set_ylabel(ylabel)
    ax.set_title(title or "Finite-width spread around the mean-field prediction")
    ax.legend(fontsize="small")
    ax.grid(True, alpha=0.3)
    return fig


def plot_scale_comparison(
    labels: Sequence[str],
    scales: Mapping[str, Sequence[float | None]],
    *,
    ax=None,
    title: str | None = None,
    log: bool = True,
):
    """The ``scale`` of ``Var[W] = scale / fan`` that each source recommends, per activation.

    ``labels`` names the activations (the x axis); ``scales`` maps a source (the book,
    a criterion, PyTorch's ``gain**2``) to one value per label, ``None`` or NaN where it
    has none. Markers are offset sideways so equal values stay visible.

    >>> fig = plot_scale_comparison(["relu", "tanh"], {"book": [2, 1], "PyTorch": [2, 25 / 9]})
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['relu', 'tanh']
    """
    if isinstance(labels, (str, bytes)) or not isinstance(labels, Sequence) or not labels:
        raise TypeError(f"labels must be a non-empty list of names, got {labels!r}")
    labels = names(labels, "labels")
    scales = _mapping(scales, "scales")
    log = _checks.flag(log, "log")
    if len(scales) > len(_MARKERS):
        raise ValueError(f"at most {len(_MARKERS)} sources fit one plot, got {len(scales)}")
    fig, ax = axes(ax, figsize=(10, 4))
    x = np.arange(len(labels))
    width = 0.7 / len(scales)
    for k, (source, values) in enumerate(scales.items()):
        values = [math.nan if v is None else v for v in values]
        values = _series(values, f"scales[{source!r}]")
        if values.size != len(labels):
            raise ValueError(
                f"scales[{source!r}] needs one value per label ({len(labels)}), got {values.size}"
            )
        if log and np.any(values[np.isfinite(values)] <= 0):
            raise ValueError(f"scales[{source!r}] must be > 0 on a log axis")
        offset = (k - (len(scales) - 1) / 2) * width
        ax.plot(x + offset, values, linestyle="none", marker=_MARKERS[k], label=str(source))
    if log:
        ax.set_yscale("log", base=2)
    ax.set_xticks(x, [str(label) for label in labels])
    ax.set_xlabel("activation")
    ax.set_ylabel("scale = fan x Var[W]")
    ax.set_title(title or "Recommended scale per activation")
    ax.legend(fontsize="small", ncols=2)
    ax.grid(True, axis="y", which="major", alpha=0.3)
    return fig


def plot_weight_histograms(
    samples: Mapping[str, np.ndarray],
    *,
    std: float,
    bins: int = 120,
    ax=None,
    title: str | None = None,
):
    """Normalized histograms of weight samples, in units of the target standard deviation.

    ``samples`` maps a label to an array of weights meant to have standard deviation
    ``std``; each is divided by ``std`` so different distributions with the same
    variance share one axis (a uniform ends at ``sqrt 3``, Keras's truncated normal at
    ``2 / 0.8796``). ``bins`` (at most 100,000) split the range of the samples.

    >>> import numpy as np
    >>> w = np.random.default_rng(0).uniform(-1, 1, 1000)
    >>> fig = plot_weight_histograms({"uniform": w}, std=1 / np.sqrt(3))
    >>> fig.axes[0].get_xlabel()
    'weight / target std'
    """
    samples = _mapping(samples, "samples")
    std = _checks.real(std, "std", above=0)
    bins = _checks.integer(bins, "bins", at_most=MAX_POINTS)
    scaled = {}
    for label, values in samples.items():
        values = _numbers(values, f"samples[{label!r}]").ravel()
        if values.size == 0 or not np.all(np.isfinite(values)):
            raise ValueError(f"samples[{label!r}] must be a non-empty array of finite numbers")
        scaled[label] = values / float(std)
    top = max(float(np.abs(v).max()) for v in scaled.values())
    edges = np.linspace(-top, top, bins + 1)
    centers = (edges[:-1] + edges[1:]) / 2
    fig, ax = axes(ax)
    peak = 0.0
    for label, values in scaled.items():
        density, _ = np.histogram(values, bins=edges, density=True)
        ax.plot(centers, density, label=str(label), drawstyle="steps-mid")
        peak = max(peak, float(density.max()))
    # Headroom above the peak, one line per legend entry, so the legend never hides the data.
    ax.set_ylim(0.0, peak * (1.15 + 0.1 * len(scaled)))
    ax.set_xlabel("weight / target std")
    ax.set_ylabel("density")
    ax.set_title(title or "Weights with one variance, different distributions")
    ax.legend(fontsize="small", loc="upper left")
    ax.grid(True, alpha=0.3)
    return fig
