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


# === Every public function and class ==========================================
# One row per mistake: the public name it exercises, an id, the call, the
# exception type and the parameter its message must name. The names cover each
# module's __all__ (test_every_public_callable_has_a_bad_input_row checks it).

import initact.data  # noqa: E402
import initact.diagnostics  # noqa: E402
import initact.nn  # noqa: E402
import initact.propagation  # noqa: E402
import initact.theory  # noqa: E402

HUGE = 10**12  # no machine holds this many floats: the call must fail fast, naming the size


def _model(activation="relu", sizes=(4, 5, 2)):
    return initact.nn.mlp(list(sizes), activation, "he_normal", rng=0)


def _X(rows=6, features=4):
    return np.random.default_rng(0).standard_normal((rows, features))


def _y():
    return np.array([0, 1, 0, 1, 0, 1])


def _fit(**bad):
    args = {"epochs": 1, "batch_size": 3, "lr": 0.05, "rng": 0}
    data = {"model": _model(), "X": _X(), "y": _y()}
    return initact.nn.fit(**{**data, **args, **bad})


def _propagation():
    return initact.propagation.propagate("tanh", "glorot_normal", depth=3, width=8, rng=0)


def _empty_cache(tmp="/nonexistent-initact-cache"):
    return {"cache_dir": tmp, "download": False}


def _audit():
    import importlib

    return importlib.import_module("initact.audit").audit  # initact.audit is the function


def _kernels():
    return [(initact.he_normal((4, 3), rng=0), "relu")]


def _garbage_file():
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".idx", delete=False) as f:
        f.write(b"\x00\x00\x08\x03garbage")
    return f.name


def _idx_folder():
    import tempfile

    return tempfile.mkdtemp(prefix="initact-idx-")


act = initact.activations
ini = initact.initializers
th = initact.theory
nn = initact.nn
dg = initact.diagnostics
dt = initact.data

# (public name, id, call, exception, word the message must contain[, mark])
PUBLIC_CASES = [
    # --- activations: constructors, get_activation, calls and derivatives
    ("activations.ELU", "ELU inf alpha", lambda: act.ELU(alpha=math.inf), ValueError, "alpha"),
    ("activations.ELU", "ELU string alpha", lambda: act.ELU(alpha="1"), TypeError, "alpha"),
    (
        "activations.GELU",
        "GELU approximate=3",
        lambda: act.GELU(approximate=3),
        TypeError,
        "approximate",
    ),
    (
        "activations.LeakyReLU",
        "LeakyReLU complex alpha",
        lambda: act.LeakyReLU(alpha=1j),
        TypeError,
        "alpha",
    ),
    (
        "activations.LeakyReLU",
        "LeakyReLU bool alpha",
        lambda: act.LeakyReLU(alpha=True),
        TypeError,
        "alpha",
    ),
    (
        "activations.PReLU",
        "PReLU inf alpha",
        lambda: act.PReLU(alpha=math.inf),
        ValueError,
        "alpha",
    ),
    (
        "activations.PReLU",
        "PReLU string alpha",
        lambda: act.PReLU(alpha="0.25"),
        TypeError,
        "alpha",
    ),
    (
        "activations.RReLU",
        "RReLU NaN upper",
        lambda: act.RReLU(upper=math.nan),
        ValueError,
        "upper",
    ),
    (
        "activations.RReLU",
        "RReLU unknown form",
        lambda: act.RReLU(form="ratio"),
        ValueError,
        "form",
    ),
    ("activations.Swish", "Swish NaN beta", lambda: act.Swish(beta=math.nan), ValueError, "beta"),
    ("activations.Swish", "Swish complex beta", lambda: act.Swish(beta=1j), TypeError, "beta"),
    (
        "activations.get_activation",
        "activation name as list",
        lambda: act.get_activation(["relu"]),
        TypeError,
        "name",
    ),
    (
        "activations.get_activation",
        "ELU alpha via name",
        lambda: act.get_activation("elu", alpha=-1.0),
        ValueError,
        "alpha",
    ),
    (
        "activations.Identity",
        "Identity of strings",
        lambda: act.Identity()(np.array(["a"])),
        TypeError,
        "x",
    ),
    (
        "activations.Sigmoid",
        "Sigmoid of complex",
        lambda: act.Sigmoid()(np.array([1j])),
        TypeError,
        "x",
    ),
    (
        "activations.Tanh",
        "Tanh derivative of strings",
        lambda: act.Tanh().derivative(np.array(["a"])),
        TypeError,
        "x",
    ),
    (
        "activations.Softplus",
        "Softplus of object array",
        lambda: act.Softplus()(np.array([object()], dtype=object)),
        TypeError,
        "x",
    ),
    (
        "activations.ReLU",
        "ReLU derivative of complex",
        lambda: act.ReLU().derivative(np.array([1j])),
        TypeError,
        "x",
    ),
    ("activations.SELU", "SELU of a string", lambda: act.SELU()("abc"), TypeError, "x"),
    (
        "activations.Mish",
        "Mish of complex",
        lambda: act.Mish()(np.array([1j, 2.0])),
        TypeError,
        "x",
    ),
    ("activations.GELU", "GELU of strings", lambda: act.GELU()(np.array(["a"])), TypeError, "x"),
    (
        "activations.ELU",
        "ELU derivative of complex",
        lambda: act.ELU().derivative(np.array([1j])),
        TypeError,
        "x",
    ),
    ("activations.LeakyReLU", "LeakyReLU of None", lambda: act.LeakyReLU()(None), TypeError, "x"),
    (
        "activations.PReLU",
        "PReLU derivative of strings",
        lambda: act.PReLU().derivative(np.array(["a"])),
        TypeError,
        "x",
    ),
    (
        "activations.Swish",
        "Swish derivative of complex",
        lambda: act.Swish().derivative(np.array([1j])),
        TypeError,
        "x",
    ),
    ("activations.RReLU", "RReLU of strings", lambda: act.RReLU()(np.array(["a"])), TypeError, "x"),
    (
        "activations.Activation",
        "base class of strings",
        lambda: act.Tanh.__mro__[1]()(np.array(["a"])),
        TypeError,
        "x",
    ),
    # --- initializers
    (
        "initializers.glorot_normal",
        "glorot_normal huge shape",
        lambda: ini.glorot_normal((10**6, 10**6)),
        ValueError,
        "shape",
    ),
    (
        "initializers.glorot_uniform",
        "glorot_uniform NaN dim",
        lambda: ini.glorot_uniform((math.nan, 3)),
        TypeError,
        "shape",
    ),
    (
        "initializers.he_normal",
        "he_normal 1e12-cubed shape",
        lambda: ini.he_normal((HUGE, HUGE, HUGE)),
        ValueError,
        "shape",
    ),
    (
        "initializers.he_uniform",
        "he_uniform bool dtype",
        lambda: ini.he_uniform((3, 3), dtype=bool),
        TypeError,
        "dtype",
    ),
    (
        "initializers.lecun_normal",
        "lecun_normal complex seed",
        lambda: ini.lecun_normal((3, 3), rng=1j),
        TypeError,
        "rng",
    ),
    (
        "initializers.lecun_uniform",
        "lecun_uniform nested shape",
        lambda: ini.lecun_uniform([[3, 3]]),
        TypeError,
        "shape",
    ),
    (
        "initializers.standard_uniform",
        "standard_uniform object dtype",
        lambda: ini.standard_uniform((3, 3), dtype=object),
        TypeError,
        "dtype",
    ),
    (
        "initializers.VarianceScaling",
        "VarianceScaling instance, rank 1",
        lambda: ini.VarianceScaling(2.0)((10,)),
        ValueError,
        "shape",
    ),
    (
        "initializers.VarianceScaling",
        "VarianceScaling bool axis",
        lambda: ini.VarianceScaling(in_axis=True),
        TypeError,
        "in_axis",
    ),
    (
        "initializers.VarianceScaling",
        "VarianceScaling complex scale",
        lambda: ini.VarianceScaling(scale=1j),
        TypeError,
        "scale",
    ),
    (
        "initializers.VarianceScaling",
        "VarianceScaling mode=None",
        lambda: ini.VarianceScaling(mode=None),
        ValueError,
        "mode",
    ),
    (
        "initializers.Orthogonal",
        "Orthogonal NaN gain",
        lambda: ini.Orthogonal(gain=math.nan),
        ValueError,
        "gain",
    ),
    (
        "initializers.Orthogonal",
        "Orthogonal huge shape",
        lambda: ini.Orthogonal()((10**6, 10**6), rng=0),
        ValueError,
        "shape",
    ),
    (
        "initializers.Orthogonal",
        "Orthogonal legacy RandomState",
        lambda: ini.Orthogonal()((3, 3), rng=np.random.RandomState(0)),
        TypeError,
        "rng",
    ),
    (
        "initializers.orthogonal",
        "orthogonal string gain",
        lambda: ini.orthogonal(gain="1"),
        TypeError,
        "gain",
    ),
    (
        "initializers.get_initializer",
        "initializer name as bytes",
        lambda: ini.get_initializer(b"he_normal"),
        TypeError,
        "initializer",
    ),
    (
        "initializers.as_generator",
        "as_generator NaN seed",
        lambda: ini.as_generator(math.nan),
        TypeError,
        "rng",
    ),
    (
        "initializers.as_generator",
        "as_generator names its caller's parameter",
        lambda: ini.as_generator("0", name="seed"),
        TypeError,
        "seed",
    ),
    (
        "initializers.check_memory",
        "check_memory refuses 1e15 bytes",
        lambda: ini.check_memory(10**15, "width", 10**7, "a test"),
        ValueError,
        "width",
    ),
    (
        "initializers.check_memory",
        "check_memory negative bytes",
        lambda: ini.check_memory(-1, "width", 1, "a test"),
        ValueError,
        "nbytes",
    ),
    (
        "initializers.check_memory",
        "check_memory string bytes",
        lambda: ini.check_memory("3", "width", 1, "a test"),
        TypeError,
        "nbytes",
    ),
    # --- fans
    (
        "fans.compute_fans",
        "compute_fans NaN axis",
        lambda: compute_fans((3, 4), out_axis=math.nan),
        TypeError,
        "out_axis",
    ),
    (
        "fans.compute_fans",
        "compute_fans string shape",
        lambda: compute_fans("34"),
        TypeError,
        "shape",
    ),
    (
        "fans.validate_shape",
        "validate_shape names its caller's parameter",
        lambda: initact.fans.validate_shape((3, -1), name="kernel"),
        ValueError,
        "kernel",
    ),
    (
        "fans.validate_shape",
        "validate_shape float dim",
        lambda: initact.fans.validate_shape((3, 2.0)),
        TypeError,
        "shape",
    ),
    # --- theory
    (
        "theory.propagate_variance",
        "propagate_variance for 1e7 layers fails fast",
        lambda: propagate_variance("tanh", 1.0, 10**7),
        ValueError,
        "depth",
    ),
    (
        "theory.propagate_variance",
        "propagate_variance NaN q0",
        lambda: propagate_variance("tanh", 1.0, 3, q0=math.nan),
        ValueError,
        "q0",
    ),
    (
        "theory.propagate_variance",
        "propagate_variance array max_work",
        lambda: propagate_variance("tanh", 1.0, 3, max_work=np.array([1.0, 2.0])),
        TypeError,
        "max_work",
    ),
    (
        "theory.backpropagate_variance",
        "backpropagate_variance bool depth",
        lambda: th.backpropagate_variance("tanh", 1.0, True),
        TypeError,
        "depth",
    ),
    (
        "theory.backpropagate_variance",
        "backpropagate_variance unknown activation",
        lambda: th.backpropagate_variance("tanhh", 1.0, 3),
        ValueError,
        "name",
    ),
    (
        "theory.backpropagate_variance",
        "backpropagate_variance inf scale",
        lambda: th.backpropagate_variance("tanh", math.inf, 3),
        ValueError,
        "scale",
    ),
    ("theory.moments", "moments string q", lambda: moments("tanh", q="1"), TypeError, "q"),
    ("theory.moments", "moments activation as int", lambda: moments(3), TypeError, "name"),
    (
        "theory.recommend",
        "recommend unknown activation",
        lambda: th.recommend("relu7"),
        ValueError,
        "name",
    ),
    (
        "theory.recommend",
        "recommend activation as list",
        lambda: th.recommend(["relu"]),
        TypeError,
        "name",
    ),
    (
        "theory.recommended_scale",
        "recommended_scale criterion=3",
        lambda: recommended_scale("relu", 3),
        ValueError,
        "criterion",
    ),
    (
        "theory.torch_gain",
        "torch_gain unknown name",
        lambda: th.torch_gain("relu6"),
        ValueError,
        "name",
    ),
    (
        "theory.torch_gain",
        "torch_gain name as list",
        lambda: th.torch_gain(["relu"]),
        TypeError,
        "name",
    ),
    (
        "theory.torch_gain",
        "torch_gain NaN slope",
        lambda: th.torch_gain("leaky_relu", math.nan),
        ValueError,
        "param",
    ),
    # --- nn: layers, model, losses, training
    ("nn.Dense", "Dense bool width", lambda: nn.Dense(True, 3), TypeError, "n_in"),
    ("nn.Dense", "Dense float width", lambda: nn.Dense(4, 3.0), TypeError, "n_out"),
    (
        "nn.Dense",
        "Dense complex bias",
        lambda: nn.Dense(4, 3, bias_init=1j),
        TypeError,
        "bias_init",
    ),
    ("nn.Dense", "Dense float16", lambda: nn.Dense(4, 3, dtype=np.float16), TypeError, "dtype"),
    (
        "nn.Dense",
        "Dense 1e12 inputs names n_in",
        lambda: nn.Dense(HUGE, 3),
        ValueError,
        "n_in",
    ),
    (
        "nn.Dense",
        "Dense unknown kernel_init",
        lambda: nn.Dense(4, 3, kernel_init="he_gaussian"),
        ValueError,
        "kernel_init",
    ),
    (
        "nn.ActivationLayer",
        "ActivationLayer unknown activation",
        lambda: nn.ActivationLayer("relu7"),
        ValueError,
        "name",
    ),
    (
        "nn.ActivationLayer",
        "ActivationLayer per-unit PReLU without n_units",
        lambda: nn.ActivationLayer("prelu", per_unit=True),
        TypeError,
        "n_units",
    ),
    (
        "nn.ActivationLayer",
        "ActivationLayer per_unit for ReLU",
        lambda: nn.ActivationLayer("relu", 3, per_unit=True),
        ValueError,
        "per_unit",
    ),
    (
        "nn.ActivationLayer",
        "ActivationLayer per-unit alpha of the wrong length",
        lambda: nn.ActivationLayer("prelu", 3, per_unit=True, alpha=np.array([0.1, 0.2])),
        ValueError,
        "alpha",
    ),
    (
        "nn.ActivationLayer",
        "ActivationLayer per_unit='yes'",
        lambda: nn.ActivationLayer("prelu", 3, per_unit="yes"),
        TypeError,
        "per_unit",
    ),
    (
        "nn.ActivationLayer",
        "ActivationLayer 1e12 units",
        lambda: nn.ActivationLayer("prelu", HUGE, per_unit=True),
        ValueError,
        "n_units",
    ),
    ("nn.Dropout", "Dropout rate 1", lambda: nn.Dropout(1.0), ValueError, "rate"),
    ("nn.Dropout", "Dropout string rate", lambda: nn.Dropout("0.5"), TypeError, "rate"),
    (
        "nn.AlphaDropout",
        "AlphaDropout NaN rate",
        lambda: nn.AlphaDropout(math.nan),
        ValueError,
        "rate",
    ),
    (
        "nn.AlphaDropout",
        "AlphaDropout RandomState",
        lambda: nn.AlphaDropout(0.1, rng=np.random.RandomState(0)),
        TypeError,
        "rng",
    ),
    (
        "nn.MLP",
        "MLP of mismatched layers",
        lambda: nn.MLP([nn.Dense(4, 3, rng=0), nn.Dense(5, 2, rng=0)]),
        ValueError,
        "layers",
    ),
    (
        "nn.MLP",
        "MLP layers=None",
        lambda: nn.MLP(None),
        TypeError,
        "layers",
    ),
    (
        "nn.MLP",
        "MLP predict with 3 features",
        lambda: _model().predict(np.ones((2, 3))),
        ValueError,
        "X",
    ),
    (
        "nn.MLP",
        "MLP predict of NaN",
        lambda: _model().predict(np.full((2, 4), np.nan)),
        ValueError,
        "X",
    ),
    (
        "nn.MLP",
        "MLP predict of a ragged list",
        lambda: _model().predict([[1.0, 2.0], [3.0]]),
        ValueError,
        "X",
    ),
    ("nn.SGD", "SGD negative lr", lambda: nn.SGD(-0.1), ValueError, "lr"),
    ("nn.SGD", "SGD momentum 1", lambda: nn.SGD(0.1, momentum=1.0), ValueError, "momentum"),
    ("nn.SGD", "SGD string lr", lambda: nn.SGD("0.1"), TypeError, "lr"),
    ("nn.mlp", "mlp one size", lambda: nn.mlp([4]), ValueError, "sizes"),
    ("nn.mlp", "mlp bool width", lambda: nn.mlp([4, True, 2]), TypeError, "sizes"),
    (
        "nn.mlp",
        "mlp per-unit PReLU alpha of the wrong length",
        lambda: nn.mlp([2, 2, 2], "prelu", per_unit=True, alpha=np.array([0.1, 0.9, 0.5])),
        ValueError,
        "alpha",
    ),
    (
        "nn.mlp",
        "mlp dropout 1.5 names dropout",
        lambda: nn.mlp([4, 3, 2], dropout=1.5),
        ValueError,
        "dropout",
    ),
    (
        "nn.mlp",
        "mlp 1e12-wide layer names sizes",
        lambda: nn.mlp([4, HUGE, 2]),
        ValueError,
        "sizes",
    ),
    (
        "nn.randomized_asymmetric_init",
        "randomized_asymmetric_init NaN sigma",
        lambda: nn.randomized_asymmetric_init(_model(), 0, sigma=math.nan),
        ValueError,
        "sigma",
    ),
    (
        "nn.randomized_asymmetric_init",
        "randomized_asymmetric_init string sigma",
        lambda: nn.randomized_asymmetric_init(_model(), 0, sigma="0.6"),
        TypeError,
        "sigma",
    ),
    (
        "nn.randomized_asymmetric_init",
        "randomized_asymmetric_init complex sigma",
        lambda: nn.randomized_asymmetric_init(_model(), 0, sigma=1j),
        TypeError,
        "sigma",
    ),
    (
        "nn.lsuv",
        "lsuv NaN X",
        lambda: nn.lsuv(_model("tanh"), np.full((6, 4), np.nan)),
        ValueError,
        "X",
    ),
    ("nn.lsuv", "lsuv zero tol", lambda: nn.lsuv(_model("tanh"), _X(), tol=0.0), ValueError, "tol"),
    (
        "nn.lsuv",
        "lsuv model=None",
        lambda: nn.lsuv(None, _X()),
        TypeError,
        "model",
    ),
    (
        "nn.softmax_cross_entropy",
        "softmax label -1",
        lambda: nn.softmax_cross_entropy(np.zeros((3, 2)), np.array([0, 1, -1])),
        ValueError,
        "y",
    ),
    (
        "nn.softmax_cross_entropy",
        "softmax label >= classes",
        lambda: nn.softmax_cross_entropy(np.zeros((3, 2)), np.array([0, 1, 2])),
        ValueError,
        "y",
    ),
    (
        "nn.softmax_cross_entropy",
        "softmax float labels",
        lambda: nn.softmax_cross_entropy(np.zeros((3, 2)), np.array([0.0, 1.0, 0.5])),
        TypeError,
        "y",
    ),
    (
        "nn.softmax_cross_entropy",
        "softmax length mismatch",
        lambda: nn.softmax_cross_entropy(np.zeros((3, 2)), np.array([0, 1])),
        ValueError,
        "y",
    ),
    (
        "nn.softmax_cross_entropy",
        "softmax 1-D logits",
        lambda: nn.softmax_cross_entropy(np.zeros(3), np.array([0, 1, 0])),
        ValueError,
        "logits",
    ),
    (
        "nn.softmax_cross_entropy",
        "softmax complex logits",
        lambda: nn.softmax_cross_entropy(np.zeros((3, 2)) * 1j, np.array([0, 1, 0])),
        TypeError,
        "logits",
    ),
    (
        "nn.mean_squared_error",
        "MSE (5, 1) against (5,) does not broadcast",
        lambda: nn.mean_squared_error(np.zeros((5, 1)), np.zeros(5)),
        ValueError,
        "target",
    ),
    (
        "nn.mean_squared_error",
        "MSE string target",
        lambda: nn.mean_squared_error(np.zeros((2, 1)), np.full((2, 1), "a")),
        TypeError,
        "target",
    ),
    (
        "nn.mean_squared_error",
        "MSE complex pred",
        lambda: nn.mean_squared_error(np.zeros((2, 1)) * 1j, np.zeros((2, 1))),
        TypeError,
        "pred",
    ),
    ("nn.fit", "fit zero epochs", lambda: _fit(epochs=0), ValueError, "epochs"),
    ("nn.fit", "fit bool batch_size", lambda: _fit(batch_size=True), TypeError, "batch_size"),
    ("nn.fit", "fit inf lr", lambda: _fit(lr=math.inf), ValueError, "lr"),
    ("nn.fit", "fit NaN X", lambda: _fit(X=np.full((6, 4), np.nan)), ValueError, "X"),
    ("nn.fit", "fit labels one short", lambda: _fit(y=np.array([0, 1, 0, 1, 0])), ValueError, "y"),
    ("nn.fit", "fit unknown loss", lambda: _fit(loss="hinge"), ValueError, "loss"),
    ("nn.fit", "fit X_val without y_val", lambda: _fit(X_val=_X()), ValueError, "y_val"),
    ("nn.fit", "fit optimizer not an SGD", lambda: _fit(optimizer="sgd"), TypeError, "optimizer"),
    (
        "nn.fit",
        "fit a callback that is not one",
        lambda: _fit(callbacks=[3]),
        TypeError,
        "callbacks",
    ),
    (
        "nn.fit",
        "fit callbacks=3",
        lambda: _fit(callbacks=3),
        TypeError,
        "callbacks",
    ),
    (
        "nn.fit",
        "fit progress='yes'",
        lambda: _fit(progress="yes"),
        TypeError,
        "progress",
    ),
    (
        "nn.Layer",
        "a model of one Dense layer fed strings",
        lambda: nn.MLP([nn.Dense(4, 2, rng=0)]).predict(np.full((2, 4), "a")),
        TypeError,
        "X",
    ),
    # --- diagnostics
    (
        "diagnostics.dead_units",
        "dead_units 3 features",
        lambda: dg.dead_units(_model(), np.ones((2, 3))),
        ValueError,
        "X",
    ),
    (
        "diagnostics.dead_units",
        "dead_units model=None",
        lambda: dg.dead_units(None, _X()),
        TypeError,
        "model",
    ),
    (
        "diagnostics.dead_fraction",
        "dead_fraction empty X",
        lambda: dg.dead_fraction(_model(), np.empty((0, 4))),
        ValueError,
        "X",
    ),
    (
        "diagnostics.is_born_dead",
        "is_born_dead NaN atol",
        lambda: dg.is_born_dead(_model(), _X(), atol=math.nan),
        ValueError,
        "atol",
    ),
    (
        "diagnostics.parameter_distance",
        "parameter_distance other=None",
        lambda: dg.parameter_distance(_model(), None),
        TypeError,
        "other",
    ),
    (
        "diagnostics.parameter_distance",
        "parameter_distance different sizes",
        lambda: dg.parameter_distance(_model(), _model(sizes=(4, 3, 2))),
        ValueError,
        "other",
    ),
    (
        "diagnostics.born_dead_exact",
        "born_dead_exact bool width",
        lambda: dg.born_dead_exact(True, 3),
        TypeError,
        "width",
    ),
    (
        "diagnostics.born_dead_exact",
        "born_dead_exact float depth",
        lambda: dg.born_dead_exact(3, 2.0),
        TypeError,
        "depth",
    ),
    (
        "diagnostics.born_dead_probability",
        "born_dead_probability(5000, 3) fails fast",
        lambda: dg.born_dead_probability(5000, 3),
        ValueError,
        "width",
    ),
    (
        "diagnostics.born_dead_probability",
        "born_dead_probability NaN x",
        lambda: dg.born_dead_probability(3, 2, x=np.array([np.nan, 1.0, 2.0])),
        ValueError,
        "x",
    ),
    (
        "diagnostics.born_dead_probability",
        "born_dead_probability string trials",
        lambda: dg.born_dead_probability(3, 2, trials="10"),
        TypeError,
        "trials",
    ),
    (
        "diagnostics.born_dead_probability",
        "born_dead_probability array max_work",
        lambda: dg.born_dead_probability(3, 2, max_work=np.array([1.0, 2.0])),
        TypeError,
        "max_work",
    ),
    (
        "diagnostics.Recorder",
        "Recorder saturation 0.3",
        lambda: dg.Recorder(saturation=0.3),
        ValueError,
        "saturation",
    ),
    (
        "diagnostics.Recorder",
        "Recorder 1e12 bins",
        lambda: dg.Recorder(bins=HUGE),
        ValueError,
        "bins",
    ),
    (
        "diagnostics.Recorder",
        "Recorder float every",
        lambda: dg.Recorder(every=1.5),
        TypeError,
        "every",
    ),
    (
        "diagnostics.Snapshots",
        "Snapshots inside a bad fit still names the fit's parameter",
        lambda: _fit(callbacks=[dg.Snapshots()], epochs=-1),
        ValueError,
        "epochs",
    ),
    (
        "diagnostics.ParameterLog",
        "ParameterLog key=None",
        lambda: dg.ParameterLog(None),
        TypeError,
        "key",
    ),
    ("diagnostics.DeadChart", "DeadChart 1-D X", lambda: dg.DeadChart(np.ones(4)), ValueError, "X"),
    (
        "diagnostics.DeadChart",
        "DeadChart NaN X",
        lambda: dg.DeadChart(np.full((3, 4), np.nan)),
        ValueError,
        "X",
    ),
    # --- propagation
    (
        "propagation.propagate",
        "propagate zero width",
        lambda: initact.propagation.propagate("tanh", "he_normal", depth=3, width=0),
        ValueError,
        "width",
    ),
    (
        "propagation.propagate",
        "propagate float depth",
        lambda: initact.propagation.propagate("tanh", "he_normal", depth=3.0, width=8),
        TypeError,
        "depth",
    ),
    (
        "propagation.propagate",
        "propagate 1e12 samples fails fast",
        lambda: initact.propagation.propagate(
            "tanh", "he_normal", depth=3, width=8, n_samples=HUGE
        ),
        ValueError,
        "n_samples",
    ),
    (
        "propagation.propagate",
        "propagate 1e12 layers fails fast",
        lambda: initact.propagation.propagate("tanh", "he_normal", depth=HUGE, width=8),
        ValueError,
        "depth",
    ),
    (
        "propagation.propagate",
        "propagate backward='yes'",
        lambda: initact.propagation.propagate(
            "tanh", "he_normal", depth=3, width=8, backward="yes"
        ),
        TypeError,
        "backward",
    ),
    # --- data (offline: download=False)
    (
        "data.fetch_fashion_mnist",
        "fetch_fashion_mnist download='no'",
        lambda: dt.fetch_fashion_mnist(download="no"),
        TypeError,
        "download",
    ),
    (
        "data.fetch_fashion_mnist",
        "fetch_fashion_mnist NaN timeout",
        lambda: dt.fetch_fashion_mnist(download=False, timeout=math.nan),
        ValueError,
        "timeout",
    ),
    (
        "data.fetch_fashion_mnist",
        "fetch_fashion_mnist deadline of a week",
        lambda: dt.fetch_fashion_mnist(download=False, deadline=7 * 86400.0),
        ValueError,
        "deadline",
    ),
    (
        "data.fetch_fashion_mnist",
        "fetch_fashion_mnist base_url as int",
        lambda: dt.fetch_fashion_mnist(download=False, base_url=3),
        TypeError,
        "base_url",
    ),
    (
        "data.load_fashion_mnist",
        "load_fashion_mnist val_size 1",
        lambda: dt.load_fashion_mnist(**_empty_cache(), val_size=1.0),
        ValueError,
        "val_size",
    ),
    (
        "data.load_fashion_mnist",
        "load_fashion_mnist cache_dir as int",
        lambda: dt.load_fashion_mnist(cache_dir=3, download=False),
        TypeError,
        "cache_dir",
    ),
    (
        "data.load_digits",
        "load_digits sizes that leave no training set",
        lambda: dt.load_digits(val_size=0.5, test_size=0.5),
        ValueError,
        "size",
    ),
    (
        "data.load_digits",
        "load_digits integer dtype",
        lambda: dt.load_digits(dtype=np.int64),
        TypeError,
        "dtype",
    ),
    (
        "data.load_digits",
        "load_digits string seed",
        lambda: dt.load_digits(seed="0"),
        TypeError,
        "seed",
    ),
    (
        "data.make_spirals",
        "make_spirals NaN noise",
        lambda: dt.make_spirals(50, noise=math.nan),
        ValueError,
        "noise",
    ),
    (
        "data.make_spirals",
        "make_spirals bool n_samples",
        lambda: dt.make_spirals(True),
        TypeError,
        "n_samples",
    ),
    (
        "data.make_spirals",
        "make_spirals 1e12 samples fails fast",
        lambda: dt.make_spirals(HUGE),
        ValueError,
        "n_samples",
    ),
    (
        "data.make_teacher",
        "make_teacher one class",
        lambda: dt.make_teacher(50, n_classes=1),
        ValueError,
        "n_classes",
    ),
    (
        "data.make_teacher",
        "make_teacher hidden as string",
        lambda: dt.make_teacher(50, hidden="32"),
        TypeError,
        "hidden",
    ),
    (
        "data.make_teacher",
        "make_teacher 1e12 samples fails fast",
        lambda: dt.make_teacher(HUGE),
        ValueError,
        "n_samples",
    ),
    (
        "data.make_teacher",
        "make_teacher 1e12 features fails fast",
        lambda: dt.make_teacher(50, n_features=HUGE),
        ValueError,
        "n_features",
    ),
    ("data.read_idx", "read_idx path as int", lambda: dt.read_idx(3), TypeError, "path"),
    ("data.read_idx", "read_idx a folder", lambda: dt.read_idx(_idx_folder()), ValueError, "path"),
]


def _widgets():
    return pytest.importorskip("initact.widgets")


def _experiments():
    import initact.experiments

    return initact.experiments


def _p(module, name):
    """A plotting function, imported on call (matplotlib is imported lazily)."""
    import importlib

    return getattr(importlib.import_module(f"initact.plotting.{module}"), name)


S3 = [0.1, 0.2, 0.3]

# The names added with the pure activations and Keras's initializers.
NEW_API_CASES = [
    (
        "activations.ShiftedReLU",
        "ShiftedReLU NaN sub",
        lambda: act.ShiftedReLU(sub=math.nan),
        ValueError,
        "sub",
    ),
    (
        "activations.leaky_relu",
        "leaky_relu NaN slope",
        lambda: act.leaky_relu(np.ones(3), math.nan),
        ValueError,
        "slope",
    ),
    (
        "activations.leaky_relu",
        "leaky_relu slopes of the wrong width",
        lambda: act.leaky_relu(np.ones((2, 3)), np.ones(2)),
        ValueError,
        "slope",
    ),
    (
        "activations.leaky_relu",
        "leaky_relu string slope",
        lambda: act.leaky_relu(np.ones(3), "0.1"),
        TypeError,
        "slope",
    ),
    (
        "activations.leaky_relu",
        "leaky_relu complex x",
        lambda: act.leaky_relu(np.ones(3) * 1j, 0.1),
        TypeError,
        "x",
    ),
    (
        "activations.leaky_relu_derivative",
        "leaky_relu_derivative inf slope",
        lambda: act.leaky_relu_derivative(np.ones(3), math.inf),
        ValueError,
        "slope",
    ),
    (
        "activations.leaky_relu_derivative",
        "leaky_relu_derivative slopes that broadcast x up",
        lambda: act.leaky_relu_derivative(np.ones(3), np.ones((2, 3))),
        ValueError,
        "slope",
    ),
    (
        "initializers.Constant",
        "Constant NaN value",
        lambda: initact.Constant(math.nan),
        ValueError,
        "value",
    ),
    (
        "initializers.Constant",
        "Constant string value",
        lambda: initact.Constant("0"),
        TypeError,
        "value",
    ),
    (
        "initializers.RandomNormal",
        "RandomNormal negative stddev",
        lambda: initact.RandomNormal(stddev=-0.1),
        ValueError,
        "stddev",
    ),
    (
        "initializers.RandomNormal",
        "RandomNormal inf mean",
        lambda: initact.RandomNormal(mean=math.inf),
        ValueError,
        "mean",
    ),
    (
        "initializers.RandomUniform",
        "RandomUniform minval above maxval",
        lambda: initact.RandomUniform(1.0, 0.0),
        ValueError,
        "minval",
    ),
    (
        "initializers.RandomUniform",
        "RandomUniform bool maxval",
        lambda: initact.RandomUniform(maxval=True),
        TypeError,
        "maxval",
    ),
    (
        "initializers.TruncatedNormal",
        "TruncatedNormal NaN stddev",
        lambda: initact.TruncatedNormal(stddev=math.nan),
        ValueError,
        "stddev",
    ),
    (
        "initializers.TruncatedNormal",
        "TruncatedNormal 1e12 rows",
        lambda: initact.TruncatedNormal()((HUGE, 10)),
        ValueError,
        "shape",
    ),
    (
        "initializers.zeros",
        "zeros negative dim",
        lambda: initact.zeros((-1, 2)),
        ValueError,
        "shape",
    ),
    (
        "initializers.zeros",
        "zeros 1e12 rows",
        lambda: initact.zeros((HUGE, 10)),
        ValueError,
        "shape",
    ),
    ("initializers.ones", "ones float dim", lambda: initact.ones((2.0, 2)), TypeError, "shape"),
    (
        "initializers.ones",
        "ones integer dtype",
        lambda: initact.ones((2, 2), dtype=np.int8),
        TypeError,
        "dtype",
    ),
    (
        "nn.evaluate",
        "evaluate labels of another length",
        lambda: nn.evaluate(_model(), _X(), np.zeros(2, dtype=int)),
        ValueError,
        "y",
    ),
    (
        "nn.evaluate",
        "evaluate unknown loss",
        lambda: nn.evaluate(_model(), _X(), np.zeros(len(_X()), dtype=int), loss="hinge"),
        ValueError,
        "loss",
    ),
    ("nn.fit", "fit loss given as a list", lambda: _fit(loss=["cross_entropy"]), TypeError, "loss"),
    (
        "nn.softmax_cross_entropy",
        "softmax_cross_entropy ragged logits",
        lambda: nn.softmax_cross_entropy([[1.0, 2.0], [3.0]], np.array([0, 1])),
        ValueError,
        "logits",
    ),
    (
        "diagnostics.DeadChart",
        "DeadChart ragged X",
        lambda: dg.DeadChart([[1.0, 2.0], [3.0]]),
        ValueError,
        "X",
    ),
    (
        "propagation.propagate",
        "propagate unknown kernel_init names it",
        lambda: initact.propagation.propagate("relu", "he_gaussian", depth=2, width=3),
        ValueError,
        "kernel_init",
    ),
    (
        "data.read_idx",
        "read_idx of a file that is no IDX names path",
        lambda: initact.data.read_idx(_garbage_file()),
        ValueError,
        "path",
    ),
    (
        "experiments.scaled_initializer",
        "scaled_initializer unknown preset names it",
        lambda: _experiments().scaled_initializer("he_gaussian"),
        ValueError,
        "preset",
    ),
    (
        "experiments.dying_relu_experiment",
        "dying_relu_experiment 1e12 epochs fails fast",
        lambda: _experiments().dying_relu_experiment(0.1, epochs=HUGE),
        ValueError,
        "epochs",
    ),
    (
        "audit.audit",
        "audit of an int",
        lambda: _audit()(3),
        TypeError,
        "model",
    ),
    (
        "audit.audit",
        "audit of no kernel",
        lambda: _audit()([]),
        ValueError,
        "model",
    ),
    (
        "audit.audit",
        "audit unknown layout",
        lambda: _audit()(_kernels(), layout="jax"),
        ValueError,
        "layout",
    ),
    (
        "audit.audit",
        "audit X of strings",
        lambda: _audit()(_kernels(), X="abc"),
        TypeError,
        "X",
    ),
    (
        "audit.audit",
        "audit X of the wrong width",
        lambda: _audit()(_kernels(), X=np.ones((2, 5))),
        ValueError,
        "X",
    ),
    (
        "audit.audit",
        "audit activations for arrays",
        lambda: _audit()(_kernels(), activations={"0": "relu"}),
        TypeError,
        "activations",
    ),
    (
        "audit.audit",
        "audit a 1-D kernel",
        lambda: _audit()([(np.ones(3), "relu")]),
        ValueError,
        "kernel",
    ),
    (
        "data.fetch_fashion_mnist",
        "fetch_fashion_mnist cache_dir is a file",
        lambda: initact.data.fetch_fashion_mnist(_garbage_file(), download=False),
        ValueError,
        "cache_dir",
    ),
    (
        "data.load_fashion_mnist",
        "load_fashion_mnist cache_dir is a file",
        lambda: initact.data.load_fashion_mnist(_garbage_file(), download=False),
        ValueError,
        "cache_dir",
    ),
]

WIDGET_AND_PLOT_CASES = [
    # --- widgets (experiments and explorers)
    (
        "experiments.depth_experiment",
        "depth_experiment zero depth",
        lambda: _experiments().depth_experiment(depth=0),
        ValueError,
        "depth",
    ),
    (
        "experiments.depth_experiment",
        "depth_experiment 1e12 samples",
        lambda: _experiments().depth_experiment(depth=3, width=10, n_samples=HUGE),
        ValueError,
        "n_samples",
    ),
    (
        "experiments.depth_experiment",
        "depth_experiment 1e12 layers fails fast",
        lambda: _experiments().depth_experiment(depth=HUGE, width=10),
        ValueError,
        "depth",
    ),
    (
        "widgets.depth_explorer",
        "DepthExplorer width below the slider",
        lambda: _widgets().depth_explorer(width=5),
        ValueError,
        "width",
    ),
    (
        "widgets.depth_explorer",
        "depth_explorer scale above the slider",
        lambda: _widgets().depth_explorer(scale=100.0),
        ValueError,
        "scale",
    ),
    (
        "experiments.depth_experiment",
        "depth_experiment unknown activation",
        lambda: _experiments().depth_experiment(activation="relu7", depth=3, width=10),
        ValueError,
        "activation",
    ),
    (
        "experiments.depth_experiment",
        "depth_experiment 1e12 width names width",
        lambda: _experiments().depth_experiment(depth=3, width=HUGE),
        ValueError,
        "width",
    ),
    (
        "experiments.dying_relu_experiment",
        "dying_relu_experiment NaN lr",
        lambda: _experiments().dying_relu_experiment(math.nan),
        ValueError,
        "lr",
    ),
    (
        "widgets.dying_relu_explorer",
        "DyingReluExplorer zero epochs",
        lambda: _widgets().dying_relu_explorer(epochs=0),
        ValueError,
        "epochs",
    ),
    (
        "widgets.dying_relu_explorer",
        "dying_relu_explorer string seed",
        lambda: _widgets().dying_relu_explorer(seed="0"),
        TypeError,
        "seed",
    ),
    (
        "experiments.dying_relu_experiment",
        "dying_relu_experiment tanh is not on the menu",
        lambda: _experiments().dying_relu_experiment(0.1, "tanh", epochs=1),
        ValueError,
        "activation",
    ),
    (
        "experiments.initializer_scale",
        "initializer_scale of an int",
        lambda: _experiments().initializer_scale(3),
        TypeError,
        "initializer",
    ),
    (
        "experiments.scaled_initializer",
        "scaled_initializer NaN scale",
        lambda: _experiments().scaled_initializer("he_normal", math.nan),
        ValueError,
        "scale",
    ),
    # issue 11: the training experiment and the explorers that need no kernel
    (
        "experiments.training_experiment",
        "training_experiment rrelu is not on the menu",
        lambda: _experiments().training_experiment("rrelu", epochs=1),
        ValueError,
        "activation",
    ),
    (
        "experiments.training_experiment",
        "training_experiment on_epoch not callable",
        lambda: _experiments().training_experiment(epochs=1, on_epoch=3),
        TypeError,
        "on_epoch",
    ),
    (
        "widgets.training_explorer",
        "training_explorer lr above the slider",
        lambda: _widgets().training_explorer(lr=10.0),
        ValueError,
        "lr",
    ),
    (
        "widgets.static_explorer",
        "static_explorer unknown kind",
        lambda: _widgets().static_explorer("width"),
        ValueError,
        "kind",
    ),
    (
        "plotting.explore.plot_forward_backward",
        "plot_forward_backward theory of the wrong length",
        lambda: _plot_forward_backward_short_theory(),
        ValueError,
        "theory_grad_var",
    ),
    (
        "plotting.explore.plot_training_run",
        "plot_training_run of a dict",
        lambda: __import__("initact.plotting.explore", fromlist=["x"]).plot_training_run({}),
        TypeError,
        "run",
    ),
    # --- plotting
    (
        "plotting.activations.plot_activations",
        "plot_activations no activations",
        lambda: _p("activations", "plot_activations")({}),
        ValueError,
        "activations",
    ),
    (
        "plotting.activations.plot_activations",
        "plot_activations one point",
        lambda: _p("activations", "plot_activations")({"relu": "relu"}, points=1),
        ValueError,
        "points",
    ),
    (
        "plotting.activations.plot_leaky_relu",
        "plot_leaky_relu empty alphas",
        lambda: _p("activations", "plot_leaky_relu")([]),
        ValueError,
        "alphas",
    ),
    (
        "plotting.activations.plot_leaky_relu",
        "plot_leaky_relu z_range of one number",
        lambda: _p("activations", "plot_leaky_relu")(z_range=(1.0,)),
        ValueError,
        "z_range",
    ),
    (
        "plotting.activations.plot_rrelu_samples",
        "plot_rrelu_samples NaN slope",
        lambda: _p("activations", "plot_rrelu_samples")(
            [0.0, 1.0], [0.0, 1.0], eval_slope=math.nan
        ),
        ValueError,
        "eval_slope",
    ),
    (
        "plotting.activations.plot_rrelu_samples",
        "plot_rrelu_samples empty z",
        lambda: _p("activations", "plot_rrelu_samples")([], [], eval_slope=0.2),
        ValueError,
        "z",
    ),
    (
        "plotting.activations.plot_seed_spread",
        "plot_seed_spread empty",
        lambda: _p("activations", "plot_seed_spread")({}),
        ValueError,
        "values",
    ),
    (
        "plotting.activations.plot_self_normalization",
        "plot_self_normalization empty",
        lambda: _p("activations", "plot_self_normalization")({}),
        ValueError,
        "runs",
    ),
    (
        "plotting.activations.plot_slopes",
        "plot_slopes empty",
        lambda: _p("activations", "plot_slopes")([]),
        ValueError,
        "slopes",
    ),
    (
        "plotting.explore.plot_dead_training",
        "plot_dead_training rows and epochs disagree",
        lambda: _p("explore", "plot_dead_training")([1, 2, 3], [[0.1], [0.2]], [0.5, 0.6]),
        ValueError,
        "dead_fractions",
    ),
    (
        "plotting.explore.plot_signal_by_depth",
        "plot_signal_by_depth theory of the wrong depth",
        lambda: _p("explore", "plot_signal_by_depth")(_propagation(), [1.0] * 5, [1.0] * 3),
        ValueError,
        "theory_q",
    ),
    (
        "plotting.propagation.plot_by_depth",
        "plot_by_depth series not a mapping",
        lambda: _p("propagation", "plot_by_depth")([0.1, 0.2]),
        TypeError,
        "series",
    ),
    (
        "plotting.propagation.plot_by_depth",
        "plot_by_depth empty theory",
        lambda: _p("propagation", "plot_by_depth")({"a": S3}, theory={}),
        TypeError,
        "theory",
    ),
    (
        "plotting.propagation.plot_layer_histograms",
        "plot_layer_histograms unknown quantity",
        lambda: _p("propagation", "plot_layer_histograms")(_propagation(), "weights"),
        ValueError,
        "quantity",
    ),
    (
        "plotting.propagation.plot_layer_histograms",
        "plot_layer_histograms run=None",
        lambda: _p("propagation", "plot_layer_histograms")(None),
        TypeError,
        "run",
    ),
    (
        "plotting.propagation.plot_layer_histograms",
        "plot_layer_histograms 1e12 bins",
        lambda: _p("propagation", "plot_layer_histograms")(_propagation(), bins=HUGE),
        ValueError,
        "bins",
    ),
    (
        "plotting.propagation.plot_layer_histograms",
        "plot_layer_histograms float bins",
        lambda: _p("propagation", "plot_layer_histograms")(_propagation(), bins=2.5),
        TypeError,
        "bins",
    ),
    (
        "plotting.saturation.plot_linear_regime",
        "plot_linear_regime one q",
        lambda: _p("saturation", "plot_linear_regime")([1.0], [1.0]),
        ValueError,
        "q",
    ),
    (
        "plotting.saturation.plot_linear_regime",
        "plot_linear_regime points as list",
        lambda: _p("saturation", "plot_linear_regime")(S3, S3, points=[1]),
        TypeError,
        "points",
    ),
    (
        "plotting.saturation.plot_saturation_over_training",
        "plot_saturation_over_training strings",
        lambda: _p("saturation", "plot_saturation_over_training")([1], [["a"]]),
        TypeError,
        "fractions",
    ),
    (
        "plotting.saturation.plot_saturation",
        "plot_saturation saturation 1",
        lambda: _p("saturation", "plot_saturation")(
            [0.0, 1.0], [0.0, 1.0], [1.0, 1.0], saturation=1.0
        ),
        ValueError,
        "saturation",
    ),
    (
        "plotting.theory.plot_log_ratio_spread",
        "plot_log_ratio_spread 1-D ratios",
        lambda: _p("theory", "plot_log_ratio_spread")(S3, theory=S3),
        ValueError,
        "ratios",
    ),
    (
        "plotting.theory.plot_loss_curves",
        "plot_loss_curves empty",
        lambda: _p("theory", "plot_loss_curves")({}),
        TypeError,
        "losses",
    ),
    (
        "plotting.theory.plot_scale_comparison",
        "plot_scale_comparison no labels",
        lambda: _p("theory", "plot_scale_comparison")([], {"a": [1.0]}),
        TypeError,
        "labels",
    ),
    (
        "plotting.theory.plot_weight_histograms",
        "plot_weight_histograms zero std",
        lambda: _p("theory", "plot_weight_histograms")({"a": S3}, std=0.0),
        ValueError,
        "std",
    ),
    (
        "plotting.training.plot_born_dead",
        "plot_born_dead empty simulated",
        lambda: _p("training", "plot_born_dead")([1, 2], {}),
        TypeError,
        "simulated",
    ),
    (
        "plotting.training.plot_color_dim",
        "plot_color_dim layer out of range",
        lambda: _p("training", "plot_color_dim")(
            [1, 2], np.ones((2, 1, 4)), [0, 1, 2, 3, 4], layer=3
        ),
        ValueError,
        "layer",
    ),
    (
        "plotting.training.plot_dead_chart",
        "plot_dead_chart one name for two layers",
        lambda: _p("training", "plot_dead_chart")(
            [1, 2], [[0.1, 0.2], [0.1, 0.3]], layer_names=["a"]
        ),
        ValueError,
        "layer_names",
    ),
    (
        "plotting.training.plot_dead_units",
        "plot_dead_units float masks",
        lambda: _p("training", "plot_dead_units")(np.zeros((2, 3))),
        TypeError,
        "masks",
    ),
    (
        "plotting.training.plot_divergence",
        "plot_divergence empty epochs",
        lambda: _p("training", "plot_divergence")([], {"a": S3}),
        ValueError,
        "epochs",
    ),
    (
        "plotting.training.plot_learning_curves",
        "plot_learning_curves unknown metric",
        lambda: _p("training", "plot_learning_curves")({"a": nn.History()}, metric="f1"),
        ValueError,
        "metric",
    ),
    (
        "plotting.training.plot_peak_preactivation",
        "plot_peak_preactivation empty peaks",
        lambda: _p("training", "plot_peak_preactivation")([1, 2], {}),
        TypeError,
        "peaks",
    ),
    (
        "plotting.training.plot_update_ratio",
        "plot_update_ratio negative ratio",
        lambda: _p("training", "plot_update_ratio")([1, 2], [[0.1], [-0.1]]),
        ValueError,
        "update_ratio",
    ),
    (
        "plotting.training.plot_update_ratio",
        "plot_update_ratio zero steps_per_epoch",
        lambda: _p("training", "plot_update_ratio")([1, 2], [[0.1], [0.1]], steps_per_epoch=0),
        ValueError,
        "steps_per_epoch",
    ),
    (
        "plotting.training.plot_zero_fraction",
        "plot_zero_fraction 1-D fractions",
        lambda: _p("training", "plot_zero_fraction")([1, 2], [0.1, 0.2]),
        ValueError,
        "zero_fraction",
    ),
    # --- plotting: every argument checked before anything is drawn
    (
        "plotting.activations.plot_activations",
        "plot_activations 1e12 points",
        lambda: _p("activations", "plot_activations")({"relu": "relu"}, points=HUGE),
        ValueError,
        "points",
    ),
    (
        "plotting.activations.plot_activations",
        "plot_activations derivative='yes'",
        lambda: _p("activations", "plot_activations")({"relu": "relu"}, derivative="yes"),
        TypeError,
        "derivative",
    ),
    (
        "plotting.activations.plot_activations",
        "plot_activations entry not an activation",
        lambda: _p("activations", "plot_activations")({"a": []}),
        TypeError,
        "activations['a']",
    ),
    (
        "plotting.activations.plot_activations",
        "plot_activations entry an unknown name",
        lambda: _p("activations", "plot_activations")({"a": "xyz"}),
        ValueError,
        "activations['a']",
    ),
    (
        "plotting.activations.plot_leaky_relu",
        "plot_leaky_relu ax a string",
        lambda: _p("activations", "plot_leaky_relu")(ax="ax"),
        TypeError,
        "ax must be a matplotlib Axes",
    ),
    (
        "plotting.activations.plot_leaky_relu",
        "plot_leaky_relu z_range a string",
        lambda: _p("activations", "plot_leaky_relu")(z_range="ab"),
        TypeError,
        "z_range",
    ),
    (
        "plotting.activations.plot_rrelu_samples",
        "plot_rrelu_samples ax an int",
        lambda: _p("activations", "plot_rrelu_samples")(
            [0.0, 1.0], [0.0, 1.0], eval_slope=0.2, ax=3
        ),
        TypeError,
        "ax",
    ),
    (
        "plotting.activations.plot_seed_spread",
        "plot_seed_spread ax an int",
        lambda: _p("activations", "plot_seed_spread")({"relu": S3}, ax=3),
        TypeError,
        "ax",
    ),
    (
        "plotting.activations.plot_self_normalization",
        "plot_self_normalization log='yes'",
        lambda: _p("activations", "plot_self_normalization")({"a": (S3, S3)}, log="yes"),
        TypeError,
        "log",
    ),
    (
        "plotting.activations.plot_slopes",
        "plot_slopes ragged",
        lambda: _p("activations", "plot_slopes")([[0.25, 0.25], [0.5]]),
        TypeError,
        "slopes",
    ),
    (
        "plotting.activations.plot_slopes",
        "plot_slopes NaN initial",
        lambda: _p("activations", "plot_slopes")(np.ones((3, 2)), initial=math.nan),
        ValueError,
        "initial",
    ),
    (
        "plotting.activations.plot_slopes",
        "plot_slopes string initial",
        lambda: _p("activations", "plot_slopes")(np.ones((3, 2)), initial="0.25"),
        TypeError,
        "initial",
    ),
    (
        "plotting.explore.plot_dead_training",
        "plot_dead_training epochs=None",
        lambda: _p("explore", "plot_dead_training")(None, [[0.1], [0.2]], [0.5]),
        TypeError,
        "epochs",
    ),
    (
        "plotting.explore.plot_dead_training",
        "plot_dead_training epoch 0.5",
        lambda: _p("explore", "plot_dead_training")([0, 0.5], [[0.1], [0.2]], [0.5]),
        ValueError,
        "epochs",
    ),
    (
        "plotting.explore.plot_dead_training",
        "plot_dead_training ragged dead_fractions",
        lambda: _p("explore", "plot_dead_training")([0, 1], [[0.1, 0.2], [0.3]], [0.5]),
        TypeError,
        "dead_fractions",
    ),
    (
        "plotting.explore.plot_dead_training",
        "plot_dead_training dead fraction above 1",
        lambda: _p("explore", "plot_dead_training")([0, 1], [[0.1], [1.5]], [0.5]),
        ValueError,
        "dead_fractions",
    ),
    (
        "plotting.explore.plot_dead_training",
        "plot_dead_training accuracy=None",
        lambda: _p("explore", "plot_dead_training")([0, 1], [[0.1], [0.2]], None),
        TypeError,
        "accuracy",
    ),
    (
        "plotting.explore.plot_dead_training",
        "plot_dead_training accuracy a number",
        lambda: _p("explore", "plot_dead_training")([0, 1], [[0.1], [0.2]], 0.5),
        ValueError,
        "accuracy",
    ),
    (
        "plotting.explore.plot_dead_training",
        "plot_dead_training val_accuracy above 1",
        lambda: _p("explore", "plot_dead_training")([0, 1], [[0.1], [0.2]], [0.5], [1.5]),
        ValueError,
        "val_accuracy",
    ),
    (
        "plotting.explore.plot_dead_training",
        "plot_dead_training float n_epochs",
        lambda: _p("explore", "plot_dead_training")([0, 1], [[0.1], [0.2]], [0.5], n_epochs=2.5),
        TypeError,
        "n_epochs",
    ),
    (
        "plotting.explore.plot_dead_training",
        "plot_dead_training 1e12 n_epochs",
        lambda: _p("explore", "plot_dead_training")([0, 1], [[0.1], [0.2]], [0.5], n_epochs=HUGE),
        ValueError,
        "n_epochs",
    ),
    (
        "plotting.explore.plot_dead_training",
        "plot_dead_training n_epochs below the epochs recorded",
        lambda: _p("explore", "plot_dead_training")(
            [0, 1, 2], [[0.1], [0.2], [0.3]], [0.5, 0.6], n_epochs=1
        ),
        ValueError,
        "n_epochs",
    ),
    (
        "plotting.explore.plot_dead_training",
        "plot_dead_training fig a string",
        lambda: _p("explore", "plot_dead_training")([0, 1], [[0.1], [0.2]], [0.5], fig="fig"),
        TypeError,
        "fig must be a matplotlib Figure",
    ),
    (
        "plotting.explore.plot_signal_by_depth",
        "plot_signal_by_depth run=None",
        lambda: _p("explore", "plot_signal_by_depth")(None, S3, S3),
        TypeError,
        "run",
    ),
    (
        "plotting.explore.plot_signal_by_depth",
        "plot_signal_by_depth string theory_q",
        lambda: _p("explore", "plot_signal_by_depth")(_propagation(), ["a", "b", "c"], S3),
        TypeError,
        "theory_q",
    ),
    (
        "plotting.explore.plot_signal_by_depth",
        "plot_signal_by_depth negative theory_std",
        lambda: _p("explore", "plot_signal_by_depth")(_propagation(), S3, [1.0, -1.0, 1.0]),
        ValueError,
        "theory_std",
    ),
    (
        "plotting.propagation.plot_by_depth",
        "plot_by_depth empty series",
        lambda: _p("propagation", "plot_by_depth")({"a": []}),
        ValueError,
        "series['a']",
    ),
    (
        "plotting.propagation.plot_by_depth",
        "plot_by_depth theory a string",
        lambda: _p("propagation", "plot_by_depth")({"a": S3}, theory={"a": "xyz"}),
        TypeError,
        "theory['a']",
    ),
    (
        "plotting.propagation.plot_by_depth",
        "plot_by_depth log='yes'",
        lambda: _p("propagation", "plot_by_depth")({"a": S3}, log="yes"),
        TypeError,
        "log",
    ),
    (
        "plotting.propagation.plot_by_depth",
        "plot_by_depth ax a string",
        lambda: _p("propagation", "plot_by_depth")({"a": S3}, ax="ax"),
        TypeError,
        "ax",
    ),
    (
        "plotting.propagation.plot_layer_histograms",
        "plot_layer_histograms no layers",
        lambda: _p("propagation", "plot_layer_histograms")(_propagation(), layers=[]),
        ValueError,
        "layers",
    ),
    (
        "plotting.propagation.plot_layer_histograms",
        "plot_layer_histograms layers an int",
        lambda: _p("propagation", "plot_layer_histograms")(_propagation(), layers=3),
        TypeError,
        "layers",
    ),
    (
        "plotting.propagation.plot_layer_histograms",
        "plot_layer_histograms layer a string",
        lambda: _p("propagation", "plot_layer_histograms")(_propagation(), layers=[1, "2"]),
        TypeError,
        "layers[1]",
    ),
    (
        "plotting.propagation.plot_layer_histograms",
        "plot_layer_histograms layer beyond the depth",
        lambda: _p("propagation", "plot_layer_histograms")(_propagation(), layers=[1, 9]),
        ValueError,
        "layers[1]",
    ),
    (
        "plotting.propagation.plot_layer_histograms",
        "plot_layer_histograms value_range of one number",
        lambda: _p("propagation", "plot_layer_histograms")(_propagation(), value_range=(1.0,)),
        ValueError,
        "value_range",
    ),
    (
        "plotting.propagation.plot_layer_histograms",
        "plot_layer_histograms value_range of strings",
        lambda: _p("propagation", "plot_layer_histograms")(_propagation(), value_range=("a", "b")),
        TypeError,
        "value_range",
    ),
    (
        "plotting.saturation.plot_saturation",
        "plot_saturation string saturation",
        lambda: _p("saturation", "plot_saturation")(
            [0.0, 1.0], [0.0, 1.0], [1.0, 1.0], saturation="0.5"
        ),
        TypeError,
        "saturation",
    ),
    (
        "plotting.saturation.plot_linear_regime",
        "plot_linear_regime empty points",
        lambda: _p("saturation", "plot_linear_regime")(S3, S3, points={}),
        ValueError,
        "points",
    ),
    (
        "plotting.theory.plot_loss_curves",
        "plot_loss_curves zero chance",
        lambda: _p("theory", "plot_loss_curves")({"a": S3}, chance=0.0),
        ValueError,
        "chance",
    ),
    (
        "plotting.theory.plot_loss_curves",
        "plot_loss_curves string chance",
        lambda: _p("theory", "plot_loss_curves")({"a": S3}, chance="0.69"),
        TypeError,
        "chance",
    ),
    (
        "plotting.theory.plot_loss_curves",
        "plot_loss_curves losses as strings",
        lambda: _p("theory", "plot_loss_curves")({"a": ["0.6", "0.4"]}),
        TypeError,
        "losses['a']",
    ),
    (
        "plotting.theory.plot_log_ratio_spread",
        "plot_log_ratio_spread ratios as strings",
        lambda: _p("theory", "plot_log_ratio_spread")([["0.1", "0.2"]], theory=[0.1, 0.2]),
        TypeError,
        "ratios",
    ),
    (
        "plotting.theory.plot_scale_comparison",
        "plot_scale_comparison labels not strings",
        lambda: _p("theory", "plot_scale_comparison")([[1.0, 2.0], [3.0]], {"x": [1.0, 2.0]}),
        TypeError,
        "labels",
    ),
    (
        "plotting.theory.plot_scale_comparison",
        "plot_scale_comparison log='yes'",
        lambda: _p("theory", "plot_scale_comparison")(["a"], {"x": [1.0]}, log="yes"),
        TypeError,
        "log",
    ),
    (
        "plotting.theory.plot_weight_histograms",
        "plot_weight_histograms 1e12 bins",
        lambda: _p("theory", "plot_weight_histograms")({"a": S3}, std=1.0, bins=HUGE),
        ValueError,
        "bins",
    ),
    (
        "plotting.theory.plot_weight_histograms",
        "plot_weight_histograms ragged samples",
        lambda: _p("theory", "plot_weight_histograms")({"a": [[1.0, 2.0], [3.0]]}, std=1.0),
        TypeError,
        "samples['a']",
    ),
    (
        "plotting.training.plot_color_dim",
        "plot_color_dim zero vmax",
        lambda: _p("training", "plot_color_dim")(
            [1, 2], np.ones((2, 1, 4)), [0, 1, 2, 3, 4], vmax=0.0
        ),
        ValueError,
        "vmax",
    ),
    (
        "plotting.training.plot_color_dim",
        "plot_color_dim string vmax",
        lambda: _p("training", "plot_color_dim")(
            [1, 2], np.ones((2, 1, 4)), [0, 1, 2, 3, 4], vmax="1"
        ),
        TypeError,
        "vmax",
    ),
    (
        "plotting.training.plot_color_dim",
        "plot_color_dim colorbar='yes'",
        lambda: _p("training", "plot_color_dim")(
            [1, 2], np.ones((2, 1, 4)), [0, 1, 2, 3, 4], colorbar="yes"
        ),
        TypeError,
        "colorbar",
    ),
    (
        "plotting.training.plot_dead_chart",
        "plot_dead_chart layer_names an int",
        lambda: _p("training", "plot_dead_chart")([1, 2], [[0.1], [0.2]], layer_names=3),
        TypeError,
        "layer_names",
    ),
    (
        "plotting.training.plot_dead_chart",
        "plot_dead_chart layer_names not strings",
        lambda: _p("training", "plot_dead_chart")([1, 2], [[0.1], [0.2]], layer_names=[[1.0]]),
        TypeError,
        "layer_names",
    ),
    (
        "plotting.training.plot_dead_units",
        "plot_dead_units ragged masks",
        lambda: _p("training", "plot_dead_units")([[True, False], [True]]),
        TypeError,
        "masks",
    ),
    (
        "plotting.training.plot_dead_units",
        "plot_dead_units float highlight",
        lambda: _p("training", "plot_dead_units")([[True, False]], highlight=[0.5]),
        TypeError,
        "highlight[0]",
    ),
    (
        "plotting.training.plot_dead_units",
        "plot_dead_units highlight beyond the units",
        lambda: _p("training", "plot_dead_units")([[True, False]], highlight=[2]),
        ValueError,
        "highlight[0]",
    ),
    (
        "plotting.training.plot_born_dead",
        "plot_born_dead exact a list",
        lambda: _p("training", "plot_born_dead")([1, 2], {2: [0.2, 0.4]}, exact=[0.25, 0.44]),
        TypeError,
        "exact",
    ),
    (
        "plotting.training.plot_peak_preactivation",
        "plot_peak_preactivation ax a string",
        lambda: _p("training", "plot_peak_preactivation")([0, 1], {"u": [0.5, -1.0]}, ax="ax"),
        TypeError,
        "ax",
    ),
    (
        "plotting.activations.plot_seed_curves",
        "plot_seed_curves 1-D curves",
        lambda: _p("activations", "plot_seed_curves")({"a": S3}),
        ValueError,
        "curves",
    ),
    (
        "theory.selu_parameters",
        "selu_parameters variance 0",
        lambda: initact.theory.selu_parameters(0.0),
        ValueError,
        "variance",
    ),
]

# Public names with no parameter a user can get wrong: result records the package
# builds and returns, abstract bases, an exception, and calls without arguments.
NOTHING_TO_GET_WRONG = {
    "theory.InitializationTable",
    "theory.Moments",
    "theory.Recommendation",
    "theory.TableRow",
    "theory.table_11_1",
    "nn.History",
    "nn.Callback",
    "diagnostics.BornDeadEstimate",
    "propagation.Propagation",
    "data.Splits",
    "data.DatasetUnavailableError",
    "data.data_home",
    "initializers.Initializer",
    "initializers.available_memory",
    "experiments.DepthExperiment",
    "experiments.DyingReluExperiment",
    "experiments.TrainingExperiment",  # a result record, made by training_experiment
    "nn.LSUVReport",
    "audit.Audit",
    "audit.AuditRow",
}
PUBLIC_MODULES = (
    "activations initializers fans theory nn diagnostics propagation data experiments widgets "
    "audit "
    "plotting.activations plotting.explore plotting.propagation plotting.saturation "
    "plotting.theory plotting.training"
).split()


def _row_param(row):
    _, case_id, call, error, word, *mark = row
    return pytest.param(call, error, word, id=case_id, marks=mark)


@pytest.mark.parametrize(
    ("call", "error", "word"),
    [_row_param(row) for row in PUBLIC_CASES + NEW_API_CASES + WIDGET_AND_PLOT_CASES],
)
def test_public_bad_input_raises_a_clear_error(call, error, word):
    with pytest.raises(error) as info:
        call()
    assert word.lower() in str(info.value).lower()


def test_every_public_callable_has_a_bad_input_row():
    import importlib

    covered = {row[0] for row in PUBLIC_CASES + NEW_API_CASES + WIDGET_AND_PLOT_CASES}
    public = set()
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(f"initact.{module_name}")
        public |= {
            f"{module_name}.{name}" for name in module.__all__ if callable(getattr(module, name))
        }
    missing = public - covered - NOTHING_TO_GET_WRONG
    assert not missing, f"public callables without a bad-input row: {sorted(missing)}"
    assert not covered - public, f"rows name no public callable: {sorted(covered - public)}"


def _plot_forward_backward_short_theory():
    from initact.plotting.explore import plot_forward_backward
    from initact.propagation import propagate

    run = propagate("relu", "he_normal", depth=3, width=10, n_samples=10, rng=0)
    return plot_forward_backward(run, [2.0] * 3, [0.8] * 3, [0.5] * 2)
