"""Shared plumbing for the plotting modules: lazy matplotlib, axes, colours."""

from __future__ import annotations


def pyplot():
    """Import matplotlib.pyplot on first use, with a clear error if it is missing."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as err:  # pragma: no cover - exercised only without matplotlib
        raise ImportError(
            "plotting needs matplotlib: pip install 'initact[book]' (or pip install matplotlib)"
        ) from err
    return plt


def axes(ax=None, *, figsize=(6.4, 4.0)):
    """Return ``(fig, ax)``: the given axes and their figure, or a new figure."""
    if ax is not None:
        return ax.figure, ax
    fig, ax = pyplot().subplots(figsize=figsize, layout="constrained")
    return fig, ax


def layer_colors(n: int):
    """``n`` colours from light to dark, so deeper layers read as darker lines."""
    cmap = pyplot().get_cmap("viridis")
    return [cmap(0.9 - 0.8 * i / max(1, n - 1)) for i in range(n)]
