"""Sizes and costs that would fill the memory or run for hours fail fast (issue 9, item 2).

Each case asserts the exception type, that the message names the parameter and
the size or cost, that the call returns in well under a second and that
nothing large was allocated (tracemalloc sees NumPy's allocations).
"""

from __future__ import annotations

import math
import subprocess
import sys
import time
import tracemalloc

import numpy as np
import pytest

import initact
from initact import initializers
from initact.diagnostics import born_dead_probability
from initact.initializers import (
    FALLBACK_MEMORY_BYTES,
    MEMORY_FRACTION,
    Orthogonal,
    VarianceScaling,
    available_memory,
    check_memory,
    get_initializer,
)
from initact.theory import backpropagate_variance, propagate_variance

GiB = 2**30
# Far beyond any machine: 10**12 weights are 4 TB in float32.
HUGE = (1_000_000, 1_000_000)


def fails_fast(call, error, *words):
    """Run ``call``; it must raise ``error`` naming ``words``, in < 1 s, allocating < 1 MiB."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(error) as info:
            call()
    finally:
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    message = str(info.value)
    for word in words:
        assert word in message, (word, message)
    assert elapsed < 1.0, elapsed
    assert peak < 2**20, peak
    return message


# --------------------------------------------------------------------------- initializers

PRESETS = [name for name in initializers.INITIALIZERS]


@pytest.mark.parametrize("name", PRESETS)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_every_initializer_refuses_a_shape_beyond_the_memory(name, dtype):
    init = get_initializer(name)
    message = fails_fast(lambda: init(HUGE, rng=0, dtype=dtype), ValueError, "shape=", "TiB")
    assert "bytes" in message and "memory available" in message


@pytest.mark.parametrize(
    "init",
    [
        VarianceScaling(2.0, "fan_in", "truncated_normal"),
        VarianceScaling(1.0, "fan_avg", "uniform"),
        VarianceScaling(1.0, "fan_out", "untruncated_normal"),
        Orthogonal(gain=2.0),
    ],
)
def test_conv_kernels_count_every_dimension(init):
    fails_fast(lambda: init((3, 3, 1_000_000, 100_000), rng=0), ValueError, "shape=", "TiB")


def test_the_issues_kernel_is_refused_on_a_23_gib_machine(monkeypatch):
    """he_normal((100_000, 60_000)): 22.4 GiB of float32 against 23 GiB available."""
    monkeypatch.setattr(initializers, "available_memory", lambda: (23 * GiB, "test"))
    message = fails_fast(
        lambda: initact.he_normal((100_000, 60_000)), ValueError, "shape=(100000, 60000)"
    )
    assert "22.4 GiB" in message and "24,0" in message  # 24,002,... bytes


def test_the_limit_is_the_documented_fraction_of_the_available_memory(monkeypatch):
    available = 160 * 2**20  # the limit, half of it, is above the 64 MiB always allowed
    monkeypatch.setattr(initializers, "available_memory", lambda: (available, "test"))
    n = int(MEMORY_FRACTION * available) // 4  # float32 elements that fill the fraction
    below = n - (1 << 19)  # leave room for the documented 2 MiB of scratch
    assert initact.he_uniform((below // 1024, 1024), rng=0).shape == (below // 1024, 1024)
    fails_fast(lambda: initact.he_uniform((n // 1024 + 1, 1024), rng=0), ValueError, "shape=")
    # The orthogonal QR needs five float64 copies: 40 bytes a weight.
    rows = int(MEMORY_FRACTION * available) // 40 // 64
    fails_fast(lambda: Orthogonal()((rows + 1, 64), rng=0), ValueError, "shape=", "QR")


def test_small_requests_never_read_the_memory(monkeypatch):
    def unreachable():
        raise AssertionError("available_memory read for a small kernel")

    monkeypatch.setattr(initializers, "available_memory", unreachable)
    assert initact.he_normal((784, 300), rng=0).shape == (784, 300)
    assert Orthogonal()((64, 64), rng=0).shape == (64, 64)


def test_results_are_unchanged_by_the_guard():
    # The guard draws nothing: the same seed gives the same weights as a raw draw.
    w = VarianceScaling(1.0, "fan_in", "untruncated_normal")((50, 40), rng=3, dtype=np.float64)
    raw = np.random.default_rng(3).standard_normal((50, 40)) * math.sqrt(1 / 50)
    np.testing.assert_allclose(w, raw, rtol=1e-12)


def test_available_memory_reads_proc_meminfo_or_falls_back(monkeypatch):
    nbytes, source = available_memory()
    assert nbytes > 0
    try:
        with open("/proc/meminfo") as meminfo:
            has_meminfo = "MemAvailable:" in meminfo.read()
    except OSError:
        has_meminfo = False
    assert source == ("MemAvailable in /proc/meminfo" if has_meminfo else source)

    def missing(*args, **kwargs):
        raise FileNotFoundError("/proc/meminfo")

    monkeypatch.setattr("builtins.open", missing)
    nbytes, source = available_memory()
    assert nbytes == FALLBACK_MEMORY_BYTES == 16 * GiB
    assert source.startswith("FALLBACK_MEMORY_BYTES")


def test_check_memory_names_the_parameter_it_is_given():
    fails_fast(lambda: check_memory(10**16, "width", 7, "the weights"), ValueError, "width=7")
    check_memory(2**20, "width", 7, "the weights")  # 1 MiB always passes


# --------------------------------------------------------------------------- born dead


def test_born_dead_probability_refuses_hours_of_work():
    message = fails_fast(
        lambda: born_dead_probability(5000, 3), ValueError, "width=5000", "depth=3", "trials=20000"
    )
    assert "1.5e+12" in message and "max_work" in message


def test_born_dead_probability_counts_a_given_input_in_the_cost():
    x = np.ones(10**5)  # 10 trials * 20000 units * 1e5 inputs = 2e10 draws
    fails_fast(lambda: born_dead_probability(20_000, 1, trials=10, x=x), ValueError, "2e+10")


def test_born_dead_probability_limit_sits_between_the_book_and_hours():
    # 20000 * 5 * (5 + 19 * 5) = 1e7, the largest call of the tests, runs;
    # one trial more than the limit's 1e10 does not.
    assert born_dead_probability(5, 20, trials=200, rng=0).trials == 200
    # 10 trials * 10 units * (10 inputs + 9 * 10) = 1e4 draws: exactly the limit, allowed.
    born_dead_probability(10, 10, trials=10, rng=0, max_work=10_000)
    fails_fast(
        lambda: born_dead_probability(10, 10, trials=11, rng=0, max_work=10_000),
        ValueError,
        "trials=11",
    )


def test_born_dead_probability_max_work_goes_beyond_on_purpose():
    a = born_dead_probability(3, 4, trials=500, rng=5)
    assert a == born_dead_probability(3, 4, trials=500, rng=5, max_work=math.inf)
    with pytest.raises(ValueError, match="trials=500"):
        born_dead_probability(3, 4, trials=500, rng=5, max_work=1e4)


@pytest.mark.parametrize(
    ("max_work", "error"), [(0, ValueError), (math.nan, ValueError), ("1e10", TypeError)]
)
def test_born_dead_probability_validates_max_work(max_work, error):
    fails_fast(lambda: born_dead_probability(2, 3, max_work=max_work), error, "max_work")


def test_born_dead_probability_refuses_a_batch_beyond_the_memory():
    fails_fast(
        lambda: born_dead_probability(100, 1, trials=10**8, batch=10**8, max_work=math.inf),
        ValueError,
        "batch=100000000",
        "TiB",
    )
    fails_fast(
        lambda: born_dead_probability(10**6, 1, trials=1, max_work=math.inf),
        ValueError,
        "width=1000000",
        "TiB",
    )


# --------------------------------------------------------------------------- variance maps


@pytest.mark.parametrize("function", [propagate_variance, backpropagate_variance])
def test_variance_maps_refuse_hours_of_quadrature(function):
    message = fails_fast(lambda: function("tanh", 1.0, 10**7), ValueError, "depth=10000000")
    assert "max_work" in message and "quadratures" in message


@pytest.mark.parametrize("function", [propagate_variance, backpropagate_variance])
def test_variance_maps_refuse_a_depth_beyond_any_memory(function):
    fails_fast(lambda: function("relu", 2.0, 10**15), ValueError, "depth=")


def test_variance_maps_limits_and_max_work():
    # The tests' deepest map (1100 layers) is 90 times below the default limit.
    assert propagate_variance("relu", 1.0, 1100)[-1] == 0.0
    np.testing.assert_array_equal(
        propagate_variance("relu", 2.0, 5, max_work=5), propagate_variance("relu", 2.0, 5)
    )
    fails_fast(lambda: propagate_variance("relu", 2.0, 6, max_work=5), ValueError, "depth=6")
    # Backward: two quadratures a layer.
    assert backpropagate_variance("relu", 2.0, 3, max_work=6).shape == (3,)
    fails_fast(lambda: backpropagate_variance("relu", 2.0, 4, max_work=7), ValueError, "depth=4")
    np.testing.assert_array_equal(
        backpropagate_variance("tanh", 1.0, 4, max_work=math.inf),
        backpropagate_variance("tanh", 1.0, 4),
    )
    fails_fast(lambda: propagate_variance("relu", 2.0, 3, max_work="x"), TypeError, "max_work")


# --------------------------------------------------------------------------- import initact


def test_documented_submodules_are_attributes_after_import_initact():
    code = (
        "import sys, initact\n"
        "for name in ('fans', 'initializers', 'activations', 'theory', 'propagation', 'nn',\n"
        "             'diagnostics', 'data'):\n"
        "    assert getattr(initact, name).__name__ == 'initact.' + name, name\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in\n"
        "               ('matplotlib', 'ipywidgets', 'IPython', 'initact'))\n"
        "assert not [m for m in heavy if not m.startswith('initact')], heavy\n"
        "assert 'initact.plotting' not in heavy and 'initact.widgets' not in heavy, heavy\n"
        "print(initact.diagnostics.born_dead_exact(1, 1))\n"
        "assert initact.plotting.__name__ == 'initact.plotting'\n"
        "assert initact.widgets.__name__ == 'initact.widgets'\n"
        "assert initact.experiments.__name__ == 'initact.experiments'\n"
        "assert {'experiments', 'plotting', 'widgets'} <= set(dir(initact))\n"
        "try:\n"
        "    initact.no_such_module\n"
        "except AttributeError as err:\n"
        "    assert 'no_such_module' in str(err)\n"
        "else:\n"
        "    raise AssertionError('no AttributeError')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0.5"
