"""The model: a stack of layers (:class:`MLP`), how to build one (:func:`mlp`) and
the initializations that act on a whole model (RAI, LSUV).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .. import _checks
from ..activations import Activation as ActivationFunction
from ..activations import get_activation
from ..initializers import Initializer, Orthogonal, as_generator, check_memory
from .layers import (
    _DTYPES,
    ActivationLayer,
    AlphaDropout,
    Dense,
    Dropout,
    Layer,
    _kernel_initializer,
)

__all__ = ["MLP", "LSUVReport", "lsuv", "mlp", "randomized_asymmetric_init"]


class MLP:
    """A stack of layers run in order; the last ``Dense`` is the linear output.

    Build one with :func:`mlp`. ``forward`` caches each layer's input and
    output; ``backward`` fills every layer's ``grads``.

    >>> model = MLP([Dense(3, 4, rng=0), ActivationLayer("relu"), Dense(4, 2, rng=1)])
    >>> model.n_inputs, model.n_outputs, len(model.dense_layers)
    (3, 2, 2)
    >>> model.predict(np.zeros((5, 3))).shape
    (5, 2)
    """

    def __init__(self, layers: Sequence[Layer], *, dtype: object = np.float32) -> None:
        if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence):
            raise TypeError(
                f"layers must be a list of initact.nn.Layer, got {type(layers).__name__}"
            )
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
        arr = _checks.array(X, name)
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
    dropout = _checks.real(dropout, "dropout", at_least=0, below=1)
    alpha_dropout = _checks.real(alpha_dropout, "alpha_dropout", at_least=0, below=1)
    if dropout and alpha_dropout:
        raise ValueError("choose dropout or alpha_dropout, not both")
    dtype = _checks.float_dtype(dtype, allowed=_DTYPES)
    _kernel_initializer(kernel_init)  # fail early on a bad name
    # Every kernel and bias with its gradient, refused before the first one is drawn.
    n_params = sum((a + 1) * b for a, b in itertools.pairwise(widths))
    check_memory(2 * n_params * dtype.itemsize, "sizes", sizes, "the weights and gradients")
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

    With a tiny ``sigma`` the Beta entry stands out: one per unit, among its
    3 weights and its bias, and positive.

    >>> model = randomized_asymmetric_init(mlp([3, 4, 2], rng=0), rng=0, sigma=1e-6)
    >>> column = np.vstack([model.dense_layers[0].W, model.dense_layers[0].b])
    >>> (np.abs(column) > 1e-3).sum(axis=0), bool(column.max(axis=0).min() > 0)
    (array([1, 1, 1, 1]), True)
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
    """What :func:`lsuv` did: per dense layer, iterations and final output variance.

    >>> X = np.random.default_rng(0).standard_normal((128, 4))
    >>> report = lsuv(mlp([4, 8, 2], activation="relu", rng=0), X, rng=0)
    >>> len(report.iterations), len(report.variances)    # the hidden layers
    (1, 1)
    """

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

    >>> X = np.random.default_rng(0).standard_normal((256, 8))
    >>> model = mlp([8, 16, 16, 2], activation="tanh", rng=0, dtype=np.float64)
    >>> report = lsuv(model, X, rng=0)
    >>> all(abs(v - 1) < 0.1 for v in report.variances)
    True
    """
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an initact.nn.MLP, got {type(model).__name__}")
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
