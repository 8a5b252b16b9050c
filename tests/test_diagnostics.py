"""Tests of initact.diagnostics: dead units, born-dead probability, Recorder, DeadChart.

Expected values are derived independently of the code under test: the closed
form of Lu et al. (2019), hand-set weights whose dead units are known by
construction, and NumPy forward/backward passes written out here.
"""

import math

import numpy as np
import pytest

from initact.data import make_spirals
from initact.diagnostics import (
    BornDeadEstimate,
    DeadChart,
    ParameterLog,
    Recorder,
    Snapshots,
    born_dead_exact,
    born_dead_probability,
    dead_fraction,
    dead_units,
    is_born_dead,
)
from initact.nn import Callback, fit, mlp

# --------------------------------------------------------------------------- born dead


@pytest.mark.parametrize("width", [2, 3, 5])
@pytest.mark.parametrize("depth", [5, 10, 20])
def test_born_dead_probability_matches_closed_form(width, depth):
    trials = 20_000
    result = born_dead_probability(width, depth, trials=trials, rng=1000 * width + depth)
    p = 1 - (1 - 2.0**-width) ** depth  # Lu et al. 2019, written out here
    assert result.exact == pytest.approx(p, rel=1e-12)
    assert result.trials == trials
    # A binomial proportion has standard error sqrt(p (1 - p) / trials); 5 of
    # them is a false alarm in fewer than 1e-6 of seeds.
    assert abs(result.estimate - p) < 5 * math.sqrt(p * (1 - p) / trials)
    p_hat = result.estimate
    assert result.stderr == pytest.approx(math.sqrt(p_hat * (1 - p_hat) / trials))


def test_born_dead_probability_counts_every_layer_not_one_fewer():
    # Width 2, depth 5: 1 - (3/4)^5 = 0.763 against 1 - (3/4)^4 = 0.684 if the
    # first layer were not counted; the simulation must land on the former. Binomial
    # standard errors sqrt(p (1 - p) / trials) are 0.0030 and 0.0033: 5 of them is a false
    # alarm in fewer than 1e-6 of seeds, and the two values lie 26 of them apart.
    trials = 20_000
    result = born_dead_probability(2, 5, trials=trials, rng=7)
    for depth, counted in [(5, True), (4, False)]:
        p = 1 - 0.75**depth
        near = abs(result.estimate - p) < 5 * math.sqrt(p * (1 - p) / trials)
        assert near is counted


def test_born_dead_probability_with_a_given_input_and_small_batches():
    # Any nonzero input has the same law; batching changes only the draw order.
    x = np.zeros(4)
    x[2] = -3.0
    result = born_dead_probability(3, 6, trials=8_000, rng=3, x=x, batch=777)
    p = 1 - (7 / 8) ** 6
    assert isinstance(result, BornDeadEstimate)
    assert abs(result.estimate - p) < 5 * math.sqrt(p * (1 - p) / 8_000)


def test_born_dead_probability_never_overflows():
    # Standard normal weights grow the activations about sqrt(width / 2) per
    # layer: e^800 within 800 layers of width 16, past the float range. Warnings
    # are errors here, so an overflow (then inf - inf = NaN) fails this test.
    deep = born_dead_probability(16, 800, trials=10, rng=0)
    assert 0.0 <= deep.estimate <= 1.0
    huge = born_dead_probability(2, 3, trials=4_000, rng=0, x=[1.7e308, 1.7e308, 1.7e308])
    p = 1 - 0.75**3
    assert abs(huge.estimate - p) < 5 * math.sqrt(p * (1 - p) / 4_000)


def test_born_dead_probability_is_reproducible():
    a = born_dead_probability(5, 20, trials=2_000, rng=11)
    assert a == born_dead_probability(5, 20, trials=2_000, rng=11)
    assert a != born_dead_probability(5, 20, trials=2_000, rng=12)


def test_born_dead_exact_small_cases_by_enumeration():
    # width 1: each layer kills its unit with probability 1/2, so alive = 2^-L.
    for depth in range(1, 6):
        assert born_dead_exact(1, depth) == pytest.approx(1 - 0.5**depth)
    assert born_dead_exact(3, 1) == pytest.approx(1 / 8)
    assert born_dead_exact(60, 1000) == pytest.approx(1000 * 2.0**-60, rel=1e-9)


@pytest.mark.parametrize(
    ("call", "error", "word"),
    [
        (lambda: born_dead_probability(0, 5), ValueError, "width"),
        (lambda: born_dead_probability(2.0, 5), TypeError, "width"),
        (lambda: born_dead_probability(2, 0), ValueError, "depth"),
        (lambda: born_dead_probability(2, 5, trials=-1), ValueError, "trials"),
        (lambda: born_dead_probability(2, 5, rng="seed"), TypeError, "rng"),
        (lambda: born_dead_probability(2, 5, x=np.zeros(3)), ValueError, "x"),
        (lambda: born_dead_probability(2, 5, x=np.ones((2, 2))), ValueError, "x"),
        (lambda: born_dead_probability(2, 5, x=[1.0, math.nan]), ValueError, "x"),
        (lambda: born_dead_probability(2, 5, x=["a"]), TypeError, "x"),
        (lambda: born_dead_probability(2, 5, batch=0), ValueError, "batch"),
        (lambda: born_dead_exact(True, 5), TypeError, "width"),
        (lambda: born_dead_exact(2, -1), ValueError, "depth"),
    ],
)
def test_born_dead_bad_input(call, error, word):
    with pytest.raises(error, match=word):
        call()


# --------------------------------------------------------------------------- dead units


def _hand_built(activation="relu", **params):
    """3 -> 4 -> 4 -> 2 with known dead units: layer 0 unit 2, layer 1 units 0 and 3.

    Layer 0 has no bias except -100 on unit 2; the probe set holds x and -x, so
    every other unit (nonzero weights) is positive on one of them. Layer 1 has
    positive weights, so a unit with bias 0 is positive whenever its input is
    not all zero; units 0 and 3 get bias -100, far below any input they see.
    """
    model = mlp([3, 4, 4, 2], activation=activation, rng=0, dtype=np.float64, **params)
    d0, d1, _ = model.dense_layers
    d0.W[...] = np.array([[1.0, -2.0, 0.5, 0.3], [0.2, 1.0, -1.0, 0.7], [-0.4, 0.1, 0.9, -1.1]])
    d0.b[...] = [0.0, 0.0, -100.0, 0.0]
    d1.W[...] = np.abs(d1.W) + 0.1
    d1.b[...] = [-100.0, 0.0, 0.0, -100.0]
    x = np.random.default_rng(1).standard_normal((5, 3))
    return model, np.vstack([x, -x])


def test_dead_units_reports_exactly_the_units_made_dead():
    model, X = _hand_built()
    masks = dead_units(model, X)
    assert [m.tolist() for m in masks] == [
        [False, False, True, False],
        [True, False, False, True],
    ]
    # Cross-check with a forward pass written out here.
    d0, d1, _ = model.dense_layers
    h0 = np.maximum(X @ d0.W + d0.b, 0)
    h1 = np.maximum(h0 @ d1.W + d1.b, 0)
    assert masks[0].tolist() == (h0 == 0).all(axis=0).tolist()
    assert masks[1].tolist() == (h1 == 0).all(axis=0).tolist()
    assert dead_fraction(model, X) == [0.25, 0.5]


def test_leaky_relu_has_no_dead_units():
    model, X = _hand_built("leaky_relu", alpha=0.01)
    assert [m.any() for m in dead_units(model, X)] == [False, False]
    assert dead_fraction(model, X) == [0.0, 0.0]


def test_dead_units_uses_eval_mode_and_restores_the_mode():
    model, X = _hand_built("rrelu")
    model.train()
    dead_units(model, X)
    assert model.training and all(layer.training for layer in model.layers)
    model.eval()
    dead_units(model, X)
    assert not any(layer.training for layer in model.layers)


def test_dead_units_ignores_dropout_in_training_mode():
    # Dropout at rate 0.99 would zero nearly all of layer 1's input while
    # training; dead_units must measure the network itself, in eval mode.
    model, X = _hand_built(dropout=0.99)
    model.train()
    masks = dead_units(model, X)
    assert [m.tolist() for m in masks] == [[False, False, True, False], [True, False, False, True]]
    assert model.training


def test_is_born_dead():
    model, X = _hand_built()
    assert not is_born_dead(model, X)
    model.dense_layers[1].b[...] = -100.0  # the last hidden layer is all dead
    assert is_born_dead(model, X)
    # An all-dead first layer feeds zeros on; with zero biases above, the last
    # hidden layer is all zero too.
    model, X = _hand_built()
    model.dense_layers[0].b[...] = -100.0
    model.dense_layers[1].b[...] = 0.0
    assert is_born_dead(model, X)


def test_is_born_dead_tolerance():
    model, X = _hand_built()
    model.dense_layers[1].b[...] = -100.0
    model.dense_layers[1].b[1] = 0.0  # one unit alive ...
    model.dense_layers[2].W[1, :] = 1e-9  # ... that barely moves the output
    assert not is_born_dead(model, X)
    assert is_born_dead(model, X, atol=1e-6)


@pytest.mark.parametrize(
    ("call", "error", "word"),
    [
        (lambda m, X: dead_units("model", X), TypeError, "model"),
        (lambda m, X: dead_units(m, X[:, :2]), ValueError, "X"),
        (lambda m, X: dead_fraction(m, np.full((2, 3), math.nan)), ValueError, "X"),
        (lambda m, X: is_born_dead(m, X[:1]), ValueError, "X"),
        (lambda m, X: is_born_dead(m, X, atol=-1.0), ValueError, "atol"),
        (lambda m, X: is_born_dead(m, X, atol="0"), TypeError, "atol"),
    ],
)
def test_dead_units_bad_input(call, error, word):
    model, X = _hand_built()
    with pytest.raises(error, match=word):
        call(model, X)


# --------------------------------------------------------------------------- Recorder


class _Probe(Callback):
    """A callback placed after the Recorder: keeps copies of each layer's cached pre-activation."""

    def __init__(self):
        super().__init__()
        self.inputs = []

    def on_step_end(self, model, step, optimizer):
        self.inputs.append([layer.x.astype(np.float64) for layer in model.activation_layers])


def _quadrants(n=64):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
    return X, y


def test_recorder_shapes_and_every():
    X, y = _quadrants()
    model = mlp([2, 8, 8, 2], activation="relu", kernel_init="he_normal", rng=0)
    rec, rec3 = Recorder(), Recorder(every=3, bins=16)
    fit(model, X, y, epochs=2, batch_size=16, lr=0.05, rng=0, callbacks=[rec, rec3], progress=False)
    steps = 2 * 64 // 16
    assert rec.steps.tolist() == list(range(1, steps + 1))
    arrays = rec.as_arrays()
    for name in ("mean", "std", "zero_fraction", "saturated_fraction"):
        assert arrays[name].shape == (steps, 2)
    assert arrays["histogram"].shape == (steps, 2, 40)
    assert arrays["grad_std"].shape == arrays["update_ratio"].shape == (steps, 3)
    assert np.isnan(rec.saturated_fraction).all()  # ReLU is unbounded
    assert rec3.steps.tolist() == [1, 4, 7]
    assert rec3.histogram.shape == (3, 2, 16)
    np.testing.assert_array_equal(rec3.mean, rec.mean[[0, 3, 6]])


def test_recorder_zero_fraction_mean_std_and_histogram_match_cached_activations():
    X, y = _quadrants(60)  # 60 = 3 batches of 16 and one of 12
    model = mlp([2, 8, 8, 2], activation="relu", kernel_init="he_normal", rng=1)
    rec, probe = Recorder(bins=40, hist_max=10.0), _Probe()
    fit(model, X, y, epochs=2, batch_size=16, lr=0.1, rng=0, callbacks=[rec, probe], progress=False)
    assert len(probe.inputs) == len(rec.steps) == 8
    for step, pre in enumerate(probe.inputs):
        for layer, z in enumerate(pre):
            # ReLU outputs zero exactly where the pre-activation is <= 0.
            assert rec.zero_fraction[step, layer] == pytest.approx(np.mean(z <= 0), abs=1e-15)
            a = np.maximum(z, 0)
            assert rec.mean[step, layer] == pytest.approx(a.mean(), rel=1e-6, abs=1e-12)
            assert rec.std[step, layer] == pytest.approx(a.std(), rel=1e-6, abs=1e-12)
            counts = rec.histogram[step, layer]
            assert counts.sum() == z.size  # 16 x 8, or 12 x 8 for the last batch
            expected, _ = np.histogram(np.minimum(a, 10.0), bins=40, range=(0.0, 10.0))
            np.testing.assert_array_equal(counts, expected)
    assert (rec.zero_fraction > 0).any() and (rec.zero_fraction < 1).all()


def test_recorder_histogram_puts_large_values_in_the_last_bin():
    X, y = _quadrants()
    model = mlp([2, 4, 2], activation="relu", rng=0, dtype=np.float64)
    model.dense_layers[0].W[...] = 1000.0  # activations far above hist_max
    rec, probe = Recorder(bins=5, hist_max=1.0), _Probe()
    fit(
        model, X, y, epochs=1, batch_size=64, lr=1e-6, rng=0, callbacks=[rec, probe], progress=False
    )
    z = probe.inputs[0][0]
    counts = rec.histogram[0, 0]
    assert counts.sum() == z.size
    assert counts[0] == np.count_nonzero(z <= 0)
    assert counts[-1] == np.count_nonzero(z >= 1.0)


def _saturation(activation, scale):
    X, y = _quadrants()
    model = mlp([2, 16, 16, 2], activation=activation, rng=0, dtype=np.float64)
    for layer in model.dense_layers:
        layer.W *= scale
    rec, probe = Recorder(), _Probe()
    fit(
        model, X, y, epochs=1, batch_size=32, lr=1e-3, rng=0, callbacks=[rec, probe], progress=False
    )
    return rec, probe


def test_recorder_saturation_tanh():
    big, probe = _saturation("tanh", 100.0)
    for step, pre in enumerate(probe.inputs):
        for layer, z in enumerate(pre):
            expected = np.mean(np.abs(np.tanh(z)) > 0.97)
            assert big.saturated_fraction[step, layer] == pytest.approx(expected, abs=1e-15)
    assert (big.saturated_fraction > 0.9).all()
    small, _ = _saturation("tanh", 0.01)
    assert (small.saturated_fraction < 0.01).all()


def test_recorder_saturation_sigmoid():
    big, probe = _saturation("sigmoid", 100.0)
    for step, pre in enumerate(probe.inputs):
        for layer, z in enumerate(pre):
            s = 0.5 * (1 + np.tanh(z / 2))  # sigmoid, written without exp overflow
            expected = np.mean((s < 0.03) | (s > 0.97))
            assert big.saturated_fraction[step, layer] == pytest.approx(expected, abs=1e-15)
    assert (big.saturated_fraction > 0.9).all()
    small, _ = _saturation("sigmoid", 0.01)
    assert (small.saturated_fraction == 0).all()  # all outputs near 0.5


def test_recorder_update_ratio_and_grad_std_on_the_first_plain_sgd_step():
    X, y = _quadrants(40)
    model = mlp([2, 5, 4, 3], activation="relu", kernel_init="he_normal", rng=2, dtype=np.float64)
    y = y + (X[:, 0] > 1)  # three classes
    W = [layer.W.copy() for layer in model.dense_layers]
    b = [layer.b.copy() for layer in model.dense_layers]
    lr = 0.3
    rec = Recorder()
    fit(model, X, y, epochs=1, batch_size=len(X), lr=lr, rng=0, callbacks=[rec], progress=False)

    # Full-batch gradients of the mean cross-entropy, by hand.
    z1 = X @ W[0] + b[0]
    h1 = np.maximum(z1, 0)
    z2 = h1 @ W[1] + b[1]
    h2 = np.maximum(z2, 0)
    logits = h2 @ W[2] + b[2]
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    g3 = (p - np.eye(3)[y]) / len(X)
    g2 = (g3 @ W[2].T) * (z2 > 0)
    g1 = (g2 @ W[1].T) * (z1 > 0)
    grads = [X.T @ g1, h1.T @ g2, h2.T @ g3]

    expected_grad_std = [g.std() for g in grads]
    expected_ratio = [lr * g.std() / (w - lr * g).std() for w, g in zip(W, grads, strict=True)]
    np.testing.assert_allclose(rec.grad_std[0], expected_grad_std, rtol=1e-9)
    np.testing.assert_allclose(rec.update_ratio[0], expected_ratio, rtol=1e-9)


def test_recorder_starts_fresh_on_each_fit():
    X, y = _quadrants()
    model = mlp([2, 4, 2], rng=0)
    rec = Recorder()
    for _ in range(2):
        fit(model, X, y, epochs=1, batch_size=32, lr=0.01, rng=0, callbacks=[rec], progress=False)
    assert rec.steps.tolist() == [1, 2]


@pytest.mark.parametrize(
    ("kwargs", "error", "word"),
    [
        ({"every": 0}, ValueError, "every"),
        ({"every": 1.5}, TypeError, "every"),
        ({"bins": 0}, ValueError, "bins"),
        ({"hist_max": 0.0}, ValueError, "hist_max"),
        ({"hist_max": math.inf}, ValueError, "hist_max"),
        ({"saturation": 1.0}, ValueError, "saturation"),
        ({"saturation": 0.3}, ValueError, "saturation"),
        ({"saturation": "high"}, TypeError, "saturation"),
    ],
)
def test_recorder_bad_input(kwargs, error, word):
    with pytest.raises(error, match=word):
        Recorder(**kwargs)


# --------------------------------------------------------------------------- DeadChart


def _manual_dead_fractions(model, X):
    """Per hidden ReLU layer, the share of units that output 0 on every row of X, from a
    forward pass written out here."""
    h, row = X, []
    for layer in model.dense_layers[:-1]:
        h = np.maximum(h @ layer.W + layer.b, 0)
        row.append(float(np.mean((h == 0).all(axis=0))))
    return row


class _ManualDeadFractions(Callback):
    """Dead fractions after each epoch, by :func:`_manual_dead_fractions`."""

    def __init__(self, X):
        self.X, self.fractions = X, []

    def on_epoch_end(self, model, epoch, history):
        self.fractions.append(_manual_dead_fractions(model, self.X))


def test_dead_chart_follows_units_dying_during_training():
    X, y = _quadrants()
    model = mlp([2, 16, 16, 2], activation="relu", kernel_init="he_normal", rng=0, dtype=np.float64)
    before = _manual_dead_fractions(model, X)
    chart, manual = DeadChart(X), _ManualDeadFractions(X)
    # A learning rate this large kills ReLUs: the chart must see them die.
    fit(
        model,
        X,
        y,
        epochs=4,
        batch_size=16,
        lr=2.0,
        rng=0,
        callbacks=[chart, manual],
        progress=False,
    )
    assert chart.epochs.tolist() == [0, 1, 2, 3, 4]
    assert chart.fractions.shape == (5, 2)
    assert chart.fractions[0].tolist() == before
    assert chart.fractions[1:].tolist() == manual.fractions
    assert chart.fractions[-1].sum() > chart.fractions[0].sum()


def test_dead_chart_a_unit_dead_on_the_training_set_stays_dead():
    model, X = _hand_built()
    y = (X[:, 0] > 0).astype(np.int64)
    chart = DeadChart(X)
    fit(model, X, y, epochs=3, batch_size=4, lr=0.5, rng=0, callbacks=[chart], progress=False)
    # Unit 2 of layer 0 is dead on every training example, so no gradient
    # reaches its weights or bias and it is still dead after every epoch.
    assert (chart.fractions[:, 0] >= 0.25).all()
    assert all(dead_units(model, X)[0] >= [False, False, True, False])


def test_dead_chart_bad_input():
    with pytest.raises(ValueError, match="X"):
        DeadChart(np.ones(3))
    with pytest.raises(TypeError, match="X"):
        DeadChart([["a", "b"]])
    chart = DeadChart(np.ones((4, 5)))
    with pytest.raises(ValueError, match="X"):
        chart.on_train_begin(mlp([3, 2, 2], rng=0))


# ------------------------------------------------------------------ Snapshots, ParameterLog


def test_snapshots_are_independent_copies_per_epoch():
    X, y = make_spirals(64, rng=0)
    model = mlp([2, 8, 2], rng=0)
    before = model.dense_layers[0].W.copy()
    snapshots = Snapshots()
    fit(model, X, y, epochs=3, batch_size=16, lr=0.1, rng=0, callbacks=[snapshots], progress=False)
    assert len(snapshots) == 4 and all(m is not model for m in snapshots)
    np.testing.assert_array_equal(snapshots[0].dense_layers[0].W, before)
    np.testing.assert_array_equal(snapshots[3].dense_layers[0].W, model.dense_layers[0].W)
    assert not np.array_equal(snapshots[1].dense_layers[0].W, snapshots[2].dense_layers[0].W)


def test_parameter_log_records_prelu_slopes_per_epoch():
    X, y = make_spirals(64, rng=0)
    model = mlp([2, 8, 8, 2], "prelu", per_unit=True, rng=0)
    log = ParameterLog("alpha")
    fit(model, X, y, epochs=2, batch_size=16, lr=0.1, rng=0, callbacks=[log], progress=False)
    stacked = log.stack()
    assert stacked.shape == (3, 16)  # two layers of 8 per-unit slopes, 3 records
    np.testing.assert_array_equal(stacked[0], 0.25)
    current = np.concatenate([layer.params["alpha"] for layer in model.activation_layers])
    np.testing.assert_array_equal(stacked[-1], current)


def test_parameter_log_refuses_a_missing_parameter():
    X, y = make_spirals(32, rng=0)
    with pytest.raises(ValueError, match="alpha"):
        fit(
            mlp([2, 4, 2], "relu", rng=0),
            X,
            y,
            epochs=1,
            batch_size=8,
            lr=0.1,
            rng=0,
            callbacks=[ParameterLog("alpha")],
            progress=False,
        )
    with pytest.raises(TypeError, match="key"):
        ParameterLog(3)
    with pytest.raises(ValueError, match="nothing logged"):
        ParameterLog().stack()


def test_an_interrupt_while_recording_leaves_every_record_in_step(monkeypatch):
    from initact import diagnostics

    X, y = _quadrants()
    model = mlp([2, 4, 4, 2], "relu", "he_normal", rng=0, dtype=np.float64)
    chart, recorder = DeadChart(X), Recorder()
    calls = {"n": 0}
    original = diagnostics.dead_fraction

    def interrupted(m, probe):
        calls["n"] += 1
        if calls["n"] == 3:  # after epoch 2, in the middle of the chart's record
            raise KeyboardInterrupt
        return original(m, probe)

    monkeypatch.setattr(diagnostics, "dead_fraction", interrupted)
    with pytest.raises(KeyboardInterrupt) as info:
        fit(model, X, y, epochs=5, batch_size=16, lr=0.1, rng=0, callbacks=[recorder, chart],
            progress=False)  # fmt: skip
    assert chart.epochs.tolist() == [0, 1] and chart.fractions.shape == (2, 2)
    arrays = recorder.as_arrays()
    assert len({len(a) for a in arrays.values()}) == 1  # every array has one row per step
    assert info.value.history.epoch == [1, 2]
