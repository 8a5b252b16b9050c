"""Fuzz the public API with bad inputs and count how each one is answered.

Every case is one public callable, called with valid arguments except one
parameter, which gets a value from a pool of *invalid* values for that kind of
parameter (a count, a positive number, a shape, an input array, labels, a
generator, a dtype, a model, a name...). Each outcome is one of:

* ``clear``: a ValueError or TypeError raised by initact whose message names
  the parameter (the project's rule);
* ``unclear``: a ValueError or TypeError raised by initact that does not name it;
* ``crash``: any other exception (MemoryError, AttributeError, IndexError...),
  or a ValueError/TypeError raised deep inside NumPy, Matplotlib or Python
  rather than by initact's own code;
* ``silent``: the call returned (the pools hold only invalid values, so the bad
  input was accepted; the detail says whether the result holds a non-finite
  number);
* ``hang``: the call ran longer than ``--timeout`` seconds (default 5).

Each call runs in a forked worker process whose address space is capped
(``resource.setrlimit(RLIMIT_AS)``, 3 GiB above what the worker already maps),
so a huge allocation is a MemoryError (a crash) instead of a swap storm, and a
watchdog kills a worker that overruns and counts a hang. The network is never
touched: the Fashion-MNIST calls run with ``download=False`` on an empty folder.

Only API that exists in the version under test is called: a target or a
parameter that version lacks is counted ``n/a``. So the same script measures
the code before and after a change:

    nice -n 10 .venv/bin/python benchmarks/fuzz_api.py [--json out.json]
    PYTHONPATH=/tmp/fuzz-before nice -n 10 .venv/bin/python benchmarks/fuzz_api.py

It prints the version it imported, one count table and the cases of each
category but ``clear``; it always exits 0 (a measurement, not a test).
"""

from __future__ import annotations

import argparse
import collections
import importlib
import inspect
import json
import math
import multiprocessing
import os
import re
import sys
import tempfile
import time
import traceback
import warnings
from multiprocessing.connection import wait

# One BLAS thread per worker: two workers share the two cores, and OpenBLAS's
# thread stacks would otherwise eat into the address-space cap.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ["MPLBACKEND"] = "Agg"

import numpy as np

import initact

CATEGORIES = ("clear", "unclear", "crash", "silent", "hang")
HUGE = 10**12  # a count that no machine can allocate: must fail fast, naming the parameter
HUGE_SHAPE = (10**6, 10**6)  # 4 TB of float32
HUGE_LABELS = {"huge (1e6, 1e6)", "(1e12, 1e12, 1e12)"}
PER_UNIT_ALPHA = {"alpha": {"[0.1]"}}  # a per-unit slope may be a list


class _Opaque:
    """An object of no accepted kind."""

    def __repr__(self) -> str:
        return "<opaque>"


# --------------------------------------------------------------------------- bad values
# Each pool maps a label to a factory (a fresh value per call: arrays may be mutated).

POOLS: dict[str, dict[str, object]] = {
    "count": {  # a positive integer
        "0": lambda: 0,
        "-1": lambda: -1,
        "2.5": lambda: 2.5,
        "float 3.0": lambda: 3.0,
        "np.float64(3)": lambda: np.float64(3.0),
        "True": lambda: True,
        "'3'": lambda: "3",
        "nan": lambda: math.nan,
        "inf": lambda: math.inf,
        "1j": lambda: 1j,
        "None": lambda: None,
        "[3]": lambda: [3],
        "huge 1e12": lambda: HUGE,
    },
    "count0": {  # a non-negative integer
        "-1": lambda: -1,
        "2.5": lambda: 2.5,
        "True": lambda: True,
        "'3'": lambda: "3",
        "nan": lambda: math.nan,
        "inf": lambda: math.inf,
        "1j": lambda: 1j,
        "None": lambda: None,
        "[3]": lambda: [3],
        "huge 1e12": lambda: HUGE,
    },
    "positive": {  # a finite number > 0
        "0": lambda: 0.0,
        "-1": lambda: -1.0,
        "nan": lambda: math.nan,
        "inf": lambda: math.inf,
        "-inf": lambda: -math.inf,
        "'0.1'": lambda: "0.1",
        "1j": lambda: 1j,
        "True": lambda: True,
        "None": lambda: None,
        "[0.1]": lambda: [0.1],
        "array(2)": lambda: np.array([0.1, 0.2]),
    },
    "nonnegative": {  # a finite number >= 0
        "-1": lambda: -1.0,
        "nan": lambda: math.nan,
        "inf": lambda: math.inf,
        "'0.1'": lambda: "0.1",
        "1j": lambda: 1j,
        "True": lambda: True,
        "None": lambda: None,
        "[0.1]": lambda: [0.1],
    },
    "fraction": {  # a number in [0, 1)
        "-0.1": lambda: -0.1,
        "1.0": lambda: 1.0,
        "1.5": lambda: 1.5,
        "nan": lambda: math.nan,
        "inf": lambda: math.inf,
        "'0.5'": lambda: "0.5",
        "1j": lambda: 0.5j,
        "True": lambda: True,
        "None": lambda: None,
    },
    "finite": {  # any finite real number
        "nan": lambda: math.nan,
        "inf": lambda: math.inf,
        "'0.1'": lambda: "0.1",
        "1j": lambda: 1j,
        "True": lambda: True,
        "None": lambda: None,
        "[0.1]": lambda: [0.1],
    },
    "axis": {  # an integer axis
        "1.0": lambda: 1.0,
        "'1'": lambda: "1",
        "True": lambda: True,
        "None": lambda: None,
        "99": lambda: 99,
        "-99": lambda: -99,
        "nan": lambda: math.nan,
    },
    "shape": {  # a kernel shape (rank >= 2, positive ints)
        "()": lambda: (),
        "(10,)": lambda: (10,),
        "(10, -3)": lambda: (10, -3),
        "(10.0, 3)": lambda: (10.0, 3),
        "(True, 3)": lambda: (True, 3),
        "(nan, 3)": lambda: (math.nan, 3),
        "'10x3'": lambda: "10x3",
        "None": lambda: None,
        "5": lambda: 5,
        "[[3, 3]]": lambda: [[3, 3]],
        "huge (1e6, 1e6)": lambda: HUGE_SHAPE,
        "(1e12, 1e12, 1e12)": lambda: (HUGE, HUGE, HUGE),
    },
    "X": {  # a (n, 4) float input batch
        "empty (0,)": lambda: np.array([]),
        "empty (0, 4)": lambda: np.empty((0, 4)),
        "NaN": lambda: np.full((6, 4), np.nan),
        "inf": lambda: np.full((6, 4), np.inf),
        "strings": lambda: np.full((6, 4), "a"),
        "complex": lambda: np.ones((6, 4)) * 1j,
        "1-D": lambda: np.ones(4),
        "3-D": lambda: np.ones((6, 4, 1)),
        "3 features": lambda: np.ones((6, 3)),
        "ragged list": lambda: [[1.0, 2.0], [3.0]],
        "None": lambda: None,
        "'abc'": lambda: "abc",
        "object": lambda: _Opaque(),
    },
    "labels": {  # integer class labels for 6 rows and 2 classes
        "label -1": lambda: np.array([0, 1, 0, 1, 0, -1]),
        "label = n_classes": lambda: np.array([0, 1, 0, 1, 0, 2]),
        "float labels": lambda: np.array([0.0, 1.0, 0.5, 1.0, 0.0, 1.0]),
        "NaN labels": lambda: np.array([0.0, 1.0, np.nan, 1.0, 0.0, 1.0]),
        "5 labels for 6 rows": lambda: np.array([0, 1, 0, 1, 0]),
        "2-D labels": lambda: np.zeros((6, 2), dtype=int),
        "string labels": lambda: np.array(["a"] * 6),
        "bool labels": lambda: np.array([True, False] * 3),
        "None": lambda: None,
        "'abc'": lambda: "abc",
    },
    "target": {  # a regression target for a (6, 1) prediction
        "shape (6,)": lambda: np.zeros(6),
        "shape (5, 1)": lambda: np.zeros((5, 1)),
        "shape (6, 2)": lambda: np.zeros((6, 2)),
        "NaN": lambda: np.full((6, 1), np.nan),
        "strings": lambda: np.full((6, 1), "a"),
        "complex": lambda: np.ones((6, 1)) * 1j,
        "None": lambda: None,
    },
    "values": {  # an array of real numbers (an activation's input)
        "strings": lambda: np.array(["a", "b"]),
        "complex": lambda: np.array([1j, 2.0]),
        "object array": lambda: np.array([_Opaque()], dtype=object),
        "ragged list": lambda: [[1.0, 2.0], [3.0]],
        "'abc'": lambda: "abc",
        "None": lambda: None,
    },
    "series": {  # a non-empty 1-D sequence of finite numbers
        "[]": lambda: [],
        "'abc'": lambda: "abc",
        "None": lambda: None,
        "ragged": lambda: [[1.0, 2.0], [3.0]],
        "strings": lambda: ["a", "b", "c"],
        "complex": lambda: [1j, 2j, 3j],
        "3": lambda: 3,
    },
    "mapping": {  # a non-empty mapping of label -> series
        "{}": lambda: {},
        "[]": lambda: [],
        "'abc'": lambda: "abc",
        "None": lambda: None,
        "{'a': []}": lambda: {"a": []},
        "{'a': 'xyz'}": lambda: {"a": "xyz"},
        "{'a': ragged}": lambda: {"a": [[1.0, 2.0], [3.0]]},
    },
    "matrix": {  # a non-empty 2-D array of finite numbers
        "[]": lambda: [],
        "1-D": lambda: [0.1, 0.2, 0.3],
        "3-D": lambda: np.ones((2, 3, 2)),
        "strings": lambda: np.full((3, 2), "a"),
        "ragged": lambda: [[1.0, 2.0], [3.0]],
        "None": lambda: None,
    },
    "activation": {  # an activation name or instance
        "''": lambda: "",
        "'nonsense'": lambda: "nonsense",
        "3": lambda: 3,
        "b'relu'": lambda: b"relu",
        "['relu']": lambda: ["relu"],
        "object": lambda: _Opaque(),
    },
    "initializer": {  # an initializer name or instance
        "''": lambda: "",
        "'he_gaussian'": lambda: "he_gaussian",
        "3": lambda: 3,
        "b'he_normal'": lambda: b"he_normal",
        "None": lambda: None,
        "object": lambda: _Opaque(),
    },
    "choice": {  # one of a few words
        "'nonsense'": lambda: "nonsense",
        "''": lambda: "",
        "3": lambda: 3,
        "None": lambda: None,
        "['x']": lambda: ["x"],
    },
    "rng": {  # a seed or a numpy Generator
        "'0'": lambda: "0",
        "-1": lambda: -1,
        "1.5": lambda: 1.5,
        "nan": lambda: math.nan,
        "True": lambda: True,
        "1j": lambda: 1j,
        "RandomState": lambda: np.random.RandomState(0),
        "object": lambda: _Opaque(),
    },
    "dtype": {  # a float dtype
        "int32": lambda: np.int32,
        "complex": lambda: complex,
        "'weights'": lambda: "weights",
        "object": lambda: object,
        "bool": lambda: bool,
    },
    "flag": {  # True or False
        "'yes'": lambda: "yes",
        "1.5": lambda: 1.5,
        "nan": lambda: math.nan,
        "[True]": lambda: [True],
    },
    "model": {  # an initact MLP
        "None": lambda: None,
        "'mlp'": lambda: "mlp",
        "3": lambda: 3,
        "object": lambda: _Opaque(),
        "a Dense layer": lambda: initact.nn.Dense(4, 2, rng=0),
    },
    "layers": {  # a sequence of layers that fit together
        "[]": lambda: [],
        "None": lambda: None,
        "'dense'": lambda: "dense",
        "[3]": lambda: [3],
        "sizes mismatch": lambda: [initact.nn.Dense(4, 3, rng=0), initact.nn.Dense(5, 2, rng=0)],
    },
    "sizes": {  # layer sizes for mlp
        "[]": lambda: [],
        "[4]": lambda: [4],
        "[4, 0, 2]": lambda: [4, 0, 2],
        "[4, -3, 2]": lambda: [4, -3, 2],
        "[4, 2.5, 2]": lambda: [4, 2.5, 2],
        "[4, True, 2]": lambda: [4, True, 2],
        "'4,3,2'": lambda: "4,3,2",
        "None": lambda: None,
        "huge [4, 1e12, 2]": lambda: [4, HUGE, 2],
    },
    "callbacks": {  # an iterable of callbacks
        "3": lambda: 3,
        "[3]": lambda: [3],
        "['recorder']": lambda: ["recorder"],
    },
    "optimizer": {  # an SGD
        "'sgd'": lambda: "sgd",
        "3": lambda: 3,
        "object": lambda: _Opaque(),
    },
    "path": {  # an IDX file
        "garbage file": lambda: _garbage_file(),
        "a folder": lambda: tempfile.gettempdir(),
        "3": lambda: 3,
        "None": lambda: None,
    },
    "folder": {  # a folder path
        "3": lambda: 3,
        "a file": lambda: _garbage_file(),
        "object": lambda: _Opaque(),
    },
    "url": {  # a base URL
        "3": lambda: 3,
        "'not a url'": lambda: "not a url",
        "object": lambda: _Opaque(),
    },
    "label": {  # a string label
        "3": lambda: 3,
        "None": lambda: None,
        "['x']": lambda: ["x"],
    },
    "ax": {  # a Matplotlib Axes or None
        "'ax'": lambda: "ax",
        "3": lambda: 3,
    },
    "fig": {  # a Matplotlib Figure or None
        "'fig'": lambda: "fig",
        "3": lambda: 3,
    },
    "bytes": {  # a byte count
        "-1": lambda: -1,
        "2.5": lambda: 2.5,
        "'3'": lambda: "3",
        "None": lambda: None,
        "True": lambda: True,
    },
}


def _idx_file() -> str:
    """A valid IDX file: 2 x 3 unsigned bytes."""
    path = os.path.join(tempfile.gettempdir(), f"initact-fuzz-{os.getpid()}-ok.idx")
    with open(path, "wb") as f:
        f.write(b"\x00\x00\x08\x02" + (2).to_bytes(4, "big") + (3).to_bytes(4, "big") + bytes(6))
    return path


def _garbage_file() -> str:
    path = os.path.join(tempfile.gettempdir(), f"initact-fuzz-{os.getpid()}.idx")
    with open(path, "wb") as f:
        f.write(b"\x00\x00\x08\x03garbage")
    return path


# --------------------------------------------------------------------------- targets


def _digits_like(rows: int = 6, features: int = 4, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((rows, features))


def _labels() -> np.ndarray:
    return np.array([0, 1, 0, 1, 0, 1])


def _model(act: str = "relu", sizes=(4, 5, 2), **kw) -> object:
    return initact.nn.mlp(list(sizes), act, "he_normal", rng=0, **kw)


def _history() -> object:
    return initact.nn.History(epoch=[1, 2, 3], loss=[0.3, 0.2, 0.1], accuracy=[0.5, 0.6, 0.7])


def _propagation() -> object:
    return initact.propagation.propagate("tanh", "glorot_normal", depth=3, width=8, rng=0)


class Target:
    """A public callable, its valid arguments and the kind of each parameter fuzzed."""

    def __init__(self, name, get, base, kinds, *, skip=None, ok=()):
        self.name = name  # "module.attr" or "module.Class.method" (for the n/a check)
        self.get = get  # () -> the callable (a bound method for methods)
        self.base = base  # () -> the valid keyword arguments
        self.kinds = kinds  # parameter -> pool name (or (pool, names the message may use))
        self.skip = skip or {}  # parameter -> labels that are valid for this target
        self.ok = ok  # exception types that the valid call raises (the data are not there)


def _attr(path: str):
    """``initact.x.y`` by dotted path; AttributeError if this version lacks it.

    ``"new.path|old.path"`` names one function that moved: the first that exists
    is fuzzed, so a version before and after the move answer the same cases.
    """
    if "|" in path:
        for alternative in path.split("|"):
            try:
                return _attr(alternative)
            except AttributeError:
                continue
        raise AttributeError(path)
    parts = path.split(".")
    for n in range(len(parts), 0, -1):  # the longest prefix that is a module
        try:
            obj = importlib.import_module(".".join(parts[:n]))
        except ImportError:
            continue
        for part in parts[n:]:
            obj = getattr(obj, part)
        return obj
    raise AttributeError(path)


def _t(path, base=dict, kinds=None, *, resolve=None, **kw):
    """A target reported as ``path`` and found at ``resolve`` (default: ``path``)."""
    where = resolve or path
    return Target(path, lambda: _attr(where), base, kinds or {}, **kw)


def _method(path, make, method, base=dict, kinds=None, **kw):
    return Target(f"{path}.{method}", lambda: getattr(make(), method), base, kinds or {}, **kw)


ACTIVATION_CLASSES = (
    "ELU GELU Identity LeakyReLU Mish PReLU RReLU ReLU SELU Sigmoid Softplus Swish Tanh".split()
)
PRESETS = (
    "glorot_normal glorot_uniform he_normal he_uniform lecun_normal lecun_uniform "
    "standard_uniform".split()
)
INIT_KINDS = {"shape": "shape", "rng": "rng", "dtype": "dtype"}
PLOT = "initact.plotting."


def targets() -> list[Target]:
    T = []
    # activations: constructors, calls, derivatives, the name lookup
    T += [
        _t("initact.activations.ELU", kinds={"alpha": "nonnegative"}),
        _t("initact.activations.GELU", kinds={"approximate": "choice"}),
        _t("initact.activations.LeakyReLU", kinds={"alpha": "nonnegative"}),
        _t("initact.activations.PReLU", kinds={"alpha": "finite"}, skip=PER_UNIT_ALPHA),
        _t(
            "initact.activations.RReLU",
            kinds={"lower": "nonnegative", "upper": "nonnegative", "rng": "rng", "form": "choice"},
        ),
        _t("initact.activations.Swish", kinds={"beta": "positive"}),
        _t("initact.activations.get_activation", lambda: {"name": "relu"}, {"name": "activation"}),
        _t(
            "initact.activations.get_activation",
            lambda: {"name": "leaky_relu", "alpha": 0.1},
            {"alpha": "nonnegative"},
        ),
        _t(
            "initact.activations.get_activation",
            lambda: {"name": "elu", "alpha": 1.0},
            {"alpha": "nonnegative"},
        ),
    ]
    for cls in ACTIVATION_CLASSES:
        path = f"initact.activations.{cls}"
        for method in ("__call__", "derivative"):
            T.append(
                _method(
                    path,
                    lambda cls=cls: getattr(initact.activations, cls)(),
                    method,
                    lambda: {"x": np.linspace(-2, 2, 5)},
                    {"x": "values"},
                )
            )
    # initializers
    base_shape = lambda: {"shape": (4, 3), "rng": 0}  # noqa: E731
    for name in PRESETS:
        T.append(_t(f"initact.initializers.{name}", base_shape, INIT_KINDS))
    T += [
        _method(
            "initact.initializers.VarianceScaling",
            lambda: initact.initializers.VarianceScaling(2.0),
            "__call__",
            base_shape,
            INIT_KINDS,
        ),
        _method(
            "initact.initializers.Orthogonal",
            lambda: initact.initializers.Orthogonal(),
            "__call__",
            base_shape,
            INIT_KINDS,
        ),
        _t(
            "initact.initializers.VarianceScaling",
            kinds={
                "scale": "positive",
                "mode": "choice",
                "distribution": "choice",
                "in_axis": "axis",
                "out_axis": "axis",
            },
            skip={"in_axis": {"99", "-99"}, "out_axis": {"99", "-99"}},  # checked at call time
        ),
        _t("initact.initializers.Orthogonal", kinds={"gain": "positive"}),
        # The factory orthogonal(gain) became a preset instance; Orthogonal(gain) is its heir.
        _t(
            "initact.initializers.orthogonal",
            lambda: {"gain": 1.0},
            {"gain": "positive"},
            resolve="initact.initializers.Orthogonal|initact.initializers.orthogonal",
        ),
        _t(
            "initact.initializers.get_initializer",
            lambda: {"name": "he_normal"},
            {"name": ("initializer", ("name", "initializer"))},
        ),
        _t("initact.initializers.as_generator", lambda: {"rng": 0}, {"rng": "rng"}),
        _t(
            "initact.initializers.check_memory",
            lambda: {"nbytes": 8, "name": "width", "value": 1, "what": "a test"},
            {"nbytes": "bytes"},
        ),
    ]
    # fans
    T += [
        _t(
            "initact.fans.compute_fans",
            lambda: {"shape": (4, 3)},
            {"shape": "shape", "in_axis": "axis", "out_axis": "axis"},
            skip={"shape": HUGE_LABELS},  # no allocation: any size is fine
        ),
        _t(
            "initact.fans.validate_shape",
            lambda: {"shape": (4, 3)},
            {"shape": "shape"},
            skip={"shape": HUGE_LABELS},
        ),
    ]
    # theory
    for name in ("propagate_variance", "backpropagate_variance"):
        T.append(
            _t(
                f"initact.theory.{name}",
                lambda: {"activation": "tanh", "scale": 1.0, "depth": 5},
                {
                    "activation": "activation",
                    "scale": "positive",
                    "depth": "count0",
                    "q0": "positive",
                    "max_work": "positive",
                },
                skip={"max_work": {"inf"}},  # no limit
            )
        )
    T += [
        _t(
            "initact.theory.moments",
            lambda: {"activation": "tanh"},
            {"activation": "activation", "q": "positive"},
        ),
        _t(
            "initact.theory.recommend", lambda: {"activation": "relu"}, {"activation": "activation"}
        ),
        _t(
            "initact.theory.recommended_scale",
            lambda: {"activation": "relu"},
            {"activation": "activation", "criterion": "choice"},
        ),
        _t(
            "initact.theory.torch_gain",
            lambda: {"name": "leaky_relu", "param": 0.1},
            {"name": "activation", "param": "finite"},
            skip={"param": {"None"}},
        ),
    ]
    # nn
    T += [
        _t(
            "initact.nn.Dense",
            lambda: {"n_in": 4, "n_out": 3, "rng": 0},
            {
                "n_in": "count",
                "n_out": "count",
                "kernel_init": "initializer",
                "bias_init": "finite",
                "rng": "rng",
                "dtype": "dtype",
            },
            skip={"kernel_init": {"None"}},
        ),
        _t(
            "initact.nn.ActivationLayer",
            lambda: {"activation": "prelu", "n_units": 3, "per_unit": True},
            {
                "activation": "activation",
                "n_units": "count",
                "per_unit": "flag",
                "dtype": "dtype",
                "alpha": "finite",
            },
            skip={"n_units": {"None"}, **PER_UNIT_ALPHA},
        ),
        _t("initact.nn.ActivationLayer", lambda: {"activation": "rrelu", "rng": 0}, {"rng": "rng"}),
        _t(
            "initact.nn.Dropout",
            lambda: {"rate": 0.5, "rng": 0},
            {"rate": "fraction", "rng": "rng"},
        ),
        _t(
            "initact.nn.AlphaDropout",
            lambda: {"rate": 0.5, "rng": 0},
            {"rate": "fraction", "rng": "rng"},
        ),
        _t(
            "initact.nn.MLP",
            lambda: {"layers": [initact.nn.Dense(4, 2, rng=0)]},
            {"layers": "layers", "dtype": "dtype"},
        ),
        _t(
            "initact.nn.SGD",
            lambda: {"lr": 0.1},
            {"lr": "positive", "momentum": "fraction", "nesterov": "flag"},
        ),
        _t(
            "initact.nn.mlp",
            lambda: {"sizes": [4, 3, 2], "rng": 0},
            {
                "sizes": "sizes",
                "activation": "activation",
                "kernel_init": "initializer",
                "bias_init": "finite",
                "rng": "rng",
                "dtype": "dtype",
                "per_unit": "flag",
                "dropout": "fraction",
                "alpha_dropout": "fraction",
            },
            skip={"kernel_init": {"None"}, "dropout": {"None"}, "alpha_dropout": {"None"}},
        ),
        _t(
            "initact.nn.mlp",
            lambda: {"sizes": [4, 3, 2], "activation": "prelu", "per_unit": True, "rng": 0},
            {"alpha": "finite"},
            skip=PER_UNIT_ALPHA,
        ),
        _t(
            "initact.nn.mlp",
            lambda: {"sizes": [4, 3, 2], "activation": "leaky_relu", "rng": 0},
            {"alpha": "nonnegative"},
        ),
        _t(
            "initact.nn.randomized_asymmetric_init",
            lambda: {"model": _model(), "rng": 0},
            {"model": "model", "rng": "rng", "sigma": "positive"},
        ),
        _t(
            "initact.nn.lsuv",
            lambda: {"model": _model("tanh"), "X": _digits_like(), "rng": 0},
            {
                "model": "model",
                "X": "X",
                "tol": "positive",
                "max_iter": "count",
                "rng": "rng",
            },
            skip={"max_iter": {"huge 1e12"}},  # stops when converged
        ),
        _t(
            "initact.nn.softmax_cross_entropy",
            lambda: {"logits": _digits_like(6, 2), "y": _labels()},
            {"logits": ("X", ("logits", "y")), "y": ("labels", ("y", "logits"))},
            # any class count is fine; NaN or inf logits give a NaN loss, which fit needs to see
            skip={"logits": {"3 features", "empty (0, 4)", "NaN", "inf"}},
        ),
        _t(
            "initact.nn.mean_squared_error",
            lambda: {"pred": np.zeros((6, 1)), "target": np.zeros((6, 1))},
            {"pred": ("target", ("pred", "target")), "target": ("target", ("pred", "target"))},
            skip={"pred": {"NaN"}, "target": {"NaN"}},  # a NaN loss is how divergence shows
        ),
        _t(
            "initact.nn.fit",
            lambda: {
                "model": _model(),
                "X": _digits_like(),
                "y": _labels(),
                "epochs": 2,
                "batch_size": 3,
                "lr": 0.05,
                "rng": 0,
            },
            {
                "model": "model",
                "X": ("X", ("X", "y")),
                "y": ("labels", ("y", "X")),
                "epochs": "count",
                "batch_size": "count",
                "lr": "positive",
                "rng": "rng",
                "X_val": ("X", ("X_val", "y_val")),
                "loss": "choice",
                "momentum": "fraction",
                "nesterov": "flag",
                "optimizer": "optimizer",
                "callbacks": "callbacks",
                "progress": "flag",
            },
            # a batch larger than the data is one full batch; a long fit is what was asked for
            skip={"X_val": {"None"}, "batch_size": {"huge 1e12"}, "epochs": {"huge 1e12"}},
        ),
        _method(
            "initact.nn.MLP",
            _model,
            "predict",
            lambda: {"X": _digits_like()},
            {"X": "X"},
        ),
    ]
    # diagnostics
    model_x = lambda: {"model": _model(), "X": _digits_like()}  # noqa: E731
    for name in ("dead_units", "dead_fraction", "is_born_dead"):
        T.append(
            _t(
                f"initact.diagnostics.{name}",
                model_x,
                {"model": "model", "X": "X", "atol": "nonnegative"},
            )
        )
    T += [
        _t(
            "initact.diagnostics.parameter_distance",
            lambda: {"model": _model(), "other": _model()},
            {"model": "model", "other": "model"},
        ),
        _t(
            "initact.diagnostics.born_dead_exact",
            lambda: {"width": 3, "depth": 2},
            {"width": "count", "depth": "count"},
            skip={"width": {"huge 1e12"}, "depth": {"huge 1e12"}},  # a closed form
        ),
        _t(
            "initact.diagnostics.born_dead_probability",
            lambda: {"width": 3, "depth": 2, "trials": 200, "rng": 0},
            {
                "width": "count",
                "depth": "count",
                "trials": "count",
                "rng": "rng",
                "x": "X",
                "batch": "count",
                "max_work": "positive",
            },
            skip={"batch": {"None", "huge 1e12"}, "x": {"None", "1-D"}, "max_work": {"inf"}},
        ),
        _t(
            "initact.diagnostics.DeadChart",
            lambda: {"X": _digits_like()},
            {"X": "X"},
            skip={"X": {"3 features"}},  # the model is not known yet
        ),
        _t("initact.diagnostics.ParameterLog", kinds={"key": "label"}),
        _t(
            "initact.diagnostics.Recorder",
            kinds={
                "every": "count",
                "bins": "count",
                "hist_max": "positive",
                "saturation": "fraction",
            },
            skip={"saturation": {"-0.1"}, "every": {"huge 1e12"}},
        ),
    ]
    # propagation
    T.append(
        _t(
            "initact.propagation.propagate",
            lambda: {
                "activation": "tanh",
                "kernel_init": "glorot_normal",
                "depth": 3,
                "width": 8,
                "n_samples": 50,
                "rng": 0,
            },
            {
                "activation": "activation",
                "kernel_init": "initializer",
                "depth": "count",
                "width": "count",
                "n_samples": "count",
                "n_inputs": "count",
                "rng": "rng",
                "backward": "flag",
                "dtype": "dtype",
            },
            skip={"n_inputs": {"None"}, "kernel_init": {"None"}},
        )
    )
    # data (never the network: download=False on an empty folder)
    empty = lambda: {"cache_dir": tempfile.mkdtemp(prefix="initact-fuzz-"), "download": False}  # noqa: E731
    fashion = {
        "cache_dir": "folder",
        "download": "flag",
        "base_url": "url",
        "timeout": "positive",
        "deadline": "positive",
    }
    T += [
        _t(
            "initact.data.fetch_fashion_mnist",
            empty,
            fashion,
            skip={"cache_dir": {"None"}},
            ok=initact.data.DatasetUnavailableError,
        ),
        _t(
            "initact.data.load_fashion_mnist",
            empty,
            {**fashion, "val_size": "fraction", "seed": "rng", "dtype": "dtype"},
            skip={"cache_dir": {"None"}},
            ok=initact.data.DatasetUnavailableError,
        ),
        _t(
            "initact.data.load_digits",
            kinds={
                "val_size": "fraction",
                "test_size": "fraction",
                "seed": "rng",
                "dtype": "dtype",
            },
        ),
        _t(
            "initact.data.make_spirals",
            lambda: {"n_samples": 50, "rng": 0},
            {
                "n_samples": "count",
                "noise": "nonnegative",
                "turns": "positive",
                "rng": "rng",
                "dtype": "dtype",
            },
        ),
        _t(
            "initact.data.make_teacher",
            lambda: {"n_samples": 50, "rng": 0},
            {
                "n_samples": "count",
                "n_features": "count",
                "n_classes": "count",
                "hidden": "sizes",
                "rng": "rng",
                "dtype": "dtype",
            },
            skip={"hidden": {"[]", "[4]"}},  # any list of widths, even empty
        ),
        _t("initact.data.read_idx", lambda: {"path": _idx_file()}, {"path": "path"}),
    ]
    # widgets (experiments and explorers)
    depth = {
        "activation": "activation",
        "initializer": "initializer",
        "scale": "positive",
        "depth": "count",
        "width": "count",
        "seed": "rng",
        "n_samples": "count",
    }
    small_depth = lambda: {"depth": 3, "width": 10, "n_samples": 20}  # noqa: E731
    dying = {"lr": "positive", "activation": "activation", "epochs": "count", "seed": "rng"}
    small_dying = lambda: {"lr": 0.1, "epochs": 1}  # noqa: E731
    # The experiments moved from widgets to initact.experiments; render_x(...) became
    # x_experiment(...).plot(), fuzzed here through the experiment it wraps.
    moved = {
        "depth_experiment": "initact.experiments.depth_experiment|initact.widgets.depth_experiment",
        "render_depth": "initact.experiments.depth_experiment|initact.widgets.render_depth",
        "dying_relu_experiment": (
            "initact.experiments.dying_relu_experiment|initact.widgets.dying_relu_experiment"
        ),
        "render_dying_relu": (
            "initact.experiments.dying_relu_experiment|initact.widgets.render_dying_relu"
        ),
        "initializer_scale": (
            "initact.experiments.initializer_scale|initact.widgets.initializer_scale"
        ),
        "scaled_initializer": (
            "initact.experiments.scaled_initializer|initact.widgets.scaled_initializer"
        ),
    }
    for name in ("depth_experiment", "DepthExplorer", "depth_explorer", "render_depth"):
        T.append(
            _t(
                f"initact.widgets.{name}",
                small_depth,
                depth,
                skip={"scale": {"None"}, "initializer": {"None"}},
                resolve=moved.get(name),
            )
        )
    for name in (
        "dying_relu_experiment",
        "DyingReluExplorer",
        "dying_relu_explorer",
        "render_dying_relu",
    ):
        T.append(_t(f"initact.widgets.{name}", small_dying, dying, resolve=moved.get(name)))
    T += [
        _t(
            "initact.widgets.initializer_scale",
            lambda: {"initializer": "he_normal"},
            {"initializer": "initializer"},
            resolve=moved["initializer_scale"],
        ),
        _t(
            "initact.widgets.scaled_initializer",
            lambda: {"preset": "he_normal"},
            {"preset": "initializer", "scale": "positive"},
            skip={"scale": {"None"}},
            resolve=moved["scaled_initializer"],
        ),
    ]
    # plotting
    s3 = [0.1, 0.2, 0.3]
    T += [
        _t(
            PLOT + "activations.plot_activations",
            lambda: {"activations": {"relu": "relu"}},
            {
                "activations": "mapping",
                "z_range": "series",
                "points": "count",
                "derivative": "flag",
            },
        ),
        _t(
            PLOT + "activations.plot_leaky_relu",
            kinds={"alphas": "series", "z_range": "series", "ax": "ax"},
        ),
        _t(
            PLOT + "activations.plot_rrelu_samples",
            lambda: {"z": [-1.0, 0.0, 1.0], "outputs": [-0.2, 0.0, 1.0], "eval_slope": 0.2},
            {
                "z": ("series", ("z", "outputs")),
                "outputs": ("series", ("z", "outputs")),
                "eval_slope": "finite",
            },
        ),
        _t(
            PLOT + "activations.plot_seed_spread",
            lambda: {"values": {"relu": s3}},
            {"values": "mapping", "ax": "ax"},
        ),
        _t(
            PLOT + "activations.plot_self_normalization",
            lambda: {"runs": {"selu": ([1, 2, 3], s3)}},
            {"runs": "mapping", "log": "flag"},
        ),
        _t(
            PLOT + "activations.plot_slopes",
            lambda: {"slopes": np.ones((3, 2)) * 0.25},
            {"slopes": "matrix", "initial": "finite"},
            # 1-D and 3-D slopes are valid: one run, or (runs, points, layers).
            skip={"initial": {"None"}, "slopes": {"1-D", "3-D"}},
        ),
        _t(
            PLOT + "explore.plot_dead_training",
            lambda: {
                "epochs": [1, 2],
                "dead_fractions": [[0.1, 0.2], [0.1, 0.3]],
                "accuracy": [0.5, 0.6],
            },
            {
                "epochs": ("series", ("epochs", "dead_fractions", "accuracy")),
                "dead_fractions": ("matrix", ("dead_fractions", "epochs")),
                "accuracy": ("series", ("accuracy", "epochs")),
                "n_epochs": "count",
                "fig": "fig",
            },
            # No accuracy is valid: a run that diverged in its first epoch has none to show.
            skip={"n_epochs": {"None"}, "accuracy": {"[]"}},
        ),
        _t(
            PLOT + "explore.plot_signal_by_depth",
            lambda: {"run": _propagation(), "theory_q": [1.0] * 3, "theory_std": [1.0] * 3},
            {
                "run": "model",
                "theory_q": ("series", ("theory_q", "run", "depth")),
                "theory_std": ("series", ("theory_std", "run", "depth")),
            },
        ),
        _t(
            PLOT + "propagation.plot_by_depth",
            lambda: {"series": {"a": s3}},
            {"series": "mapping", "theory": "mapping", "log": "flag", "ax": "ax"},
            skip={"theory": {"None"}},
        ),
        _t(
            PLOT + "propagation.plot_layer_histograms",
            lambda: {"run": _propagation()},
            {
                "run": "model",
                "quantity": "choice",
                "layers": "series",
                "bins": "count",
                "value_range": "series",
            },
            skip={"layers": {"None"}, "value_range": {"None"}},
        ),
        _t(
            PLOT + "saturation.plot_linear_regime",
            lambda: {"q": s3, "ratio": s3},
            {
                "q": ("series", ("q", "ratio")),
                "ratio": ("series", ("q", "ratio")),
                "lower": ("series", ("lower", "q")),
                "points": "mapping",
            },
            skip={"lower": {"None"}, "points": {"None"}},
        ),
        _t(
            PLOT + "saturation.plot_saturation",
            lambda: {"z": [-1.0, 0.0, 1.0], "value": s3, "derivative": s3},
            {
                "z": ("series", ("z", "value", "derivative")),
                "value": ("series", ("value", "z")),
                "derivative": ("series", ("derivative", "z")),
                "saturation": "fraction",
            },
            skip={"saturation": {"-0.1"}},
        ),
        _t(
            PLOT + "theory.plot_log_ratio_spread",
            lambda: {"ratios": np.zeros((4, 3)), "theory": s3},
            {
                "ratios": ("matrix", ("ratios", "theory")),
                "theory": ("series", ("theory", "ratios")),
            },
        ),
        _t(
            PLOT + "theory.plot_loss_curves",
            lambda: {"losses": {"a": s3}},
            {"losses": "mapping", "chance": "positive"},
            skip={"chance": {"None"}},
        ),
        _t(
            PLOT + "theory.plot_scale_comparison",
            lambda: {"labels": ["a", "b"], "scales": {"x": [1.0, 2.0]}},
            {
                "labels": ("series", ("labels", "scales")),
                "scales": ("mapping", ("scales", "labels")),
            },
            skip={"labels": {"strings"}},
        ),
        _t(
            PLOT + "theory.plot_weight_histograms",
            lambda: {"samples": {"a": np.linspace(-1, 1, 50)}, "std": 0.5},
            {"samples": "mapping", "std": "positive", "bins": "count"},
        ),
        _t(
            PLOT + "training.plot_born_dead",
            lambda: {"depths": [1, 2, 3], "simulated": {3: s3}},
            {
                "depths": ("series", ("depths", "simulated")),
                "simulated": ("mapping", ("simulated", "depths")),
            },
        ),
        _t(
            PLOT + "training.plot_color_dim",
            lambda: {
                "steps": [1, 2],
                "histogram": np.ones((2, 1, 4)),
                "bin_edges": [0.0, 1.0, 2.0, 3.0, 4.0],
            },
            {
                "steps": ("series", ("steps", "histogram")),
                "histogram": ("matrix", ("histogram", "steps")),
                "bin_edges": ("series", ("bin_edges", "histogram")),
                "layer": "count0",
                "vmax": "positive",
            },
            skip={"vmax": {"None"}, "histogram": {"3-D"}},
        ),
        _t(
            PLOT + "training.plot_dead_chart",
            lambda: {"epochs": [1, 2], "fractions": [[0.1, 0.2], [0.1, 0.3]]},
            {
                "epochs": ("series", ("epochs", "fractions")),
                "fractions": ("matrix", ("fractions", "epochs")),
                "layer_names": ("series", ("layer_names", "fractions")),
            },
            skip={"layer_names": {"None", "strings"}},
        ),
        _t(
            PLOT + "training.plot_dead_units",
            lambda: {"masks": np.zeros((2, 5), dtype=bool)},
            {"masks": "matrix", "epochs": ("series", ("epochs", "masks"))},
            skip={"epochs": {"None"}},
        ),
        _t(
            PLOT + "training.plot_divergence",
            lambda: {"epochs": [1, 2, 3], "distances": {"a": s3}},
            {
                "epochs": ("series", ("epochs", "distances")),
                "distances": ("mapping", ("distances", "epochs")),
            },
        ),
        _t(
            PLOT + "training.plot_learning_curves",
            lambda: {"histories": {"a": _history()}},
            {"histories": "mapping", "metric": "choice"},
        ),
        _t(
            PLOT + "training.plot_peak_preactivation",
            lambda: {"epochs": [1, 2, 3], "peaks": {"a": s3}},
            {"epochs": ("series", ("epochs", "peaks")), "peaks": ("mapping", ("peaks", "epochs"))},
        ),
        _t(
            PLOT + "training.plot_zero_fraction",
            lambda: {"steps": [1, 2], "zero_fraction": [[0.1, 0.2], [0.1, 0.3]]},
            {
                "steps": ("series", ("steps", "zero_fraction")),
                "zero_fraction": ("matrix", ("zero_fraction", "steps")),
            },
        ),
    ]
    return T


# --------------------------------------------------------------------------- cases


def cases(all_targets: list[Target]) -> list[tuple[int, str, str, str]]:
    """(target index, parameter, pool, label) for every bad value of every fuzzed parameter."""
    out = []
    for i, target in enumerate(all_targets):
        for param, kind in target.kinds.items():
            pool = kind[0] if isinstance(kind, tuple) else kind
            for label in POOLS[pool]:
                if label in target.skip.get(param, ()):
                    continue
                out.append((i, param, pool, label))
    return out


def _names(target: Target, param: str | None) -> tuple[str, ...]:
    if param is None:
        return ()
    kind = target.kinds[param]
    return kind[1] if isinstance(kind, tuple) else (param,)


def _names_parameter(message: str, names: tuple[str, ...]) -> bool:
    return any(
        re.search(rf"(?<![A-Za-z0-9]){re.escape(n)}(?![A-Za-z0-9])", message, re.IGNORECASE)
        for n in names
    )


def _raised_by_initact(exc: BaseException) -> bool:
    """Whether the innermost frame that raised ``exc`` is initact's own code."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and f"{os.sep}initact{os.sep}" in frames[-1].filename


def _non_finite(result: object) -> bool:
    try:
        values = [result] if not isinstance(result, (tuple, list)) else list(result)
        return any(
            isinstance(v, (float, np.ndarray, np.floating))
            and np.issubdtype(np.asarray(v).dtype, np.inexact)
            and not np.all(np.isfinite(v))
            for v in values
        )
    except Exception:
        return False


def available(target: Target, param: str) -> bool:
    """Whether this version of initact has the target and accepts the parameter."""
    try:
        func = target.get()
    except Exception:
        return False
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return True
    params = sig.parameters
    if param is None or param in params:
        return True
    return any(p.kind is p.VAR_KEYWORD for p in params.values())


def run_case(all_targets: list[Target], case: tuple[int, str, str, str]) -> tuple[str, str]:
    """Call one case in this process; return (category, detail)."""
    import matplotlib.pyplot as plt

    i, param, pool, label = case
    target = all_targets[i]
    try:
        func = target.get()
        kwargs = target.base()
        if param is not None:  # None: the valid call itself, which must succeed
            kwargs[param] = POOLS[pool][label]()
    except Exception as exc:
        return "n/a", f"setup failed: {type(exc).__name__}: {exc}"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = func(**kwargs)
    except target.ok as exc:  # what the valid call does too: the bad value went unnoticed
        return "silent", f"{type(exc).__name__}, as the valid call"
    except (ValueError, TypeError) as exc:
        message = f"{type(exc).__name__}: {exc}"
        if not _raised_by_initact(exc):
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = os.path.basename(frame.filename)
            return "crash", f"{message} (raised in {where}:{frame.lineno})"
        if _names_parameter(str(exc), _names(target, param)):
            return "clear", message
        return "unclear", message
    except BaseException as exc:
        return "crash", f"{type(exc).__name__}: {exc}"
    finally:
        plt.close("all")
    return "silent", "returned a non-finite result" if _non_finite(result) else "returned"


# --------------------------------------------------------------------------- workers


def _worker(conn, all_targets, memory_cap: int) -> None:
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory_cap if hard == resource.RLIM_INFINITY else min(memory_cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    # Progress bars and messages of the calls are not the harness's output.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    if not os.environ.get("FUZZ_DEBUG"):
        os.dup2(devnull, 2)
    pid = os.getpid()
    while True:
        case = conn.recv()
        if case is None:
            return
        category, detail = run_case(all_targets, case)
        if os.getpid() != pid:  # a process the call forked must not answer for the worker
            os._exit(0)
        conn.send((category, detail[:300]))


def _mapped_bytes() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def run_all(all_targets, todo, *, workers: int, timeout: float, headroom: int):
    """Run the cases in forked workers with a watchdog; yield (case, category, detail)."""
    # Import what the calls import, so the forked workers start warm.
    import matplotlib.pyplot  # noqa: F401

    import initact.plotting

    try:
        import initact.widgets
    except ImportError:
        pass
    for sub in ("activations", "explore", "propagation", "saturation", "theory", "training"):
        try:
            __import__(f"initact.plotting.{sub}")
        except ImportError:
            pass
    initact.data.load_digits()  # cache scikit-learn's digits before forking

    ctx = multiprocessing.get_context("fork")
    cap = _mapped_bytes() + headroom
    pending = collections.deque(todo)
    slots: dict[object, list] = {}  # conn -> [process, case, started]

    def start():
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker, args=(child, all_targets, cap), daemon=True)
        proc.start()
        child.close()
        return parent, proc

    def give(conn, proc):
        if pending:
            case = pending.popleft()
            conn.send(case)
            slots[conn] = [proc, case, time.monotonic()]
        else:
            conn.send(None)
            proc.join(timeout=5)

    for _ in range(workers):
        conn, proc = start()
        give(conn, proc)
    while slots:
        ready = wait(list(slots), timeout=0.2)
        for conn in ready:
            proc, case, _ = slots.pop(conn)
            try:
                category, detail = conn.recv()
            except EOFError:  # the worker died (a segfault, or the OS killed it)
                category, detail = "crash", f"worker died, exit code {proc.exitcode}"
                proc.join()
                conn, proc = start()
            yield case, category, detail
            give(conn, proc)
        now = time.monotonic()
        for conn in [c for c, (_, _, t) in slots.items() if now - t > timeout]:
            proc, case, _ = slots.pop(conn)
            proc.kill()
            proc.join()
            yield case, "hang", f"no answer within {timeout:g} s"
            conn, proc = start()
            give(conn, proc)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", help="write every case and its outcome to this file")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per call")
    parser.add_argument("--memory", type=float, default=3.0, help="GiB a call may allocate")
    parser.add_argument("--only", help="run only targets whose name contains this text")
    parser.add_argument("--quiet", action="store_true", help="print the counts only")
    args = parser.parse_args(argv)

    all_targets = targets()
    # Each target's valid call first: a harness whose valid call fails measures nothing.
    todo, na = [], []
    for case in [(i, None, None, "valid call") for i in range(len(all_targets))] + cases(
        all_targets
    ):
        target = all_targets[case[0]]
        if args.only and args.only not in target.name:
            continue
        if available(target, case[1]):
            todo.append(case)
        elif case[1] is not None:
            na.append(case)

    started = time.monotonic()
    results, baseline_failures = [], []
    for case, category, detail in run_all(
        all_targets,
        todo,
        workers=args.workers,
        timeout=args.timeout,
        headroom=int(args.memory * 2**30),
    ):
        if category == "n/a":
            na.append(case)
        elif case[1] is None:
            if category != "silent":
                baseline_failures.append(f"{all_targets[case[0]].name}: {category}: {detail}")
        else:
            results.append((case, category, detail))
    elapsed = time.monotonic() - started

    counts = collections.Counter(category for _, category, _ in results)
    source = os.path.dirname(os.path.dirname(os.path.abspath(initact.__file__)))
    print(f"initact {initact.__version__} from {source}")
    print(f"{len(results) + len(na)} cases: {len(results)} run, {len(na)} n/a; {elapsed:.0f} s")
    for failure in baseline_failures:
        print(f"harness problem, the valid call failed: {failure}")
    print()
    print("| outcome | cases |")
    print("|---|---|")
    for category in CATEGORIES:
        print(f"| {category} | {counts[category]} |")
    if not args.quiet:
        for category in CATEGORIES[1:]:
            rows = [r for r in results if r[1] == category]
            if rows:
                print(f"\n## {category} ({len(rows)})")
            for (i, param, _, label), _, detail in sorted(rows, key=lambda r: r[0]):
                print(f"{all_targets[i].name}  {param}={label}:  {detail}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(
                {
                    "source": source,
                    "counts": {c: counts[c] for c in CATEGORIES} | {"n/a": len(na)},
                    "cases": [
                        {
                            "target": all_targets[i].name,
                            "param": param,
                            "value": label,
                            "outcome": category,
                            "detail": detail,
                        }
                        for (i, param, _, label), category, detail in results
                    ],
                },
                f,
                indent=1,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
