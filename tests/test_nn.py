"""initact.nn: exact gradients, real learning, dying ReLUs and the 30-layer stall."""

import math

import numpy as np
import pytest

from initact.activations import ACTIVATIONS, RReLU
from initact.data import load_digits, make_spirals
from initact.diagnostics import DeadChart
from initact.nn import (
    MLP,
    SGD,
    ActivationLayer,
    AlphaDropout,
    Callback,
    Dense,
    Dropout,
    evaluate,
    fit,
    lsuv,
    mean_squared_error,
    mlp,
    randomized_asymmetric_init,
    softmax_cross_entropy,
)

H = 1e-6  # finite-difference step (float64)


@pytest.fixture(scope="module")
def digits():
    return load_digits(seed=0)


def loss_of(model, X, y, loss):
    out = model.forward(X)
    fn = softmax_cross_entropy if loss == "cross_entropy" else mean_squared_error
    return fn(out, y)


def check_gradients(model, X, y, loss="cross_entropy"):
    """Every parameter gradient against central differences; returns the worst relative error."""
    model.eval()
    _, grad = loss_of(model, X, y, loss)
    model.backward(grad)
    analytic = {name: g.copy() for name, _, g in model.parameters()}
    worst = 0.0
    for name, value, _ in model.parameters():
        numeric = np.zeros_like(value)
        for i in np.ndindex(value.shape):
            old = value[i]
            value[i] = old + H
            plus = loss_of(model, X, y, loss)[0]
            value[i] = old - H
            minus = loss_of(model, X, y, loss)[0]
            value[i] = old
            numeric[i] = (plus - minus) / (2 * H)
        # Central differences err by O(H^2 f''') + O(eps / H) ~ 1e-10 here.
        err = np.abs(numeric - analytic[name]).max() / max(1e-3, np.abs(numeric).max())
        worst = max(worst, err)
    return worst


def far_from_kinks(model, X, margin=1e-3):
    """Pre-activations must stay away from 0, where ReLU-like derivatives jump."""
    model.eval()
    model.forward(X)
    return all(np.abs(layer.x).min() > margin for layer in model.activation_layers)


@pytest.mark.parametrize("activation", [a for a in ACTIVATIONS if a != "rrelu"] + ["rrelu"])
@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_every_parameter_gradient_matches_finite_differences(activation, loss):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((6, 4))
    y = rng.integers(0, 3, 6) if loss == "cross_entropy" else rng.standard_normal((6, 3))
    model = mlp(
        [4, 5, 4, 3],
        activation=activation,
        kernel_init="he_normal",
        bias_init=0.1,
        rng=2,
        dtype=np.float64,
    )
    model.eval()  # RReLU: the fixed mean slope
    assert far_from_kinks(model, X)
    assert check_gradients(model, X, y, loss) < 1e-6


@pytest.mark.parametrize("per_unit", [False, True])
def test_prelu_slope_gradient_shared_and_per_unit(per_unit):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((8, 3))
    y = rng.integers(0, 2, 8)
    model = mlp(
        [3, 6, 2],
        activation="prelu",
        per_unit=per_unit,
        kernel_init="he_normal",
        rng=4,
        dtype=np.float64,
    )
    alpha = model.activation_layers[0].params["alpha"]
    assert alpha.shape == ((6,) if per_unit else (1,))
    assert np.all(alpha == 0.25)  # He et al.'s starting slope
    assert far_from_kinks(model, X)
    assert check_gradients(model, X, y) < 1e-6


def test_prelu_slope_is_trained():
    X, y = make_spirals(200, rng=0)
    model = mlp([2, 16, 2], activation="prelu", per_unit=True, kernel_init="he_normal", rng=0)
    fit(model, X, y, epochs=3, batch_size=20, lr=0.1, rng=0, progress=False)
    alpha = model.activation_layers[0].params["alpha"]
    assert not np.allclose(alpha, 0.25)
    # The forward pass really uses the trained slope.
    z = np.array([[-2.0] * 16], dtype=np.float32)
    np.testing.assert_allclose(model.activation_layers[0].forward(z)[0], -2.0 * alpha, rtol=1e-6)


def test_rrelu_train_mode_draws_slopes_and_eval_mode_uses_their_mean():
    model = mlp([3, 200, 2], activation="rrelu", rng=0, dtype=np.float64)
    layer = model.activation_layers[0]
    x = -np.ones((50, 200))
    model.train()
    a, b = layer.forward(x), layer.forward(x)
    slopes = -a
    assert not np.array_equal(a, b)  # fresh slopes each pass
    assert slopes.min() >= 1 / 8 and slopes.max() <= 1 / 3
    # Mean of 10,000 U(1/8, 1/3) slopes: standard error (5/24)/sqrt(12 n).
    se = (1 / 3 - 1 / 8) / math.sqrt(12 * slopes.size)
    assert abs(slopes.mean() - 11 / 48) < 5 * se
    # backward in training uses the slopes of that same forward pass
    grad = layer.backward(np.ones_like(x))
    np.testing.assert_array_equal(grad, -b)
    model.eval()
    np.testing.assert_allclose(layer.forward(x), -11 / 48 * np.ones_like(x))


def test_each_rrelu_layer_owns_its_slopes_and_its_backward_reuses_them():
    # The activation is a pure function, shared freely; the draws belong to each layer.
    rrelu = RReLU()
    model = mlp([3, 4, 5, 2], activation=rrelu, rng=0, dtype=np.float64)
    first, second = model.activation_layers
    assert first.activation is rrelu and second.activation is rrelu
    model.train()
    x = np.random.default_rng(1).standard_normal((6, 3))
    model.forward(x)
    assert first.slopes.shape == (6, 4) and second.slopes.shape == (6, 5)
    # Layer 1's output is its own slopes times its negative inputs.
    z = first.x
    np.testing.assert_array_equal(first.output, np.where(z > 0, z, first.slopes * z))
    grad = np.random.default_rng(2).standard_normal((6, 4))
    np.testing.assert_array_equal(first.backward(grad), grad * np.where(z > 0, 1.0, first.slopes))
    # Evaluation mode: the fixed test-time slope, no draw.
    model.eval()
    model.forward(x)
    assert first.slopes is None
    np.testing.assert_allclose(first.output, np.where(first.x > 0, first.x, 11 / 48 * first.x))


def test_softmax_cross_entropy_is_stable_and_matches_the_definition():
    logits = np.array([[1000.0, 0.0, -1000.0], [0.5, 0.25, 0.0]])
    y = np.array([0, 2])
    loss, grad = softmax_cross_entropy(logits, y)
    p1 = np.exp([0.5, 0.25, 0.0]) / np.exp([0.5, 0.25, 0.0]).sum()
    expected = (0.0 - math.log(p1[2])) / 2  # first row: log-prob 0 exactly
    assert loss == pytest.approx(expected, rel=1e-12)
    assert np.isfinite(grad).all()
    np.testing.assert_allclose(grad[1], (p1 - [0, 0, 1]) / 2)


def test_sgd_momentum_and_nesterov_follow_keras_formulas():
    model = mlp([2, 1], rng=0, dtype=np.float64)
    w = model.dense_layers[0].W
    w[...] = 1.0
    grads = [0.5, -1.0, 0.25]
    for nesterov in (False, True):
        w[...] = 1.0
        opt = SGD(lr=0.1, momentum=0.9, nesterov=nesterov)
        v, p = 0.0, 1.0
        for g in grads:
            model.dense_layers[0].grads["W"][...] = g
            opt.step(model)
            v = 0.9 * v - 0.1 * g
            p += 0.9 * v - 0.1 * g if nesterov else v
        assert w[0, 0] == pytest.approx(p, rel=1e-12)


def test_he_relu_mlp_learns_digits_to_95_percent(digits):
    model = mlp([64, 100, 10], activation="relu", kernel_init="he_normal", rng=0)
    history = fit(
        model,
        digits.X_train,
        digits.y_train,
        epochs=20,
        batch_size=32,
        lr=0.1,
        rng=0,
        X_val=digits.X_val,
        y_val=digits.y_val,
        progress=False,
    )
    assert history.loss[-1] < history.loss[0] / 5
    _, test_accuracy = evaluate(model, digits.X_test, digits.y_test)
    assert test_accuracy >= 0.95


def test_training_is_reproducible_to_the_bit(digits):
    def run():
        model = mlp([64, 32, 10], activation="rrelu", kernel_init="he_normal", rng=5, dropout=0.1)
        return fit(
            model,
            digits.X_train,
            digits.y_train,
            epochs=2,
            batch_size=64,
            lr=0.05,
            momentum=0.9,
            rng=5,
            X_val=digits.X_val,
            y_val=digits.y_val,
            progress=False,
        ), model

    (h1, m1), (h2, m2) = run(), run()
    assert h1 == h2
    for (_, a, _), (_, b, _) in zip(m1.parameters(), m2.parameters(), strict=True):
        np.testing.assert_array_equal(a, b)


def _dead_fraction(model, X):
    """Share of hidden units (all layers) whose output is 0 on every row of X."""
    model.eval()
    h, dead, total = X, 0, 0
    for layer in model.layers:
        h = layer.forward(h)
        if layer in model.activation_layers:
            dead += int(np.all(h == 0, axis=0).sum())
            total += h.shape[1]
    return dead / total


def test_dying_relus_at_a_large_learning_rate(digits):
    # Same data, architecture, init and seed; only the learning rate or the activation differs.
    # Float64 and lr <= 0.7: these runs are reproducible on every CPU (at lr 1.0 they are
    # chaotic; tests/test_claims_dying_relus.py asserts those over seeds).
    def run(activation, lr):
        model = mlp([64, 100, 100, 10], activation, "he_normal", rng=0, dtype=np.float64)
        history = fit(model, digits.X_train, digits.y_train, epochs=20, batch_size=32, lr=lr,
                      rng=0, progress=False)  # fmt: skip
        return model, history

    relu_big, h_big = run("relu", 0.7)
    leaky_big, h_leaky = run("leaky_relu", 0.7)
    relu_small, _ = run("relu", 0.1)
    # Measured: 1 of the 200 hidden ReLUs is dead at lr = 0.7 after 20 epochs; none at 0.1.
    assert _dead_fraction(relu_big, digits.X_train) > 0
    assert _dead_fraction(relu_small, digits.X_train) == 0.0
    assert _dead_fraction(leaky_big, digits.X_train) == 0.0
    for model in (relu_big, leaky_big, relu_small):
        assert evaluate(model, digits.X_test, digits.y_test)[1] > 0.9
    assert not h_big.diverged and not h_leaky.diverged


def test_thirty_relu_layers_stall_with_glorot_and_train_with_he():
    X, y = make_spirals(1000, rng=0)

    # Float64 and 5 epochs: the He run is chaotic later on (its loss after 20 epochs depends
    # on the CPU's rounding), but its first epochs agree to ~1e-15 on every OpenBLAS kernel.
    # tests/test_claims_table_11_1.py asserts the 20-epoch claims over seeds.
    def run(init):
        model = mlp([2] + [64] * 30 + [2], "relu", kernel_init=init, rng=0, dtype=np.float64)
        return fit(
            model, X, y, epochs=5, batch_size=32, lr=0.003, momentum=0.9, rng=0, progress=False
        )

    glorot, he = run("glorot_uniform"), run("he_normal")
    assert max(abs(loss - math.log(2)) for loss in glorot.loss) < 0.01  # chance, throughout
    assert min(he.loss) < math.log(2) - 0.1  # measured: below it from epoch 3


def test_alpha_dropout_keeps_mean_and_variance_where_dropout_does_not():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((400, 500))  # standardized, as SELU keeps its activations
    n = x.size
    alpha = AlphaDropout(0.2, rng=1).train().forward(x)
    plain = Dropout(0.2, rng=1).train().forward(x)
    # Klambauer et al. (2017), Sec. 3 "alpha dropout" and eq. 14's constants: a dropped unit
    # takes alpha' = -lambda01 alpha01, then y -> a y + b, with keep probability q.
    q, dropped = 0.8, -1.0507009873554804934 * 1.6732632423543772848
    a = (q + dropped**2 * q * (1 - q)) ** -0.5
    b = -a * (1 - q) * dropped
    kept = np.isclose(alpha, a * x + b, rtol=0, atol=1e-12)
    np.testing.assert_allclose(alpha[~kept], a * dropped + b, rtol=1e-12)
    # Entries are i.i.d.: a share has standard error sqrt(p (1 - p) / n), a mean sqrt(Var / n),
    # a variance sqrt((m4 - Var^2) / n) with m4 the fourth central moment. K of them, seed fixed.
    K = 5  # a false alarm in fewer than 1e-6 of seeds
    assert abs(kept.mean() - q) < K * math.sqrt(q * (1 - q) / n)
    m4 = q * (3 * a**4 + 6 * a**2 * b**2 + b**4) + (1 - q) * (a * dropped + b) ** 4
    assert abs(alpha.mean()) < K * math.sqrt(1.0 / n)
    assert abs(alpha.var() - 1.0) < K * math.sqrt((m4 - 1.0) / n)
    # Inverted dropout keeps x / q with probability q: variance 1 / q, m4 = 3 / q^3.
    assert abs(plain.var() - 1 / q) < K * math.sqrt((3 / q**3 - 1 / q**2) / n)
    # evaluation mode is the identity for both
    np.testing.assert_array_equal(AlphaDropout(0.2, rng=1).eval().forward(x), x)
    np.testing.assert_array_equal(Dropout(0.2, rng=1).eval().forward(x), x)


def test_randomized_asymmetric_init_gives_each_unit_one_positive_beta_entry():
    # Lu et al. (2019), Sec. 5: each unit's fan_in weights and bias ~ N(0, sigma^2 / fan_in),
    # then one of those fan_in + 1 entries, chosen uniformly, is replaced by a Beta(2, 1) draw.
    # A tiny sigma (Gaussian std <= 6e-7) sets the Beta entries apart: Beta(2, 1) has CDF
    # t^2, so a draw below 1e-3 has probability 1e-6 per unit.
    sigma = 1e-6
    model = mlp([3, 4000, 2], rng=0, dtype=np.float64)
    randomized_asymmetric_init(model, rng=1, sigma=sigma)
    K = 4  # standard errors allowed: a false alarm in fewer than 1e-4 of seeds (seed fixed)
    beta_draws = []
    for layer in model.dense_layers:
        params = np.vstack([layer.W, layer.b[None, :]])  # (fan_in + 1, n_out)
        is_beta = np.abs(params) > 1e-3
        assert np.all(is_beta.sum(axis=0) == 1)  # exactly one per unit
        beta_draws.append(params[is_beta])
        # The other entries: variance sigma^2 / fan_in, relative standard error sqrt(2 / n).
        gauss = params[~is_beta]
        expected = sigma**2 / layer.n_in
        assert abs(np.mean(gauss**2) / expected - 1) < K * math.sqrt(2 / gauss.size)
        if layer.n_in == 3:
            # The replaced entry is uniform over the 4 rows (3 weights, the bias): each row's
            # share p = 1/4 has standard error sqrt(p (1 - p) / units).
            share = is_beta.mean(axis=1)
            assert np.all(np.abs(share - 0.25) < K * math.sqrt(0.25 * 0.75 / layer.n_out))
    b = np.concatenate(beta_draws)
    # Beta(2, 1): mean 2/3, variance 2 / (3^2 * 4) = 1/18; P(b < 1/2) = 1/4.
    assert np.all((b > 0) & (b < 1))
    assert abs(b.mean() - 2 / 3) < K * math.sqrt(1 / 18 / b.size)
    assert abs(np.mean(b < 0.5) - 0.25) < K * math.sqrt(0.25 * 0.75 / b.size)


def test_lsuv_brings_each_layer_output_to_unit_variance(digits):
    model = mlp([64, 100, 100, 100, 10], activation="tanh", rng=0)
    report = lsuv(model, digits.X_train[:256], rng=0)
    assert len(report.iterations) == 3
    assert all(0 < it <= 10 for it in report.iterations)
    model.eval()
    h = digits.X_train[:256]
    for layer in model.layers[:-1]:
        h = layer.forward(h)
        if isinstance(layer, Dense):
            assert abs(h.var() - 1.0) < 0.1


def test_lsuv_starts_every_kernel_orthonormal():
    # Mishkin & Matas (2015), Algorithm 1: orthonormal start, then each kernel only divided
    # by a number. So every kernel is c * Q with Q having orthonormal rows or columns: all
    # its singular values are equal (to c; to 1 for the last kernel, which is not rescaled).
    # A Gaussian 64 x 100 kernel instead spreads them over a ratio of about
    # (1 + sqrt(0.64)) / (1 - sqrt(0.64)) = 9 (Marchenko-Pastur).
    model = mlp([64, 100, 100, 100, 10], activation="tanh", rng=0, dtype=np.float64)
    X = load_digits(seed=0).X_train[:256].astype(np.float64)
    report = lsuv(model, X, rng=0)
    for i, layer in enumerate(model.dense_layers):
        s = np.linalg.svd(layer.W, compute_uv=False)
        assert s.max() / s.min() - 1 < 1e-12  # float64 round-off only
        if i == len(model.dense_layers) - 1:
            np.testing.assert_allclose(s, 1.0, rtol=1e-12)
    assert sum(report.iterations) > 0  # the hidden kernels were rescaled, not left at c = 1


def test_fit_history_has_validation_metrics_and_a_table(digits):
    model = mlp([64, 16, 10], kernel_init="he_normal", rng=0, dtype=np.float64)
    h = fit(
        model,
        digits.X_train,
        digits.y_train,
        epochs=2,
        batch_size=50,
        lr=0.1,
        rng=0,
        X_val=digits.X_val,
        y_val=digits.y_val,
        progress=False,
    )
    assert h.epoch == [1, 2] and len(h.val_accuracy) == 2
    # The last epoch's validation metrics, written out here: Dense -> ReLU -> Dense, then
    # cross-entropy through a shifted log-sum-exp and the share of correct argmaxes.
    first, second = model.dense_layers
    hidden = np.maximum(digits.X_val.astype(np.float64) @ first.W + first.b, 0)
    logits = hidden @ second.W + second.b
    shifted = logits - logits.max(axis=1, keepdims=True)
    rows = np.arange(len(digits.y_val))
    nll = np.log(np.exp(shifted).sum(axis=1)) - shifted[rows, digits.y_val]
    accuracy = np.mean(logits.argmax(axis=1) == digits.y_val)
    from_fit = (h.val_loss[-1], h.val_accuracy[-1])
    for loss, acc in [from_fit, evaluate(model, digits.X_val, digits.y_val)]:
        assert loss == pytest.approx(nll.mean(), rel=1e-12)  # float64 round-off only
        assert acc == accuracy
    assert str(h).splitlines()[0].split() == [
        "epoch",
        "loss",
        "accuracy",
        "val_loss",
        "val_accuracy",
    ]


def test_divergence_stops_training_quietly(digits):
    # lr 50 blows up in the first epoch.
    model = mlp([64, 100, 100, 10], activation="leaky_relu", kernel_init="he_normal", rng=0)
    probe = DeadChart(digits.X_val)  # probes the blown-up model after every epoch
    h = fit(model, digits.X_train, digits.y_train, epochs=5, batch_size=32, lr=50.0, rng=0,
            X_val=digits.X_val, y_val=digits.y_val, callbacks=[probe], progress=False)  # fmt: skip
    # pytest turns any overflow RuntimeWarning into an error
    assert h.diverged
    assert len(h.loss) < 5
    assert "NaN" in str(h)


def test_an_overflow_in_the_validation_pass_alone_stops_training_quietly(digits):
    # Weights blown up after the last step of epoch 1: that epoch's training loss is finite,
    # but the validation pass (and the callback's probe) overflow. Built on purpose, since
    # which large learning rate gets there first depends on the CPU's rounding.
    model = mlp([64, 100, 100, 10], "relu", "he_normal", rng=0, dtype=np.float64)
    steps_per_epoch = math.ceil(len(digits.X_train) / 32)

    class BlowUp(Callback):
        def on_step_end(self, model, step, optimizer):
            if step == steps_per_epoch:
                for layer in model.dense_layers:
                    layer.W *= 1e200

    h = fit(model, digits.X_train, digits.y_train, epochs=5, batch_size=32, lr=0.1, rng=0,
            X_val=digits.X_val, y_val=digits.y_val,
            callbacks=[BlowUp(), DeadChart(digits.X_val)], progress=False)  # fmt: skip
    assert h.diverged
    assert len(h.loss) == 1 and math.isfinite(h.loss[0])
    assert not math.isfinite(h.val_loss[-1])
    assert "NaN" in str(h)


def test_float64_on_request():
    model = mlp([3, 4, 2], rng=0, dtype=np.float64)
    assert all(v.dtype == np.float64 for _, v, _ in model.parameters())
    assert model.predict(np.ones((2, 3))).dtype == np.float64
    assert mlp([3, 4, 2], rng=0).predict(np.ones((2, 3))).dtype == np.float32


# ----------------------------------------------------------------------------- bad input

BAD_FIT = [
    ("X not 2-D", {"X": np.ones(10)}, ValueError, "X"),
    ("X wrong width", {"X": np.ones((10, 5))}, ValueError, "X"),
    ("NaN in X", {"X": np.full((10, 4), np.nan)}, ValueError, "NaN"),
    ("string X", {"X": np.full((10, 4), "a")}, TypeError, "X"),
    ("y wrong length", {"y": np.zeros(9, int)}, ValueError, "y"),
    ("label out of range", {"y": np.full(10, 3)}, ValueError, "labels"),
    ("negative label", {"y": np.full(10, -1)}, ValueError, "labels"),
    ("fractional labels", {"y": np.full(10, 0.5)}, TypeError, "y"),
    ("zero lr", {"lr": 0.0}, ValueError, "lr"),
    ("negative lr", {"lr": -0.1}, ValueError, "lr"),
    ("NaN lr", {"lr": math.nan}, ValueError, "lr"),
    ("zero epochs", {"epochs": 0}, ValueError, "epochs"),
    ("float epochs", {"epochs": 2.5}, TypeError, "epochs"),
    ("zero batch size", {"batch_size": 0}, ValueError, "batch_size"),
    ("negative batch size", {"batch_size": -4}, ValueError, "batch_size"),
    ("momentum 1", {"momentum": 1.0}, ValueError, "momentum"),
    ("unknown loss", {"loss": "hinge"}, ValueError, "loss"),
    ("X_val without y_val", {"X_val": np.ones((3, 4))}, ValueError, "y_val"),
    ("bad rng", {"rng": "seed"}, TypeError, "rng"),
]


@pytest.mark.parametrize(
    ("changes", "error", "word"), [pytest.param(c, e, w, id=name) for name, c, e, w in BAD_FIT]
)
def test_fit_refuses_bad_input_and_leaves_the_model_alone(changes, error, word):
    rng = np.random.default_rng(0)
    model = mlp([4, 5, 3], rng=0)
    before = model.state()
    kwargs = {
        "X": rng.standard_normal((10, 4)),
        "y": rng.integers(0, 3, 10),
        "epochs": 1,
        "batch_size": 4,
        "lr": 0.1,
        "rng": 0,
        "progress": False,
    }
    kwargs.update(changes)
    with pytest.raises(error) as info:
        fit(model, **kwargs)
    assert word.lower() in str(info.value).lower()
    after = model.state()
    assert all(np.array_equal(before[k], after[k]) for k in before)


@pytest.mark.parametrize(
    ("call", "error", "word"),
    [
        (lambda: mlp([4, 5, 3], activation="relu7"), ValueError, "relu"),
        (lambda: mlp([4, 5, 3], kernel_init="he_gauss"), ValueError, "initializer"),
        (lambda: mlp([4]), ValueError, "sizes"),
        (lambda: mlp([4, 0, 3]), ValueError, "sizes"),
        (lambda: mlp("4,5,3"), TypeError, "sizes"),
        (lambda: mlp([4, 5, 3], dtype=np.int32), TypeError, "dtype"),
        (lambda: mlp([4, 5, 3], activation="relu", alpha=0.1), TypeError, "alpha"),
        (lambda: Dense(3, 2, bias_init=math.nan), ValueError, "bias_init"),
        (lambda: Dropout(1.0), ValueError, "rate"),
        (lambda: mlp([4, 5, 3], activation="tanh", per_unit=True), ValueError, "per_unit"),
        (
            lambda: fit("model", np.ones((2, 2)), [0, 1], epochs=1, batch_size=1, lr=0.1, rng=0),
            TypeError,
            "model",
        ),
    ],
)
def test_building_refuses_bad_input(call, error, word):
    with pytest.raises(error) as info:
        call()
    assert word.lower() in str(info.value).lower()


# --------------------------------------------------------------------------- issue 9: bad input


def test_mean_squared_error_refuses_shapes_that_would_broadcast():
    with pytest.raises(ValueError, match="target"):
        mean_squared_error(np.zeros((5, 1)), np.zeros(5))
    with pytest.raises(TypeError, match="pred"):
        mean_squared_error(np.array(["a"]), np.zeros(1))


@pytest.mark.parametrize(
    ("labels", "error"),
    [
        (np.array([-1, 0]), ValueError),  # once read as the last class
        (np.array([0, 3]), ValueError),  # one past the last class
        (np.array([0.5, 1.0]), TypeError),
        (np.array([0]), ValueError),  # one label for two rows
        (np.array([[0], [1]]), ValueError),
    ],
)
def test_softmax_cross_entropy_refuses_bad_labels(labels, error):
    with pytest.raises(error, match=r"\by\b"):
        softmax_cross_entropy(np.zeros((2, 3)), labels)


def test_softmax_cross_entropy_refuses_bad_logits():
    with pytest.raises(ValueError, match="logits"):
        softmax_cross_entropy(np.zeros(3), np.array([0, 1, 2]))
    with pytest.raises(TypeError, match="logits"):
        softmax_cross_entropy(np.array([["a", "b"]]), np.array([0]))


@pytest.mark.parametrize(
    ("sigma", "error"),
    [(float("nan"), ValueError), (0.0, ValueError), ("0.6", TypeError), (1j, TypeError)],
)
def test_randomized_asymmetric_init_checks_sigma(sigma, error):
    model = mlp([3, 4, 1], rng=0)
    before = model.state()
    with pytest.raises(error, match="sigma"):
        randomized_asymmetric_init(model, rng=0, sigma=sigma)
    assert all(np.array_equal(before[k], v) for k, v in model.state().items())  # untouched


def test_layers_that_do_not_chain_are_refused_at_construction():
    with pytest.raises(ValueError, match="chain"):
        MLP([Dense(4, 3), Dense(5, 2)])
    with pytest.raises(TypeError, match=r"layers\[1\]"):
        MLP([Dense(4, 3), "relu"])


def test_prelu_slopes_per_unit_are_kept_not_averaged():
    model = mlp([2, 2, 2], "prelu", per_unit=True, alpha=np.array([0.1, 0.9]), dtype=np.float64)
    np.testing.assert_array_equal(model.activation_layers[0].params["alpha"], [0.1, 0.9])
    with pytest.raises(ValueError, match="alpha"):
        mlp([2, 2, 2], "prelu", alpha=np.array([0.1, 0.9]))  # shared slope: one value
    with pytest.raises(ValueError, match="alpha"):
        mlp([2, 3, 2], "prelu", per_unit=True, alpha=np.array([0.1, 0.9]))  # 3 units


def test_fit_reports_divergence_when_outputs_overflow_behind_a_finite_loss():
    X = np.random.default_rng(232).standard_normal((4, 1))
    y = np.array([0, 1, 0, 1])
    model = mlp([1, 6, 2], "relu", "he_normal", rng=0)  # float32
    history = fit(model, X, y, epochs=3, batch_size=4, lr=1e30, rng=0, progress=False)
    assert history.diverged
    epoch, step = history.diverged_at
    assert 1 <= epoch <= 3 and step >= 1
    assert f"epoch {epoch}, step {step}" in str(history)


def test_fit_reports_divergence_when_the_last_update_leaves_infinite_weights():
    X = np.random.default_rng(0).standard_normal((8, 2))
    y = np.array([0, 1] * 4)
    model = mlp([2, 4, 2], "relu", "he_normal", rng=0, dtype=np.float64)

    class Poison(
        Callback
    ):  # the epoch's last update overflows a weight; the epoch's loss was finite
        def on_step_end(self, model, step, optimizer):
            model.dense_layers[0].W[0, 0] = np.inf

    history = fit(model, X, y, epochs=3, batch_size=8, lr=0.1, rng=0, callbacks=[Poison()],
                  progress=False)  # fmt: skip
    assert history.diverged and history.diverged_at == (1, 1)
    assert len(history.loss) == 1 and math.isfinite(history.loss[0])


def test_ctrl_c_in_fit_keeps_the_completed_epochs_and_never_half_an_update(monkeypatch):
    import os
    import signal

    from initact import nn

    X = np.random.default_rng(0).standard_normal((64, 3))
    y = (X[:, 0] > 0).astype(int)
    model = mlp([3, 8, 8, 2], "relu", "he_normal", rng=0, dtype=np.float64)
    steps_per_epoch = 4  # 64 rows in batches of 16
    original_step = nn.SGD.step
    seen = {}

    def step_with_an_interrupt(self, m):
        seen["step"] = seen.get("step", 0) + 1
        if seen["step"] == steps_per_epoch + 2:  # in epoch 2
            seen["before"] = m.state()
            os.kill(os.getpid(), signal.SIGINT)  # arrives in the middle of the update
        original_step(self, m)

    monkeypatch.setattr(nn.SGD, "step", step_with_an_interrupt)
    # Python's own Ctrl-C handler, as a reader's session has it: a process started in the
    # background by a non-interactive shell (CI's second run) inherits SIGINT ignored.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt) as info:
            fit(model, X, y, epochs=5, batch_size=16, lr=0.1, rng=0, progress=False)
    finally:
        signal.signal(signal.SIGINT, previous)
    history = info.value.history
    assert history.epoch == [1] and len(history.loss) == 1  # the completed epoch
    after = model.state()
    moved = [not np.array_equal(after[k], v) for k, v in seen["before"].items()]
    assert all(moved), "the interrupted update was only partly applied"


def test_fit_takes_an_optimizer_and_keeps_its_momentum_across_calls():
    X = np.random.default_rng(0).standard_normal((32, 3))
    y = (X[:, 0] > 0).astype(int)
    a = mlp([3, 5, 2], "relu", "he_normal", rng=0, dtype=np.float64)
    b = mlp([3, 5, 2], "relu", "he_normal", rng=0, dtype=np.float64)
    fit(a, X, y, epochs=2, batch_size=8, lr=0.1, momentum=0.9, rng=0, progress=False)
    optimizer = SGD(0.1, momentum=0.9)
    fit(b, X, y, epochs=1, batch_size=8, optimizer=optimizer, rng=0, progress=False)
    assert optimizer.velocity  # it was used
    gen = np.random.default_rng(0)  # the same shuffles as one call of two epochs
    b2 = mlp([3, 5, 2], "relu", "he_normal", rng=0, dtype=np.float64)
    opt2 = SGD(0.1, momentum=0.9)
    fit(b2, X, y, epochs=1, batch_size=8, optimizer=opt2, rng=gen, progress=False)
    fit(b2, X, y, epochs=1, batch_size=8, optimizer=opt2, rng=gen, progress=False)
    for (_, wa, _), (_, wb, _) in zip(a.parameters(), b2.parameters(), strict=True):
        np.testing.assert_array_equal(wa, wb)  # momentum carried over: identical to one call
    with pytest.raises(TypeError, match="lr"):
        fit(b, X, y, epochs=1, batch_size=8, rng=0)
    with pytest.raises(ValueError, match="optimizer"):
        fit(b, X, y, epochs=1, batch_size=8, lr=0.1, optimizer=SGD(0.1), rng=0)
    with pytest.raises(TypeError, match="optimizer"):
        fit(b, X, y, epochs=1, batch_size=8, optimizer="sgd", rng=0)


def test_callbacks_must_be_callbacks_and_the_base_class_does_nothing():
    X = np.random.default_rng(0).standard_normal((16, 2))
    y = np.array([0, 1] * 8)
    model = mlp([2, 3, 2], rng=0)
    before = model.state()
    with pytest.raises(TypeError, match=r"callbacks\[1\]"):
        fit(model, X, y, epochs=1, batch_size=8, lr=0.1, rng=0, callbacks=[Callback(), object()])
    assert all(np.array_equal(before[k], v) for k, v in model.state().items())  # untouched
    plain = mlp([2, 3, 2], rng=0)
    fit(plain, X, y, epochs=2, batch_size=8, lr=0.1, rng=0, progress=False)
    fit(model, X, y, epochs=2, batch_size=8, lr=0.1, rng=0, callbacks=[Callback()],
        progress=False)  # fmt: skip
    for (_, a, _), (_, b, _) in zip(model.parameters(), plain.parameters(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_per_unit_prelu_layer_refuses_inputs_of_another_width():
    layer = ActivationLayer("prelu", 3, per_unit=True)
    with pytest.raises(ValueError, match="x needs a last axis"):
        layer.forward(np.ones((2, 4), dtype=np.float32))


def test_finite_weights_whose_outputs_overflow_are_reported_as_diverged():
    # Found by tests/test_properties.py: after the last step every weight is finite
    # (up to 1e147) but their products overflow, so the model fit returns predicts inf.
    X, y = np.zeros((3, 1)), np.array([0, 0, 1])
    model = mlp([1, 2, 2], "prelu", "he_normal", rng=0, dtype=np.float64)
    history = fit(model, X, y, epochs=2, batch_size=2, lr=1e30, rng=0, progress=False)
    assert all(np.isfinite(value).all() for _, value, _ in model.parameters())
    with np.errstate(over="ignore", invalid="ignore"):
        assert not np.isfinite(model.predict(X)).all()
    assert history.diverged and history.diverged_at == (2, 4)
