"""Tests for initact.theory: every expected value is a closed form or another method.

Closed forms use z ~ N(0, q), phi and Phi the standard normal density and CDF.
"Another method" is Gauss-Hermite quadrature (``hermegauss``, weight exp(-x^2/2)),
a global rule on the whole line, unlike the module's split Gauss-Legendre panels.
"""

from __future__ import annotations

import html.parser
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from initact.activations import (
    ELU,
    SELU,
    SELU_ALPHA,
    SELU_SCALE,
    Activation,
    LeakyReLU,
    PReLU,
    RReLU,
    get_activation,
)
from initact.theory import (
    CRITERIA,
    Moments,
    Recommendation,
    backpropagate_variance,
    moments,
    propagate_variance,
    recommend,
    recommended_scale,
    selu_parameters,
    table_11_1,
    torch_gain,
)

INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)

# E[g(z)] for z ~ N(0, 1), to 10 decimals, computed outside this package: SciPy 1.17's
# adaptive quadrature of g(z) phi(z) on [-40, 40] split at 0 (epsabs 1e-14, epsrel 1e-13):
#   scipy.integrate.quad(lambda z: g(z) * scipy.stats.norm.pdf(z), -40, 40, points=[0], ...)
# They are computed values, not numbers from a paper's table; the 4-decimal roundings
# (0.3943, 0.4644, 0.0434, 0.0448, 0.1605) are the ones the book prints.
QUAD_N01 = {
    "tanh^2": 0.3942944904,  # E[tanh(z)^2]
    "tanh'^2": 0.4644029024,  # E[tanh'(z)^2] = E[cosh(z)^-4]
    "Var sigmoid": 0.0433790359,  # E[sigmoid(z)^2] - 1/4 (the mean is 1/2 by symmetry)
    "sigmoid'^2": 0.0448362414,  # E[(sigmoid(z) (1 - sigmoid(z)))^2]
    "elu": 0.1605205723,  # E[elu(z)], alpha = 1
}


def Phi(x: float) -> float:
    """Standard normal CDF."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def hermite_expectation(g, q: float, n: int = 200) -> float:
    """E[g(z)], z ~ N(0, q), by n-point Gauss-Hermite (probabilists') quadrature."""
    x, w = np.polynomial.hermite_e.hermegauss(n)
    return float(w @ g(math.sqrt(q) * x)) / math.sqrt(2.0 * math.pi)


# --- moments: closed forms ----------------------------------------------------


def test_moments_returns_named_tuple_of_floats():
    m = moments("relu")
    assert isinstance(m, Moments)
    assert all(type(v) is float for v in m)


def test_relu_closed_forms():
    m = moments("relu")
    assert m.mean == pytest.approx(INV_SQRT_2PI, abs=1e-12)
    assert m.second == pytest.approx(0.5, abs=1e-12)
    assert m.derivative_second == pytest.approx(0.5, abs=1e-12)


@pytest.mark.parametrize("q", [0.01, 2.5, 100.0])
def test_relu_is_positively_homogeneous(q):
    # relu(sqrt(q) u) = sqrt(q) relu(u): the mean scales by sqrt(q), E[f^2] by q.
    m = moments("relu", q)
    assert m.second == pytest.approx(q / 2, rel=1e-12)
    assert m.mean == pytest.approx(math.sqrt(q) * INV_SQRT_2PI, rel=1e-12)
    assert m.derivative_second == pytest.approx(0.5, abs=1e-12)


@pytest.mark.parametrize("a", [0.01, 0.2, 1 / 5.5, 0.5])
def test_leaky_relu_closed_forms(a):
    # E[f] = (1 - a) E[z; z > 0]; E[f^2] = (1 + a^2) / 2 = E[f'^2].
    m = moments(LeakyReLU(alpha=a))
    assert m.mean == pytest.approx((1 - a) * INV_SQRT_2PI, abs=1e-12)
    assert m.second == pytest.approx((1 + a * a) / 2, abs=1e-12)
    assert m.derivative_second == pytest.approx((1 + a * a) / 2, abs=1e-12)


@pytest.mark.parametrize("q", [0.3, 1.0, 7.5])
def test_identity_moments(q):
    m = moments("identity", q)
    assert m.mean == pytest.approx(0.0, abs=1e-12)
    assert m.second == pytest.approx(q, rel=1e-12)
    assert m.derivative_second == pytest.approx(1.0, abs=1e-12)


def test_selu_is_self_normalizing():
    # Klambauer et al.: alpha and lambda are chosen so that E[f] = 0, E[f^2] = 1.
    m = moments("selu")
    assert m.mean == pytest.approx(0.0, abs=1e-6)
    assert m.second == pytest.approx(1.0, abs=1e-6)


def test_sigmoid_mean_is_one_half_by_symmetry():
    # sigmoid(z) - 1/2 is odd, so its Gaussian mean is 0 for every q.
    for q in (0.5, 1.0, 9.0):
        assert moments("sigmoid", q).mean == pytest.approx(0.5, abs=1e-12)


def test_elu_closed_forms():
    # z > 0 part: E[z; z>0] = phi(0), P = 1/2. z < 0 part, with E[e^{tz}; z<0] = e^{t^2/2} Phi(-t):
    # E[e^z - 1; z<0] = e^{1/2} Phi(-1) - 1/2,
    # E[(e^z - 1)^2; z<0] = e^2 Phi(-2) - 2 e^{1/2} Phi(-1) + 1/2, E[(e^z)^2; z<0] = e^2 Phi(-2).
    m = moments(ELU(alpha=1.0))
    mean = INV_SQRT_2PI + math.exp(0.5) * Phi(-1) - 0.5
    assert mean == pytest.approx(QUAD_N01["elu"], abs=1e-9)  # the closed form, by quadrature
    assert m.mean == pytest.approx(mean, abs=1e-10)
    second = 0.5 + math.exp(2) * Phi(-2) - 2 * math.exp(0.5) * Phi(-1) + 0.5
    assert m.second == pytest.approx(second, abs=1e-10)
    assert m.derivative_second == pytest.approx(0.5 + math.exp(2) * Phi(-2), abs=1e-10)


def test_selu_second_moment_closed_form_at_other_q():
    # selu = lam * z (z>0), lam * a (e^z - 1) (z<0). With s = sqrt(q), E[z^2; z>0] = q/2 and
    # E[(e^z - 1)^2; z<0] = e^{2q} Phi(-2s) - 2 e^{q/2} Phi(-s) + 1/2.
    lam, a, q = SELU_SCALE, SELU_ALPHA, 2.0
    s = math.sqrt(q)
    neg = math.exp(2 * q) * Phi(-2 * s) - 2 * math.exp(q / 2) * Phi(-s) + 0.5
    assert moments(SELU(), q).second == pytest.approx(lam**2 * (q / 2 + a * a * neg), abs=1e-10)


@pytest.mark.parametrize("name", ["tanh", "gelu", "sigmoid", "swish", "softplus", "mish"])
@pytest.mark.parametrize("q", [0.25, 1.0, 3.0])
def test_smooth_activations_match_gauss_hermite(name, q):
    act = get_activation(name)
    m = moments(name, q)
    assert m.mean == pytest.approx(hermite_expectation(act, q), abs=1e-6)
    assert m.second == pytest.approx(hermite_expectation(lambda z: act(z) ** 2, q), abs=1e-6)
    expected = hermite_expectation(lambda z: act.derivative(z) ** 2, q)
    assert m.derivative_second == pytest.approx(expected, abs=1e-6)


def test_published_tanh_and_sigmoid_moments():
    # The values the book prints, to the 10 decimals of QUAD_N01 (SciPy's quadrature).
    tanh, sigmoid = moments("tanh"), moments("sigmoid")
    assert tanh.second == pytest.approx(QUAD_N01["tanh^2"], abs=1e-9)
    assert tanh.derivative_second == pytest.approx(QUAD_N01["tanh'^2"], abs=1e-9)
    assert sigmoid.second - sigmoid.mean**2 == pytest.approx(QUAD_N01["Var sigmoid"], abs=1e-9)
    assert sigmoid.derivative_second == pytest.approx(QUAD_N01["sigmoid'^2"], abs=1e-9)


class ShiftedReLU(Activation):
    """max(z - c, 0): a kink away from 0, to check that kinks are placed and scaled."""

    name = "shifted_relu"

    def __init__(self, c: float):
        self.c = c
        self.kinks = (c,)

    def _forward(self, x):
        return np.maximum(x - self.c, 0.0)

    def _derivative(self, x):
        return (x > self.c).astype(x.dtype)


@pytest.mark.parametrize(("c", "q"), [(0.3, 1.0), (0.3, 4.0), (-1.7, 0.5), (0.0123, 9.0)])
def test_kink_away_from_zero_is_integrated_exactly(c, q):
    # With s = sqrt(q), t = c / s: E[(z - c)^2; z > c] = (q + c^2) Phi(-t) - c s phi(t),
    # E[z - c; z > c] = s phi(t) - c Phi(-t), E[1; z > c] = Phi(-t). A panel that straddles
    # the kink would only be accurate to ~1e-5; 1e-11 requires the split at c / s.
    s, t = math.sqrt(q), c / math.sqrt(q)
    phi_t = INV_SQRT_2PI * math.exp(-t * t / 2)
    m = moments(ShiftedReLU(c), q)
    assert m.mean == pytest.approx(s * phi_t - c * Phi(-t), abs=1e-11)
    assert m.second == pytest.approx((q + c * c) * Phi(-t) - c * s * phi_t, abs=1e-11)
    assert m.derivative_second == pytest.approx(Phi(-t), abs=1e-11)


@pytest.mark.parametrize("bad", [0, 0.0, -1.0, math.nan, math.inf, -math.inf])
def test_moments_rejects_bad_q_values(bad):
    with pytest.raises(ValueError, match="q"):
        moments("relu", bad)


@pytest.mark.parametrize("bad", ["1", None, True, 1j, [1.0]])
def test_moments_rejects_non_real_q(bad):
    with pytest.raises(TypeError, match="q"):
        moments("relu", bad)


def test_moments_accepts_numpy_scalars():
    assert moments("relu", np.float32(2.0)).second == pytest.approx(1.0, rel=1e-12)
    assert moments("relu", np.int64(4)).second == pytest.approx(2.0, rel=1e-12)


def test_moments_rejects_unknown_activation():
    with pytest.raises(ValueError, match="not_an_activation"):
        moments("not_an_activation")


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "elu", "selu", "softplus", "mish", "swish"])
def test_large_and_small_q_stay_finite_and_quiet(name):
    # Warnings are errors in this suite: the tails at 12 std must not overflow noisily.
    for q in (1e-6, 1e4):
        assert all(math.isfinite(v) for v in moments(name, q))


# --- recommended_scale --------------------------------------------------------


@pytest.mark.parametrize("criterion", CRITERIA)
def test_relu_gives_he_scale_two_for_every_criterion(criterion):
    assert recommended_scale("relu", criterion) == pytest.approx(2.0, rel=1e-12)


@pytest.mark.parametrize("a", [0.01, 0.2, 0.5])
@pytest.mark.parametrize("criterion", CRITERIA)
def test_leaky_relu_scale_is_he_formula(a, criterion):
    # He et al.: (1 + a^2) n Var[W] = 2.
    scale = recommended_scale(LeakyReLU(alpha=a), criterion)
    assert scale == pytest.approx(2 / (1 + a * a), rel=1e-12)


def test_linear_criterion_closed_forms():
    assert recommended_scale("identity", "linear") == pytest.approx(1.0)
    assert recommended_scale("tanh", "linear") == pytest.approx(1.0)  # tanh'(0) = 1
    assert recommended_scale("sigmoid", "linear") == pytest.approx(16.0)  # sigmoid'(0) = 1/4
    for name in ("gelu", "swish", "softplus"):  # f'(0) = 1/2
        assert recommended_scale(name, "linear") == pytest.approx(4.0)
    assert recommended_scale("mish", "linear") == pytest.approx(1 / 0.6**2)  # mish'(0) = 0.6
    # SELU's slopes at 0: lambda * alpha on the left, lambda on the right.
    selu = 2 / (SELU_SCALE**2 * (1 + SELU_ALPHA**2))
    assert recommended_scale("selu", "linear") == pytest.approx(selu, rel=1e-9)


@pytest.mark.parametrize("act", ["relu", "selu", LeakyReLU(alpha=0.2), ELU(alpha=0.5)])
def test_linear_criterion_is_the_small_variance_limit(act):
    # The documented reason for averaging one-sided squared slopes at a kink: as q -> 0 the
    # backward criterion 1/E[f'(z)^2] and the forward one q/E[f(z)^2] tend to it.
    q = 1e-10
    m = moments(act, q)
    linear = recommended_scale(act, "linear")
    assert 1 / m.derivative_second == pytest.approx(linear, rel=1e-4)
    assert q / m.second == pytest.approx(linear, rel=1e-4)


def test_forward_and_backward_match_moments_at_unit_variance():
    m = moments("tanh")
    assert recommended_scale("tanh") == pytest.approx(1 / m.second, rel=1e-12)
    assert recommended_scale("tanh", "backward") == pytest.approx(1 / m.derivative_second)
    assert recommended_scale("selu", "forward") == pytest.approx(1.0, abs=1e-6)
    assert recommended_scale("tanh") == pytest.approx(1 / QUAD_N01["tanh^2"], rel=1e-9)


def _openblas_kernels() -> list[str]:
    """Two OpenBLAS kernels whose dot products add in different orders, if this CPU runs both."""
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]
    flags = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    if "openblas" not in blas or " avx2" not in flags:
        return []
    return ["Prescott", "Haswell"]


def test_moments_are_the_same_bits_on_every_blas_kernel():
    # A BLAS dot product adds in an order that depends on the OpenBLAS kernel: summed with
    # w @ f, E[relu'(z)^2] is 0.5 under Haswell and 0.49999999999999994 under Prescott, and a
    # doctest printing 2.0 failed on one of them. The quadrature sums with math.fsum instead.
    kernels = _openblas_kernels()
    if not kernels:
        pytest.skip("needs OpenBLAS and a CPU with AVX2")
    script = (
        "from initact.theory import moments, table_11_1\n"
        "for name in ('relu', 'tanh', 'sigmoid', 'selu', 'elu', 'gelu'):\n"
        "    print(name, [m.hex() for m in moments(name)], moments(name, 0.3).second.hex())\n"
        "print(table_11_1())\n"
    )
    outputs = {
        kernel: subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "OPENBLAS_CORETYPE": kernel},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for kernel in kernels
    }
    assert outputs["Prescott"] == outputs["Haswell"]


def test_recommended_scale_rejects_unknown_criterion():
    with pytest.raises(ValueError, match=r"criterion.*forward.*backward.*linear"):
        recommended_scale("relu", "sideways")


# --- Table 11-1 -----------------------------------------------------------------


def rows_by_initializer():
    return {row.initializer: row for row in table_11_1().rows}


def test_table_rows_follow_the_book():
    rows = rows_by_initializer()
    assert list(rows) == ["Glorot", "He", "LeCun"]
    glorot, he, lecun = rows["Glorot"], rows["He"], rows["LeCun"]
    assert glorot.activations == ("None", "tanh", "sigmoid", "softmax")
    assert (glorot.scale, glorot.mode, glorot.variance) == (1.0, "fan_avg", "1 / fan_avg")
    assert (he.scale, he.mode, he.variance) == (2.0, "fan_in", "2 / fan_in")
    assert (lecun.scale, lecun.mode, lecun.variance) == (1.0, "fan_in", "1 / fan_in")
    assert lecun.activations == ("selu",)
    for label in ("relu", "leaky_relu(0.01)", "leaky_relu(0.2)", "rrelu", "prelu", "elu"):
        assert label in he.activations
    for label in ("gelu", "swish"):
        assert label in he.activations


def test_table_derived_scales():
    rows = rows_by_initializer()
    for criterion in CRITERIA:
        assert rows["He"].derived["relu"][criterion] == pytest.approx(2.0, rel=1e-12)
        assert rows["Glorot"].derived["None"][criterion] == pytest.approx(1.0, rel=1e-12)
        slope = 0.2
        expected = 2 / (1 + slope**2)
        assert rows["He"].derived["leaky_relu(0.2)"][criterion] == pytest.approx(expected)
        # PyTorch's RReLU in eval mode uses the mean slope (1/8 + 1/3) / 2 = 11/48.
        rrelu = 2 / (1 + (11 / 48) ** 2)
        assert rows["He"].derived["rrelu"][criterion] == pytest.approx(rrelu)
        assert rows["He"].derived["prelu"][criterion] == pytest.approx(2 / (1 + 0.25**2))
    assert rows["Glorot"].derived["tanh"]["linear"] == pytest.approx(1.0)
    assert rows["LeCun"].derived["selu"]["forward"] == pytest.approx(1.0, abs=1e-6)
    assert rows["Glorot"].derived["softmax"] is None


def test_table_text_is_aligned_and_has_the_numbers():
    text = str(table_11_1())
    lines = text.splitlines()
    relu_line = next(line for line in lines if line.split()[:2] == ["He", "relu"])
    assert relu_line.split()[-3:] == ["2.000", "2.000", "2.000"]
    selu_line = next(line for line in lines if "selu" in line.split())
    assert selu_line.split()[1] == "selu" and selu_line.split()[-3] == "1.000"
    tanh = get_activation("tanh")
    forward = 1 / hermite_expectation(lambda z: tanh(z) ** 2, 1.0)
    backward = 1 / hermite_expectation(lambda z: tanh.derivative(z) ** 2, 1.0)
    tanh_line = next(line for line in lines if "tanh" in line.split())
    assert tanh_line.split()[-3:] == [f"{forward:.3f}", f"{backward:.3f}", "1.000"]
    assert "not elementwise" in next(line for line in lines if "softmax" in line)
    # Lines ending in three numbers with 3 decimals: one per elementwise activation,
    # all the same length since the numbers are right-aligned in their columns.
    numeric = [line for line in lines if re.search(r"(\s+\d+\.\d{3}){3}$", line)]
    assert len(numeric) == 13  # 14 activations (Mish included, as the book lists it) minus softmax
    assert len({len(line) for line in numeric}) == 1
    for word in ("Glorot", "LeCun", "2 / fan_in", "1 / fan_avg"):
        assert word in text


class _TableParser(html.parser.HTMLParser):
    """Collect the text of each <tr> as a list of cell strings."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.open_tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":  # a void element: it has no end tag
            return
        self.open_tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        assert self.open_tags.pop() == tag, f"mismatched </{tag}>"

    def handle_data(self, data):
        if self.open_tags and self.open_tags[-1] in ("td", "th"):
            self.rows[-1][-1] += data


def test_table_html_is_a_table_with_every_row():
    parser = _TableParser()
    parser.feed(table_11_1()._repr_html_())
    parser.close()
    assert parser.open_tags == []
    header, *body = parser.rows
    assert "Initializer" in header[0]
    assert len(body) == 14  # Mish included, as the book lists it
    relu = next(row for row in body if "relu" in row)
    assert relu.count("2.000") == 3
    assert any("He" in cell for cell in relu)  # first row of the He block
    selu = next(row for row in body if "selu" in row)
    assert "LeCun" in selu and "1 / fan_in" in selu
    softmax = next(row for row in body if "softmax" in row)
    assert any("not elementwise" in cell for cell in softmax)


# --- torch_gain -----------------------------------------------------------------


def test_torch_gain_values():
    assert torch_gain("linear") == 1.0
    assert torch_gain("identity") == 1.0
    assert torch_gain("sigmoid") == 1.0
    assert torch_gain("conv2d") == 1.0
    assert torch_gain("tanh") == pytest.approx(5 / 3)
    assert torch_gain("relu") == pytest.approx(math.sqrt(2))
    assert torch_gain("selu") == pytest.approx(0.75)
    assert torch_gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01**2)))
    assert torch_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
    assert torch_gain("leaky_relu", 1) == pytest.approx(1.0)


def test_torch_gain_squared_matches_derived_scale_for_rectifiers():
    assert torch_gain("relu") ** 2 == pytest.approx(recommended_scale("relu"))
    leaky = LeakyReLU(alpha=0.2)
    assert torch_gain("leaky_relu", 0.2) ** 2 == pytest.approx(recommended_scale(leaky))


def test_torch_gain_rejects_bad_input():
    with pytest.raises(ValueError, match="name"):
        torch_gain("softmax")
    with pytest.raises(ValueError, match="param"):
        torch_gain("leaky_relu", "0.2")
    with pytest.raises(ValueError, match="param"):
        torch_gain("leaky_relu", True)
    with pytest.raises(ValueError, match="param"):
        torch_gain("leaky_relu", math.nan)


# --- propagate_variance -----------------------------------------------------------


@pytest.mark.parametrize("q0", [0.5, 1.0, 3.0])
def test_he_scale_preserves_relu_variance(q0):
    q = propagate_variance("relu", 2.0, 30, q0=q0)
    assert q.shape == (31,)
    np.testing.assert_allclose(q, q0, rtol=1e-12)


def test_glorot_scale_halves_relu_variance_each_layer():
    q0, depth = 1.7, 30
    q = propagate_variance("relu", 1.0, depth, q0=q0)
    np.testing.assert_allclose(q, q0 / 2.0 ** np.arange(depth + 1), rtol=1e-12)
    # He et al. (2015), Sec. 2.2: Var[y_L] = Var[y_1] prod_l (n_l Var[w_l] / 2) for ReLU, so
    # Glorot's n Var[w] = 1 (equal fans) gives 2^-30 in variance, 2^-15 in std, at L = 30.
    assert q[-1] / q0 == pytest.approx(2.0**-30)


@pytest.mark.parametrize("scale", [0.5, 1.0, 1.3])
def test_identity_multiplies_by_scale(scale):
    q = propagate_variance("identity", scale, 12, q0=2.0)
    np.testing.assert_allclose(q, 2.0 * scale ** np.arange(13), rtol=1e-12)


def test_selu_with_lecun_scale_has_fixed_point_one():
    np.testing.assert_allclose(propagate_variance("selu", 1.0, 50), 1.0, atol=1e-6)


def test_tanh_with_glorot_scale_shrinks():
    # tanh(z)^2 < z^2 for z != 0, so with scale 1 the variance strictly decreases.
    q = propagate_variance("tanh", 1.0, 10)
    assert np.all(np.diff(q) < 0)
    assert q[1] == pytest.approx(QUAD_N01["tanh^2"], abs=1e-9)  # scale 1 times E[tanh(z)^2]


def test_depth_zero_returns_q0():
    np.testing.assert_array_equal(propagate_variance("relu", 2.0, 0, q0=0.25), [0.25])


def test_underflow_and_overflow_are_quiet():
    assert propagate_variance("relu", 1.0, 1100)[-1] == 0.0  # 2^-1100 underflows
    q = propagate_variance("sigmoid", 1.0, 60, q0=1e-300)
    assert q[1] == pytest.approx(0.25, abs=1e-12)  # z ~ 0: sigmoid(0)^2
    # The map converges to its fixed point q* = E[sigmoid(z)^2], z ~ N(0, q*).
    sigmoid = get_activation("sigmoid")
    assert q[-1] == pytest.approx(hermite_expectation(lambda z: sigmoid(z) ** 2, q[-1]), abs=1e-9)
    assert propagate_variance("identity", 10.0, 400)[-1] == math.inf


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"depth": -1}, ValueError, "depth"),
        ({"depth": 2.5}, TypeError, "depth"),
        ({"depth": True}, TypeError, "depth"),
        ({"scale": 0.0}, ValueError, "scale"),
        ({"scale": -2.0}, ValueError, "scale"),
        ({"scale": math.nan}, ValueError, "scale"),
        ({"scale": "2"}, TypeError, "scale"),
        ({"q0": 0.0}, ValueError, "q0"),
        ({"q0": math.inf}, ValueError, "q0"),
    ],
)
def test_propagate_variance_validates(kwargs, error, name):
    args = {"activation": "relu", "scale": 2.0, "depth": 3, **kwargs}
    with pytest.raises(error, match=name):
        propagate_variance(**args)


# --- recommend -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("activation", "initializer", "presets", "scale", "mode"),
    [
        ("relu", "He", ("he_normal", "he_uniform"), 2.0, "fan_in"),
        ("elu", "He", ("he_normal", "he_uniform"), 2.0, "fan_in"),
        ("gelu", "He", ("he_normal", "he_uniform"), 2.0, "fan_in"),
        ("swish", "He", ("he_normal", "he_uniform"), 2.0, "fan_in"),
        ("mish", "He", ("he_normal", "he_uniform"), 2.0, "fan_in"),
        ("softplus", "He", ("he_normal", "he_uniform"), 2.0, "fan_in"),
        ("rrelu", "He", ("he_normal", "he_uniform"), 2.0, "fan_in"),
        ("prelu", "He", ("he_normal", "he_uniform"), 2.0, "fan_in"),
        ("selu", "LeCun", ("lecun_normal", "lecun_uniform"), 1.0, "fan_in"),
        ("tanh", "Glorot", ("glorot_normal", "glorot_uniform"), 1.0, "fan_avg"),
        ("sigmoid", "Glorot", ("glorot_normal", "glorot_uniform"), 1.0, "fan_avg"),
        (None, "Glorot", ("glorot_normal", "glorot_uniform"), 1.0, "fan_avg"),
        ("softmax", "Glorot", ("glorot_normal", "glorot_uniform"), 1.0, "fan_avg"),
    ],
)
def test_recommend_picks_the_book_row(activation, initializer, presets, scale, mode):
    r = recommend(activation)
    assert isinstance(r, Recommendation)
    assert (r.initializer, r.presets, r.scale, r.mode) == (initializer, presets, scale, mode)


def test_recommend_derived_scales():
    assert recommend("relu").derived_scale == pytest.approx(2.0)
    assert recommend(LeakyReLU(alpha=0.2)).derived_scale == pytest.approx(2 / 1.04)
    assert recommend("selu").derived_scale == pytest.approx(1.0, abs=1e-6)
    assert recommend("identity").derived_scale == pytest.approx(1.0)
    assert recommend("softmax").derived_scale is None


def test_recommend_text():
    text = str(recommend(get_activation("leaky_relu", alpha=0.2)))
    assert f"{2 / 1.04:.3f}" in text and "he_normal" in text and "fan_in" in text
    assert "LeCun" in str(recommend("selu"))
    assert "not elementwise" in str(recommend("softmax"))


def test_recommend_rejects_unknown():
    with pytest.raises(ValueError, match="nonsense"):
        recommend("nonsense")


def test_activations_that_are_not_one_fixed_function_are_refused():
    with pytest.raises(ValueError, match="one slope per unit"):
        recommended_scale(PReLU(alpha=np.array([0.1, 0.2])))
    with pytest.raises(TypeError, match="activation"):
        moments(3.0)
    # RReLU is its test-time function, slope (lower + upper) / 2: He et al.'s 2 / (1 + a^2).
    a = (1 / 8 + 1 / 3) / 2
    assert recommended_scale(RReLU()) == pytest.approx(2 / (1 + a * a))


# --- backpropagate_variance ----------------------------------------------------------


def test_backward_map_closed_forms():
    # He on ReLU: every layer's gradient variance is E[relu'(z)^2] = 1/2 of the top signal.
    np.testing.assert_allclose(backpropagate_variance("relu", 2.0, 4), [0.5] * 4, atol=1e-12)
    # Linear network, Var[W] = s / n: each layer down multiplies by s.
    np.testing.assert_allclose(
        backpropagate_variance("identity", 0.5, 4), [0.125, 0.25, 0.5, 1.0], rtol=1e-12
    )
    # Glorot on ReLU halves it per layer, whatever the forward variance.
    np.testing.assert_allclose(
        backpropagate_variance("relu", 1.0, 3, q0=7.0), [0.125, 0.25, 0.5], rtol=1e-12
    )
    assert backpropagate_variance("tanh", 1.0, 0).shape == (0,)


def test_backward_map_uses_the_forward_variances():
    # tanh: E[tanh'(z)^2] depends on q, so each layer's factor must use that layer's forward q.
    # Both maps written out here with Gauss-Hermite: q[l+1] = s E[tanh(z)^2] and
    # chi[l] = E[tanh'(z)^2] = E[cosh(z)^-4], z ~ N(0, q[l]); the gradient variance at layer l
    # is chi[l] times s chi[k] for every layer k above it (unit error signal at the top).
    s = 1 / 3
    q = [1 / 3]
    for _ in range(2):
        q.append(s * hermite_expectation(lambda z: np.tanh(z) ** 2, q[-1]))
    chi = [hermite_expectation(lambda z: np.cosh(z) ** -4, q_l) for q_l in q]
    expected = [chi[0] * s * chi[1] * s * chi[2], chi[1] * s * chi[2], chi[2]]
    np.testing.assert_allclose(backpropagate_variance("tanh", s, 3, q0=1 / 3), expected, rtol=1e-9)


def test_backward_map_bad_depth():
    with pytest.raises(ValueError, match="depth"):
        backpropagate_variance("relu", 2.0, -1)
    with pytest.raises(TypeError, match="depth"):
        backpropagate_variance("relu", 2.0, 1.5)


# --- SELU's parameters, solved --------------------------------------------------


def test_selu_parameters_are_selu_constants():
    alpha, scale = selu_parameters()
    # Klambauer et al.'s constants, as PyTorch and Keras write them (20 digits), and
    # the package's. Tolerance: a few float64 ulps (1 ulp ~ 2.2e-16 near 1 and 1.67),
    # since exp, erfc and sqrt each round once.
    for expected_alpha in (1.6732632423543772848, SELU_ALPHA):
        assert abs(alpha - expected_alpha) < 8 * 2.2e-16
    for expected_scale in (1.0507009873554804934, SELU_SCALE):
        assert abs(scale - expected_scale) < 8 * 2.2e-16


@pytest.mark.parametrize("q", [0.25, 1.0, 2.0, 9.0])
def test_selu_parameters_solve_the_fixed_point_equations(q):
    alpha, scale = selu_parameters(q)

    def f(z):
        return scale * np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0)))

    # Another method: composite Simpson on each side of the kink at 0, out to 12 standard
    # deviations (the mass beyond is ~1e-33). Each side is smooth, so with 4000 panels the
    # error is of order h^4 ~ 1e-13 times the fourth derivative: 1e-9 leaves room.
    def expect(g):
        total = 0.0
        for a, b in ((-12 * math.sqrt(q), 0.0), (0.0, 12 * math.sqrt(q))):
            z = np.linspace(a, b, 8001)
            w = np.ones_like(z)
            w[1:-1:2], w[2:-1:2] = 4.0, 2.0
            density = np.exp(-z * z / (2 * q)) / math.sqrt(2 * math.pi * q)
            total += float(np.sum(w * g(z) * density)) * (z[1] - z[0]) / 3
        return total

    assert abs(expect(f)) < 1e-9 * math.sqrt(q)
    assert expect(lambda z: f(z) ** 2) == pytest.approx(q, rel=1e-9)
    # And the module's own quadrature (Gauss-Legendre panels split at the kink) to 1e-12.
    m = moments(ELU(alpha=alpha), q=q)
    assert abs(scale * m.mean) < 1e-12 * math.sqrt(q)
    assert scale**2 * m.second == pytest.approx(q, rel=1e-12)
    # A wrong parameter fails both: 1% more alpha shifts the mean by ~1e-3, far outside.
    assert abs(scale * moments(ELU(alpha=1.01 * alpha), q=q).mean) > 1e-4 * math.sqrt(q)


def test_selu_parameters_bad_variance():
    with pytest.raises(ValueError, match="variance"):
        selu_parameters(0.0)
    with pytest.raises(TypeError, match="variance"):
        selu_parameters("1")
