"""Tests for initact.plotting.explore and the checks shared by the plotting modules.

The bad-input rows live in tests/test_bad_input.py; these tests pin the other
side of each check: input that looks odd but is valid (a run that diverged in
its first epoch, a measured std that overflowed, NumPy integers as layer
numbers) is still drawn, exactly as given.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from initact.plotting._style import MAX_POINTS, value_range  # noqa: E402
from initact.plotting.activations import plot_activations  # noqa: E402
from initact.plotting.explore import plot_dead_training  # noqa: E402
from initact.plotting.propagation import plot_by_depth, plot_layer_histograms  # noqa: E402
from initact.propagation import propagate  # noqa: E402


def test_a_run_that_diverged_in_epoch_1_has_no_accuracy_and_says_so():
    # Diverged in epoch 1 of 3: only the initialization was charted, no accuracy recorded.
    fig = plot_dead_training([0], [[0.0, 0.1]], [], [], n_epochs=3)
    left, right = fig.axes
    assert [line.get_ydata().tolist() for line in left.get_lines()] == [[0.0], [0.1]]
    assert [t.get_text() for t in right.texts] == [
        "training diverged in epoch 1:\nthe loss became NaN or infinite"
    ]


def test_nan_accuracy_of_a_regression_loss_is_drawn_as_a_gap():
    fig = plot_dead_training([0, 1, 2], [[0.0], [0.1], [0.2]], [math.nan, math.nan])
    right = fig.axes[1]
    assert np.isnan(right.get_lines()[0].get_ydata()).all()


def test_n_epochs_may_equal_the_epochs_recorded():
    fig = plot_dead_training([0, 1, 2], [[0.0], [0.1], [0.2]], [0.5, 0.6], n_epochs=2)
    assert len(fig.axes[1].texts) == 0  # nothing diverged


def test_dead_training_draws_into_the_figure_given():
    fig = plt.figure()
    assert plot_dead_training([0, 1], [[0.0], [0.1]], [0.5], fig=fig) is fig
    assert len(fig.axes) == 2


def test_by_depth_draws_an_overflowed_std_as_given():
    measured = [1.0, 2.0, math.inf]  # the run overflowed in layer 3
    fig = plot_by_depth({"std": measured}, theory={"std": [1.0, 2.0, 4.0]})
    lines = fig.axes[0].get_lines()
    assert lines[0].get_ydata().tolist() == measured
    assert lines[1].get_ydata().tolist() == [1.0, 2.0, 4.0]


def test_layer_numbers_may_be_numpy_integers():
    run = propagate("tanh", "glorot_normal", depth=4, width=8, n_samples=20, rng=0)
    fig = plot_layer_histograms(run, layers=np.array([2, 4]), value_range=np.array([-1.0, 1.0]))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["layer 2", "layer 4"]
    assert ax.get_lines()[0].get_xdata()[[0, -1]].tolist() == pytest.approx([-0.9875, 0.9875])


def test_value_range_reads_any_two_real_numbers():
    assert value_range(np.array([-2, 3]), "z_range") == (-2.0, 3.0)
    assert value_range([np.float32(-0.5), 0.5], "z_range") == (-0.5, 0.5)


def test_points_up_to_the_cap_are_drawn():
    fig = plot_activations({"relu": "relu"}, points=MAX_POINTS, derivative=False)
    assert fig.axes[0].get_lines()[0].get_xdata().size == MAX_POINTS
    with pytest.raises(ValueError, match="points"):
        plot_activations({"relu": "relu"}, points=MAX_POINTS + 1)
