"""Push a batch through a deep random network and watch the signal, layer by layer.

This is the experiment behind Equation 11-1 and Table 11-1: build ``depth``
dense layers of equal ``width`` with a given initializer and activation, feed
standardized inputs forward, feed a random error signal backward, and record
every layer's activations and back-propagated gradients. Glorot & Bengio's
5 x 1000 tanh network, He et al.'s 30-layer ReLU stack and Géron's 100-layer
SELU demo are all one call:

>>> from initact.propagation import propagate
>>> run = propagate("relu", "he_normal", depth=30, width=256, n_samples=256, rng=0)
>>> bool(0.5 < run.rms()[-1] < 2.0)
True

The simulation can be compared with :func:`initact.theory.propagate_variance`,
which predicts the same per-layer variances for an infinitely wide layer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _checks
from .activations import Activation, get_activation
from .initializers import Initializer, as_generator, check_memory
from .nn import ActivationLayer, Dense
from .nn.layers import _kernel_initializer

__all__ = ["Propagation", "propagate"]


@dataclass
class Propagation:
    """What :func:`propagate` saw; index ``l`` is hidden layer ``l + 1``.

    ``pre_activations[l]`` and ``activations[l]`` are ``(n_samples, width)``
    arrays; ``gradients[l]`` is dLoss/d(pre-activation) of layer ``l + 1``
    and ``weight_gradients[l]`` dLoss/dW, both from a standard normal error
    signal at the top (None if ``backward=False``).

    >>> run = propagate("tanh", "lecun_normal", depth=3, width=50, rng=0)
    >>> len(run.activations), run.activations[0].shape, run.std().shape
    (3, (1000, 50), (3,))
    """

    activation: Activation
    initializer: Initializer
    width: int
    depth: int
    pre_activations: list[np.ndarray]
    activations: list[np.ndarray]
    gradients: list[np.ndarray] | None
    weight_gradients: list[np.ndarray] | None

    @staticmethod
    def _per_layer(arrays: list[np.ndarray] | None, stat) -> np.ndarray:
        if arrays is None:
            raise ValueError("this run has no gradients: call propagate(..., backward=True)")
        return np.array([float(stat(a.astype(np.float64))) for a in arrays])

    def mean(self) -> np.ndarray:
        """Mean activation per layer."""
        return self._per_layer(self.activations, np.mean)

    def std(self) -> np.ndarray:
        """Standard deviation of the activations per layer."""
        return self._per_layer(self.activations, np.std)

    def rms(self) -> np.ndarray:
        """Root mean square of the activations per layer (He et al.'s measure)."""
        return self._per_layer(self.activations, lambda a: np.sqrt(np.mean(a * a)))

    def pre_activation_variance(self) -> np.ndarray:
        """Second moment of the pre-activations, the q of the mean-field map."""
        return self._per_layer(self.pre_activations, lambda z: np.mean(z * z))

    def zero_fraction(self) -> np.ndarray:
        """Fraction of exact zeros in the activations per layer."""
        return self._per_layer(self.activations, lambda a: np.mean(a == 0))

    def gradient_std(self) -> np.ndarray:
        """Standard deviation of the back-propagated gradient per layer."""
        return self._per_layer(self.gradients, np.std)

    def weight_gradient_std(self) -> np.ndarray:
        """Standard deviation of the weight gradients per layer."""
        return self._per_layer(self.weight_gradients, np.std)


def propagate(
    activation: str | Activation,
    kernel_init: str | Initializer,
    *,
    depth: int,
    width: int,
    n_samples: int = 1000,
    n_inputs: int | None = None,
    rng: object = None,
    backward: bool = True,
    dtype: object = np.float32,
) -> Propagation:
    """Run standard normal inputs through ``depth`` random layers of ``width`` units.

    Parameters
    ----------
    activation, kernel_init:
        Names (or objects) for :func:`initact.get_activation` and
        :func:`initact.get_initializer`. Biases are zero.
    depth, width:
        Number of hidden layers and units per layer.
    n_samples:
        Batch size; the statistics average over it and the units.
    n_inputs:
        Input dimension (default ``width``, so every layer has the same fans).
    rng:
        Seed or Generator for the inputs, weights and error signal.
    backward:
        Also back-propagate a standard normal error signal from the top.

    Examples
    --------
    Thirty ReLU layers keep their signal with He initialization (Table 11-1):

    >>> run = propagate("relu", "he_normal", depth=30, width=200, rng=0, dtype=np.float64)
    >>> bool(0.5 < run.std()[-1] / run.std()[0] < 2)
    True
    >>> run.zero_fraction().round(1)[:3]      # half of each layer's outputs are 0
    array([0.5, 0.5, 0.5])
    """
    act = get_activation(activation)
    init = _kernel_initializer(kernel_init)
    depth, width = _checks.integer(depth, "depth"), _checks.integer(width, "width")
    n_samples = _checks.integer(n_samples, "n_samples")
    n_inputs = width if n_inputs is None else _checks.integer(n_inputs, "n_inputs")
    if not isinstance(backward, (bool, np.bool_)):
        raise TypeError(f"backward must be True or False, got {backward!r}")
    itemsize = _checks.float_dtype(dtype, allowed=(np.float32, np.float64)).itemsize
    # Every layer's input, pre-activation and output stays in the result (and the
    # gradients with backward=True): refuse a run that cannot fit, and so one of
    # 10**12 layers that would otherwise loop for days.
    per_layer = n_samples * width * (4 if backward else 2) + width * max(width, n_inputs)
    sizes = (depth, width, n_samples, n_inputs)
    check_memory(
        (depth * per_layer + n_samples * n_inputs) * itemsize,
        "(depth, width, n_samples, n_inputs)",
        sizes,
        "the layers' weights, activations and gradients",
    )
    gen = as_generator(rng)

    layers: list[tuple[Dense, ActivationLayer]] = []
    fan_in = n_inputs
    for _ in range(depth):
        dense = Dense(fan_in, width, init, rng=gen, dtype=dtype)
        layers.append((dense, ActivationLayer(act).eval()))
        fan_in = width

    x = gen.standard_normal((n_samples, n_inputs)).astype(dtype)
    pre, post = [], []
    with np.errstate(over="ignore", invalid="ignore"):  # exploding runs are part of the lesson
        for dense, layer in layers:
            z = dense.forward(x)
            x = layer.forward(z)
            pre.append(z)
            post.append(x)

        grads = weight_grads = None
        if backward:
            grads, weight_grads = [], []
            g = gen.standard_normal(x.shape).astype(dtype)
            for dense, layer in reversed(layers):
                g = layer.backward(g)
                grads.append(g)
                g = dense.backward(g)
                weight_grads.append(dense.grads["W"].copy())
            grads.reverse()
            weight_grads.reverse()

    return Propagation(act, init, width, depth, pre, post, grads, weight_grads)
