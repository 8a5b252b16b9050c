"""The two experiments behind chapter 6's explorers: pure computations, no widgets.

* :func:`depth_experiment`: standard normal inputs through a deep random
  network of one activation and one initializer (its ``scale`` adjustable);
  the signal size by layer on the way forward and the gradient's on the way
  back, measured, next to the mean-field predictions of
  :func:`initact.theory.propagate_variance` and
  :func:`initact.theory.backpropagate_variance`.
* :func:`dying_relu_experiment`: a ``64-100-100-10`` MLP with He
  initialization trains on the digits with one learning rate; the fraction of
  dead units per hidden layer after every epoch, and the accuracy it ends with.
* :func:`training_experiment`: a deep MLP of one activation and one
  initializer trains on the digits; the loss, and the dead and saturated
  fractions of every hidden layer, after every epoch.

Each function is the one way to run its experiment. It returns a frozen result
(:class:`DepthExperiment`, :class:`DyingReluExperiment`, :class:`TrainingExperiment`) that holds its
settings and its numbers, says them in one line (``summary()``) and draws them
(``plot(fig=None)``, from :mod:`initact.plotting.explore`; matplotlib is imported
only then). A result depends on its arguments alone (every draw is seeded), so a
grid of settings is a loop, or a comprehension, with no widget in sight:

>>> runs = {d: depth_experiment("tanh", "glorot_normal", depth=d, width=20) for d in (2, 4)}
>>> [round(float(run.theory_q[-1]), 3) for run in runs.values()]
[0.394, 0.167]

The explorers of :mod:`initact.widgets` are knobs on these functions.
Importing this module needs NumPy alone.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from . import _checks
from .activations import Activation, get_activation
from .diagnostics import DeadChart
from .initializers import Initializer, Orthogonal, VarianceScaling, get_initializer
from .nn import ActivationLayer, Callback, History, evaluate, fit, mlp
from .propagation import Propagation, propagate
from .theory import backpropagate_variance, moments, propagate_variance

__all__ = [
    "DEPTH_INITIALIZERS",
    "DYING_RELU_ACTIVATIONS",
    "DYING_RELU_MAX_EPOCHS",
    "DYING_RELU_SIZES",
    "TRAINING_ACTIVATIONS",
    "DepthExperiment",
    "DyingReluExperiment",
    "TrainingExperiment",
    "depth_experiment",
    "dying_relu_experiment",
    "initializer_scale",
    "scaled_initializer",
    "training_experiment",
]

#: The initializer presets the depth explorer offers (Table 11-1, the "standard" one, orthogonal).
DEPTH_INITIALIZERS = (
    "glorot_uniform",
    "glorot_normal",
    "he_uniform",
    "he_normal",
    "lecun_uniform",
    "lecun_normal",
    "standard_uniform",
    "orthogonal",
)
#: Activations the dying-ReLU explorer offers, ReLU and the variants meant to cure it.
DYING_RELU_ACTIVATIONS = ("relu", "leaky_relu", "rrelu", "prelu", "elu", "selu", "gelu", "swish")
#: The most epochs one dying-ReLU run may train (about 0.3 s each, so a few minutes in all).
DYING_RELU_MAX_EPOCHS = 1000
#: Layer widths of the dying-ReLU network (64 pixels, two hidden layers, 10 classes).
DYING_RELU_SIZES = (64, 100, 100, 10)
#: Activations the training experiment offers (tanh and sigmoid saturate, the rest can die).
TRAINING_ACTIVATIONS = ("relu", "leaky_relu", "elu", "selu", "gelu", "tanh", "sigmoid")


# --------------------------------------------------------------------------- checks


def _choice(value: object, name: str, options: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {', '.join(options)}; got {value!r}")
    return value


# --------------------------------------------------------------------------- initializers


def initializer_scale(initializer: str | Initializer) -> float:
    """The ``scale`` of ``Var[W] = scale / n`` an initializer uses; ``gain**2`` for orthogonal.

    >>> initializer_scale("he_normal"), initializer_scale("orthogonal")
    (2.0, 1.0)
    """
    init = get_initializer(initializer)
    if isinstance(init, VarianceScaling):
        return init.scale
    if isinstance(init, Orthogonal):
        # A square orthogonal matrix times g has entries of variance g**2 / n.
        return init.gain**2
    raise TypeError(f"initializer must be a VarianceScaling or Orthogonal, got {init!r}")


def scaled_initializer(preset: str, scale: float | None = None) -> Initializer:
    """The ``preset``'s mode and distribution, with the variance ``scale / n``.

    What the depth explorer's scale slider does: ``VarianceScaling(scale,
    mode, distribution)`` with the preset's mode and distribution, or an
    orthogonal matrix with ``gain = sqrt(scale)``. ``scale=None`` keeps the
    preset as it is.

    >>> scaled_initializer("he_normal", 1.0)
    VarianceScaling(scale=1.0, mode='fan_in', distribution='truncated_normal')
    >>> scaled_initializer("orthogonal", 4.0)
    Orthogonal(gain=2.0)
    """
    if not isinstance(preset, str):
        raise TypeError(f"preset must be an initializer name (str), got {type(preset).__name__}")
    try:
        init = get_initializer(preset)
    except (TypeError, ValueError) as error:
        raise type(error)(f"preset: {error}") from None
    if scale is None:
        return init
    scale = _checks.real(scale, "scale", above=0)
    if isinstance(init, VarianceScaling):
        return VarianceScaling(scale, init.mode, init.distribution)
    if isinstance(init, Orthogonal):
        return Orthogonal(gain=math.sqrt(scale))
    raise TypeError(f"preset {preset!r} has no scale to set")  # pragma: no cover


# --------------------------------------------------------------------------- depth


def _activation_std(activation: Activation, q: float) -> float:
    """Standard deviation of f(z) for z ~ N(0, q), q the mean-field variance (0 and inf too)."""
    if q == 0.0:
        return 0.0  # z is exactly 0, so f(z) is the constant f(0)
    if not math.isfinite(q):
        return math.inf
    m = moments(activation, q)
    return math.sqrt(max(m.second - m.mean * m.mean, 0.0))


@dataclass(frozen=True)
class DepthExperiment:
    """A deep random network's signal, measured and predicted, layer by layer.

    ``run`` is the :class:`~initact.propagation.Propagation` (index ``l`` is
    hidden layer ``l + 1``). ``theory_q[l]`` is the mean-field pre-activation
    variance of layer ``l + 1`` and ``theory_std[l]`` the standard deviation of
    its activations, ``f(z)`` with ``z ~ N(0, theory_q[l])``. On the way back,
    ``measured_grad_std[l]`` is the standard deviation of dLoss/dz at layer
    ``l + 1`` for a standard normal error signal at the top, and
    ``theory_grad_var[l]`` its mean-field variance
    (:func:`~initact.theory.backpropagate_variance`).

    >>> exp = depth_experiment("tanh", "glorot_uniform", depth=5, width=50, seed=0)
    >>> exp.depth, exp.width, len(exp.theory_q)
    (5, 50, 5)
    >>> bool(exp.measured_std[-1] < exp.measured_std[0])    # tanh + Glorot: it shrinks
    True
    """

    activation_name: str
    initializer_name: str
    scale: float
    n_samples: int
    seed: int
    run: Propagation
    theory_q: np.ndarray
    theory_std: np.ndarray
    theory_grad_var: np.ndarray

    @property
    def depth(self) -> int:
        return self.run.depth

    @property
    def width(self) -> int:
        return self.run.width

    @property
    def measured_q(self) -> np.ndarray:
        """Measured pre-activation second moment per layer (the q the theory predicts)."""
        with np.errstate(invalid="ignore", over="ignore"):
            return self.run.pre_activation_variance()

    @property
    def measured_std(self) -> np.ndarray:
        """Measured standard deviation of the activations per layer."""
        with np.errstate(invalid="ignore", over="ignore"):
            return self.run.std()

    @property
    def measured_grad_std(self) -> np.ndarray:
        """Measured standard deviation of the back-propagated gradient dLoss/dz per layer."""
        with np.errstate(invalid="ignore", over="ignore"):
            return self.run.gradient_std()

    @property
    def theory_grad_std(self) -> np.ndarray:
        """Mean-field standard deviation of the back-propagated gradient per layer."""
        return np.sqrt(self.theory_grad_var)

    @property
    def title(self) -> str:
        return (
            f"{self.activation_name}, {self.initializer_name} with scale={self.scale:.3g}: "
            f"{self.depth} layers of {self.width} units"
        )

    def summary(self) -> str:
        """The last layer's signal and the first layer's gradient, against theory, as text.

        The theory is exact for He on ReLU: ``q = 2`` at every layer, the
        activation std is ``sqrt(2 (1/2 - 1/(2 pi))) = 0.826``, and the
        gradient keeps the variance ``E[f'(z)^2] = 1/2`` of the top layer's.

        >>> print(depth_experiment("relu", "he_normal", depth=5, width=50).summary())
        layer 5: pre-activation std √q ... (theory 1.41), activation std ... (theory 0.826);
        layer 1: gradient std ... (theory 0.707)
        """
        return (
            f"layer {self.depth}: "
            f"pre-activation std √q {math.sqrt(self.measured_q[-1]):.3g} "
            f"(theory {math.sqrt(self.theory_q[-1]):.3g}), "
            f"activation std {self.measured_std[-1]:.3g} (theory {self.theory_std[-1]:.3g});\n"
            f"layer 1: gradient std {self.measured_grad_std[0]:.3g} "
            f"(theory {self.theory_grad_std[0]:.3g})"
        )

    def plot(self, fig=None):
        """Histograms, signal size and gradient size by layer, against theory; the figure.

        ``fig``: a matplotlib figure to clear and draw into; None opens a new
        pyplot figure (end the notebook cell with ``plt.show()``). See
        :func:`initact.plotting.explore.plot_forward_backward`.

        >>> fig = depth_experiment("tanh", "glorot_uniform", depth=10, width=50).plot()
        >>> fig.get_suptitle()
        'tanh, glorot_uniform with scale=1: 10 layers of 50 units'
        """
        from .plotting.explore import plot_forward_backward

        return plot_forward_backward(
            self.run, self.theory_q, self.theory_std, self.theory_grad_var,
            fig=fig, title=self.title,
        )  # fmt: skip


def depth_experiment(
    activation: str = "relu",
    initializer: str = "he_normal",
    scale: float | None = None,
    depth: int = 30,
    width: int = 100,
    *,
    n_samples: int = 200,
    seed: int = 0,
) -> DepthExperiment:
    """Send ``n_samples`` standard normal inputs through ``depth`` random layers; add theory.

    The network is :func:`initact.propagation.propagate`'s: ``depth`` dense
    layers of ``width`` units, no bias, weights from
    :func:`scaled_initializer` ``(initializer, scale)`` (``scale=None``: the
    preset's own), computed in float64 so that exploding settings stay finite.

    The network also runs backward: a standard normal error signal at the top
    layer goes down to the first (its random numbers are drawn after the
    weights and inputs, so the forward pass is the same with or without it).

    The theory line. Every fan is ``width``, so ``Var[W] = scale / width``.
    The first layer's pre-activation ``z1 = x @ W1`` has second moment
    ``q1 = width * Var[W] * E[x^2] = scale`` for standard normal inputs; after
    that the mean-field map ``q[l+1] = scale * E[f(z)^2]``, ``z ~ N(0, q[l])``
    takes over, i.e. ``propagate_variance(activation, scale, depth - 1, q0=scale)``.
    It predicts the *pre-activation* second moment (the mean of z is 0); the
    activations' standard deviation is then ``sqrt(E[f(z)^2] - E[f(z)]^2)``
    at that q (a ReLU's activations have std ``sqrt(q (1/2 - 1/(2 pi)))``,
    not ``sqrt(q)``). Going down, each layer multiplies the gradient's variance
    by ``scale * E[f'(z)^2]``: ``backpropagate_variance(activation, scale,
    depth, q0=scale)``.

    >>> exp = depth_experiment("relu", "glorot_uniform", depth=4, width=50)
    >>> exp.theory_q  # Glorot on ReLU halves the signal at every layer
    array([1.   , 0.5  , 0.25 , 0.125])
    >>> exp.theory_grad_var  # and the gradient on its way down
    array([0.0625, 0.125 , 0.25  , 0.5   ])
    """
    name = activation if isinstance(activation, str) else repr(activation)
    act = get_activation(activation)
    if not isinstance(initializer, str):
        raise TypeError(
            f"initializer must be a preset name (str), got {type(initializer).__name__}"
        )
    init = scaled_initializer(initializer, scale)
    scale = initializer_scale(init)
    depth = _checks.integer(depth, "depth")
    width = _checks.integer(width, "width")
    n_samples = _checks.integer(n_samples, "n_samples")
    seed = _checks.integer(seed, "seed", at_least=0)

    run = propagate(
        act, init, depth=depth, width=width, n_samples=n_samples, rng=seed,
        backward=True, dtype=np.float64,
    )  # fmt: skip
    # E[x^2] = 1 for standard normal inputs, so the first layer's q is the scale itself.
    theory_q = propagate_variance(run.activation, scale, depth - 1, q0=scale * 1.0)
    theory_std = np.array([_activation_std(run.activation, float(q)) for q in theory_q])
    theory_grad = backpropagate_variance(run.activation, scale, depth, q0=scale * 1.0)
    return DepthExperiment(
        name, initializer, scale, n_samples, seed, run, theory_q, theory_std, theory_grad
    )


# --------------------------------------------------------------------------- dying ReLU


@functools.lru_cache(maxsize=1)
def _digits():
    from .data import load_digits

    return load_digits(seed=0)


@dataclass(frozen=True)
class DyingReluExperiment:
    """What one training run of the dying-ReLU experiment saw.

    ``epochs`` (0 = at initialization) and ``dead_fractions`` (one row per
    epoch, one column per hidden layer) come from a
    :class:`~initact.diagnostics.DeadChart` on the training images;
    ``history`` is :func:`~initact.nn.fit`'s; ``test_accuracy`` is NaN when
    training diverged.

    >>> run = dying_relu_experiment(0.1, epochs=1, seed=0)
    >>> run.epochs.tolist(), run.dead_fractions.shape, run.diverged
    ([0, 1], (2, 2), False)
    """

    activation_name: str
    lr: float
    seed: int
    n_epochs: int
    epochs: np.ndarray
    dead_fractions: np.ndarray
    history: History
    test_accuracy: float

    @property
    def diverged(self) -> bool:
        return self.history.diverged

    @property
    def title(self) -> str:
        if self.diverged:
            outcome = f"diverged in epoch {int(self.epochs[-1]) + 1}"
        else:
            outcome = f"test accuracy {self.test_accuracy:.3f}"
        return f"{self.activation_name}, he_normal, SGD with lr={self.lr:.3g}: {outcome}"

    def summary(self) -> str:
        """Dead fraction per layer after the last epoch, and the test accuracy, as text.

        >>> print(dying_relu_experiment(0.1, epochs=1).summary())
        lr=0.1, epoch 1: dead units layer 1 0.000, layer 2 0.000; test accuracy ...
        >>> print(dying_relu_experiment(50.0, epochs=1).summary())
        lr=50: diverged in epoch 1; dead units at epoch 0: layer 1 0.000, layer 2 0.000
        """
        last = int(self.epochs[-1])
        dead = ", ".join(
            f"layer {i + 1} {fraction:.3f}" for i, fraction in enumerate(self.dead_fractions[-1])
        )
        lr = f"lr={self.lr:.3g}"
        if self.diverged:
            return f"{lr}: diverged in epoch {last + 1}; dead units at epoch {last}: {dead}"
        return f"{lr}, epoch {last}: dead units {dead}; test accuracy {self.test_accuracy:.3f}"

    def plot(self, fig=None):
        """Dead units per layer and accuracy per epoch; returns the figure.

        ``fig`` as in :meth:`DepthExperiment.plot`; see
        :func:`initact.plotting.explore.plot_dead_training`.

        >>> fig = dying_relu_experiment(0.1, epochs=1).plot()
        >>> fig.get_suptitle()
        'relu, he_normal, SGD with lr=0.1: test accuracy ...'
        """
        from .plotting.explore import plot_dead_training

        return plot_dead_training(
            self.epochs,
            self.dead_fractions,
            self.history.accuracy,
            self.history.val_accuracy,
            n_epochs=self.n_epochs,
            fig=fig,
            title=self.title,
        )


def dying_relu_experiment(
    lr: float,
    activation: str = "relu",
    *,
    epochs: int = 5,
    batch_size: int = 32,
    seed: int = 0,
) -> DyingReluExperiment:
    """Train ``mlp([64, 100, 100, 10], activation, "he_normal")`` on the digits; count dead units.

    Plain SGD (no momentum) with learning rate ``lr``, in float64, ``epochs`` passes of
    ``batch_size`` over the 1168 training images of
    :func:`initact.data.load_digits` (split seed 0). ``seed`` seeds the
    weights and the shuffling. A unit is dead when it outputs 0 for every
    training image (:func:`initact.diagnostics.dead_fraction`). Float64 keeps a
    stable run (``lr`` up to about 0.6) the same to many digits on every CPU; above
    about 1 a run is chaotic, and only statements over several seeds carry over
    from one computer to another (chapter 4 of the book shows why). Training is
    silent (no progress bar): it runs inside widget callbacks, where a bar
    has nowhere to go. An epoch takes about 0.3 s, so ``epochs`` is capped at
    :data:`DYING_RELU_MAX_EPOCHS` (1000, a few minutes); ``batch_size`` is at
    most the 1168 training images.

    >>> exp = dying_relu_experiment(0.1, epochs=2)
    >>> exp.epochs.tolist(), exp.dead_fractions.shape  # epoch 0 is the initialization
    ([0, 1, 2], (3, 2))
    """
    lr = _checks.real(lr, "lr", above=0)
    activation = _choice(activation, "activation", DYING_RELU_ACTIVATIONS)
    epochs = _checks.integer(epochs, "epochs", at_most=DYING_RELU_MAX_EPOCHS)
    batch_size = _checks.integer(batch_size, "batch_size", at_most=1168)
    seed = _checks.integer(seed, "seed", at_least=0)
    data = _digits()
    model = mlp(list(DYING_RELU_SIZES), activation, "he_normal", rng=seed, dtype=np.float64)
    chart = DeadChart(data.X_train)
    # A rate that blows training up overflows on the way (the validation pass and
    # the dead chart run outside fit's own guard): that is the experiment's
    # outcome, reported as ``diverged``, not a warning.
    with np.errstate(over="ignore", invalid="ignore"):
        history = fit(
            model, data.X_train, data.y_train, epochs=epochs, batch_size=batch_size, lr=lr,
            rng=seed, X_val=data.X_val, y_val=data.y_val, callbacks=[chart], progress=False,
        )  # fmt: skip
        accuracy = math.nan if history.diverged else evaluate(model, data.X_test, data.y_test)[1]
    return DyingReluExperiment(
        activation, lr, seed, epochs, chart.epochs, chart.fractions, history, float(accuracy)
    )


# --------------------------------------------------------------------------- training

#: ``|a|`` above it counts as saturated for tanh; below ``1 - it`` or above it for sigmoid.
SATURATION = 0.97


def _saturated(activation_name: str, a: np.ndarray) -> float:
    """Fraction of saturated outputs of a bounded activation; NaN for an unbounded one."""
    if activation_name == "tanh":
        return np.count_nonzero(np.abs(a) > SATURATION) / a.size
    if activation_name == "sigmoid":
        return np.count_nonzero((a < 1.0 - SATURATION) | (a > SATURATION)) / a.size
    return math.nan  # unbounded: "saturated" has no meaning


class _EpochProbe(Callback):
    """At epoch 0 and after each epoch: loss, accuracy, dead and saturated fractions.

    Measured on fixed probe sets in one forward pass per set, so epoch 0 (the
    initialization) and the later epochs are measured alike. ``on_epoch`` sees
    the rows so far (the live explorer draws them while training goes on).
    """

    def __init__(self, activation_name, X, y, X_val, y_val, on_epoch=None):
        self.activation_name = activation_name
        self.X, self.y, self.X_val, self.y_val = X, y, X_val, y_val
        self.on_epoch = on_epoch
        self.rows: list[tuple] = []

    def on_train_begin(self, model) -> None:
        self.rows = []
        self._record(model, 0)

    def on_epoch_end(self, model, epoch, history) -> None:
        self._record(model, epoch)

    def _record(self, model, epoch: int) -> None:
        with np.errstate(over="ignore", invalid="ignore"):
            dead, saturated = [], []
            h = self.X
            for layer in model.layers:
                h = layer.forward(h)
                if isinstance(layer, ActivationLayer):
                    # dead: 0 for every probe image (diagnostics.dead_fraction's definition)
                    dead.append(float(np.mean(np.all(h == 0, axis=0))))
                    saturated.append(_saturated(self.activation_name, h))
            loss = evaluate(model, self.X, self.y)[0]
            val_accuracy = evaluate(model, self.X_val, self.y_val)[1]
        self.rows.append((int(epoch), float(loss), float(val_accuracy), dead, saturated))
        if self.on_epoch is not None:
            self.on_epoch(self.rows)


@dataclass(frozen=True)
class TrainingExperiment:
    """What one run of :func:`training_experiment` saw, epoch by epoch (0 = initialization).

    ``loss`` is the mean cross-entropy on the training images, ``val_accuracy``
    the accuracy on the validation images, ``dead_fractions`` and
    ``saturated_fractions`` have one row per epoch and one column per hidden
    layer (saturated: NaN for an unbounded activation). All are measured at
    the end of each epoch with the weights of that moment. A run that
    diverged stops early (``diverged``).

    >>> run = training_experiment("tanh", "glorot_uniform", depth=3, width=32, epochs=2)
    >>> run.epochs.tolist(), run.dead_fractions.shape, run.diverged
    ([0, 1, 2], (3, 3), False)
    >>> round(float(run.loss[0]), 1)  # a fresh network guesses: near ln 10 = 2.3
    2.5
    """

    activation_name: str
    initializer_name: str
    scale: float
    depth: int
    width: int
    lr: float
    seed: int
    n_epochs: int
    epochs: np.ndarray
    loss: np.ndarray
    val_accuracy: np.ndarray
    dead_fractions: np.ndarray
    saturated_fractions: np.ndarray
    diverged: bool

    @classmethod
    def _from_rows(cls, settings: dict, rows: list[tuple], diverged: bool) -> TrainingExperiment:
        columns = list(zip(*rows, strict=True))
        return cls(
            **settings,
            epochs=np.array(columns[0], dtype=np.int64),
            loss=np.array(columns[1], dtype=np.float64),
            val_accuracy=np.array(columns[2], dtype=np.float64),
            dead_fractions=np.array(columns[3], dtype=np.float64),
            saturated_fractions=np.array(columns[4], dtype=np.float64),
            diverged=diverged,
        )

    @property
    def title(self) -> str:
        outcome = "diverged" if self.diverged else f"epoch {int(self.epochs[-1])}/{self.n_epochs}"
        return (
            f"{self.activation_name}, {self.initializer_name} (scale {self.scale:.3g}), "
            f"{self.depth} x {self.width}, SGD lr={self.lr:.3g}: {outcome}"
        )

    def summary(self) -> str:
        """Loss, validation accuracy and the most dead and saturated layer, last epoch.

        >>> run = training_experiment("sigmoid", "glorot_uniform", depth=3, width=32, epochs=1)
        >>> print(run.summary())
        epoch 1: loss ..., validation accuracy ...; most dead layer ..., most saturated layer ...
        """
        dead = self.dead_fractions[-1]
        text = (
            f"epoch {int(self.epochs[-1])}: loss {self.loss[-1]:.3g}, "
            f"validation accuracy {self.val_accuracy[-1]:.3f}; "
            f"most dead layer {dead.max():.2f}"
        )
        saturated = self.saturated_fractions[-1]
        if np.isfinite(saturated).any():
            text += f", most saturated layer {np.nanmax(saturated):.2f}"
        return text + (" (diverged)" if self.diverged else "")

    def plot(self, fig=None, *, upto: int | None = None):
        """Loss and accuracy, dead and saturated fractions per layer, by epoch; the figure.

        ``upto``: draw epochs 0..upto only, on the axes of the whole run (the
        static explorer's frames); ``fig`` as in :meth:`DepthExperiment.plot`.
        See :func:`initact.plotting.explore.plot_training_run`.

        >>> fig = training_experiment("relu", "he_normal", depth=3, width=32, epochs=1).plot()
        >>> len(fig.axes)  # loss (and accuracy on a twin axis), dead, saturated
        4
        """
        from .plotting.explore import plot_training_run

        return plot_training_run(self, fig=fig, upto=upto)


def training_experiment(
    activation: str = "tanh",
    initializer: str = "glorot_uniform",
    scale: float | None = None,
    *,
    depth: int = 6,
    width: int = 64,
    epochs: int = 5,
    lr: float = 0.1,
    batch_size: int = 32,
    seed: int = 0,
    on_epoch=None,
) -> TrainingExperiment:
    """Train ``depth`` hidden layers of ``width`` units on the digits; watch every layer.

    The network is ``mlp([64, width x depth, 10], activation, init)`` with
    ``init = scaled_initializer(initializer, scale)`` (zero biases), trained with
    plain SGD (no momentum) in float64, ``epochs`` passes of ``batch_size`` over
    the 1168 training images of :func:`initact.data.load_digits`. ``seed``
    seeds the weights and the shuffling. At epoch 0 and after every epoch it
    measures, on the training images: the loss, the dead fraction of each
    hidden layer (units that output 0 for every image), the saturated fraction
    (tanh: ``|a| > 0.97``; sigmoid: ``a`` within 0.03 of 0 or 1; NaN for an
    unbounded activation); and the accuracy on the validation images.

    ``on_epoch``, if given, is called with a :class:`TrainingExperiment` of the
    epochs done so far after each measurement (progress in the live explorer).

    >>> run = training_experiment("sigmoid", "standard_uniform", depth=4, width=32, epochs=1)
    >>> run.saturated_fractions.shape, bool(np.isnan(run.saturated_fractions).any())
    ((2, 4), False)
    """
    activation = _choice(activation, "activation", TRAINING_ACTIVATIONS)
    if not isinstance(initializer, str):
        raise TypeError(
            f"initializer must be a preset name (str), got {type(initializer).__name__}"
        )
    init = scaled_initializer(initializer, scale)
    depth = _checks.integer(depth, "depth", at_most=100)
    width = _checks.integer(width, "width", at_most=1000)
    epochs = _checks.integer(epochs, "epochs", at_most=1000)
    lr = _checks.real(lr, "lr", above=0)
    batch_size = _checks.integer(batch_size, "batch_size")
    seed = _checks.integer(seed, "seed", at_least=0)
    if on_epoch is not None and not callable(on_epoch):
        raise TypeError(f"on_epoch must be callable or None, got {type(on_epoch).__name__}")
    settings = dict(
        activation_name=activation, initializer_name=initializer,
        scale=initializer_scale(init), depth=depth, width=width, lr=lr, seed=seed,
        n_epochs=epochs,
    )  # fmt: skip
    data = _digits()
    model = mlp([64, *[width] * depth, 10], activation, init, rng=seed, dtype=np.float64)

    def report(rows):
        if on_epoch is not None:
            on_epoch(TrainingExperiment._from_rows(settings, rows, diverged=False))

    probe = _EpochProbe(
        activation, data.X_train, data.y_train, data.X_val, data.y_val, on_epoch=report
    )
    with np.errstate(over="ignore", invalid="ignore"):  # a divergence is an outcome here
        history = fit(
            model, data.X_train, data.y_train, epochs=epochs, batch_size=batch_size, lr=lr,
            rng=seed, callbacks=[probe], progress=False,
        )  # fmt: skip
    return TrainingExperiment._from_rows(settings, probe.rows, diverged=history.diverged)
