"""Tests for initact.data. Offline only: every URL used here is a local file:// URL or a
server on 127.0.0.1 started (and stopped) by the test itself."""

import contextlib
import gzip
import hashlib
import http.server
import os
import signal
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import numpy as np
import pytest

from initact import data

sklearn_datasets = pytest.importorskip("sklearn.datasets")

N_DIGITS = 1797


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Only file:// and http://127.0.0.1 URLs may be opened; anything else fails loudly."""
    real_urlopen = urllib.request.urlopen

    def guarded(url, *args, **kwargs):
        if not str(url).startswith(("file:", "http://127.0.0.1:")):
            raise AssertionError(f"test tried to reach the network: {url}")
        return real_urlopen(url, *args, **kwargs)

    monkeypatch.setattr(urllib.request, "urlopen", guarded)


# --------------------------------------------------------------------------- digits


@pytest.fixture(scope="module")
def digits():
    return data.load_digits(seed=0)


@pytest.fixture(scope="module")
def raw_digits():
    X, y = sklearn_datasets.load_digits(return_X_y=True)
    return X, y


def recover_raw(splits, part):
    """Undo the standardization; digits pixels are integers, so this must round cleanly."""
    X = getattr(splits, f"X_{part}").astype(np.float64) * splits.scale + splits.mean
    assert np.abs(X - np.round(X)).max() < 1e-3
    return np.round(X)


def sorted_rows(X, y):
    rows = np.column_stack([X, y])
    return rows[np.lexsort(rows.T[::-1])]


def test_digits_shapes_dtypes_and_classes(digits):
    assert digits.n_features == 64
    assert digits.n_classes == 10
    for part in ("train", "val", "test"):
        X, y = getattr(digits, f"X_{part}"), getattr(digits, f"y_{part}")
        assert X.dtype == np.float32 and X.ndim == 2 and X.shape[1] == 64
        assert y.dtype == np.int64 and y.shape == (X.shape[0],)
        assert set(np.unique(y).tolist()) == set(range(10))
        assert np.isfinite(X).all()


def test_digits_split_sizes(digits):
    # Sizes are the fractions of 1797 rounded to whole rows; training gets the rest.
    n_test, n_val = round(0.2 * N_DIGITS), round(0.15 * N_DIGITS)
    assert len(digits.y_test) == n_test == 359
    assert len(digits.y_val) == n_val == 270
    assert len(digits.y_train) == N_DIGITS - n_test - n_val


def test_digits_stratified(digits, raw_digits):
    counts = np.bincount(raw_digits[1], minlength=10)
    for part in ("train", "val", "test"):
        y = getattr(digits, f"y_{part}")
        expected = len(y) * counts / N_DIGITS
        # Test is drawn first (within 1 row of its share), val from the rest, so each
        # class is within 2 rows of its proportional share in every split.
        assert np.abs(np.bincount(y, minlength=10) - expected).max() < 2


def test_digits_splits_partition_the_data_set(digits, raw_digits):
    # Put the three splits back together: they must be exactly the original rows,
    # each used once (a multiset comparison, so duplicate images are handled).
    parts = ("train", "val", "test")
    X = np.concatenate([recover_raw(digits, p) for p in parts])
    y = np.concatenate([getattr(digits, f"y_{p}") for p in parts])
    np.testing.assert_array_equal(sorted_rows(X, y), sorted_rows(*raw_digits))


def test_digits_training_features_are_standardized(digits, raw_digits):
    X = digits.X_train.astype(np.float64)
    raw_train = recover_raw(digits, "train")
    constant = raw_train.max(axis=0) == raw_train.min(axis=0)
    assert constant.any()  # the corner pixels are always 0: the std-0 case is exercised
    # float32 storage: relative error ~6e-8 per value, so 1e-5 is a generous tolerance.
    np.testing.assert_allclose(X[:, ~constant].mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(X[:, ~constant].std(axis=0), 1.0, atol=1e-5)
    assert np.all(X[:, constant] == 0.0)
    np.testing.assert_array_equal(digits.scale[constant], 1.0)


def test_digits_val_and_test_use_training_statistics(digits):
    raw_train = recover_raw(digits, "train")
    mean = raw_train.mean(axis=0)
    std = raw_train.std(axis=0)
    scale = np.where(std > 0, std, 1.0)
    np.testing.assert_allclose(digits.mean, mean, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(digits.scale, scale, rtol=1e-12)
    for part in ("val", "test"):
        expected = (recover_raw(digits, part) - mean) / scale
        np.testing.assert_allclose(getattr(digits, f"X_{part}"), expected, atol=1e-5)
        # Re-standardizing with their own statistics would make these column means 0.
        assert np.abs(getattr(digits, f"X_{part}").mean(axis=0)).max() > 0.05


def test_digits_deterministic_with_seed(digits):
    again = data.load_digits(seed=0)
    other = data.load_digits(seed=1)
    for name in ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test"):
        np.testing.assert_array_equal(getattr(again, name), getattr(digits, name))
    assert not np.array_equal(other.y_train, digits.y_train)
    assert not np.array_equal(other.mean, digits.mean)


def test_digits_dtype_and_custom_sizes():
    d = data.load_digits(val_size=0.0, test_size=0.5, seed=3, dtype=np.float64)
    assert d.X_train.dtype == np.float64
    assert len(d.y_val) == 0 and d.X_val.shape == (0, 64)
    assert len(d.y_test) == round(0.5 * N_DIGITS)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"val_size": 0.5, "test_size": 0.5}, ValueError, "val_size + test_size"),
        ({"val_size": 0.7, "test_size": 0.4}, ValueError, "val_size + test_size"),
        ({"val_size": -0.1}, ValueError, "val_size"),
        ({"test_size": 1.0}, ValueError, "test_size"),
        ({"test_size": float("nan")}, ValueError, "test_size"),
        ({"val_size": "0.1"}, TypeError, "val_size"),
        ({"seed": -1}, ValueError, "seed"),
        ({"seed": 1.5}, TypeError, "seed"),
        ({"dtype": np.int32}, TypeError, "dtype"),
        ({"dtype": "not a dtype"}, TypeError, "dtype"),
    ],
)
def test_digits_bad_arguments(kwargs, error, name):
    with pytest.raises(error, match=name.replace("+", r"\+")):
        data.load_digits(**kwargs)


def test_digits_without_sklearn_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)  # makes the import fail
    with pytest.raises(ImportError, match=r"pip install initact\[book\]"):
        data.load_digits()


def test_splits_repr_and_summary(digits):
    assert repr(digits) == (
        "Splits('digits', n_features=64, n_classes=10, train=1168, val=270, test=359, "
        "dtype=float32)"
    )
    lines = digits.summary().splitlines()
    total = lines[-1].split()
    assert total == ["total", "1168", "270", "359"]
    assert len(lines) == 2 + 10 + 1


def test_splits_unpack_into_x_y_pairs(digits):
    X, y = digits.train
    assert X is digits.X_train and y is digits.y_train
    (X_tr, y_tr), (X_va, y_va), (X_te, y_te) = digits
    assert X_tr is digits.X_train and y_tr is digits.y_train
    assert X_va is digits.X_val and y_va is digits.y_val
    assert X_te is digits.X_test and y_te is digits.y_test
    assert [len(y) for _, y in digits] == [1168, 270, 359]
    assert digits.test == (digits.X_test, digits.y_test)


def test_splits_rejects_inconsistent_arrays():
    X, y = np.zeros((4, 3)), np.array([0, 1, 0, 1])
    good = dict(class_names=("a", "b"), mean=np.zeros(3), scale=np.ones(3))
    with pytest.raises(ValueError, match="X_val"):
        data.Splits(X, y, np.zeros((2, 2)), y[:2], X, y, **good)
    with pytest.raises(ValueError, match="y_test"):
        data.Splits(X, y, X, y, X, y[:3], **good)
    with pytest.raises(ValueError, match="y_train"):
        data.Splits(X, y + 5, X, y, X, y, **good)
    with pytest.raises(ValueError, match="mean"):
        data.Splits(X, y, X, y, X, y, ("a", "b"), np.zeros(2), np.ones(3))


# --------------------------------------------------------------------------- spirals


@pytest.mark.parametrize("n", [2, 7, 1000])
def test_spirals_shapes_and_balance(n):
    X, y = data.make_spirals(n, rng=0)
    assert X.shape == (n, 2) and X.dtype == np.float32
    assert y.dtype == np.int64
    assert np.bincount(y, minlength=2).tolist() == [n - n // 2, n // 2]


def test_spirals_deterministic_and_rng_forms():
    X1, y1 = data.make_spirals(300, rng=5)
    X2, y2 = data.make_spirals(300, rng=np.random.default_rng(5))
    X3, _ = data.make_spirals(300, rng=6)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


def test_spirals_without_noise_lie_on_interleaved_arms():
    # Closed form of the arms: radius rho = 2 s, angle = 2 pi turns s + pi y (mod 2 pi),
    # with s in [0, 1]. So angle - pi * turns * rho - pi * y must be a multiple of 2 pi.
    turns = 1.5
    X, y = data.make_spirals(500, noise=0.0, turns=turns, rng=0, dtype=np.float64)
    rho = np.hypot(X[:, 0], X[:, 1])
    assert rho.max() <= 2.0 + 1e-12
    residual = np.arctan2(X[:, 1], X[:, 0]) - np.pi * turns * rho - np.pi * y
    wrapped = np.angle(np.exp(1j * residual))
    np.testing.assert_allclose(wrapped, 0.0, atol=1e-9)


def test_spirals_second_moment_matches_closed_form():
    # |x|^2 = 4 s^2 + noise terms with s^2 ~ U(0, 1), so E|x|^2 = 4 * 1/2 + 2 noise^2.
    n, noise = 20_000, 0.1
    X, _ = data.make_spirals(n, noise=noise, rng=1, dtype=np.float64)
    sq = (X**2).sum(axis=1)
    standard_error = sq.std() / np.sqrt(n)
    assert abs(sq.mean() - (2.0 + 2 * noise**2)) < 4 * standard_error


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"n_samples": -5}, ValueError, "n_samples"),
        ({"n_samples": 1}, ValueError, "n_samples"),
        ({"n_samples": 10.0}, TypeError, "n_samples"),
        ({"noise": -0.1}, ValueError, "noise"),
        ({"turns": 0}, ValueError, "turns"),
        ({"rng": "seed"}, TypeError, "rng"),
        ({"rng": np.random.RandomState(0)}, TypeError, "rng"),
        ({"rng": True}, TypeError, "rng"),
        ({"dtype": np.int64}, TypeError, "dtype"),
    ],
)
def test_spirals_bad_arguments(kwargs, error, name):
    with pytest.raises(error, match=name):
        data.make_spirals(**kwargs)


# --------------------------------------------------------------------------- teacher


def test_teacher_deterministic_and_seed_dependent():
    X1, y1 = data.make_teacher(500, rng=3)
    X2, y2 = data.make_teacher(500, rng=3)
    _, y3 = data.make_teacher(500, rng=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(y1, y3)
    assert X1.shape == (500, 20) and X1.dtype == np.float32 and y1.dtype == np.int64


def test_teacher_is_a_fixed_function_of_the_inputs():
    # The teacher is drawn before the inputs, so a larger draw with the same seed
    # starts with the same inputs, and they must get the same labels.
    X_small, y_small = data.make_teacher(100, 8, 3, rng=11)
    X_big, y_big = data.make_teacher(400, 8, 3, rng=11)
    np.testing.assert_array_equal(X_big[:100], X_small)
    np.testing.assert_array_equal(y_big[:100], y_small)


@pytest.mark.parametrize(("n_classes", "hidden"), [(2, (32,)), (4, (16, 16)), (10, ()), (3, 8)])
def test_teacher_classes_balanced(n_classes, hidden):
    n = 4000
    _, y = data.make_teacher(n, 10, n_classes, hidden=hidden, rng=0)
    share = np.bincount(y, minlength=n_classes) / n
    p = 1 / n_classes
    # Binomial standard error sqrt(p(1-p)/n) per class; 4 of them, plus the 0.1%
    # calibration tolerance of the teacher's biases.
    assert np.abs(share - p).max() < 4 * np.sqrt(p * (1 - p) / n) + 1e-3


def test_teacher_inputs_are_standard_normal():
    n, d = 5000, 20
    X, _ = data.make_teacher(n, d, rng=2, dtype=np.float64)
    # Mean: standard error 1/sqrt(n). Variance: standard error sqrt(2/n).
    assert np.abs(X.mean(axis=0)).max() < 4 / np.sqrt(n)
    assert np.abs(X.var(axis=0) - 1).max() < 4 * np.sqrt(2 / n)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"n_samples": -1}, ValueError, "n_samples"),
        ({"n_samples": 10, "n_features": 0}, ValueError, "n_features"),
        ({"n_samples": 10, "n_classes": 1}, ValueError, "n_classes"),
        ({"n_samples": 10, "hidden": (0,)}, ValueError, "hidden"),
        ({"n_samples": 10, "hidden": "32"}, TypeError, "hidden"),
        ({"n_samples": 10, "rng": 1.5}, TypeError, "rng"),
    ],
)
def test_teacher_bad_arguments(kwargs, error, name):
    with pytest.raises(error, match=name):
        data.make_teacher(**kwargs)


# --------------------------------------------------------------------------- IDX


def idx_bytes(array, type_code):
    """An IDX file written from the format description, independently of read_idx."""
    big_endian = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
    header = struct.pack(">HBB", 0, type_code, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(big_endian[type_code]).tobytes()


@pytest.mark.parametrize(
    ("array", "type_code"),
    [
        (np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4), 0x08),
        (np.array([-3, 0, 7], dtype=np.int8), 0x09),
        (np.array([[-300, 2], [5, 30000]], dtype=np.int16), 0x0B),
        (np.array([-(2**31), 2**31 - 1], dtype=np.int32), 0x0C),
        (np.array([1.5, -2.25], dtype=np.float32), 0x0D),
        (np.array([[np.pi], [-np.e]], dtype=np.float64), 0x0E),
    ],
)
@pytest.mark.parametrize("compress", [True, False])
def test_read_idx_round_trip(tmp_path, array, type_code, compress):
    payload = idx_bytes(array, type_code)
    path = tmp_path / "x.idx"
    path.write_bytes(gzip.compress(payload) if compress else payload)
    out = data.read_idx(path)
    assert out.dtype == array.dtype and out.dtype.isnative
    np.testing.assert_array_equal(out, array)
    out[...] = 0  # a writable copy


def test_read_idx_rejects_corrupt_files(tmp_path):
    good = idx_bytes(np.arange(12, dtype=np.uint8).reshape(3, 4), 0x08)
    cases = {
        "bad_magic": (b"\x01\x00" + good[2:], "magic number"),
        "bad_type": (good[:2] + b"\x0a" + good[3:], "magic number"),
        "zero_dims": (good[:3] + b"\x00" + good[4:], "magic number"),
        "truncated": (good[:-1], "truncated"),
        "header_cut": (good[:9], "truncated"),
        "too_long": (good + b"\x00", "longer"),
        "tiny": (b"\x00\x00", "too short"),
        "bad_gzip": (gzip.compress(good)[:-10], "gzip"),
    }
    for name, (payload, message) in cases.items():
        path = tmp_path / f"{name}.gz"
        path.write_bytes(payload)
        with pytest.raises(ValueError, match=message) as info:
            data.read_idx(path)
        assert name in str(info.value)  # the message names the file


# --------------------------------------------------------------------------- Fashion-MNIST


def fake_fashion(folder, n_train=60, n_test=20, seed=0):
    """Write four small Fashion-MNIST-format files; return their raw arrays and SHA-256s."""
    rng = np.random.default_rng(seed)
    arrays = {
        "train-images-idx3-ubyte.gz": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte.gz": np.arange(n_train, dtype=np.uint8) % 10,
        "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte.gz": np.arange(n_test, dtype=np.uint8) % 10,
    }
    folder.mkdir(parents=True, exist_ok=True)
    sums = {}
    for name, array in arrays.items():
        blob = gzip.compress(idx_bytes(array, 0x08))
        (folder / name).write_bytes(blob)
        sums[name] = hashlib.sha256(blob).hexdigest()
    return arrays, sums


@pytest.fixture
def fake_source(tmp_path, monkeypatch):
    arrays, sums = fake_fashion(tmp_path / "source")
    monkeypatch.setattr(data, "FASHION_MNIST_SHA256", sums)
    return tmp_path / "source", arrays


def test_fashion_loads_from_cache_dir(fake_source):
    folder, arrays = fake_source
    fm = data.load_fashion_mnist(folder, download=False, seed=0)
    train_images = arrays["train-images-idx3-ubyte.gz"].reshape(60, -1).astype(np.float64)
    test_images = arrays["t10k-images-idx3-ubyte.gz"].reshape(20, -1).astype(np.float64)
    assert fm.n_features == 784 and fm.n_classes == 10
    assert fm.class_names[0] == "T-shirt/top" and fm.class_names[9] == "Ankle boot"
    assert (len(fm.y_train), len(fm.y_val), len(fm.y_test)) == (50, 10, 20)
    assert fm.X_train.dtype == np.float32 and fm.y_train.dtype == np.int64
    # Official test set kept in file order.
    np.testing.assert_array_equal(fm.y_test, arrays["t10k-labels-idx1-ubyte.gz"])
    # One mean and one std over all training pixels, applied to every split.
    raw_train = fm.X_train.astype(np.float64) * fm.scale + fm.mean
    np.testing.assert_allclose(fm.mean, raw_train.mean(), rtol=1e-6)
    np.testing.assert_allclose(fm.scale, raw_train.std(), rtol=1e-6)
    np.testing.assert_allclose(
        fm.X_test, (test_images - raw_train.mean()) / raw_train.std(), atol=1e-4
    )
    # Train and val together are exactly the official training set.
    raw_val = fm.X_val.astype(np.float64) * fm.scale + fm.mean
    together = np.round(np.concatenate([raw_train, raw_val]))
    labels = np.concatenate([fm.y_train, fm.y_val])
    expected = sorted_rows(train_images, arrays["train-labels-idx1-ubyte.gz"])
    np.testing.assert_array_equal(sorted_rows(together, labels), expected)
    # Stratified: 60 labels, 6 per class, so a 1/6 validation split has 1 per class.
    np.testing.assert_array_equal(np.bincount(fm.y_val, minlength=10), 1)


def test_fashion_uses_initact_data_env(fake_source, monkeypatch, tmp_path):
    folder, _ = fake_source
    monkeypatch.setenv("INITACT_DATA", str(tmp_path))
    folder.rename(tmp_path / "fashion-mnist")
    fm = data.load_fashion_mnist(download=False)
    assert len(fm.y_test) == 20


def test_fashion_rejects_checksum_mismatch_in_cache(fake_source):
    folder, _ = fake_source
    path = folder / "train-labels-idx1-ubyte.gz"
    blob = bytearray(path.read_bytes())
    blob[-1] ^= 0xFF
    path.write_bytes(bytes(blob))
    with pytest.raises(ValueError, match="SHA-256") as info:
        data.load_fashion_mnist(folder, download=False)
    assert "train-labels-idx1-ubyte.gz" in str(info.value)


def test_fashion_rejects_inconsistent_files(tmp_path, monkeypatch):
    # Correct checksums, but 5 labels for 60 images.
    _, sums = fake_fashion(tmp_path)
    blob = gzip.compress(idx_bytes(np.zeros(5, np.uint8), 0x08))
    (tmp_path / "train-labels-idx1-ubyte.gz").write_bytes(blob)
    sums["train-labels-idx1-ubyte.gz"] = hashlib.sha256(blob).hexdigest()
    monkeypatch.setattr(data, "FASHION_MNIST_SHA256", sums)
    with pytest.raises(ValueError, match="60 uint8 labels"):
        data.load_fashion_mnist(tmp_path, download=False)


def test_fashion_downloads_from_file_url(fake_source, tmp_path):
    source, _ = fake_source
    cache = tmp_path / "cache" / "fm"
    paths = data.fetch_fashion_mnist(cache, base_url=source.as_uri())
    assert sorted(paths) == sorted(data.FASHION_MNIST_FILES)
    for name, path in paths.items():
        assert path == cache / name
        assert path.read_bytes() == (source / name).read_bytes()
    assert sorted(p.name for p in cache.iterdir()) == sorted(data.FASHION_MNIST_FILES)
    fm = data.load_fashion_mnist(cache, download=False)
    assert len(fm.y_train) == 50


def test_fashion_download_falls_back_to_next_mirror(fake_source, tmp_path):
    source, _ = fake_source
    dead = (tmp_path / "nowhere").as_uri()
    paths = data.fetch_fashion_mnist(tmp_path / "cache", base_url=[dead, source.as_uri()])
    assert all(p.exists() for p in paths.values())


def test_fashion_download_with_wrong_checksum_is_not_kept(fake_source, tmp_path):
    source, _ = fake_source
    (source / "t10k-images-idx3-ubyte.gz").write_bytes(b"something else")
    cache = tmp_path / "cache"
    with pytest.raises(data.DatasetUnavailableError, match="checksum mismatch"):
        data.fetch_fashion_mnist(cache, base_url=source.as_uri())
    assert not (cache / "t10k-images-idx3-ubyte.gz").exists()
    assert not list(cache.glob("*.part"))


def test_fashion_unreachable_file_url(fake_source, tmp_path):
    cache = tmp_path / "cache"
    missing = (tmp_path / "does-not-exist").as_uri()
    with pytest.raises(data.DatasetUnavailableError) as info:
        data.load_fashion_mnist(cache, base_url=missing)
    message = str(info.value)
    assert "train-images-idx3-ubyte.gz" in message  # which file
    assert missing + "/train-images-idx3-ubyte.gz" in message  # from where
    assert str(cache) in message  # where to put it by hand
    assert "INITACT_DATA" in message


def test_fashion_offline_with_default_mirrors(fake_source, tmp_path, monkeypatch):
    def offline(url, *args, **kwargs):
        raise urllib.error.URLError("no network in tests")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(data.DatasetUnavailableError, match="no network in tests") as info:
        data.fetch_fashion_mnist(tmp_path / "cache")
    for mirror in data.FASHION_MNIST_MIRRORS:
        assert mirror in str(info.value)
    assert isinstance(info.value, RuntimeError)


def test_fashion_missing_without_download(tmp_path):
    with pytest.raises(data.DatasetUnavailableError, match="download=False"):
        data.fetch_fashion_mnist(tmp_path, download=False)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"base_url": "not a url"}, ValueError, "base_url"),
        ({"base_url": 3}, TypeError, "base_url"),
        ({"base_url": []}, TypeError, "base_url"),
        ({"timeout": 0}, ValueError, "timeout"),
    ],
)
def test_fetch_bad_arguments(tmp_path, kwargs, error, name):
    with pytest.raises(error, match=name):
        data.fetch_fashion_mnist(tmp_path, **kwargs)


def test_load_fashion_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="val_size"):
        data.load_fashion_mnist(tmp_path, val_size=1.0)
    with pytest.raises(TypeError, match="seed"):
        data.load_fashion_mnist(tmp_path, seed="zero")


def test_data_home(monkeypatch, tmp_path):
    monkeypatch.setenv("INITACT_DATA", str(tmp_path / "d"))
    assert data.data_home() == tmp_path / "d"
    monkeypatch.delenv("INITACT_DATA")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert data.data_home() == tmp_path / "xdg" / "initact"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the XDG spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert data.data_home() == tmp_path / "home" / ".cache" / "initact"


# --------------------------------------------------------------------------- bounded downloads
#
# A small HTTP server on 127.0.0.1, started by each test that needs it and stopped
# when the test ends; its handlers wait on a stop event, so none outlives the test.


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.server.behaviour(self, self.path.rsplit("/", 1)[-1], self.server.stop)

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


@pytest.fixture
def serve():
    """serve(behaviour) -> base URL of a fresh server; behaviour(handler, name, stop)."""
    servers = []

    def start(behaviour):
        server = _Server(("127.0.0.1", 0), _Handler)
        server.behaviour = behaviour
        server.stop = threading.Event()
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/fm/"

    yield start
    for server in servers:
        server.stop.set()
        server.shutdown()
        server.server_close()


def send_head(handler, length=None):
    handler.send_response(200)
    if length is not None:
        handler.send_header("Content-Length", str(length))
    handler.end_headers()


def files_from(folder):
    def behaviour(handler, name, stop):
        path = folder / name
        if not path.exists():
            handler.send_error(404)
            return
        blob = path.read_bytes()
        send_head(handler, len(blob))
        handler.wfile.write(blob)

    return behaviour


def trickle(handler, name, stop):
    """A byte every 50 ms: each read returns quickly, so only a deadline stops it."""
    send_head(handler, 1000)
    while not stop.wait(0.05):
        handler.wfile.write(b"x")
        handler.wfile.flush()


def one_byte_then_silence(handler, name, stop):
    send_head(handler, 1000)
    handler.wfile.write(b"x")
    handler.wfile.flush()
    stop.wait(30)


def stalled_headers(handler, name, stop):
    handler.wfile.write(b"HTTP/1.0 200 OK\r\n")  # the headers never end
    handler.wfile.flush()
    stop.wait(30)


def header_trickle(handler, name, stop):
    """Headers a byte every 50 ms (for at most 3 s): each socket read returns quickly."""
    handler.wfile.write(b"HTTP/1.0 200 OK\r\nX-Slow: ")
    for _ in range(60):
        if stop.wait(0.05):
            return
        handler.wfile.write(b"a")
        handler.wfile.flush()


def late_byte_then_silence(handler, name, stop):
    """Headers at once, a byte after 0.6 s, then nothing."""
    send_head(handler, 1000)
    if not stop.wait(0.6):
        handler.wfile.write(b"x")
        handler.wfile.flush()
        stop.wait(30)


def endless(handler, name, stop):
    send_head(handler)  # no Content-Length, and no end
    block = bytes(1 << 16)
    while not stop.is_set():
        handler.wfile.write(block)


def huge_length(handler, name, stop):
    send_head(handler, 10**12)
    handler.wfile.write(b"x")
    stop.wait(30)


@pytest.fixture
def fake_sized(fake_source, monkeypatch):
    """fake_source, with the size caps set to the sizes of the small fake files."""
    source, _ = fake_source
    sizes = {name: (source / name).stat().st_size for name in data.FASHION_MNIST_FILES}
    monkeypatch.setattr(data, "FASHION_MNIST_SIZES", sizes)
    return source, sizes


def leftovers(folder):
    """Everything in folder that is not one of the four finished files."""
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.iterdir() if p.name not in data.FASHION_MNIST_FILES)


def test_fashion_sizes_table_matches_the_files():
    assert sorted(data.FASHION_MNIST_SIZES) == sorted(data.FASHION_MNIST_FILES)
    assert data.FASHION_MNIST_SIZES["train-images-idx3-ubyte.gz"] == 26_421_880
    assert data.FASHION_MNIST_SIZES["t10k-labels-idx1-ubyte.gz"] == 5_148
    assert 60 <= data.DOWNLOAD_DEADLINE <= 600


def test_http_download_round_trip(fake_sized, tmp_path, serve):
    source, _ = fake_sized
    cache = tmp_path / "cache"
    paths = data.fetch_fashion_mnist(cache, base_url=serve(files_from(source)), deadline=10)
    for name, path in paths.items():
        assert path.read_bytes() == (source / name).read_bytes()
    assert leftovers(cache) == []


def test_http_download_with_wrong_checksum_is_not_kept(fake_sized, tmp_path, serve):
    source, _ = fake_sized
    (source / "t10k-images-idx3-ubyte.gz").write_bytes(b"something else")
    cache = tmp_path / "cache"
    url = serve(files_from(source))
    with pytest.raises(data.DatasetUnavailableError, match="checksum mismatch") as info:
        data.fetch_fashion_mnist(cache, base_url=url, deadline=10)
    assert url + "t10k-images-idx3-ubyte.gz" in str(info.value)
    assert not (cache / "t10k-images-idx3-ubyte.gz").exists()
    assert leftovers(cache) == []


@pytest.mark.parametrize(
    "behaviour", [trickle, one_byte_then_silence, stalled_headers, header_trickle]
)
def test_slow_server_is_cut_off_at_the_deadline(fake_sized, tmp_path, serve, behaviour):
    # timeout=5 bounds each socket wait; the 0.5 s deadline must act long before it.
    cache = tmp_path / "cache"
    url = serve(behaviour)
    start = time.monotonic()
    with pytest.raises(data.DatasetUnavailableError) as info:
        data.fetch_fashion_mnist(cache, base_url=url, timeout=5, deadline=0.5)
    elapsed = time.monotonic() - start
    assert 0.45 < elapsed < 2.0
    message = str(info.value)
    assert url + "train-images-idx3-ubyte.gz" in message
    assert "deadline of 0.5 s" in message
    assert leftovers(cache) == []


def test_deadline_shortens_the_last_socket_wait(fake_sized, tmp_path, serve):
    # Each wait may last timeout=0.9 s, but after the byte at 0.6 s only 0.4 s of the
    # 1 s deadline remain: the transfer must stop at 1 s, not at 0.6 + 0.9 s.
    cache = tmp_path / "cache"
    start = time.monotonic()
    with pytest.raises(data.DatasetUnavailableError, match="deadline of 1 s"):
        data.fetch_fashion_mnist(
            cache, base_url=serve(late_byte_then_silence), timeout=0.9, deadline=1
        )
    assert time.monotonic() - start < 1.35
    assert leftovers(cache) == []


def test_silent_server_is_left_after_timeout_before_the_deadline(fake_sized, tmp_path, serve):
    cache = tmp_path / "cache"
    url = serve(one_byte_then_silence)
    start = time.monotonic()
    with pytest.raises(data.DatasetUnavailableError) as info:
        data.fetch_fashion_mnist(cache, base_url=url, timeout=0.3, deadline=10)
    assert time.monotonic() - start < 1.5
    assert f"{url}train-images-idx3-ubyte.gz sent nothing for 0.3 s" in str(info.value)
    assert leftovers(cache) == []


def test_deadline_covers_all_mirrors_of_a_file(fake_sized, tmp_path, serve):
    cache = tmp_path / "cache"
    first, second = serve(trickle), serve(trickle)
    start = time.monotonic()
    with pytest.raises(data.DatasetUnavailableError) as info:
        data.fetch_fashion_mnist(cache, base_url=[first, second], timeout=5, deadline=0.5)
    assert time.monotonic() - start < 1.5  # one budget for the file, not one per mirror
    assert "not tried" in str(info.value) and second in str(info.value)
    assert leftovers(cache) == []


def test_endless_stream_stops_at_the_size_cap(fake_sized, tmp_path, serve):
    _, sizes = fake_sized
    cache = tmp_path / "cache"
    url = serve(endless)
    start = time.monotonic()
    with pytest.raises(data.DatasetUnavailableError) as info:
        data.fetch_fashion_mnist(cache, base_url=url, deadline=10)
    assert time.monotonic() - start < 2.0
    cap = sizes["train-images-idx3-ubyte.gz"]
    message = str(info.value)
    assert f"{url}train-images-idx3-ubyte.gz sent more than the {cap} bytes" in message
    assert leftovers(cache) == []


def test_endless_stream_stops_at_the_real_size(tmp_path, serve):
    # The published size of train-images (26 MB) is the cap without any patching.
    cache = tmp_path / "cache"
    with pytest.raises(data.DatasetUnavailableError, match="more than the 26421880 bytes"):
        data.fetch_fashion_mnist(cache, base_url=serve(endless), deadline=20)
    assert leftovers(cache) == []


def test_content_length_beyond_the_size_is_refused_before_reading(fake_sized, tmp_path, serve):
    cache = tmp_path / "cache"
    url = serve(huge_length)
    with pytest.raises(data.DatasetUnavailableError) as info:
        data.fetch_fashion_mnist(cache, base_url=url, timeout=5, deadline=10)
    message = str(info.value)
    assert f"{url}train-images-idx3-ubyte.gz announces 1000000000000 bytes" in message
    assert "Content-Length" in message
    assert leftovers(cache) == []


class _InterruptedResponse:
    """Wraps a response: the first read gives 100 bytes, the second raises KeyboardInterrupt."""

    def __init__(self, response, cache, seen):
        self.response, self.cache, self.seen = response, cache, seen
        self.headers = response.headers

    def read1(self, size):
        if not self.seen:
            self.seen.append(leftovers(self.cache))  # the partial file exists by now
            return self.response.read(100)
        raise KeyboardInterrupt

    def close(self):
        self.response.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def test_keyboard_interrupt_leaves_no_partial_file(fake_sized, tmp_path, monkeypatch):
    source, _ = fake_sized
    cache = tmp_path / "cache"
    real_urlopen = urllib.request.urlopen
    seen = []

    def interrupting(url, *args, **kwargs):
        return _InterruptedResponse(real_urlopen(url, *args, **kwargs), cache, seen)

    monkeypatch.setattr(urllib.request, "urlopen", interrupting)
    with pytest.raises(KeyboardInterrupt):
        data.fetch_fashion_mnist(cache, base_url=source.as_uri(), deadline=10)
    assert len(seen) == 1 and len(seen[0]) == 1 and seen[0][0].endswith(".part")
    assert seen[0][0].startswith("train-images-idx3-ubyte.gz")
    assert leftovers(cache) == []
    assert not (cache / "train-images-idx3-ubyte.gz").exists()


def test_leftover_part_files_are_removed_by_the_next_call(fake_sized, tmp_path):
    source, _ = fake_sized
    cache = tmp_path / "cache"
    cache.mkdir()
    junk = [
        "train-images-idx3-ubyte.gz.k1ll3d.part",  # this module's naming
        "t10k-labels-idx1-ubyte.gzq8z2.part",  # the naming of earlier versions
    ]
    for name in junk:
        (cache / name).write_bytes(b"\0" * 1000)
    data.fetch_fashion_mnist(cache, base_url=source.as_uri())
    assert leftovers(cache) == []
    # Also when everything is cached and nothing is downloaded.
    (cache / junk[0]).write_bytes(b"\0")
    data.fetch_fashion_mnist(cache, download=False)
    assert leftovers(cache) == []


@pytest.mark.skipif(data.fcntl is None, reason="needs POSIX flock")
def test_part_file_of_a_running_download_is_kept(fake_sized, tmp_path):
    import fcntl

    source, _ = fake_sized
    cache = tmp_path / "cache"
    data.fetch_fashion_mnist(cache, base_url=source.as_uri())
    busy = cache / "train-labels-idx1-ubyte.gz.busy.part"
    stale = cache / "train-labels-idx1-ubyte.gz.stale.part"
    busy.write_bytes(b"\0")
    stale.write_bytes(b"\0")
    with open(busy, "rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # as a download in another process does
        data.fetch_fashion_mnist(cache, download=False)
    assert leftovers(cache) == [busy.name]


_DOWNLOADER = """
import signal
import sys
from initact import data
# A process started in the background by a non-interactive shell (as CI's second run is)
# inherits SIGINT ignored; a reader's Ctrl-C reaches Python's own handler, as here.
signal.signal(signal.SIGINT, signal.default_int_handler)
data.fetch_fashion_mnist(sys.argv[1], base_url=sys.argv[2], timeout=30, deadline=30)
"""


def _start_downloader(cache, url):
    """A separate Python process downloading from url into cache; returns once its .part exists."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    process = subprocess.Popen(
        [sys.executable, "-c", _DOWNLOADER, str(cache), url],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    stop_at = time.monotonic() + 15
    while not leftovers(cache) and process.poll() is None and time.monotonic() < stop_at:
        time.sleep(0.02)
    if not leftovers(cache):
        process.kill()
        pytest.fail(f"the downloader never started writing: {process.communicate()[1]}")
    return process


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_in_another_process_leaves_no_partial_file(tmp_path, serve):
    cache = tmp_path / "cache"
    process = _start_downloader(cache, serve(trickle))
    time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=10)
    finally:
        process.kill()
        process.communicate()  # reap it and close its pipe, even after a timeout
    assert process.returncode != 0 and "KeyboardInterrupt" in stderr
    assert leftovers(cache) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_hard_kill_leftover_is_removed_by_the_next_call(fake_sized, tmp_path, serve):
    source, _ = fake_sized
    cache = tmp_path / "cache"
    process = _start_downloader(cache, serve(trickle))
    live = leftovers(cache)
    # While the download runs, another call must not take its file for a leftover.
    with pytest.raises(data.DatasetUnavailableError, match="download=False"):
        data.fetch_fashion_mnist(cache, download=False)
    assert leftovers(cache) == live
    process.kill()  # SIGKILL: no finally clause runs
    process.communicate(timeout=10)
    left = leftovers(cache)
    assert len(left) == 1 and left[0].startswith("train-images-idx3-ubyte.gz")
    data.fetch_fashion_mnist(cache, base_url=source.as_uri())
    assert leftovers(cache) == []


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"deadline": 0}, ValueError, "deadline"),
        ({"deadline": -1.0}, ValueError, "deadline"),
        ({"deadline": float("nan")}, ValueError, "deadline"),
        ({"deadline": float("inf")}, ValueError, "deadline"),
        ({"deadline": 10**7}, ValueError, "deadline"),
        ({"deadline": "300"}, TypeError, "deadline"),
        ({"deadline": None}, TypeError, "deadline"),
        ({"deadline": True}, TypeError, "deadline"),
        ({"timeout": 10**7}, ValueError, "timeout"),
        ({"timeout": "60"}, TypeError, "timeout"),
        ({"download": "no"}, TypeError, "download"),
        ({"download": None}, TypeError, "download"),
    ],
)
@pytest.mark.parametrize("function", [data.fetch_fashion_mnist, data.load_fashion_mnist])
def test_download_bounds_bad_arguments(tmp_path, function, kwargs, error, name):
    with pytest.raises(error, match=name):
        function(tmp_path, **kwargs)
    assert list(tmp_path.iterdir()) == []  # refused before anything is written


@pytest.mark.parametrize("cache_dir", [3, b"bytes/path", ["a"]])
def test_fetch_bad_cache_dir(cache_dir):
    with pytest.raises(TypeError, match="cache_dir"):
        data.fetch_fashion_mnist(cache_dir)
