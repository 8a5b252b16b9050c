"""Instruments that see dead and saturated units.

- :class:`Recorder`, a :func:`initact.nn.fit` callback: per hidden activation
  layer and per training step, the mean and std of the activations, the
  fraction of exact zeros, the fraction saturated, a histogram of
  ``|activation|`` (fastai's "color_dim" image); per dense layer, the std of
  the weight gradient and the update:data ratio (Karpathy's makemore part 3).
- :class:`DeadChart`, a callback: the fraction of dead units per hidden layer
  on a fixed probe set, before training and after every epoch.
- :func:`dead_units`, :func:`dead_fraction`, :func:`is_born_dead`: a model's
  dead units and whether its output is constant.
- :func:`parameter_distance`: how far apart two copies of a model are, to watch
  a tiny difference grow or fade over training.
- :func:`born_dead_probability` and :func:`born_dead_exact`: the probability
  that a deep, narrow, bias-free ReLU net is born dead (Lu et al. 2019), by
  Monte Carlo and in closed form.

>>> from initact.nn import mlp
>>> model = mlp([2, 4, 3], activation="relu", rng=0)
>>> model.dense_layers[0].b[1] = -100.0  # unit 1 can never switch on
>>> X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]])
>>> dead_units(model, X)[0].tolist()
[False, True, False, False]
>>> round(born_dead_exact(width=2, depth=3), 6)  # 1 - (3/4)^3
0.578125
"""

from __future__ import annotations

import copy
import math
from typing import NamedTuple

import numpy as np

from . import _checks
from .activations import Sigmoid, Tanh
from .initializers import as_generator, check_memory
from .nn import MLP, ActivationLayer, Callback

__all__ = [
    "BornDeadEstimate",
    "DeadChart",
    "ParameterLog",
    "Recorder",
    "Snapshots",
    "born_dead_exact",
    "born_dead_probability",
    "dead_fraction",
    "dead_units",
    "is_born_dead",
    "parameter_distance",
]


# --------------------------------------------------------------------------- checks


def _check_model(model: object, name: str = "model") -> MLP:
    if not isinstance(model, MLP):
        raise TypeError(f"{name} must be an initact.nn.MLP, got {type(model).__name__}")
    return model


def _probe_array(X: object, name: str = "X") -> np.ndarray:
    """A 2-D, non-empty, finite real array (the model checks the width later)."""
    arr = _checks.array(X, name)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if arr.ndim != 2 or arr.shape[0] == 0:
        raise ValueError(f"{name} must be a 2-D array (n_samples, n_features), got {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


# --------------------------------------------------------------------------- dead units


def _hidden_outputs(model: MLP, X: np.ndarray) -> list[np.ndarray]:
    """Each hidden activation layer's output for ``X``, in evaluation mode.

    Every layer's own mode is put back afterwards (a model may mix modes).
    Like :meth:`MLP.predict`, this overwrites the layers' cached ``x``/``output``.
    """
    modes = [layer.training for layer in model.layers]
    outputs = []
    try:
        h = X
        for layer in model.layers:
            layer.eval()
            h = layer.forward(h)
            if isinstance(layer, ActivationLayer):
                outputs.append(h)
    finally:
        for layer, training in zip(model.layers, modes, strict=True):
            if training:
                layer.train()
            else:
                layer.eval()
    return outputs


def dead_units(model: MLP, X: object) -> list[np.ndarray]:
    """Boolean masks, one per hidden activation layer: units whose output is 0 on all of ``X``.

    The model runs in evaluation mode (dropout off, RReLU at its fixed test
    slope); each layer's mode is restored afterwards. For ReLU a unit is dead
    exactly when its pre-activation is ``<= 0`` for every example in ``X``: it
    then passes no gradient either, so (without a change in the layers below)
    it stays dead. Leaky variants (LeakyReLU, RReLU, PReLU with a nonzero
    slope) and ELU/SELU output 0 only at a pre-activation of exactly 0, so
    they are practically never reported dead; tanh likewise, and sigmoid only
    where its output underflows to 0. For saturation see :class:`Recorder`.

    >>> from initact.nn import mlp
    >>> model = mlp([2, 3, 1], activation="relu", rng=0)
    >>> model.dense_layers[0].b[:] = [-100.0, 0.0, -100.0]
    >>> [mask.tolist() for mask in dead_units(model, [[1.0, 2.0], [-1.0, -2.0]])]
    [[True, False, True]]
    """
    model = _check_model(model)
    X = model.check_inputs(X)
    return [np.all(out == 0, axis=0) for out in _hidden_outputs(model, X)]


def dead_fraction(model: MLP, X: object) -> list[float]:
    """Fraction of dead units (see :func:`dead_units`) per hidden activation layer.

    >>> from initact.nn import mlp
    >>> model = mlp([2, 4, 4, 1], activation="relu", rng=0)
    >>> model.dense_layers[1].b[:] = -100.0  # the whole second hidden layer
    >>> dead_fraction(model, [[1.0, 2.0], [-1.0, -2.0]])[1]
    1.0
    """
    return [float(mask.mean()) for mask in dead_units(model, X)]


def parameter_distance(model: MLP, other: MLP) -> float:
    """Largest absolute difference between two models' parameters of the same shapes.

    Two runs that differ only in the last bits (another CPU's matrix products, or a
    nudge of one weight) start at a distance of about 1e-16 (float64); whether that
    distance fades or grows over training tells a stable run from a chaotic one.

    >>> from initact.nn import mlp
    >>> a, b = mlp([2, 3, 1], rng=0), mlp([2, 3, 1], rng=0)
    >>> parameter_distance(a, b)
    0.0
    >>> b.dense_layers[1].W[0, 0] += 0.5
    >>> parameter_distance(a, b)
    0.5
    """
    model, other = _check_model(model), _check_model(other, "other")
    mine, theirs = model.parameters(), other.parameters()
    shapes = [value.shape for _, value, _ in mine]
    if shapes != [value.shape for _, value, _ in theirs]:
        raise ValueError("model and other must have parameters of the same shapes")
    return max(
        float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)), initial=0.0))
        for (_, a, _), (_, b, _) in zip(mine, theirs, strict=True)
    )


def is_born_dead(model: MLP, X: object, atol: float = 0.0) -> bool:
    """True if the model's output is constant over ``X``: every row within ``atol`` of the first.

    A ReLU net whose last hidden layer is all zero on ``X`` outputs its last
    bias for every example: it is "born dead" (Lu et al. 2019) and no
    gradient reaches any weight below the output layer. ``X`` needs at least
    two rows, since one row is trivially constant. Evaluation mode, as
    :meth:`MLP.predict`.

    >>> from initact.nn import mlp
    >>> model = mlp([2, 4, 1], activation="relu", rng=0)
    >>> X = [[1.0, 2.0], [-1.0, -2.0], [0.5, -3.0]]
    >>> is_born_dead(model, X)
    False
    >>> model.dense_layers[0].b[:] = -100.0
    >>> is_born_dead(model, X)
    True
    """
    model = _check_model(model)
    X = model.check_inputs(X)
    if X.shape[0] < 2:
        raise ValueError(f"X must hold at least 2 samples to tell a constant output, got {len(X)}")
    atol = _checks.real(atol, "atol", at_least=0)
    out = model.predict(X)
    with np.errstate(invalid="ignore"):  # inf - inf: NaN, which is not constant
        spread = np.abs(out - out[:1])
    return bool(np.all(spread <= atol))


# --------------------------------------------------------------------------- born dead


class BornDeadEstimate(NamedTuple):
    """Monte Carlo estimate of the born-dead probability, with the exact value to compare.

    >>> r = born_dead_probability(2, 3, trials=4000, rng=0)
    >>> r.exact                                   # 1 - (1 - 2**-2)**3
    0.578125
    >>> bool(abs(r.estimate - r.exact) < 5 * r.stderr)
    True
    """

    estimate: float
    exact: float
    stderr: float
    trials: int


def born_dead_exact(width: int, depth: int) -> float:
    """``1 - (1 - 2**-width)**depth``: P(a bias-free ReLU net is dead at a fixed x != 0).

    ``depth`` hidden layers of ``width`` units, weights i.i.d. from any
    symmetric continuous distribution (Lu et al. 2019). Why it is exact: given
    a nonzero input ``h``, the layer's pre-activations ``z_j = h . W[:, j]``
    are independent across units (the columns are), each symmetric (a sum of
    independent symmetric terms) and continuous (some ``h_i != 0``), so
    ``P(z_j <= 0) = 1/2`` and all ``width`` are ``<= 0`` with probability
    ``2**-width``, whatever ``h`` is. Without biases a zero layer gives zero
    pre-activations, so the net stays dead. The first layer sees ``x != 0``
    itself, so each of the ``depth`` layers gets its own independent chance,
    and P(alive) = ``(1 - 2**-width)**depth``.

    >>> born_dead_exact(1, 1), born_dead_exact(2, 2)
    (0.5, 0.4375)
    """
    width = _checks.integer(width, "width")
    depth = _checks.integer(depth, "depth")
    # 1 - (1 - q)^L via log1p/expm1: exact to rounding even when q = 2^-N is tiny.
    return float(-math.expm1(depth * math.log1p(-(2.0**-width))))


# Weights drawn per Monte Carlo batch (float64): 2**21 numbers are 16 MiB.
_BATCH_ELEMENTS = 1 << 21


def born_dead_probability(
    width: int,
    depth: int,
    trials: int = 20_000,
    rng: object = None,
    *,
    x: object = None,
    batch: int | None = None,
    max_work: float = 1e10,
) -> BornDeadEstimate:
    """Monte Carlo probability that a bias-free ReLU net is dead at one fixed input.

    Each trial draws a fresh net of ``depth`` hidden layers of ``width`` units,
    weights i.i.d. standard normal (any scale gives the same signs, so the
    same deadness), no biases, and runs the input ``x`` through it. The trial
    counts as dead when the last hidden layer's output is all zero: the
    output is then 0 at ``x``, and since the pre-activations are almost surely
    strictly negative, it stays 0 near ``x`` and along the ray ``c x``, c > 0.

    ``x`` defaults to a standard normal vector of ``width`` entries, drawn once
    from ``rng``; any nonzero 1-D vector may be given. Trials run ``batch`` at
    a time as stacked matrix products (a ``(batch, n_in, width)`` stack of
    weights per layer); ``None`` picks about 16 MiB of weights per batch.
    The result depends on ``rng`` and ``batch`` (the order of the draws).

    Returns a :class:`BornDeadEstimate`: the fraction of dead trials, the
    exact :func:`born_dead_exact` value, the binomial standard error
    ``sqrt(p (1 - p) / trials)`` of the estimate, and ``trials``.

    Cost: the run draws ``trials * width * (len(x) + (depth - 1) * width)``
    random weights, about 5e7 a second on a 2-core laptop (draws and products
    together). A run of more than ``max_work`` draws (default 1e10, about 3
    minutes) raises a ValueError naming ``width``, ``depth`` and ``trials``
    before drawing anything; pass a larger ``max_work`` (``math.inf``: no
    limit) to run it on purpose. The book's grid needs at most 5e6 draws per
    call, the tests 1e7. One batch's weights must also fit in memory (see
    :func:`initact.initializers.check_memory`), else a ValueError names
    ``batch`` (or ``width`` when ``batch`` is None).

    >>> result = born_dead_probability(2, 5, trials=4000, rng=0)
    >>> round(result.exact, 4), result.trials
    (0.7627, 4000)
    >>> abs(result.estimate - result.exact) < 5 * result.stderr
    True
    """
    width = _checks.integer(width, "width")
    depth = _checks.integer(depth, "depth")
    trials = _checks.integer(trials, "trials")
    if not (isinstance(max_work, float) and max_work == math.inf):  # not an array's ==
        max_work = _checks.real(max_work, "max_work", above=0)
    gen = as_generator(rng)
    if x is not None:
        x = _checks.real_array(x, "x")
        if not np.any(x):
            raise ValueError("x must be nonzero: a zero input is dead in every net")
    inputs = width if x is None else x.size
    work = trials * width * (inputs + (depth - 1) * width)
    if work > max_work:
        raise ValueError(
            f"width={width}, depth={depth}, trials={trials} would draw about {work:.2g} "
            f"random weights (trials * width * (len(x) + (depth - 1) * width)), about "
            f"{work / 5e7 / 60:,.0f} minutes at 5e7 a second, more than max_work={max_work:.2g}: "
            "lower width, depth or trials, or pass a larger max_work to run it on purpose"
        )
    widest = max(width, inputs)
    if batch is None:
        batch = max(1, _BATCH_ELEMENTS // (widest * width))
        name, value = "width", width
    else:
        batch = _checks.integer(batch, "batch")
        name, value = "batch", batch
    check_memory(
        8 * min(batch, trials) * widest * width,
        name,
        value,
        f"one batch of {min(batch, trials)} trials' float64 weights ({widest} x {width} each)",
    )
    if x is None:
        x = gen.standard_normal(width)
    x = x / np.abs(x).max()  # the same signs at any scale; this one cannot overflow

    dead = 0
    for start in range(0, trials, batch):
        size = min(batch, trials - start)
        h = np.broadcast_to(x, (size, 1, x.size))  # one row vector per trial
        for _ in range(depth):
            W = gen.standard_normal((size, h.shape[-1], width))
            h = np.maximum(h @ W, 0.0)
            # Signs are all that matter, and they ignore positive scaling: rescale
            # each trial to a max of 1 so very deep or wide nets never overflow.
            top = h.max(axis=2, keepdims=True)
            h /= np.where(top > 0, top, 1.0)
        dead += int(np.count_nonzero(~h.any(axis=(1, 2))))
    p = dead / trials
    return BornDeadEstimate(
        estimate=p,
        exact=born_dead_exact(width, depth),
        stderr=math.sqrt(p * (1 - p) / trials),
        trials=trials,
    )


# --------------------------------------------------------------------------- callbacks


class Recorder(Callback):
    """A :func:`initact.nn.fit` callback recording per-layer statistics every ``every`` steps.

    Recorded at steps 1, 1 + every, 1 + 2 every, ... (fit counts steps from 1;
    each fit starts a fresh record). At such a step, after the update:

    Per hidden activation layer (arrays of shape ``(steps, n_activation_layers)``),
    from the activations ``a`` of that step's forward pass (before the update):

    - ``mean``, ``std``: of all of the batch's activations in the layer;
    - ``zero_fraction``: fraction with ``a == 0`` exactly (dead for this batch);
    - ``saturated_fraction``: tanh, ``|a| > saturation``; sigmoid,
      ``a < 1 - saturation`` or ``a > saturation``; NaN for other activations
      (unbounded, so "saturated" has no meaning);
    - ``histogram`` (shape ``(steps, layers, bins)``, int32): counts of ``|a|``
      in ``bins`` equal bins over ``[0, hist_max]``, fixed at construction so
      images of different steps and runs compare; values above ``hist_max``
      go to the last bin, so a row sums to the number of activations (NaN
      values are left out). ``bin_edges`` holds the edges.

    Per dense layer, the output layer included (shape ``(steps, n_dense_layers)``):

    - ``grad_std``: std of the weight gradient ``grads["W"]`` (of the batch's
      mean loss). The gradient reaching each layer's input is not cached by
      :mod:`initact.nn`, so it is not recorded here;
    - ``update_ratio``: ``std(update) / std(W)``, the update just applied
      (``optimizer.last_updates``) over the weights after it, as in Karpathy's
      makemore part 3; for plain SGD ``update = -lr * grad``. NaN if ``std(W) == 0``.

    ``steps`` holds the recorded step numbers. Memory is a few numbers per
    layer and step, plus the histograms; no activation is kept.

    >>> from initact.data import make_spirals
    >>> from initact.nn import fit, mlp
    >>> X, y = make_spirals(64, rng=0)
    >>> model = mlp([2, 8, 8, 2], activation="tanh", rng=0)
    >>> rec = Recorder(every=2, bins=10, hist_max=1.0)
    >>> _ = fit(model, X, y, epochs=1, batch_size=16, lr=0.1, rng=0,
    ...         callbacks=[rec], progress=False)
    >>> rec.steps.tolist(), rec.mean.shape, rec.histogram.shape, rec.update_ratio.shape
    ([1, 3], (2, 2), (2, 2, 10), (2, 3))
    >>> rec.histogram.sum(axis=2).tolist()  # 16 examples x 8 units
    [[128, 128], [128, 128]]
    """

    _ARRAYS = (
        "steps",
        "mean",
        "std",
        "zero_fraction",
        "saturated_fraction",
        "histogram",
        "grad_std",
        "update_ratio",
    )

    def __init__(
        self,
        every: int = 1,
        *,
        bins: int = 40,
        hist_max: float = 10.0,
        saturation: float = 0.97,
    ) -> None:
        self.every = _checks.integer(every, "every")
        self.bins = _checks.integer(bins, "bins")
        # Each recorded step keeps bins counts per layer: refuse a bins no machine holds.
        check_memory((self.bins + 1) * 8, "bins", self.bins, "the histogram's bin edges")
        self.hist_max = _checks.real(hist_max, "hist_max", above=0)
        self.saturation = _checks.real(saturation, "saturation", above=0.5, below=1)
        self.bin_edges = np.linspace(0.0, self.hist_max, self.bins + 1)
        # One dict per recorded step, appended whole: a Ctrl-C never leaves the arrays of
        # different lengths.
        self._rows: list[dict] = []
        self._weight_names: list[str] | None = None

    # ---- callback interface

    def on_train_begin(self, model: MLP) -> None:
        """Start a fresh record and find each dense kernel's name in ``model.parameters()``."""
        model = _check_model(model)
        self._rows = []
        names = {id(value): name for name, value, _ in model.parameters()}
        self._weight_names = [names[id(layer.W)] for layer in model.dense_layers]

    def on_step_end(self, model: MLP, step: int, optimizer: object) -> None:
        """Record the statistics of ``step`` if it is one of the recorded steps."""
        if self._weight_names is None:
            self.on_train_begin(model)
        if (step - 1) % self.every:
            return
        row: dict = {"steps": step}
        stats = [self._activation_stats(layer) for layer in model.activation_layers]
        for i, key in enumerate(("mean", "std", "zero_fraction", "saturated_fraction")):
            row[key] = [s[i] for s in stats]
        row["histogram"] = np.array([s[4] for s in stats], dtype=np.int32).reshape(
            len(stats), self.bins
        )
        updates = getattr(optimizer, "last_updates", {})
        grad_std, ratio = [], []
        for layer, name in zip(model.dense_layers, self._weight_names, strict=True):
            grad_std.append(_std(layer.grads["W"]))
            w_std = _std(layer.W)
            update = updates.get(name)
            if update is None or not w_std > 0:
                ratio.append(math.nan)
            else:
                ratio.append(_std(update) / w_std)
        row["grad_std"], row["update_ratio"] = grad_std, ratio
        self._rows.append(row)

    # ---- statistics of one layer

    def _activation_stats(self, layer: ActivationLayer) -> tuple:
        a = layer.output
        if a is None:
            raise ValueError("the activation layers hold no output: run a forward pass first")
        a = np.asarray(a, dtype=np.float64)
        with np.errstate(invalid="ignore", over="ignore"):  # inf activations give NaN stats
            mean, std = float(a.mean()), float(a.std())
        zero = np.count_nonzero(a == 0) / a.size
        act = layer.activation
        if isinstance(act, Tanh):
            saturated = np.count_nonzero(np.abs(a) > self.saturation) / a.size
        elif isinstance(act, Sigmoid):
            low = 1.0 - self.saturation
            saturated = np.count_nonzero((a < low) | (a > self.saturation)) / a.size
        else:
            saturated = math.nan
        return mean, std, zero, saturated, self._histogram(a)

    def _histogram(self, a: np.ndarray) -> np.ndarray:
        magnitude = np.abs(a.ravel())
        magnitude = magnitude[~np.isnan(magnitude)]
        # Bin i holds [i, i + 1) * hist_max / bins; hist_max and beyond go to the last bin.
        scaled = np.minimum(magnitude, self.hist_max) * (self.bins / self.hist_max)
        index = np.minimum(scaled.astype(np.int64), self.bins - 1)
        return np.bincount(index, minlength=self.bins)

    # ---- results

    def as_arrays(self) -> dict[str, np.ndarray]:
        """Every recorded array by name (``steps``, ``mean``, ..., ``update_ratio``)."""
        return {name: getattr(self, name) for name in self._ARRAYS}

    def _stack(self, key: str, dtype: type) -> np.ndarray:
        if self._rows:
            return np.array([row[key] for row in self._rows], dtype=dtype)
        return np.empty((0, 0), dtype=dtype)

    @property
    def steps(self) -> np.ndarray:
        """The recorded step numbers, shape ``(steps,)``."""
        return np.array([row["steps"] for row in self._rows], dtype=np.int64)

    @property
    def mean(self) -> np.ndarray:
        return self._stack("mean", np.float64)

    @property
    def std(self) -> np.ndarray:
        return self._stack("std", np.float64)

    @property
    def zero_fraction(self) -> np.ndarray:
        return self._stack("zero_fraction", np.float64)

    @property
    def saturated_fraction(self) -> np.ndarray:
        return self._stack("saturated_fraction", np.float64)

    @property
    def histogram(self) -> np.ndarray:
        if self._rows:
            return np.stack([row["histogram"] for row in self._rows])
        return np.empty((0, 0, self.bins), dtype=np.int32)

    @property
    def grad_std(self) -> np.ndarray:
        return self._stack("grad_std", np.float64)

    @property
    def update_ratio(self) -> np.ndarray:
        return self._stack("update_ratio", np.float64)

    def __repr__(self) -> str:
        return (
            f"Recorder(every={self.every}, bins={self.bins}, hist_max={self.hist_max}, "
            f"saturation={self.saturation}, recorded={len(self._rows)} steps)"
        )


def _std(array: np.ndarray) -> float:
    with np.errstate(invalid="ignore", over="ignore"):
        return float(np.asarray(array, dtype=np.float64).std())


class Snapshots(Callback):
    """A fit callback keeping a full copy of the model before training and after each epoch.

    ``snapshots[e]`` is the model as it was after epoch ``e`` (0: at initialization),
    so a unit's story (dead at one epoch, alive at a later one) can be replayed.
    Copies cost memory: meant for the book's small networks.

    >>> from initact.nn import fit, mlp
    >>> from initact.data import make_spirals
    >>> X, y = make_spirals(64, rng=0)
    >>> snapshots = Snapshots()
    >>> _ = fit(mlp([2, 8, 2], rng=0), X, y, epochs=2, batch_size=16, lr=0.1, rng=0,
    ...         callbacks=[snapshots], progress=False)
    >>> first, last = snapshots[0].dense_layers[0].W, snapshots[2].dense_layers[0].W
    >>> len(snapshots), bool((first == last).all())
    (3, False)
    """

    def __init__(self) -> None:
        self.models: list[MLP] = []

    def on_train_begin(self, model: MLP) -> None:
        self.models = [copy.deepcopy(model)]

    def on_epoch_end(self, model: MLP, epoch: int, history: object) -> None:
        self.models.append(copy.deepcopy(model))

    def __len__(self) -> int:
        return len(self.models)

    def __getitem__(self, epoch: int) -> MLP:
        return self.models[epoch]

    def __iter__(self):
        return iter(self.models)


class ParameterLog(Callback):
    """A fit callback recording chosen parameters before training and after each epoch.

    ``key`` selects parameters by the last part of their name in
    ``model.parameters()`` (``"alpha"`` for PReLU slopes, ``"W"`` for kernels).
    ``values[name]`` lists one copy per epoch (0: at initialization);
    :meth:`stack` lays them out as an ``(epochs + 1, n_values)`` array.

    >>> from initact.nn import fit, mlp
    >>> from initact.data import make_spirals
    >>> X, y = make_spirals(64, rng=0)
    >>> log = ParameterLog("alpha")
    >>> _ = fit(mlp([2, 8, 8, 2], "prelu", rng=0), X, y, epochs=3, batch_size=16, lr=0.1,
    ...         rng=0, callbacks=[log], progress=False)
    >>> sorted(log.values), log.stack().shape
    (['act0.alpha', 'act1.alpha'], (4, 2))
    >>> log.stack()[0].tolist()  # He et al.'s starting slope
    [0.25, 0.25]
    """

    def __init__(self, key: str = "alpha") -> None:
        if not isinstance(key, str) or not key:
            raise TypeError(f"key must be a parameter name such as 'alpha' or 'W', got {key!r}")
        self.key = key
        self._rows: list[dict[str, np.ndarray]] = []

    @property
    def values(self) -> dict[str, list[np.ndarray]]:
        """Each logged parameter's values by name, one per epoch (epoch 0 is before training)."""
        names = self._rows[0].keys() if self._rows else []
        return {name: [row[name] for row in self._rows] for name in names}

    def _record(self, model: MLP) -> None:
        # One dict per epoch, appended whole: a Ctrl-C never leaves the names out of step.
        self._rows.append(
            {
                name: value.copy()
                for name, value, _ in model.parameters()
                if name.rsplit(".", 1)[-1] == self.key
            }
        )

    def on_train_begin(self, model: MLP) -> None:
        self._rows = []
        self._record(model)
        if not self._rows[0]:
            raise ValueError(f"the model has no parameter named {self.key!r} to log")

    def on_epoch_end(self, model: MLP, epoch: int, history: object) -> None:
        self._record(model)

    def stack(self) -> np.ndarray:
        """Every logged value side by side: shape ``(epochs + 1, total size)``, float64."""
        if not self.values:
            raise ValueError("nothing logged yet: pass the log to fit(callbacks=[...]) first")
        per_epoch = zip(*self.values.values(), strict=True)
        return np.array(
            [np.concatenate([v.ravel() for v in arrays]) for arrays in per_epoch], dtype=np.float64
        )


class DeadChart(Callback):
    """A :func:`initact.nn.fit` callback: :func:`dead_fraction` on a fixed probe set per epoch.

    Measured when training begins (epoch 0, the initialization) and after
    every epoch, in evaluation mode. ``epochs`` has shape ``(n,)`` and
    ``fractions`` ``(n, n_activation_layers)``: the book's "dead chart". Each
    fit starts a fresh chart.

    >>> from initact.data import make_spirals
    >>> from initact.nn import fit, mlp
    >>> X, y = make_spirals(64, rng=0)
    >>> model = mlp([2, 8, 8, 2], activation="relu", kernel_init="he_normal", rng=0)
    >>> chart = DeadChart(X)
    >>> _ = fit(model, X, y, epochs=2, batch_size=16, lr=0.05, rng=0,
    ...         callbacks=[chart], progress=False)
    >>> chart.epochs.tolist(), chart.fractions.shape
    ([0, 1, 2], (3, 2))
    """

    def __init__(self, X: object) -> None:
        self.X = _probe_array(X)
        # (epoch, fractions) pairs, appended whole: epochs and fractions never get out of step.
        self._rows: list[tuple[int, list[float]]] = []

    def on_train_begin(self, model: MLP) -> None:
        """Start a fresh chart with the fractions of the initial model (epoch 0)."""
        model = _check_model(model)
        self.X = model.check_inputs(self.X)
        self._rows = []
        self._record(model, 0)

    def on_epoch_end(self, model: MLP, epoch: int, history: object) -> None:
        """Append the fractions after ``epoch``."""
        self._record(model, epoch)

    def _record(self, model: MLP, epoch: int) -> None:
        self._rows.append((int(epoch), dead_fraction(model, self.X)))

    @property
    def epochs(self) -> np.ndarray:
        return np.array([epoch for epoch, _ in self._rows], dtype=np.int64)

    @property
    def fractions(self) -> np.ndarray:
        if not self._rows:
            return np.empty((0, 0))
        return np.array([fractions for _, fractions in self._rows], dtype=np.float64)

    def __repr__(self) -> str:
        return f"DeadChart(X of shape {self.X.shape}, recorded={len(self._rows)} epochs)"
