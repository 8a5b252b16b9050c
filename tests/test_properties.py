"""Properties of the losses, the initializers and fit, checked by hypothesis.

Each property holds for every input the strategy can draw, not for a few
hand-picked ones. The profile below is derandomized (the same examples on every
run, so CI is deterministic) and small enough for the whole file to run in a
few seconds.
"""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import initact
from initact import nn

# derandomize: the examples are a function of the test, not of a random seed.
# deadline=None: a wall-clock deadline flakes on shared 2-core CI machines; the
# run time is bounded by max_examples instead (the whole file takes ~10 s).
settings.register_profile(
    "initact-properties",
    derandomize=True,
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
PROFILE = settings.get_profile("initact-properties")

finite = st.floats(-30, 30, allow_nan=False, allow_infinity=False)


@st.composite
def logits_and_labels(draw):
    n = draw(st.integers(1, 8))
    k = draw(st.integers(2, 6))
    logits = draw(arrays(np.float64, (n, k), elements=finite))
    y = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    return logits, y


def _numeric_gradient(f, x, h=1e-6):
    """Central differences of the scalar ``f`` at ``x``, one coordinate at a time."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = h
        grad[index] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


# --------------------------------------------------------------------------- losses


@PROFILE
@given(logits_and_labels())
def test_cross_entropy_is_non_negative_with_rows_of_gradient_summing_to_zero(case):
    logits, y = case
    loss, grad = nn.softmax_cross_entropy(logits, y)
    assert loss >= 0
    assert grad.shape == logits.shape
    # softmax minus one-hot sums to 1 - 1 in every row
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-12)


@PROFILE
@given(logits_and_labels(), st.lists(finite, min_size=8, max_size=8))
def test_cross_entropy_ignores_a_constant_added_to_a_row(case, shifts):
    logits, y = case
    shift = np.array(shifts[: len(y)])[:, None]
    loss, grad = nn.softmax_cross_entropy(logits, y)
    shifted_loss, shifted_grad = nn.softmax_cross_entropy(logits + shift, y)
    assert shifted_loss == pytest.approx(loss, rel=1e-9, abs=1e-9)
    np.testing.assert_allclose(shifted_grad, grad, atol=1e-9)


@PROFILE
@given(logits_and_labels())
def test_cross_entropy_gradient_matches_finite_differences(case):
    logits, y = case
    _, grad = nn.softmax_cross_entropy(logits, y)
    numeric = _numeric_gradient(lambda z: nn.softmax_cross_entropy(z, y)[0], logits)
    # central differences of a smooth function with h = 1e-6: error ~ 1e-9 relative
    np.testing.assert_allclose(grad, numeric, atol=1e-6)


# Multiples of 1/8: a difference of 4.8e-276 squares to 0 in float64, so "zero iff
# equal" only holds where squared differences cannot underflow.
eighths = st.integers(-240, 240).map(lambda i: i / 8)


@st.composite
def predictions_and_targets(draw):
    n = draw(st.integers(1, 6))
    k = draw(st.integers(1, 3))
    pred = draw(arrays(np.float64, (n, k), elements=eighths))
    target = draw(arrays(np.float64, (n, k), elements=eighths))
    return pred, target


@PROFILE
@given(predictions_and_targets())
def test_mean_squared_error_is_zero_exactly_when_prediction_equals_target(case):
    pred, target = case
    loss, _ = nn.mean_squared_error(pred, target)
    assert loss >= 0
    assert (loss == 0) == np.array_equal(pred, target)
    self_loss, self_grad = nn.mean_squared_error(pred, pred.copy())
    assert self_loss == 0
    assert not np.any(self_grad)


@PROFILE
@given(predictions_and_targets())
def test_mean_squared_error_gradient_matches_finite_differences(case):
    pred, target = case
    _, grad = nn.mean_squared_error(pred, target)
    numeric = _numeric_gradient(lambda p: nn.mean_squared_error(p, target)[0], pred)
    # a quadratic: central differences are exact up to rounding of values <= ~3600
    np.testing.assert_allclose(grad, numeric, atol=1e-5)


# --------------------------------------------------------------------------- initializers

# (preset, scale, fan the variance divides, distribution): Keras's definitions,
# written out here rather than read from the code under test.
PRESETS = {
    "glorot_uniform": (1.0, "avg", "uniform"),
    "glorot_normal": (1.0, "avg", "truncated"),
    "he_uniform": (2.0, "in", "uniform"),
    "he_normal": (2.0, "in", "truncated"),
    "lecun_uniform": (1.0, "in", "uniform"),
    "lecun_normal": (1.0, "in", "truncated"),
}
TRUNCATED_STD = 0.87962566103423978  # std of N(0, 1) truncated to [-2, 2]
# Kurtosis of each distribution: Var[w^2] = (kurtosis - 1) * sigma^4, which sets the
# standard error of the sample variance. Uniform 9/5; N(0,1) cut at +-2 is 2.3633.
KURTOSIS = {"uniform": 1.8, "truncated": 2.3633}
K_STANDARD_ERRORS = 5  # a false alarm once in ~1.7 million draws (normal approximation)

shapes = st.tuples(st.integers(20, 90), st.integers(20, 90))
seeds = st.integers(0, 2**32 - 1)
dtypes = st.sampled_from([np.float32, np.float64])


def _fan(shape, mode):
    fan_in, fan_out = shape
    return {"in": fan_in, "avg": (fan_in + fan_out) / 2}[mode]


@PROFILE
@given(st.sampled_from([*sorted(PRESETS), "standard_uniform"]), shapes, seeds, dtypes)
def test_initializer_honours_shape_dtype_and_seed(name, shape, seed, dtype):
    init = getattr(initact, name)
    w = init(shape, rng=seed, dtype=dtype)
    assert w.shape == shape
    assert w.dtype == np.dtype(dtype)
    assert np.isfinite(w).all()
    np.testing.assert_array_equal(w, init(shape, rng=seed, dtype=dtype))
    assert not np.array_equal(w, init(shape, rng=seed + 1, dtype=dtype))


@PROFILE
@given(st.sampled_from(sorted(PRESETS)), shapes, seeds)
def test_initializer_values_stay_within_the_limit_or_the_truncation(name, shape, seed):
    scale, mode, distribution = PRESETS[name]
    variance = scale / _fan(shape, mode)
    w = getattr(initact, name)(shape, rng=seed, dtype=np.float64)
    if distribution == "uniform":
        bound = math.sqrt(3 * variance)
    else:
        bound = 2 * math.sqrt(variance) / TRUNCATED_STD
    assert np.abs(w).max() <= bound * (1 + 1e-12)


@PROFILE
@given(st.sampled_from(sorted(PRESETS)), shapes, seeds)
def test_initializer_variance_is_within_k_standard_errors(name, shape, seed):
    scale, mode, distribution = PRESETS[name]
    variance = scale / _fan(shape, mode)
    w = getattr(initact, name)(shape, rng=seed, dtype=np.float64)
    n = w.size
    # Mean 0 is known, so the estimate is mean(w^2); its standard error is
    # sigma^2 sqrt((kurtosis - 1) / n).
    stderr = variance * math.sqrt((KURTOSIS[distribution] - 1) / n)
    assert abs(np.mean(w**2) - variance) <= K_STANDARD_ERRORS * stderr


@PROFILE
@given(st.integers(2, 40), st.integers(1, 40), seeds, st.floats(0.1, 3.0))
def test_orthogonal_has_orthonormal_columns_or_rows_times_gain(rows, cols, seed, gain):
    w = initact.initializers.Orthogonal(gain)((rows, cols), rng=seed, dtype=np.float64)
    gram = w.T @ w if rows >= cols else w @ w.T
    np.testing.assert_allclose(gram, gain**2 * np.eye(min(rows, cols)), atol=1e-10)


# --------------------------------------------------------------------------- fit


class _WatchParameters(nn.Callback):
    """Remembers whether any parameter was ever non-finite after a step."""

    def __init__(self):
        self.saw_non_finite = False

    def on_step_end(self, model, step, optimizer):
        if not all(np.isfinite(value).all() for _, value, _ in model.parameters()):
            self.saw_non_finite = True


SMALL_LR = st.floats(1e-4, 0.1)


@st.composite
def small_fits(draw, lr=SMALL_LR):
    seed = draw(st.integers(0, 1000))
    n = draw(st.integers(2, 12))
    features = draw(st.integers(1, 4))
    X = draw(arrays(np.float64, (n, features), elements=st.floats(-3, 3)))
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    return {
        "seed": seed,
        "X": X,
        "y": y,
        "sizes": [features, draw(st.integers(1, 6)), 2],
        "activation": draw(st.sampled_from(["relu", "tanh", "prelu", "elu"])),
        "lr": draw(lr),
        "epochs": draw(st.integers(1, 3)),
        "batch_size": draw(st.integers(1, n)),
    }


def _run(case):
    model = nn.mlp(
        case["sizes"], case["activation"], "he_normal", rng=case["seed"], dtype=np.float64
    )
    watch = _WatchParameters()
    history = nn.fit(
        model,
        case["X"],
        case["y"],
        epochs=case["epochs"],
        batch_size=case["batch_size"],
        lr=case["lr"],
        rng=case["seed"],
        callbacks=[watch],
        progress=False,
    )
    return model, history, watch


def _everything_finite(model, history, watch, X, y):
    if watch.saw_non_finite or not np.all(np.isfinite(history.loss)):
        return False
    with np.errstate(over="ignore", invalid="ignore"):
        out = model.predict(X)
    return bool(np.isfinite(out).all() and math.isfinite(nn.softmax_cross_entropy(out, y)[0]))


@PROFILE
@given(small_fits())
def test_fit_with_a_small_learning_rate_stays_finite_and_records_every_epoch(case):
    model, history, _ = _run(case)
    assert not history.diverged
    assert history.diverged_at is None
    assert history.epoch == list(range(1, case["epochs"] + 1))
    assert len(history.loss) == case["epochs"]
    assert np.isfinite(history.loss).all()
    assert all(np.isfinite(value).all() for _, value, _ in model.parameters())


@PROFILE
@given(small_fits(lr=st.sampled_from([1e-3, 1.0, 18.0, 1e3, 1e10, 1e30, 1e300])))
@example(  # the reproducer: PReLU outputs of +-inf behind a "healthy" History
    {
        "seed": 232,
        "X": np.random.default_rng(232).standard_normal((4, 1)),
        "y": np.array([0, 1, 0, 1]),
        "sizes": [1, 6, 2],
        "activation": "prelu",
        "lr": 18.0,
        "epochs": 3,
        "batch_size": 1,
    }
)
def test_fit_reports_divergence_exactly_when_something_became_non_finite(case):
    model, history, watch = _run(case)
    if history.diverged:
        epoch, step = history.diverged_at
        assert 1 <= epoch <= case["epochs"] and step >= 0
        assert len(history.epoch) <= case["epochs"]
    else:
        assert history.diverged_at is None
        assert history.epoch == list(range(1, case["epochs"] + 1))
    # not diverged <=> every loss, every parameter after every step and the final
    # outputs are finite
    assert history.diverged != _everything_finite(model, history, watch, case["X"], case["y"])
