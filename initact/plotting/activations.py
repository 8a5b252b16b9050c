"""Figures of the rectifier family: the functions, their derivatives, and what training did.

Used by the chapter "The leaky variants compared": the book's Figure 11-2
(leaky ReLU with its leak) and Figure 11-3 (ELU and SELU), RReLU's random
slopes, the spread of a result over seeds, PReLU's learned slopes, and SELU's
per-layer mean and standard deviation through a deep stack. Every function
takes data already computed, draws it, and returns the figure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from .. import _checks
from ..activations import Activation, RReLU, get_activation
from ._style import MAX_POINTS, axes, layer_colors, pyplot, real_array, value_range

__all__ = [
    "plot_activations",
    "plot_leaky_relu",
    "plot_rrelu_samples",
    "plot_seed_curves",
    "plot_seed_spread",
    "plot_self_normalization",
    "plot_slopes",
]


# --------------------------------------------------------------------------- checks


def _non_empty(mapping: object, name: str) -> Mapping:
    if not isinstance(mapping, Mapping):
        raise TypeError(
            f"{name} must be a mapping from label to data, got {type(mapping).__name__}"
        )
    if not mapping:
        raise ValueError(f"{name} must not be empty")
    return mapping


def _activation(act: object, label: object) -> Activation:
    """``get_activation(act)``, its error prefixed with the entry of ``activations`` at fault."""
    try:
        return get_activation(act)
    except TypeError as err:
        raise TypeError(f"activations[{label!r}]: {err}") from None
    except ValueError as err:
        raise ValueError(f"activations[{label!r}]: {err}") from None


# --------------------------------------------------------------------------- curves


def _break_at_kinks(x: np.ndarray, y: np.ndarray, kinks: Sequence[float]):
    """Insert a NaN where ``x`` crosses a kink, so a jump is not drawn as a vertical line."""
    for kink in sorted(kinks, reverse=True):
        index = int(np.searchsorted(x, kink, side="right"))
        if 0 < index < len(x):
            x = np.insert(x, index, np.nan)
            y = np.insert(y, index, np.nan)
    return x, y


def _rrelu_slope_range(act: RReLU) -> tuple[float, float]:
    """Smallest and largest negative slope an RReLU draws while training."""
    if act.form == "slope":
        return act.lower, act.upper
    return 1.0 / act.upper, 1.0 / act.lower


def plot_activations(
    activations: Mapping[str, str | Activation],
    *,
    z_range: tuple[float, float] = (-4.0, 4.0),
    points: int = 801,
    derivative: bool = True,
    title: str | None = None,
):
    """Activation functions (left) and their derivatives (right), one line each.

    ``activations`` maps a legend label to a name or an :class:`Activation`.
    Each is drawn as the deterministic function: an RReLU at its test-time
    slope, with the range of slopes it draws while training shaded. The
    derivative is broken at the kinks instead of joined by a vertical line.
    With ``derivative=False`` only the left panel is drawn. ``points`` (at most
    100,000) is the number of grid points across ``z_range``.

    >>> from initact.activations import ELU, SELU
    >>> fig = plot_activations({"ELU": ELU(), "SELU": SELU()})
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['f(z)', "f'(z)"]
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['ELU', 'SELU']
    """
    activations = _non_empty(activations, "activations")
    low, high = value_range(z_range, "z_range")
    points = _checks.integer(points, "points", at_least=2, at_most=MAX_POINTS)
    derivative = _checks.flag(derivative, "derivative")
    resolved = {str(label): _activation(act, label) for label, act in activations.items()}

    plt = pyplot()
    ncols = 2 if derivative else 1
    fig, axs = plt.subplots(1, ncols, figsize=(10, 4) if derivative else (6.4, 4), squeeze=False)
    fig.set_layout_engine("constrained")
    ax_f = axs[0, 0]
    ax_d = axs[0, 1] if derivative else None
    z = np.linspace(low, high, points)
    negative = z[z <= 0]
    for label, act in resolved.items():
        (line,) = ax_f.plot(z, act(z), label=label)
        color = line.get_color()
        if ax_d is not None:
            zd, dd = _break_at_kinks(z, act.derivative(z), act.kinks)
            ax_d.plot(zd, dd, color=color, label=label)
        if isinstance(act, RReLU) and negative.size:
            small, large = _rrelu_slope_range(act)
            band = f"{label}: slopes drawn in training"
            ax_f.fill_between(
                negative, small * negative, large * negative, color=color, alpha=0.2, label=band
            )
            if ax_d is not None:
                ax_d.fill_between(negative, small, large, color=color, alpha=0.2, label=band)
    panels = [(ax_f, "f(z)", title or "activation functions")]
    if ax_d is not None:
        panels.append((ax_d, "f'(z)", "their derivatives"))
    for ax, ylabel, panel_title in panels:
        ax.axhline(0, color="black", linewidth=0.8)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_xlabel("z")
        ax.set_ylabel(ylabel)
        ax.set_title(panel_title)
        ax.grid(True, alpha=0.3)
    # One legend: the derivative panel uses the same colours, and a second legend
    # there would cover the f'(z) = 1 lines.
    ax_f.legend(fontsize="small", loc="upper left")
    return fig


def plot_leaky_relu(
    alphas: Sequence[float] = (0.2,),
    *,
    z_range: tuple[float, float] = (-5.0, 5.0),
    ax=None,
    title: str | None = None,
):
    """The book's Figure 11-2: leaky ReLU ``max(alpha z, z)`` with its leak annotated.

    One line per slope in ``alphas``; an arrow labels the leak of each line,
    the small slope it keeps for negative inputs.

    >>> fig = plot_leaky_relu((0.01, 0.2))
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['LeakyReLU, α = 0.01', 'LeakyReLU, α = 0.2']
    """
    alphas = real_array(alphas, "alphas")
    if np.any(alphas < 0):
        raise ValueError(f"alphas must be >= 0 (the slope for z < 0), got {alphas.tolist()}")
    low, high = value_range(z_range, "z_range")
    fig, ax = axes(ax)
    z = np.linspace(low, high, 401)
    ordered = np.sort(alphas)
    gap = 0.08 * (high - low)  # distance from a line to its label, in data units
    lowest_label = math.inf
    for alpha in alphas:
        act = get_activation("leaky_relu", alpha=float(alpha))
        (line,) = ax.plot(z, act(z), linewidth=2, label=f"LeakyReLU, α = {alpha:g}")
        if low < 0:
            # The flattest line is labelled above, every steeper one below, so no
            # label or arrow crosses another line.
            above = alpha == ordered[0]
            tip = 0.75 * low
            text_y = alpha * tip + (gap if above else -gap)
            lowest_label = min(lowest_label, text_y)
            ax.annotate(
                f"leak: slope {alpha:g}",
                xy=(tip, alpha * tip),
                xytext=(0.45 * low, text_y),
                arrowprops={"arrowstyle": "->", "color": line.get_color()},
                color=line.get_color(),
                ha="center",
                va="bottom" if above else "top",
            )
    if lowest_label < ordered[-1] * low:  # a label sits below every line: make room
        ax.set_ylim(bottom=lowest_label - gap)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("z")
    ax.set_ylabel("LeakyReLU(z)")
    ax.set_title(title or "Leaky ReLU: a small slope for negative inputs (Figure 11-2)")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left")
    return fig


def plot_rrelu_samples(
    z: Sequence[float],
    outputs: Sequence[float],
    *,
    eval_slope: float,
    ax=None,
    title: str | None = None,
):
    """RReLU in training mode (dots, one random slope each) against its test-time line.

    ``z`` are inputs and ``outputs`` what a training-mode RReLU returned for
    them (``leaky_relu(z, act.sample_slopes(z.shape, rng))``); ``eval_slope`` is the
    fixed slope it uses at test time.

    >>> import numpy as np
    >>> from initact.activations import RReLU, leaky_relu
    >>> act = RReLU.from_divisor()
    >>> z = np.linspace(-3, 3, 50)
    >>> training = leaky_relu(z, act.sample_slopes(z.shape, rng=0))
    >>> fig = plot_rrelu_samples(z, training, eval_slope=act.eval_slope)
    >>> fig.axes[0].get_xlabel()
    'z'
    """
    z = real_array(z, "z")
    outputs = real_array(outputs, "outputs")
    if z.shape != outputs.shape:
        raise ValueError(
            f"z and outputs must have the same length, got {z.size} and {len(outputs)}"
        )
    eval_slope = _checks.real(eval_slope, "eval_slope")
    fig, ax = axes(ax)
    ax.scatter(z, outputs, s=6, alpha=0.5, label="training: a random slope per element")
    line = np.array([z.min(), 0.0, max(z.max(), 0.0)])
    ax.plot(
        line,
        np.where(line > 0, line, eval_slope * line),
        color="black",
        label=f"test: fixed slope {eval_slope:.3f}",
    )
    ax.axhline(0, color="black", linewidth=0.8)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("z")
    ax.set_ylabel("RReLU(z)")
    ax.set_title(title or "RReLU: random slopes in training, one slope at test")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left")
    return fig


# --------------------------------------------------------------------------- results


def plot_seed_spread(
    values: Mapping[str, Sequence[float]],
    *,
    ylabel: str = "test accuracy",
    ax=None,
    title: str | None = None,
):
    """One column per variant: a dot per seed, the mean and ±1 standard deviation.

    ``values`` maps a variant's label to one number per seed, every variant
    with the same seeds in the same order. Thin grey lines join each seed's
    dots across variants, so a seed that is good for every variant shows as a
    line high throughout. The error bar is the sample standard deviation
    (``ddof=1``; none with a single seed).

    >>> fig = plot_seed_spread({"relu": [0.95, 0.96, 0.97], "elu": [0.96, 0.96, 0.98]})
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['relu', 'elu']
    """
    values = _non_empty(values, "values")
    rows = [real_array(v, f"values[{label!r}]") for label, v in values.items()]
    n_seeds = rows[0].size
    if any(row.size != n_seeds for row in rows):
        sizes = {label: len(v) for label, v in values.items()}
        raise ValueError(f"every variant needs the same number of seeds, got {sizes}")
    data = np.stack(rows)  # (variants, seeds)
    fig, ax = axes(ax, figsize=(8.0, 4.0))
    positions = np.arange(len(rows))
    offsets = np.linspace(-0.15, 0.15, n_seeds) if n_seeds > 1 else np.zeros(1)
    colors = layer_colors(n_seeds)
    for seed in range(n_seeds):
        x = positions + offsets[seed]
        ax.plot(x, data[:, seed], color="grey", linewidth=0.6, alpha=0.5)
        ax.scatter(x, data[:, seed], color=colors[seed], s=18, zorder=3, label=f"seed {seed}")
    means = data.mean(axis=1)
    spread = data.std(axis=1, ddof=1) if n_seeds > 1 else np.zeros(len(rows))
    ax.errorbar(
        positions + 0.3,
        means,
        yerr=spread,
        fmt="D",
        color="black",
        capsize=4,
        zorder=4,
        label="mean ± 1 std",
    )
    ax.set_xticks(positions, [str(label) for label in values])
    ax.set_xlabel("variant")
    ax.set_ylabel(ylabel)
    ax.set_title(title or f"{ylabel} over {n_seeds} seeds")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


def plot_slopes(
    slopes: object,
    *,
    initial: float | None = None,
    ax=None,
    title: str | None = None,
):
    """PReLU's learned slope per layer over training: the mean over runs, and their range.

    ``slopes`` has shape ``(runs, points, layers)`` (or ``(points, layers)`` for
    one run), point 0 being the slope before training and point k the slope
    after epoch k. ``initial`` draws a dotted reference line (PReLU starts at 0.25).

    >>> import numpy as np
    >>> s = np.array([[[0.25, 0.25], [0.5, 0.2], [0.6, 0.1]]])
    >>> fig = plot_slopes(s, initial=0.25)
    >>> fig.axes[0].get_xlabel()
    'epoch'
    """
    try:
        array = np.asarray(slopes)
    except ValueError:  # ragged nested lists
        raise TypeError(
            "slopes must be an array of shape (runs, points, layers) or (points, layers), "
            "got rows of different lengths"
        ) from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"slopes must hold real numbers, got dtype {array.dtype}")
    if array.ndim == 2:
        array = array[None]
    if array.ndim != 3 or 0 in array.shape:
        raise ValueError(
            "slopes must have shape (runs, points, layers) or (points, layers), "
            f"got {np.shape(slopes)}"
        )
    array = array.astype(np.float64)
    if not np.all(np.isfinite(array)):
        raise ValueError("slopes contains NaN or infinite values")
    if initial is not None:
        initial = _checks.real(initial, "initial")
    runs, points, layers = array.shape
    fig, ax = axes(ax, figsize=(8.0, 4.0))
    epochs = np.arange(points)
    for layer in range(layers):
        color = f"C{layer % 10}"
        values = array[:, :, layer]
        label = f"layer {layer + 1}" + (f" (mean of {runs} runs)" if runs > 1 else "")
        ax.plot(epochs, values.mean(axis=0), marker="o", color=color, label=label)
        if runs > 1:
            low, high = values.min(axis=0), values.max(axis=0)
            band = f"layer {layer + 1}: range over runs"
            ax.fill_between(epochs, low, high, color=color, alpha=0.2, label=band)
    if initial is not None:
        ax.axhline(initial, color="black", linestyle=":", label=f"initial {initial:g}")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlabel("epoch")
    ax.set_ylabel("negative slope α")
    ax.set_title(title or "PReLU: the slope each layer learned")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


def plot_self_normalization(
    runs: Mapping[str, tuple[Sequence[float], Sequence[float]]],
    *,
    log: bool = False,
    title: str | None = None,
):
    """Per-layer mean (left) and standard deviation (right) of the activations.

    ``runs`` maps a label to ``(means, stds)``, one value per layer, layer 1
    first. Dashed lines mark SELU's fixed point, mean 0 and std 1. With
    ``log=True`` the std axis is logarithmic and the mean axis symmetric-log
    (linear within ±1), for runs that explode.

    >>> fig = plot_self_normalization({"lecun": ([0.0, 0.01], [1.0, 0.98])})
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['mean of the activations', 'std of the activations']
    """
    runs = _non_empty(runs, "runs")
    log = _checks.flag(log, "log")
    series = {}
    for label, pair in runs.items():
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"runs[{label!r}] must be a pair (means, stds)")
        means = real_array(pair[0], f"runs[{label!r}] means")
        stds = real_array(pair[1], f"runs[{label!r}] stds")
        if means.shape != stds.shape:
            raise ValueError(
                f"runs[{label!r}]: means and stds need one value per layer each, "
                f"got {means.size} and {stds.size}"
            )
        series[str(label)] = (means, stds)
    plt = pyplot()
    fig, (ax_m, ax_s) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    for label, (means, stds) in series.items():
        layers = np.arange(1, means.size + 1)
        (line,) = ax_m.plot(layers, means, label=label)
        ax_s.plot(layers, stds, color=line.get_color(), label=label)
    ax_m.axhline(0, color="black", linestyle="--", linewidth=1, label="fixed point")
    ax_s.axhline(1, color="black", linestyle="--", linewidth=1, label="fixed point")
    if log:
        ax_m.set_yscale("symlog", linthresh=1.0)
        ax_s.set_yscale("log")
    for ax, what in ((ax_m, "mean"), (ax_s, "std")):
        ax.set_xlabel("layer")
        ax.set_ylabel(f"{what} of the activations")
        ax.set_title(f"{title}: {what}" if title else f"{what} per layer")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small")
    return fig


def plot_seed_curves(
    curves: Mapping[str, object],
    *,
    ylabel: str = "validation accuracy",
    reference: Mapping[str, Sequence[float]] | None = None,
    ax=None,
    title: str | None = None,
):
    """Per setting, one thin line per seed and a thick line for their mean, over epochs.

    ``curves`` maps a setting's label to an array of shape ``(seeds, epochs)``: one
    value per seed after each epoch (epoch 1 first). A run that stopped early (it
    diverged) holds NaN for the epochs it never reached: its line simply ends, and
    the mean is drawn only where every seed has a value. ``reference`` adds dotted
    lines, e.g. what a published run reports per epoch.

    >>> import numpy as np
    >>> fig = plot_seed_curves({"selu": [[0.2, 0.4], [0.3, 0.5]], "relu": [[0.1, 0.1], [0.1, 0.2]]})
    >>> fig.axes[0].get_xlabel(), len(fig.axes[0].get_legend().get_texts())
    ('epoch', 2)
    """
    curves = _non_empty(curves, "curves")
    series = {}
    for label, values in curves.items():
        array = _checks.real_array(values, f"curves[{label!r}]", ndim=2, finite=False)
        if np.isinf(array).any():
            raise ValueError(f"curves[{label!r}] holds infinite values: use NaN for missing epochs")
        series[str(label)] = array
    references = {}
    if reference is not None:
        for label, values in _non_empty(reference, "reference").items():
            references[str(label)] = _checks.real_array(values, f"reference[{label!r}]")
    fig, ax = axes(ax, figsize=(8.0, 4.5))
    for i, (label, array) in enumerate(series.items()):
        color = f"C{i % 10}"
        epochs = np.arange(1, array.shape[1] + 1)
        for row in array:
            ax.plot(epochs, row, color=color, linewidth=0.8, alpha=0.45)
        mean = array.mean(axis=0)  # NaN wherever a seed has no value
        n = array.shape[0]
        name = f"{label} ({n} seed{'s' if n != 1 else ''})"
        ax.plot(epochs, mean, color=color, linewidth=2.5, marker="o", label=name)
    for i, (label, values) in enumerate(references.items()):
        epochs = np.arange(1, values.size + 1)
        ax.plot(epochs, values, color=f"C{(len(series) + i) % 10}", linestyle=":", marker="s",
                label=label)  # fmt: skip
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.set_title(title or f"{ylabel}: thin lines one seed each, thick their mean")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig
