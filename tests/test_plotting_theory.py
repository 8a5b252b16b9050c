"""initact.plotting.theory: each figure draws the data it is given, or refuses bad input."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from initact.plotting.theory import (
    plot_log_ratio_spread,
    plot_loss_curves,
    plot_scale_comparison,
    plot_weight_histograms,
)

matplotlib.use("Agg")


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


# --- plot_loss_curves -----------------------------------------------------------------


def test_loss_curves_draw_each_series_by_epoch_and_the_chance_line():
    fig = plot_loss_curves({"Glorot": [0.7, 0.69, 0.69], "He": [0.6, 0.5, 0.3]}, chance=0.693)
    ax = fig.axes[0]
    glorot, he, chance = ax.get_lines()
    np.testing.assert_array_equal(glorot.get_xdata(), [1, 2, 3])  # epochs start at 1
    np.testing.assert_array_equal(he.get_ydata(), [0.6, 0.5, 0.3])
    np.testing.assert_array_equal(chance.get_ydata(), [0.693, 0.693])
    assert legend_texts(ax) == ["Glorot", "He", "chance (0.693)"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("epoch", "training loss")
    assert ax.get_title()


def test_loss_curves_without_chance_and_on_given_axes():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    assert plot_loss_curves({"a": [1.0]}, ax=ax, title="T") is fig
    assert len(ax.get_lines()) == 1 and ax.get_title() == "T"


def test_loss_curves_draw_every_run_of_a_label_in_one_colour_with_one_legend_entry():
    glorot = [[0.69, 0.69, 0.69], [0.70, 0.69, 0.69]]
    he = np.array([[0.6, 0.5, 0.3], [0.6, 0.4, 0.2], [0.7, 0.5, 0.4]])
    fig = plot_loss_curves({"Glorot": glorot, "He": he}, chance=0.693)
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert len(lines) == 2 + 3 + 1
    np.testing.assert_array_equal(lines[3].get_ydata(), he[1])
    np.testing.assert_array_equal(lines[3].get_xdata(), [1, 2, 3])
    assert lines[0].get_color() == lines[1].get_color() != lines[2].get_color()
    assert len({line.get_color() for line in lines[2:5]}) == 1
    assert legend_texts(ax) == ["Glorot (2 runs)", "He (3 runs)", "chance (0.693)"]


@pytest.mark.parametrize(
    ("losses", "error"),
    [
        ({}, TypeError),
        ([0.1, 0.2], TypeError),
        ({"a": []}, ValueError),
        ({"a": "x"}, TypeError),
        ({"a": [[[0.1]]]}, ValueError),
        ({"a": [[0.1, 0.2], [0.3]]}, TypeError),
    ],
)
def test_loss_curves_refuse_bad_input(losses, error):
    with pytest.raises(error, match="losses"):
        plot_loss_curves(losses)


# --- plot_log_ratio_spread ------------------------------------------------------------


def test_log_ratio_spread_draws_every_run_the_theory_and_a_two_sd_band():
    ratios = np.array([[-0.4, -1.1, -1.4], [-0.6, -0.9, -1.6]])
    fig = plot_log_ratio_spread(ratios, theory=[-0.5, -1.0, -1.5], sd=[0.1, 0.2, 0.3])
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert len(lines) == 3  # two runs and the theory
    np.testing.assert_array_equal(lines[1].get_ydata(), ratios[1])
    np.testing.assert_array_equal(lines[2].get_ydata(), [-0.5, -1.0, -1.5])
    band = ax.collections[0].get_paths()[0].vertices
    # The band spans theory +- 2 sd: from -1.5 - 0.6 to -0.5 + 0.2.
    assert band[:, 1].min() == pytest.approx(-2.1) and band[:, 1].max() == pytest.approx(-0.3)
    assert legend_texts(ax) == ["theory ± 2 sd", "measured (2 seeds)", "infinite width"]
    assert ax.get_xlabel() == "layer"


def test_log_ratio_spread_without_band():
    fig = plot_log_ratio_spread([[1.0, 2.0]], theory=[1.0, 2.0])
    assert not fig.axes[0].collections


@pytest.mark.parametrize(
    ("ratios", "theory", "sd", "match"),
    [
        ([1.0, 2.0], [1.0, 2.0], None, "shape"),
        ([[1.0, 2.0]], [1.0], None, "one value per layer"),
        ([[1.0, 2.0]], [1.0, 2.0], [0.1], "one value per layer"),
    ],
)
def test_log_ratio_spread_refuses_mismatched_shapes(ratios, theory, sd, match):
    with pytest.raises(ValueError, match=match):
        plot_log_ratio_spread(ratios, theory=theory, sd=sd)


# --- plot_scale_comparison ------------------------------------------------------------


def test_scale_comparison_places_one_marker_per_value_with_missing_values_left_out():
    fig = plot_scale_comparison(
        ["relu", "tanh", "softmax"],
        {"book": [2, 1, 1], "forward": [2, 2.536, None]},
    )
    ax = fig.axes[0]
    book, forward = ax.get_lines()
    np.testing.assert_array_equal(book.get_ydata(), [2, 1, 1])
    assert np.isnan(forward.get_ydata()[2])  # softmax has no derived scale
    # Sources are offset sideways around each activation's tick, symmetrically.
    np.testing.assert_allclose(book.get_xdata() + forward.get_xdata(), 2 * np.arange(3))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["relu", "tanh", "softmax"]
    assert legend_texts(ax) == ["book", "forward"]
    assert ax.get_yscale() == "log"


@pytest.mark.parametrize(
    ("labels", "scales", "error", "match"),
    [
        ("relu", {"a": [1]}, TypeError, "labels"),
        (["relu"], {}, TypeError, "scales"),
        (["relu", "tanh"], {"a": [1]}, ValueError, "one value per label"),
        (["relu"], {"a": [0.0]}, ValueError, "log axis"),
        (["relu"], {str(i): [1] for i in range(9)}, ValueError, "at most"),
    ],
)
def test_scale_comparison_refuses_bad_input(labels, scales, error, match):
    with pytest.raises(error, match=match):
        plot_scale_comparison(labels, scales)


# --- plot_weight_histograms -----------------------------------------------------------


def test_weight_histograms_are_densities_in_units_of_the_target_std():
    w = np.random.default_rng(0).uniform(-0.3, 0.3, 20_000)  # std 0.3 / sqrt 3
    fig = plot_weight_histograms({"uniform": w}, std=0.3 / np.sqrt(3), bins=40)
    (line,) = fig.axes[0].get_lines()
    x, density = line.get_xdata(), line.get_ydata()
    # U(-sqrt 3, sqrt 3) in std units: the axis ends at the largest sample (just under
    # sqrt 3), and the density, 1 / (2 sqrt 3) = 0.289, integrates to 1.
    assert x.max() < np.sqrt(3)
    assert density.sum() * (x[1] - x[0]) == pytest.approx(1.0)
    assert np.median(density) == pytest.approx(1 / (2 * np.sqrt(3)), rel=0.1)
    assert fig.axes[0].get_xlabel() == "weight / target std"
    # Headroom for the one-entry legend: the y axis ends at 1.25 times the highest bar.
    assert fig.axes[0].get_ylim() == pytest.approx((0.0, 1.25 * density.max()))


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"samples": {}, "std": 1.0}, TypeError),
        ({"samples": {"a": np.ones(3)}, "std": 0.0}, ValueError),
        ({"samples": {"a": np.ones(3)}, "std": "1"}, TypeError),
        ({"samples": {"a": np.array([1.0, np.nan])}, "std": 1.0}, ValueError),
        ({"samples": {"a": np.ones(3)}, "std": 1.0, "bins": 0}, ValueError),
    ],
)
def test_weight_histograms_refuse_bad_input(kwargs, error):
    with pytest.raises(error):
        plot_weight_histograms(**kwargs)
