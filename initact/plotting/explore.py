"""The explorers' figures: the ``plot()`` of :mod:`initact.experiments`' results.

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

__all__ = [
    "plot_dead_training",
    "plot_forward_backward",
    "plot_signal_by_depth",
    "plot_training_run",
]

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


# --------------------------------------------------------------------------- forward and backward

_WIDE = (13.0, 4.2)


def _panels(fig, n: int, figsize=_WIDE):
    """``n`` side-by-side axes on ``fig`` (cleared, margins kept) or on a new pyplot figure."""
    if fig is None:
        fig = pyplot().figure(figsize=figsize, layout="constrained")
    elif fig.get_layout_engine() is None:
        pars = fig.subplotpars
        margins = {k: getattr(pars, k) for k in ("left", "right", "bottom", "top", "wspace")}
        fig.clear()
        fig.subplots_adjust(**margins)
    else:
        fig.clear()
    return fig, fig.subplots(1, n)


def _reused_panels(fig):
    """The three panels of ``plot_forward_backward``, emptied but kept when ``fig`` has them.

    An explorer redraws the same figure at every move. Keeping its axes (and their tick
    objects) and removing only what was drawn saves half the time a redraw costs.
    """
    axes = getattr(fig, "_initact_forward_backward", None)
    if fig is None or axes is None or list(fig.axes) != list(axes):
        fig, axes = _panels(fig, 3)
        if fig.get_layout_engine() is None:  # a figure of one's own (not pyplot's): reuse it
            fig._initact_forward_backward = tuple(axes)
        return fig, axes
    for ax in axes:
        for artist in [*ax.lines, *ax.texts]:
            artist.remove()
        if ax.get_legend() is not None:
            ax.get_legend().remove()
        ax.relim()
        ax.set_autoscale_on(True)
    fig.suptitle("")
    return fig, axes


def _finite_positive(values) -> np.ndarray:
    """The values, with what a log axis cannot show (0, inf, NaN) turned into gaps."""
    values = np.array(values, dtype=np.float64)
    values[~(np.isfinite(values) & (values > 0))] = np.nan
    return values


def plot_forward_backward(
    run: Propagation,
    theory_q: Sequence[float],
    theory_std: Sequence[float],
    theory_grad_var: Sequence[float],
    *,
    fig=None,
    title: str | None = None,
):
    """A deep random network forward and backward, layer by layer, against the mean field.

    Three panels: the activations' histograms for up to six layers (exact
    zeros left out and counted in the legend, so ReLU's point mass at 0 hides
    no layer); the forward signal by layer, pre-activation std ``sqrt(q)`` and
    activation std; the backward gradient dLoss/dz by layer. Solid lines with
    dots are measured, dashed lines of the same colour are the mean-field
    predictions (``theory_q``, ``theory_std``, ``theory_grad_var``: one value
    per layer, layer 1 first). ``run`` needs its gradients (``backward=True``).

    >>> from initact.propagation import propagate
    >>> run = propagate("relu", "he_normal", depth=4, width=50, n_samples=50, rng=0)
    >>> fig = plot_forward_backward(run, [2.0] * 4, [0.83] * 4, [0.5] * 4, title="He on ReLU")
    >>> [ax.get_title() for ax in fig.axes]
    ['activations by layer', 'forward: signal size', 'backward: gradient size']
    """
    if not isinstance(run, Propagation):
        raise TypeError(f"run must be an initact.propagation.Propagation, got {type(run).__name__}")
    if run.gradients is None:
        raise ValueError("run has no gradients: call propagate(..., backward=True)")
    theory = {}
    for name, values in (
        ("theory_q", theory_q), ("theory_std", theory_std), ("theory_grad_var", theory_grad_var)
    ):  # fmt: skip
        values = np.asarray(values, dtype=np.float64)
        if values.shape != (run.depth,):
            raise ValueError(
                f"{name} must hold one value per layer ({run.depth}), got shape {values.shape}"
            )
        theory[name] = values
    fig, (hist, forward, backward) = _reused_panels(fig)
    layers_axis = np.arange(1, run.depth + 1)

    # Histograms: a few layers, from the first to the last, nonzero values only.
    layers = sorted(set(np.linspace(1, run.depth, min(run.depth, 6)).round().astype(int)))
    chosen = [run.activations[layer - 1] for layer in layers]
    nonzero = [a[(a != 0) & np.isfinite(a)] for a in chosen]
    pooled = np.concatenate(nonzero) if any(v.size for v in nonzero) else np.zeros(0)
    if pooled.size:
        low, high = np.quantile(pooled, [0.002, 0.998])
        if not low < high:
            low, high = low - 1.0, high + 1.0
        edges = np.linspace(low, high, 61)
        centers = (edges[:-1] + edges[1:]) / 2
    for layer, a, values, color in zip(
        layers, chosen, nonzero, layer_colors(len(layers)), strict=True
    ):
        zeros = float(np.mean(a == 0))
        label = f"layer {layer}" + (f" ({zeros:.0%} zeros)" if zeros >= 0.005 else "")
        if values.size and pooled.size:
            counts, _ = np.histogram(np.clip(values, low, high), bins=edges)
            hist.plot(centers, counts / a.size, color=color, label=label)
        else:
            hist.plot([], [], color=color, label=label + ": none left")
    hist.set_xlabel("activation value")
    hist.set_ylabel("share of the layer's activations")
    # Titles at a fixed height (y=1): matplotlib then skips measuring every tick label to
    # place them, a third of the time a redraw of the explorer costs.
    hist.set_title("activations by layer", y=1.0)
    hist.legend(fontsize="small", title="exact zeros left out", title_fontsize="small")

    with np.errstate(invalid="ignore", over="ignore"):
        pre = np.sqrt(run.pre_activation_variance())
        post = run.std()
        grad = run.gradient_std()
    for ax, series in (
        (forward, [("pre-activation std √q", pre, np.sqrt(theory["theory_q"])),
                   ("activation std", post, theory["theory_std"])]),
        (backward, [("gradient std (dLoss/dz)", grad, np.sqrt(theory["theory_grad_var"]))]),
    ):  # fmt: skip
        for k, (label, measured, predicted) in enumerate(series):
            # explicit colours: a reused axes' colour cycle would go on from the last redraw
            (line,) = ax.plot(
                layers_axis, _finite_positive(measured), marker=".", label=label, color=f"C{k}"
            )
            ax.plot(layers_axis, _finite_positive(predicted), linestyle="--",
                    color=line.get_color())  # fmt: skip
        ax.plot([], [], color="gray", linestyle="--", label="mean-field theory")
        ax.set_yscale("log")
        # Plain numbers on the log axis ("0.5", not 5x10^-1): easier to read, and no
        # mathtext to typeset at every redraw of the explorer.
        ax.yaxis.set_major_locator(_log_ticks())
        ax.yaxis.set_minor_locator(pyplot().NullLocator())
        ax.yaxis.set_major_formatter(_plain_numbers())
        ax.set_xlabel("layer")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize="small")
        values = [v for _, m, p in series for v in (m, p)]
        _at_least_a_factor(ax, 4.0, [_finite_positive(v) for v in values])
    forward.set_ylabel("standard deviation (log scale)")
    forward.set_title("forward: signal size", y=1.0)
    backward.set_title("backward: gradient size", y=1.0)
    if title:
        fig.suptitle(title)
    return fig


def _plain_numbers():
    """A log axis's tick labels as plain numbers (3 significant digits)."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _position: f"{value:.3g}")


def _log_ticks():
    """Major ticks at 1, 2, 5 x 10^k on a log axis up to 100 wide, at powers of 10 beyond.

    Used with no minor ticks: every axis is at least 4 wide (``_at_least_a_factor``), so
    it gets two labels or more, and a redraw creates few tick objects (fast explorers).
    """
    from matplotlib.ticker import LogLocator

    class OneTwoFive(LogLocator):
        def tick_values(self, vmin, vmax):
            wide = vmin > 0 and vmax / vmin > 100
            self.set_params(subs=(1.0,) if wide else (1.0, 2.0, 5.0))
            return super().tick_values(vmin, vmax)

    return OneTwoFive(base=10.0)


# --------------------------------------------------------------------------- training


def plot_training_run(run, *, fig=None, upto: int | None = None):
    """Loss and accuracy, dead and saturated fractions per hidden layer, by epoch.

    ``run`` is an :class:`initact.experiments.TrainingExperiment`. Left: the
    training loss (log scale, with ln 10, a guess among 10 classes, dotted) and
    the validation accuracy on a second axis. Middle: the fraction of dead units
    per layer. Right: the fraction of saturated activations per layer (empty,
    with a note, for an unbounded activation). ``upto`` draws epochs 0..upto
    only, on the axes of the whole run, so frames of one run line up.

    >>> from initact.experiments import training_experiment
    >>> run = training_experiment("tanh", "glorot_uniform", depth=2, width=16, epochs=2)
    >>> fig = plot_training_run(run, upto=1)
    >>> [ax.get_title() for ax in fig.axes[:3]]
    ['loss and accuracy', 'dead units', 'saturated activations']
    """
    from ..experiments import SATURATION, TrainingExperiment

    if not isinstance(run, TrainingExperiment):
        raise TypeError(
            f"run must be an initact.experiments.TrainingExperiment, got {type(run).__name__}"
        )
    last = int(run.epochs[-1])
    if upto is not None:
        if isinstance(upto, bool) or not isinstance(upto, (int, np.integer)) or upto < 0:
            raise ValueError(f"upto must be an epoch number >= 0 or None, got {upto!r}")
    shown = run.epochs <= (last if upto is None else upto)
    epochs = run.epochs[shown]
    fig, (loss_ax, dead_ax, sat_ax) = _panels(fig, 3)
    xlim = (-0.3, run.n_epochs + 0.3)

    loss = _finite_positive(run.loss)
    loss_ax.plot(epochs, loss[shown], marker="o", color="C0", label="training loss")
    loss_ax.axhline(np.log(10), color="gray", linestyle=":", label="ln 10 (a guess)")
    loss_ax.set_yscale("log")
    finite = loss[np.isfinite(loss)]
    if finite.size:
        loss_ax.set_ylim(min(finite.min(), 1.0) / 1.5, max(finite.max(), np.log(10)) * 1.5)
    loss_ax.set_ylabel("cross-entropy (log scale)", color="C0")
    acc_ax = loss_ax.twinx()
    acc_ax.plot(epochs, run.val_accuracy[shown], marker="s", color="C1",
                label="validation accuracy")  # fmt: skip
    acc_ax.set_ylim(0.0, 1.02)
    # No label on the right axis (the legend names it, its ticks share its colour): a label
    # there would run into the next panel's.
    acc_ax.tick_params(axis="y", colors="C1")
    handles = loss_ax.get_lines() + acc_ax.get_lines()
    loss_ax.legend(handles=handles, fontsize="small", loc="center right")
    loss_ax.set_title("loss and accuracy")

    colors = layer_colors(run.depth)
    for ax, values, ylabel in (
        (dead_ax, run.dead_fractions, "fraction of dead units"),
        (sat_ax, run.saturated_fractions, f"fraction saturated (beyond {SATURATION})"),
    ):
        for layer in range(run.depth):
            ax.plot(epochs, values[shown, layer], marker=".", color=colors[layer],
                    label=f"layer {layer + 1}")  # fmt: skip
        ax.set_ylim(-0.03, 1.03)
        ax.set_ylabel(ylabel)
    dead_ax.set_title("dead units")
    dead_ax.legend(fontsize="small", ncol=2, loc="upper left")
    sat_ax.set_title("saturated activations")
    if np.isnan(run.saturated_fractions).all():
        sat_ax.text(0.5, 0.5, f"{run.activation_name} is unbounded:\nit cannot saturate",
                    transform=sat_ax.transAxes, ha="center", va="center", color="gray")  # fmt: skip
    for ax in (loss_ax, dead_ax, sat_ax):
        ax.set_xlim(xlim)
        ax.set_xlabel("epoch (0 = at initialization)")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(True, alpha=0.3)
    if run.diverged and (upto is None or upto >= last):
        dead_ax.text(0.5, 0.5, f"training diverged after epoch {last}", color="firebrick",
                     transform=dead_ax.transAxes, ha="center")  # fmt: skip
    fig.suptitle(
        run.title
        if upto is None
        else run.title.replace(f"epoch {last}/", f"epoch {min(upto, last)}/")
    )
    return fig
