"""Argument checks shared by every module: one wording, one behaviour.

Each check returns the value in the form the caller computes with (a Python
``int`` or ``float``, a ``numpy.dtype``, a float64 array) or raises:

* ``TypeError`` when the value is of the wrong kind (a string for a number,
  ``True`` for a count, an integer dtype for weights);
* ``ValueError`` when the kind is right but the value is not (0 for a width,
  NaN for a learning rate, an empty list of points).

Every message names the parameter and says what is accepted, e.g.
``lr must be a finite number > 0, got nan``. ``bool`` and ``numpy.bool_``
are refused where a number is expected: ``True`` as a width is a mistake,
not a 1.
"""

from __future__ import annotations

import difflib
import math
import numbers
import re
from collections.abc import Iterable, Mapping
from typing import TypeVar

import numpy as np

_T = TypeVar("_T")


def _bounds(**bounds: float | None) -> str:
    """The bounds given, in words: ``" >= 0 and < 1"``, or ``""`` when there are none."""
    symbols = {"above": ">", "at_least": ">=", "below": "<", "at_most": "<="}
    words = [f"{symbols[key]} {bound}" for key, bound in bounds.items() if bound is not None]
    return " " + " and ".join(words) if words else ""


def integer(
    value: object, name: str, *, at_least: int | None = 1, at_most: int | None = None
) -> int:
    """``value`` as a Python ``int`` in ``[at_least, at_most]`` (``None``: unbounded).

    The default accepts the positive integers (counts, widths, epochs).

    >>> integer(3, "width")
    3
    >>> integer(0, "depth", at_least=0)
    0
    >>> integer(True, "width")
    Traceback (most recent call last):
    ...
    TypeError: width must be a positive integer, got True (bool)
    >>> integer(501, "width", at_least=10, at_most=500)
    Traceback (most recent call last):
    ...
    ValueError: width must be an integer from 10 to 500, got 501
    """
    is_integer = isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))
    if (
        is_integer
        and (at_least is None or value >= at_least)
        and (at_most is None or value <= at_most)
    ):
        return int(value)
    if at_least is not None and at_most is not None:
        accepted = f"an integer from {at_least} to {at_most}"
    elif at_least in (0, 1) and at_most is None:
        accepted = "a positive integer" if at_least else "a non-negative integer"
    else:
        accepted = "an integer" + _bounds(at_least=at_least, at_most=at_most)
    if not is_integer:
        raise TypeError(f"{name} must be {accepted}, got {value!r} ({type(value).__name__})")
    raise ValueError(f"{name} must be {accepted}, got {value}")


def real(
    value: object,
    name: str,
    *,
    above: float | None = None,
    at_least: float | None = None,
    below: float | None = None,
    at_most: float | None = None,
) -> float:
    """``value`` as a finite Python ``float`` within the bounds given.

    ``above`` and ``below`` are strict bounds, ``at_least`` and ``at_most``
    inclusive ones. NaN and infinities are always refused.

    >>> real(0.5, "rate", at_least=0, below=1)
    0.5
    >>> real(float("nan"), "lr", above=0)
    Traceback (most recent call last):
    ...
    ValueError: lr must be a finite number > 0, got nan
    >>> real("0.1", "alpha")
    Traceback (most recent call last):
    ...
    TypeError: alpha must be a finite number, got '0.1' (str)
    """
    is_real = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
    if is_real:
        try:
            number = float(value)
        except OverflowError:  # an int beyond the float range
            number = math.inf
        if (
            math.isfinite(number)
            and (above is None or number > above)
            and (at_least is None or number >= at_least)
            and (below is None or number < below)
            and (at_most is None or number <= at_most)
        ):
            return number
    bounds = _bounds(above=above, at_least=at_least, below=below, at_most=at_most)
    accepted = "a finite number" + bounds
    if not is_real:
        raise TypeError(f"{name} must be {accepted}, got {value!r} ({type(value).__name__})")
    raise ValueError(f"{name} must be {accepted}, got {value}")


def float_dtype(
    dtype: object, *, allowed: tuple = (np.float16, np.float32, np.float64), name: str = "dtype"
) -> np.dtype:
    """``dtype`` as a ``numpy.dtype``, if it is one of ``allowed``; else a TypeError.

    >>> float_dtype("float32")
    dtype('float32')
    >>> float_dtype(np.int32, allowed=(np.float32, np.float64))
    Traceback (most recent call last):
    ...
    TypeError: dtype must be float32 or float64, got int32
    """
    names = [np.dtype(d).name for d in allowed]
    accepted = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    try:
        resolved = np.dtype(dtype)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be {accepted}, got {dtype!r}") from None
    if resolved not in allowed:
        raise TypeError(f"{name} must be {accepted}, got {resolved}")
    return resolved


def real_array(
    values: object, name: str, *, ndim: int = 1, min_size: int = 1, finite: bool = True
) -> np.ndarray:
    """``values`` as a float64 array of ``ndim`` dimensions and ``min_size`` or more numbers.

    Booleans and integers are real numbers here (an array of them converts
    exactly); strings, objects and complex numbers are not. ``finite=False``
    lets NaN and infinities through, for records of a run that diverged.

    >>> real_array([1, 2], "z")
    array([1., 2.])
    >>> real_array([1.0, float("inf")], "z")
    Traceback (most recent call last):
    ...
    ValueError: z must hold finite numbers only, got NaN or infinite values
    >>> real_array([[1.0]], "z")
    Traceback (most recent call last):
    ...
    ValueError: z must be 1-D and non-empty, got shape (1, 1)
    """
    try:
        array = np.asarray(values)
    except (TypeError, ValueError) as err:  # e.g. ragged nested lists
        raise TypeError(f"{name} must be an array of real numbers: {err}") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {array.dtype}")
    if array.ndim != ndim or array.size < min_size:
        size = "and non-empty" if min_size == 1 else f"with at least {min_size} values"
        raise ValueError(f"{name} must be {ndim}-D {size}, got shape {array.shape}")
    array = array.astype(np.float64)
    if finite and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers only, got NaN or infinite values")
    return array


# --- names ------------------------------------------------------------------
# One rule for every registry looked up by name (activations, initializers,
# the command line): case, "-", "_" and spaces do not count, so Keras class
# names ("LeakyReLU", "HeNormal") and PyTorch names ("SiLU", "GELU") find the
# same entry as the snake_case registry name; an unknown name gets at most
# one suggestion, the closest registry name after the same normalisation.

_NAME_NOISE = re.compile(r"[\s_-]+")


def normalise_name(name: str) -> str:
    """``name`` lower-cased, with ``-``, ``_`` and whitespace removed.

    >>> normalise_name("LeakyReLU"), normalise_name("leaky_relu"), normalise_name(" Leaky-ReLU ")
    ('leakyrelu', 'leakyrelu', 'leakyrelu')
    >>> normalise_name("HeNormal") == normalise_name("he_normal")
    True
    """
    return _NAME_NOISE.sub("", name).lower()


def normalised_table(names: Mapping[str, _T]) -> dict[str, _T]:
    """``names`` keyed by :func:`normalise_name`; two keys that normalise alike are a bug.

    >>> normalised_table({"leaky_relu": 1, "relu": 2})
    {'leakyrelu': 1, 'relu': 2}
    """
    table: dict[str, _T] = {}
    for name, value in names.items():
        key = normalise_name(name)
        if key in table:
            raise ValueError(f"names {name!r} and another entry both normalise to {key!r}")
        table[key] = value
    return table


def did_you_mean(name: str, accepted: Iterable[str]) -> str:
    """``" (did you mean 'x'?)"`` for the accepted name closest to ``name``, or ``""``.

    Names are compared after :func:`normalise_name` (difflib's ratio, cutoff 0.6),
    and the suggestion is spelled as ``accepted`` spells it.

    >>> did_you_mean("reul", ["relu", "leaky_relu"])
    " (did you mean 'relu'?)"
    >>> did_you_mean("HeUnifrom", ["he_normal", "he_uniform"])
    " (did you mean 'he_uniform'?)"
    >>> did_you_mean("xyzzy", ["relu"])
    ''
    """
    spelled = {normalise_name(a): a for a in accepted}
    close = difflib.get_close_matches(normalise_name(name), list(spelled), n=1)
    return f" (did you mean {spelled[close[0]]!r}?)" if close else ""


def generator(rng: object, name: str = "rng") -> np.random.Generator:
    """Turn ``rng`` (an int seed, a ``numpy.random.Generator`` or None) into a Generator.

    A Generator is returned as is, so drawing from it advances its state;
    None gives fresh entropy.

    >>> generator(0).standard_normal() == generator(0).standard_normal()
    True
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"{name} must be a non-negative integer seed, got {rng}")
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"{name} must be an int seed, a numpy.random.Generator or None, got {type(rng).__name__}"
    )


def flag(value: object, name: str, *, allow_none: bool = False) -> bool | None:
    """``value`` as a Python ``bool``; only a bool (or ``numpy.bool_``) is one.

    >>> flag(True, "per_unit")
    True
    >>> flag("yes", "per_unit")
    Traceback (most recent call last):
    ...
    TypeError: per_unit must be True or False, got 'yes' (str)
    """
    if value is None and allow_none:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    accepted = "True, False or None" if allow_none else "True or False"
    raise TypeError(f"{name} must be {accepted}, got {value!r} ({type(value).__name__})")


def array(value: object, name: str) -> np.ndarray:
    """``np.asarray(value)``, with a ragged nested list refused by name.

    >>> array([[1.0, 2.0], [3.0]], "X")
    Traceback (most recent call last):
    ...
    ValueError: X must be a rectangular array of numbers, got a ragged nested sequence
    """
    try:
        return np.asarray(value)
    except ValueError:
        raise ValueError(
            f"{name} must be a rectangular array of numbers, got a ragged nested sequence"
        ) from None
