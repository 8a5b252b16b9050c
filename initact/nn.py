"""A small trainable multilayer perceptron in NumPy.

Just enough network to show what chapter 11 is about: dense layers whose
kernels come from :mod:`initact.initializers`, activation layers from
:mod:`initact.activations` (PReLU's slopes are trained too), dropout and
alpha dropout, softmax cross-entropy and squared error, SGD with momentum,
and :func:`fit`. Every layer caches what its backward pass needs, so the
instruments in :mod:`initact.diagnostics` can look inside after each step.

>>> from initact.nn import mlp
>>> model = mlp([4, 8, 3], activation="relu", kernel_init="he_normal", rng=0)
>>> model
MLP(
  Dense(4 -> 8, kernel_init='he_normal')
  Activation(ReLU())
  Dense(8 -> 3, kernel_init='he_normal')
)
>>> model.forward(np.ones((2, 4))).shape
(2, 3)
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import _checks
from .activations import (
    SELU_ALPHA,
    SELU_SCALE,
    PReLU,
    RReLU,
    get_activation,
    leaky_relu,
    leaky_relu_derivative,
)
from .activations import Activation as ActivationFunction
from .initializers import Initializer, Orthogonal, as_generator, get_initializer

__all__ = [
    "MLP",
    "SGD",
    "ActivationLayer",
    "AlphaDropout",
    "Callback",
    "Dense",
    "Dropout",
    "History",
    "Layer",
    "evaluate",
    "fit",
    "lsuv",
    "mean_squared_error",
    "mlp",
    "randomized_asymmetric_init",
    "softmax_cross_entropy",
]


_DTYPES = (np.float32, np.float64)  # what a model computes in


# --------------------------------------------------------------------------- layers


class Layer:
    """A differentiable step of a network.

    ``forward(x)`` caches what ``backward`` needs; ``backward(grad)`` takes
    dLoss/dOutput, fills ``self.grads`` (one array per entry of
    ``self.params``) and returns dLoss/dInput. ``train()``/``eval()`` switch
    layers whose behaviour depends on the mode (dropout, RReLU).
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
        self.kernel_init = get_initializer(kernel_init)
        self._init_name = kernel_init if isinstance(kernel_init, str) else repr(kernel_init)
        bias = _checks.real(bias_init, "bias_init")
        dtype = _checks.float_dtype(dtype, allowed=_DTYPES)
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
        self.per_unit = bool(per_unit)
        self.rng: np.random.Generator | None = None
        self.slopes: np.ndarray | None = None
        if isinstance(self.activation, RReLU):
            self.rng = as_generator(rng)
        if isinstance(self.activation, PReLU):
            start = np.asarray(self.activation.alpha, dtype=np.float64)
            width = _checks.integer(n_units, "n_units") if per_unit else 1
            if start.size not in (1, width):
                # One slope per unit is honoured as given; never averaged into one.
                raise ValueError(
                    f"alpha must be one slope or {width} (one per unit), got {start.size}"
                    if per_unit
                    else f"alpha must be one slope shared by the layer (per_unit=True takes one "
                    f"per unit), got {start.size}"
                )
            alpha = np.empty(width, dtype=_checks.float_dtype(dtype, allowed=_DTYPES))
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
            return alpha if self.per_unit else alpha[0]
        if self.rng is not None and self.training:
            self.slopes = self.activation.sample_slopes(x.shape, self.rng, dtype=x.dtype)
            return self.slopes
        self.slopes = None
        return None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        slope = self._slope(x)
        self.output = self.activation(x) if slope is None else leaky_relu(x, slope)
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
        return grad * leaky_relu_derivative(self.x, slope)

    def __repr__(self) -> str:
        if "alpha" in self.params and self.params["alpha"].size > 1:
            return f"Activation(PReLU(per_unit, n={self.params['alpha'].size}))"
        return f"Activation({self.activation!r})"


class Dropout(Layer):
    """Inverted dropout: zero each input with probability ``rate`` while training.

    The survivors are scaled by ``1 / (1 - rate)`` so the mean is unchanged;
    the variance is not, which is what breaks SELU's self-normalization.
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


# --------------------------------------------------------------------------- the model


class MLP:
    """A stack of layers run in order; the last ``Dense`` is the linear output.

    Build one with :func:`mlp`. ``forward`` caches each layer's input and
    output; ``backward`` fills every layer's ``grads``.
    """

    def __init__(self, layers: Sequence[Layer], *, dtype: object = np.float32) -> None:
        self.layers = list(layers)
        for i, layer in enumerate(self.layers):
            if not isinstance(layer, Layer):
                raise TypeError(
                    f"layers[{i}] must be an initact.nn.Layer, got {type(layer).__name__}"
                )
        if not any(isinstance(layer, Dense) for layer in self.layers):
            raise ValueError("layers must contain at least one Dense layer")
        dense = [layer for layer in self.layers if isinstance(layer, Dense)]
        for a, b in itertools.pairwise(dense):
            if a.n_out != b.n_in:
                raise ValueError(
                    f"layers do not chain: {a!r} outputs {a.n_out} values but the next "
                    f"{b!r} takes {b.n_in}"
                )
        self.dtype = _checks.float_dtype(dtype, allowed=_DTYPES)
        self.training = True

    @property
    def dense_layers(self) -> list[Dense]:
        return [layer for layer in self.layers if isinstance(layer, Dense)]

    @property
    def activation_layers(self) -> list[ActivationLayer]:
        """The hidden nonlinearities, in order."""
        return [layer for layer in self.layers if isinstance(layer, ActivationLayer)]

    @property
    def n_inputs(self) -> int:
        return self.dense_layers[0].n_in

    @property
    def n_outputs(self) -> int:
        return self.dense_layers[-1].n_out

    def train(self) -> MLP:
        self.training = True
        for layer in self.layers:
            layer.train()
        return self

    def eval(self) -> MLP:
        self.training = False
        for layer in self.layers:
            layer.eval()
        return self

    def check_inputs(self, X: object, name: str = "X") -> np.ndarray:
        """``X`` as a 2-D array of the model's dtype, or a clear error."""
        arr = np.asarray(X)
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
        if arr.ndim != 2 or arr.shape[1] != self.n_inputs:
            raise ValueError(
                f"{name} must have shape (n_samples, {self.n_inputs}), got {arr.shape}"
            )
        if arr.shape[0] == 0:
            raise ValueError(f"{name} must hold at least one sample")
        arr = arr.astype(self.dtype, copy=False)
        if not np.isfinite(arr).all():
            raise ValueError(f"{name} contains NaN or infinite values")
        return arr

    def forward(self, x: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad: np.ndarray) -> None:
        """Back-propagate dLoss/dOutput; the input's own gradient is never computed."""
        last = len(self.layers) - 1
        for i in range(last, -1, -1):
            grad = self.layers[i].backward(grad, need_input_grad=i > 0)

    def predict(self, X: object) -> np.ndarray:
        """Outputs (logits) for ``X`` in evaluation mode; the mode is restored after."""
        X = self.check_inputs(X)
        was_training = self.training
        self.eval()
        try:
            return self.forward(X)
        finally:
            if was_training:
                self.train()

    def parameters(self) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """``(name, value, gradient)`` for every trained array, e.g. ``("dense0.W", ...)``."""
        out = []
        counts: dict[str, int] = {}
        for layer in self.layers:
            kind = "dense" if isinstance(layer, Dense) else "act"
            index = counts.get(kind, 0)
            counts[kind] = index + 1
            for key, value in layer.params.items():
                out.append((f"{kind}{index}.{key}", value, layer.grads[key]))
        return out

    def state(self) -> dict[str, np.ndarray]:
        """A copy of every parameter, to compare or restore."""
        return {name: value.copy() for name, value, _ in self.parameters()}

    def __repr__(self) -> str:
        lines = "\n".join(f"  {layer!r}" for layer in self.layers)
        return f"MLP(\n{lines}\n)"


def mlp(
    sizes: Sequence[int],
    activation: str | ActivationFunction = "relu",
    kernel_init: str | Initializer = "glorot_uniform",
    bias_init: float = 0.0,
    *,
    rng: object = None,
    dtype: object = np.float32,
    per_unit: bool = False,
    dropout: float = 0.0,
    alpha_dropout: float = 0.0,
    **activation_params: object,
) -> MLP:
    """Build ``Dense -> activation -> ... -> Dense`` for layer widths ``sizes``.

    ``sizes[0]`` is the number of inputs and ``sizes[-1]`` of outputs; the
    output layer is linear (logits). Each hidden layer is an
    :class:`ActivationLayer` applying ``get_activation(activation,
    **activation_params)`` and owning its own state (PReLU's slope, RReLU's
    draws, which come from ``rng``).
    ``kernel_init`` defaults to Keras's ``glorot_uniform``; pass ``"he_normal"``
    for ReLU, ``"lecun_normal"`` for SELU (Table 11-1). ``dropout`` or
    ``alpha_dropout`` add a dropout layer after each hidden activation.

    >>> model = mlp([64, 100, 10], activation="leaky_relu", alpha=0.2, rng=0)
    >>> [layer.activation for layer in model.activation_layers]
    [LeakyReLU(alpha=0.2)]
    """
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        raise TypeError(f"sizes must be a list of layer widths, got {type(sizes).__name__}")
    widths = [_checks.integer(n, "sizes") for n in sizes]
    if len(widths) < 2:
        raise ValueError(f"sizes needs at least an input and an output width, got {sizes!r}")
    if dropout and alpha_dropout:
        raise ValueError("choose dropout or alpha_dropout, not both")
    dtype = _checks.float_dtype(dtype, allowed=_DTYPES)
    get_initializer(kernel_init)  # fail early on a bad name
    get_activation(activation, **activation_params)  # fail early on a bad name or parameter
    gen = as_generator(rng)
    layers: list[Layer] = []
    for i, (n_in, n_out) in enumerate(itertools.pairwise(widths)):
        layers.append(Dense(n_in, n_out, kernel_init, bias_init, rng=gen, dtype=dtype))
        if i < len(widths) - 2:
            layers.append(
                ActivationLayer(
                    activation, n_out, per_unit=per_unit, rng=gen, dtype=dtype, **activation_params
                )
            )
            if dropout:
                layers.append(Dropout(dropout, rng=gen))
            elif alpha_dropout:
                layers.append(AlphaDropout(alpha_dropout, rng=gen))
    return MLP(layers, dtype=dtype)


# --------------------------------------------------------------------------- other initializations


def randomized_asymmetric_init(model: MLP, rng: object = None, *, sigma: float = 0.6007) -> MLP:
    """Lu et al. (2019)'s randomized asymmetric initialization, in place.

    Each unit's weights and bias are drawn from N(0, sigma^2 / fan_in); then
    one of those fan_in + 1 numbers, chosen uniformly, is replaced by a
    Beta(2, 1) draw, which is positive. A deep ReLU net so initialized is far
    less likely to be born dead than with a symmetric initialization.
    """
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an initact.nn.MLP, got {type(model).__name__}")
    sigma = _checks.real(sigma, "sigma", above=0)
    gen = as_generator(rng)
    for layer in model.dense_layers:
        fan_in = layer.n_in
        std = sigma / math.sqrt(fan_in)
        params = gen.standard_normal((fan_in + 1, layer.n_out)) * std  # rows: weights, bias
        chosen = gen.integers(0, fan_in + 1, size=layer.n_out)
        params[chosen, np.arange(layer.n_out)] = gen.beta(2.0, 1.0, size=layer.n_out)
        layer.W[...] = params[:fan_in]
        layer.b[...] = params[fan_in]
    return model


@dataclass
class LSUVReport:
    """What :func:`lsuv` did: per dense layer, iterations and final output variance."""

    iterations: list[int]
    variances: list[float]


def lsuv(
    model: MLP, X: object, *, tol: float = 0.1, max_iter: int = 10, rng: object = None
) -> LSUVReport:
    """Layer-sequential unit-variance initialization (Mishkin & Matas 2015), in place.

    Every dense kernel first gets an orthonormal start; then, layer by layer
    from the input, the kernel is divided by the standard deviation of that
    layer's output on the batch ``X`` until ``|Var - 1| < tol`` or
    ``max_iter`` rescalings were made. Biases are left as they are.
    """
    X = model.check_inputs(X)
    tol = _checks.real(tol, "tol", above=0)
    max_iter = _checks.integer(max_iter, "max_iter")
    gen = as_generator(rng)
    orthogonal = Orthogonal()
    for layer in model.dense_layers:
        layer.W[...] = orthogonal(layer.W.shape, rng=gen, dtype=layer.W.dtype)
    iterations, variances = [], []
    was_training = model.training
    model.eval()
    try:
        for target in model.dense_layers[:-1]:
            count = 0
            while True:
                h = X
                for layer in model.layers:
                    h = layer.forward(h)
                    if layer is target:
                        break
                var = float(h.astype(np.float64).var())
                if abs(var - 1.0) < tol or count >= max_iter or var == 0:
                    break
                target.W /= target.W.dtype.type(math.sqrt(var))
                count += 1
            iterations.append(count)
            variances.append(var)
    finally:
        if was_training:
            model.train()
    return LSUVReport(iterations, variances)


# --------------------------------------------------------------------------- losses


def _logits(logits: object) -> np.ndarray:
    arr = np.asarray(logits)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"logits must hold real numbers, got dtype {arr.dtype}")
    if arr.ndim != 2 or arr.shape[1] < 1 or arr.shape[0] < 1:
        raise ValueError(f"logits must have shape (n_samples, n_classes), got {arr.shape}")
    return arr if arr.dtype.kind == "f" else arr.astype(np.float64)


def _class_labels(y: object, n: int, n_classes: int, name: str = "y") -> np.ndarray:
    """``y`` as n integer class labels in [0, n_classes), or a clear error."""
    arr = np.asarray(y)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(f"{name} must be a 1-D array of {n} class labels, got shape {arr.shape}")
    if arr.dtype.kind not in "iu":
        if arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
            arr = arr.astype(np.int64)
        else:
            raise TypeError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
    if arr.min() < 0 or arr.max() >= n_classes:
        raise ValueError(
            f"{name} labels must lie in [0, {n_classes - 1}] for {n_classes} classes, "
            f"got {arr.min()}..{arr.max()}"
        )
    return arr.astype(np.intp, copy=False)


def softmax_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of integer labels ``y`` under ``softmax(logits)``, and its gradient.

    Computed from the logits with the log-sum-exp shift, so it never
    overflows. The gradient is ``(softmax - onehot) / n``. ``logits`` has
    shape ``(n, classes)``; ``y`` holds ``n`` labels in ``[0, classes)``
    (a label of -1 is refused, not read as the last class).

    >>> loss, grad = softmax_cross_entropy(np.zeros((2, 4)), np.array([0, 3]))
    >>> round(loss, 6) == round(math.log(4), 6)
    True
    >>> softmax_cross_entropy(np.zeros((2, 4)), np.array([0, 4]))
    Traceback (most recent call last):
    ...
    ValueError: y labels must lie in [0, 3] for 4 classes, got 0..4
    """
    logits = _logits(logits)
    y = _class_labels(y, logits.shape[0], logits.shape[1])
    return _softmax_cross_entropy(logits, y)


def _softmax_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """:func:`softmax_cross_entropy` on inputs already checked (fit checks them once)."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    rows = np.arange(len(y))
    log_prob_true = shifted[rows, y] - np.log(total[:, 0])
    loss = float(-log_prob_true.astype(np.float64).mean())
    grad = exp / total
    grad[rows, y] -= 1
    grad /= len(y)
    return loss, grad


def mean_squared_error(pred: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean of the squared errors over every element, and its gradient.

    ``pred`` and ``target`` must have the same shape: a ``(5, 1)`` prediction
    against a ``(5,)`` target would otherwise broadcast to 25 differences.

    >>> mean_squared_error(np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]]))[0]
    2.5
    >>> mean_squared_error(np.zeros((5, 1)), np.zeros(5))
    Traceback (most recent call last):
    ...
    ValueError: target must have the shape of pred, (5, 1), got (5,)
    """
    pred, target = np.asarray(pred), np.asarray(target)
    for name, arr in (("pred", pred), ("target", target)):
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if pred.shape != target.shape:
        raise ValueError(f"target must have the shape of pred, {pred.shape}, got {target.shape}")
    if pred.size == 0:
        raise ValueError("pred must hold at least one value")
    if pred.dtype.kind != "f":
        pred = pred.astype(np.float64)
    return _mean_squared_error(pred, target)


def _mean_squared_error(pred: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    """:func:`mean_squared_error` on inputs already checked (fit checks them once)."""
    diff = pred - target
    loss = float(np.mean(np.square(diff, dtype=np.float64)))
    return loss, (2.0 / diff.size) * diff


# Unchecked versions: fit and evaluate check the data once, not on every batch.
_LOSSES: dict[str, Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]]] = {
    "cross_entropy": _softmax_cross_entropy,
    "mse": _mean_squared_error,
}


# --------------------------------------------------------------------------- optimizer


class SGD:
    """Stochastic gradient descent with momentum (Keras's form), optionally Nesterov.

    ``v = momentum * v - lr * g``; plain momentum then moves ``p += v``,
    Nesterov ``p += momentum * v - lr * g``. ``last_updates`` keeps the step
    just taken for every parameter, for the update:data ratio.
    """

    def __init__(self, lr: float, momentum: float = 0.0, nesterov: bool = False) -> None:
        self.lr = _checks.real(lr, "lr", above=0)
        self.momentum = _checks.real(momentum, "momentum", at_least=0, below=1)
        if nesterov and self.momentum == 0:
            raise ValueError("nesterov needs momentum > 0")
        self.nesterov = bool(nesterov)
        self.velocity: dict[str, np.ndarray] = {}
        self.last_updates: dict[str, np.ndarray] = {}

    def step(self, model: MLP) -> None:
        for name, value, grad in model.parameters():
            step = grad * value.dtype.type(-self.lr)
            if self.momentum:
                v = self.velocity.get(name)
                if v is None:
                    v = self.velocity[name] = np.zeros_like(value)
                v *= value.dtype.type(self.momentum)
                v += step
                if self.nesterov:
                    step += v * value.dtype.type(self.momentum)
                else:
                    step = v
            value += step
            self.last_updates[name] = step

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr}, momentum={self.momentum}, nesterov={self.nesterov})"


# --------------------------------------------------------------------------- training


class Callback:
    """Base class of what :func:`fit` calls while it trains; override what you need.

    ``on_train_begin(model)`` once before the first step, ``on_step_end(model,
    step, optimizer)`` after each update (steps count from 1), and
    ``on_epoch_end(model, epoch, history)`` after each epoch. Each does nothing
    here. A callback that records should append one whole row at a time, so a
    Ctrl-C between two of its statements never leaves its records out of step.

    >>> class CountSteps(Callback):
    ...     def __init__(self):
    ...         self.steps = 0
    ...     def on_step_end(self, model, step, optimizer):
    ...         self.steps += 1
    >>> from initact.data import make_spirals
    >>> X, y = make_spirals(64, rng=0)
    >>> counter = CountSteps()
    >>> _ = fit(mlp([2, 4, 2], rng=0), X, y, epochs=2, batch_size=16, lr=0.1, rng=0,
    ...         callbacks=[counter], progress=False)
    >>> counter.steps
    8
    """

    def on_train_begin(self, model: MLP) -> None:
        """Called once, before the first step."""

    def on_step_end(self, model: MLP, step: int, optimizer: SGD) -> None:
        """Called after each update."""

    def on_epoch_end(self, model: MLP, epoch: int, history: History) -> None:
        """Called after each epoch, once ``history`` holds its metrics."""


class _UpdateGuard:
    """Holds back Ctrl-C (SIGINT) while an update is applied, then raises it.

    An SGD step updates one parameter after another; an interrupt between two of them
    would leave the model half updated. Installed once for a whole :func:`fit` (a
    handler swap per step would cost more than the check): outside an update, Ctrl-C
    raises at once, as usual. Only the main thread receives signals, so elsewhere (and
    where SIGINT is not Python's own handler) it does nothing.
    """

    def __init__(self) -> None:
        self.updating = False
        self.pending = False
        self._previous = None

    def _handler(self, signum, frame) -> None:
        if self.updating:
            self.pending = True
        else:
            raise KeyboardInterrupt

    def __enter__(self) -> _UpdateGuard:
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler
        ):
            self._previous = signal.signal(signal.SIGINT, self._handler)
        return self

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None

    def apply(self, optimizer: SGD, model: MLP) -> None:
        """``optimizer.step(model)``, whole, then any Ctrl-C that came meanwhile."""
        self.updating = True
        try:
            optimizer.step(model)
        finally:
            self.updating = False
        if self.pending:
            self.pending = False
            raise KeyboardInterrupt


@dataclass
class History:
    """Per-epoch metrics of :func:`fit`; ``loss``/``accuracy`` average the epoch's batches."""

    epoch: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    diverged: bool = False
    diverged_at: tuple[int, int] | None = None  # (epoch, step) where a value stopped being finite

    def __str__(self) -> str:
        head = "epoch      loss  accuracy"
        has_val = bool(self.val_loss)
        if has_val:
            head += "  val_loss  val_accuracy"
        lines = [head]
        for i, epoch in enumerate(self.epoch):
            line = f"{epoch:5d}  {self.loss[i]:8.4f}  {self.accuracy[i]:8.4f}"
            if has_val:
                line += f"  {self.val_loss[i]:8.4f}  {self.val_accuracy[i]:12.4f}"
            lines.append(line)
        if self.diverged:
            where = ""
            if self.diverged_at is not None:
                where = f" in epoch {self.diverged_at[0]}, step {self.diverged_at[1]}"
            lines.append("stopped: a loss, an output or a parameter became NaN or infinite" + where)
        return "\n".join(lines)


def _progress_enabled(progress: bool | None) -> bool:
    """Auto mode: show a bar in a terminal or a notebook, never when INITACT_PROGRESS=0."""
    if progress is not None:
        return bool(progress)
    setting = os.environ.get("INITACT_PROGRESS", "").strip()
    if setting in ("0", "1"):
        return setting == "1"
    if sys.stderr is not None and sys.stderr.isatty():
        return True
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return type(shell).__name__ == "ZMQInteractiveShell"


@contextlib.contextmanager
def _progress_bar(progress: bool | None, total: int):
    """A tqdm bar when progress is on and tqdm is installed (book extra), else None."""
    bar = None
    if _progress_enabled(progress):
        try:
            from tqdm.auto import tqdm
        except ImportError:  # the bar is a nicety
            tqdm = None
        if tqdm is not None:
            bar = tqdm(total=total, desc="fit", unit="step", leave=False)
    try:
        yield bar
    finally:
        if bar is not None:
            bar.close()


def _check_labels(y: object, n: int, model: MLP, loss: str, name: str) -> np.ndarray:
    if loss == "cross_entropy":
        return _class_labels(y, n, model.n_outputs, name)
    arr = np.asarray(y)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.shape != (n, model.n_outputs):
        raise ValueError(f"{name} must have shape ({n}, {model.n_outputs}), got {arr.shape}")
    arr = arr.astype(model.dtype, copy=False)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def evaluate(model: MLP, X: object, y: object, loss: str = "cross_entropy") -> tuple[float, float]:
    """``(loss, accuracy)`` of ``model`` on ``(X, y)`` in evaluation mode.

    Accuracy is NaN for the squared-error loss.
    """
    X = model.check_inputs(X)
    y = _check_labels(y, X.shape[0], model, loss, "y")
    out = model.predict(X)
    value, _ = _LOSSES[loss](out, y)
    accuracy = float(np.mean(out.argmax(axis=1) == y)) if loss == "cross_entropy" else math.nan
    return value, accuracy


def _train_step(model, xb, yb, loss_fn, optimizer, guard):
    """One update on one batch: ``(loss, outputs)``, or None (and no update) if not finite.

    This is all of fit's work per batch (benchmarks/bench_mlp.py times it).
    """
    out = model.forward(xb)
    value, grad = loss_fn(out, yb)
    # A finite loss can hide infinite outputs (a softmax of +-inf logits, say).
    if not math.isfinite(value) or not np.isfinite(out).all():
        return None
    model.backward(grad.astype(model.dtype, copy=False))
    guard.apply(optimizer, model)  # never half an update
    return value, out


def _train_one_epoch(
    model, X, y, order, batch_size, loss_fn, optimizer, callbacks, bar, step, guard
):
    """One pass over ``X`` in ``order``: ``(mean loss, accuracy, step)``.

    Returns just the step (an int) at which a loss or an output stopped being finite.
    """
    total_loss = 0.0
    correct = 0
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        xb, yb = X[idx], y[idx]
        result = _train_step(model, xb, yb, loss_fn, optimizer, guard)
        if result is None:
            return step + 1
        value, out = result
        step += 1
        total_loss += value * len(idx)
        if yb.ndim == 1:  # class labels
            correct += int(np.count_nonzero(out.argmax(axis=1) == yb))
        for cb in callbacks:
            cb.on_step_end(model, step, optimizer)
        if bar is not None:
            bar.update(1)
    return total_loss / len(order), correct / len(order), step


def fit(
    model: MLP,
    X: object,
    y: object,
    *,
    epochs: int,
    batch_size: int,
    lr: float | None = None,
    rng: object,
    X_val: object = None,
    y_val: object = None,
    loss: str = "cross_entropy",
    momentum: float = 0.0,
    nesterov: bool = False,
    optimizer: SGD | None = None,
    callbacks: Iterable[object] = (),
    progress: bool | None = None,
) -> History:
    """Train ``model`` with minibatch SGD and return the per-epoch :class:`History`.

    Give either ``lr`` (with ``momentum`` and ``nesterov``) or an ``optimizer``,
    an :class:`SGD` you built: fit then uses it and keeps its state (its momentum)
    from one call to the next.

    ``rng`` (a seed or Generator) shuffles the data each epoch, so the same
    seed on the same model gives the same History to the bit. ``callbacks`` are
    :class:`Callback` objects: fit calls their ``on_train_begin(model)``,
    ``on_step_end(model, step, optimizer)`` (after each update) and
    ``on_epoch_end(model, epoch, history)``.
    Every argument is checked before the model is touched. Training stops
    early, with ``history.diverged`` set, if the training or validation loss stops being finite.

    Ctrl-C (KeyboardInterrupt) propagates, with the model at its last completed
    step (an update is never half applied) and the History of the completed epochs
    attached to the exception as ``err.history``::

        try:
            history = fit(model, X, y, ...)
        except KeyboardInterrupt as err:
            history = err.history

    ``progress``: True shows a tqdm bar, False never; None shows it in a
    terminal or notebook unless the environment sets ``INITACT_PROGRESS=0``
    (the book's test run does, so its output stays the same on every run).

    >>> from initact.data import make_spirals
    >>> X, y = make_spirals(200, rng=0)
    >>> model = mlp([2, 32, 32, 2], kernel_init="he_normal", rng=0)
    >>> history = fit(model, X, y, epochs=3, batch_size=32, lr=0.05, rng=0, progress=False)
    >>> len(history.loss)
    3
    """
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an initact.nn.MLP, got {type(model).__name__}")
    if loss not in _LOSSES:
        raise ValueError(f"loss must be one of {', '.join(_LOSSES)}, got {loss!r}")
    X = model.check_inputs(X)
    y = _check_labels(y, X.shape[0], model, loss, "y")
    if (X_val is None) != (y_val is None):
        raise ValueError("give both X_val and y_val, or neither")
    if X_val is not None:
        X_val = model.check_inputs(X_val, "X_val")
        y_val = _check_labels(y_val, X_val.shape[0], model, loss, "y_val")
    epochs = _checks.integer(epochs, "epochs")
    batch_size = _checks.integer(batch_size, "batch_size")
    if optimizer is None:
        if lr is None:
            raise TypeError("fit needs lr (a learning rate) or optimizer (an SGD)")
        optimizer = SGD(lr, momentum, nesterov)
    elif not isinstance(optimizer, SGD):
        raise TypeError(f"optimizer must be an initact.nn.SGD, got {type(optimizer).__name__}")
    elif lr is not None or momentum or nesterov:
        raise ValueError("give optimizer or lr/momentum/nesterov, not both")
    gen = as_generator(rng)
    callbacks = list(callbacks)
    for i, cb in enumerate(callbacks):
        if not isinstance(cb, Callback):
            raise TypeError(
                f"callbacks[{i}] must be an initact.nn.Callback, got {type(cb).__name__}"
            )
    loss_fn = _LOSSES[loss]
    total_steps = epochs * math.ceil(X.shape[0] / batch_size)

    history = History()
    for cb in callbacks:
        cb.on_train_begin(model)
    step = 0
    # Overflow is expected when a too-large learning rate blows training up (in the
    # updates, the validation pass or a callback's probe); the loss check reports
    # it as history.diverged instead of a warning.
    try:
        with (
            np.errstate(over="ignore", invalid="ignore"),
            _progress_bar(progress, total_steps) as bar,
            _UpdateGuard() as guard,
        ):
            for epoch in range(1, epochs + 1):
                model.train()
                result = _train_one_epoch(
                    model,
                    X,
                    y,
                    gen.permutation(X.shape[0]),
                    batch_size,
                    loss_fn,
                    optimizer,
                    callbacks,
                    bar,
                    step,
                    guard,
                )
                if isinstance(result, int):
                    history.diverged, history.diverged_at = True, (epoch, result)
                    break
                mean_loss, accuracy, step = result
                history.epoch.append(epoch)
                history.loss.append(mean_loss)
                history.accuracy.append(accuracy if loss == "cross_entropy" else math.nan)
                # The epoch's last update can leave inf weights behind a finite loss.
                if not all(np.isfinite(value).all() for _, value, _ in model.parameters()):
                    history.diverged, history.diverged_at = True, (epoch, step)
                    break
                if X_val is not None:
                    val_loss, val_acc = evaluate(model, X_val, y_val, loss)
                    history.val_loss.append(val_loss)
                    history.val_accuracy.append(val_acc)
                for cb in callbacks:
                    cb.on_epoch_end(model, epoch, history)
                if history.val_loss and not math.isfinite(history.val_loss[-1]):
                    # The weights are past use even if the training batches' loss has not
                    # overflowed yet.
                    history.diverged, history.diverged_at = True, (epoch, step)
                    break
    except KeyboardInterrupt as err:
        err.history = history  # the completed epochs stay reachable
        raise
    finally:
        model.eval()
    return history
