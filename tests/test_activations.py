"""Activations: values against independent formulas, derivatives against finite
differences, dtype and edge-case handling, RReLU statistics, PReLU slopes, and
the name registry."""

import doctest
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from initact import activations
from initact.activations import (
    ACTIVATIONS,
    ELU,
    GELU,
    SELU,
    SELU_ALPHA,
    SELU_SCALE,
    Activation,
    Identity,
    LeakyReLU,
    Mish,
    PReLU,
    ReLU,
    RReLU,
    ShiftedReLU,
    Sigmoid,
    Softplus,
    Swish,
    Tanh,
    get_activation,
    leaky_relu,
    leaky_relu_derivative,
)

EPS = np.finfo(np.float64).eps
SQRT2 = math.sqrt(2.0)

# Klambauer et al. 2017, eq. 14: SELU's alpha and lambda in closed form.
_C1 = math.erfc(1 / SQRT2)
_C2 = math.erfc(SQRT2)
ALPHA_01 = -math.sqrt(2 / math.pi) / (_C1 * math.exp(0.5) - 1)
LAMBDA_01 = (
    (1 - _C1 * math.sqrt(math.e))
    * math.sqrt(2 * math.pi)
    / math.sqrt(
        2 * _C2 * math.e**2
        + math.pi * _C1**2 * math.e
        - 2 * (2 + math.pi) * _C1 * math.sqrt(math.e)
        + math.pi
        + 2
    )
)

# One instance per formula and parameter regime (RReLU in eval mode: fixed slope).
CASES = [
    Identity(),
    Sigmoid(),
    Tanh(),
    Softplus(),
    ReLU(),
    LeakyReLU(alpha=0.2),
    RReLU(),
    RReLU.from_divisor(),
    PReLU(alpha=0.25),
    PReLU(alpha=-0.3),
    ELU(),
    ELU(alpha=0.5),
    SELU(),
    GELU(),
    GELU(approximate="tanh"),
    Swish(),
    Swish(beta=2.5),
    Mish(),
    ShiftedReLU(),
    ShiftedReLU(sub=-1.5),
]
SMOOTH = (Identity, Sigmoid, Tanh, Softplus, GELU, Swish, Mish)


def _gauss_expectation(f, halfwidth=12.0, nodes=100):
    """E[f(z)], z ~ N(0, 1), by Gauss-Legendre on [-12, 0] and [0, 12] (split at
    the kink of the piecewise activations; the tail mass beyond 12 is ~1e-33)."""
    t, w = np.polynomial.legendre.leggauss(nodes)
    total = 0.0
    for a, b in ((-halfwidth, 0.0), (0.0, halfwidth)):
        z = (b - a) / 2 * t + (a + b) / 2
        density = np.exp(-z * z / 2) / math.sqrt(2 * math.pi)
        total += (b - a) / 2 * float(np.sum(w * f(z) * density))
    return total


# --- derivatives --------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(x=arrays(np.float64, st.integers(1, 32), elements=st.floats(-20, 20)))
def test_derivative_matches_central_differences(x):
    # One drawn array checks every case: far cheaper than one search per case.
    h = 1e-6
    for act in CASES:
        points = x
        for kink in act.kinks:
            points = points[np.abs(points - kink) >= 1e-3]  # no stencil across a kink
        above, below = points + h, points - h
        step = above - below  # the step actually taken after rounding x +- h
        estimate = (act(above) - act(below)) / step
        # Central differences: truncation |f'''| h^2 / 6 (|f'''| <= 10 for these
        # activations on [-20, 20], Swish(beta=2.5) being the steepest), plus the
        # rounding of f (a few ulp, say 8 eps, of |f| or |x|) divided by the step 2h.
        f_scale = np.abs(act(points)) + np.abs(points) + 1
        tolerance = 10 * h**2 / 6 + 8 * EPS * f_scale / h
        error = np.abs(estimate - act.derivative(points))
        assert np.all(error <= tolerance), (act, points[error > tolerance])


def test_derivative_conventions_at_the_kink():
    zero = np.zeros(1)
    assert ReLU().derivative(zero)[0] == 0.0
    assert LeakyReLU(alpha=0.05).derivative(zero)[0] == 0.05
    assert PReLU(alpha=0.3).derivative(zero)[0] == 0.3
    assert ELU(alpha=0.7).derivative(zero)[0] == 0.7
    assert SELU().derivative(zero)[0] == pytest.approx(LAMBDA_01 * ALPHA_01, rel=1e-15)
    assert RReLU().derivative(zero)[0] == 11 / 48


@pytest.mark.parametrize("act", CASES, ids=repr)
def test_kinks_are_where_the_derivative_jumps(act):
    left, right = act.derivative(np.array([-1e-9, 1e-9]))
    if isinstance(act, SMOOTH):
        assert act.kinks == ()
        assert abs(right - left) < 1e-6
    else:
        assert act.kinks == (0.0,)
        if not (isinstance(act, ELU) and act.alpha == 1.0):  # ELU(1) is C^1; f'' jumps
            assert abs(right - left) > 1e-3


# --- values against independent formulas ---------------------------------------


def test_sigmoid_tanh_softplus_match_textbook_formulas():
    x = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(Sigmoid()(x), 1 / (1 + np.exp(-x)), rtol=4 * EPS, atol=0)
    # s (1 - s) written as e^-x / (1 + e^-x)^2, which does not cancel for x >> 0.
    slope = np.exp(-x) / (1 + np.exp(-x)) ** 2
    np.testing.assert_allclose(Sigmoid().derivative(x), slope, rtol=8 * EPS, atol=0)
    np.testing.assert_allclose(Tanh()(x), np.tanh(x), rtol=0, atol=0)
    np.testing.assert_allclose(Tanh().derivative(x), 1 - np.tanh(x) ** 2, rtol=0, atol=4 * EPS)
    np.testing.assert_allclose(Softplus()(x), np.logaddexp(0, x), rtol=4 * EPS, atol=0)


def test_piecewise_linear_units_match_np_where():
    x = np.linspace(-3, 3, 61)
    np.testing.assert_array_equal(ReLU()(x), np.where(x > 0, x, 0))
    np.testing.assert_array_equal(LeakyReLU()(x), np.where(x > 0, x, 0.01 * x))
    np.testing.assert_array_equal(PReLU()(x), np.where(x > 0, x, 0.25 * x))
    np.testing.assert_array_equal(Identity()(x), x)


def test_elu_and_selu_match_closed_forms():
    x = np.linspace(-10, 10, 201)
    expected = np.where(x > 0, x, 0.5 * (np.exp(x) - 1))
    # exp(x) - 1 loses absolute accuracy eps near 0; expm1 does not.
    np.testing.assert_allclose(ELU(alpha=0.5)(x), expected, rtol=4 * EPS, atol=4 * EPS)
    selu = LAMBDA_01 * np.where(x > 0, x, ALPHA_01 * (np.exp(x) - 1))
    np.testing.assert_allclose(SELU()(x), selu, rtol=1e-14, atol=4 * EPS)


def test_selu_constants_match_the_closed_forms():
    # Float64 evaluation of eq. 14 lands within 1 ulp of the published
    # 30-digit constants (4e-16 relative for alpha, exact for lambda), so
    # 1e-15 needs no extra precision.
    assert abs(SELU_ALPHA - ALPHA_01) <= 1e-15 * ALPHA_01
    assert abs(SELU_SCALE - LAMBDA_01) <= 1e-15 * LAMBDA_01
    # And they are the paper's printed digits, correctly rounded to float64.
    assert SELU_ALPHA == float("1.6732632423543772848170429916717")
    assert SELU_SCALE == float("1.0507009873554804934193349852946")


def test_selu_is_self_normalizing_and_elu_mean_matches_its_closed_form():
    selu = SELU()
    assert abs(_gauss_expectation(selu)) < 1e-12
    assert abs(_gauss_expectation(lambda z: selu(z) ** 2) - 1) < 1e-12
    # E[elu(z)] = phi(0) + e^(1/2) Phi(-1) - 1/2 = 0.1605 (Clevert et al.).
    elu_mean = 1 / math.sqrt(2 * math.pi) + math.exp(0.5) * 0.5 * _C1 - 0.5
    assert abs(_gauss_expectation(ELU()) - elu_mean) < 1e-12
    assert round(elu_mean, 4) == 0.1605
    assert abs(_gauss_expectation(lambda z: ReLU()(z) ** 2) - 0.5) < 1e-12


def test_gelu_matches_math_erf_per_element():
    x = np.linspace(-20, 20, 801)
    phi = np.array([0.5 * math.erfc(-v / SQRT2) for v in x])
    density = np.exp(-x * x / 2) / math.sqrt(2 * math.pi)
    # x Phi(x) has relative condition number ~ 1 + x^2 (erfc's tail), so any
    # float64 evaluation, the reference's included, carries ~eps (1 + x^2).
    rtol = 8 * EPS * (1 + x * x)
    gelu = GELU()
    assert np.all(np.abs(gelu(x) - x * phi) <= rtol * np.abs(x * phi))
    slope = phi + x * density
    assert np.all(np.abs(gelu.derivative(x) - slope) <= rtol * np.abs(slope) + 1e-300)
    # And against math.erf where 1 + erf does not cancel.
    middle = np.linspace(-3, 3, 61)
    with_erf = np.array([0.5 * v * (1 + math.erf(v / SQRT2)) for v in middle])
    np.testing.assert_allclose(gelu(middle), with_erf, rtol=0, atol=16 * EPS)


def test_gelu_tanh_form_matches_its_formula_and_approximates_the_exact_one():
    x = np.linspace(-6, 6, 241)
    u = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
    formula = 0.5 * x * (1 + np.tanh(u))
    # 1 + tanh(u) cancels for x << 0: absolute error ~ eps |x| in the formula.
    assert np.all(np.abs(GELU("tanh")(x) - formula) <= 8 * EPS * (1 + np.abs(x)))
    # The approximation is within 5e-4 of the exact GELU everywhere (max ~4.7e-4).
    grid = np.linspace(-10, 10, 2001)
    assert np.max(np.abs(GELU("tanh")(grid) - GELU()(grid))) < 5e-4


def test_swish_and_mish_match_direct_formulas():
    x = np.linspace(-20, 20, 401)
    for beta in (0.5, 1.0, 2.0):
        np.testing.assert_allclose(Swish(beta)(x), x / (1 + np.exp(-beta * x)), rtol=8 * EPS)
    direct = x * np.tanh(np.log1p(np.exp(x)))
    np.testing.assert_allclose(Mish()(x), direct, rtol=8 * EPS, atol=0)
    assert get_activation("silu") == Swish(beta=1.0)


# --- dtypes, edge values, warnings ------------------------------------------------


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_floating_dtype_is_kept_and_matches_float64(name, dtype):
    act = get_activation(name)
    x = np.linspace(-5, 5, 41).astype(dtype)
    exact_f, exact_d = act(x.astype(np.float64)), act.derivative(x.astype(np.float64))
    f, d = act(x), act.derivative(x)
    assert f.dtype == dtype and d.dtype == dtype and f.shape == x.shape
    info = np.finfo(dtype)
    if dtype == np.float16:
        # Computed in float32 and rounded once: within 1 float16 ulp (2^-10
        # relative) of the float64 value, or one subnormal step near 0.
        rtol = 2.0**-10
    else:
        # A few float32 ulp, times the condition number (<= 1 + x^2 here).
        rtol = 16 * info.eps * (1 + x.astype(np.float64) ** 2)
    atol = float(info.smallest_subnormal)
    assert np.all(np.abs(f - exact_f) <= rtol * np.abs(exact_f) + atol)
    assert np.all(np.abs(d - exact_d) <= rtol * np.abs(exact_d) + atol)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_integer_and_bool_input_give_float64(name):
    act = get_activation(name)
    for x in (np.array([-2, 0, 3]), np.array([True, False]), [1, 2], 3):
        f, d = act(x), act.derivative(x)
        assert isinstance(f, np.ndarray) and f.dtype == np.float64 and f.shape == np.shape(x)
        assert isinstance(d, np.ndarray) and d.dtype == np.float64 and d.shape == np.shape(x)
        np.testing.assert_array_equal(f, act(np.asarray(x, dtype=np.float64)))


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_large_inputs_give_finite_values_and_no_warnings(name, dtype):
    act = get_activation(name)
    magnitudes = np.logspace(0, 4, 17)
    x = np.concatenate([-magnitudes, [0.0], magnitudes]).astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # whatever the pytest configuration says
        f, d = act(x), act.derivative(x)
    assert np.all(np.isfinite(f)) and np.all(np.isfinite(d))


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_extreme_values_give_limits_without_nan_or_warnings(name, dtype):
    act = get_activation(name)
    info = np.finfo(dtype)
    special = [info.max, info.tiny, info.smallest_subnormal, 0.0, 1.0]
    x = np.array([*special, *(-v for v in special), np.inf, -np.inf], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f, d = act(x), act.derivative(x)
        far = act(np.array([1e300, -1e300])), act.derivative(np.array([1e300, -1e300]))
    assert not np.any(np.isnan(f)) and not np.any(np.isnan(d))
    # At +-inf: the value at +-1e300, or +-inf where that is huge.
    for values, big in zip((f, d), far, strict=True):
        limit = np.where(np.abs(big) < 1e100, big, np.copysign(np.inf, big))
        np.testing.assert_array_equal(values[-2:], limit.astype(dtype))


@pytest.mark.parametrize("act", CASES, ids=repr)
def test_nan_propagates(act):
    x = np.array([np.nan, -1.5, 0.5, np.nan])
    f, d = act(x), act.derivative(x)
    np.testing.assert_array_equal(np.isnan(f), np.isnan(x))
    np.testing.assert_array_equal(np.isnan(d), np.isnan(x))


@pytest.mark.parametrize("bad", [np.array([1 + 2j]), np.array([1, "a"], dtype=object), "abc"])
def test_non_real_input_is_refused(bad):
    for call in (ReLU(), ReLU().derivative, PReLU().alpha_gradient, GELU()):
        with pytest.raises(TypeError, match="x"):
            call(bad)


def test_output_is_a_new_array():
    x = np.array([1.0, -2.0])
    y = Identity()(x)
    assert not np.shares_memory(x, y)
    assert isinstance(ReLU()(2.0), np.ndarray) and ReLU()(2.0).shape == ()


# --- RReLU ----------------------------------------------------------------------


def test_rrelu_training_slopes_are_uniform_on_lower_upper():
    n, lower, upper = 40_000, 1 / 8, 1 / 3
    slopes = RReLU().sample_slopes(n, rng=1)
    assert slopes.shape == (n,) and slopes.dtype == np.float64
    np.testing.assert_array_equal(-leaky_relu(-np.ones(n), slopes), slopes)
    assert slopes.min() >= lower and slopes.max() <= upper
    # Mean of U(l, u) is (l + u)/2 with variance (u - l)^2 / 12: 5 standard errors.
    standard_error = (upper - lower) / math.sqrt(12 * n)
    assert abs(slopes.mean() - (lower + upper) / 2) < 5 * standard_error


def test_rrelu_divisor_form_divides_by_a_uniform_divisor():
    n, lower, upper = 40_000, 3.0, 8.0
    act = RReLU.from_divisor()
    slopes = act.sample_slopes(n, rng=2)
    assert slopes.min() >= 1 / upper and slopes.max() <= 1 / lower
    # a ~ U(3, 8): E[1/a] = ln(u/l)/(u - l) = ln(8/3)/5 and
    # E[1/a^2] = (1/l - 1/u)/(u - l) = 1/(l u), so Var[1/a] = 1/(l u) - E[1/a]^2.
    mean = math.log(upper / lower) / (upper - lower)
    variance = 1 / (lower * upper) - mean**2
    assert abs(slopes.mean() - mean) < 5 * math.sqrt(variance / n)
    # Half the divisors exceed the midpoint 5.5, so half the slopes are below
    # 1/5.5 (a uniform slope on [1/8, 1/3] would put only 27% there).
    below = np.mean(slopes < 1 / 5.5)
    assert abs(below - 0.5) < 5 * math.sqrt(0.25 / n)
    assert act.eval_slope == pytest.approx(1 / 5.5, rel=1e-15)


def test_rrelu_is_its_test_time_function():
    act = RReLU()
    assert act.eval_slope == (1 / 8 + 1 / 3) / 2 == 11 / 48
    x = np.array([-4.0, -1.0, 0.0, 2.0])
    np.testing.assert_allclose(act(x), np.where(x > 0, x, 11 / 48 * x), rtol=EPS)
    np.testing.assert_array_equal(act.derivative(x), np.where(x > 0, 1.0, 11 / 48))
    np.testing.assert_array_equal(act(x), act(x))  # pure: no draw, no state


def test_rrelu_slopes_come_from_the_callers_generator():
    act = RReLU()
    gen = np.random.default_rng(42)
    first = act.sample_slopes((5, 7), gen)
    np.testing.assert_array_equal(first, act.sample_slopes((5, 7), 42))
    # The caller's generator advances: the next draw is new, and the same as a
    # seeded generator's second draw.
    second = act.sample_slopes((5, 7), gen)
    assert not np.array_equal(first, second)
    twice = np.random.default_rng(42)
    act.sample_slopes((5, 7), twice)
    np.testing.assert_array_equal(second, act.sample_slopes((5, 7), twice))
    assert act.sample_slopes(3, 0, dtype=np.float32).dtype == np.float32
    assert act.sample_slopes((), 0).shape == ()


def test_rrelu_sample_slopes_refuses_bad_arguments_by_name():
    act = RReLU()
    for shape, error in (((2.5,), TypeError), ((-1,), ValueError), ("3", TypeError)):
        with pytest.raises(error, match="shape"):
            act.sample_slopes(shape, 0)
    for rng, error in ((1.5, TypeError), (-1, ValueError)):
        with pytest.raises(error, match="rng"):
            act.sample_slopes(3, rng)
    with pytest.raises(TypeError, match="dtype"):
        act.sample_slopes(3, 0, dtype=np.int64)
    with pytest.raises(TypeError, match="rng"):
        RReLU(rng=0)  # activations hold no generator: the layer owns it


def test_rrelu_with_equal_bounds_is_a_leaky_relu():
    x = np.linspace(-2, 2, 9)
    act = RReLU(lower=0.2, upper=0.2)
    np.testing.assert_array_equal(leaky_relu(x, act.sample_slopes(x.shape, 0)), LeakyReLU(0.2)(x))


# --- the leaky formula with explicit slopes ---------------------------------------


def test_leaky_relu_applies_scalar_per_unit_and_per_element_slopes():
    x = np.array([[-2.0, -4.0, 3.0], [1.0, -1.0, -8.0]])
    units = np.array([0.5, 0.25, 0.125])
    expected = np.array([[-1.0, -1.0, 3.0], [1.0, -0.25, -1.0]])  # by hand
    np.testing.assert_array_equal(leaky_relu(x, units), expected)
    np.testing.assert_array_equal(leaky_relu(x, np.broadcast_to(units, x.shape)), expected)
    np.testing.assert_array_equal(leaky_relu(x, 0.5), np.where(x > 0, x, x / 2))
    d = leaky_relu_derivative(x, units)
    np.testing.assert_array_equal(d, np.where(x > 0, 1.0, np.broadcast_to(units, x.shape)))
    assert leaky_relu_derivative(np.array([0.0]), 0.3)[0] == 0.3  # the left derivative
    assert leaky_relu(np.ones(2, dtype=np.float32), 0.1).dtype == np.float32


@pytest.mark.parametrize(
    ("slope", "error"),
    [
        (np.array([0.1, 0.2]), ValueError),  # 2 slopes for 3 units
        (np.ones((4, 3)), ValueError),  # would broadcast x up
        (math.nan, ValueError),
        (np.array([0.1, math.inf, 0.1]), ValueError),
        ("0.1", TypeError),
        (np.array(["a", "b", "c"]), TypeError),
        (1j, TypeError),
    ],
)
def test_leaky_relu_refuses_bad_slopes_by_name(slope, error):
    x = np.zeros((2, 3))
    for call in (leaky_relu, leaky_relu_derivative):
        with pytest.raises(error, match="slope"):
            call(x, slope)


# --- PReLU ----------------------------------------------------------------------


def test_prelu_alpha_gradient_matches_finite_differences_in_alpha():
    x = np.random.default_rng(4).normal(scale=3, size=50)
    h, alpha = 1e-6, 0.25
    estimate = (PReLU(alpha + h)(x) - PReLU(alpha - h)(x)) / (2 * h)
    # f is linear in alpha, so no truncation error: only the rounding of
    # f(alpha +- h), about eps |x| each, divided by 2h.
    error = np.abs(PReLU(alpha).alpha_gradient(x) - estimate)
    assert np.all(error <= 4 * EPS * (np.abs(x) + 1) / h)
    np.testing.assert_array_equal(PReLU().alpha_gradient(x), np.where(x < 0, x, 0))


def test_prelu_per_unit_alpha_broadcasts_on_the_last_axis():
    x = np.random.default_rng(5).normal(size=(6, 3))
    alpha = np.array([0.1, -0.2, 0.5])
    act = PReLU(alpha)
    np.testing.assert_array_equal(act(x), np.where(x > 0, x, alpha * x))
    np.testing.assert_array_equal(act.derivative(x), np.where(x > 0, 1.0, alpha + 0 * x))
    # d(sum f)/d(alpha_j), by central differences, against the summed gradient.
    h = 1e-6
    summed = act.alpha_gradient(x).sum(axis=0)
    for j in range(3):
        bump = np.zeros(3)
        bump[j] = h
        estimate = (PReLU(alpha + bump)(x).sum() - PReLU(alpha - bump)(x).sum()) / (2 * h)
        assert abs(summed[j] - estimate) < 1e-8
    assert act(x.astype(np.float32)).dtype == np.float32
    with pytest.raises(ValueError, match="alpha"):
        act(np.ones((6, 4)))


def test_prelu_alpha_is_a_fixed_copy():
    slopes = np.array([0.25, 0.25])
    act = PReLU(slopes)
    slopes[0] = 9.0
    assert act.alpha[0] == 0.25
    # Fixed parameters: neither rebinding nor writing in place changes the function
    # (the slope a network learns lives in its ActivationLayer).
    with pytest.raises(AttributeError):
        act.alpha = 0.5
    with pytest.raises(ValueError, match="read-only"):
        act.alpha -= 0.1
    np.testing.assert_array_equal(act.alpha, [0.25, 0.25])
    assert PReLU().alpha == 0.25


# --- parameters, repr, equality, registry ---------------------------------------


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda: LeakyReLU(alpha=math.nan), ValueError, ["alpha"]),
        (lambda: LeakyReLU(alpha=math.inf), ValueError, ["alpha"]),
        (lambda: LeakyReLU(alpha=-0.1), ValueError, ["alpha"]),
        (lambda: LeakyReLU(alpha="0.1"), TypeError, ["alpha"]),
        (lambda: LeakyReLU(alpha=True), TypeError, ["alpha"]),
        (lambda: RReLU(lower=0.5, upper=0.1), ValueError, ["lower", "upper"]),
        (lambda: RReLU(lower=-0.1, upper=0.1), ValueError, ["lower"]),
        (lambda: RReLU(upper=math.nan), ValueError, ["upper"]),
        (lambda: RReLU.from_divisor(lower=0.0), ValueError, ["lower"]),
        (lambda: RReLU(form="ratio"), ValueError, ["form"]),
        (lambda: PReLU(alpha=math.nan), ValueError, ["alpha"]),
        (lambda: PReLU(alpha=np.array([0.1, np.inf])), ValueError, ["alpha"]),
        (lambda: PReLU(alpha=np.ones((2, 2))), ValueError, ["alpha"]),
        (lambda: PReLU(alpha=None), TypeError, ["alpha"]),
        (lambda: ELU(alpha=-1.0), ValueError, ["alpha"]),
        (lambda: Swish(beta=0.0), ValueError, ["beta"]),
        (lambda: Swish(beta=None), TypeError, ["beta"]),
        (lambda: GELU(approximate="fast"), ValueError, ["approximate"]),
        (lambda: GELU(approximate=True), TypeError, ["approximate"]),
    ],
)
def test_bad_parameters_name_themselves(make, error, words):
    with pytest.raises(error) as info:
        make()
    for word in words:
        assert word in str(info.value)


REPR_CASES = [*CASES, PReLU(np.array([0.5, -0.25])), Swish(beta=0.5)]


@pytest.mark.parametrize("act", REPR_CASES, ids=repr)
def test_repr_round_trips_and_equality_uses_parameters(act):
    namespace = {**vars(activations), "array": np.array}
    rebuilt = eval(repr(act), namespace)
    assert rebuilt == act and hash(rebuilt) == hash(act)
    # The cases differ pairwise in class or in a parameter: each equals itself alone.
    assert [other == act for other in REPR_CASES] == [other is act for other in REPR_CASES]


def test_equality_and_repr_examples():
    assert repr(LeakyReLU(alpha=0.01)) == "LeakyReLU(alpha=0.01)"
    assert LeakyReLU(0.1) == LeakyReLU(0.1) != LeakyReLU(0.2)
    assert LeakyReLU(0.1) != PReLU(0.1)
    assert PReLU(np.array([0.1, 0.2])) != PReLU(0.1)
    assert RReLU.from_divisor() != RReLU(3.0, 8.0)


def test_every_activation_is_pure_and_has_a_documented_example():
    x = np.random.default_rng(5).normal(size=(8, 3))
    for name in ACTIVATIONS:
        act = get_activation(name)
        # No mode and no state: the same input gives the same output, every time.
        assert not hasattr(act, "train") and not hasattr(act, "training")
        np.testing.assert_array_equal(act(x), act(x))
        assert act.name == name
        assert ">>>" in type(act).__doc__
    assert isinstance(get_activation("relu"), Activation)


def test_docstring_examples_run():
    result = doctest.testmod(activations)
    assert result.attempted > 10 and result.failed == 0


def test_registry_names_and_aliases():
    assert set(ACTIVATIONS) == {
        "identity",
        "sigmoid",
        "tanh",
        "relu",
        "leaky_relu",
        "rrelu",
        "prelu",
        "elu",
        "selu",
        "gelu",
        "swish",
        "mish",
        "softplus",
        "shifted_relu",
    }
    for alias in ("linear", "none", "None", None, "IDENTITY"):
        assert type(get_activation(alias)) is Identity
    assert type(get_activation("SiLU")) is Swish
    assert type(get_activation("Leaky_ReLU")) is LeakyReLU
    assert get_activation("leaky_relu", alpha=0.2) == LeakyReLU(0.2)
    assert get_activation("rrelu", lower=3, upper=8, form="divisor") == RReLU.from_divisor()


def test_get_activation_returns_new_instances_and_passes_instances_through():
    first, second = get_activation("prelu"), get_activation("prelu")
    assert first is not second and first == second
    assert get_activation(first) is first
    with pytest.raises(TypeError, match="alpha"):
        get_activation(first, alpha=0.1)
    with pytest.raises(TypeError, match="name"):
        get_activation(3)


def test_unknown_names_and_parameters_are_explained():
    with pytest.raises(ValueError) as info:
        get_activation("leaky_rleu")
    message = str(info.value)
    assert message.startswith("unknown activation name 'leaky_rleu'")
    assert "name must be one of" in message  # names the parameter
    assert "(did you mean 'leaky_relu'?)" in message
    assert all(name in message for name in ACTIVATIONS)
    with pytest.raises(ValueError, match=r"did you mean 'relu'\?"):
        get_activation("reul")
    with pytest.raises(TypeError) as info:
        get_activation("leaky_relu", slope=0.2)
    assert "slope" in str(info.value) and "alpha" in str(info.value)
    with pytest.raises(TypeError, match="alpha"):
        get_activation("relu", alpha=0.1)


# --- names as Keras and PyTorch spell them ------------------------------------


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        # Keras layer classes
        ("ReLU", ReLU),
        ("LeakyReLU", LeakyReLU),
        ("PReLU", PReLU),
        ("ELU", ELU),
        # PyTorch torch.nn classes
        ("SiLU", Swish),
        ("GELU", GELU),
        ("Mish", Mish),
        ("Softplus", Softplus),
        ("SELU", SELU),
        ("RReLU", RReLU),
        ("Sigmoid", Sigmoid),
        ("Tanh", Tanh),
        ("Identity", Identity),
        # separators and case
        ("leaky-relu", LeakyReLU),
        ("Leaky ReLU", LeakyReLU),
        ("LEAKY_RELU", LeakyReLU),
        (" relu ", ReLU),
        ("Linear", Identity),
    ],
)
def test_keras_and_pytorch_names_find_the_registry_entry(name, cls):
    assert type(get_activation(name)) is cls


def test_registry_names_still_give_the_same_objects():
    # What the book calls: lowercase registry names, alpha= for the slopes.
    for name in ACTIVATIONS:
        act = get_activation(name)
        assert act.name == name and act == get_activation(name.upper())
    assert get_activation("leaky_relu", alpha=0.3) == LeakyReLU(alpha=0.3)
    assert get_activation("elu", alpha=0.5) == ELU(alpha=0.5)
    assert get_activation("prelu", alpha=0.1) == PReLU(alpha=0.1)


def test_names_are_not_over_normalised():
    # Only case, "-", "_" and whitespace are dropped: other characters still count.
    for name in ("relu6", "re.lu", "leaky_relu!", "prelu2", "r", ""):
        with pytest.raises(ValueError, match=r"^unknown activation name .*; name must be one of"):
            get_activation(name)


def test_normalise_name_drops_case_and_separators_only():
    from initact._checks import normalise_name

    assert normalise_name("LeakyReLU") == normalise_name("leaky_relu") == "leakyrelu"
    assert normalise_name(" He-Normal\t") == normalise_name("he_normal") == "henormal"
    assert normalise_name("relu6") == "relu6" and normalise_name("re.lu") == "re.lu"


def test_did_you_mean_is_one_rule_on_normalised_names():
    from initact._checks import did_you_mean

    assert did_you_mean("LeakyRelU6", ACTIVATIONS) == " (did you mean 'leaky_relu'?)"
    assert did_you_mean("HeUnifrom", ["he_normal", "he_uniform"]) == (
        " (did you mean 'he_uniform'?)"
    )
    assert did_you_mean("xyzzy", ACTIVATIONS) == ""
    with pytest.raises(ValueError) as info:
        get_activation("xyzzy")
    assert "did you mean" not in str(info.value)
    assert all(name in str(info.value) for name in ACTIVATIONS)


def test_negative_slope_is_leaky_relus_alpha():
    assert get_activation("LeakyReLU", negative_slope=0.2) == LeakyReLU(alpha=0.2)
    assert get_activation("leaky_relu", negative_slope=0.0) == LeakyReLU(alpha=0.0)
    with pytest.raises(TypeError) as info:
        get_activation("LeakyReLU", alpha=0.1, negative_slope=0.2)
    assert "alpha" in str(info.value) and "negative_slope" in str(info.value)
    with pytest.raises(ValueError, match="negative_slope"):
        get_activation("leaky_relu", negative_slope=math.nan)
    with pytest.raises(TypeError, match="negative_slope"):
        get_activation("leaky_relu", negative_slope="0.2")
    # Only LeakyReLU's slope has the Keras 3 name.
    for name in ("relu", "elu", "prelu"):
        with pytest.raises(TypeError, match="negative_slope"):
            get_activation(name, negative_slope=0.2)


# --- ShiftedReLU (fastai's GeneralRelu with a shift only) -------------------------------


def test_shifted_relu_is_relu_minus_sub_with_relus_derivative():
    x = np.random.default_rng(3).normal(size=200) * 5
    for sub in (0.0, 0.4, -1.5):
        act = ShiftedReLU(sub=sub)
        np.testing.assert_array_equal(act(x), np.maximum(x, 0) - sub)
        np.testing.assert_array_equal(act.derivative(x), ReLU().derivative(x))
    assert ShiftedReLU().sub == 0.4 and ShiftedReLU().kinks == (0.0,)
    assert get_activation("ShiftedReLU", sub=0.2) == ShiftedReLU(0.2) != ShiftedReLU(0.4)


def test_shifted_relu_centres_a_standard_normal_input_when_sub_is_1_over_sqrt_2pi():
    # E[relu(z)] = 1/sqrt(2 pi) for z ~ N(0, 1): 200,000 draws, standard error
    # sqrt(Var[relu(z)] / n) with Var[relu(z)] = 1/2 - 1/(2 pi) = 0.34; allow 4 of them.
    z = np.random.default_rng(0).standard_normal(200_000)
    sub = 1 / math.sqrt(2 * math.pi)
    se = math.sqrt((0.5 - 1 / (2 * math.pi)) / z.size)
    assert abs(ShiftedReLU(sub)(z).mean()) < 4 * se


@pytest.mark.parametrize("bad", [math.nan, math.inf, "0.4", None])
def test_shifted_relu_refuses_a_bad_sub(bad):
    with pytest.raises((TypeError, ValueError), match="sub"):
        ShiftedReLU(sub=bad)
