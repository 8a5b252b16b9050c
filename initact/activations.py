"""Elementwise activation functions and their derivatives, in NumPy.

Every activation is a small object: call it for ``f(x)``, ask ``derivative(x)``
for the elementwise ``f'(x)``. Get one by name with :func:`get_activation`.

>>> import numpy as np
>>> relu = get_activation("relu")
>>> relu(np.array([-2.0, 0.0, 3.0]))
array([0., 0., 3.])
>>> relu.derivative(np.array([-2.0, 0.0, 3.0]))
array([0., 0., 1.])

Shared rules
------------
* Input is converted with ``np.asarray``. Floating dtypes are kept (float16,
  float32 and float64 in, the same dtype out; float16 is computed in float32
  and rounded once at the end). Integer and bool input is computed in float64.
  Complex, object and string input is refused with a TypeError. The output is
  always a new ndarray with the shape of ``x`` (0-d for a scalar).
* No warnings: only non-positive numbers are ever exponentiated (``expm1``,
  a sigmoid that branches on the sign, ``log1p(exp(-|x|))``), and products that
  would read ``0 * inf`` are clipped first. Finite input gives finite output for
  ``f`` and ``f'`` wherever the true value is representable; a result beyond the
  float range (``SELU`` of the largest float16, say) rounds to ``inf`` silently,
  as IEEE arithmetic defines. ``x = ±inf`` gives the limits of ``f`` and ``f'``.
* NaN propagates: a NaN input gives NaN in ``f`` and in ``f'``.
* ``kinks`` lists the points where the formula switches pieces, so ``f`` or
  ``f'`` is not differentiable there; quadrature code splits its domain there.
  At a kink ``derivative`` returns one of the one-sided derivatives:

  - ReLU: ``f'(0) = 0`` (the right-hand value is 1; PyTorch and TensorFlow use 0).
  - LeakyReLU, PReLU, RReLU: ``f'(0) = slope``, the left derivative (PyTorch).
  - ELU and SELU: ``f'(0) = alpha`` (times ``SELU_SCALE``), the left derivative,
    as Keras and PyTorch compute it.

* Every activation is a pure function of its input and its fixed parameters:
  it has no mode, no generator and no memory. Whatever learns, samples or
  remembers is a layer in :mod:`initact.nn` and lives there alone: PReLU's
  trained slope, RReLU's random slopes and their generator, dropout masks.
  :func:`leaky_relu` and :func:`leaky_relu_derivative` take the slopes those
  layers own as an argument; :meth:`RReLU.sample_slopes` draws slopes from a
  generator the caller passes in.
"""

from __future__ import annotations

import inspect
import math
from typing import Any

import numpy as np

from . import _checks

__all__ = [
    "ACTIVATIONS",
    "ELU",
    "GELU",
    "SELU",
    "SELU_ALPHA",
    "SELU_SCALE",
    "Activation",
    "Identity",
    "LeakyReLU",
    "Mish",
    "PReLU",
    "RReLU",
    "ReLU",
    "ShiftedReLU",
    "Sigmoid",
    "Softplus",
    "Swish",
    "Tanh",
    "get_activation",
    "leaky_relu",
    "leaky_relu_derivative",
]

#: SELU's alpha and lambda (Klambauer et al. 2017, eq. 14), the fixed point
#: mean 0, variance 1 for standard normal pre-activations.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_INV_SQRT_PI = 1.0 / math.sqrt(math.pi)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_TANH_CUBIC = 0.044715

# Beyond these |x| every function below has reached its asymptote to the last
# bit: exp(-x^2/2) or exp(-|x|) underflows to 0 in float64, so clipping there
# changes no result and keeps squares and cubes far from overflow.
_GELU_CLIP = 40.0
_GELU_TANH_CLIP = 50.0
_SATURATION = 1000.0


# --- input and output -------------------------------------------------------


def _as_input(x: Any) -> tuple[np.ndarray, np.dtype]:
    """``x`` as a float array to compute on, and the dtype to return."""
    try:
        array = np.asarray(x)
    except ValueError as error:  # ragged nested sequences
        raise ValueError(f"x must be a rectangular array of real numbers: {error}") from None
    kind = array.dtype.kind
    if kind == "f":
        out_dtype = array.dtype
    elif kind in "biu":
        out_dtype = np.dtype(np.float64)
    else:
        raise TypeError(
            f"x must hold real numbers (float, int or bool), got an array of dtype {array.dtype}"
        )
    # float16 has too little range for x**2 and too few bits for the rational
    # approximations: compute in float32 and round once at the end.
    work_dtype = np.dtype(np.float32) if out_dtype == np.float16 else out_dtype
    return array.astype(work_dtype, copy=False), out_dtype


def _as_output(y: Any, x: np.ndarray, out_dtype: np.dtype) -> np.ndarray:
    """Return ``y`` as an ndarray of ``out_dtype`` with NaN wherever ``x`` is NaN."""
    y = np.asarray(y)
    nan = np.isnan(x)
    if nan.any():
        y = np.where(nan, x, y)
    if y.dtype != out_dtype:
        # Rounding float32 to float16 may exceed float16's range: inf is the
        # correctly rounded result there, not an error.
        with np.errstate(over="ignore"):
            y = y.astype(out_dtype)
    return y


def _step(x: np.ndarray, slope: Any) -> np.ndarray:
    """1 where ``x > 0``, ``slope`` elsewhere (the derivative of a leaky ReLU).

    Arithmetic on the 0/1 mask rather than ``np.where``: on the random signs of
    a layer's inputs ``where`` mispredicts a branch per element and costs ~25x
    more (benchmarks/bench_mlp.py). NaN stays NaN: ``NaN > 0`` is False and the
    caller restores NaN inputs.
    """
    positive = (x > 0).astype(x.dtype)
    if np.ndim(slope) == 0 and slope == 0:
        return positive
    return positive + np.asarray(slope, dtype=x.dtype) * (1 - positive)


def _leaky(x: np.ndarray, slope: Any) -> np.ndarray:
    """``x`` where ``x > 0``, ``slope * x`` elsewhere; ``slope`` broadcasts against ``x``."""
    negative = np.minimum(x, 0)
    shape = np.broadcast_shapes(x.shape, np.shape(slope))
    scaled = np.zeros(shape, dtype=x.dtype)
    # Multiply only where the slope is nonzero: 0 * -inf would be NaN, not 0.
    # A slope above 1 can push -max past the float range; -inf is then correct.
    with np.errstate(over="ignore"):
        np.multiply(np.asarray(slope, dtype=x.dtype), negative, out=scaled, where=slope != 0)
    return np.where(x > 0, x, scaled)


def _slopes_for(x: np.ndarray, slope: Any) -> float | np.ndarray:
    """``slope`` checked: real and finite, a number or an array that broadcasts to ``x``."""
    if np.ndim(slope) == 0:
        return _checks.real(slope, "slope")
    slopes = np.asarray(slope)
    if slopes.dtype.kind not in "fiu":
        raise TypeError(f"slope must hold real numbers, got an array of dtype {slopes.dtype}")
    try:
        fits = np.broadcast_shapes(x.shape, slopes.shape) == x.shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(
            f"slope must be a number, one slope per unit (the last axis of x) or one per "
            f"element: its shape {slopes.shape} does not broadcast to x's shape {x.shape}"
        )
    if not np.all(np.isfinite(slopes)):
        raise ValueError("slope must be finite, got non-finite slopes")
    return slopes


def leaky_relu(x: Any, slope: Any) -> np.ndarray:
    """``x`` where ``x > 0``, ``slope * x`` elsewhere, with the slopes given explicitly.

    The leaky family's one formula, for whoever owns the slopes: a number
    (LeakyReLU), one trained slope per unit along the last axis (PReLU, whose
    layer owns it) or one random slope per element (RReLU while training, whose
    layer owns the draws). ``slope`` must be finite and broadcast to ``x``'s
    shape. Dtype rules as for every activation (module docstring).

    >>> leaky_relu(np.array([[-2.0, -2.0], [3.0, -4.0]]), np.array([0.1, 0.5]))
    array([[-0.2, -1. ],
           [ 3. , -2. ]])
    """
    work, _ = _as_input(x)
    return _leaky_relu(x, _slopes_for(work, slope))


def leaky_relu_derivative(x: Any, slope: Any) -> np.ndarray:
    """1 where ``x > 0``, ``slope`` elsewhere (so ``f'(0) = slope``): :func:`leaky_relu`'s.

    >>> leaky_relu_derivative(np.array([-1.0, 0.0, 2.0]), 0.25)
    array([0.25, 0.25, 1.  ])
    """
    work, _ = _as_input(x)
    return _leaky_relu_derivative(x, _slopes_for(work, slope))


# The same two without the slope check, for the layers of initact.nn: the slopes there
# are their own state (a PReLU slope that training drove to inf is a divergence for fit
# to report, not a caller's bad argument).
def _leaky_relu(x: Any, slope: Any) -> np.ndarray:
    work, out_dtype = _as_input(x)
    return _as_output(_leaky(work, slope), work, out_dtype)


def _leaky_relu_derivative(x: Any, slope: Any) -> np.ndarray:
    work, out_dtype = _as_input(x)
    return _as_output(_step(work, slope), work, out_dtype)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function with only ``exp(-|z|)`` evaluated, so it never overflows."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _sigmoid_slope(z: np.ndarray) -> np.ndarray:
    """``sigmoid'(z) = e / (1 + e)^2`` with ``e = exp(-|z|)``; exact in both tails."""
    e = np.exp(-np.abs(z))
    return e / ((1 + e) * (1 + e))


# --- the error function -----------------------------------------------------
# W. J. Cody (1969), "Rational Chebyshev approximations for the error function",
# Math. Comp. 23, 631-638, with the coefficients of his SPECFUN routine CALERF
# (netlib). Near-minimax, about 18 significant digits before rounding. Each
# polynomial is listed from the highest power down, for Horner's rule.
_ERF_SPLIT = 0.46875
_ERFC_SPLIT = 4.0
_ERFC_UNDERFLOW = 28.0  # erfc(28) < 1e-342: 0 in float64 and below
# |z| <= 0.46875: erf(z) = z * N1(z^2) / D1(z^2)
_N1 = (
    1.85777706184603153e-1,
    3.16112374387056560e00,
    1.13864154151050156e02,
    3.77485237685302021e02,
    3.20937758913846947e03,
)
_D1 = (
    1.0,
    2.36012909523441209e01,
    2.44024637934444173e02,
    1.28261652607737228e03,
    2.84423683343917062e03,
)
# 0.46875 < |z| <= 4: erfc(|z|) = exp(-z^2) * N2(|z|) / D2(|z|)
_N2 = (
    2.15311535474403846e-8,
    5.64188496988670089e-1,
    8.88314979438837594e00,
    6.61191906371416295e01,
    2.98635138197400131e02,
    8.81952221241769090e02,
    1.71204761263407058e03,
    2.05107837782607147e03,
    1.23033935479799725e03,
)
_D2 = (
    1.0,
    1.57449261107098347e01,
    1.17693950891312499e02,
    5.37181101862009858e02,
    1.62138957456669019e03,
    3.29079923573345963e03,
    4.36261909014324716e03,
    3.43936767414372164e03,
    1.23033935480374942e03,
)
# |z| > 4, s = 1/z^2: erfc(|z|) = exp(-z^2) / |z| * (1/sqrt(pi) - s * N3(s) / D3(s))
_N3 = (
    1.63153871373020978e-2,
    3.05326634961232344e-1,
    3.60344899949804439e-1,
    1.25781726111229246e-1,
    1.60837851487422766e-2,
    6.58749161529837803e-4,
)
_D3 = (
    1.0,
    2.56852019228982242e00,
    1.87295284992346047e00,
    5.27905102951428412e-1,
    6.05183413124413191e-2,
    2.33520497626869185e-3,
)


def _horner(coefficients: tuple[float, ...], t: np.ndarray) -> np.ndarray:
    """Polynomial with ``coefficients`` (highest power first) at ``t``."""
    result = np.full_like(t, coefficients[0])
    for c in coefficients[1:]:
        result = result * t + c
    return result


def _erfc(z: np.ndarray) -> np.ndarray:
    """Complementary error function, elementwise, to a few ulp (Cody 1969).

    Each element is evaluated only on its own one of Cody's three intervals;
    NaN falls through to the last one and stays NaN.
    """
    z = np.asarray(z)
    y = np.abs(z)
    out = np.empty_like(z)
    small = y <= _ERF_SPLIT
    middle = (y > _ERF_SPLIT) & (y <= _ERFC_SPLIT)
    large = ~(small | middle)

    zs = z[small]
    s = zs * zs
    out[small] = 1 - zs * _horner(_N1, s) / _horner(_D1, s)

    ym = y[middle]
    out[middle] = _gaussian_tail(ym) * _horner(_N2, ym) / _horner(_D2, ym)

    # Beyond |z| = 28, erfc(|z|) underflows to 0: clipping keeps 1/y^2 and y^2 tame.
    yl = np.minimum(y[large], _ERFC_UNDERFLOW)
    s = 1 / (yl * yl)
    ratio = (_INV_SQRT_PI - s * _horner(_N3, s) / _horner(_D3, s)) / yl
    out[large] = _gaussian_tail(yl) * ratio

    # So far out = erfc(|z|) away from 0; reflect: erfc(-y) = 2 - erfc(y).
    reflect = ~small & (z < 0)
    out[reflect] = 2 - out[reflect]
    return out


def _gaussian_tail(y: np.ndarray) -> np.ndarray:
    """``exp(-y^2)`` for ``y >= 0`` as ``exp(-r^2) exp(-(y - r)(y + r))``.

    ``r`` is ``y`` truncated to a multiple of 1/16, so ``r*r`` is exact and the
    rounding error of ``y*y`` is not magnified by ``exp`` (Cody's device).
    """
    r = np.trunc(y * 16) / 16
    return np.exp(-r * r) * np.exp(-(y - r) * (y + r))


# --- parameter checks -------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    """Parameter equality that also works for arrays."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and np.array_equal(a, b)
    return a == b


# --- the base class ---------------------------------------------------------


class Activation:
    """Base class: an elementwise function ``f`` with its derivative ``f'``.

    Subclasses set ``name`` (their registry name) and ``kinks``, and implement
    ``_forward`` and ``_derivative`` on float arrays; the base class handles
    dtypes, NaN and the output type.

    >>> act = get_activation("tanh")
    >>> isinstance(act, Activation), act.name, act.kinks
    (True, 'tanh', ())
    """

    name: str = ""
    kinks: tuple[float, ...] = ()

    def __call__(self, x: Any) -> np.ndarray:
        """``f(x)`` elementwise, as an ndarray with the shape of ``x``."""
        work, out_dtype = _as_input(x)
        return _as_output(self._forward(work), work, out_dtype)

    def derivative(self, x: Any) -> np.ndarray:
        """``f'(x)`` elementwise, as an ndarray with the shape of ``x``."""
        work, out_dtype = _as_input(x)
        return _as_output(self._derivative(work), work, out_dtype)

    def _forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _derivative(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _params(self) -> dict[str, Any]:
        """Constructor parameters, in order, for repr and equality."""
        return {}

    def __repr__(self) -> str:
        args = ", ".join(f"{key}={value!r}" for key, value in self._params().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        if type(self) is not type(other):
            return NotImplemented
        mine, theirs = self._params(), other._params()  # type: ignore[attr-defined]
        return mine.keys() == theirs.keys() and all(_same(mine[k], theirs[k]) for k in mine)

    def __hash__(self) -> int:
        # Equal objects have the same class (parameters may be arrays, unhashable).
        return hash(type(self))


# --- smooth classics ----------------------------------------------------------


class Identity(Activation):
    """Identity (linear, "no activation"): ``f(x) = x``, ``f'(x) = 1``.

    The output layer of a regression net, and the "None" row of Table 11-1
    (Glorot initialization), Géron, *Hands-On Machine Learning*, chapter 11.

    >>> import numpy as np
    >>> Identity()(np.array([-1.5, 2.0])), Identity().derivative(np.array([-1.5, 2.0]))
    (array([-1.5,  2. ]), array([1., 1.]))
    """

    name = "identity"

    def _forward(self, x: np.ndarray) -> np.ndarray:
        return x.copy()  # never hand back the caller's own array

    def _derivative(self, x: np.ndarray) -> np.ndarray:
        return np.ones_like(x)


class Sigmoid(Activation):
    """Logistic sigmoid: ``f(x) = 1 / (1 + exp(-x))``, ``f' = f (1 - f)``.

    The saturating activation Glorot & Bengio (2010) found hard to train deep.
    Computed from ``exp(-|x|)`` only; ``f'`` as ``e / (1 + e)^2`` with
    ``e = exp(-|x|)``, which stays accurate in both tails.

    >>> import numpy as np
    >>> Sigmoid()(np.array([0.0])), Sigmoid().derivative(np.array([0.0]))
    (array([0.5]), array([0.25]))
    """

    name = "sigmoid"

    def _forward(self, x: np.ndarray) -> np.ndarray:
        return _sigmoid(x)

    def _derivative(self, x: np.ndarray) -> np.ndarray:
        return _sigmoid_slope(x)


class Tanh(Activation):
    """Hyperbolic tangent: ``f(x) = tanh(x)``, ``f'(x) = 1 - tanh(x)^2``.

    Zero-centred, saturating (LeCun et al. 1998, "Efficient BackProp"; Glorot &
    Bengio 2010). ``f'`` is computed as ``4e / (1 + e)^2`` with
    ``e = exp(-2|x|)``, equal to ``sech(x)^2`` without cancellation in the tails.

    >>> import numpy as np
    >>> Tanh()(np.array([0.0])), Tanh().derivative(np.array([0.0]))
    (array([0.]), array([1.]))
    """

    name = "tanh"

    def _forward(self, x: np.ndarray) -> np.ndarray:
        return np.tanh(x)

    def _derivative(self, x: np.ndarray) -> np.ndarray:
        e = np.exp(-2 * np.minimum(np.abs(x), _SATURATION))  # 2 * max would overflow
        return 4 * e / ((1 + e) * (1 + e))


class Softplus(Activation):
    """Softplus: ``f(x) = log(1 + exp(x))``, ``f'(x) = sigmoid(x)``.

    The smooth ReLU of Dugas et al. (2001); Glorot, Bordes & Bengio (2011)
    compare it with the rectifier. Computed as ``max(x, 0) + log1p(exp(-|x|))``.

    >>> import numpy as np
    >>> Softplus()(np.array([0.0])), Softplus().derivative(np.array([0.0]))
    (array([0.69314718]), array([0.5]))
    """

    name = "softplus"

    def _forward(self, x: np.ndarray) -> np.ndarray:
        return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))

    def _derivative(self, x: np.ndarray) -> np.ndarray:
        return _sigmoid(x)


# --- rectifiers ---------------------------------------------------------------


class ReLU(Activation):
    """Rectified linear unit: ``f(x) = max(x, 0)``; ``f'(x) = 1`` for x > 0, else 0.

    Nair & Hinton (2010); Glorot, Bordes & Bengio (2011). Not differentiable at
    0; by convention ``f'(0) = 0`` (as PyTorch and TensorFlow).

    >>> import numpy as np
    >>> x = np.array([-2.0, 0.0, 3.0])
    >>> ReLU()(x), ReLU().derivative(x)
    (array([0., 0., 3.]), array([0., 0., 1.]))
    """

    name = "relu"
    kinks = (0.0,)

    def _forward(self, x: np.ndarray) -> np.ndarray:
        return np.maximum(x, 0)

    def _derivative(self, x: np.ndarray) -> np.ndarray:
        return _step(x, 0)


class LeakyReLU(Activation):
    """Leaky ReLU: ``f(x) = x`` for x > 0, ``alpha * x`` otherwise.

    Maas, Hannun & Ng (2013) with ``alpha = 0.01``, the default of PyTorch and of
    the book (Keras's layer uses 0.3; Xu et al. 2015 found 0.2 better). Derivative
    1 for x > 0 and ``alpha`` otherwise, so ``f'(0) = alpha`` (PyTorch's
    convention). ``alpha`` must be a finite number >= 0.

    >>> import numpy as np
    >>> act = LeakyReLU(alpha=0.2)
    >>> act
    LeakyReLU(alpha=0.2)
    >>> act(np.array([-5.0, 0.0, 3.0])), act.derivative(np.array([-5.0, 0.0, 3.0]))
    (array([-1.,  0.,  3.]), array([0.2, 0.2, 1. ]))
    """

    name = "leaky_relu"
    kinks = (0.0,)

    def __init__(self, alpha: float = 0.01) -> None:
        self.alpha = _checks.real(alpha, "LeakyReLU: alpha", at_least=0)

    def _params(self) -> dict[str, Any]:
        return {"alpha": self.alpha}

    def _forward(self, x: np.ndarray) -> np.ndarray:
        return _leaky(x, self.alpha)

    def _derivative(self, x: np.ndarray) -> np.ndarray:
        return _step(x, self.alpha)


class RReLU(Activation):
    """Randomized leaky ReLU: a random negative slope per element while training.

    ``f(x) = x`` for x > 0 and ``s * x`` otherwise, where

    * slope form (default, PyTorch's ``nn.RReLU``): in training ``s ~ U(lower,
      upper)`` with defaults ``U(1/8, 1/3)``; at test time the mean slope
      ``(lower + upper) / 2 = 11/48``.
    * divisor form (``RReLU.from_divisor()``, Xu et al. 2015, "Empirical
      Evaluation of Rectified Activations in Convolutional Network"):
      ``f(x) = x / a`` with ``a ~ U(lower, upper)``, defaults ``U(3, 8)``; at test
      time ``x / ((lower + upper) / 2) = x / 5.5``. The slope ``1/a`` also lies in
      ``[1/8, 1/3]`` but is *not* uniform: its mean is ``ln(8/3)/5 ≈ 0.196``,
      not the test slope ``1/5.5 ≈ 0.182``.

    The object is the *test-time* function: calling it applies ``eval_slope``,
    so the theory, the plots and a network in evaluation mode all see one fixed
    function. Training-time randomness is sampled, not stored:
    :meth:`sample_slopes` draws slopes from a generator the caller owns, and
    :func:`leaky_relu` applies them (what ``initact.nn.ActivationLayer`` does
    while training). ``f'(0)`` is the slope (left derivative).

    >>> import numpy as np
    >>> act = RReLU()
    >>> act.eval_slope == 11 / 48
    True
    >>> slopes = act.sample_slopes(5, rng=0)
    >>> bool(np.all((slopes >= 1 / 8) & (slopes <= 1 / 3)))
    True
    >>> y = leaky_relu(-np.ones(5), slopes)      # training: a random slope each
    >>> bool(np.array_equal(-y, slopes))
    True
    >>> act(np.array([-5.5, 2.0]))               # test time: the mean slope
    array([-1.26041667,  2.        ])
    >>> RReLU.from_divisor().eval_slope == 1 / 5.5
    True
    """

    name = "rrelu"
    kinks = (0.0,)

    def __init__(self, lower: float = 1 / 8, upper: float = 1 / 3, *, form: str = "slope") -> None:
        if form not in ("slope", "divisor"):
            raise ValueError(f"RReLU: form must be 'slope' or 'divisor', got {form!r}")
        self.form = form
        # Divisors must be positive; slopes may be 0 (then it is a ReLU).
        if form == "divisor":
            lower = _checks.real(lower, "RReLU: lower", above=0)
        else:
            lower = _checks.real(lower, "RReLU: lower", at_least=0)
        upper = _checks.real(upper, "RReLU: upper")
        if lower > upper:
            raise ValueError(f"RReLU: lower must be <= upper, got lower={lower!r}, upper={upper!r}")
        self.lower, self.upper = lower, upper

    @classmethod
    def from_divisor(cls, lower: float = 3.0, upper: float = 8.0) -> RReLU:
        """Xu et al.'s form: ``x / a`` for x < 0, ``a ~ U(lower, upper)``, test divisor 5.5.

        >>> RReLU.from_divisor()
        RReLU(lower=3.0, upper=8.0, form='divisor')
        """
        return cls(lower, upper, form="divisor")

    @property
    def eval_slope(self) -> float:
        """The slope used at test time, the mean slope (or 1 / the mean divisor)."""
        middle = (self.lower + self.upper) / 2
        return middle if self.form == "slope" else 1 / middle

    def sample_slopes(self, shape: int | tuple[int, ...], rng: Any, dtype: Any = np.float64):
        """Training-time slopes, one per element of an array of ``shape``.

        ``rng`` is an int seed or a ``numpy.random.Generator`` (drawing advances
        it); the caller owns it. Slope form: ``U(lower, upper)``; divisor form:
        ``1 / U(lower, upper)``, drawn the same way so one generator state gives
        the same divisors in both.

        >>> RReLU.from_divisor().sample_slopes((2, 3), rng=0).shape
        (2, 3)
        """
        if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
            shape = (shape,)
        if not isinstance(shape, tuple):
            raise TypeError(f"shape must be an int or a tuple of ints, got {shape!r}")
        dims = tuple(_checks.integer(d, "shape", at_least=0) for d in shape)
        dtype = _checks.float_dtype(dtype)
        draws = _checks.generator(rng).uniform(self.lower, self.upper, size=dims)
        slopes = draws if self.form == "slope" else 1 / draws
        return slopes.astype(dtype, copy=False)

    def _params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"lower": self.lower, "upper": self.upper}
        if self.form != "slope":
            params["form"] = self.form
        return params

    def _forward(self, x: np.ndarray) -> np.ndarray:
        return _leaky(x, self.eval_slope)

    def _derivative(self, x: np.ndarray) -> np.ndarray:
        return _step(x, self.eval_slope)


class PReLU(Activation):
    """Parametric ReLU: ``f(x) = x`` for x > 0, ``alpha * x`` otherwise.

    He, Zhang, Ren & Sun (2015), "Delving Deep into Rectifiers", who initialize
    ``alpha = 0.25``. ``alpha`` is a float (one shared slope) or a 1-D array with
    one slope per unit (the last axis of ``x``). ``f'(0) = alpha``.

    The object is the function at a *fixed* ``alpha``, read-only: the slope a
    network learns belongs to its layer (``initact.nn.ActivationLayer``, in
    ``layer.params["alpha"]``), which applies it with :func:`leaky_relu`. Here
    ``alpha`` is where that slope starts, and the function a plot or the theory
    uses.

    ``alpha_gradient(x)`` is the elementwise ``df/dalpha`` (``x`` where x < 0,
    else 0), shaped like ``x``; a layer sums it over the batch axes.

    >>> import numpy as np
    >>> act = PReLU(alpha=np.array([0.25, 0.5]))
    >>> x = np.array([[-2.0, -2.0], [1.0, -4.0]])
    >>> act(x)
    array([[-0.5, -1. ],
           [ 1. , -2. ]])
    >>> act.alpha_gradient(x).sum(axis=0)
    array([-2., -6.])
    """

    name = "prelu"
    kinks = (0.0,)

    def __init__(self, alpha: float | np.ndarray = 0.25) -> None:
        if isinstance(alpha, (np.ndarray, list, tuple)):
            array = np.asarray(alpha)
            if array.dtype.kind not in "fiu":
                raise TypeError(f"PReLU: alpha must hold real numbers, got dtype {array.dtype}")
            if array.ndim == 0:
                alpha = array.item()
            else:
                if array.ndim != 1 or array.size == 0:
                    raise ValueError(
                        "PReLU: alpha must be a number or a non-empty 1-D array "
                        f"(one slope per unit), got shape {array.shape}"
                    )
                if not np.all(np.isfinite(array)):
                    raise ValueError("PReLU: alpha must be finite, got non-finite slopes")
                slopes = np.array(array, dtype=np.float64)  # a copy, never shared
                slopes.flags.writeable = False  # fixed: a layer owns a trained slope
                self._alpha: float | np.ndarray = slopes
                return
        self._alpha = _checks.real(alpha, "PReLU: alpha")

    @property
    def alpha(self) -> float | np.ndarray:
        """The negative slope, a float or a read-only float64 array with one slope per unit."""
        return self._alpha

    def _slope(self, x: np.ndarray) -> float | np.ndarray:
        """The slope, after checking that per-unit slopes match the last axis of x."""
        alpha = self._alpha
        if isinstance(alpha, np.ndarray) and (x.ndim == 0 or x.shape[-1] != alpha.shape[0]):
            raise ValueError(
                f"PReLU has {alpha.shape[0]} per-unit slopes (alpha), so x needs a last axis "
                f"of that length, got x of shape {x.shape}"
            )
        return alpha

    def alpha_gradient(self, x: Any) -> np.ndarray:
        """Elementwise ``df/dalpha``: ``x`` where ``x < 0``, else 0, with the shape of x.

        >>> import numpy as np
        >>> PReLU().alpha_gradient(np.array([-3.0, 0.0, 2.0]))
        array([-3.,  0.,  0.])
        """
        work, out_dtype = _as_input(x)
        self._slope(work)
        return _as_output(np.minimum(work, 0), work, out_dtype)

    def _params(self) -> dict[str, Any]:
        return {"alpha": self._alpha}

    def _forward(self, x: np.ndarray) -> np.ndarray:
        return _leaky(x, self._slope(x))

    def _derivative(self, x: np.ndarray) -> np.ndarray:
        return _step(x, self._slope(x))


# --- exponential units --------------------------------------------------------


class ELU(Activation):
    """Exponential linear unit: ``f(x) = x`` for x > 0, ``alpha (exp(x) - 1)`` otherwise.

    Clevert, Unterthiner & Hochreiter (2015), "Fast and Accurate Deep Network
    Learning by Exponential Linear Units (ELUs)". ``f'(x) = 1`` for x > 0 and
    ``alpha exp(x)`` otherwise, so ``f'(0) = alpha`` (the left derivative, as
    Keras and PyTorch). ``alpha >= 0``; with ``alpha = 1`` f is C^1 but ``f''``
    still jumps at 0, which therefore stays in ``kinks``. Uses ``expm1(min(x, 0))``.

    >>> import numpy as np
    >>> act = ELU()
    >>> bool(np.isclose(act(np.array([-1.0]))[0], np.exp(-1.0) - 1))
    True
    >>> act(np.array([2.0])), act.derivative(np.array([0.0]))
    (array([2.]), array([1.]))
    """

    name = "elu"
    kinks = (0.0,)

    def __init__(self, alpha: float = 1.0) -> None:
        self.alpha = _checks.real(alpha, "ELU: alpha", at_least=0)

    def _params(self) -> dict[str, Any]:
        return {"alpha": self.alpha}

    def _forward(self, x: np.ndarray) -> np.ndarray:
        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0)))

    def _derivative(self, x: np.ndarray) -> np.ndarray:
        return np.where(x > 0, 1, self.alpha * np.exp(np.minimum(x, 0)))


class SELU(Activation):
    """Scaled ELU: ``f(x) = scale * x`` for x > 0, ``scale * alpha (exp(x) - 1)`` otherwise.

    Klambauer, Unterthiner, Mayr & Hochreiter (2017), "Self-Normalizing Neural
    Networks": with ``alpha = SELU_ALPHA ≈ 1.6733`` and ``scale = SELU_SCALE ≈
    1.0507`` (their eq. 14), ``z ~ N(0, 1)`` gives ``E[f(z)] = 0`` and
    ``E[f(z)^2] = 1``, the fixed point of a LeCun-normal dense stack.
    ``f'(0) = scale * alpha`` (the left derivative). No parameters.

    >>> import numpy as np
    >>> SELU()(np.array([1.0])), SELU().derivative(np.array([1.0]))
    (array([1.05070099]), array([1.05070099]))
    """

    name = "selu"
    kinks = (0.0,)

    def _forward(self, x: np.ndarray) -> np.ndarray:
        elu = np.where(x > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0)))
        with np.errstate(over="ignore"):  # scale * max is beyond the range: inf is right
            return SELU_SCALE * elu

    def _derivative(self, x: np.ndarray) -> np.ndarray:
        return SELU_SCALE * np.where(x > 0, 1, SELU_ALPHA * np.exp(np.minimum(x, 0)))


# --- smooth self-gated units ---------------------------------------------------


class GELU(Activation):
    """Gaussian error linear unit: ``f(x) = x Phi(x)``, Phi the standard normal CDF.

    Hendrycks & Gimpel (2016), "Gaussian Error Linear Units (GELUs)".
    ``approximate="none"`` (default) is the exact form, ``Phi(x) = erfc(-x/√2)/2``
    from W. J. Cody's rational approximation of erfc (accurate to a few ulp), with
    ``f'(x) = Phi(x) + x phi(x)``. ``approximate="tanh"`` is their approximation
    ``0.5 x (1 + tanh(√(2/π) (x + 0.044715 x^3)))``, computed as ``x sigmoid(2u)``
    and differentiated exactly. (Keras and JAX spell it ``approximate=True``.)

    >>> import numpy as np
    >>> act = GELU()
    >>> act(np.array([0.0, 1.0])), act.derivative(np.array([0.0]))
    (array([0.        , 0.84134475]), array([0.5]))
    >>> GELU(approximate="tanh")
    GELU(approximate='tanh')
    """

    name = "gelu"

    def __init__(self, approximate: str = "none") -> None:
        if not isinstance(approximate, str):
            raise TypeError(
                f"GELU: approximate must be 'none' or 'tanh' (a str), got {approximate!r}"
            )
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def _params(self) -> dict[str, Any]:
        return {"approximate": self.approximate}

    def _forward(self, x: np.ndarray) -> np.ndarray:
        if self.approximate == "tanh":
            xc = np.clip(x, -_GELU_TANH_CLIP, _GELU_TANH_CLIP)
            gate = _sigmoid(self._twice_tanh_argument(xc))
        else:
            xc = np.clip(x, -_GELU_CLIP, _GELU_CLIP)
            gate = 0.5 * _erfc(xc * -_SQRT_HALF)
        # Past the clip the gate is exactly 1 (x > 0) or the product underflows.
        return np.where(xc < x, x, xc * gate)

    def _derivative(self, x: np.ndarray) -> np.ndarray:
        if self.approximate == "tanh":
            xc = np.clip(x, -_GELU_TANH_CLIP, _GELU_TANH_CLIP)
            v = self._twice_tanh_argument(xc)
            dv = 2 * _SQRT_2_OVER_PI * (1 + 3 * _GELU_TANH_CUBIC * xc * xc)
            return _sigmoid(v) + xc * _sigmoid_slope(v) * dv
        xc = np.clip(x, -_GELU_CLIP, _GELU_CLIP)
        pdf = _INV_SQRT_2PI * np.exp(-0.5 * xc * xc)
        return 0.5 * _erfc(xc * -_SQRT_HALF) + xc * pdf

    @staticmethod
    def _twice_tanh_argument(x: np.ndarray) -> np.ndarray:
        """``2u`` with ``u = √(2/π) (x + 0.044715 x^3)``: 0.5 (1 + tanh u) = sigmoid(2u)."""
        return 2 * _SQRT_2_OVER_PI * (x + _GELU_TANH_CUBIC * x * x * x)


class Swish(Activation):
    """Swish / SiLU: ``f(x) = x sigmoid(beta x)``.

    Ramachandran, Zoph & Le (2017), "Searching for Activation Functions"; with
    ``beta = 1`` it is the SiLU of Elfwing et al. (2017) and Hendrycks & Gimpel.
    ``f'(x) = s + beta x s (1 - s)`` with ``s = sigmoid(beta x)``. ``beta > 0``.

    >>> import numpy as np
    >>> act = Swish()
    >>> act(np.array([0.0])), act.derivative(np.array([0.0]))
    (array([0.]), array([0.5]))
    """

    name = "swish"

    def __init__(self, beta: float = 1.0) -> None:
        self.beta = _checks.real(beta, "Swish: beta", above=0)

    def _params(self) -> dict[str, Any]:
        return {"beta": self.beta}

    def _clipped(self, x: np.ndarray) -> np.ndarray:
        # Past |beta x| = 1000 the sigmoid is exactly 0 or 1; clipping there
        # keeps beta * x finite whatever beta is.
        limit = min(_SATURATION / self.beta, float(np.finfo(x.dtype).max))
        return np.clip(x, -limit, limit)

    def _forward(self, x: np.ndarray) -> np.ndarray:
        xc = self._clipped(x)
        return np.where(xc < x, x, xc * _sigmoid(self.beta * xc))

    def _derivative(self, x: np.ndarray) -> np.ndarray:
        z = self.beta * self._clipped(x)
        return _sigmoid(z) + z * _sigmoid_slope(z)


class Mish(Activation):
    """Mish: ``f(x) = x tanh(softplus(x))``.

    Misra (2019), "Mish: A Self Regularized Non-Monotonic Activation Function".
    ``f'(x) = tanh(sp) + x sech(sp)^2 sigmoid(x)`` with ``sp = softplus(x)``.
    ``tanh(sp)`` and ``sech(sp)^2`` are rational in ``e = exp(-|x|)``, which
    avoids both overflow and the cancellation in ``1 - tanh^2``.

    >>> import numpy as np
    >>> Mish()(np.array([0.0])), Mish().derivative(np.array([0.0]))
    (array([0.]), array([0.6]))
    """

    name = "mish"

    @staticmethod
    def _parts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``tanh(softplus(x))`` and ``sech(softplus(x))^2``.

        With ``w = 1 + exp(x)``: ``tanh(log w) = (w^2 - 1)/(w^2 + 1)`` and
        ``sech(log w)^2 = 4 w^2 / (w^2 + 1)^2``. Write ``w^2 = a / b`` with
        ``e = exp(-|x|)``, ``a = (1 + e)^2`` and ``b = 1`` (x <= 0) or ``e^2``
        (x > 0); then ``a - b`` is ``e (2 + e)`` or ``1 + 2e``, free of cancellation.
        """
        e = np.exp(-np.abs(x))
        positive = x > 0
        a = (1 + e) * (1 + e)
        b = np.where(positive, e * e, 1)
        a_minus_b = np.where(positive, 1 + 2 * e, e * (2 + e))
        total = a + b
        return a_minus_b / total, 4 * a * b / (total * total)

    def _forward(self, x: np.ndarray) -> np.ndarray:
        xc = np.clip(x, -_SATURATION, _SATURATION)
        tanh_sp, _ = self._parts(xc)
        return np.where(xc < x, x, xc * tanh_sp)

    def _derivative(self, x: np.ndarray) -> np.ndarray:
        xc = np.clip(x, -_SATURATION, _SATURATION)
        tanh_sp, sech2_sp = self._parts(xc)
        return tanh_sp + xc * sech2_sp * _sigmoid(xc)


class ShiftedReLU(Activation):
    """A ReLU moved down by ``sub``: ``f(x) = max(x, 0) - sub``; ``f'`` is ReLU's.

    fastai's ``GeneralRelu(sub=0.4)`` (course22p2, ``11_initializing``), without its
    leak and its clamp. A ReLU's output has mean ``1/sqrt(2 pi) = 0.399`` for a
    standard normal input; subtracting about that much centres it, so the next
    layer sees inputs of mean near 0. ``f'(0) = 0`` as for :class:`ReLU`.
    ``sub`` must be a finite number (0 gives a plain ReLU).

    >>> import numpy as np
    >>> act = ShiftedReLU(sub=0.4)
    >>> act
    ShiftedReLU(sub=0.4)
    >>> act(np.array([-2.0, 0.0, 3.0])), act.derivative(np.array([-2.0, 0.0, 3.0]))
    (array([-0.4, -0.4,  2.6]), array([0., 0., 1.]))
    """

    name = "shifted_relu"
    kinks = (0.0,)

    def __init__(self, sub: float = 0.4) -> None:
        self.sub = _checks.real(sub, "ShiftedReLU: sub")

    def _params(self) -> dict[str, Any]:
        return {"sub": self.sub}

    def _forward(self, x: np.ndarray) -> np.ndarray:
        return np.maximum(x, 0) - x.dtype.type(self.sub)

    def _derivative(self, x: np.ndarray) -> np.ndarray:
        return _step(x, 0)


# --- registry -----------------------------------------------------------------

_CLASSES: tuple[type[Activation], ...] = (
    Identity,
    Sigmoid,
    Tanh,
    ReLU,
    LeakyReLU,
    RReLU,
    PReLU,
    ELU,
    SELU,
    GELU,
    Swish,
    Mish,
    Softplus,
    ShiftedReLU,
)
_REGISTRY: dict[str, type[Activation]] = {cls.name: cls for cls in _CLASSES}
_ALIASES: dict[str, str] = {"linear": "identity", "none": "identity", "silu": "swish"}

#: The registry names :func:`get_activation` accepts (aliases not included).
ACTIVATIONS: tuple[str, ...] = tuple(_REGISTRY)

# Every accepted spelling, normalised (case, "-", "_" and spaces removed), to
# its registry name: "LeakyReLU", "leaky-relu" and "leaky_relu" are one key.
_LOOKUP: dict[str, str] = _checks.normalised_table(
    {**{name: name for name in ACTIVATIONS}, **_ALIASES}
)

# Keras 3 (keras.layers.LeakyReLU, keras.activations.leaky_relu) and PyTorch
# (torch.nn.LeakyReLU) call LeakyReLU's slope negative_slope; Keras 2 said alpha.
_SLOPE_SYNONYMS: dict[type[Activation], tuple[str, str]] = {LeakyReLU: ("negative_slope", "alpha")}


def _registry_name(name: str) -> str:
    """The registry name ``name`` spells, or a ValueError that names ``name``."""
    key = _LOOKUP.get(_checks.normalise_name(name))
    if key is None:
        hint = _checks.did_you_mean(name, [*ACTIVATIONS, *_ALIASES])
        raise ValueError(
            f"unknown activation name {name!r}{hint}; name must be one of: "
            f"{', '.join(ACTIVATIONS)} (aliases: {', '.join(_ALIASES)}); "
            "case, '-', '_' and spaces are ignored, so Keras and PyTorch class names "
            "such as 'LeakyReLU' or 'SiLU' work too"
        )
    return key


def get_activation(name: str | Activation | None, **params: Any) -> Activation:
    """A new activation by registry name, with its parameters.

    Names: ``identity`` (also ``linear``, ``none`` and ``None``), ``sigmoid``,
    ``tanh``, ``relu``, ``leaky_relu``, ``rrelu``, ``prelu``, ``elu``, ``selu``,
    ``gelu``, ``swish`` (also ``silu``), ``mish``, ``softplus``, ``shifted_relu``.
    Case, ``-``, ``_`` and spaces are ignored, so Keras and PyTorch class names work:
    ``"LeakyReLU"``, ``"PReLU"``, ``"ELU"``, ``"SiLU"``, ``"GELU"``. LeakyReLU's
    slope is ``alpha`` (Keras 2) or ``negative_slope`` (Keras 3, PyTorch), not
    both. An :class:`Activation` instance is returned unchanged (no ``params``
    allowed).

    >>> get_activation("leaky_relu", alpha=0.2)
    LeakyReLU(alpha=0.2)
    >>> get_activation("LeakyReLU", negative_slope=0.2)
    LeakyReLU(alpha=0.2)
    >>> get_activation("SiLU"), get_activation(None)
    (Swish(beta=1.0), Identity())
    >>> get_activation("reul")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: unknown activation name 'reul' (did you mean 'relu'?); name must be one of: ...
    """
    if isinstance(name, Activation):
        if params:
            raise TypeError(
                f"get_activation got an Activation instance {name!r} and parameters "
                f"{sorted(params)}; pass a name to build a new one with parameters"
            )
        return name
    if name is None:
        key = "identity"
    elif isinstance(name, str):
        key = _registry_name(name)
    else:
        raise TypeError(
            f"name must be an activation name (str), None or an Activation, got {name!r}"
        )
    cls = _REGISTRY[key]
    synonym, parameter = _SLOPE_SYNONYMS.get(cls, ("", ""))
    renamed = synonym in params
    if renamed:
        if parameter in params:
            raise TypeError(
                f"activation {key!r} got both {parameter}= and {synonym}=; they are the "
                f"same slope (Keras 2 says {parameter}, Keras 3 and PyTorch {synonym}): "
                "give one"
            )
        params = {**params}
        params[parameter] = params.pop(synonym)
    accepted = list(inspect.signature(cls).parameters)
    unexpected = sorted(set(params) - set(accepted))
    if unexpected:
        raise TypeError(
            f"activation {key!r} does not take parameter(s) {', '.join(unexpected)}; "
            f"it accepts: {', '.join(accepted) if accepted else 'no parameters'}"
        )
    if not renamed:
        return cls(**params)
    try:
        return cls(**params)
    except (TypeError, ValueError) as error:  # name the parameter the caller wrote
        raise type(error)(f"{error} (given as {synonym}=)") from None
