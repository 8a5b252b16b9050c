"""The claims of book/02_unstable_gradients.md, computed directly with initact.

Expected values come from closed forms (Equation 11-1, the variance of U(-r, r)) or
from a mean-field theory computed here by Gauss-Hermite quadrature, a different
method from initact.theory's Gauss-Legendre panels. Statistical checks use fixed
seeds and tolerances of several standard errors, derived in the comments.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import initact
from initact import (
    VarianceScaling,
    glorot_uniform,
    lecun_uniform,
    standard_uniform,
    theory,
)
from initact.data import load_digits
from initact.diagnostics import Recorder
from initact.nn import fit, mlp
from initact.nn.training import evaluate
from initact.propagation import propagate

# --- Step 1: Var[sum w_i x_i] = n Var[w] Var[x] --------------------------------


@pytest.mark.parametrize(
    ("draw_w", "var_w", "fourth_w", "draw_x", "var_x", "fourth_x"),
    [
        # U(-a, a): variance a^2/3, fourth moment a^4/5; N(0, s^2): s^2 and 3 s^4.
        (lambda g, s: g.uniform(-0.05, 0.05, s), 0.05**2 / 3, 0.05**4 / 5,
         lambda g, s: g.normal(0.0, 2.0, s), 4.0, 3 * 16.0),
        (lambda g, s: g.normal(0.0, 0.1, s), 0.01, 3e-4,
         lambda g, s: g.uniform(-3.0, 3.0, s), 3.0, 81 / 5),
    ],
)  # fmt: skip
def test_variance_of_a_weighted_sum(draw_w, var_w, fourth_w, draw_x, var_x, fourth_x):
    rng = np.random.default_rng(0)
    n, m = 500, 4000
    y = (draw_w(rng, (m, n)) * draw_x(rng, (m, n))).sum(axis=1)
    predicted = n * var_w * var_x
    # y is a sum of n i.i.d. zero-mean products p = w x with kurtosis
    # k_p = E[w^4] E[x^4] / (Var w Var x)^2, so y has kurtosis k_y = 3 + (k_p - 3) / n,
    # and the sample variance of m draws has standard error Var[y] sqrt((k_y - 1) / m).
    k_p = fourth_w * fourth_x / (var_w * var_x) ** 2
    k_y = 3 + (k_p - 3) / n
    stderr = predicted * math.sqrt((k_y - 1) / m)
    assert abs(y.var() - predicted) < 4 * stderr


# --- Step 2: the forward and the backward conditions ----------------------------


@pytest.mark.parametrize(
    ("mode", "forward", "backward"),
    # n_in = 1000, n_out = 250: Var[W] = 1/1000, 1/250, 1/625.
    [("fan_in", 1.0, 0.25), ("fan_out", 4.0, 1.0), ("fan_avg", 1.6, 0.4)],
)
def test_a_layer_multiplies_variance_by_n_in_var_w_forward_and_n_out_var_w_backward(
    mode, forward, backward
):
    n_in, n_out, m = 1000, 250, 2000
    rng = np.random.default_rng(1)
    w = VarianceScaling(1.0, mode, "uniform")((n_in, n_out), rng=rng, dtype=np.float64)
    x = rng.standard_normal((m, n_in))
    g = rng.standard_normal((m, n_out))
    measured_forward = (x @ w).var() / x.var()
    measured_backward = (g @ w.T).var() / g.var()
    # Two sources of error. The weights: mean(W^2) over N = n_in n_out uniform draws has
    # relative standard error sqrt(0.8 / N) (w^2 of a uniform has relative variance 4/5).
    # The signal: k output columns each estimate their variance from m samples
    # (relative error sqrt(2/m)); they share the inputs, with squared correlations of
    # order 1/fan, so their mean has relative error sqrt(2/m * (1/k + 1/fan)).
    for measured, expected, k, fan in [
        (measured_forward, forward, n_out, n_in),
        (measured_backward, backward, n_in, n_out),
    ]:
        rel = math.sqrt(0.8 / (n_in * n_out) + 2 / m * (1 / k + 1 / fan))
        assert abs(measured / expected - 1) < 5 * rel


def test_only_fan_avg_keeps_both_directions_within_the_fans_ratio():
    # Equation 11-1's compromise: Var[W] = 2 / (n_in + n_out) = 1 / fan_avg.
    n_in, n_out = 1000, 250
    var = glorot_uniform.variance((n_in, n_out))
    assert var == pytest.approx(2 / (n_in + n_out), rel=1e-15)
    assert n_in * var == pytest.approx(1.6) and n_out * var == pytest.approx(0.4)


# --- Step 3: the uniform limit r = sqrt(3 sigma^2) -------------------------------


@pytest.mark.parametrize("shape", [(1000, 250), (784, 300), (64, 64)])
def test_glorot_uniform_limit_and_variance(shape):
    n_in, n_out = shape
    r = math.sqrt(6 / (n_in + n_out))  # Glorot & Bengio's eq. 16
    assert glorot_uniform.limit(shape) == pytest.approx(r, rel=1e-15)
    w = glorot_uniform(shape, rng=2, dtype=np.float64)
    big_n = w.size
    biggest = float(np.abs(w).max())
    # Every sample lies in [-r, r]; the largest |w| of N uniform draws falls below
    # r (1 - t) with probability (1 - t)^N: t = 20 / N makes that about e^-20.
    assert biggest <= r
    assert biggest >= r * (1 - 20 / big_n)
    # Var[U(-r, r)] = r^2 / 3 = 1 / fan_avg; w^2 has relative variance 4/5, so the sample
    # variance has relative standard error sqrt(0.8 / N). Allow 5 of them.
    fan_avg = (n_in + n_out) / 2
    assert abs(w.var() * fan_avg - 1) < 5 * math.sqrt(0.8 / big_n)


# --- Step 4: LeCun's fan_in form and the "standard" init -------------------------


def test_lecun_is_glorot_when_fans_are_equal_and_standard_is_one_third_of_it():
    square = (1000, 1000)
    assert lecun_uniform.variance(square) == pytest.approx(glorot_uniform.variance(square))
    assert lecun_uniform.variance((1000, 250)) == pytest.approx(1 / 1000)
    # U[-1/sqrt(n), 1/sqrt(n)] has variance 1 / (3 n).
    assert standard_uniform.limit(square) == pytest.approx(1 / math.sqrt(1000))
    assert 1000 * standard_uniform.variance(square) == pytest.approx(1 / 3)


# --- The 5 x 1000 tanh network --------------------------------------------------

DEPTH, WIDTH, SAMPLES = 5, 1000, 1000
SCALES = {"standard_uniform": 1 / 3, "glorot_uniform": 1.0}

_X, _W = np.polynomial.hermite_e.hermegauss(120)  # weight exp(-x^2 / 2)


def gaussian_mean(g, q: float) -> float:
    """E[g(z)], z ~ N(0, q), by Gauss-Hermite quadrature (independent of initact.theory)."""
    return float(_W @ g(math.sqrt(q) * _X)) / math.sqrt(2 * math.pi)


def mean_field(scale: float, depth: int = DEPTH):
    """Pre-activation variances, activation stds and gradient stds of the tanh network.

    Standard normal inputs: q_1 = scale. Forward q_{l+1} = scale E[tanh(z_l)^2]. Backward
    from a N(0, 1) error at the top: v_L = E[tanh'(z_L)^2], v_l = scale E[tanh'(z_l)^2] v_{l+1}.
    """
    q = [scale]
    for _ in range(depth - 1):
        q.append(scale * gaussian_mean(lambda z: np.tanh(z) ** 2, q[-1]))
    a = [gaussian_mean(lambda z: np.tanh(z) ** 2, ql) for ql in q]
    d = [gaussian_mean(lambda z: np.cosh(z) ** -4, ql) for ql in q]
    v = [d[-1]]
    for layer in range(depth - 2, -1, -1):
        v.insert(0, scale * d[layer] * v[0])
    return np.array(q), np.sqrt(a), np.sqrt(v)


# Per-layer relative error of a measured variance: the weights' mean square over n^2
# uniform entries (relative variance 0.8 / n^2) and the m sampled inputs seen through n
# units (about 2 / (m n)). Errors accumulate over the layers a quantity passes through:
# sqrt(L) layers forward, up to 2L forward-and-back for a gradient; a std has half the
# relative error of a variance. 5 such standard errors, plus the O(1/n) finite-width bias
# of the mean-field limit. This gives about 1.0% (activations) and 1.4% (gradients).
_EPS = math.sqrt(0.8 / WIDTH**2 + 2 / (SAMPLES * WIDTH))
TOL_ACT = 5 * 0.5 * math.sqrt(DEPTH) * _EPS + 1 / WIDTH
TOL_GRAD = 5 * 0.5 * math.sqrt(2 * DEPTH) * _EPS + 1 / WIDTH


@pytest.fixture(scope="module")
def runs():
    return {
        name: propagate(
            "tanh", name, depth=DEPTH, width=WIDTH, n_samples=SAMPLES, rng=0, dtype=np.float64
        )
        for name in SCALES
    }


def test_the_quadrature_theory_agrees_with_initact_theory():
    # Two methods for the same map: a check on the expected values used below.
    for scale in SCALES.values():
        q, _, _ = mean_field(scale)
        np.testing.assert_allclose(
            q, theory.propagate_variance("tanh", scale, DEPTH - 1, q0=scale), rtol=1e-10
        )


@pytest.mark.parametrize("name", SCALES)
def test_activation_and_gradient_stds_follow_the_mean_field_theory(runs, name):
    q, act_std, grad_std = mean_field(SCALES[name])
    run = runs[name]
    np.testing.assert_allclose(run.pre_activation_variance(), q, rtol=2 * TOL_ACT)
    np.testing.assert_allclose(run.std(), act_std, rtol=TOL_ACT)
    np.testing.assert_allclose(run.gradient_std(), grad_std, rtol=TOL_GRAD)


def test_linear_regime_bound_on_tanh():
    # tanh(z) >= z - z^3/3 for z >= 0 gives tanh(z)^2 >= z^2 - 2 z^4 / 3, so with
    # E[z^4] = 3 q^2:  q - 2 q^2 <= E[tanh(z)^2] <= q.
    for q in np.geomspace(1e-4, 2.0, 30):
        second = theory.moments("tanh", float(q)).second
        assert q - 2 * q * q <= second <= q


def test_standard_init_shrinks_the_activation_std_by_about_one_over_sqrt3(runs):
    run = runs["standard_uniform"]
    std, q = run.std(), run.pre_activation_variance()
    ratios = std[1:] / std[:-1]
    # Theory: a_{l+1} / a_l = E[tanh(z_{l+1})^2] / (3 q_{l+1}) lies in [(1 - 2q)/3, 1/3]
    # with q = q_{l+1}, the bound above. The measured ratio of two stds adds
    # sqrt(2) * TOL_ACT of statistical error.
    tol = math.sqrt(2) * TOL_ACT
    lower = np.sqrt((1 - 2 * q[1:]) / 3)
    assert np.all(ratios >= lower * (1 - tol))
    assert np.all(ratios <= (1 / math.sqrt(3)) * (1 + tol))
    # Deep in the linear regime (q_5 ~ 0.002) the factor is 1/sqrt(3) to within 1%.
    assert q[-1] < 0.005
    assert ratios[-1] == pytest.approx(1 / math.sqrt(3), rel=0.01)
    # Over four layers the std falls by roughly 3^2 = 9 (a bit more: layer 1 is nonlinear).
    assert 9 < std[0] / std[-1] < 11


def test_glorot_keeps_the_activation_std_within_a_factor_2(runs):
    std = runs["glorot_uniform"].std()
    _, act_std, _ = mean_field(1.0)
    assert act_std.max() / act_std.min() < 2  # theory: 1.95, so the margin is small
    assert std.max() / std.min() < 2
    assert np.all(np.diff(std) < 0)  # but it does shrink: tanh is not linear at q ~ 1


def test_gradient_ratio_layer1_over_layer5_is_far_lower_with_standard_init(runs):
    ratio = {}
    for name, run in runs.items():
        g = run.gradient_std()
        ratio[name] = g[0] / g[-1]
        _, _, g_theory = mean_field(SCALES[name])
        # Two stds, each within TOL_GRAD: their ratio within about 2 TOL_GRAD.
        assert ratio[name] == pytest.approx(g_theory[0] / g_theory[-1], rel=2 * TOL_GRAD)
    assert ratio["standard_uniform"] < ratio["glorot_uniform"] / 4


def test_weight_gradients_keep_a_similar_variance_across_layers_with_standard_init(runs):
    run = runs["standard_uniform"]
    wg = run.weight_gradient_std()
    # dL/dW_l = x_{l-1}^T dL/dz_l sums SAMPLES products: std ~ sqrt(m) std(x) std(g),
    # where the two factors move in opposite directions by sqrt(3) per layer.
    _, act_std, grad_std = mean_field(1 / 3)
    x_std = np.concatenate([[1.0], act_std[:-1]])
    np.testing.assert_allclose(wg, math.sqrt(SAMPLES) * x_std * grad_std, rtol=2 * TOL_GRAD)
    assert wg.max() / wg.min() < 1.1
    # ... while the back-propagated gradients themselves differ tenfold.
    g = run.gradient_std()
    assert g.max() / g.min() > 10


# --- The opener: a product of random matrices -------------------------------------


def test_fifty_random_layers_multiply_the_std_by_sqrt_n_sigma_per_layer():
    x0 = np.random.default_rng(0).standard_normal((200, 100))
    weights = np.random.default_rng(1).standard_normal((50, 100, 100))
    x, jacobian = x0, np.eye(100)
    for w in weights:
        x, jacobian = x @ w, jacobian @ w
    # Each layer multiplies a row's squared norm by chi2_100 / 100 times n Var[W] = 100:
    # ln(variance) gains ln 100 plus noise of sd sqrt(2/100) per layer, sqrt(50 * 0.02) = 1
    # after 50 layers, so ln(std) is 50 ln 10 within sd 0.5. Allow 5 sd.
    assert abs(math.log(x.std()) - 50 * math.log(10)) < 5 * 0.5
    # The Jacobian of x_50 with respect to x_0 is the same product: sqrt(n) std(J) = std(x_50).
    assert math.sqrt(100) * jacobian.std() == pytest.approx(x.std(), rel=0.1)


# --- Training on digits: Géron's N(0, 1) story and Glorot & Bengio's ------------------

_TRAIN_INITS = {
    "N(0, 1)": initact.RandomNormal(0.0, 1.0),
    "standard": standard_uniform,
    "Glorot": glorot_uniform,
}
_SEEDS = (0, 1, 2)


def _digits():
    return load_digits(seed=0, dtype=np.float64)


def _build(activation, init, seed, digits):
    sizes = [digits.n_features] + [100] * 5 + [digits.n_classes]
    return mlp(sizes, activation, init, rng=seed, dtype=np.float64)


@pytest.fixture(scope="module")
def trained():
    digits = _digits()
    X, y = digits.train
    out = {}
    for activation in ("tanh", "sigmoid"):
        for name, init in _TRAIN_INITS.items():
            for seed in _SEEDS:
                model = _build(activation, init, seed, digits)
                rec = Recorder(every=5)
                history = fit(
                    model, X, y, epochs=10, batch_size=32, lr=0.1, rng=seed,
                    callbacks=[rec], progress=False,
                )  # fmt: skip
                out[activation, name, seed] = (history, rec)
    return out


def test_initial_loss_is_ln_c_when_the_last_layer_is_zero_or_small():
    digits = _digits()
    X, y = digits.train
    for seed in _SEEDS:
        model = _build("tanh", glorot_uniform, seed, digits)
        # Small logits (std ~ 0.4): the loss is ln 10 plus O(std^2).
        assert abs(evaluate(model, X, y)[0] - math.log(10)) < 0.15
        model.dense_layers[-1].W[:] = 0.0
        assert evaluate(model, X, y)[0] == pytest.approx(math.log(10), rel=1e-12)
        # Confidently wrong: N(0, 1) weights give logits of std ~ 6-10, loss > 4 ln 10.
        for activation in ("tanh", "sigmoid"):
            wild = _build(activation, _TRAIN_INITS["N(0, 1)"], seed, digits)
            assert evaluate(wild, X, y)[0] > 4 * math.log(10)


def test_n01_weights_saturate_most_units_and_the_other_inits_almost_none(trained):
    for (_activation, name, _seed), (_history, rec) in trained.items():
        worst = rec.saturated_fraction[0].max()  # first step, most saturated layer
        # One batch of 32 x 100 units: a fraction's standard error is below 0.01, and
        # the units of a layer are correlated, so keep thresholds far from the values.
        if name == "N(0, 1)":
            assert worst > 0.5
        else:
            assert worst < 0.1


def test_layer_one_saturation_matches_a_gaussian_prediction_within_a_few_points(trained):
    # Layer 1 of the N(0, 1) tanh net: z sums 64 standardized pixels with unit weights,
    # so Var[z] ~ 61 (three pixels are constant); |tanh z| > 0.97 iff |z| > atanh(0.97).
    digits = _digits()
    X, _ = digits.train
    std_1 = math.sqrt(float((X.var(axis=0)).sum()))
    predicted = math.erfc(math.atanh(0.97) / (std_1 * math.sqrt(2)))
    for seed in _SEEDS:
        seen = trained["tanh", "N(0, 1)", seed][1].saturated_fraction[0, 0]
        assert abs(seen - predicted) < 0.1


def _fine_gaussian_mean(g, q: float) -> float:
    """E[g(z)], z ~ N(0, q), by the trapezoid rule on a fine grid over +-12 std.

    Gauss-Hermite nodes are too sparse for q ~ 100, where tanh' is a narrow peak.
    """
    z = np.linspace(-12, 12, 200_001) * math.sqrt(q)
    density = np.exp(-(z**2) / (2 * q)) / math.sqrt(2 * math.pi * q)
    y = g(z) * density
    return float(np.sum(y[1:] + y[:-1]) / 2 * (z[1] - z[0]))  # trapezoid rule


def _gradient_factor(activation: str, scale: float) -> float:
    """s E[f'(z)^2] at the mean-field variance after 10 layers (fine-grid quadrature)."""
    f = {"tanh": np.tanh, "sigmoid": lambda z: 0.5 * (1 + np.tanh(z / 2))}[activation]
    df2 = {
        "tanh": lambda z: np.cosh(z) ** -4,
        "sigmoid": lambda z: (0.25 * np.cosh(z / 2) ** -2) ** 2,
    }[activation]
    q = 1.0
    for _ in range(10):
        q = scale * _fine_gaussian_mean(lambda z: f(z) ** 2, q)
    return scale * _fine_gaussian_mean(df2, q)


def test_weight_gradients_explode_with_n01_tanh_and_vanish_with_standard_sigmoid(trained):
    # Mean-field factors per layer on the gradient's variance (independent quadrature).
    assert _gradient_factor("tanh", 100.0) > 4  # the chapter prints 5.5
    assert 0.015 < _gradient_factor("sigmoid", 1 / 3) < 0.025  # about 1/50
    for seed in _SEEDS:
        g = trained["tanh", "N(0, 1)", seed][1].grad_std[0, :-1]
        assert g[0] / g[-1] > 10  # four factors of sqrt(5.5): about 30
        g = trained["sigmoid", "standard", seed][1].grad_std[0, :-1]
        assert g[0] / g[-1] < 0.01  # four factors of sqrt(0.02): about 4e-4 (x2 at layer 1)
        g = trained["tanh", "standard", seed][1].grad_std[0, :-1]
        assert 0.5 < g[0] / g[-1] < 2  # Glorot & Bengio: balanced weight gradients


def test_training_orders_the_inits_in_every_seed(trained):
    ln10 = math.log(10)
    for seed in _SEEDS:
        final = {key[:2]: h.loss[-1] for key, (h, _) in trained.items() if key[2] == seed}
        assert not any(h.diverged for h, _ in trained.values())
        # tanh: Glorot < standard < N(0, 1), each by a wide margin (factors 3 and 25 in the book).
        assert final["tanh", "Glorot"] < final["tanh", "standard"] / 2
        assert final["tanh", "standard"] < 0.2 < 1.5 < final["tanh", "N(0, 1)"]
        # sigmoid: the vanishing gradient stalls standard and Glorot at ln 10 ...
        assert final["sigmoid", "standard"] > ln10 - 0.1
        assert final["sigmoid", "Glorot"] > ln10 - 0.1
        # ... while the saturated N(0, 1) network still learns.
        assert final["sigmoid", "N(0, 1)"] < 1.0
