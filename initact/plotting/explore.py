"""The explorers' two-panel figures: the ``plot()`` of :mod:`initact.experiments`' results.

Each function draws into a figure you pass (cleared first, so an explorer can
redraw its one figure again and again) or into a new pyplot figure, so a
notebook cell can end with ``plt.show()`` as usual.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..propagation import Propagation
from ._style import layer_colors, pyplot
from .propagation import plot_by_depth, plot_layer_histograms

__all__ = ["plot_dead_training", "plot_signal_by_depth"]

_FIGSIZE = (10.0, 4.0)


def _two_panels(fig):
    """Two side-by-side axes on ``fig`` (cleared, margins kept) or on a new pyplot figure."""
    if fig is None:
        fig = pyplot().figure(figsize=_FIGSIZE, layout="constrained")
    elif fig.get_layout_engine() is None:
        # clear() resets the margins a caller chose with subplots_adjust; keep them.
        pars = fig.subplotpars
        margins = {k: getattr(pars, k) for k in ("left", "right", "bottom", "top", "wspace")}
        fig.clear()
        fig.subplots_adjust(**margins)
    else:
        fig.clear()
    return fig, fig.subplots(1, 2)


def plot_signal_by_depth(
    run: Propagation,
    theory_q: Sequence[float],
    theory_std: Sequence[float],
    *,
    fig=None,
    title: str | None = None,
):
    """Activation histograms by layer (left) and signal size by layer with its theory (right).

    The right panel shows two measured curves and their mean-field predictions
    (dashed): the pre-activation standard deviation ``sqrt(q)``, where ``q`` is
    the pre-activation second moment of :func:`initact.theory.propagate_variance`,
    and the standard deviation of the activations. ``theory_q`` and
    ``theory_std`` hold one value per layer, layer 1 first.

    >>> from initact.propagation import propagate
    >>> run = propagate("relu", "he_normal", depth=4, width=50, n_samples=50, rng=0)
    >>> fig = plot_signal_by_depth(run, [2.0] * 4, [0.83] * 4, title="He on ReLU")
    >>> left, right = fig.axes
    >>> [t.get_text() for t in right.get_legend().get_texts()]
    ['pre-activation std √q', 'activation std', 'mean-field theory']
    """
    theory_q = np.asarray(theory_q, dtype=np.float64)
    theory_std = np.asarray(theory_std, dtype=np.float64)
    for name, values in (("theory_q", theory_q), ("theory_std", theory_std)):
        if values.shape != (run.depth,):
            raise ValueError(
                f"{name} must hold one value per layer ({run.depth}), got shape {values.shape}"
            )
    fig, (left, right) = _two_panels(fig)
    plot_layer_histograms(
        run, "activation", ax=left, title="activations by layer", value_range=_data_range(run)
    )
    # The statistics of a run that overflowed are inf/NaN; the plot shows them as gaps.
    with np.errstate(invalid="ignore", over="ignore"):
        measured = {
            "pre-activation std √q": np.sqrt(run.pre_activation_variance()),
            "activation std": run.std(),
        }
    theory = {
        "pre-activation std √q": np.sqrt(theory_q),
        "activation std": theory_std,
    }
    plot_by_depth(measured, theory=theory, ylabel="standard deviation (log scale)", ax=right)
    # One legend entry per measured curve, and one saying what the dashed lines are.
    handles = right.get_lines()[: len(measured)]
    dashed = right.plot([], [], color="gray", linestyle="--", label="mean-field theory")[0]
    right.legend(handles=[*handles, dashed], fontsize="small")
    _at_least_a_factor(right, 4.0, [*measured.values(), *theory.values()])
    right.set_title("signal size by layer")
    if title:
        fig.suptitle(title)
    return fig


def _data_range(run: Propagation) -> tuple[float, float] | None:
    """From the smallest to the largest activation: no empty half for ReLU's outputs."""
    low = min(float(np.min(a)) for a in run.activations)
    high = max(float(np.max(a)) for a in run.activations)
    if not (np.isfinite(low) and np.isfinite(high)):
        return None  # let the histogram choose (it reports what it cannot bin)
    if low == high:
        return (low - 1.0, high + 1.0)
    return (low, high)


def _at_least_a_factor(ax, factor: float, arrays) -> None:
    """Widen a log axis to span at least ``factor``, so noise on a flat line looks small."""
    values = np.concatenate([np.ravel(a) for a in arrays])
    values = values[np.isfinite(values) & (values > 0)]
    if values.size == 0:
        return
    low, high = float(values.min()), float(values.max())
    if high / low < factor:
        middle = np.sqrt(low * high)
        ax.set_ylim(middle / np.sqrt(factor), middle * np.sqrt(factor))


def plot_dead_training(
    epochs: Sequence[int],
    dead_fractions: Sequence[Sequence[float]],
    accuracy: Sequence[float],
    val_accuracy: Sequence[float] = (),
    *,
    n_epochs: int | None = None,
    fig=None,
    title: str | None = None,
):
    """Dead units per hidden layer over training (left) and accuracy per epoch (right).

    ``epochs`` and ``dead_fractions`` (one row per epoch, one column per hidden
    layer) are a :class:`initact.diagnostics.DeadChart`'s ``epochs`` and
    ``fractions``, epoch 0 being the initialization. ``accuracy`` and
    ``val_accuracy`` are a :class:`initact.nn.History`'s, for epochs 1, 2, ...
    ``n_epochs`` is the number of epochs asked for (default: as many as
    recorded); when fewer were recorded, training diverged and the figure says so.

    >>> fig = plot_dead_training([0, 1, 2], [[0, 0], [0, 0.5], [0, 0.9]], [0.5, 0.4], [0.6, 0.3])
    >>> left, right = fig.axes
    >>> [t.get_text() for t in left.get_legend().get_texts()]
    ['layer 1', 'layer 2']
    """
    epochs = np.asarray(epochs)
    fractions = np.asarray(dead_fractions, dtype=np.float64)
    if fractions.ndim != 2 or fractions.shape[0] != epochs.shape[0]:
        raise ValueError(
            "dead_fractions must have one row per epoch and one column per layer, "
            f"got shape {fractions.shape} for {epochs.shape[0]} epochs"
        )
    recorded = int(epochs.max()) if epochs.size else 0
    n_epochs = recorded if n_epochs is None else int(n_epochs)
    fig, (left, right) = _two_panels(fig)
    n_layers = fractions.shape[1]
    for layer, color in zip(range(n_layers), layer_colors(n_layers), strict=True):
        left.plot(epochs, fractions[:, layer], marker="o", color=color, label=f"layer {layer + 1}")
    left.set_ylim(-0.03, 1.03)
    left.set_xlim(-0.3, n_epochs + 0.3)
    left.xaxis.get_major_locator().set_params(integer=True)
    left.set_xlabel("epoch (0 = at initialization)")
    left.set_ylabel("fraction of dead units")
    left.set_title("dead units per hidden layer")
    left.legend(fontsize="small")
    left.grid(True, alpha=0.3)

    for values, label in ((accuracy, "training (running)"), (val_accuracy, "validation")):
        values = np.asarray(values, dtype=np.float64)
        if values.size:
            right.plot(np.arange(1, values.size + 1), values, marker="o", label=label)
    right.axhline(0.1, color="gray", linestyle=":", label="chance (10 classes)")
    right.set_ylim(0.0, 1.02)
    right.set_xlim(left.get_xlim())
    right.set_xlabel("epoch")
    right.set_ylabel("accuracy")
    right.xaxis.get_major_locator().set_params(integer=True)
    if recorded < n_epochs:
        message = f"training diverged in epoch {recorded + 1}:\nthe loss became NaN or infinite"
        right.text(
            0.5, 0.75, message, transform=right.transAxes, ha="center", va="center",
            color="firebrick",
        )  # fmt: skip
    right.set_title("accuracy per epoch")
    right.legend(fontsize="small", loc="center right")
    right.grid(True, alpha=0.3)
    if title:
        fig.suptitle(title)
    return fig
