"""Tests for initact.plotting.activations: each figure shows exactly the data it was given.

Expected curves are closed forms written out here (max(αz, z), the ELU/SELU
formulas with the published constants), expected summaries are computed with
the statistics module, independently of the drawing code.
"""

from __future__ import annotations

import math
import statistics
import subprocess
import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from initact.activations import ELU, SELU, LeakyReLU, RReLU  # noqa: E402
from initact.plotting.activations import (  # noqa: E402
    plot_activations,
    plot_leaky_relu,
    plot_rrelu_samples,
    plot_seed_curves,
    plot_seed_spread,
    plot_self_normalization,
    plot_slopes,
)

# Klambauer et al. (2017), eq. 14.
ALPHA_01 = 1.6732632423543772848170429916717
LAMBDA_01 = 1.0507009873554804934193349852946


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_matplotlib_is_not_imported_with_the_module():
    code = "import sys, initact.plotting.activations; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- plot_activations


def test_activations_draws_each_function_and_its_derivative():
    fig = plot_activations({"leaky": LeakyReLU(alpha=0.2), "selu": SELU()}, points=401)
    ax_f, ax_d = fig.axes
    z = np.linspace(-4, 4, 401)
    leaky, selu = ax_f.lines[0], ax_f.lines[1]
    np.testing.assert_allclose(leaky.get_ydata(), np.maximum(0.2 * z, z))
    selu_expected = LAMBDA_01 * np.where(z > 0, z, ALPHA_01 * (np.exp(z) - 1))
    np.testing.assert_allclose(selu.get_ydata(), selu_expected, rtol=1e-12, atol=1e-15)
    assert legend_texts(ax_f) == ["leaky", "selu"]
    assert (ax_f.get_xlabel(), ax_f.get_ylabel(), ax_d.get_ylabel()) == ("z", "f(z)", "f'(z)")
    assert ax_f.get_title() and ax_d.get_title()


def test_derivatives_break_at_the_kink_instead_of_drawing_a_jump():
    fig = plot_activations({"leaky": LeakyReLU(alpha=0.2)}, z_range=(-1, 1), points=5)
    line = fig.axes[1].lines[0]
    x, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
    assert np.isnan(y).sum() == 1 and np.isnan(x).sum() == 1
    gap = int(np.flatnonzero(np.isnan(y))[0])
    # Left of the gap (z <= 0) the slope is α (f'(0) = α by convention), right of it 1.
    assert np.all(y[:gap] == 0.2) and np.all(y[gap + 1 :] == 1.0)
    assert np.all(x[:gap] <= 0) and np.all(x[gap + 1 :] > 0)


def test_elu_derivative_is_its_closed_form():
    fig = plot_activations({"elu": ELU()}, points=101)
    x, y = (
        np.asarray(v) for v in (fig.axes[1].lines[0].get_xdata(), fig.axes[1].lines[0].get_ydata())
    )
    keep = ~np.isnan(x)
    np.testing.assert_allclose(y[keep], np.where(x[keep] > 0, 1.0, np.exp(x[keep])), rtol=1e-12)


def test_rrelu_is_drawn_at_its_test_slope_with_its_training_range_shaded():
    act = RReLU.from_divisor()
    fig = plot_activations({"rrelu": act}, points=9)
    ax_f, ax_d = fig.axes
    z = np.linspace(-4, 4, 9)
    np.testing.assert_allclose(ax_f.lines[0].get_ydata(), np.where(z > 0, z, z / 5.5))
    # The band spans the slopes 1/8 .. 1/3 (divisors 8 .. 3): at z = -4, y from -4/3 to -1/2.
    band = ax_f.collections[0].get_paths()[0].vertices
    at_left = band[np.isclose(band[:, 0], -4.0), 1]
    assert at_left.min() == pytest.approx(-4 / 3) and at_left.max() == pytest.approx(-0.5)
    slopes = ax_d.collections[0].get_paths()[0].vertices[:, 1]
    assert slopes.min() == pytest.approx(1 / 8) and slopes.max() == pytest.approx(1 / 3)
    assert legend_texts(ax_f) == ["rrelu", "rrelu: slopes drawn in training"]


def test_activations_without_derivative_and_by_name():
    fig = plot_activations({"relu": "relu"}, derivative=False, title="one")
    assert len(fig.axes) == 1
    assert fig.axes[0].get_title() == "one"


@pytest.mark.parametrize(
    ("activations", "kwargs", "error", "word"),
    [
        ({}, {}, ValueError, "activations"),
        ([ELU()], {}, TypeError, "activations"),
        ({"x": "no_such_thing"}, {}, ValueError, "unknown activation"),
        ({"elu": ELU()}, {"z_range": (1, -1)}, ValueError, "z_range"),
        ({"elu": ELU()}, {"z_range": (0, math.inf)}, ValueError, "z_range"),
        ({"elu": ELU()}, {"z_range": "ab"}, TypeError, "z_range"),
        ({"elu": ELU()}, {"points": 1}, ValueError, "points"),
        ({"elu": ELU()}, {"points": 2.5}, TypeError, "points"),
    ],
)
def test_activations_bad_input(activations, kwargs, error, word):
    with pytest.raises(error, match=word):
        plot_activations(activations, **kwargs)


# --------------------------------------------------------------------------- plot_leaky_relu


def test_leaky_relu_figure_draws_each_leak_and_points_an_arrow_at_it():
    fig = plot_leaky_relu((0.01, 0.2))
    ax = fig.axes[0]
    for line, alpha in zip(ax.lines, (0.01, 0.2), strict=False):
        z = np.asarray(line.get_xdata())
        np.testing.assert_allclose(line.get_ydata(), np.maximum(alpha * z, z))
    notes = [child for child in ax.texts if child.get_text().startswith("leak")]
    assert [n.get_text() for n in notes] == ["leak: slope 0.01", "leak: slope 0.2"]
    for note, alpha in zip(notes, (0.01, 0.2), strict=True):
        x, y = note.xy
        assert x < 0 and y == pytest.approx(alpha * x)  # the arrow ends on the leaky part
    assert legend_texts(ax) == ["LeakyReLU, α = 0.01", "LeakyReLU, α = 0.2"]
    assert "11-2" in ax.get_title()


@pytest.mark.parametrize(
    ("alphas", "error", "word"),
    [((), ValueError, "alphas"), ((-0.1,), ValueError, "alphas"), (("a",), TypeError, "alphas")],
)
def test_leaky_relu_bad_input(alphas, error, word):
    with pytest.raises(error, match=word):
        plot_leaky_relu(alphas)


# --------------------------------------------------------------------------- plot_rrelu_samples


def test_rrelu_samples_scatter_the_given_points_and_draw_the_test_line():
    z = np.array([-2.0, -1.0, 1.0, 2.0])
    y = np.array([-0.5, -0.2, 1.0, 2.0])
    ax = plot_rrelu_samples(z, y, eval_slope=0.25).axes[0]
    np.testing.assert_array_equal(ax.collections[0].get_offsets(), np.column_stack([z, y]))
    line = ax.lines[0]
    np.testing.assert_allclose(line.get_xdata(), [-2.0, 0.0, 2.0])
    np.testing.assert_allclose(line.get_ydata(), [-0.5, 0.0, 2.0])
    assert legend_texts(ax)[1] == "test: fixed slope 0.250"


@pytest.mark.parametrize(
    ("z", "y", "slope", "error", "word"),
    [
        ([1.0, 2.0], [1.0], 0.2, ValueError, "same length"),
        ([1.0, math.nan], [1.0, 2.0], 0.2, ValueError, "z must hold finite"),
        ([1.0], [1.0], True, TypeError, "eval_slope"),
        ([1.0], [1.0], math.inf, ValueError, "eval_slope"),
    ],
)
def test_rrelu_samples_bad_input(z, y, slope, error, word):
    with pytest.raises(error, match=word):
        plot_rrelu_samples(z, y, eval_slope=slope)


# --------------------------------------------------------------------------- plot_seed_spread


def test_seed_spread_marks_each_seed_and_the_mean_with_its_sample_std():
    values = {"a": [95.0, 96.0, 97.5], "b": [96.0, 96.5, 96.0]}
    ax = plot_seed_spread(values, ylabel="accuracy (%)").axes[0]
    container = ax.containers[0]
    data_line, _, (bars,) = container.lines
    assert data_line.get_ydata().tolist() == pytest.approx(
        [statistics.mean(v) for v in values.values()]
    )
    for segment, v in zip(bars.get_segments(), values.values(), strict=True):
        low, high = segment[0][1], segment[1][1]
        assert (high - low) / 2 == pytest.approx(statistics.stdev(v))
    # One scatter per seed, holding that seed's value of every variant.
    for seed, dots in enumerate(ax.collections[:3]):
        assert dots.get_offsets()[:, 1].tolist() == [values["a"][seed], values["b"][seed]]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b"]
    assert legend_texts(ax) == ["seed 0", "seed 1", "seed 2", "mean ± 1 std"]
    assert ax.get_ylabel() == "accuracy (%)"


@pytest.mark.parametrize(
    ("values", "error", "word"),
    [
        ({}, ValueError, "values"),
        ({"a": [1.0, 2.0], "b": [1.0]}, ValueError, "same number of seeds"),
        ({"a": []}, ValueError, "non-empty"),
        ({"a": [1.0, math.nan]}, ValueError, "NaN"),
    ],
)
def test_seed_spread_bad_input(values, error, word):
    with pytest.raises(error, match=word):
        plot_seed_spread(values)


# --------------------------------------------------------------------------- plot_slopes


def test_slopes_draw_the_mean_per_layer_and_the_range_over_runs():
    slopes = np.array(
        [
            [[0.25, 0.25], [0.5, 0.2], [0.7, 0.1]],
            [[0.25, 0.25], [0.3, 0.4], [0.5, 0.3]],
        ]
    )
    ax = plot_slopes(slopes, initial=0.25).axes[0]
    layer_lines = [ln for ln in ax.lines if ln.get_label().startswith("layer")]
    np.testing.assert_allclose(layer_lines[0].get_ydata(), [0.25, 0.4, 0.6])
    np.testing.assert_allclose(layer_lines[1].get_ydata(), [0.25, 0.3, 0.2])
    assert layer_lines[0].get_xdata().tolist() == [0, 1, 2]
    band = ax.collections[1].get_paths()[0].vertices  # layer 2's range
    at_end = band[np.isclose(band[:, 0], 2.0), 1]
    assert at_end.min() == pytest.approx(0.1) and at_end.max() == pytest.approx(0.3)
    assert "initial 0.25" in legend_texts(ax)
    assert ax.get_xlabel() == "epoch"


def test_slopes_of_one_run_have_no_band():
    ax = plot_slopes([[0.25], [0.3]]).axes[0]
    assert len(ax.collections) == 0
    assert legend_texts(ax) == ["layer 1"]


@pytest.mark.parametrize(
    ("slopes", "error", "word"),
    [
        ([0.1, 0.2], ValueError, "shape"),
        (np.zeros((1, 0, 2)), ValueError, "shape"),
        ([[0.1, math.nan]], ValueError, "NaN"),
        ([["a"]], TypeError, "real numbers"),
    ],
)
def test_slopes_bad_input(slopes, error, word):
    with pytest.raises(error, match=word):
        plot_slopes(slopes)


# ---------------------------------------------------------------- plot_self_normalization


def test_self_normalization_draws_means_and_stds_per_layer():
    runs = {"good": ([0.0, 0.1, -0.1], [1.0, 0.9, 1.1]), "bad": ([1.0, 2.0, 4.0], [2, 4, 8])}
    fig = plot_self_normalization(runs, log=True)
    ax_m, ax_s = fig.axes
    assert [ln.get_ydata().tolist() for ln in ax_m.lines[:2]] == [[0.0, 0.1, -0.1], [1, 2, 4]]
    assert [ln.get_ydata().tolist() for ln in ax_s.lines[:2]] == [[1.0, 0.9, 1.1], [2, 4, 8]]
    assert ax_m.lines[0].get_xdata().tolist() == [1, 2, 3]
    assert (ax_m.get_yscale(), ax_s.get_yscale()) == ("symlog", "log")
    assert legend_texts(ax_s) == ["good", "bad", "fixed point"]
    assert ax_s.get_xlabel() == "layer"


@pytest.mark.parametrize(
    ("runs", "error", "word"),
    [
        ({}, ValueError, "runs"),
        ({"a": ([0.0],)}, ValueError, "pair"),
        ({"a": ([0.0, 0.1], [1.0])}, ValueError, "one value per layer"),
        ({"a": ([0.0], [math.inf])}, ValueError, "NaN or infinite"),
    ],
)
def test_self_normalization_bad_input(runs, error, word):
    with pytest.raises(error, match=word):
        plot_self_normalization(runs)


# ---------------------------------------------------------------- plot_seed_curves


def test_seed_curves_draw_every_seed_and_a_mean_that_stops_at_a_missing_epoch():
    curves = {"selu": [[0.2, 0.4, 0.5], [0.3, 0.5, math.nan]], "relu": [[0.1, 0.1, 0.1]]}
    fig = plot_seed_curves(curves, reference={"Géron": [0.6, 0.7]})
    ax = fig.axes[0]
    # 2 + 1 seed lines, 2 means, 1 reference: in drawing order.
    assert len(ax.lines) == 6
    selu_mean = ax.lines[2].get_ydata()
    assert selu_mean[:2].tolist() == pytest.approx([0.25, 0.45])
    assert math.isnan(selu_mean[2])  # one seed never reached epoch 3
    assert ax.lines[0].get_xdata().tolist() == [1, 2, 3]
    assert legend_texts(ax) == ["selu (2 seeds)", "relu (1 seed)", "Géron"]


@pytest.mark.parametrize(
    ("curves", "word"),
    [({}, "curves"), ({"a": [0.1, 0.2]}, "curves"), ({"a": [[0.1, math.inf]]}, "infinite")],
)
def test_seed_curves_bad_input(curves, word):
    with pytest.raises((TypeError, ValueError), match=word):
        plot_seed_curves(curves)
