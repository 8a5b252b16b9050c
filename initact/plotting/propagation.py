"""Figures of a signal crossing a deep random network (see :mod:`initact.propagation`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .. import _checks
from ..propagation import Propagation
from ._style import axes, layer_colors, pyplot

__all__ = ["plot_by_depth", "plot_layer_histograms"]

_QUANTITIES = {
    "activation": ("activations", "activation value"),
    "pre_activation": ("pre_activations", "pre-activation value"),
    "gradient": ("gradients", "back-propagated gradient"),
}


def plot_layer_histograms(
    run: Propagation,
    quantity: str = "activation",
    *,
    layers: Sequence[int] | None = None,
    bins: int = 80,
    value_range: tuple[float, float] | None = None,
    ax=None,
    title: str | None = None,
):
    """Normalized histograms of one quantity, one line per layer (Glorot & Bengio's Fig. 6).

    ``layers`` are 1-based hidden-layer numbers (default: all, up to 10 evenly spaced).

    >>> from initact.propagation import propagate
    >>> run = propagate("tanh", "glorot_uniform", depth=3, width=50, n_samples=50, rng=0)
    >>> fig = plot_layer_histograms(run)
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['layer 1', 'layer 2', 'layer 3']
    """
    if not isinstance(run, Propagation):
        raise TypeError(f"run must be an initact.propagation.Propagation, got {type(run).__name__}")
    bins = _checks.integer(bins, "bins", at_most=100_000)  # a plot shows no more
    if not isinstance(quantity, str) or quantity not in _QUANTITIES:
        raise ValueError(f"quantity must be one of {', '.join(_QUANTITIES)}, got {quantity!r}")
    attr, label = _QUANTITIES[quantity]
    arrays = getattr(run, attr)
    if arrays is None:
        raise ValueError("this run has no gradients: call propagate(..., backward=True)")
    if layers is None:
        layers = sorted(set(np.linspace(1, run.depth, min(run.depth, 10)).round().astype(int)))
    for layer in layers:
        if not 1 <= layer <= run.depth:
            raise ValueError(f"layers must lie in 1..{run.depth}, got {layer}")
    if value_range is None:
        top = max(float(np.abs(arrays[layer - 1]).max()) for layer in layers) or 1.0
        value_range = (-top, top)
    fig, ax = axes(ax)
    edges = np.linspace(*value_range, bins + 1)
    centers = (edges[:-1] + edges[1:]) / 2
    for layer, color in zip(layers, layer_colors(len(layers)), strict=True):
        counts, _ = np.histogram(arrays[layer - 1], bins=edges, density=True)
        ax.plot(centers, counts, color=color, label=f"layer {layer}")
    ax.set_xlabel(label)
    ax.set_ylabel("density")
    ax.set_title(title or f"{label} by layer: {run.activation!r}, {_init_label(run)}")
    ax.legend(fontsize="small", ncols=2 if len(layers) > 5 else 1)
    return fig


def plot_by_depth(
    series: Mapping[str, Sequence[float]],
    *,
    theory: Mapping[str, Sequence[float]] | None = None,
    ylabel: str = "activation std",
    log: bool = True,
    ax=None,
    title: str | None = None,
):
    """One line per labelled series against layer number; dashed lines for theory.

    ``series`` maps a label to one value per layer (layer 1 first); ``theory``
    maps labels (drawn in the same colour when they match) to predictions.

    >>> fig = plot_by_depth({"He": [1, 1, 1]}, theory={"He": [1, 1, 1]})
    >>> fig.axes[0].get_xlabel()
    'layer'
    """
    for name, mapping in (("series", series), ("theory", {"": ()} if theory is None else theory)):
        if not isinstance(mapping, Mapping) or not mapping:
            raise TypeError(
                f"{name} must be a non-empty mapping of label -> values, got {mapping!r}"
            )
    fig, ax = axes(ax)
    colors = {}
    for label, values in series.items():
        values = np.asarray(values, dtype=float)
        (line,) = ax.plot(np.arange(1, len(values) + 1), values, marker=".", label=label)
        colors[label] = line.get_color()
    for label, values in (theory or {}).items():
        values = np.asarray(values, dtype=float)
        # A wide translucent band under the measured line: visible even where they agree.
        ax.plot(
            np.arange(1, len(values) + 1),
            values,
            linestyle="--",
            linewidth=4,
            alpha=0.35,
            zorder=1,
            color=colors.get(label, "black"),
            label=f"{label} (theory)",
        )
    if log:
        ax.set_yscale("log", base=2)
    ax.xaxis.set_major_locator(pyplot().MaxNLocator(integer=True))
    ax.set_xlabel("layer")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend(fontsize="small")
    ax.grid(True, which="major", alpha=0.3)
    return fig


def _init_label(run: Propagation) -> str:
    init = run.initializer
    scale = getattr(init, "scale", None)
    mode = getattr(init, "mode", None)
    dist = getattr(init, "distribution", None)
    if scale is None:
        return repr(init)
    return f"scale={scale:g}, {mode}, {dist}"
