"""initact: weight initialization and nonsaturating activations, in NumPy.

A tested companion to chapter 11 of *Hands-On Machine Learning*: Equation 11-1,
Table 11-1, Keras's ``VarianceScaling``, and ReLU with its leaky variants.

>>> import initact
>>> w = initact.he_normal((784, 300), rng=0)
>>> w.shape, w.dtype
((784, 300), dtype('float32'))
"""

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
    "INITIALIZERS",
    "Initializer",
    "Orthogonal",
    "VarianceScaling",
    "compute_fans",
    "get_initializer",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "lecun_normal",
    "lecun_uniform",
    "orthogonal",
    "standard_uniform",
]
