"""Figures of saturation: where a squashing activation stops passing gradients.

Two drawings for the book's Figure 11-1 and its tanh sequel:

* :func:`plot_saturation` draws an activation and its derivative, shades the
  *saturating* regions (where the derivative has fallen below a fraction of its
  peak, so almost no gradient flows back) and marks the *linear* region near
  the peak, where ``f(z) ~ f(z0) + f'(z0) (z - z0)``.
* :func:`plot_linear_regime` draws how far a layer is from that linear regime:
  the ratio ``E[f(z)^2] / q`` for ``z ~ N(0, q)``, which is 1 for a linear
  unit, against the pre-activation variance ``q``, with measured layers on it.

Both take data (computed with :mod:`initact.activations` and
:mod:`initact.theory`), never run an experiment themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .. import _checks
from ._style import axes, layer_colors, real_array

__all__ = ["plot_linear_regime", "plot_saturation", "plot_saturation_over_training"]


def _same_length(reference: np.ndarray, other: np.ndarray, names: str) -> None:
    if other.shape != reference.shape:
        raise ValueError(
            f"{names} must have the same length, got {reference.size} and {other.size}"
        )


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """``(first, last)`` index of every run of consecutive True values in ``mask``."""
    padded = np.concatenate([[False], mask, [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return [
        (int(start), int(stop) - 1) for start, stop in zip(edges[::2], edges[1::2], strict=True)
    ]


def plot_saturation(
    z: Sequence[float],
    value: Sequence[float],
    derivative: Sequence[float],
    *,
    name: str = "sigmoid",
    saturation: float = 0.1,
    asymptotes: Sequence[float] = (),
    ax=None,
    title: str | None = None,
):
    """An activation, its derivative, its saturating regions and its linear region.

    ``z`` is an increasing grid; ``value`` and ``derivative`` are ``f(z)`` and
    ``f'(z)`` on it. Where ``f'(z) < saturation * max f'`` the grid is shaded as
    *saturating*; the tangent at the peak of ``f'`` is drawn as the linear
    approximation; the peak itself is marked with its value. ``asymptotes`` are
    drawn as dotted horizontal lines (0 and 1 for the sigmoid).

    The book's Figure 11-1:

    >>> import numpy as np
    >>> from initact.activations import Sigmoid
    >>> z = np.linspace(-5, 5, 201)
    >>> fig = plot_saturation(z, Sigmoid()(z), Sigmoid().derivative(z), asymptotes=(0, 1))
    >>> ax = fig.axes[0]
    >>> ax.get_xlabel(), len(ax.get_legend().get_texts())
    ('z', 4)
    """
    z = real_array(z, "z", min_size=2)
    value = real_array(value, "value", min_size=2)
    derivative = real_array(derivative, "derivative", min_size=2)
    _same_length(z, value, "z and value")
    _same_length(z, derivative, "z and derivative")
    if np.any(np.diff(z) <= 0):
        raise ValueError("z must be strictly increasing")
    saturation = _checks.real(saturation, "saturation", above=0, below=1)
    peak = int(np.argmax(derivative))
    if derivative[peak] <= 0:
        raise ValueError("derivative must be positive somewhere: there is no linear region")

    fig, ax = axes(ax)
    ax.plot(z, value, color="C0", linewidth=2, label=f"{name}(z)")
    ax.plot(z, derivative, color="C1", linewidth=2, label=f"{name}'(z)")

    # Linear approximation: the tangent at the steepest point, kept inside the
    # range the function itself spans so it does not stretch the y axis.
    z0, f0, slope = z[peak], value[peak], derivative[peak]
    tangent = f0 + slope * (z - z0)
    inside = (tangent >= value.min()) & (tangent <= value.max())
    ax.plot(
        z[inside],
        tangent[inside],
        color="C2",
        linestyle="--",
        label=f"linear: {f0:.3g} + {slope:.3g}·z" if z0 == 0 else "tangent at the steepest point",
    )
    for level in asymptotes:
        ax.axhline(level, color="gray", linestyle=":", linewidth=1)

    # Saturating regions: the derivative is below a fraction of its peak.
    threshold = saturation * derivative[peak]
    low, high = float(min(value.min(), derivative.min())), float(value.max())
    for i, (first, last) in enumerate(_runs(derivative < threshold)):
        label = f"saturating: {name}' < {saturation:.0%} of its max" if i == 0 else None
        ax.axvspan(z[first], z[last], color="C3", alpha=0.12, label=label)
        ax.text(
            (z[first] + z[last]) / 2,
            low + 0.55 * (high - low),
            "saturating",
            ha="center",
            va="center",
            color="C3",
        )

    # Labels sit at fixed places of the axes, clear of the curves of a
    # sigmoid-shaped function: left of centre for "linear", right of it for the peak.
    ax.annotate(
        "linear",
        xy=(z0, f0),
        xytext=(0.3, 0.62),
        textcoords="axes fraction",
        arrowprops={"arrowstyle": "->", "color": "C2"},
        color="C2",
        ha="center",
        va="center",
    )
    ax.plot([z0], [slope], marker="o", color="C1")
    ax.annotate(
        f"max {name}' = {slope:.3g} at z = {z0:.3g}",
        xy=(z0, slope),
        xytext=(0.6, 0.42),
        textcoords="axes fraction",
        arrowprops={"arrowstyle": "->", "color": "C1"},
        color="C1",
        va="center",
    )
    ax.axvline(0, color="gray", linewidth=0.8)
    ax.set_xlim(z[0], z[-1])
    ax.set_xlabel("z")
    ax.set_ylabel(f"{name}(z) and {name}'(z)")
    ax.set_title(title or f"{name}: saturating tails, linear centre")
    ax.legend(fontsize="small", loc="upper left")
    return fig


def plot_linear_regime(
    q: Sequence[float],
    ratio: Sequence[float],
    *,
    lower: Sequence[float] | None = None,
    lower_label: str = "lower bound",
    points: Mapping[str, tuple[Sequence[float], Sequence[float]]] | None = None,
    name: str = "tanh",
    ax=None,
    title: str | None = None,
):
    """How far a layer is from the linear regime: ``E[f(z)^2] / q`` against ``q``.

    ``ratio`` is the theory on the grid ``q`` (positive, increasing; drawn on a
    log axis); 1 means the unit passes its input variance unchanged, as a linear
    one would. ``lower`` is an optional bound on the same grid (dashed).
    ``points`` maps a label to measured ``(q, ratio)`` per layer, drawn as
    markers numbered by layer.

    >>> import numpy as np
    >>> q = np.geomspace(1e-3, 1, 50)
    >>> fig = plot_linear_regime(q, 1 - q / 2, points={"run": ([0.5, 0.05], [0.75, 0.97])})
    >>> fig.axes[0].get_xscale(), len(fig.axes[0].get_legend().get_texts())
    ('log', 3)
    """
    q = real_array(q, "q", min_size=2)
    ratio = real_array(ratio, "ratio", min_size=2)
    _same_length(q, ratio, "q and ratio")
    if np.any(q <= 0) or np.any(np.diff(q) <= 0):
        raise ValueError("q must be positive and strictly increasing (it is drawn on a log axis)")

    if points is not None and not isinstance(points, Mapping):
        raise TypeError(f"points must map a label to (q, ratio), got {type(points).__name__}")
    if points is not None and not points:
        raise ValueError("points must be None (no measurements) or a non-empty mapping")
    series = {}
    for label, pair in (points or {}).items():
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"points[{label!r}] must be a pair (q, ratio)")
        pq = real_array(pair[0], f"points[{label!r}] q")
        pr = real_array(pair[1], f"points[{label!r}] ratio")
        _same_length(pq, pr, f"points[{label!r}] q and ratio")
        if np.any(pq <= 0):
            raise ValueError(f"points[{label!r}] q must be positive (log axis)")
        series[label] = (pq, pr)
    lowest = min([float(ratio.min())] + [float(pr.min()) for _, pr in series.values()])
    bottom = lowest - 0.1 * max(0.1, 1.0 - lowest)

    fig, ax = axes(ax)
    ax.plot(q, ratio, color="black", linewidth=2, label=f"theory: E[{name}(z)²] / q")
    if lower is not None:
        lower = real_array(lower, "lower", min_size=2)
        _same_length(q, lower, "q and lower")
        # A bound can dive far below the curve where it is useless; draw it
        # only where it stays above the lowest value shown.
        shown = lower >= bottom
        ax.plot(q[shown], lower[shown], color="gray", linestyle="--", label=lower_label)
    ax.axhline(1.0, color="gray", linestyle=":", linewidth=1, label="linear unit")
    colors = layer_colors(max(2, len(series)))[: len(series)]
    for i, ((label, (pq, pr)), color) in enumerate(zip(series.items(), colors, strict=True)):
        ax.plot(pq, pr, linestyle="none", marker="o", markersize=7, color=color, label=label)
        # Alternate series label their layers above / below, so they do not collide.
        offset = (4, 5) if i % 2 == 0 else (4, -12)
        for layer, (x, y) in enumerate(zip(pq, pr, strict=True), start=1):
            ax.annotate(str(layer), (x, y), xytext=offset, textcoords="offset points", fontsize=8)
    ax.set_xscale("log")
    ax.set_ylim(bottom, 1.0 + 0.1 * (1.0 - bottom))
    ax.set_xlabel("pre-activation variance q")
    ax.set_ylabel(f"E[{name}(z)²] / q")
    ax.set_title(title or f"{name}: how linear is a layer with input variance q?")
    ax.legend(fontsize="small", loc="lower left")
    ax.grid(True, which="major", alpha=0.3)
    return fig


def plot_saturation_over_training(
    steps: Sequence[int],
    fractions: Sequence,
    *,
    ax=None,
    title: str | None = None,
):
    """The fraction of saturated units in each hidden layer, step by step.

    ``steps`` are the recorded training steps and ``fractions`` the matching
    ``saturated_fraction`` of a :class:`initact.diagnostics.Recorder`: shape
    ``(steps, layers)`` for one run, or ``(runs, steps, layers)`` for several
    seeds, drawn as each layer's mean over the runs with a band from the
    lowest to the highest run. One colour per layer, darker going up; the
    y axis is always 0 to 1, so panels of different runs compare at a glance.

    >>> fig = plot_saturation_over_training([1, 6, 11], [[0.0, 0.5], [0.1, 0.6], [0.1, 0.7]])
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['layer 1', 'layer 2']
    >>> [float(y) for y in fig.axes[0].get_ylim()]
    [0.0, 1.0]
    """
    steps = _checks.real_array(steps, "steps", min_size=1)
    try:
        values = np.asarray(fractions)
    except ValueError as err:  # ragged nested lists
        raise ValueError(f"fractions must be a rectangular array of numbers: {err}") from None
    if values.dtype.kind not in "biuf":
        raise TypeError(f"fractions must hold numbers, got dtype {values.dtype}")
    if values.ndim == 2:
        values = values[None]
    if values.ndim != 3 or values.shape[2] == 0:
        raise ValueError(
            "fractions must have shape (steps, layers) or (runs, steps, layers), "
            f"got {values.shape}"
        )
    if values.shape[1] != steps.size:
        raise ValueError(
            f"steps and fractions must have the same number of steps, got {steps.size} "
            f"and {values.shape[1]}"
        )
    values = values.astype(np.float64)
    if not np.all((values >= 0) & (values <= 1)):
        raise ValueError("fractions must be fractions in [0, 1] (no NaN)")

    fig, ax = axes(ax)
    n_layers = values.shape[2]
    for layer, color in zip(range(n_layers), layer_colors(n_layers), strict=True):
        per_run = values[:, :, layer]
        ax.plot(steps, per_run.mean(axis=0), color=color, label=f"layer {layer + 1}")
        if len(per_run) > 1:
            ax.fill_between(steps, per_run.min(axis=0), per_run.max(axis=0), color=color, alpha=0.2)
    ax.set_ylim(0.0, 1.0)
    ax.set_xlabel("training step")
    ax.set_ylabel("fraction of units saturated")
    runs = f" (mean of {len(values)} runs, band: min to max)" if len(values) > 1 else ""
    ax.set_title(title or f"saturated units by layer{runs}")
    ax.legend(fontsize="small", ncols=2 if n_layers > 5 else 1)
    ax.grid(True, alpha=0.3)
    return fig
