"""Tests for initact.plotting.saturation: the drawn geometry matches closed forms.

The saturating regions of the sigmoid are checked against the analytic solution of
sigma'(z) = sigma(z)(1 - sigma(z)) = c: sigma = (1 - sqrt(1 - 4c)) / 2, z = logit(sigma).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from initact.activations import Sigmoid, Tanh  # noqa: E402
from initact.plotting.saturation import plot_linear_regime, plot_saturation  # noqa: E402

Z = np.linspace(-5, 5, 401)
STEP = Z[1] - Z[0]


def sigmoid_figure(**kwargs):
    act = Sigmoid()
    return plot_saturation(Z, act(Z), act.derivative(Z), **kwargs)


def line(ax, label):
    return next(ln for ln in ax.lines if ln.get_label() == label)


# --- plot_saturation -----------------------------------------------------------


@pytest.mark.parametrize("saturation", [0.1, 0.3])
def test_saturating_regions_start_where_the_derivative_falls_below_the_fraction(saturation):
    ax = sigmoid_figure(saturation=saturation).axes[0]
    c = saturation * 0.25  # sigma'(0) = 1/4
    s = (1 - math.sqrt(1 - 4 * c)) / 2
    boundary = -math.log(s / (1 - s))  # |z| where sigma' = c
    spans = sorted((p.get_x(), p.get_x() + p.get_width()) for p in ax.patches)
    assert len(spans) == 2
    (left_lo, left_hi), (right_lo, right_hi) = spans
    assert left_lo == Z[0] and right_hi == Z[-1]
    # The shading runs over grid points, so its inner edges sit within one step of |z*|.
    assert abs(left_hi + boundary) <= STEP
    assert abs(right_lo - boundary) <= STEP


def test_tangent_is_the_linear_approximation_half_plus_quarter_z():
    ax = sigmoid_figure().axes[0]
    tangent = line(ax, "linear: 0.5 + 0.25·z")
    zt, yt = (np.asarray(a) for a in tangent.get_data())
    np.testing.assert_allclose(yt, 0.5 + zt / 4, atol=1e-12)
    # It is clipped to the range of the sigmoid on the grid: |z| <= 2 for 0 <= y <= 1.
    assert zt.min() >= -2 and zt.max() <= 2
    assert zt.min() < -2 + 2 * STEP and zt.max() > 2 - 2 * STEP


def test_curves_labels_and_peak_annotation():
    fig = sigmoid_figure(asymptotes=(0, 1))
    ax = fig.axes[0]
    np.testing.assert_allclose(line(ax, "sigmoid(z)").get_ydata(), 1 / (1 + np.exp(-Z)))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:3] == ["sigmoid(z)", "sigmoid'(z)", "linear: 0.5 + 0.25·z"]
    assert legend[3] == "saturating: sigmoid' < 10% of its max"
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("saturating") == 2
    assert "max sigmoid' = 0.25 at z = 0" in texts
    levels = {ln.get_ydata()[0] for ln in ax.lines if ln.get_linestyle() == ":"}
    assert levels == {0, 1}
    assert ax.get_xlabel() == "z" and ax.get_title()


def test_tanh_has_symmetric_saturating_regions_and_uses_the_given_axes():
    plt = matplotlib.pyplot
    fig, ax = plt.subplots()
    act = Tanh()
    out = plot_saturation(Z, act(Z), act.derivative(Z), name="tanh", ax=ax, title="T")
    assert out is fig and ax.get_title() == "T"
    # tanh' = sech^2 = 0.1 at |z| = arccosh(sqrt(10)).
    boundary = math.acosh(math.sqrt(10))
    spans = sorted((p.get_x(), p.get_x() + p.get_width()) for p in ax.patches)
    assert abs(spans[0][1] + boundary) <= STEP and abs(spans[1][0] - boundary) <= STEP


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((Z, Z[:-1], Z), {}, ValueError, "z and value"),
        ((Z, Z, Z[:10]), {}, ValueError, "z and derivative"),
        ((Z[::-1], Z, Z), {}, ValueError, "increasing"),
        ((Z, Z, Z), {"saturation": 1.5}, ValueError, "saturation"),
        ((Z, Z, Z), {"saturation": 0}, ValueError, "saturation"),
        ((Z, np.full_like(Z, np.nan), Z), {}, ValueError, "value must hold finite"),
        ((Z, Z, -np.ones_like(Z)), {}, ValueError, "positive somewhere"),
        ((Z, Z, ["a"] * Z.size), {}, TypeError, "derivative"),
        (([[0.0, 1.0]], Z, Z), {}, ValueError, "z must be 1-D"),
    ],
)
def test_plot_saturation_rejects_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_saturation(*args, **kwargs)


# --- plot_linear_regime --------------------------------------------------------

Q = np.geomspace(1e-3, 2.0, 50)


def test_linear_regime_draws_theory_bound_reference_and_numbered_points():
    ratio = 1 / (1 + Q)
    points = {"a": ([0.5, 0.05], [0.6, 0.95]), "b": ([1.0], [0.3])}
    ax = plot_linear_regime(Q, ratio, lower=1 - 2 * Q, lower_label="1 - 2q", points=points).axes[0]
    assert ax.get_xscale() == "log"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["theory: E[tanh(z)²] / q", "1 - 2q", "linear unit", "a", "b"]
    # Every value shown, the lowest point (0.3) included, fits in the y range.
    bottom, top = ax.get_ylim()
    assert bottom < 0.3 and top > 1
    # The bound is drawn only where it is not below the axis (it reaches -3 at q = 2).
    bound = np.asarray(line(ax, "1 - 2q").get_ydata())
    assert bound.min() >= bottom and bound.size < Q.size
    # One number per measured layer, next to its marker.
    assert sorted(t.get_text() for t in ax.texts) == ["1", "1", "2"]


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((-Q, Q), {}, ValueError, "positive"),
        ((Q[::-1], Q), {}, ValueError, "increasing"),
        ((Q, Q[:3]), {}, ValueError, "q and ratio"),
        ((Q, Q), {"lower": Q[:3]}, ValueError, "q and lower"),
        ((Q, Q), {"points": [1, 2]}, TypeError, "points must map"),
        ((Q, Q), {"points": {"x": ([0.1],)}}, ValueError, "pair"),
        ((Q, Q), {"points": {"x": ([0.1, 0.2], [0.5])}}, ValueError, "q and ratio"),
        ((Q, Q), {"points": {"x": ([-0.1], [0.5])}}, ValueError, "positive"),
    ],
)
def test_plot_linear_regime_rejects_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_linear_regime(*args, **kwargs)


# --- plot_saturation_over_training ----------------------------------------------


def test_saturation_over_training_draws_each_layers_mean_over_runs():
    from initact.plotting.saturation import plot_saturation_over_training

    steps = [1, 6, 11]
    runs = np.array(
        [
            [[0.0, 0.5], [0.2, 0.6], [0.4, 0.9]],
            [[0.2, 0.7], [0.4, 0.6], [0.6, 0.7]],
        ]
    )
    ax = plot_saturation_over_training(steps, runs).axes[0]
    for layer in range(2):
        drawn = line(ax, f"layer {layer + 1}")
        np.testing.assert_array_equal(drawn.get_xdata(), steps)
        np.testing.assert_allclose(drawn.get_ydata(), runs[:, :, layer].mean(axis=0))
    # One min-max band per layer, and a fixed 0..1 axis.
    assert len(ax.collections) == 2
    assert ax.get_ylim() == (0.0, 1.0)
    # One run: the lines are the run itself and no band is drawn.
    ax = plot_saturation_over_training(steps, runs[0]).axes[0]
    np.testing.assert_array_equal(line(ax, "layer 2").get_ydata(), runs[0, :, 1])
    assert not ax.collections


@pytest.mark.parametrize(
    ("steps", "fractions", "word"),
    [
        ([1, 2], [[0.1], [0.2], [0.3]], "steps"),
        ([1, 2], [0.1, 0.2], "shape"),
        ([1, 2], [[0.1], [1.5]], "[0, 1]"),
        ([1, 2], [[0.1], [math.nan]], "NaN"),
        ([1, 2], [[0.1, 0.2], [0.3]], "rectangular"),
    ],
)
def test_saturation_over_training_refuses_mismatched_or_impossible_fractions(
    steps, fractions, word
):
    from initact.plotting.saturation import plot_saturation_over_training

    with pytest.raises(ValueError, match=word.replace("[", r"\[").replace("]", r"\]")):
        plot_saturation_over_training(steps, fractions)
