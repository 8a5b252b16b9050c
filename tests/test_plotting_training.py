"""Tests for initact.plotting.training: each figure shows exactly the data it was given.

The expected pixels are derived from the inputs independently of the drawing code:
the lines' y-data are the input columns, the color_dim image is log(1 + counts)
transposed (bins upward, steps across), the dead map is the boolean mask transposed.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from initact.data import make_spirals  # noqa: E402
from initact.diagnostics import DeadChart, Recorder  # noqa: E402
from initact.nn import History, fit, mlp  # noqa: E402
from initact.plotting.training import (  # noqa: E402
    plot_born_dead,
    plot_color_dim,
    plot_dead_chart,
    plot_dead_units,
    plot_learning_curves,
    plot_peak_preactivation,
    plot_zero_fraction,
)


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_matplotlib_is_not_imported_with_the_module():
    code = "import sys, initact.plotting.training; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- learning curves


def test_learning_curves_plot_each_history_and_flag_divergence():
    ok = History(epoch=[1, 2, 3], loss=[2.0, 1.0, 0.5], accuracy=[0.3, 0.6, 0.9])
    bad = History(epoch=[1, 2], loss=[2.0, 3.0], accuracy=[0.2, 0.1], diverged=True)
    ax = plot_learning_curves({"small": ok, "big": bad}, metric="accuracy").axes[0]
    assert [ln.get_ydata().tolist() for ln in ax.lines] == [[0.3, 0.6, 0.9], [0.2, 0.1]]
    assert [ln.get_xdata().tolist() for ln in ax.lines] == [[1, 2, 3], [1, 2]]
    assert legend_texts(ax) == ["small", "big (diverged after epoch 2)"]
    assert ax.get_ylabel() == "training accuracy" and ax.get_xlabel() == "epoch"
    loss_ax = plot_learning_curves({"small": ok}, metric="loss").axes[0]
    assert loss_ax.lines[0].get_ydata().tolist() == [2.0, 1.0, 0.5]
    assert loss_ax.get_ylabel() == "training loss"


def test_learning_curves_draw_on_the_given_axes():
    fig, ax = plt.subplots()
    h = History(epoch=[1], loss=[1.0], accuracy=[0.5], val_loss=[1.1], val_accuracy=[0.4])
    assert plot_learning_curves({"a": h}, metric="val_accuracy", ax=ax) is fig
    assert ax.lines[0].get_ydata().tolist() == [0.4]
    assert ax.get_ylabel() == "validation accuracy"


@pytest.mark.parametrize(
    ("histories", "kwargs", "error", "word"),
    [
        ({}, {}, TypeError, "histories"),
        ([1, 2], {}, TypeError, "histories"),
        ({"a": object()}, {}, TypeError, "History"),
        (
            {"a": History(epoch=[1], loss=[1.0], accuracy=[0.5])},
            {"metric": "f1"},
            ValueError,
            "metric",
        ),
        ({"a": History(epoch=[1, 2], loss=[1.0], accuracy=[0.5])}, {}, ValueError, "epochs"),
    ],
)
def test_learning_curves_bad_input(histories, kwargs, error, word):
    with pytest.raises(error, match=word):
        plot_learning_curves(histories, **kwargs)


# --------------------------------------------------------------------------- dead chart


def test_dead_chart_draws_one_line_per_layer_with_its_fractions():
    fractions = np.array([[0.0, 0.0, 0.0], [0.0, 0.25, 0.5], [0.1, 0.9, 1.0]])
    ax = plot_dead_chart([0, 1, 2], fractions, layer_names=["a", "b", "c"]).axes[0]
    assert len(ax.lines) == 3
    for line, column in zip(ax.lines, fractions.T, strict=True):
        assert line.get_ydata().tolist() == column.tolist()
        assert line.get_xdata().tolist() == [0, 1, 2]
    assert legend_texts(ax) == ["a", "b", "c"]
    assert ax.get_ylabel() == "fraction of dead units"
    low, high = ax.get_ylim()
    assert low < 0 and high > 1  # 0 and 1 stay visible, never clipped


def test_dead_chart_takes_a_real_dead_chart():
    X, y = make_spirals(64, rng=0)
    model = mlp([2, 8, 8, 2], activation="relu", kernel_init="he_normal", rng=0)
    chart = DeadChart(X)
    fit(model, X, y, epochs=3, batch_size=16, lr=0.05, rng=0, callbacks=[chart], progress=False)
    ax = plot_dead_chart(chart.epochs, chart.fractions).axes[0]
    assert legend_texts(ax) == ["layer 1", "layer 2"]
    assert ax.lines[1].get_ydata().tolist() == chart.fractions[:, 1].tolist()


@pytest.mark.parametrize(
    ("epochs", "fractions", "kwargs", "error", "word"),
    [
        ([0, 1], [[0.0], [0.1], [0.2]], {}, ValueError, "one row per epoch"),
        ([0, 1], [0.0, 0.1], {}, ValueError, "fractions"),
        ([0, 1], [[0.0], [0.1]], {"layer_names": ["a", "b"]}, ValueError, "layer_names"),
        (["a", "b"], [[0.0], [0.1]], {}, TypeError, "epochs"),
        ([], [[0.0]], {}, ValueError, "epochs"),
    ],
)
def test_dead_chart_bad_input(epochs, fractions, kwargs, error, word):
    with pytest.raises(error, match=word):
        plot_dead_chart(epochs, fractions, **kwargs)


# --------------------------------------------------------------------------- zero fraction


def test_zero_fraction_lines_are_the_recorded_columns():
    zeros = np.array([[0.5, 0.4], [0.5, 0.8], [0.6, 1.0], [0.5, 1.0]])
    ax = plot_zero_fraction([1, 2, 3, 4], zeros).axes[0]
    assert [ln.get_ydata().tolist() for ln in ax.lines] == zeros.T.tolist()
    assert ax.get_xlabel() == "training step"
    with pytest.raises(ValueError, match="one row per step"):
        plot_zero_fraction([1, 2], zeros)


# --------------------------------------------------------------------------- color_dim


def test_color_dim_image_is_log1p_of_the_counts_bins_upward():
    rng = np.random.default_rng(0)
    counts = rng.integers(0, 50, size=(5, 2, 4))
    edges = [0.0, 0.5, 1.0, 1.5, 2.0]
    for layer in (0, 1):
        fig = plot_color_dim([1, 3, 5, 7, 9], counts, edges, layer=layer)
        image = fig.axes[0].images[0]
        expected = np.log(1.0 + counts[:, layer, :].astype(float)).T  # rows = bins
        np.testing.assert_allclose(np.asarray(image.get_array()), expected, rtol=1e-12)
        # Columns centred on the recorded steps (spacing 2), rows spanning the bin edges.
        assert tuple(image.get_extent()) == (0.0, 10.0, 0.0, 2.0)
        assert image.origin == "lower"
        assert image.get_clim() == (0.0, expected.max())
        plt.close(fig)


def test_color_dim_shared_scale_and_colorbar_switch():
    counts = np.ones((2, 1, 3), dtype=np.int32)
    fig = plot_color_dim([1, 2], counts, [0.0, 1.0, 2.0, 3.0], vmax=7.0, colorbar=False)
    assert len(fig.axes) == 1  # no colorbar axes
    assert fig.axes[0].images[0].get_clim() == (0.0, 7.0)
    with_bar = plot_color_dim([1, 2], counts, [0.0, 1.0, 2.0, 3.0])
    assert len(with_bar.axes) == 2
    assert with_bar.axes[1].get_ylabel() == "log(1 + count)"


def test_color_dim_of_a_real_recorder():
    X, y = make_spirals(64, rng=0)
    model = mlp([2, 8, 8, 2], activation="relu", kernel_init="he_normal", rng=0)
    rec = Recorder(bins=10, hist_max=2.0)
    fit(model, X, y, epochs=1, batch_size=16, lr=0.1, rng=0, callbacks=[rec], progress=False)
    image = plot_color_dim(rec.steps, rec.histogram, rec.bin_edges, layer=1).axes[0].images[0]
    array = np.asarray(image.get_array())
    assert array.shape == (10, 4)  # 10 bins, 4 steps
    # Every column holds the 16 x 8 activations of one batch: sum of expm1 gives them back.
    np.testing.assert_allclose(np.expm1(array).sum(axis=0), 128.0)


@pytest.mark.parametrize(
    ("steps", "counts", "edges", "kwargs", "error", "word"),
    [
        ([1, 2, 3], np.ones((2, 1, 3)), [0, 1, 2, 3], {}, ValueError, "one row per step"),
        ([1, 2], np.ones((2, 1, 3)), [0, 1, 2], {}, ValueError, "bin_edges"),
        ([1, 2], np.ones((2, 3)), [0, 1, 2, 3], {}, ValueError, "histogram"),
        ([1, 2], np.ones((2, 1, 3)), [0, 1, 2, 3], {"layer": 1}, ValueError, "layer"),
        ([1, 2], np.ones((2, 1, 3)), [0, 1, 2, 3], {"layer": 0.0}, TypeError, "layer"),
        ([1, 2], np.ones((2, 1, 3)), [0, 1, 2, 3], {"layer": True}, TypeError, "layer"),
        ([1, 2], -np.ones((2, 1, 3)), [0, 1, 2, 3], {}, ValueError, "negative"),
    ],
)
def test_color_dim_bad_input(steps, counts, edges, kwargs, error, word):
    with pytest.raises(error, match=word):
        plot_color_dim(steps, counts, edges, **kwargs)


# --------------------------------------------------------------------------- dead units map


def test_dead_units_map_is_the_mask_with_units_as_rows():
    masks = np.array([[False, False, True], [True, False, True], [False, False, True]])
    fig = plot_dead_units(masks, highlight=[0])
    ax = fig.axes[0]
    image = np.asarray(ax.images[0].get_array())
    np.testing.assert_array_equal(image, masks.T.astype(float))
    assert tuple(ax.images[0].get_extent()) == (-0.5, 2.5, -0.5, 2.5)
    (outline,) = ax.patches  # a red frame around row 0, across every epoch
    assert (outline.get_x(), outline.get_y()) == (-0.5, -0.5)
    assert (outline.get_width(), outline.get_height()) == (3.0, 1.0)
    assert legend_texts(ax) == ["unit 0"]
    assert ax.get_ylabel() == "unit"


def test_dead_units_map_with_epoch_labels():
    masks = np.zeros((2, 4), dtype=bool)
    ax = plot_dead_units(masks, epochs=[10, 20]).axes[0]
    assert tuple(ax.images[0].get_extent()) == (5.0, 25.0, -0.5, 3.5)
    assert ax.get_legend() is None  # nothing highlighted, no legend


@pytest.mark.parametrize(
    ("masks", "kwargs", "error", "word"),
    [
        (np.zeros((2, 3)), {}, TypeError, "boolean"),
        (np.zeros(3, dtype=bool), {}, ValueError, "2-D"),
        (np.zeros((2, 3), dtype=bool), {"epochs": [0, 1, 2]}, ValueError, "epochs"),
        (np.zeros((2, 3), dtype=bool), {"highlight": [3]}, ValueError, "highlight"),
    ],
)
def test_dead_units_map_bad_input(masks, kwargs, error, word):
    with pytest.raises(error, match=word):
        plot_dead_units(masks, **kwargs)


# --------------------------------------------------------------------------- peak pre-activation


def test_peak_preactivation_lines_zero_line_and_dead_side_shaded():
    peaks = {"relu": [1.0, -2.0, -2.0, 0.5], "leaky": [0.5, -1.0, -0.5, 0.2]}
    ax = plot_peak_preactivation([0, 1, 2, 3], peaks).axes[0]
    data = [ln.get_ydata().tolist() for ln in ax.lines if ln.get_label() in peaks]
    assert data == [peaks["relu"], peaks["leaky"]]
    assert any(list(ln.get_ydata()) == [0, 0] for ln in ax.lines)  # the zero line
    assert len(ax.patches) == 1  # the shaded band below 0
    low, _ = ax.get_ylim()
    assert low <= -2.0


def test_peak_preactivation_all_positive_has_no_band():
    ax = plot_peak_preactivation([0, 1], {"alive": [1.0, 2.0]}).axes[0]
    assert len(ax.patches) == 0


def test_peak_preactivation_bad_input():
    with pytest.raises(ValueError, match="one value per epoch"):
        plot_peak_preactivation([0, 1, 2], {"u": [1.0, 2.0]})
    with pytest.raises(TypeError, match="peaks"):
        plot_peak_preactivation([0, 1], [1.0, 2.0])


# --------------------------------------------------------------------------- born dead


def test_born_dead_plots_formula_lines_and_simulated_dots_per_width():
    depths = [1, 2, 5]
    exact = {N: [1 - (1 - 2.0**-N) ** L for L in depths] for N in (2, 3)}
    simulated = {2: [0.26, 0.43, 0.76], 3: [0.12, 0.24, 0.48]}
    stderr = {2: [0.01, 0.01, 0.01], 3: [0.02, 0.02, 0.02]}
    ax = plot_born_dead(depths, simulated, exact=exact, stderr=stderr).axes[0]
    formula_lines = [ln for ln in ax.lines if "1 - (1 - 2^-N)^L" in ln.get_label()]
    np.testing.assert_allclose([ln.get_ydata() for ln in formula_lines], [exact[2], exact[3]])
    dots = [c for c in ax.containers if "simulated" in c.get_label()]
    assert [c.get_label() for c in dots] == ["width 2: simulated", "width 3: simulated"]
    np.testing.assert_allclose(dots[1].lines[0].get_ydata(), simulated[3])
    # Error bars span estimate +- stderr.
    segments = dots[0].lines[2][0].get_segments()
    np.testing.assert_allclose([s[1, 1] - s[0, 1] for s in segments], [0.02, 0.02, 0.02])
    assert ax.get_xlabel() == "depth L (hidden layers)"


def test_born_dead_without_theory_or_errors():
    ax = plot_born_dead([1, 2], {4: [0.06, 0.12]}).axes[0]
    assert legend_texts(ax) == ["width 4: simulated"]


@pytest.mark.parametrize(
    ("simulated", "kwargs", "word"),
    [
        ({2: [0.1]}, {}, "one value per depth"),
        ({2: [0.1, 0.2]}, {"exact": {2: [0.1]}}, "exact"),
        ({2: [0.1, 0.2]}, {"stderr": {2: [0.1, 0.1, 0.1]}}, "stderr"),
    ],
)
def test_born_dead_bad_input(simulated, kwargs, word):
    with pytest.raises(ValueError, match=word):
        plot_born_dead([1, 2], simulated, **kwargs)


def test_plot_update_ratio_draws_each_layer_on_a_log_scale_in_epochs():
    from initact.plotting.training import plot_update_ratio

    ratio = np.array([[0.1, 0.02, 0.5], [0.01, 0.0, 0.05], [1e-3, 2e-4, 5e-3], [1e-4, 1e-5, 1e-3]])
    ax = plot_update_ratio([1, 2, 3, 4], ratio, steps_per_epoch=2, reference=1e-3).axes[0]
    assert ax.get_yscale() == "log"
    assert legend_texts(ax) == ["dense 1", "dense 2", "dense 3 (output)", "reference 1e-03"]
    for column, line in enumerate(ax.lines[:3]):
        np.testing.assert_allclose(line.get_xdata(), [0.5, 1.0, 1.5, 2.0])  # steps / 2
        expected = np.where(ratio[:, column] > 0, ratio[:, column], np.nan)  # 0 leaves a gap
        np.testing.assert_array_equal(line.get_ydata(), expected)
    np.testing.assert_array_equal(ax.lines[3].get_ydata(), [1e-3, 1e-3])
    plt.close("all")


def test_plot_update_ratio_counts_steps_without_steps_per_epoch_and_draws_no_reference():
    from initact.plotting.training import plot_update_ratio

    ax = plot_update_ratio([5, 10], [[0.1], [0.2]], reference=None, layer_names=["W"]).axes[0]
    assert ax.get_xlabel() == "training step" and len(ax.lines) == 1
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [5, 10])
    with pytest.raises(ValueError, match="one row per step"):
        plot_update_ratio([1, 2, 3], [[0.1], [0.2]])
    with pytest.raises(ValueError, match="reference"):
        plot_update_ratio([1, 2], [[0.1], [0.2]], reference=0.0)
    plt.close("all")
