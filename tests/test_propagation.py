"""propagate(): the simulation agrees with the mean-field theory it illustrates."""

import math

import numpy as np
import pytest

from initact.plotting.propagation import plot_by_depth, plot_layer_histograms
from initact.propagation import propagate
from initact.theory import propagate_variance


def test_layers_and_shapes():
    run = propagate("tanh", "glorot_uniform", depth=4, width=30, n_samples=20, n_inputs=7, rng=0)
    assert len(run.activations) == len(run.pre_activations) == len(run.gradients) == 4
    assert run.pre_activations[0].shape == (20, 30)
    assert run.weight_gradients[0].shape == (7, 30)
    assert run.weight_gradients[1].shape == (30, 30)
    np.testing.assert_allclose(run.activations[2], np.tanh(run.pre_activations[2]), rtol=1e-6)


def test_same_seed_same_run():
    a = propagate("relu", "he_normal", depth=3, width=20, n_samples=10, rng=5)
    b = propagate("relu", "he_normal", depth=3, width=20, n_samples=10, rng=5)
    np.testing.assert_array_equal(a.activations[-1], b.activations[-1])
    np.testing.assert_array_equal(a.gradients[0], b.gradients[0])


@pytest.mark.parametrize(
    ("activation", "init", "scale"),
    [("relu", "he_normal", 2.0), ("tanh", "lecun_normal", 1.0), ("selu", "lecun_normal", 1.0)],
)
def test_pre_activation_variance_follows_the_mean_field_map(activation, init, scale):
    # Standard normal inputs give the first layer q1 = scale * E[x^2] = scale; after that the
    # map q -> scale * E[f(z)^2] applies. The finite-width simulation fluctuates around it:
    # each layer's gain has relative spread ~ sqrt(2 / width), so over L layers the
    # accumulated log-error is ~ sqrt(2 L / width); allow 4 of those.
    width, depth = 400, 10
    run = propagate(
        activation, init, depth=depth, width=width, n_samples=400, rng=0, dtype=np.float64
    )
    theory = propagate_variance(activation, scale, depth - 1, q0=scale)
    measured = run.pre_activation_variance()
    tol = 4 * math.sqrt(2 * depth / width)
    assert np.all(np.abs(np.log(measured / theory)) < tol)


def test_relu_rms_with_glorot_shrinks_by_sqrt2_per_layer_relative_to_he():
    he = propagate("relu", "he_normal", depth=12, width=300, n_samples=300, rng=1)
    glorot = propagate("relu", "glorot_normal", depth=12, width=300, n_samples=300, rng=1)
    # Same seed, so both nets see the same inputs and the same underlying normal draws;
    # with equal fans the Glorot kernels are exactly the He kernels / sqrt(2), and ReLU is
    # positively homogeneous, so layer l is exactly (1/sqrt 2)^l of He's.
    ratio = glorot.rms() / he.rms()
    np.testing.assert_allclose(ratio, 2.0 ** (-np.arange(1, 13) / 2), rtol=1e-4)


def test_bad_arguments_name_the_parameter():
    with pytest.raises(ValueError, match="depth"):
        propagate("relu", "he_normal", depth=0, width=3)
    with pytest.raises(TypeError, match="width"):
        propagate("relu", "he_normal", depth=2, width=2.5)
    with pytest.raises(ValueError, match="gradients"):
        propagate("relu", "he_normal", depth=2, width=3, backward=False).gradient_std()


def test_plots_label_their_axes_and_layers():
    run = propagate("tanh", "standard_uniform", depth=5, width=40, n_samples=40, rng=0)
    fig = plot_layer_histograms(run, "gradient", layers=[1, 5])
    ax = fig.axes[0]
    assert ax.get_xlabel() == "back-propagated gradient" and ax.get_ylabel() == "density"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["layer 1", "layer 5"]
    with pytest.raises(ValueError, match="layers"):
        plot_layer_histograms(run, layers=[6])
    with pytest.raises(ValueError, match="quantity"):
        plot_layer_histograms(run, "weights")
    fig = plot_by_depth({"std": run.std()}, theory={"std": run.std()}, ylabel="std")
    lines = fig.axes[0].get_lines()
    assert len(lines) == 2 and lines[1].get_linestyle() == "--"
    np.testing.assert_allclose(lines[0].get_ydata(), run.std())
