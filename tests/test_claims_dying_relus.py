"""The claims of book/04_dying_relus.md, recomputed directly with initact.

tests/test_nn.py already asserts the end state of the digits runs (at lr = 1.0
many ReLUs are dead and accuracy collapses; none die at lr = 0.1; leaky ReLU
keeps none dead) and tests/test_diagnostics.py the born-dead Monte Carlo on a
few (width, depth) cells. This file asserts what the chapter adds: the dead
chart epoch by epoch, the exact zero gradient of a dead unit, the Recorder's
zero fractions and update:data ratios, a dead unit revived by the layer below,
a leaky unit's coma that ends, leaky ReLU's divergence on some seeds, the
born-dead formula over the plotted grid, and randomized asymmetric init's effect.
"""

from __future__ import annotations

import copy
import math
from types import SimpleNamespace

import numpy as np
import pytest

from initact import he_normal
from initact.data import load_digits
from initact.diagnostics import (
    DeadChart,
    Recorder,
    born_dead_exact,
    born_dead_probability,
    dead_units,
    is_born_dead,
)
from initact.nn import evaluate, fit, mlp, randomized_asymmetric_init, softmax_cross_entropy

SIZES = [64, 100, 100, 10]
EPOCHS = 20
STEPS_PER_EPOCH = math.ceil(1168 / 32)  # 1168 training rows in batches of 32
UNIT = 6  # the chapter's revived ReLU unit of layer 2 (lr = 1.0, seed 0)
LEAKY_UNIT = 10  # the chapter's leaky unit that wakes from a coma


@pytest.fixture(scope="module")
def digits():
    return load_digits(seed=0)


def train(digits, activation, lr, seed=0):
    """The chapter's run: DeadChart, Recorder and a copy of the model after every epoch."""
    X = digits.X_train
    model = mlp(SIZES, activation, kernel_init="he_normal", rng=seed)
    chart, recorder, snapshots = DeadChart(X), Recorder(), []
    keep = SimpleNamespace(
        on_train_begin=lambda m: snapshots.append(copy.deepcopy(m)),
        on_epoch_end=lambda m, epoch, history: snapshots.append(copy.deepcopy(m)),
    )
    history = fit(
        model,
        X,
        digits.y_train,
        epochs=EPOCHS,
        batch_size=32,
        lr=lr,
        rng=seed,
        callbacks=[chart, recorder, keep],
        progress=False,
    )
    return SimpleNamespace(
        model=model, history=history, chart=chart, recorder=recorder, snapshots=snapshots
    )


@pytest.fixture(scope="module")
def runs(digits):
    return SimpleNamespace(
        small=train(digits, "relu", 0.1),
        big=train(digits, "relu", 1.0),
        leaky=train(digits, "leaky_relu", 1.0),
    )


def preactivations(model, X, layer):
    model.predict(X)  # caches every layer's input
    return model.activation_layers[layer].x.copy()


def full_batch_gradients(model, X, y):
    """Forward and backward the whole training set as one batch; returns the model's copy."""
    model = copy.deepcopy(model)
    _, grad = softmax_cross_entropy(model.forward(X), y)
    model.backward(grad)
    return model


def came_back(masks):
    """Units that are True (dead or in a coma) at some epoch and False at a later one."""
    first = masks.argmax(axis=0)
    return [j for j in np.flatnonzero(masks.any(axis=0)) if not masks[first[j] :, j].all()]


# --------------------------------------------------------------------------- the dead chart


def test_the_dead_chart_at_lr_1_kills_layer_two_in_one_epoch(runs):
    chart, history = runs.big.chart, runs.big.history
    assert chart.epochs.tolist() == list(range(EPOCHS + 1))
    assert chart.fractions[0].tolist() == [0.0, 0.0]  # He init: nobody dead at the start
    assert chart.fractions[:, 0].max() == 0.0  # layer 1 never loses a unit
    assert chart.fractions[-1, 1] >= 0.75  # the chapter prints 0.90
    rise = np.diff(chart.fractions[:, 1])
    assert rise.max() >= 0.5  # most of the layer dies in one epoch
    # ... the same epoch as the accuracy collapses (accuracy[k] is epoch k + 1).
    death_epoch = int(chart.epochs[1 + rise.argmax()])
    collapse_epoch = int(2 + np.diff(history.accuracy).argmin())
    assert death_epoch == collapse_epoch
    assert history.accuracy[collapse_epoch - 1] < history.accuracy[collapse_epoch - 2] - 0.5


def test_no_unit_is_ever_dead_at_lr_01_or_with_leaky_relu(runs):
    # tests/test_nn.py checks the end of training; the chart checks every epoch.
    assert runs.small.chart.fractions.max() == 0.0
    assert runs.leaky.chart.fractions.max() == 0.0


def test_a_dead_unit_has_all_weighted_sums_negative_and_exactly_zero_gradient(runs, digits):
    X, y = digits.X_train, digits.y_train
    dead = dead_units(runs.big.model, X)[1]
    assert dead.sum() >= 75
    model = full_batch_gradients(runs.big.model, X, y)
    z = model.activation_layers[1].x
    dense = model.dense_layers[1]
    # The definition: every weighted sum <= 0 (here strictly below) ...
    assert np.all(z[:, dead].max(axis=0) < 0)
    # ... so the gradient of the unit's weights and bias is exactly zero, not small.
    assert np.count_nonzero(dense.grads["W"][:, dead]) == 0
    assert np.count_nonzero(dense.grads["b"][dead]) == 0
    # A live unit fires somewhere and gets a gradient.
    assert np.all((z[:, ~dead] > 0).any(axis=0))
    assert np.all(dense.grads["b"][~dead] != 0)


# --------------------------------------------------------------------------- the Recorder


def test_zero_fractions_start_at_one_half_and_layer_two_goes_silent(runs):
    for run in (runs.small, runs.big):
        first = run.recorder.zero_fraction[0]
        # Symmetric weights, zero biases: P(z <= 0) = 1/2 for each unit. The batch's 100
        # units are independent given the input, so even counting each unit once (its 32
        # rows fully correlated) the std of the fraction is sqrt(0.25 / 100) = 0.05: 3 s.e.
        assert np.all(np.abs(first - 0.5) < 0.15)
    last_small = runs.small.recorder.zero_fraction[-STEPS_PER_EPOCH:].mean(axis=0)
    last_big = runs.big.recorder.zero_fraction[-STEPS_PER_EPOCH:].mean(axis=0)
    assert np.all(np.abs(last_small - 0.5) < 0.15)  # "both layers stay near that"
    assert last_big[1] > 0.99  # nearly every activation of every batch is zero


def test_a_burst_of_huge_updates_comes_with_the_deaths(runs):
    big = runs.big.recorder.update_ratio.max(axis=1)  # largest of the 3 matrices, per step
    small = runs.small.recorder.update_ratio.max(axis=1)
    worst = int(big.argmax())
    assert big[worst] > 0.5  # one step changes the weights by about their own size
    assert np.median(big) < 0.05
    epoch = (int(runs.big.recorder.steps[worst]) - 1) // STEPS_PER_EPOCH + 1
    rise = np.diff(runs.big.chart.fractions[:, 1])
    assert epoch == int(runs.big.chart.epochs[1 + rise.argmax()])  # the epoch of the deaths
    assert small.max() < big[worst] / 4  # "at the small rate no step comes close"


# --------------------------------------------------------------------------- back from the dead


def test_dead_units_come_back_and_unit_6_is_revived_by_the_layer_below(runs, digits):
    X = digits.X_train
    snaps = runs.big.snapshots
    masks = np.array([dead_units(m, X)[1] for m in snaps])
    # The copies are faithful: their masks give the DeadChart again.
    np.testing.assert_array_equal(masks.mean(axis=1), runs.big.chart.fractions[:, 1])
    assert masks.any(axis=0).mean() >= 0.95  # nearly every unit dead at some epoch
    assert 0.25 <= len(came_back(masks)) / masks.shape[1] <= 0.45  # "a third" (38 printed)

    column = masks[:, UNIT]
    assert not column[:6].any() and column[6:14].all() and not column[14:].any()
    W = [m.dense_layers[1].W[:, UNIT] for m in snaps]
    b = [m.dense_layers[1].b[UNIT] for m in snaps]
    for epoch in range(8, 14):  # no gradient through epochs 8..13: bit-identical
        assert np.array_equal(W[epoch], W[7]) and b[epoch] == b[7]
    # Its frozen weights on top of the first layer of epoch 14 already fire.
    hybrid = copy.deepcopy(snaps[14])
    hybrid.dense_layers[1].W[:, UNIT] = W[13]
    hybrid.dense_layers[1].b[UNIT] = b[13]
    assert dead_units(snaps[13], X)[1][UNIT]
    assert not dead_units(hybrid, X)[1][UNIT]
    assert preactivations(hybrid, X, 1)[:, UNIT].max() > 0


def test_a_leaky_unit_in_a_coma_keeps_a_gradient_and_wakes_up(runs, digits):
    X, y = digits.X_train, digits.y_train
    snaps = runs.leaky.snapshots
    assert all(not mask.any() for m in snaps for mask in dead_units(m, X))  # never dead
    coma = np.array([(preactivations(m, X, 1) <= 0).all(axis=0) for m in snaps])
    assert coma[-1].sum() >= 20  # "a sizeable share" of layer 2 ends in a coma
    assert len(came_back(coma)) >= 25  # "many of them wake up" (47 printed)
    column = coma[:, LEAKY_UNIT]
    assert not column[:3].any() and column[3:12].all() and not column[12:].any()
    model = full_batch_gradients(snaps[11], X, y)
    assert model.activation_layers[1].x[:, LEAKY_UNIT].max() < 0
    assert np.count_nonzero(model.dense_layers[1].grads["W"][:, LEAKY_UNIT]) == 100
    W3, W11 = (snaps[e].dense_layers[1].W[:, LEAKY_UNIT] for e in (3, 11))
    assert not np.array_equal(W3, W11)  # its own weights move during the coma


def test_leaky_relu_at_lr_1_diverges_on_seeds_3_and_4_while_relu_dies_on_every_seed(runs, digits):
    X, y = digits.X_train, digits.y_train
    diverged = set()
    for seed in range(5):
        if seed == 0:
            relu, leaky = runs.big, runs.leaky
        else:
            relu, leaky = (SimpleNamespace() for _ in range(2))
            for run, activation in ((relu, "relu"), (leaky, "leaky_relu")):
                run.model = mlp(SIZES, activation, kernel_init="he_normal", rng=seed)
                run.history = fit(
                    run.model, X, y, epochs=EPOCHS, batch_size=32, lr=1.0, rng=seed, progress=False
                )
        assert not relu.history.diverged
        assert dead_units(relu.model, X)[1].mean() >= 0.75
        assert evaluate(relu.model, digits.X_test, digits.y_test)[1] < 0.5
        if leaky.history.diverged:
            diverged.add(seed)
        else:
            assert not any(mask.any() for mask in dead_units(leaky.model, X))
            assert evaluate(leaky.model, digits.X_test, digits.y_test)[1] > 0.9
    assert diverged == {3, 4}


# --------------------------------------------------------------------------- born dead


def test_born_dead_simulation_matches_the_formula_on_the_plotted_grid():
    trials = 4_000
    for width in (2, 3, 4, 5):
        for depth in (1, 2, 3, 5, 7, 10, 15, 20, 30, 50):
            result = born_dead_probability(width, depth, trials=trials, rng=100 * width + depth)
            p = 1 - (1 - 2.0**-width) ** depth  # computed here, not by born_dead_exact
            assert result.exact == pytest.approx(p, rel=1e-12, abs=1e-15)
            # Binomial standard error of the exact p; 4 s.e. plus one trial of rounding.
            tolerance = 4 * math.sqrt(p * (1 - p) / trials) + 1 / trials
            assert abs(result.estimate - p) <= tolerance, (width, depth, result)


def born_dead_fraction(init, width, depth=10, nets=400, seed=0):
    """As in the chapter: fresh narrow nets, 1 input, constant output on 101 points of [-1, 1]."""
    probe = np.linspace(-1.0, 1.0, 101)[:, None]
    model = mlp([1] + [width] * depth + [1], "relu", rng=seed)
    gen = np.random.default_rng(seed)
    dead = 0
    for _ in range(nets):
        if init == "He normal":
            for layer in model.dense_layers:
                layer.W[...] = he_normal(layer.W.shape, rng=gen)
                layer.b[...] = 0.0
        else:
            randomized_asymmetric_init(model, rng=gen)
        dead += is_born_dead(model, probe)
    return dead / nets


def test_randomized_asymmetric_init_cuts_the_born_dead_fraction():
    nets = 400
    for width in (2, 3, 4):
        he = born_dead_fraction("He normal", width, nets=nets)
        rai = born_dead_fraction("RAI", width, nets=nets)
        exact = born_dead_exact(width, 10)
        # Constant on the probe implies (almost surely) a zero last layer at x = -1, whose
        # probability is the formula: the He fraction cannot exceed it beyond sampling error.
        assert he <= exact + 4 * math.sqrt(exact * (1 - exact) / nets)
        # RAI is far below: more than 4 s.e. of the difference of two binomial fractions.
        se = math.sqrt((he * (1 - he) + rai * (1 - rai)) / nets)
        assert he - rai > 4 * se
        assert rai <= he / 3  # "by a factor of three or more"
        if width == 2:
            assert rai > 0.25  # "more than a quarter are still born dead"
