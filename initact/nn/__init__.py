"""A small trainable multilayer perceptron in NumPy.

Just enough network to show what chapter 11 is about: dense layers whose
kernels come from :mod:`initact.initializers`, activation layers from
:mod:`initact.activations` (PReLU's slopes are trained too), dropout and
alpha dropout, softmax cross-entropy and squared error, SGD with momentum,
and :func:`fit`. Every layer caches what its backward pass needs, so the
instruments in :mod:`initact.diagnostics` can look inside after each step.

The package reads along the data flow: :mod:`~initact.nn.layers` (the steps and
the state each owns), :mod:`~initact.nn.model` (the stack, how to build and
initialize it), :mod:`~initact.nn.training` (losses, SGD, callbacks, ``fit``).
Everything is importable from ``initact.nn``.

>>> import numpy as np
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

from .layers import ActivationLayer, AlphaDropout, Dense, Dropout, Layer
from .model import MLP, LSUVReport, lsuv, mlp, randomized_asymmetric_init
from .training import (
    SGD,
    Callback,
    History,
    evaluate,
    fit,
    mean_squared_error,
    softmax_cross_entropy,
)

__all__ = [
    "MLP",
    "SGD",
    "ActivationLayer",
    "AlphaDropout",
    "Callback",
    "Dense",
    "Dropout",
    "History",
    "LSUVReport",
    "Layer",
    "evaluate",
    "fit",
    "lsuv",
    "mean_squared_error",
    "mlp",
    "randomized_asymmetric_init",
    "softmax_cross_entropy",
]
