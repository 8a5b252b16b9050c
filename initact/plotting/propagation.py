"""Figures of a signal crossing a deep random network (see :mod:`initact.propagation`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from .. import _checks
from ..propagation import Propagation
from ._style import MAX_POINTS, axes, layer_colors, non_empty_mapping, pyplot, real_array
from ._style import value_range as _value_range  # the name value_range is a parameter here

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
    ``bins`` (at most 100,000) split ``value_range`` (default: symmetric about 0,
    wide enough for every value of the layers shown).

    >>> from initact.propagation import propagate
    >>> run = propagate("tanh", "glorot_uniform", depth=3, width=50, n_samples=50, rng=0)
    >>> fig = plot_layer_histograms(run)
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['layer 1', 'layer 2', 'layer 3']
    """
    if not isinstance(run, Propagation):
        raise TypeError(f"run must be an initact.propagation.Propagation, got {type(run).__name__}")
    bins = _checks.integer(bins, "bins", at_most=MAX_POINTS)
    if not isinstance(quantity, str) or quantity not in _QUANTITIES:
        raise ValueError(f"quantity must be one of {', '.join(_QUANTITIES)}, got {quantity!r}")
    attr, label = _QUANTITIES[quantity]
    arrays = getattr(run, attr)
    if arrays is None:
        raise ValueError("this run has no gradients: call propagate(..., backward=True)")
    if layers is None:
        layers = sorted(set(np.linspace(1, run.depth, min(run.depth, 10)).round().astype(int)))
    else:
        layers = _layers(layers, run.depth)
    if value_range is None:
        top = max(float(np.abs(arrays[layer - 1]).max()) for layer in layers) or 1.0
        value_range = (-top, top)
    else:
        value_range = _value_range(value_range, "value_range")
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


def _layers(layers: object, depth: int) -> list[int]:
    """``layers`` as a non-empty list of layer numbers in ``1..depth``."""
    accepted = f"layers must be a non-empty sequence of layer numbers from 1 to {depth}"
    if isinstance(layers, (str, bytes)) or not isinstance(layers, Iterable):
        raise TypeError(f"{accepted}, got {layers!r}")
    try:
        layers = list(layers)
    except TypeError:  # a 0-d array
        raise TypeError(f"{accepted}, got {layers!r}") from None
    if not layers:
        raise ValueError(f"{accepted}, got {layers!r}")
    return [
        _checks.integer(layer, f"layers[{i}]", at_least=1, at_most=depth)
        for i, layer in enumerate(layers)
    ]


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
    # Values may be inf or NaN (a run that overflowed): the line shows a gap there.
    measured = {
        label: real_array(values, f"series[{label!r}]", finite=False)
        for label, values in non_empty_mapping(series, "series").items()
    }
    predicted = {}
    if theory is not None:
        predicted = {
            label: real_array(values, f"theory[{label!r}]", finite=False)
            for label, values in non_empty_mapping(theory, "theory").items()
        }
    log = _checks.flag(log, "log")
    fig, ax = axes(ax)
    colors = {}
    for label, values in measured.items():
        (line,) = ax.plot(np.arange(1, len(values) + 1), values, marker=".", label=label)
        colors[label] = line.get_color()
    for label, values in predicted.items():
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
