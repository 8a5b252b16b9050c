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


@pytest.mark.parametrize("init", [initact.he_normal, initact.glorot_uniform, initact.orthogonal()])
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
    w = initact.orthogonal(gain=gain)(shape, rng=0, dtype=np.float64)
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
        ortho = ortho @ initact.orthogonal()((n, n), rng=gen, dtype=np.float64)
        gauss = gauss @ (gen.standard_normal((n, n)) / math.sqrt(n))
    s_ortho = np.linalg.svd(ortho, compute_uv=False)
    s_gauss = np.linalg.svd(gauss, compute_uv=False)
    np.testing.assert_allclose(s_ortho, 1.0, atol=1e-10)
    assert s_gauss.max() / s_gauss.min() > 1e6


def test_repr_is_readable_and_reconstructs():
    init = VarianceScaling(2.0, "fan_avg", "uniform")
    assert repr(init) == "VarianceScaling(scale=2.0, mode='fan_avg', distribution='uniform')"
    assert eval(repr(init), {"VarianceScaling": VarianceScaling}) == init
