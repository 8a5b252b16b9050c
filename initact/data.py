"""Data sets for the experiments: digits (offline), synthetic sets, Fashion-MNIST.

Every loader returns standardized float features and int64 labels, because the
initialization formulas of chapter 11 assume inputs of mean 0 and variance 1.

- :func:`load_digits`: scikit-learn's bundled 8x8 digits, split and standardized
  with training statistics only. Offline.
- :func:`make_spirals`: two interleaved spirals, a small non-linear problem that a
  deep stack must bend space to solve. Offline.
- :func:`make_teacher`: Gaussian inputs labelled by a fixed random network. Offline.
- :func:`load_fashion_mnist`: the real Fashion-MNIST, downloaded once, checked
  against published SHA-256 checksums, cached, parsed from IDX files.

Only NumPy and the standard library are imported here; scikit-learn is imported
inside :func:`load_digits`.
"""

from __future__ import annotations

import contextlib
import glob
import gzip
import hashlib
import http.client
import itertools
import numbers
import os
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import _checks
from .initializers import as_generator, check_memory

try:  # POSIX: a download holds an advisory lock on its temporary file
    import fcntl
except ImportError:  # Windows: an open file cannot be deleted, which protects it instead
    fcntl = None

__all__ = [
    "DOWNLOAD_DEADLINE",
    "FASHION_MNIST_CLASSES",
    "FASHION_MNIST_FILES",
    "FASHION_MNIST_MIRRORS",
    "FASHION_MNIST_SHA256",
    "FASHION_MNIST_SIZES",
    "DatasetUnavailableError",
    "Splits",
    "data_home",
    "fetch_fashion_mnist",
    "load_digits",
    "load_fashion_mnist",
    "make_spirals",
    "make_teacher",
    "read_idx",
]


# --------------------------------------------------------------------------- helpers


def _stratified_take(y: np.ndarray, n_take: int, rng: np.random.Generator):
    """Indices of n_take rows drawn class by class in proportion, and of the rest.

    Each class k with c_k rows gives floor(n_take * c_k / n) rows; the few rows still
    missing go to the classes with the largest remainders (Hamilton's method), so
    the total is exactly n_take and every class is within one row of its share.
    Integer arithmetic keeps this exact.
    """
    n = y.size
    _, class_of, counts = np.unique(y, return_inverse=True, return_counts=True)
    take, remainder = np.divmod(n_take * counts, n)
    missing = n_take - int(take.sum())
    take[np.argsort(-remainder, kind="stable")[:missing]] += 1
    taken, rest = [], []
    for k, t in enumerate(take):
        members = rng.permutation(np.flatnonzero(class_of == k))
        taken.append(members[:t])
        rest.append(members[t:])
    # Shuffle so that minibatches cut from consecutive rows mix the classes.
    return rng.permutation(np.concatenate(taken)), rng.permutation(np.concatenate(rest))


# --------------------------------------------------------------------------- Splits


@dataclass(frozen=True, eq=False)
class Splits:
    """Train, validation and test arrays of one data set, standardized with training stats.

    ``X_*`` are 2-D float arrays (samples x features), ``y_*`` 1-D int64 labels in
    ``range(n_classes)``. ``mean`` and ``scale`` are the per-feature training
    statistics that were applied to all three splits: ``X = (raw - mean) / scale``,
    so new raw data can be transformed the same way.

    >>> import numpy as np
    >>> X = np.zeros((2, 3), np.float32)
    >>> y = np.array([0, 1])
    >>> s = Splits(X, y, X[:0], y[:0], X[:1], y[:1], class_names=("no", "yes"),
    ...            mean=np.zeros(3), scale=np.ones(3), name="toy")
    >>> s
    Splits('toy', n_features=3, n_classes=2, train=2, val=0, test=1, dtype=float32)
    >>> s.n_classes, s.n_features
    (2, 3)

    Each split is also an ``(X, y)`` pair, and the whole unpacks into the three
    pairs, as Keras's ``load_data()`` unpacks into two:

    >>> X, y = s.train
    >>> (X_train, y_train), (X_val, y_val), (X_test, y_test) = s
    >>> X_test.shape, y_test.tolist()
    ((1, 3), [0])
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    name: str = ""

    def __post_init__(self):
        n_features = self.X_train.shape[1] if self.X_train.ndim == 2 else None
        for part in ("train", "val", "test"):
            X, y = getattr(self, f"X_{part}"), getattr(self, f"y_{part}")
            if X.ndim != 2 or X.shape[1] != n_features:
                raise ValueError(
                    f"X_{part} must be 2-D with {n_features} columns like X_train, got {X.shape}"
                )
            if y.ndim != 1 or y.shape[0] != X.shape[0]:
                raise ValueError(f"y_{part} must be 1-D with {X.shape[0]} labels, got {y.shape}")
            if y.size and (y.min() < 0 or y.max() >= len(self.class_names)):
                raise ValueError(f"y_{part} has labels outside range({len(self.class_names)})")
        for stat in ("mean", "scale"):
            if np.shape(getattr(self, stat)) != (n_features,):
                raise ValueError(f"{stat} must have shape ({n_features},)")

    @property
    def train(self) -> tuple[np.ndarray, np.ndarray]:
        """``(X_train, y_train)``."""
        return self.X_train, self.y_train

    @property
    def val(self) -> tuple[np.ndarray, np.ndarray]:
        """``(X_val, y_val)``."""
        return self.X_val, self.y_val

    @property
    def test(self) -> tuple[np.ndarray, np.ndarray]:
        """``(X_test, y_test)``."""
        return self.X_test, self.y_test

    def __iter__(self):
        """The three ``(X, y)`` pairs: train, validation, test."""
        return iter((self.train, self.val, self.test))

    @property
    def n_classes(self) -> int:
        """Number of classes (labels are 0 .. n_classes - 1)."""
        return len(self.class_names)

    @property
    def n_features(self) -> int:
        """Number of input features (columns of X)."""
        return self.X_train.shape[1]

    def __repr__(self) -> str:
        return (
            f"Splits({self.name!r}, n_features={self.n_features}, n_classes={self.n_classes}, "
            f"train={len(self.y_train)}, val={len(self.y_val)}, test={len(self.y_test)}, "
            f"dtype={self.X_train.dtype})"
        )

    def summary(self) -> str:
        """A small table: rows per split and per class.

        >>> import numpy as np
        >>> X = np.zeros((3, 1))
        >>> y = np.array([0, 1, 1])
        >>> s = Splits(X, y, X, y, X, y, ("a", "b"), np.zeros(1), np.ones(1), "toy")
        >>> print(s.summary())
        toy: 1 features, 2 classes, float64
        class    train    val   test
        a            1      1      1
        b            2      2      2
        total        3      3      3
        """
        parts = (self.y_train, self.y_val, self.y_test)
        counts = [np.bincount(y, minlength=self.n_classes) for y in parts]
        width = max(5, *(len(c) for c in self.class_names))
        lines = [
            f"{self.name}: {self.n_features} features, {self.n_classes} classes, "
            f"{self.X_train.dtype}",
            f"{'class':<{width}} {'train':>7} {'val':>6} {'test':>6}",
        ]
        for k, cls in enumerate(self.class_names):
            lines.append(f"{cls:<{width}} {counts[0][k]:>7} {counts[1][k]:>6} {counts[2][k]:>6}")
        lines.append(f"{'total':<{width}} {parts[0].size:>7} {parts[1].size:>6} {parts[2].size:>6}")
        return "\n".join(lines)


def _split_sizes(n: int, val_size, test_size) -> tuple[int, int]:
    val_size = _checks.real(val_size, "val_size", at_least=0, below=1)
    test_size = _checks.real(test_size, "test_size", at_least=0, below=1)
    if val_size + test_size >= 1:
        raise ValueError(
            f"val_size + test_size must be < 1 to leave training rows, "
            f"got {val_size} + {test_size} = {val_size + test_size}"
        )
    n_val, n_test = round(val_size * n), round(test_size * n)
    if n - n_val - n_test < 2:
        raise ValueError(
            f"val_size={val_size} and test_size={test_size} leave fewer than 2 of the "
            f"{n} rows for training"
        )
    return n_val, n_test


# --------------------------------------------------------------------------- digits


def load_digits(*, val_size=0.15, test_size=0.2, seed=0, dtype=np.float32) -> Splits:
    """scikit-learn's 8x8 handwritten digits (1797 images, 64 pixels, 10 classes), split.

    The split is stratified (each class keeps its share in every split, within one
    row) and seeded: the same ``seed`` gives identical arrays. ``val_size`` and
    ``test_size`` are fractions of all 1797 rows, rounded to whole rows.

    Every pixel is standardized with the mean and standard deviation of the
    *training* rows only, so nothing about the validation and test rows leaks into
    the preprocessing. A pixel that is constant in the training rows (the corners
    are always 0) is centred and divided by 1, not by 0.

    Needs scikit-learn, which ships the data (no download): ``pip install initact[book]``.

    >>> d = load_digits(seed=0)
    >>> d
    Splits('digits', n_features=64, n_classes=10, train=1168, val=270, test=359, dtype=float32)
    >>> d.y_train.dtype
    dtype('int64')
    """
    dtype = _checks.float_dtype(dtype)
    n_val, n_test = _split_sizes(1797, val_size, test_size)
    rng = as_generator(seed, name="seed")
    try:
        from sklearn.datasets import load_digits as sklearn_load_digits
    except ImportError as err:
        raise ImportError(
            "load_digits needs scikit-learn, which ships the digits data set; install the "
            "book extra with `pip install initact[book]` (or `pip install scikit-learn`)"
        ) from err
    X, y = sklearn_load_digits(return_X_y=True)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.int64)

    test_idx, rest = _stratified_take(y, n_test, rng)
    val_local, train_local = _stratified_take(y[rest], n_val, rng)
    train_idx, val_idx = rest[train_local], rest[val_local]

    X_train = X[train_idx]
    mean = X_train.mean(axis=0)
    # A column is constant exactly when max == min; its std would be 0 (or round-off).
    constant = X_train.max(axis=0) == X_train.min(axis=0)
    scale = np.where(constant, 1.0, X_train.std(axis=0))

    def prepare(idx):
        return ((X[idx] - mean) / scale).astype(dtype), y[idx]

    return Splits(
        *prepare(train_idx),
        *prepare(val_idx),
        *prepare(test_idx),
        class_names=tuple(str(k) for k in range(10)),
        mean=mean,
        scale=scale,
        name="digits",
    )


# --------------------------------------------------------------------------- spirals


def make_spirals(n_samples=1000, *, noise=0.1, turns=1.5, rng=None, dtype=np.float32):
    """Two interleaved spirals: ``(X, y)`` with X of shape (n_samples, 2), y in {0, 1}.

    Each arm winds ``turns`` times around the origin; class 1 is class 0 rotated by
    180 degrees. Points are spread evenly over the area the arms sweep (radius grows
    like sqrt of a uniform draw), the outer radius is 2 so each coordinate has
    variance close to 1 (the standardized inputs the init formulas assume), and
    Gaussian noise of standard deviation ``noise`` is added to each coordinate.
    Neighbouring arms are ``2 / (2 * turns)`` apart (0.67 with the defaults), so the
    default noise blurs the arms without merging them: a small MLP with a good
    initialization separates them, a badly initialized deep one does not.

    The classes are balanced: ``n_samples - n_samples // 2`` rows of class 0 and
    ``n_samples // 2`` of class 1, in shuffled order. ``rng`` is None, an int seed
    or a ``numpy.random.Generator``.

    >>> X, y = make_spirals(6, rng=0)
    >>> X.shape, X.dtype, y.tolist().count(1)
    ((6, 2), dtype('float32'), 3)
    """
    n_samples = _checks.integer(n_samples, "n_samples", at_least=2)
    noise = _checks.real(noise, "noise", at_least=0)
    turns = _checks.real(turns, "turns", above=0)
    dtype = _checks.float_dtype(dtype)
    # About six float64 values per point are alive at once (radius, angle, X, noise).
    check_memory(6 * 8 * n_samples, "n_samples", n_samples, "the points")
    rng = as_generator(rng)

    y = np.zeros(n_samples, dtype=np.int64)
    y[n_samples - n_samples // 2 :] = 1
    radius = np.sqrt(rng.uniform(size=n_samples))  # uniform over the swept area
    angle = 2 * np.pi * turns * radius + np.pi * y
    X = 2.0 * radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    X += noise * rng.standard_normal(X.shape)
    order = rng.permutation(n_samples)
    return X[order].astype(dtype), y[order]


# --------------------------------------------------------------------------- teacher


def make_teacher(
    n_samples, n_features=20, n_classes=2, *, hidden=(32,), rng=None, dtype=np.float32
):
    """Inputs ~ N(0, I) labelled by a fixed random "teacher" network: ``(X, y)``.

    What it is for: a task where the inputs have exactly the statistics that the
    variance arguments of chapter 11 assume (independent, mean 0, variance 1) and
    the labels are a known deterministic function of them, so a student network as
    large as the teacher *can* reach zero training error. Differences between
    initializations or activations then show up as differences in how fast and
    how far training gets, not as differences in what is learnable.

    The teacher is a tanh MLP with layer widths ``hidden`` (``()`` gives a linear
    teacher), weights ~ N(0, 1/fan_in), hidden biases ~ N(0, 0.5^2), and
    ``n_classes`` output logits; the label is the argmax. Its output biases are
    calibrated on 20,000 extra inputs so that each class covers 1/n_classes of
    them (within 0.1% in practice), hence the classes are balanced up to sampling
    noise. ``rng`` is None, an int seed or a ``numpy.random.Generator``;
    the teacher is drawn from it before the inputs, so the same seed gives the same
    teacher whatever ``n_samples``, and a larger draw starts with the smaller one.

    >>> X, y = make_teacher(200, n_features=5, rng=0)
    >>> X.shape, sorted(set(y.tolist()))
    ((200, 5), [0, 1])
    """
    n_samples = _checks.integer(n_samples, "n_samples")
    n_features = _checks.integer(n_features, "n_features")
    n_classes = _checks.integer(n_classes, "n_classes", at_least=2)
    if isinstance(hidden, numbers.Integral) and not isinstance(hidden, bool):
        hidden = (hidden,)
    if not isinstance(hidden, Sequence) or isinstance(hidden, str):
        raise TypeError(f"hidden must be an int or a sequence of ints, got {hidden!r}")
    hidden = tuple(_checks.integer(h, "hidden width") for h in hidden)
    dtype = _checks.float_dtype(dtype)
    # Refuse sizes no machine holds before drawing: the teacher's weights, its 20,000
    # calibration inputs and the data, each float64 with one activation per layer.
    widest = max(n_features, *hidden, n_classes)
    weights = sum(a * b for a, b in itertools.pairwise((n_features, *hidden, n_classes)))
    sizes = f"n_features={n_features}, hidden={hidden}, n_classes={n_classes}"
    check_memory(8 * (weights + 2 * 20_000 * widest), "teacher", sizes, "the teacher")
    check_memory(8 * 2 * n_samples * widest, "n_samples", n_samples, "the inputs")
    rng = as_generator(rng)

    widths = (n_features, *hidden)
    hidden_layers = [
        (
            rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_in),
            0.5 * rng.standard_normal(fan_out),
        )
        for fan_in, fan_out in itertools.pairwise(widths)
    ]
    W_out = rng.standard_normal((widths[-1], n_classes)) / np.sqrt(widths[-1])

    def logits(X):
        for W, b in hidden_layers:
            X = np.tanh(X @ W + b)
        return X @ W_out

    # Calibrate the output biases so that argmax splits 20,000 calibration inputs
    # evenly. The imbalance (share - 1/K) is the subgradient of the convex function
    # mean_i max_k(logit_ik + b_k) - mean_k b_k, so subgradient descent with steps
    # shrinking like 1/sqrt(t) drives it to zero; stop at a 0.1% imbalance, far
    # below the sampling noise of any data set drawn afterwards.
    calibration = logits(rng.standard_normal((20_000, n_features)))
    step = n_classes * calibration.std()
    bias, best_bias, best_gap = np.zeros(n_classes), np.zeros(n_classes), np.inf
    for t in range(300):
        share = np.bincount(np.argmax(calibration + bias, axis=1), minlength=n_classes)
        share = share / len(calibration)
        gap = np.abs(share - 1 / n_classes).max()
        if gap < best_gap:
            best_bias, best_gap = bias.copy(), gap
        if gap <= 1e-3:
            break
        bias -= step * (share - 1 / n_classes) / np.sqrt(t + 1)

    X = rng.standard_normal((n_samples, n_features))
    y = np.argmax(logits(X) + best_bias, axis=1).astype(np.int64)
    return X.astype(dtype), y


# --------------------------------------------------------------------------- IDX files

# IDX type codes (third byte of the magic number) and their big-endian element types.
_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path) -> np.ndarray:
    """Read an IDX file (the MNIST format), gzipped or not, with a strict header check.

    The header is two zero bytes, a type code (0x08 = uint8, 0x09 int8, 0x0B int16,
    0x0C int32, 0x0D float32, 0x0E float64), the number of dimensions, then one
    big-endian uint32 per dimension; the data follow, big-endian. A file whose
    magic number is wrong, whose type code is unknown, or whose size does not match
    its dimensions exactly raises ``ValueError`` naming the file.

    >>> import gzip, os, struct, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "tiny-idx1-ubyte.gz")
    >>> with gzip.open(path, "wb") as f:
    ...     _ = f.write(struct.pack(">HBBI", 0, 0x08, 1, 3) + bytes([7, 8, 9]))
    >>> read_idx(path)
    array([7, 8, 9], dtype=uint8)
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or a path to an IDX file, got {path!r}")
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"path must be an IDX file, got the folder {path}")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":  # the gzip magic number
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as err:
            raise ValueError(f"path {path} is not a valid gzip file: {err}") from err
    if len(raw) < 4:
        raise ValueError(f"path {path} is too short to be an IDX file ({len(raw)} bytes)")
    magic = int.from_bytes(raw[:4], "big")
    zero, type_code, ndim = raw[0:2], raw[2], raw[3]
    if zero != b"\x00\x00" or type_code not in _IDX_TYPES or ndim == 0:
        raise ValueError(
            f"path {path} has magic number 0x{magic:08x}, which is not an IDX header "
            "(expected 0x0000TTNN with a known type code TT and NN >= 1 dimensions)"
        )
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"path {path} is truncated inside its header")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_IDX_TYPES[type_code])
    expected = dtype.itemsize * int(np.prod(shape, dtype=object))
    if len(raw) - header != expected:
        problem = "truncated" if len(raw) - header < expected else "longer than its header says"
        raise ValueError(
            f"path {path} is {problem}: its header declares shape {shape} of {dtype.name} "
            f"({expected} data bytes) but it holds {len(raw) - header} data bytes"
        )
    data = np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)
    return data.astype(dtype.newbyteorder("="))  # a native-order, writable copy


# --------------------------------------------------------------------------- Fashion-MNIST


class DatasetUnavailableError(RuntimeError):
    """A data file is neither in the cache nor downloadable (offline, mirror down, ...).

    The message says which file, from where, why, and how to place it by hand.

    >>> import tempfile
    >>> try:
    ...     fetch_fashion_mnist(tempfile.mkdtemp(), download=False)
    ... except DatasetUnavailableError as error:
    ...     print(str(error)[:60])
    Fashion-MNIST file train-images-idx3-ubyte.gz is not in /tmp
    """


FASHION_MNIST_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)

# Published SHA-256 of the four gzipped files: tensorflow_datasets'
# url_checksums/fashion_mnist.txt and Keras' keras/src/datasets/fashion_mnist.py
# list the same values. (Zalando's README publishes MD5s only.)
FASHION_MNIST_SHA256 = {
    "train-images-idx3-ubyte.gz": (
        "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"
    ),
    "train-labels-idx1-ubyte.gz": (
        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"
    ),
    "t10k-images-idx3-ubyte.gz": (
        "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"
    ),
    "t10k-labels-idx1-ubyte.gz": (
        "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"
    ),
}

# Tried in order. Keras' copy (https), Zalando's own bucket listed in its README,
# and the copy inside Zalando's repository (data/fashion). The checksums above
# protect against a mirror serving anything else.
FASHION_MNIST_MIRRORS = (
    "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
)

FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)


def data_home() -> Path:
    """Root folder of initact's downloaded data.

    ``$INITACT_DATA`` if set, else ``$XDG_CACHE_HOME/initact`` (when that is an
    absolute path, as the XDG spec requires), else ``~/.cache/initact``.

    >>> data_home().name in ("initact", os.environ.get("INITACT_DATA", "initact"))
    True
    """
    if os.environ.get("INITACT_DATA"):
        return Path(os.environ["INITACT_DATA"]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "initact"


# Sizes in bytes of the four gzipped files, as served by every mirror above (the
# Keras and torchvision download logs report the same numbers). A download that
# sends more than this, or announces more in its Content-Length, is stopped.
FASHION_MNIST_SIZES = {
    "train-images-idx3-ubyte.gz": 26_421_880,
    "train-labels-idx1-ubyte.gz": 29_515,
    "t10k-images-idx3-ubyte.gz": 4_422_102,
    "t10k-labels-idx1-ubyte.gz": 5_148,
}

# Default overall time limit, in seconds, for getting one file (all mirrors
# included): 26 MB in 5 minutes needs about 90 kB/s.
DOWNLOAD_DEADLINE = 300.0

_CHUNK = 1 << 16
_LONGEST_WAIT = 86_400.0  # one day: the largest timeout or deadline accepted


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _remove_leftovers(folder: Path, name: str) -> None:
    """Delete ``name*.part`` files that no running download owns (a hard kill's leftovers).

    A download holds an exclusive ``flock`` on its temporary file until it has been
    renamed; the kernel releases it when the process dies, even by SIGKILL. So a
    ``.part`` file whose lock can be taken is garbage. Without ``fcntl`` (Windows),
    deleting a file that another process has open fails, which protects it.
    """
    for path in folder.glob(glob.escape(name) + "*.part"):
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:  # gone meanwhile (renamed or removed by its owner)
            continue
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:  # locked: a live download is writing it
                    continue
            else:
                os.close(fd)
                fd = -1
            with contextlib.suppress(OSError):
                path.unlink()
        finally:
            if fd >= 0:
                os.close(fd)


def _open_url(url: str, timeout: float, deadline_at: float, deadline: float):
    """``urlopen(url)``, given up when the deadline passes even if DNS or headers crawl.

    The socket timeout of ``urlopen`` bounds each blocking call, not their sum (a
    server sending its headers a byte at a time never trips it), and the DNS lookup
    ignores it. So the connection is opened in a helper thread and awaited at most
    until ``deadline_at``; a late connection is closed by that thread when it
    finally returns, which its own socket timeout bounds.
    """
    box: dict = {}
    done = threading.Event()
    lock = threading.Lock()

    def connect():
        try:
            response = urllib.request.urlopen(url, timeout=timeout)
        except BaseException as err:  # handed over to the waiting thread
            box["error"] = err
        else:
            with lock:
                abandoned = box.get("abandoned", False)
                if not abandoned:
                    box["response"] = response
            if abandoned:
                response.close()
        finally:
            done.set()

    threading.Thread(target=connect, name=f"initact-open {url}", daemon=True).start()
    taken = False
    try:
        done.wait(max(0.0, deadline_at - time.monotonic()))
        with lock:
            if "response" in box:
                taken = True
                return box["response"]
            if "error" not in box:
                box["abandoned"] = True
                raise TimeoutError(
                    f"no response from {url} within the download deadline of {deadline:g} s"
                )
        raise box["error"]
    finally:
        if not taken:
            with lock:
                box["abandoned"] = True
                response = box.pop("response", None)
            if response is not None:
                response.close()


def _set_read_timeout(response, seconds: float) -> None:
    """Bound the next socket read of an HTTP(S) response by ``seconds``, if reachable."""
    sock = getattr(getattr(getattr(response, "fp", None), "raw", None), "_sock", None)
    if sock is not None and hasattr(sock, "settimeout"):
        sock.settimeout(max(seconds, 1e-3))


def _content_length(response) -> int | None:
    headers = getattr(response, "headers", None)
    value = headers.get("Content-Length") if headers is not None else None
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _download(
    url: str,
    dest: Path,
    expected_sha256: str,
    max_bytes: int,
    *,
    timeout: float,
    deadline_at: float,
    deadline: float,
) -> None:
    """Stream url into dest, atomically, only if its SHA-256 matches.

    Raises ``TimeoutError`` when ``time.monotonic()`` passes ``deadline_at`` (each
    socket wait is also at most ``timeout``), ``ValueError`` when the server sends
    or announces more than ``max_bytes`` or the checksum differs. The bytes go to a
    locked ``dest.name.XXXX.part`` file in the same folder, renamed onto ``dest``
    only after the checksum matched; on any error or interrupt (KeyboardInterrupt
    included) it is removed and the exception propagates.
    """

    def late() -> TimeoutError:
        return TimeoutError(
            f"{url} did not arrive within the download deadline of {deadline:g} s "
            f"({received} of at most {max_bytes} bytes received); pass a larger "
            "deadline=... on a slow connection"
        )

    def wait() -> float:
        """How long the next network wait may last; raise once the deadline has passed."""
        nonlocal deadline_bound
        left = deadline_at - time.monotonic()
        if left <= 0:
            raise late()
        deadline_bound = left < timeout
        return min(timeout, left)

    received = 0
    deadline_bound = False
    wait()
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=dest.name + ".", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            if fcntl is not None:
                fcntl.flock(out.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            digest = hashlib.sha256()
            try:
                with _open_url(url, wait(), deadline_at, deadline) as response:
                    announced = _content_length(response)
                    if announced is not None and announced > max_bytes:
                        raise ValueError(
                            f"{url} announces {announced} bytes (Content-Length), more than "
                            f"the {max_bytes} bytes of {dest.name}"
                        )
                    read = getattr(response, "read1", None) or response.read
                    while True:
                        _set_read_timeout(response, wait())
                        chunk = read(_CHUNK)
                        if not chunk:
                            break
                        received += len(chunk)
                        if received > max_bytes:
                            raise ValueError(
                                f"{url} sent more than the {max_bytes} bytes of {dest.name} "
                                f"(stopped after {received} bytes)"
                            )
                        wait()
                        digest.update(chunk)
                        out.write(chunk)
            except TimeoutError as err:
                if deadline_bound or time.monotonic() >= deadline_at:
                    raise late() from err
                raise TimeoutError(
                    f"{url} sent nothing for {timeout:g} s (the timeout for each network "
                    f"wait) after {received} bytes"
                ) from err
            if digest.hexdigest() != expected_sha256:
                raise ValueError(
                    f"checksum mismatch for {url}: got SHA-256 {digest.hexdigest()}, "
                    f"expected {expected_sha256}"
                )
            out.flush()
            if fcntl is None:
                out.close()  # Windows cannot rename an open file
            # Renamed while still locked, so no other process takes it for a leftover.
            os.replace(tmp, dest)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _mirror_list(base_url) -> tuple[str, ...]:
    if base_url is None:
        base_url = FASHION_MNIST_MIRRORS
    if isinstance(base_url, str):
        base_url = (base_url,)
    if not isinstance(base_url, Sequence) or not base_url:
        raise TypeError(
            f"base_url must be None, a URL string or a sequence of them, got {base_url!r}"
        )
    for url in base_url:
        scheme = urllib.parse.urlsplit(url).scheme if isinstance(url, str) else None
        if scheme not in ("http", "https", "file", "ftp"):
            raise ValueError(
                f"base_url entries must be http(s)://, ftp:// or file:// URLs, got {url!r}"
            )
    return tuple(url.rstrip("/") + "/" for url in base_url)


def fetch_fashion_mnist(
    cache_dir=None, *, download=True, base_url=None, timeout=60.0, deadline=DOWNLOAD_DEADLINE
):
    """Make sure the four Fashion-MNIST files are cached and intact; return their paths.

    The files live in ``cache_dir`` if given (a folder holding the four ``.gz``
    files directly), else in ``data_home() / "fashion-mnist"``. A missing file is
    downloaded (when ``download`` is true) from ``base_url`` or, by default, each of
    ``FASHION_MNIST_MIRRORS`` in turn, and kept only if its SHA-256 matches
    ``FASHION_MNIST_SHA256``. Every file, cached or fresh, is checked.

    Downloads are bounded:

    - ``deadline`` (seconds, default ``DOWNLOAD_DEADLINE`` = 300) is the overall time
      allowed for one file, all mirrors and the connection included; when it
      passes, the transfer stops, whatever the server's pace.
    - ``timeout`` (seconds, default 60) bounds each wait for the network, so a
      stalled mirror is left for the next one well before the deadline.
    - A server that sends more bytes than the file's known size
      (``FASHION_MNIST_SIZES``), or announces more in its Content-Length, is cut off.

    Bytes are written to a temporary ``<file>.XXXX.part`` next to the file and
    renamed onto it only after the checksum matched. After an error or an
    interrupt (Ctrl-C included) no partial file remains, and a ``.part`` left by a
    killed process is deleted by the next call.

    Raises ``DatasetUnavailableError`` when a file is missing and cannot be
    downloaded (the message says which file, from where, why, and how to place it
    by hand) and ``ValueError`` when a cached file fails its checksum.

    Example (it downloads on first use, so it is not run as a doctest)::

        paths = fetch_fashion_mnist()
        sorted(paths)  # ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', ...]

    Offline, with ``download=False``, a missing file is an error that says what to do:

    >>> import tempfile
    >>> fetch_fashion_mnist(tempfile.mkdtemp(), download=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    initact.data.DatasetUnavailableError: Fashion-MNIST file ... is not in ... and download=False...
    """
    if cache_dir is not None and not isinstance(cache_dir, (str, os.PathLike)):
        raise TypeError(
            f"cache_dir must be None, a str or a path, got {cache_dir!r} "
            f"({type(cache_dir).__name__})"
        )
    if not isinstance(download, (bool, np.bool_)):
        raise TypeError(
            f"download must be True or False, got {download!r} ({type(download).__name__})"
        )
    mirrors = _mirror_list(base_url)
    timeout = _checks.real(timeout, "timeout", above=0, at_most=_LONGEST_WAIT)
    deadline = _checks.real(deadline, "deadline", above=0, at_most=_LONGEST_WAIT)
    folder = (
        Path(cache_dir).expanduser() if cache_dir is not None else data_home() / "fashion-mnist"
    )
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"cache_dir must be a folder (or not exist yet), got the file {folder}")
    paths = {}
    for name in FASHION_MNIST_FILES:
        expected = FASHION_MNIST_SHA256[name]
        path = folder / name
        if folder.is_dir():
            _remove_leftovers(folder, name)
        if not path.exists():
            if not download:
                raise DatasetUnavailableError(
                    f"Fashion-MNIST file {name} is not in {folder} and download=False. "
                    + _manual_help(folder, mirrors)
                )
            folder.mkdir(parents=True, exist_ok=True)
            deadline_at = time.monotonic() + deadline
            failures = []
            for mirror in mirrors:
                if time.monotonic() >= deadline_at:
                    failures.append(
                        f"  {mirror + name}: not tried, the download deadline of "
                        f"{deadline:g} s had passed"
                    )
                    continue
                try:
                    _download(
                        mirror + name,
                        path,
                        expected,
                        FASHION_MNIST_SIZES[name],
                        timeout=timeout,
                        deadline_at=deadline_at,
                        deadline=deadline,
                    )
                    break
                except (OSError, http.client.HTTPException, ValueError) as err:
                    failures.append(f"  {mirror + name}: {err}")
            else:
                raise DatasetUnavailableError(
                    f"Fashion-MNIST file {name} is not in {folder} and could not be "
                    "downloaded:\n" + "\n".join(failures) + "\n" + _manual_help(folder, mirrors)
                )
        actual = _sha256(path)
        if actual != expected:
            raise ValueError(
                f"{path} has SHA-256 {actual}, but the published checksum of {name} is "
                f"{expected}: the file is corrupt or not the official one. Delete it and "
                "run again to download it afresh."
            )
        paths[name] = path
    return paths


def _manual_help(folder: Path, mirrors: tuple[str, ...]) -> str:
    return (
        "To install the data by hand, download the four files "
        + ", ".join(FASHION_MNIST_FILES)
        + f" from {mirrors[0]} (or https://github.com/zalandoresearch/fashion-mnist, folder "
        f"data/fashion) and put them, still gzipped, in {folder} "
        "(or pass cache_dir=..., or set the INITACT_DATA environment variable)."
    )


def _read_fashion_pair(images_path: Path, labels_path: Path):
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ValueError(
            f"{images_path} should hold uint8 images of 28x28, got {images.dtype} {images.shape}"
        )
    if labels.dtype != np.uint8 or labels.ndim != 1 or labels.shape[0] != images.shape[0]:
        raise ValueError(
            f"{labels_path} should hold {images.shape[0]} uint8 labels, "
            f"got {labels.dtype} {labels.shape}"
        )
    if labels.size and labels.max() >= len(FASHION_MNIST_CLASSES):
        raise ValueError(f"{labels_path} has labels outside 0..9")
    return images.reshape(len(images), -1), labels.astype(np.int64)


def load_fashion_mnist(
    cache_dir=None,
    *,
    download=True,
    base_url=None,
    timeout=60.0,
    deadline=DOWNLOAD_DEADLINE,
    val_size=1 / 6,
    seed=0,
    dtype=np.float32,
) -> Splits:
    """Fashion-MNIST (70,000 28x28 clothing images, 10 classes) as standardized ``Splits``.

    The files are fetched, verified and cached by :func:`fetch_fashion_mnist` (see it
    for ``cache_dir``, ``download``, ``base_url``, and for ``timeout`` and ``deadline``,
    which bound a download in time). The official test set is the
    test split; a stratified, seeded ``val_size`` fraction of the official training
    set (1/6, i.e. 10,000 images, by default) is the validation split.

    Pixels are flattened to 784 features and standardized with one mean and one
    standard deviation computed over all pixels of the training split (the usual
    convention for images). Per-pixel statistics would divide the nearly-blank
    border pixels by a tiny standard deviation and blow up rare non-zero values.
    ``mean`` and ``scale`` of the result repeat those two numbers per feature.

    Example (it downloads on first use, so it is not run as a doctest)::

        fm = load_fashion_mnist()
        fm  # Splits('fashion-mnist', n_features=784, n_classes=10, train=50000, val=10000, ...)

    Offline, with ``download=False`` and nothing cached, it says what is missing:

    >>> import tempfile
    >>> load_fashion_mnist(tempfile.mkdtemp(), download=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    initact.data.DatasetUnavailableError: Fashion-MNIST file ... is not in ... and download=False...
    """
    dtype = _checks.float_dtype(dtype)
    val_size = _checks.real(val_size, "val_size", at_least=0, below=1)
    rng = as_generator(seed, name="seed")
    paths = fetch_fashion_mnist(
        cache_dir, download=download, base_url=base_url, timeout=timeout, deadline=deadline
    )
    X_full, y_full = _read_fashion_pair(
        paths["train-images-idx3-ubyte.gz"], paths["train-labels-idx1-ubyte.gz"]
    )
    X_test, y_test = _read_fashion_pair(
        paths["t10k-images-idx3-ubyte.gz"], paths["t10k-labels-idx1-ubyte.gz"]
    )
    n_val = round(val_size * len(y_full))
    if len(y_full) - n_val < 2:
        raise ValueError(f"val_size={val_size} leaves fewer than 2 training images")
    val_idx, train_idx = _stratified_take(y_full, n_val, rng)
    X_train = X_full[train_idx]

    # Mean and variance of uint8 pixels from their histogram: exact, and no
    # float64 copy of the whole training set.
    histogram = np.bincount(X_train.ravel(), minlength=256).astype(np.float64)
    values = np.arange(256.0)
    mean = (histogram @ values) / histogram.sum()
    std = np.sqrt((histogram @ (values - mean) ** 2) / histogram.sum())
    scale = std if std > 0 else 1.0

    def prepare(X):
        out = X.astype(dtype)
        out -= dtype.type(mean)
        out /= dtype.type(scale)
        return out

    n_features = X_train.shape[1]
    return Splits(
        prepare(X_train),
        y_full[train_idx],
        prepare(X_full[val_idx]),
        y_full[val_idx],
        prepare(X_test),
        y_test,
        class_names=FASHION_MNIST_CLASSES,
        mean=np.full(n_features, mean),
        scale=np.full(n_features, scale),
        name="fashion-mnist",
    )
