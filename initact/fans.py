"""Fan-in and fan-out of a weight tensor.

The *fan-in* of a unit is the number of inputs it sums; the *fan-out* is the
number of units each input feeds. Equation 11-1 and every row of Table 11-1
are stated in terms of these two numbers, so getting them right for dense and
convolutional kernels is the first step of any initializer.

Two layouts are common:

* Keras/JAX keep a dense kernel as ``(in, out)`` and a 2-D convolution kernel
  as ``(kh, kw, in, out)``: ``in_axis=-2, out_axis=-1`` (the default here).
* PyTorch keeps ``(out, in)`` and ``(out, in, kh, kw)``: ``in_axis=1, out_axis=0``.

For a convolution each output unit sums ``in * kh * kw`` inputs, so both fans
are multiplied by the *receptive field*: the product of every other axis.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

from . import _checks

__all__ = ["compute_fans", "validate_shape"]


def validate_shape(shape: object, *, name: str = "shape", min_rank: int = 2) -> tuple[int, ...]:
    """Return ``shape`` as a tuple of non-negative Python ints, or raise a clear error.

    A dimension may be 0, as Keras allows: an empty kernel, whose fans the
    initializers read through their ``max(1, n)`` guard.

    >>> validate_shape((3, 4))
    (3, 4)
    >>> validate_shape([4])
    Traceback (most recent call last):
    ...
    ValueError: shape must have at least 2 dimensions ...
    """
    if isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
        shape = (shape,)
    if isinstance(shape, (str, bytes)) or not isinstance(shape, Sequence):
        raise TypeError(
            f"{name} must be a tuple or list of non-negative integers, got {type(shape).__name__}"
        )
    dims = []
    for dim in shape:
        if isinstance(dim, bool) or not isinstance(dim, numbers.Integral):
            raise TypeError(
                f"{name} must contain only integers, got {dim!r} ({type(dim).__name__}) in "
                f"{tuple(shape)!r}"
            )
        if dim < 0:
            raise ValueError(
                f"{name} must contain only non-negative integers, got {tuple(shape)!r}"
            )
        dims.append(int(dim))
    if len(dims) < min_rank:
        raise ValueError(
            f"{name} must have at least {min_rank} dimensions (a weight kernel such as "
            f"(fan_in, fan_out)), got {tuple(dims)!r}"
        )
    return tuple(dims)


def _normalize_axis(axis: object, rank: int, name: str) -> int:
    axis = _checks.integer(axis, name, at_least=None)
    if not -rank <= axis < rank:
        raise ValueError(f"{name}={axis} is out of range for a kernel of rank {rank}")
    return axis % rank


def compute_fans(shape: Sequence[int], in_axis: int = -2, out_axis: int = -1) -> tuple[int, int]:
    """Fan-in and fan-out of a kernel of the given ``shape``.

    Parameters
    ----------
    shape:
        The kernel's shape, rank 2 or more.
    in_axis, out_axis:
        Which axes hold the input and output units. Every other axis is part
        of the receptive field and multiplies both fans.

    Examples
    --------
    A dense kernel in Keras layout, ``(in, out)``:

    >>> compute_fans((784, 300))
    (784, 300)

    A 3x3 convolution from 64 to 128 channels, Keras layout ``(kh, kw, in, out)``:

    >>> compute_fans((3, 3, 64, 128))
    (576, 1152)

    The same convolution in PyTorch layout ``(out, in, kh, kw)``:

    >>> compute_fans((128, 64, 3, 3), in_axis=1, out_axis=0)
    (576, 1152)
    """
    dims = validate_shape(shape)
    rank = len(dims)
    i = _normalize_axis(in_axis, rank, "in_axis")
    o = _normalize_axis(out_axis, rank, "out_axis")
    if i == o:
        raise ValueError(f"in_axis and out_axis must differ, both are axis {i}")
    receptive_field = math.prod(d for axis, d in enumerate(dims) if axis not in (i, o))
    return dims[i] * receptive_field, dims[o] * receptive_field
