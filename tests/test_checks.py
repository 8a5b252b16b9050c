"""The shared argument checks of initact._checks, and that the modules really use them."""

import math
from fractions import Fraction

import numpy as np
import pytest

import initact
from initact import _checks
from initact.activations import LeakyReLU, RReLU
from initact.diagnostics import born_dead_exact
from initact.nn import SGD, mlp
from initact.propagation import propagate
from initact.theory import moments, propagate_variance

# --------------------------------------------------------------------------- integer


@pytest.mark.parametrize("value", [True, False, np.True_, np.False_])
def test_integer_refuses_booleans(value):
    with pytest.raises(TypeError, match="width"):
        _checks.integer(value, "width", at_least=None)


@pytest.mark.parametrize("value", [2.0, "2", None, Fraction(2), np.float64(2.0)])
def test_integer_refuses_non_integers_even_whole_valued(value):
    with pytest.raises(TypeError, match="width must be a positive integer"):
        _checks.integer(value, "width")


def test_integer_returns_a_python_int():
    result = _checks.integer(np.int64(7), "n")
    assert result == 7 and type(result) is int


def test_integer_bounds_are_inclusive():
    assert _checks.integer(2, "points", at_least=2) == 2
    assert _checks.integer(500, "width", at_least=10, at_most=500) == 500
    with pytest.raises(ValueError, match=r"points must be an integer >= 2, got 1"):
        _checks.integer(1, "points", at_least=2)
    with pytest.raises(ValueError, match=r"width must be an integer from 10 to 500, got 501"):
        _checks.integer(501, "width", at_least=10, at_most=500)


def test_integer_defaults_to_positive_and_can_be_unbounded():
    with pytest.raises(ValueError, match="epochs must be a positive integer, got 0"):
        _checks.integer(0, "epochs")
    with pytest.raises(ValueError, match="seed must be a non-negative integer, got -1"):
        _checks.integer(-1, "seed", at_least=0)
    assert _checks.integer(-(10**30), "axis", at_least=None) == -(10**30)


# --------------------------------------------------------------------------- real


@pytest.mark.parametrize("value", [True, np.False_, "0.1", None, 1j, [0.1]])
def test_real_refuses_what_is_not_a_real_number(value):
    with pytest.raises(TypeError, match=r"lr must be a finite number > 0, got .*\("):
        _checks.real(value, "lr", above=0)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, np.float32("nan"), 10**400])
def test_real_refuses_nan_and_infinities_even_without_bounds(value):
    with pytest.raises(ValueError, match="alpha must be a finite number, got"):
        _checks.real(value, "alpha")


def test_real_converts_numpy_and_fraction_values_to_python_floats():
    assert _checks.real(np.float32(0.5), "x") == 0.5
    assert type(_checks.real(np.int8(3), "x")) is float
    assert _checks.real(Fraction(1, 4), "x") == 0.25


def test_real_strict_and_inclusive_bounds():
    # at_least / at_most include the bound, above / below exclude it.
    assert _checks.real(0, "rate", at_least=0, below=1) == 0.0
    assert _checks.real(1, "p", at_most=1) == 1.0
    assert _checks.real(5e-324, "lr", above=0) == 5e-324  # the smallest positive float
    for value, bounds in [(0.0, {"above": 0}), (1.0, {"below": 1}), (-1e-300, {"at_least": 0})]:
        with pytest.raises(ValueError, match="rate must be a finite number"):
            _checks.real(value, "rate", **bounds)


def test_real_message_states_every_bound():
    with pytest.raises(ValueError) as info:
        _checks.real(1.0, "saturation", above=0.5, below=1)
    assert str(info.value) == "saturation must be a finite number > 0.5 and < 1, got 1.0"


# --------------------------------------------------------------------------- float_dtype


def test_float_dtype_resolves_names_and_types():
    assert _checks.float_dtype("float16") == np.float16
    assert _checks.float_dtype(np.float64, allowed=(np.float32, np.float64)) == np.float64


@pytest.mark.parametrize("dtype", [np.int32, complex, bool, "weights", np.float16])
def test_float_dtype_refuses_other_dtypes_and_lists_the_accepted_ones(dtype):
    with pytest.raises(TypeError) as info:
        _checks.float_dtype(dtype, allowed=(np.float32, np.float64), name="out_dtype")
    message = str(info.value)
    assert message.startswith("out_dtype must be") and "float32 or float64" in message


# --------------------------------------------------------------------------- real_array


def test_real_array_gives_float64_from_ints_and_booleans():
    result = _checks.real_array([True, 2, 3], "z")
    assert result.dtype == np.float64 and result.tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("values", [["a", "b"], [1 + 2j], [[1.0, 2.0], [3.0]], [None, 1.0]])
def test_real_array_refuses_non_numbers_with_a_type_error(values):
    with pytest.raises(TypeError, match=r"^z must"):
        _checks.real_array(values, "z")


@pytest.mark.parametrize(
    ("values", "kwargs", "match"),
    [
        ([], {}, "z must be 1-D and non-empty, got shape"),
        (5.0, {}, r"z must be 1-D and non-empty, got shape \(\)"),
        ([[1.0, 2.0]], {}, "z must be 1-D"),
        ([1.0, 2.0], {"ndim": 2}, "z must be 2-D"),
        ([1.0], {"min_size": 2}, "z must be 1-D with at least 2 values"),
        ([1.0, math.nan], {}, "z must hold finite numbers only"),
        ([-math.inf, 1.0], {}, "z must hold finite numbers only"),
    ],
)
def test_real_array_refuses_bad_shapes_and_non_finite_values(values, kwargs, match):
    with pytest.raises(ValueError, match=match):
        _checks.real_array(values, "z", **kwargs)


def test_real_array_lets_nan_through_only_when_asked():
    result = _checks.real_array([[math.nan, math.inf]], "records", ndim=2, finite=False)
    assert np.isnan(result[0, 0]) and np.isposinf(result[0, 1])


# --------------------------------------------------------------------------- used everywhere


@pytest.mark.parametrize(
    ("call", "error", "word"),
    [
        (lambda: mlp([4, np.True_, 3]), TypeError, "sizes"),
        (lambda: propagate("relu", "he_normal", depth=True, width=4), TypeError, "depth"),
        (lambda: born_dead_exact(np.True_, 3), TypeError, "width"),
        (lambda: propagate_variance("relu", 2.0, np.True_), TypeError, "depth"),
        (lambda: LeakyReLU(alpha=np.True_), TypeError, "alpha"),
        (lambda: SGD(lr=np.False_), TypeError, "lr"),
        (lambda: initact.VarianceScaling(scale=True), TypeError, "scale"),
        (lambda: moments("relu", q=10**400), ValueError, "q"),
        (lambda: RReLU.from_divisor(lower=0.0), ValueError, "lower"),
        (lambda: SGD(lr=0.1, momentum=1.0), ValueError, "momentum"),
    ],
)
def test_modules_refuse_booleans_and_out_of_range_numbers(call, error, word):
    with pytest.raises(error, match=word):
        call()
