"""Weight initializers: Keras's ``VarianceScaling`` and the named presets.

Equation 11-1 (Glorot & Bengio 2010) and Table 11-1 all say one thing: draw
each weight with mean 0 and variance ``scale / n``, where ``n`` is the fan-in,
the fan-out or their average, and ``scale`` depends on the activation (1 for
Glorot and LeCun, 2 for He). ``VarianceScaling`` is that sentence as code,
with Keras 3's semantics exactly:

* ``mode``: ``"fan_in"``, ``"fan_out"`` or ``"fan_avg"`` picks ``n``
  (``max(1, n)`` guards an empty fan).
* ``distribution``:

  - ``"truncated_normal"`` (and its Keras alias ``"normal"``): a normal with
    ``stddev = sqrt(scale / n) / 0.87962566103423978``, every sample beyond
    two of those standard deviations redrawn. The constant is the standard
    deviation of a standard normal truncated to [-2, 2]; dividing by it gives
    the truncated samples exactly the variance ``scale / n``.
  - ``"untruncated_normal"``: a normal with ``stddev = sqrt(scale / n)``.
  - ``"uniform"``: U(-limit, limit) with ``limit = sqrt(3 * scale / n)``,
    since the variance of U(-r, r) is r**2 / 3.

Beside it, what a chapter-11 reader meets in Keras 3, with Keras's semantics:
``Orthogonal(gain)``, ``Constant(value)`` (presets ``zeros`` and ``ones``),
``RandomNormal(mean, stddev)``, ``RandomUniform(minval, maxval)`` and
``TruncatedNormal(mean, stddev)`` (values beyond two ``stddev`` redrawn, and, as
in Keras, *no* variance correction: the samples' std is about
``0.88 * stddev``). Every preset is an instance (``he_normal``,
``orthogonal``, ``zeros``); every class is a frozen dataclass;
:func:`get_initializer` finds both by name, Keras's and PyTorch's spellings
included, and builds variants with ``**overrides``.

Zero-size kernels: a dimension may be 0, as in Keras. The result is an empty
array, and a fan of 0 is read as 1 (the ``max(1, n)`` guard), so
``variance((0, 5))`` is ``scale / 5`` in ``fan_out`` mode and ``scale / 1``
in ``fan_in`` mode.

Samples are drawn straight into the output array in the requested dtype,
in cache-sized chunks, so a float32 kernel never makes a float64 temporary
and costs about as much as NumPy's own raw sampling (``benchmarks/``).

Sizes: every initializer estimates the memory a call needs before it
allocates anything (see :func:`check_memory`) and refuses, with a
``ValueError`` naming ``shape`` and the size, a call that would take more than
:data:`MEMORY_FRACTION` of the memory available.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from . import _checks
from .fans import compute_fans, validate_shape

__all__ = [
    "FALLBACK_MEMORY_BYTES",
    "INITIALIZERS",
    "MEMORY_FRACTION",
    "TRUNCATED_NORMAL_STDDEV",
    "Constant",
    "Initializer",
    "Orthogonal",
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "VarianceScaling",
    "as_generator",
    "available_memory",
    "check_memory",
    "get_initializer",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "lecun_normal",
    "lecun_uniform",
    "ones",
    "orthogonal",
    "standard_uniform",
    "zeros",
]

#: Standard deviation of a standard normal truncated to [-2, 2] (Keras's constant).
TRUNCATED_NORMAL_STDDEV = 0.87962566103423978

_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "normal", "uniform")

# Elements sampled per chunk: 2**16 float32 values are 256 KiB, small enough to
# stay in cache while they are scaled, so scaling costs no extra memory pass.
_CHUNK = 1 << 16
# An upper bound of the per-chunk temporaries of VarianceScaling (4 float64 chunks).
_SCRATCH_BYTES = 4 * 8 * _CHUNK

# --------------------------------------------------------------------------- sizes

#: The largest fraction of the available memory one call may ask for. Half,
#: because whatever is done next with the result (``w.var()``, ``2 * w``,
#: ``x @ w``) needs a temporary as large again: a 22 GiB kernel on a machine
#: with 23 GiB free is refused, not swapped.
MEMORY_FRACTION = 0.5
#: The memory assumed available where ``/proc/meminfo`` does not exist
#: (macOS, Windows): 16 GiB, so one call may ask for at most 8 GiB there.
FALLBACK_MEMORY_BYTES = 16 * 2**30
# Requests up to this size are never refused, and /proc/meminfo is not read for them.
_ALWAYS_ALLOWED_BYTES = 64 * 2**20


def available_memory() -> tuple[int, str]:
    """The bytes of memory available now, and where that number comes from.

    ``MemAvailable`` from ``/proc/meminfo`` (Linux) where it exists, else
    :data:`FALLBACK_MEMORY_BYTES`.

    >>> nbytes, source = available_memory()
    >>> nbytes > 0
    True
    """
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024, "MemAvailable in /proc/meminfo"
    except (OSError, ValueError, IndexError):
        pass
    return FALLBACK_MEMORY_BYTES, "FALLBACK_MEMORY_BYTES: no MemAvailable in /proc/meminfo"


def _in_units(nbytes: float) -> str:
    """``nbytes`` in words: ``22.4 GiB (24,000,000,000 bytes)``."""
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20)):
        if nbytes >= size:
            return f"{nbytes / size:.1f} {unit} ({int(nbytes):,} bytes)"
    return f"{int(nbytes):,} bytes"


def check_memory(nbytes: int, name: str, value: object, what: str) -> None:
    """Raise a ValueError naming ``name`` if ``nbytes`` is more than this machine can spare.

    The limit is :data:`MEMORY_FRACTION` of :func:`available_memory`; requests
    of 64 MiB or less always pass. ``what`` says what the bytes are for.

    >>> check_memory(10**15, "shape", (10**7, 10**8), "a float64 array")
    Traceback (most recent call last):
    ...
    ValueError: shape=(10000000, 100000000) needs 909.5 TiB (1,000,000,000,000,000 bytes) ...
    """
    nbytes = _checks.integer(nbytes, "nbytes", at_least=0)
    if nbytes <= _ALWAYS_ALLOWED_BYTES:
        return
    available, source = available_memory()
    if nbytes > MEMORY_FRACTION * available:
        raise ValueError(
            f"{name}={value!r} needs {_in_units(nbytes)} for {what}, more than "
            f"{MEMORY_FRACTION:.0%} of the {_in_units(available)} of memory available "
            f"({source}); refused before allocating anything: make {name} smaller"
        )


#: Turn ``rng`` (an int seed, a ``numpy.random.Generator`` or None) into a Generator.
as_generator = _checks.generator


def _fill_in_chunks(
    out: np.ndarray, fill: Callable[[np.ndarray], None], work_dtype: np.dtype
) -> np.ndarray:
    """Call ``fill(chunk)`` on consecutive chunks of ``out``, in ``work_dtype``.

    NumPy's Generator samples only float32 and float64, so a float16 output
    is filled through a small float32 scratch chunk.
    """
    flat = out.reshape(-1)
    scratch = None if out.dtype == work_dtype else np.empty(_CHUNK, dtype=work_dtype)
    for start in range(0, flat.size, _CHUNK):
        target = flat[start : start + _CHUNK]
        if scratch is None:
            fill(target)
        else:
            chunk = scratch[: target.size]
            fill(chunk)
            target[...] = chunk
    return out


def _sample(
    shape: tuple[int, ...], rng: object, dtype: object, kind: str, scale: float, shift: float
) -> np.ndarray:
    """``scale * z + shift`` for ``z`` uniform on [0, 1), standard normal, or standard
    normal redrawn beyond 2 (``kind``), drawn chunk by chunk into the output."""
    dtype = _checks.float_dtype(dtype)
    # The output, plus per chunk: a float32 scratch (float16 output), |chunk|,
    # its mask and the indices to redraw (truncated normal): measured < 1 MiB.
    check_memory(
        math.prod(shape) * dtype.itemsize + _SCRATCH_BYTES, "shape", shape, f"a {dtype} array"
    )
    gen = as_generator(rng)
    out = np.empty(shape, dtype=dtype)
    work = np.dtype(np.float64) if dtype == np.float64 else np.dtype(np.float32)

    def fill(chunk: np.ndarray) -> None:
        if kind == "uniform":
            gen.random(out=chunk, dtype=chunk.dtype)  # [0, 1)
        else:
            gen.standard_normal(out=chunk, dtype=chunk.dtype)
        if kind == "truncated_normal":  # redraw what falls beyond 2 standard deviations
            redraw = np.flatnonzero(np.abs(chunk) > 2.0)
            while redraw.size:
                fresh = gen.standard_normal(redraw.size, dtype=chunk.dtype)
                chunk[redraw] = fresh
                redraw = redraw[np.abs(fresh) > 2.0]
        chunk *= scale
        if shift:
            chunk += shift

    return _fill_in_chunks(out, fill, work)


class Initializer:
    """Base class: ``init(shape, rng=None, dtype=np.float32) -> np.ndarray``.

    Subclass it to use your own scheme wherever initact takes an initializer:

    >>> class Halves(Initializer):
    ...     def __call__(self, shape, rng=None, dtype=np.float32):
    ...         return np.full(shape, 0.5, dtype=dtype)
    >>> from initact.nn import Dense
    >>> Dense(2, 3, kernel_init=Halves()).W.tolist()
    [[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]
    """

    def __call__(
        self, shape: Sequence[int], rng: object = None, dtype: object = np.float32
    ) -> np.ndarray:
        raise NotImplementedError


@dataclass(frozen=True, repr=False)
class VarianceScaling(Initializer):
    """Draw weights with variance ``scale / n``; Keras 3's ``VarianceScaling``.

    Parameters
    ----------
    scale:
        Positive multiplier of the variance: 1 for Glorot and LeCun, 2 for He.
    mode:
        ``"fan_in"``, ``"fan_out"`` or ``"fan_avg"``: which fan is ``n``.
    distribution:
        ``"truncated_normal"`` (default; ``"normal"`` is Keras's alias for it),
        ``"untruncated_normal"`` or ``"uniform"``.
    in_axis, out_axis:
        Where the kernel keeps its input and output units
        (Keras ``-2, -1``; PyTorch ``1, 0``). See :func:`initact.compute_fans`.

    Notes
    -----
    Calling the initializer, ``init(shape, rng=None, dtype=np.float32)``,
    returns a new array. ``rng`` is an int seed, a ``numpy.random.Generator``
    or None (fresh entropy). A call needs the output array plus under 2 MiB
    of chunk-sized scratch (truncated normal redraws and float16 go through
    it); one that would take more than :data:`MEMORY_FRACTION` of the
    memory available raises a ValueError naming ``shape`` before allocating.

    Examples
    --------
    He initialization of a 784 -> 300 dense kernel, variance 2 / 784:

    >>> init = VarianceScaling(scale=2.0, mode="fan_in", distribution="untruncated_normal")
    >>> w = init((784, 300), rng=0)
    >>> w.dtype, w.shape
    (dtype('float32'), (784, 300))
    >>> round(float(w.var() * 784), 1)
    2.0

    The book's example, He initialization with the average fan:

    >>> VarianceScaling(scale=2.0, mode="fan_avg", distribution="uniform").limit((200, 100))
    0.2
    """

    scale: float = 1.0
    mode: str = "fan_in"
    distribution: str = "truncated_normal"
    in_axis: int = -2
    out_axis: int = -1

    def __post_init__(self) -> None:
        object.__setattr__(self, "scale", _checks.real(self.scale, "scale", above=0))
        if not isinstance(self.mode, str) or self.mode.lower() not in _MODES:
            raise ValueError(f"mode must be one of {', '.join(_MODES)}; got {self.mode!r}")
        object.__setattr__(self, "mode", self.mode.lower())
        dist = self.distribution
        if not isinstance(dist, str) or dist.lower() not in _DISTRIBUTIONS:
            raise ValueError(
                f"distribution must be one of {', '.join(_DISTRIBUTIONS)}; got {dist!r}"
            )
        object.__setattr__(self, "distribution", dist.lower())
        for name in ("in_axis", "out_axis"):
            _checks.integer(getattr(self, name), name, at_least=None)

    def __repr__(self) -> str:
        axes = (
            ""
            if (self.in_axis, self.out_axis) == (-2, -1)
            else (f", in_axis={self.in_axis}, out_axis={self.out_axis}")
        )
        return (
            f"VarianceScaling(scale={self.scale!r}, mode={self.mode!r}, "
            f"distribution={self.distribution!r}{axes})"
        )

    # The formulas, exposed so the book can print them next to the samples.
    def fan(self, shape: Sequence[int]) -> float:
        """The ``n`` of ``scale / n`` for a kernel of this shape (``max(1, fan)``)."""
        fan_in, fan_out = compute_fans(shape, self.in_axis, self.out_axis)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        return max(1.0, float(n))

    def variance(self, shape: Sequence[int]) -> float:
        """Target variance ``scale / n`` of every weight.

        >>> VarianceScaling(2.0, "fan_in").variance((100, 10))
        0.02
        """
        return self.scale / self.fan(shape)

    def stddev(self, shape: Sequence[int]) -> float:
        """Standard deviation of the normal that is sampled (before any truncation)."""
        if self.distribution == "uniform":
            raise ValueError("stddev applies to normal distributions; this one is uniform")
        std = math.sqrt(self.variance(shape))
        if self.distribution == "untruncated_normal":
            return std
        return std / TRUNCATED_NORMAL_STDDEV

    def limit(self, shape: Sequence[int]) -> float:
        """Half-width ``sqrt(3 * scale / n)`` of the uniform distribution."""
        if self.distribution != "uniform":
            raise ValueError(f"limit applies to the uniform distribution, not {self.distribution}")
        return math.sqrt(3.0 * self.variance(shape))

    def __call__(
        self, shape: Sequence[int], rng: object = None, dtype: object = np.float32
    ) -> np.ndarray:
        shape = validate_shape(shape)
        if self.distribution == "uniform":
            limit = self.limit(shape)  # U(-limit, limit) = 2 limit U[0, 1) - limit
            return _sample(shape, rng, dtype, "uniform", 2.0 * limit, -limit)
        kind = "normal" if self.distribution == "untruncated_normal" else "truncated_normal"
        return _sample(shape, rng, dtype, kind, self.stddev(shape), 0.0)


@dataclass(frozen=True)
class Orthogonal(Initializer):
    """A (semi-)orthogonal matrix times ``gain`` (Saxe et al. 2013); Keras's ``Orthogonal``.

    The kernel is viewed as a matrix of ``prod(shape[:-1])`` rows and
    ``shape[-1]`` columns (Keras's convention); its rows or its columns,
    whichever are fewer, are orthonormal. A product of such matrices keeps
    every singular value at 1, so a deep *linear* network neither shrinks nor
    grows its signal in any direction. The preset :data:`orthogonal` has gain 1.

    The QR factorisation runs in float64 and holds up to about five float64
    copies of the matrix at once (measured: 3.5 to 4.5); a call whose five
    copies would take more than :data:`MEMORY_FRACTION` of the memory
    available raises a ValueError naming ``shape`` before allocating.

    >>> w = orthogonal((4, 4), rng=0)
    >>> bool(np.allclose(w.T @ w, np.eye(4), atol=1e-6))
    True
    >>> Orthogonal(gain=2.0)((3, 3), rng=0).shape
    (3, 3)
    """

    gain: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "gain", _checks.real(self.gain, "gain", above=0))

    def __call__(
        self, shape: Sequence[int], rng: object = None, dtype: object = np.float32
    ) -> np.ndarray:
        shape = validate_shape(shape)
        dtype = _checks.float_dtype(dtype)
        rows, cols = math.prod(shape[:-1]), shape[-1]
        check_memory(5 * 8 * rows * cols, "shape", shape, "the float64 QR factorisation (5 copies)")
        gen = as_generator(rng)
        if rows * cols == 0:
            return np.empty(shape, dtype=dtype)  # nothing to orthogonalise
        a = gen.standard_normal((max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(a)
        # Fixing the signs by R's diagonal makes Q uniformly (Haar) distributed.
        q *= np.where(np.diag(r) < 0, -1.0, 1.0)
        if rows < cols:
            q = q.T
        return (self.gain * q).reshape(shape).astype(dtype, copy=False)


@dataclass(frozen=True)
class Constant(Initializer):
    """Every weight equal to ``value``; Keras's ``Constant`` (presets :data:`zeros`, :data:`ones`).

    What symmetry breaking is about: every unit of a layer whose kernel is
    constant computes the same thing, gets the same gradient, and stays a copy
    of its neighbours forever.

    >>> Constant(0.5)((2, 3))
    array([[0.5, 0.5, 0.5],
           [0.5, 0.5, 0.5]], dtype=float32)
    >>> zeros((2, 2), dtype=np.float64).sum()
    np.float64(0.0)
    """

    value: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _checks.real(self.value, "value"))

    def __call__(
        self, shape: Sequence[int], rng: object = None, dtype: object = np.float32
    ) -> np.ndarray:
        shape = validate_shape(shape)
        dtype = _checks.float_dtype(dtype)
        check_memory(math.prod(shape) * dtype.itemsize, "shape", shape, f"a {dtype} array")
        as_generator(rng)  # checked like everywhere, though nothing is drawn
        return np.full(shape, self.value, dtype=dtype)


@dataclass(frozen=True)
class _MeanStddev(Initializer):
    """A normal law with a fixed ``mean`` and ``stddev`` (no fans); ``_kind`` picks it."""

    _kind: ClassVar[str]
    mean: float = 0.0
    stddev: float = 0.05

    def __post_init__(self) -> None:
        object.__setattr__(self, "mean", _checks.real(self.mean, "mean"))
        object.__setattr__(self, "stddev", _checks.real(self.stddev, "stddev", at_least=0))

    def __call__(
        self, shape: Sequence[int], rng: object = None, dtype: object = np.float32
    ) -> np.ndarray:
        shape = validate_shape(shape)
        return _sample(shape, rng, dtype, self._kind, self.stddev, self.mean)


@dataclass(frozen=True)
class RandomNormal(_MeanStddev):
    """``N(mean, stddev**2)``, with no reference to the fans; Keras's ``RandomNormal``.

    Keras's defaults: ``mean=0.0``, ``stddev=0.05``. The fixed scale is what
    Equation 11-1 replaces: right for one width, too small or too large for others.

    >>> w = RandomNormal(stddev=0.05)((1000, 100), rng=0)
    >>> round(float(w.std()), 3)
    0.05
    """

    _kind: ClassVar[str] = "normal"


@dataclass(frozen=True)
class TruncatedNormal(_MeanStddev):
    """``N(mean, stddev**2)`` with values beyond ``mean ± 2 stddev`` redrawn; Keras's.

    As in Keras 3, ``stddev`` is *not* corrected for the truncation (unlike
    :class:`VarianceScaling`'s ``"truncated_normal"``, which divides by
    :data:`TRUNCATED_NORMAL_STDDEV`): the samples' standard deviation is about
    ``0.8796 * stddev``. Keras's defaults: ``mean=0.0``, ``stddev=0.05``.

    >>> w = TruncatedNormal(stddev=1.0)((1000, 100), rng=0)
    >>> float(np.abs(w).max()) <= 2.0, round(float(w.std()), 2)
    (True, 0.88)
    """

    _kind: ClassVar[str] = "truncated_normal"


@dataclass(frozen=True)
class RandomUniform(Initializer):
    """``U[minval, maxval)``, with no reference to the fans; Keras's ``RandomUniform``.

    Keras's defaults: ``minval=-0.05``, ``maxval=0.05``.

    >>> w = RandomUniform(-1.0, 1.0)((3, 4), rng=0)
    >>> bool(w.min() >= -1.0 and w.max() < 1.0)
    True
    """

    minval: float = -0.05
    maxval: float = 0.05

    def __post_init__(self) -> None:
        object.__setattr__(self, "minval", _checks.real(self.minval, "minval"))
        object.__setattr__(self, "maxval", _checks.real(self.maxval, "maxval"))
        if self.minval > self.maxval:
            raise ValueError(
                f"minval must be <= maxval, got minval={self.minval!r}, maxval={self.maxval!r}"
            )

    def __call__(
        self, shape: Sequence[int], rng: object = None, dtype: object = np.float32
    ) -> np.ndarray:
        shape = validate_shape(shape)
        width = self.maxval - self.minval
        if not math.isfinite(width):
            raise ValueError(
                f"maxval - minval must be a finite width, got {self.maxval!r} - {self.minval!r}"
            )
        return _sample(shape, rng, dtype, "uniform", width, self.minval)


# Table 11-1 as initializers. The uniform ones give the book's Equation 11-1.
#: Glorot (Xavier) uniform, Equation 11-1, U(-r, r) with r = sqrt(6 / (fan_in + fan_out)).
glorot_uniform = VarianceScaling(1.0, "fan_avg", "uniform")
#: Glorot (Xavier) normal, variance 1 / fan_avg, truncated at 2 std (Keras).
glorot_normal = VarianceScaling(1.0, "fan_avg", "truncated_normal")
#: He (Kaiming) uniform for the ReLU family, U(-r, r) with r = sqrt(6 / fan_in).
he_uniform = VarianceScaling(2.0, "fan_in", "uniform")
#: He (Kaiming) normal for the ReLU family, variance 2 / fan_in, truncated (Keras).
he_normal = VarianceScaling(2.0, "fan_in", "truncated_normal")
#: LeCun uniform for SELU, U(-r, r) with r = sqrt(3 / fan_in).
lecun_uniform = VarianceScaling(1.0, "fan_in", "uniform")
#: LeCun normal for SELU, variance 1 / fan_in, truncated (Keras).
lecun_normal = VarianceScaling(1.0, "fan_in", "truncated_normal")
#: Glorot & Bengio's "standard" U[-1/sqrt(n), 1/sqrt(n)], PyTorch's default for
#: ``nn.Linear``: variance 1/(3 fan_in), so each linear layer shrinks the signal by 3.
standard_uniform = VarianceScaling(1.0 / 3.0, "fan_in", "uniform")
#: Saxe et al.'s orthogonal initialization with gain 1 (``Orthogonal(gain)`` for others).
orthogonal = Orthogonal()
#: Every weight 0 (Keras's ``Zeros``), the usual bias initializer.
zeros = Constant(0.0)
#: Every weight 1 (Keras's ``Ones``).
ones = Constant(1.0)

# Every name get_initializer knows, to the instance it stands for. A class's own
# name gives the class with its defaults, so overrides build any variant.
_PRESETS: dict[str, Initializer] = {
    "glorot_uniform": glorot_uniform,
    "glorot_normal": glorot_normal,
    "he_uniform": he_uniform,
    "he_normal": he_normal,
    "lecun_uniform": lecun_uniform,
    "lecun_normal": lecun_normal,
    "standard_uniform": standard_uniform,
    "orthogonal": orthogonal,
    "zeros": zeros,
    "ones": ones,
    "constant": Constant(),
    "random_normal": RandomNormal(),
    "random_uniform": RandomUniform(),
    "truncated_normal": TruncatedNormal(),
    "variance_scaling": VarianceScaling(),
}
# PyTorch's names (torch.nn.init, with or without the trailing "_"). They map to
# the Keras semantics above (a *truncated* normal), whereas
# torch.nn.init.kaiming_normal_ draws an untruncated one.
_ALIASES = {
    "xavier_uniform": "glorot_uniform",
    "xavier_normal": "glorot_normal",
    "kaiming_uniform": "he_uniform",
    "kaiming_normal": "he_normal",
}
#: Every name :func:`get_initializer` accepts (case, ``-``, ``_`` and spaces
#: aside, so Keras class names such as ``"HeNormal"`` work too).
INITIALIZERS = tuple(_PRESETS) + tuple(_ALIASES)
_LOOKUP: dict[str, str] = _checks.normalised_table(
    {**{name: name for name in _PRESETS}, **_ALIASES}
)


def get_initializer(name: str | Initializer, **overrides: object) -> Initializer:
    """An initializer by name, or a variant of it with some fields overridden.

    Names are the presets (``"he_normal"``, ``"orthogonal"``, ``"zeros"``...),
    Keras's class names (``"HeNormal"``, ``"GlorotUniform"``, ``"RandomNormal"``,
    ``"TruncatedNormal"``, ``"Constant"``, ``"VarianceScaling"``) and PyTorch's
    ``xavier_*``/``kaiming_*`` (a trailing ``_`` is fine): case, ``-``, ``_`` and
    spaces are ignored, the same rule as :func:`initact.get_activation`.
    ``overrides`` replace fields of the named initializer (``scale``, ``mode``,
    ``distribution``, ``gain``, ``value``, ``mean``, ``stddev``...). An
    :class:`Initializer` instance passes through unchanged (no overrides).
    Seeds are given at call time: ``init(shape, rng=seed)``.

    >>> get_initializer("kaiming_uniform")
    VarianceScaling(scale=2.0, mode='fan_in', distribution='uniform')
    >>> get_initializer("HeNormal", mode="fan_avg")
    VarianceScaling(scale=2.0, mode='fan_avg', distribution='truncated_normal')
    >>> get_initializer("Constant", value=0.1), get_initializer("orthogonal", gain=2.0)
    (Constant(value=0.1), Orthogonal(gain=2.0))
    >>> get_initializer("he_unifrom")
    Traceback (most recent call last):
    ...
    ValueError: unknown initializer 'he_unifrom' (did you mean 'he_uniform'?); valid names: ...
    """
    if isinstance(name, Initializer):
        if overrides:
            raise TypeError(
                f"get_initializer got an Initializer instance {name!r} and overrides "
                f"{sorted(overrides)}; pass a name to build a variant with overrides"
            )
        return name
    if not isinstance(name, str):
        raise TypeError(
            f"initializer must be a name (str) or an Initializer, got {type(name).__name__}"
        )
    key = _LOOKUP.get(_checks.normalise_name(name))
    if key is None:
        hint = _checks.did_you_mean(name, INITIALIZERS)
        raise ValueError(
            f"unknown initializer {name!r}{hint}; valid names: {', '.join(INITIALIZERS)} "
            "(case, '-', '_' and spaces are ignored, so Keras class names such as 'HeNormal' "
            "work too)"
        )
    base = _PRESETS[key]
    if not overrides:
        return base
    if "seed" in overrides:
        raise TypeError(
            f"initializer {key!r} takes no seed=: initact draws when called, so pass the "
            "seed there, init(shape, rng=seed)"
        )
    accepted = [f.name for f in dataclasses.fields(base)]
    unexpected = sorted(set(overrides) - set(accepted))
    if unexpected:
        raise TypeError(
            f"initializer {key!r} does not take parameter(s) {', '.join(unexpected)}; "
            f"it accepts: {', '.join(accepted)}"
        )
    return dataclasses.replace(base, **overrides)
