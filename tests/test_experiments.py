"""Tests of initact.experiments and initact.plotting.explore: the explorers' computations.

No widget here (tests/test_widgets.py has the wiring). Expected values come from
closed forms (ReLU and the identity have exact Gaussian moments), from the sampling
argument written next to each statistical test, or from the experiments' documented
settings. The last section asserts the claims of the book chapter book/06_explore.md,
computed directly with initact.
"""

import math
import subprocess
import sys

import matplotlib
import numpy as np
import pytest

import initact.experiments as experiments
from initact.activations import ACTIVATIONS
from initact.experiments import (
    DEPTH_INITIALIZERS,
    DYING_RELU_SIZES,
    depth_experiment,
    dying_relu_experiment,
    initializer_scale,
    scaled_initializer,
)
from initact.initializers import Orthogonal, VarianceScaling, get_initializer

matplotlib.use("Agg")

RELU_VAR = 0.5 - 1 / (2 * math.pi)  # Var[relu(z)] for z ~ N(0, 1): E[f^2] - E[f]^2


def measured_lines(fig):
    """The right panel's solid lines (measured), not the dashed theory lines."""
    right = fig.axes[1]
    return [
        line for line in right.get_lines() if line.get_linestyle() == "-" and line.get_xdata().size
    ]


def theory_lines(fig):
    right = fig.axes[1]
    return [
        line for line in right.get_lines() if line.get_linestyle() == "--" and line.get_xdata().size
    ]


# --------------------------------------------------------------------------- import


def test_importing_experiments_needs_numpy_only():
    # Issue 11 computes grids of experiments at build time, with no widget and no figure.
    code = (
        "import sys, initact.experiments\n"
        "heavy = ('matplotlib', 'ipywidgets', 'IPython', 'sklearn')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --------------------------------------------------------------------------- initializers


@pytest.mark.parametrize("preset", ["glorot_uniform", "he_normal", "lecun_uniform", "he_uniform"])
def test_scaled_initializer_keeps_mode_and_distribution(preset):
    original = get_initializer(preset)
    init = scaled_initializer(preset, 3.0)
    assert isinstance(init, VarianceScaling)
    assert (init.scale, init.mode, init.distribution) == (3.0, original.mode, original.distribution)
    # Variance scale / n for a square kernel, whatever the mode.
    assert init.variance((50, 50)) == pytest.approx(3.0 / 50)


def test_scaled_orthogonal_has_gain_sqrt_scale():
    init = scaled_initializer("orthogonal", 4.0)
    assert isinstance(init, Orthogonal)
    w = init((30, 30), rng=0)
    # A square orthogonal matrix times g: W^T W = g^2 I = scale I.
    np.testing.assert_allclose(w.T @ w, 4.0 * np.eye(30), atol=1e-5)
    assert initializer_scale(init) == pytest.approx(4.0)


def test_preset_scales_are_table_11_1():
    expected = {"glorot_uniform": 1, "he_normal": 2, "lecun_normal": 1, "standard_uniform": 1 / 3}
    for name, scale in expected.items():
        assert initializer_scale(name) == pytest.approx(scale)
    assert scaled_initializer("he_normal") is get_initializer("he_normal")


# --------------------------------------------------------------------------- depth: theory


@pytest.mark.parametrize("init", ["glorot_uniform", "he_normal", "standard_uniform"])
def test_relu_theory_is_the_closed_form(init):
    scale = initializer_scale(init)
    exp = depth_experiment("relu", init, depth=6, width=20)
    layers = np.arange(1, 7)
    # Layer 1 sees standard normal inputs: q1 = scale * E[x^2] = scale. Each ReLU
    # layer after that multiplies q by scale * 1/2 (E[relu(z)^2] = q / 2).
    q = scale * (scale / 2) ** (layers - 1)
    np.testing.assert_allclose(exp.theory_q, q, rtol=1e-10)
    np.testing.assert_allclose(exp.theory_std, np.sqrt(q * RELU_VAR), rtol=1e-9)


def test_identity_theory_multiplies_by_scale():
    exp = depth_experiment("identity", "lecun_normal", scale=0.5, depth=4, width=20)
    np.testing.assert_allclose(exp.theory_q, 0.5 ** np.arange(1, 5), rtol=1e-12)
    np.testing.assert_allclose(exp.theory_std, np.sqrt(exp.theory_q), rtol=1e-9)


@pytest.mark.parametrize("init", ["he_normal", "glorot_uniform"])
def test_relu_simulation_averages_to_theory(init):
    # For ReLU the theory is the exact expectation of the measured q at any width:
    # E[z^2 | h] = Var[W] ||h||^2 and, z being symmetric, E[relu(z)^2] = E[z^2] / 2.
    # One network wanders around it (its samples become nearly parallel with
    # depth, so the batch average does not tame the width-N noise); the mean over
    # R independent networks has standard error sd / sqrt(R). 4 of them: a false
    # alarm in about 1e-4 of seed choices, for a roughly normal mean of 40 runs.
    seeds = range(40)
    runs = [depth_experiment("relu", init, depth=6, seed=s) for s in seeds]
    ratios = np.array([run.measured_q / run.theory_q for run in runs])
    mean = ratios.mean(axis=0)
    stderr = ratios.std(axis=0, ddof=1) / math.sqrt(len(seeds))
    assert np.all(np.abs(mean - 1) < 4 * stderr + 1e-12)
    # The check has teeth: taking E[f^2] (= q/2) as the overlay is off by 2.
    assert np.all(np.abs(mean / 0.5 - 1) > 4 * stderr / 0.5)


def test_selu_lecun_wide_network_stays_at_the_fixed_point():
    # Klambauer et al.: with LeCun normal weights q = 1 is SELU's fixed point,
    # E[selu] = 0, Var = 1. At width 400 each layer's q has a relative standard
    # error of about sqrt(2 / 400) = 0.07 per network (nearly parallel samples);
    # 10 layers in, a run stays within 5 of those of 1.
    exp = depth_experiment("selu", "lecun_normal", depth=10, width=400, n_samples=200)
    np.testing.assert_allclose(exp.theory_q, 1.0, rtol=1e-9)
    np.testing.assert_allclose(exp.theory_std, 1.0, rtol=1e-9)
    assert np.all(np.abs(exp.measured_q - 1) < 5 * math.sqrt(2 / 400))


def test_depth_experiment_rejects_bad_input():
    with pytest.raises(ValueError, match="depth"):
        depth_experiment(depth=0)
    with pytest.raises(TypeError, match="width"):
        depth_experiment(width=10.5)
    with pytest.raises(ValueError, match="scale"):
        depth_experiment(scale=-1.0)
    with pytest.raises(ValueError, match="unknown initializer"):
        depth_experiment(initializer="he_nromal")
    with pytest.raises(ValueError, match="activation"):
        depth_experiment(activation="relux")
    with pytest.raises(TypeError, match="initializer"):
        depth_experiment(initializer=VarianceScaling(2.0))


# --------------------------------------------------------------------------- depth: figure


def test_depth_plot_draws_measured_and_theory_per_layer():
    exp = depth_experiment("relu", "glorot_uniform", depth=12, width=30, seed=3)
    fig = exp.plot()
    solid, dashed = measured_lines(fig), theory_lines(fig)
    assert len(solid) == 2 and len(dashed) == 2
    for line in solid + dashed:
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 13))
    np.testing.assert_allclose(solid[0].get_ydata(), np.sqrt(exp.measured_q))
    q = 0.5 ** np.arange(12)  # scale 1: q1 = 1, then halved per ReLU layer
    np.testing.assert_allclose(dashed[0].get_ydata(), np.sqrt(q), rtol=1e-9)
    np.testing.assert_allclose(dashed[1].get_ydata(), np.sqrt(q * RELU_VAR), rtol=1e-9)
    assert fig.get_suptitle() == "relu, glorot_uniform with scale=1: 12 layers of 30 units"
    left = fig.axes[0]
    legend = [t.get_text() for t in left.get_legend().get_texts()]
    # Six layers, evenly spaced from the first to the last (np.linspace(1, 12, 6), rounded),
    # each with its share of exact zeros (ReLU: about half), which the histogram leaves out.
    layers = (1, 3, 5, 8, 10, 12)
    assert [text.split(" (")[0] for text in legend] == [f"layer {n}" for n in layers]
    for n, text in zip(layers, legend, strict=True):
        zeros = np.mean(exp.run.activations[n - 1] == 0)
        assert text.endswith(f"({zeros:.0%} zeros)")
    # The right panel: the gradient, measured and predicted (Glorot: variance x 1/2 per layer
    # on the way down, from E[f'^2] = 1/2 at the top).
    right = fig.axes[2]
    measured_grad, predicted_grad = (line.get_ydata() for line in right.get_lines()[:2])
    np.testing.assert_allclose(measured_grad, exp.measured_grad_std)
    np.testing.assert_allclose(predicted_grad, np.sqrt(0.5 ** np.arange(12, 0, -1)), rtol=1e-9)


def test_a_flat_curve_is_not_magnified():
    fig = depth_experiment("selu", "lecun_normal", depth=5, width=200).plot()
    low, high = fig.axes[1].get_ylim()
    assert high / low >= 4 - 1e-9


def test_plot_into_a_given_figure_replaces_its_content():
    from matplotlib.figure import Figure

    fig = Figure()
    assert depth_experiment(depth=3, width=10).plot(fig) is fig
    depth_experiment(depth=7, width=10).plot(fig)
    assert len(fig.axes) == 3  # histograms, forward, backward
    assert [line.get_xdata().size for line in measured_lines(fig)] == [7, 7]


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_every_activation_has_a_finite_theory_line(activation):
    for scale in (0.125, 8.0):  # the ends of the scale slider, at its full depth
        exp = depth_experiment(activation, "lecun_normal", scale, depth=100, width=10, n_samples=5)
        assert np.all(np.isfinite(exp.theory_q)) and np.all(np.isfinite(exp.theory_std))
        assert np.all(exp.theory_std >= 0)


def test_every_preset_runs_with_its_own_scale():
    for preset in DEPTH_INITIALIZERS:
        exp = depth_experiment("tanh", preset, depth=2, width=10, n_samples=10)
        assert exp.scale == pytest.approx(initializer_scale(preset))
        # Equal fans: every preset's weights have variance scale / width.
        w = exp.run.initializer((400, 400), rng=0)
        # 160,000 draws: a variance has relative s.e. sqrt(2 / N) = 0.0035; 0.02 is ~6 of them.
        assert float(w.var()) * 400 == pytest.approx(exp.scale, rel=0.02)


# --------------------------------------------------------------------------- dying ReLU


def test_dying_relu_experiment_records_every_epoch():
    exp = dying_relu_experiment(0.1, epochs=2, seed=1)
    assert exp.epochs.tolist() == [0, 1, 2]
    assert exp.dead_fractions.shape == (3, len(DYING_RELU_SIZES) - 2)
    assert len(exp.history.accuracy) == 2
    assert 0 <= exp.test_accuracy <= 1
    # He-initialized ReLUs on standardized inputs: a unit is born dead only if it
    # is <= 0 on all 1168 images, which at initialization does not happen.
    assert np.all(exp.dead_fractions[0] == 0)


def test_a_diverged_run_says_so():
    exp = dying_relu_experiment(50.0, epochs=2)
    assert exp.diverged
    assert math.isnan(exp.test_accuracy)
    assert "diverged in epoch 1" in exp.title
    fig = exp.plot()
    texts = [t.get_text() for t in fig.axes[1].texts]
    assert any("diverged" in t for t in texts)


def test_dying_relu_plot_draws_one_line_per_hidden_layer():
    fig = dying_relu_experiment(0.1, epochs=2).plot()
    lines = fig.axes[0].get_lines()
    assert [line.get_label() for line in lines] == ["layer 1", "layer 2"]
    assert all(line.get_xdata().tolist() == [0, 1, 2] for line in lines)
    assert fig.get_suptitle().startswith("relu, he_normal, SGD with lr=0.1: test accuracy ")


def test_dying_relu_experiment_rejects_bad_input():
    with pytest.raises(ValueError, match="lr"):
        dying_relu_experiment(0.0)
    with pytest.raises(ValueError, match="activation"):
        dying_relu_experiment(0.1, "tanh")
    with pytest.raises(TypeError, match="epochs"):
        dying_relu_experiment(0.1, epochs=2.0)


# --------------------------------------------------------------------------- the chapter's claims


def test_claim_he_keeps_relu_signal_and_glorot_halves_it():
    # 06_explore shows depth 30, width 100. The theory lines are exact (closed form);
    # the simulated Glorot run must sit far below He's: 30 layers of halving is 2^-29
    # in q, so even a factor-of-4 wander of either run cannot close the gap.
    he = depth_experiment("relu", "he_normal", depth=30)
    glorot = depth_experiment("relu", "glorot_uniform", depth=30)
    assert he.theory_q[-1] == pytest.approx(2.0)
    assert glorot.theory_q[-1] == pytest.approx(2.0**-29)
    assert glorot.measured_q[-1] / he.measured_q[-1] < 4 * 2.0**-29 * 4


def test_claim_a_large_learning_rate_kills_relus_and_a_small_one_does_not():
    # 06_explore: lr = 0.1 leaves every unit alive and learns the digits (> 0.9 on
    # the test set); lr = 10^0.2 (1.58) kills most of the second hidden layer and
    # the accuracy falls far below it. Over three seeds the large rate either
    # kills at least half of layer 2 or diverges: it never trains normally.
    for seed in range(3):
        small = dying_relu_experiment(0.1, seed=seed)
        assert np.all(small.dead_fractions == 0)
        assert small.test_accuracy > 0.9
        large = dying_relu_experiment(10**0.2, seed=seed)
        if not large.diverged:
            assert large.dead_fractions[-1, 1] > 0.5
            assert large.test_accuracy < 0.5


def test_claim_a_single_network_wanders_less_when_wider():
    # 06_explore: twenty He/ReLU networks, depth 30, at widths 50 and 200.
    # The sd of log2(measured / theory std) at layer 30 is about sqrt(5 L / n) / (2 ln 2)
    # for one input (book/03_table_11_1.md), an upper estimate for a batch. An sd from 20
    # runs has a relative standard error of about 1 / sqrt(2 (20 - 1)) = 0.16; 3 of them
    # above the estimate would be a real excess. Width 200 must halve it (ratio of estimates: 1/2).
    spread = {}
    for width in (50, 200):
        runs = [
            depth_experiment("relu", "he_normal", depth=30, width=width, seed=s) for s in range(20)
        ]
        log_ratio = [0.5 * math.log2(r.measured_q[-1] / r.theory_q[-1]) for r in runs]
        spread[width] = float(np.std(log_ratio, ddof=1))
        estimate = math.sqrt(5 * 30 / width) / (2 * math.log(2))
        assert spread[width] < estimate * (1 + 3 * 0.16)
        assert spread[width] > estimate * (1 - 3 * 0.16) / 2  # the batch removes far less than half
    assert spread[200] < spread[50] * 0.5 * (1 + 3 * 0.16 * math.sqrt(2))


def test_claim_all_of_layer_2_dead_means_one_class_for_every_image():
    # 06_explore: with the whole second layer dead, the network outputs its last bias for
    # every image, so the test accuracy is the share of one class in the test set. Which
    # large-rate run gets there is chaotic, so the dead layer is made here on purpose.
    from initact.diagnostics import dead_units
    from initact.nn import evaluate, fit, mlp

    data = experiments._digits()
    model = mlp(list(DYING_RELU_SIZES), "relu", "he_normal", rng=0, dtype=np.float64)
    fit(model, data.X_train, data.y_train, epochs=1, batch_size=32, lr=0.1, rng=0,
        progress=False)  # fmt: skip
    model.dense_layers[1].b[...] = -1e3  # every weighted sum of layer 2 below zero
    assert dead_units(model, data.X_train)[1].all()
    accuracy = evaluate(model, data.X_test, data.y_test)[1]
    shares = np.bincount(data.y_test, minlength=10) / len(data.y_test)
    assert np.isclose(shares, accuracy).any()
    assert accuracy < 0.15


def test_claim_leaky_relu_does_not_die_but_can_diverge():
    # 06_explore, over five seeds (float64): leaky ReLU never has a dead unit; ReLU at 1.0
    # loses units in every seed; at 1.58 every leaky run diverges, quietly.
    leaky = [dying_relu_experiment(1.0, "leaky_relu", seed=s) for s in range(5)]
    assert max(r.dead_fractions.max() for r in leaky) == 0
    relu = [dying_relu_experiment(1.0, "relu", seed=s) for s in range(5)]
    assert all(r.dead_fractions[-1, 1] > 0 for r in relu if not r.diverged)
    fast = dying_relu_experiment(10**0.2, "leaky_relu", seed=0)
    assert fast.diverged
    assert fast.summary().startswith("lr=1.58: diverged in epoch ")


# --------------------------------------------------------------------------- backward (issue 11)


def test_depth_experiment_gradients_follow_the_mean_field_for_he_on_relu():
    # He on ReLU: the gradient's variance is E[f'(z)^2] = 1/2 at every layer. One network of
    # width n wanders by about sqrt(5 L / n) in variance (chapter 6), so the tolerance on
    # log(std) is 3 halves of that, for L = 4 layers of width 400.
    exp = experiments.depth_experiment("relu", "he_normal", depth=4, width=400, n_samples=400)
    np.testing.assert_allclose(exp.theory_grad_var, 0.5)
    tolerance = 3 * 0.5 * np.sqrt(5 * 4 / 400)
    assert np.all(np.abs(np.log(exp.measured_grad_std / exp.theory_grad_std)) < tolerance)


def test_depth_experiment_backward_pass_leaves_the_forward_pass_as_it_was():
    from initact.propagation import propagate

    exp = experiments.depth_experiment("tanh", "glorot_uniform", depth=3, width=20, seed=4)
    forward = propagate("tanh", "glorot_uniform", depth=3, width=20, n_samples=200, rng=4,
                        backward=False, dtype=np.float64)  # fmt: skip
    for a, b in zip(exp.run.activations, forward.activations, strict=True):
        np.testing.assert_array_equal(a, b)


def test_glorot_on_relu_halves_the_gradient_variance_per_layer_on_the_way_down():
    exp = experiments.depth_experiment("relu", "glorot_uniform", depth=6, width=50)
    np.testing.assert_allclose(exp.theory_grad_var[:-1] / exp.theory_grad_var[1:], 0.5)
    # measured: the std ratio over 5 layers is 2**-2.5 within the one-network spread
    ratio = exp.measured_grad_std[0] / exp.measured_grad_std[-1]
    assert abs(np.log2(ratio) + 2.5) < 3 * np.sqrt(5 * 6 / 50) / (2 * np.log(2))


# --------------------------------------------------------------------------- training (issue 11)


def test_training_experiment_is_reproducible_and_reports_every_epoch():
    seen = []
    a = experiments.training_experiment(
        "tanh", "glorot_uniform", depth=2, width=16, epochs=2, on_epoch=seen.append
    )
    b = experiments.training_experiment("tanh", "glorot_uniform", depth=2, width=16, epochs=2)
    assert [p.epochs.tolist() for p in seen] == [[0], [0, 1], [0, 1, 2]]
    np.testing.assert_array_equal(a.loss, b.loss)
    np.testing.assert_array_equal(a.saturated_fractions, b.saturated_fractions)
    assert a.dead_fractions.shape == a.saturated_fractions.shape == (3, 2)
    assert np.all((a.dead_fractions >= 0) & (a.dead_fractions <= 1))


def test_training_experiment_saturation_is_defined_for_bounded_activations_only():
    relu = experiments.training_experiment("relu", "he_normal", depth=2, width=16, epochs=1)
    assert np.isnan(relu.saturated_fractions).all()
    # tanh with 8 times Glorot's scale saturates from the start; with Glorot's, hardly
    big = experiments.training_experiment(
        "tanh", "glorot_uniform", 8.0, depth=3, width=32, epochs=1
    )
    small = experiments.training_experiment("tanh", "glorot_uniform", depth=3, width=32, epochs=1)
    assert big.saturated_fractions[0].min() > 0.25 > 0.1 > small.saturated_fractions[0].max()


def test_training_experiment_deep_sigmoid_stays_at_chance_where_tanh_learns():
    # The chapter's claim, one seed: 6 x 64 with Glorot, lr 0.1, 5 epochs.
    sigmoid = experiments.training_experiment("sigmoid", "glorot_uniform")
    tanh = experiments.training_experiment("tanh", "glorot_uniform")
    assert sigmoid.val_accuracy[-1] < 0.2 and abs(sigmoid.loss[-1] - np.log(10)) < 0.1
    assert tanh.val_accuracy[-1] > 0.8 and tanh.loss[-1] < 0.5


def test_training_experiment_reports_divergence():
    run = experiments.training_experiment("relu", "he_normal", 8.0, depth=6, epochs=3, lr=3.0)
    assert run.diverged and int(run.epochs[-1]) < 3
    assert "diverged" in run.summary()
