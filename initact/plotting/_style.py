"""Shared plumbing for the plotting modules: lazy matplotlib, argument checks, axes, colours."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping

import numpy as np

from .. import _checks

# No figure shows more points, bins or epochs than this: a larger count is a
# mistake (often a misplaced argument) and would only exhaust the memory.
MAX_POINTS = 100_000


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
    """Return ``(fig, ax)``: the given axes and their figure, or a new figure.

    >>> axes("ax")
    Traceback (most recent call last):
    ...
    TypeError: ax must be a matplotlib Axes or None, got 'ax' (str)
    """
    if ax is not None:
        pyplot()  # a clear error if matplotlib is missing
        from matplotlib.axes import Axes

        if not isinstance(ax, Axes):
            raise TypeError(
                f"ax must be a matplotlib Axes or None, got {ax!r} ({type(ax).__name__})"
            )
        return ax.figure, ax
    fig, ax = pyplot().subplots(figsize=figsize, layout="constrained")
    return fig, ax


def check_figure(fig) -> None:
    """A TypeError unless ``fig`` is a matplotlib Figure or None.

    >>> check_figure(3)
    Traceback (most recent call last):
    ...
    TypeError: fig must be a matplotlib Figure or None, got 3 (int)
    """
    if fig is None:
        return
    pyplot()
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(
            f"fig must be a matplotlib Figure or None, got {fig!r} ({type(fig).__name__})"
        )


def non_empty_mapping(data: object, name: str) -> Mapping:
    """``data`` if it is a non-empty mapping (label -> data); else a TypeError naming ``name``.

    >>> non_empty_mapping([1.0], "series")
    Traceback (most recent call last):
    ...
    TypeError: series must be a non-empty mapping of label -> values, got [1.0] (list)
    """
    if not isinstance(data, Mapping) or not data:
        raise TypeError(
            f"{name} must be a non-empty mapping of label -> values, "
            f"got {data!r} ({type(data).__name__})"
        )
    return data


def real_array(
    values: object, name: str, *, ndim: int = 1, min_size: int = 1, finite: bool = True
) -> np.ndarray:
    """:func:`initact._checks.real_array`, in plain words for ragged lists and ``min_size=0``.

    >>> real_array([[1.0, 2.0], [3.0]], "fractions", ndim=2)
    Traceback (most recent call last):
    ...
    TypeError: fractions must be a rectangular array of real numbers, got rows of different lengths
    >>> real_array(3, "accuracy", min_size=0)
    Traceback (most recent call last):
    ...
    ValueError: accuracy must be 1-D, got shape ()
    """
    try:
        array = np.asarray(values)
    except ValueError:  # ragged nested lists; NumPy's message names no parameter
        raise TypeError(
            f"{name} must be a rectangular array of real numbers, got rows of different lengths"
        ) from None
    if min_size == 0 and array.dtype.kind in "biuf" and array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {array.shape}")
    return _checks.real_array(array, name, ndim=ndim, min_size=min_size, finite=finite)


def value_range(value: object, name: str) -> tuple[float, float]:
    """``value`` as ``(low, high)``: two finite numbers with ``low < high``.

    A TypeError for anything but two real numbers, a ValueError for the wrong
    count or order.

    >>> value_range((-1, 1), "z_range")
    (-1.0, 1.0)
    >>> value_range((1.0, -1.0), "z_range")
    Traceback (most recent call last):
    ...
    ValueError: z_range must be two finite numbers (low, high) with low < high, got (1.0, -1.0)
    """
    accepted = f"{name} must be two finite numbers (low, high) with low < high, got {value!r}"
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(accepted)
    try:
        pair = tuple(value)
    except TypeError:  # a 0-d array
        raise TypeError(accepted) from None
    if not all(isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_)) for v in pair):
        raise TypeError(accepted)
    if len(pair) != 2 or not all(math.isfinite(v) for v in pair) or not pair[0] < pair[1]:
        raise ValueError(accepted)
    return float(pair[0]), float(pair[1])


def names(values: object, name: str) -> list[str]:
    """``values`` as a list of strings (legend or tick labels); else a TypeError.

    >>> names(["a", "b"], "labels")
    ['a', 'b']
    >>> names([["a"]], "labels")
    Traceback (most recent call last):
    ...
    TypeError: labels must be a sequence of strings, got [['a']]
    """
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"{name} must be a sequence of strings, got {values!r}")
    try:
        values = list(values)
    except TypeError:  # a 0-d array
        raise TypeError(f"{name} must be a sequence of strings, got {values!r}") from None
    if not all(isinstance(v, str) for v in values):
        raise TypeError(f"{name} must be a sequence of strings, got {values!r}")
    return values


def layer_colors(n: int):
    """``n`` colours from light to dark, so deeper layers read as darker lines."""
    cmap = pyplot().get_cmap("viridis")
    return [cmap(0.9 - 0.8 * i / max(1, n - 1)) for i in range(n)]
