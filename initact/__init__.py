"""initact: weight initialization and nonsaturating activations, in NumPy.

A tested companion to chapter 11 of *Hands-On Machine Learning*: Equation 11-1,
Table 11-1, Keras's ``VarianceScaling``, and ReLU with its leaky variants.

>>> import initact
>>> w = initact.he_normal((784, 300), rng=0)
>>> w.shape, w.dtype
((784, 300), dtype('float32'))
>>> initact.get_activation("leaky_relu", alpha=0.2)
LeakyReLU(alpha=0.2)

The submodules ``theory``, ``nn``, ``data`` and ``diagnostics`` hold the
Gaussian theory behind Table 11-1, a small trainable MLP, the data sets and
the instruments that see dead and saturated units.
"""

from . import data, nn, theory
from .activations import (
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
    Sigmoid,
    Softplus,
    Swish,
    Tanh,
    get_activation,
)
from .fans import compute_fans
from .initializers import (
    INITIALIZERS,
    Initializer,
    Orthogonal,
    VarianceScaling,
    get_initializer,
    glorot_normal,
    glorot_uniform,
    he_normal,
    he_uniform,
    lecun_normal,
    lecun_uniform,
    orthogonal,
    standard_uniform,
)

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "ELU",
    "GELU",
    "INITIALIZERS",
    "SELU",
    "SELU_ALPHA",
    "SELU_SCALE",
    "Activation",
    "Identity",
    "Initializer",
    "LeakyReLU",
    "Mish",
    "Orthogonal",
    "PReLU",
    "RReLU",
    "ReLU",
    "Sigmoid",
    "Softplus",
    "Swish",
    "Tanh",
    "VarianceScaling",
    "compute_fans",
    "data",
    "get_activation",
    "get_initializer",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "lecun_normal",
    "lecun_uniform",
    "nn",
    "orthogonal",
    "standard_uniform",
    "theory",
]
