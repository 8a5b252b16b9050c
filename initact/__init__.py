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
the instruments that see dead and saturated units. Every submodule the README
lists is an attribute after ``import initact``; ``plotting`` and ``widgets``
are imported on first use, so ``import initact`` never imports matplotlib or
ipywidgets.

>>> initact.diagnostics.born_dead_exact(1, 1)
0.5
"""

import importlib

from . import activations, data, diagnostics, fans, initializers, nn, propagation, theory

# initact.audit is the function: it takes the name of its module, initact/audit.py, whose
# other names (Audit, AuditRow) are imported with `from initact.audit import ...`.
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
    ShiftedReLU,
    Sigmoid,
    Softplus,
    Swish,
    Tanh,
    get_activation,
)
from .audit import audit
from .fans import compute_fans
from .initializers import (
    INITIALIZERS,
    Constant,
    Initializer,
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    get_initializer,
    glorot_normal,
    glorot_uniform,
    he_normal,
    he_uniform,
    lecun_normal,
    lecun_uniform,
    ones,
    orthogonal,
    standard_uniform,
    zeros,
)

__version__ = "0.1.0"

# Imported on first access (PEP 562): plotting and widgets pull in matplotlib and ipywidgets
# when used; experiments is only what the explorers compute.
_LAZY_SUBMODULES = ("experiments", "plotting", "widgets")


def __getattr__(name: str) -> object:
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f".{name}", __name__)  # also sets the attribute
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY_SUBMODULES))


__all__ = [
    "ACTIVATIONS",
    "ELU",
    "GELU",
    "INITIALIZERS",
    "SELU",
    "SELU_ALPHA",
    "SELU_SCALE",
    "Activation",
    "Constant",
    "Identity",
    "Initializer",
    "LeakyReLU",
    "Mish",
    "Orthogonal",
    "PReLU",
    "RReLU",
    "RandomNormal",
    "RandomUniform",
    "ReLU",
    "ShiftedReLU",
    "Sigmoid",
    "Softplus",
    "Swish",
    "Tanh",
    "TruncatedNormal",
    "VarianceScaling",
    "activations",
    "audit",
    "compute_fans",
    "data",
    "diagnostics",
    "fans",
    "get_activation",
    "get_initializer",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "initializers",
    "lecun_normal",
    "lecun_uniform",
    "nn",
    "ones",
    "orthogonal",
    "propagation",
    "standard_uniform",
    "theory",
    "zeros",
]
