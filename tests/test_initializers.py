"""Initializers: sample statistics against the formulas, bounds, determinism.

Tolerances come from the sample size. For n i.i.d. samples of a distribution
with variance s2 and kurtosis k (fourth standardized moment), the sample
variance has standard error s2 * sqrt((k - 1) / n); the sample mean has
standard error sqrt(s2 / n); a fraction p has standard error
sqrt(p (1 - p) / n). Every check allows Z = 5 standard errors (a false alarm
once in ~3.5 million seeds), and the seeds are fixed.
"""

import math

import numpy as np
import pytest

import initact
from initact import VarianceScaling, compute_fans
from initact.initializers import TRUNCATED_NORMAL_STDDEV

Z = 5.0
A = 2.0  # truncation point, in standard deviations of the sampled normal


def phi(x):
    return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def big_phi(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


# Moments of a standard normal truncated to [-A, A], by integration by parts:
#   int_{-a}^{a} z^2 phi = Zm - 2 a phi(a),  int_{-a}^{a} z^4 phi = 3 Zm - 2 (a^3 + 3 a) phi(a)
MASS = 2 * big_phi(A) - 1
TRUNC_VAR = 1 - 2 * A * phi(A) / MASS
TRUNC_M4 = 3 - 2 * (A**3 + 3 * A) * phi(A) / MASS
KURTOSIS = {
    "uniform": 9 / 5,
    "untruncated_normal": 3.0,
    "truncated_normal": TRUNC_M4 / TRUNC_VAR**2,
}

SHAPES = [
    ((300, 200), {}),  # dense, Keras layout
    ((3, 3, 32, 64), {}),  # conv2d, Keras layout
    ((64, 32, 3, 3), {"in_axis": 1, "out_axis": 0}),  # conv2d, PyTorch layout
]


def expected_variance(scale, mode, fan_in, fan_out):
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
    return scale / n


def test_truncation_constant_is_the_std_of_the_truncated_normal():
    # Derived above from the normal density, independently of the package.
    assert math.sqrt(TRUNC_VAR) == pytest.approx(TRUNCATED_NORMAL_STDDEV, abs=1e-15)


@pytest.mark.parametrize(("shape", "axes"), SHAPES)
@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "fan_avg"])
@pytest.mark.parametrize("distribution", ["uniform", "untruncated_normal", "truncated_normal"])
def test_sample_variance_and_mean_match_scale_over_n(shape, axes, mode, distribution):
    scale = 2.0
    init = VarianceScaling(scale, mode, distribution, **axes)
    w = init(shape, rng=1234, dtype=np.float64)
    fan_in, fan_out = compute_fans(shape, **axes)
    var = expected_variance(scale, mode, fan_in, fan_out)
    n = w.size
    se_var = var * math.sqrt((KURTOSIS[distribution] - 1) / n)
    assert abs(w.var() - var) < Z * se_var
    assert abs(w.mean()) < Z * math.sqrt(var / n)


@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "fan_avg"])
def test_uniform_stays_within_and_reaches_its_limit(mode):
    shape = (3, 3, 32, 64)
    init = VarianceScaling(1.0, mode, "uniform")
    w = init(shape, rng=7)
    fan_in, fan_out = compute_fans(shape)
    limit = math.sqrt(3 * expected_variance(1.0, mode, fan_in, fan_out))
    assert init.limit(shape) == pytest.approx(limit, rel=1e-12)
    assert np.abs(w).max() <= limit
    # With n samples the largest lies within limit * (1 - 20 / n) but for e^-20 odds.
    assert w.max() > limit * (1 - 20 / w.size)
    assert w.min() < -limit * (1 - 20 / w.size)
    # U(-r, r): half the mass lies in [-r/2, r/2].
    p = np.mean(np.abs(w) < limit / 2)
    assert abs(p - 0.5) < Z * math.sqrt(0.25 / w.size)


def test_truncated_samples_never_exceed_two_raw_stddevs():
    shape = (600, 400)
    init = VarianceScaling(2.0, "fan_in", "truncated_normal")
    raw_std = math.sqrt(2.0 / 600) / TRUNCATED_NORMAL_STDDEV
    for dtype in (np.float32, np.float64):
        w = init(shape, rng=3, dtype=dtype)
        # float32 rounding of the product may land an ulp beyond the bound.
        assert np.abs(w).max() <= 2 * raw_std * (1 + 1e-6)
        assert np.abs(w).max() > 1.99 * raw_std  # the tails are really cut at 2, not before
    # Shape of the distribution: P(|z| < 1 | |z| < 2) = (2 Phi(1) - 1) / (2 Phi(2) - 1).
    p_expected = (2 * big_phi(1) - 1) / MASS
    p = np.mean(np.abs(w) < raw_std)
    assert abs(p - p_expected) < Z * math.sqrt(p_expected * (1 - p_expected) / w.size)


def test_normal_is_keras_alias_of_truncated_normal():
    a = VarianceScaling(1.0, "fan_avg", "normal")((50, 70), rng=5)
    b = VarianceScaling(1.0, "fan_avg", "truncated_normal")((50, 70), rng=5)
    np.testing.assert_array_equal(a, b)


def test_untruncated_normal_has_tails_beyond_two_std():
    w = VarianceScaling(1.0, "fan_in", "untruncated_normal")((500, 400), rng=0, dtype=np.float64)
    std = math.sqrt(1 / 500)
    p_expected = 2 * (1 - big_phi(2))  # 4.55 %
    p = np.mean(np.abs(w) > 2 * std)
    assert abs(p - p_expected) < Z * math.sqrt(p_expected * (1 - p_expected) / w.size)


@pytest.mark.parametrize(
    ("name", "scale", "mode"),
    [
        ("glorot_uniform", 1.0, "fan_avg"),
        ("glorot_normal", 1.0, "fan_avg"),
        ("he_uniform", 2.0, "fan_in"),
        ("he_normal", 2.0, "fan_in"),
        ("lecun_uniform", 1.0, "fan_in"),
        ("lecun_normal", 1.0, "fan_in"),
    ],
)
def test_presets_are_table_11_1(name, scale, mode):
    init = getattr(initact, name)
    assert (init.scale, init.mode) == (scale, mode)
    expected_dist = "uniform" if name.endswith("uniform") else "truncated_normal"
    assert init.distribution == expected_dist
    shape = (400, 100)
    var = expected_variance(scale, mode, 400, 100)
    w = init(shape, rng=11, dtype=np.float64)
    se = var * math.sqrt((KURTOSIS[expected_dist] - 1) / w.size)
    assert abs(w.var() - var) < Z * se


def test_equation_11_1_glorot_uniform_limit():
    # r = sqrt(3 / fan_avg), Equation 11-1 with sigma^2 = 1 / fan_avg.
    assert initact.glorot_uniform.limit((200, 100)) == pytest.approx(math.sqrt(3 / 150))


def test_standard_uniform_is_glorot_bengios_standard_init():
    # U[-1/sqrt(n), 1/sqrt(n)]: limit 1/sqrt(fan_in), variance 1/(3 fan_in).
    init = initact.get_initializer("standard_uniform")
    assert init.limit((256, 10)) == pytest.approx(1 / 16)
    assert init.variance((256, 10)) == pytest.approx(1 / (3 * 256))


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("xavier_uniform", "glorot_uniform"),
        ("xavier_normal", "glorot_normal"),
        ("kaiming_uniform", "he_uniform"),
        ("kaiming_normal", "he_normal"),
        ("He_Normal", "he_normal"),
    ],
)
def test_aliases(alias, name):
    assert initact.get_initializer(alias) == getattr(initact, name)


def test_unknown_initializer_names_valid_ones_and_closest_match():
    with pytest.raises(ValueError, match="he_uniform") as err:
        initact.get_initializer("he_unifrom")
    assert "did you mean 'he_uniform'" in str(err.value)
    assert "lecun_normal" in str(err.value)


def test_an_initializer_instance_passes_through():
    init = VarianceScaling(3.0)
    assert initact.get_initializer(init) is init


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("distribution", ["uniform", "untruncated_normal", "truncated_normal"])
def test_dtype_is_honoured(dtype, distribution):
    w = VarianceScaling(1.0, "fan_in", distribution)((100, 30), rng=0, dtype=dtype)
    assert w.dtype == dtype
    assert np.isfinite(w).all()
    var = 1 / 100
    assert abs(float(w.astype(np.float64).var()) - var) < Z * var * math.sqrt(2 / w.size) + 1e-4


def test_default_dtype_is_float32():
    assert initact.he_normal((10, 10), rng=0).dtype == np.float32


@pytest.mark.parametrize("init", [initact.he_normal, initact.glorot_uniform, initact.orthogonal])
def test_same_seed_same_array_and_generators_advance(init):
    a = init((70, 90), rng=42)
    b = init((70, 90), rng=42)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, init((70, 90), rng=43))
    gen = np.random.default_rng(42)
    first, second = init((70, 90), rng=gen), init((70, 90), rng=gen)
    np.testing.assert_array_equal(first, a)  # a Generator seeded 42 draws what seed 42 draws
    assert not np.array_equal(first, second)


def test_large_kernels_span_several_chunks_without_repeating():
    # 300 000 samples cross several internal chunks; a chunking bug would repeat values.
    w = initact.he_normal((600, 500), rng=0)
    assert np.unique(w).size > 0.99 * w.size


@pytest.mark.parametrize("shape", [(64, 64), (100, 30), (30, 100), (3, 3, 16, 32)])
def test_orthogonal_rows_or_columns_are_orthonormal(shape):
    gain = 1.5
    w = initact.Orthogonal(gain=gain)(shape, rng=0, dtype=np.float64)
    assert w.shape == shape
    m = w.reshape(-1, shape[-1])
    gram = m.T @ m if m.shape[0] >= m.shape[1] else m @ m.T
    np.testing.assert_allclose(gram, gain**2 * np.eye(gram.shape[0]), atol=1e-12)


def test_product_of_orthogonal_matrices_keeps_every_singular_value():
    # Saxe et al.: 30 orthogonal layers keep the spectrum at 1; Gaussian ones spread it.
    n, depth = 64, 30
    gen = np.random.default_rng(0)
    ortho, gauss = np.eye(n), np.eye(n)
    for _ in range(depth):
        ortho = ortho @ initact.orthogonal((n, n), rng=gen, dtype=np.float64)
        gauss = gauss @ (gen.standard_normal((n, n)) / math.sqrt(n))
    s_ortho = np.linalg.svd(ortho, compute_uv=False)
    s_gauss = np.linalg.svd(gauss, compute_uv=False)
    np.testing.assert_allclose(s_ortho, 1.0, atol=1e-10)
    assert s_gauss.max() / s_gauss.min() > 1e6


def test_repr_is_readable_and_reconstructs():
    init = VarianceScaling(2.0, "fan_avg", "uniform")
    assert repr(init) == "VarianceScaling(scale=2.0, mode='fan_avg', distribution='uniform')"
    assert eval(repr(init), {"VarianceScaling": VarianceScaling}) == init


# --- Keras's plain initializers ---------------------------------------------------


N_PLAIN = 200_000


@pytest.mark.parametrize(("mean", "stddev"), [(0.0, 0.05), (3.0, 2.0)])
def test_random_normal_has_the_given_mean_and_stddev(mean, stddev):
    w = initact.RandomNormal(mean, stddev)((400, 500), rng=1, dtype=np.float64).ravel()
    assert abs(w.mean() - mean) < Z * stddev / math.sqrt(N_PLAIN)
    # A normal's kurtosis is 3: the sample variance has standard error s2 sqrt(2 / n).
    assert abs(w.var() - stddev**2) < Z * stddev**2 * math.sqrt(2 / N_PLAIN)


def test_truncated_normal_is_redrawn_beyond_two_stddevs_and_not_rescaled():
    mean, stddev = 1.0, 0.5
    w = initact.TruncatedNormal(mean, stddev)((400, 500), rng=2, dtype=np.float64).ravel()
    assert np.all(np.abs(w - mean) <= A * stddev)
    # Keras applies no correction: the variance is TRUNC_VAR (about 0.774) times stddev^2,
    # not stddev^2 as VarianceScaling's truncated normal would give.
    target = TRUNC_VAR * stddev**2
    assert abs(w.var() - target) < Z * target * math.sqrt(
        (KURTOSIS["truncated_normal"] - 1) / N_PLAIN
    )
    assert abs(w.mean() - mean) < Z * math.sqrt(target / N_PLAIN)


def test_random_uniform_spans_minval_to_maxval():
    lo, hi = -0.3, 0.7
    w = initact.RandomUniform(lo, hi)((400, 500), rng=3, dtype=np.float64).ravel()
    assert w.min() >= lo and w.max() < hi
    assert abs(w.mean() - (lo + hi) / 2) < Z * (hi - lo) / math.sqrt(12 * N_PLAIN)
    # A tenth of the range holds a tenth of the samples, at each end.
    for edge in (lo, hi - 0.1):
        share = np.mean((w >= edge) & (w < edge + 0.1))
        assert abs(share - 0.1) < Z * math.sqrt(0.1 * 0.9 / N_PLAIN)


def test_constants_zeros_and_ones():
    np.testing.assert_array_equal(initact.zeros((2, 3)), np.zeros((2, 3), dtype=np.float32))
    np.testing.assert_array_equal(initact.ones((2, 3), dtype=np.float64), np.ones((2, 3)))
    w = initact.Constant(0.25)((3, 3, 2, 4), dtype=np.float16)
    assert w.dtype == np.float16 and np.all(w == 0.25)


def test_keras_defaults_of_the_plain_initializers():
    # Keras 3's documented defaults (keras.initializers.RandomNormal etc.).
    assert (initact.RandomNormal().mean, initact.RandomNormal().stddev) == (0.0, 0.05)
    assert (initact.TruncatedNormal().mean, initact.TruncatedNormal().stddev) == (0.0, 0.05)
    assert (initact.RandomUniform().minval, initact.RandomUniform().maxval) == (-0.05, 0.05)
    assert initact.Constant().value == 0.0


@pytest.mark.parametrize(
    ("make", "error", "word"),
    [
        (lambda: initact.RandomNormal(stddev=-1.0), ValueError, "stddev"),
        (lambda: initact.RandomNormal(mean=math.nan), ValueError, "mean"),
        (lambda: initact.TruncatedNormal(stddev="0.1"), TypeError, "stddev"),
        (lambda: initact.RandomUniform(1.0, -1.0), ValueError, "minval"),
        (lambda: initact.RandomUniform(-1e308, 1e308)((2, 2)), ValueError, "maxval"),
        (lambda: initact.Constant(math.inf), ValueError, "value"),
        (lambda: initact.Constant(1j), TypeError, "value"),
        (lambda: initact.zeros((2, 2), rng=1.5), TypeError, "rng"),
        (lambda: initact.ones((2, 2), dtype=np.int32), TypeError, "dtype"),
        (lambda: initact.zeros((100_000, 100_000, 100)), ValueError, "shape"),
    ],
)
def test_plain_initializers_refuse_bad_arguments_by_name(make, error, word):
    with pytest.raises(error, match=word):
        make()


# --- zero-size kernels, as Keras handles them -----------------------------------------


@pytest.mark.parametrize(
    "init",
    [
        initact.he_normal,
        initact.glorot_uniform,
        initact.orthogonal,
        initact.zeros,
        initact.RandomNormal(),
        initact.TruncatedNormal(),
        initact.RandomUniform(),
    ],
    ids=repr,
)
@pytest.mark.parametrize("shape", [(0, 5), (5, 0), (3, 3, 0, 8)])
def test_zero_size_kernels_are_empty_arrays(init, shape):
    w = init(shape, rng=0, dtype=np.float64)
    assert w.shape == shape and w.dtype == np.float64 and w.size == 0


def test_an_empty_fan_is_read_as_one():
    # compute_fans reports the 0, as Keras's compute_fans does; the variance divides
    # by max(1, n), so it stays finite.
    assert compute_fans((0, 5)) == (0, 5)
    assert compute_fans((3, 3, 0, 8)) == (0, 72)
    assert initact.he_normal.variance((0, 5)) == 2.0  # fan_in 0 -> 1
    assert VarianceScaling(2.0, "fan_out").variance((0, 5)) == 2.0 / 5
    assert initact.glorot_uniform.limit((0, 4)) == math.sqrt(3 / 2)  # fan_avg 2
    with pytest.raises(ValueError, match="shape"):
        initact.he_normal((-1, 5))


# --- lookup by name: one rule with get_activation ----------------------------------------


@pytest.mark.parametrize(
    ("name", "preset"),
    [
        ("he_normal", "he_normal"),
        ("HeNormal", "he_normal"),
        ("he-normal", "he_normal"),
        ("kaiming_normal_", "he_normal"),
        ("XavierUniform", "glorot_uniform"),
        ("GlorotUniform", "glorot_uniform"),
        ("LecunNormal", "lecun_normal"),
        ("Orthogonal", "orthogonal"),
        ("Zeros", "zeros"),
        ("ones", "ones"),
    ],
)
def test_names_resolve_to_the_preset_itself(name, preset):
    assert initact.get_initializer(name) is getattr(initact, preset)


def test_every_name_is_an_initializer_instance_and_every_preset_is_callable():
    for name in initact.INITIALIZERS:
        init = initact.get_initializer(name)
        assert isinstance(init, initact.Initializer)
        assert init((2, 3), rng=0).shape == (2, 3)
    # The presets are all of one kind: instances, called with a shape.
    assert initact.orthogonal((4, 4), rng=0).shape == (4, 4)


def test_overrides_build_a_variant_without_touching_the_preset():
    init = initact.get_initializer("HeNormal", mode="fan_avg", distribution="uniform")
    assert init == VarianceScaling(2.0, "fan_avg", "uniform")
    assert initact.he_normal == VarianceScaling(2.0, "fan_in", "truncated_normal")
    assert initact.get_initializer("RandomNormal", stddev=1.0) == initact.RandomNormal(0.0, 1.0)
    assert initact.get_initializer("constant", value=0.3)((1, 2)).tolist() == [
        [np.float32(0.3)] * 2
    ]
    assert initact.get_initializer("orthogonal", gain=2.0) == initact.Orthogonal(2.0)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: initact.get_initializer("he_normal", gain=2.0), TypeError, ["gain", "scale"]),
        (lambda: initact.get_initializer("he_normal", seed=0), TypeError, ["seed", "rng"]),
        (lambda: initact.get_initializer("he_normal", scale=-1.0), ValueError, ["scale"]),
        (lambda: initact.get_initializer(initact.he_normal, scale=1.0), TypeError, ["overrides"]),
        (lambda: initact.get_initializer("HeNormel"), ValueError, ["'he_normal'"]),
        (lambda: initact.get_initializer(None), TypeError, ["initializer"]),
    ],
)
def test_lookup_errors_name_the_parameter(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)
