"""Layers: the differentiable steps of a network, each the only owner of its state.

``Dense`` owns its kernel and bias, ``ActivationLayer`` PReLU's trained slope
and RReLU's generator and draws, ``Dropout`` and ``AlphaDropout`` their masks
and generators. Every layer caches what its backward pass needs, so the
instruments in :mod:`initact.diagnostics` can look inside after each step.
"""

from __future__ import annotations

import numpy as np

from .. import _checks
from ..activations import (
    SELU_ALPHA,
    SELU_SCALE,
    PReLU,
    RReLU,
    _leaky_relu,
    _leaky_relu_derivative,
    get_activation,
)
from ..activations import Activation as ActivationFunction
from ..initializers import Initializer, as_generator, check_memory, get_initializer

__all__ = ["ActivationLayer", "AlphaDropout", "Dense", "Dropout", "Layer"]

_DTYPES = (np.float32, np.float64)  # what a model computes in


def _kernel_initializer(kernel_init: object) -> Initializer:
    """``get_initializer(kernel_init)``, with any error naming ``kernel_init``."""
    try:
        return get_initializer(kernel_init)
    except (TypeError, ValueError) as error:
        raise type(error)(f"kernel_init: {error}") from None


class Layer:
    """A differentiable step of a network.

    ``forward(x)`` caches what ``backward`` needs; ``backward(grad)`` takes
    dLoss/dOutput, fills ``self.grads`` (one array per entry of
    ``self.params``) and returns dLoss/dInput. ``train()``/``eval()`` switch
    layers whose behaviour depends on the mode (dropout, RReLU).

    >>> layer = Dense(2, 1, kernel_init="ones", dtype=np.float64)
    >>> layer.forward(np.array([[1.0, 2.0]]))
    array([[3.]])
    >>> layer.backward(np.array([[1.0]])), layer.grads["W"].ravel()
    (array([[1., 1.]]), array([1., 2.]))
    """

    params: dict[str, np.ndarray]
    grads: dict[str, np.ndarray]
    training: bool = True

    def __init__(self) -> None:
        self.params, self.grads = {}, {}
        self.training = True

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad: np.ndarray, *, need_input_grad: bool = True) -> np.ndarray | None:
        raise NotImplementedError

    def train(self) -> Layer:
        self.training = True
        return self

    def eval(self) -> Layer:
        self.training = False
        return self


class Dense(Layer):
    """``y = x @ W + b`` with ``W`` of shape ``(n_in, n_out)`` (Keras layout).

    >>> layer = Dense(3, 2, kernel_init="he_uniform", rng=0)
    >>> layer.W.shape, layer.b.tolist()
    ((3, 2), [0.0, 0.0])
    """

    def __init__(
        self,
        n_in: int,
        n_out: int,
        kernel_init: str | Initializer = "glorot_uniform",
        bias_init: float = 0.0,
        *,
        rng: object = None,
        dtype: object = np.float32,
    ) -> None:
        super().__init__()
        self.n_in = _checks.integer(n_in, "n_in")
        self.n_out = _checks.integer(n_out, "n_out")
        self.kernel_init = _kernel_initializer(kernel_init)
        self._init_name = kernel_init if isinstance(kernel_init, str) else repr(kernel_init)
        bias = _checks.real(bias_init, "bias_init")
        dtype = _checks.float_dtype(dtype, allowed=_DTYPES)
        # W, its gradient and the bias's pair: refused before the initializer allocates.
        shape = (self.n_in, self.n_out)
        check_memory(2 * (self.n_in + 1) * self.n_out * dtype.itemsize, "n_in, n_out", shape,
                     f"a {dtype} kernel, its gradient and the bias")  # fmt: skip
        self.W = self.kernel_init((self.n_in, self.n_out), rng=rng, dtype=dtype)
        self.b = np.full(self.n_out, bias, dtype=dtype)
        self.params = {"W": self.W, "b": self.b}
        self.grads = {"W": np.zeros_like(self.W), "b": np.zeros_like(self.b)}
        self.x: np.ndarray | None = None
        self.output: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        self.output = x @ self.W
        self.output += self.b
        return self.output

    def backward(self, grad: np.ndarray, *, need_input_grad: bool = True) -> np.ndarray | None:
        np.matmul(self.x.T, grad, out=self.grads["W"])
        np.sum(grad, axis=0, out=self.grads["b"])
        return grad @ self.W.T if need_input_grad else None

    def __repr__(self) -> str:
        return f"Dense({self.n_in} -> {self.n_out}, kernel_init={self._init_name!r})"


class ActivationLayer(Layer):
    """Applies an activation function, and owns whatever it learns or samples.

    The activation objects of :mod:`initact.activations` are pure functions.
    The state two of them need in a network lives here, and only here:

    * PReLU: the trained slope, ``params["alpha"]`` (one number, or one per
      unit with ``per_unit=True``), with its gradient in ``grads["alpha"]``;
      it starts at the activation's ``alpha``.
    * RReLU: the generator ``rng`` and, in training mode, ``slopes``, the
      random slopes drawn for the last forward pass (one per element), which
      the backward pass reuses. In evaluation mode the activation's fixed
      test-time slope is used and ``slopes`` is None.

    Parameters
    ----------
    activation:
        A name for :func:`initact.get_activation` or an activation object.
    n_units:
        Width of the layer; needed for PReLU with ``per_unit=True``.
    per_unit:
        PReLU only: one slope per unit instead of one shared by the layer.
    rng:
        Seed or Generator for RReLU's random slopes in training mode.
    dtype:
        The model's dtype, which PReLU's trained slope takes too.

    Examples
    --------
    >>> layer = ActivationLayer("prelu", 3, per_unit=True, alpha=0.1)
    >>> layer.forward(np.array([[-1.0, -2.0, 3.0]]))
    array([[-0.1, -0.2,  3. ]])
    >>> layer.params["alpha"]
    array([0.1, 0.1, 0.1], dtype=float32)
    """

    def __init__(
        self,
        activation: str | ActivationFunction,
        n_units: int | None = None,
        *,
        per_unit: bool = False,
        rng: object = None,
        dtype: object = np.float32,
        **params: object,
    ) -> None:
        super().__init__()
        self.activation = get_activation(activation, **params)
        self.per_unit = _checks.flag(per_unit, "per_unit")
        self.rng: np.random.Generator | None = None
        self.slopes: np.ndarray | None = None
        if isinstance(self.activation, RReLU):
            self.rng = as_generator(rng)
        if isinstance(self.activation, PReLU):
            start = np.asarray(self.activation.alpha, dtype=np.float64)
            width = _checks.integer(n_units, "n_units") if per_unit else 1
            dtype = _checks.float_dtype(dtype, allowed=_DTYPES)
            check_memory(2 * width * dtype.itemsize, "n_units", width, "the slopes and gradients")
            if start.size not in (1, width):
                # One slope per unit is honoured as given; never averaged into one.
                raise ValueError(
                    f"alpha must be one slope or {width} (one per unit), got {start.size}"
                    if per_unit
                    else f"alpha must be one slope shared by the layer (per_unit=True takes one "
                    f"per unit), got {start.size}"
                )
            alpha = np.empty(width, dtype=dtype)
            alpha[...] = start.reshape(-1)
            self.params = {"alpha": alpha}
            self.grads = {"alpha": np.zeros_like(alpha)}
        elif per_unit:
            raise ValueError("per_unit applies to PReLU only")
        self.x: np.ndarray | None = None
        self.output: np.ndarray | None = None

    def _slope(self, x: np.ndarray) -> float | np.ndarray | None:
        """The slopes this forward pass uses, from the state this layer owns (None: no state)."""
        if "alpha" in self.params:
            alpha = self.params["alpha"]
            if self.per_unit and (x.ndim == 0 or x.shape[-1] != alpha.size):
                raise ValueError(
                    f"this PReLU layer has {alpha.size} units (one slope each), so x needs a "
                    f"last axis of that length, got x of shape {x.shape}"
                )
            return alpha if self.per_unit else alpha[0]
        if self.rng is not None and self.training:
            self.slopes = self.activation.sample_slopes(x.shape, self.rng, dtype=x.dtype)
            return self.slopes
        self.slopes = None
        return None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        slope = self._slope(x)
        self.output = self.activation(x) if slope is None else _leaky_relu(x, slope)
        return self.output

    def backward(self, grad: np.ndarray, *, need_input_grad: bool = True) -> np.ndarray | None:
        if "alpha" in self.params:
            g_alpha = grad * self.activation.alpha_gradient(self.x)
            per_unit_total = g_alpha.reshape(-1, g_alpha.shape[-1]).sum(axis=0)
            self.grads["alpha"][...] = per_unit_total if self.per_unit else per_unit_total.sum()
        if not need_input_grad:
            return None
        if "alpha" in self.params:
            alpha = self.params["alpha"]
            slope = alpha if self.per_unit else alpha[0]
        else:
            slope = self.slopes
        if slope is None:
            return grad * self.activation.derivative(self.x)
        return grad * _leaky_relu_derivative(self.x, slope)

    def __repr__(self) -> str:
        if "alpha" in self.params and self.params["alpha"].size > 1:
            return f"Activation(PReLU(per_unit, n={self.params['alpha'].size}))"
        return f"Activation({self.activation!r})"


class Dropout(Layer):
    """Inverted dropout: zero each input with probability ``rate`` while training.

    The survivors are scaled by ``1 / (1 - rate)`` so the mean is unchanged;
    the variance is not, which is what breaks SELU's self-normalization.
    In evaluation mode it is the identity.

    >>> drop = Dropout(0.5, rng=0)
    >>> y = drop.forward(np.ones((1, 8)))
    >>> sorted(set(y.ravel().tolist()))          # dropped, or kept and doubled
    [0.0, 2.0]
    >>> drop.eval().forward(np.ones((1, 3)))
    array([[1., 1., 1.]])
    """

    def __init__(self, rate: float, *, rng: object = None) -> None:
        super().__init__()
        self.rate = _checks.real(rate, "rate", at_least=0, below=1)
        self.rng = as_generator(rng)
        self.mask: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        if not self.training or self.rate == 0:
            self.mask = None
            return x
        keep = self.rng.random(x.shape, dtype=x.dtype) >= self.rate
        self.mask = keep.astype(x.dtype) / x.dtype.type(1 - self.rate)
        return x * self.mask

    def backward(self, grad: np.ndarray, *, need_input_grad: bool = True) -> np.ndarray | None:
        return grad if self.mask is None else grad * self.mask

    def __repr__(self) -> str:
        return f"Dropout(rate={self.rate})"


class AlphaDropout(Layer):
    """Dropout for SELU networks (Klambauer et al. 2017).

    Dropped units are set to SELU's negative saturation value
    ``alpha' = -lambda * alpha`` instead of 0, then an affine map ``a * x + b``
    restores mean 0 and variance 1 for standardized inputs, with
    ``a = (q + alpha'^2 q (1 - q))^(-1/2)`` and ``b = -a (1 - q) alpha'``,
    ``q = 1 - rate`` the keep probability.

    >>> x = np.random.default_rng(0).standard_normal((200_000, 1))
    >>> y = AlphaDropout(0.2, rng=1).forward(x)
    >>> round(float(y.mean()), 2) + 0.0, round(float(y.var()), 2)
    (0.0, 1.0)
    """

    def __init__(self, rate: float, *, rng: object = None) -> None:
        super().__init__()
        self.rate = _checks.real(rate, "rate", at_least=0, below=1)
        self.rng = as_generator(rng)
        q = 1.0 - self.rate
        self.alpha_prime = -SELU_SCALE * SELU_ALPHA
        self.a = (q + self.alpha_prime**2 * q * (1 - q)) ** -0.5
        self.b = -self.a * (1 - q) * self.alpha_prime
        self.keep: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        if not self.training or self.rate == 0:
            self.keep = None
            return x
        self.keep = self.rng.random(x.shape, dtype=x.dtype) >= self.rate
        dropped = np.where(self.keep, x, x.dtype.type(self.alpha_prime))
        return (self.a * dropped + self.b).astype(x.dtype, copy=False)

    def backward(self, grad: np.ndarray, *, need_input_grad: bool = True) -> np.ndarray | None:
        if self.keep is None:
            return grad
        return (grad * self.keep * self.a).astype(grad.dtype, copy=False)

    def __repr__(self) -> str:
        return f"AlphaDropout(rate={self.rate})"
