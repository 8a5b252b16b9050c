"""The explorers' two-panel figures: the ``plot()`` of :mod:`initact.experiments`' results.

Each function draws into a figure you pass (cleared first, so an explorer can
redraw its one figure again and again) or into a new pyplot figure, so a
notebook cell can end with ``plt.show()`` as usual.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .. import _checks
from ..propagation import Propagation
from ._style import MAX_POINTS, check_figure, layer_colors, pyplot, real_array
from .propagation import plot_by_depth, plot_layer_histograms

__all__ = ["plot_dead_training", "plot_signal_by_depth"]

_FIGSIZE = (10.0, 4.0)


def _two_panels(fig):
    """Two side-by-side axes on ``fig`` (cleared, margins kept) or on a new pyplot figure."""
    check_figure(fig)
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
    if not isinstance(run, Propagation):
        raise TypeError(f"run must be an initact.propagation.Propagation, got {type(run).__name__}")
    # Theory of a network that explodes may overflow: inf is drawn as a gap, not refused.
    theory_q = real_array(theory_q, "theory_q", finite=False)
    theory_std = real_array(theory_std, "theory_std", finite=False)
    for name, values in (("theory_q", theory_q), ("theory_std", theory_std)):
        if values.shape != (run.depth,):
            raise ValueError(
                f"{name} must hold one value per layer ({run.depth}), got shape {values.shape}"
            )
        if np.any(values < 0):
            raise ValueError(f"{name} must be >= 0 (a second moment and a std)")
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
    recorded, at most 100,000); when fewer were recorded, training diverged and
    the figure says so.

    >>> fig = plot_dead_training([0, 1, 2], [[0, 0], [0, 0.5], [0, 0.9]], [0.5, 0.4], [0.6, 0.3])
    >>> left, right = fig.axes
    >>> [t.get_text() for t in left.get_legend().get_texts()]
    ['layer 1', 'layer 2']
    """
    epochs = real_array(epochs, "epochs")
    if np.any(epochs < 0) or np.any(epochs != np.round(epochs)):
        raise ValueError(f"epochs must be whole numbers >= 0, got {epochs.tolist()}")
    fractions = real_array(dead_fractions, "dead_fractions", ndim=2, finite=False)
    if fractions.shape[0] != epochs.shape[0]:
        raise ValueError(
            "dead_fractions must have one row per epoch and one column per layer, "
            f"got shape {fractions.shape} for {epochs.shape[0]} epochs"
        )
    # NaN (a value not measured) is let through; anything else outside [0, 1] is a mistake.
    curves = {"accuracy": accuracy, "val_accuracy": val_accuracy}
    for name, values in curves.items():
        # Empty is fine: a run that diverged in epoch 1 has no accuracy to show.
        curves[name] = real_array(values, name, min_size=0, finite=False)
    for name, values in (("dead_fractions", fractions), *curves.items()):
        if np.any((values < 0) | (values > 1)):
            raise ValueError(f"{name} must be fractions in [0, 1]")
    recorded = int(epochs.max())
    if n_epochs is None:
        n_epochs = recorded
    else:
        n_epochs = _checks.integer(
            n_epochs, "n_epochs", at_least=max(recorded, 1), at_most=MAX_POINTS
        )
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

    labels = {"accuracy": "training (running)", "val_accuracy": "validation"}
    for name, values in curves.items():
        label = labels[name]
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
