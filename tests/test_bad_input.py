"""Bad input is refused with a ValueError or TypeError that names the parameter.

One row per mistake a user can make: the call, the exception type, and a
word the message must contain so the user knows what to fix.
"""

import math

import numpy as np
import pytest

import initact
from initact import VarianceScaling, compute_fans
from initact.activations import ELU, GELU, LeakyReLU, PReLU, RReLU, Swish, get_activation
from initact.theory import moments, propagate_variance, recommended_scale

CASES = [
    # shapes
    ("empty shape", lambda: compute_fans(()), ValueError, "shape"),
    ("rank-1 shape", lambda: compute_fans((10,)), ValueError, "shape"),
    ("negative dim", lambda: compute_fans((10, -3)), ValueError, "shape"),
    ("negative dim", lambda: initact.he_normal((-1, 3)), ValueError, "shape"),
    ("float dim", lambda: initact.he_normal((10.0, 3)), TypeError, "shape"),
    ("bool dim", lambda: compute_fans((True, 3)), TypeError, "shape"),
    ("string shape", lambda: initact.he_normal("10x3"), TypeError, "shape"),
    ("None shape", lambda: initact.glorot_uniform(None), TypeError, "shape"),
    ("same in/out axis", lambda: compute_fans((3, 4), in_axis=0, out_axis=0), ValueError, "axis"),
    ("axis out of range", lambda: compute_fans((3, 4), in_axis=5), ValueError, "in_axis"),
    ("float axis", lambda: VarianceScaling(in_axis=1.0), TypeError, "in_axis"),
    # VarianceScaling parameters
    ("zero scale", lambda: VarianceScaling(scale=0.0), ValueError, "scale"),
    ("negative scale", lambda: VarianceScaling(scale=-2.0), ValueError, "scale"),
    ("NaN scale", lambda: VarianceScaling(scale=math.nan), ValueError, "scale"),
    ("inf scale", lambda: VarianceScaling(scale=math.inf), ValueError, "scale"),
    ("string scale", lambda: VarianceScaling(scale="2"), TypeError, "scale"),
    ("unknown mode", lambda: VarianceScaling(mode="fan_sum"), ValueError, "mode"),
    (
        "unknown distribution",
        lambda: VarianceScaling(distribution="gauss"),
        ValueError,
        "distribution",
    ),
    ("zero orthogonal gain", lambda: initact.Orthogonal(gain=0), ValueError, "gain"),
    # call arguments
    ("integer dtype", lambda: initact.he_normal((3, 3), dtype=np.int32), TypeError, "dtype"),
    ("complex dtype", lambda: initact.he_normal((3, 3), dtype=complex), TypeError, "dtype"),
    ("nonsense dtype", lambda: initact.he_normal((3, 3), dtype="weights"), TypeError, "dtype"),
    (
        "legacy RandomState",
        lambda: initact.he_normal((3, 3), rng=np.random.RandomState(0)),
        TypeError,
        "rng",
    ),
    ("string rng", lambda: initact.he_normal((3, 3), rng="0"), TypeError, "rng"),
    ("negative seed", lambda: initact.he_normal((3, 3), rng=-1), ValueError, "rng"),
    ("float seed", lambda: initact.orthogonal((3, 3), rng=1.5), TypeError, "rng"),
    # names
    (
        "unknown initializer",
        lambda: initact.get_initializer("he_gaussian"),
        ValueError,
        "initializer",
    ),
    ("initializer not a name", lambda: initact.get_initializer(3), TypeError, "initializer"),
    ("unknown activation", lambda: get_activation("relu6"), ValueError, "relu"),
    ("activation bad param", lambda: get_activation("relu", alpha=0.1), TypeError, "alpha"),
    # activation parameters
    ("NaN leaky alpha", lambda: LeakyReLU(alpha=math.nan), ValueError, "alpha"),
    ("string leaky alpha", lambda: LeakyReLU(alpha="0.1"), TypeError, "alpha"),
    ("RReLU lower > upper", lambda: RReLU(lower=0.5, upper=0.1), ValueError, "lower"),
    ("RReLU negative lower", lambda: RReLU(lower=-0.1, upper=0.1), ValueError, "lower"),
    ("RReLU given a generator", lambda: RReLU(rng=0), TypeError, "rng"),
    ("RReLU slopes, bad rng", lambda: RReLU().sample_slopes(3, rng=1.5), TypeError, "rng"),
    ("RReLU slopes, bad shape", lambda: RReLU().sample_slopes((-2,), 0), ValueError, "shape"),
    ("negative ELU alpha", lambda: ELU(alpha=-1.0), ValueError, "alpha"),
    ("zero swish beta", lambda: Swish(beta=0.0), ValueError, "beta"),
    ("unknown GELU approximation", lambda: GELU(approximate="fast"), ValueError, "approximate"),
    ("PReLU NaN alpha", lambda: PReLU(alpha=math.nan), ValueError, "alpha"),
    ("string input", lambda: initact.activations.ReLU()(np.array(["a"])), TypeError, "x"),
    # theory
    ("zero variance q", lambda: moments("relu", q=0.0), ValueError, "q"),
    ("NaN q", lambda: moments("tanh", q=math.nan), ValueError, "q"),
    ("unknown criterion", lambda: recommended_scale("relu", "sideways"), ValueError, "criterion"),
    ("negative depth", lambda: propagate_variance("relu", 2.0, -1), ValueError, "depth"),
    ("float depth", lambda: propagate_variance("relu", 2.0, 2.5), TypeError, "depth"),
    ("zero propagation scale", lambda: propagate_variance("relu", 0.0, 3), ValueError, "scale"),
]


# === Activation names (Keras/PyTorch spellings, Keras 3's negative_slope) =====
# A separate catalogue, so the rows above stay as they are: each row is a call,
# the exception type and the parameter its message must name.

NAME_CASES = [
    ("unknown activation name", lambda: get_activation("reul"), ValueError, "name"),
    ("empty activation name", lambda: get_activation(""), ValueError, "name"),
    ("near-Keras name", lambda: get_activation("LeakyReLU6"), ValueError, "name"),
    ("bytes activation name", lambda: get_activation(b"relu"), TypeError, "name"),
    ("float activation name", lambda: get_activation(1.0), TypeError, "name"),
    (
        "alpha and negative_slope",
        lambda: get_activation("LeakyReLU", alpha=0.1, negative_slope=0.2),
        TypeError,
        "negative_slope",
    ),
    (
        "NaN negative_slope",
        lambda: get_activation("leaky_relu", negative_slope=math.nan),
        ValueError,
        "negative_slope",
    ),
    (
        "negative negative_slope",
        lambda: get_activation("leaky_relu", negative_slope=-0.1),
        ValueError,
        "negative_slope",
    ),
    (
        "string negative_slope",
        lambda: get_activation("leaky_relu", negative_slope="0.2"),
        TypeError,
        "negative_slope",
    ),
    (
        "negative_slope for ELU",
        lambda: get_activation("ELU", negative_slope=0.2),
        TypeError,
        "negative_slope",
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "word"),
    [pytest.param(call, error, word, id=name) for name, call, error, word in CASES + NAME_CASES],
)
def test_bad_input_raises_a_clear_error(call, error, word):
    with pytest.raises(error) as info:
        call()
    assert word.lower() in str(info.value).lower()
