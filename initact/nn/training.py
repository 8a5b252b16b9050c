"""Training: the losses, SGD, the :class:`Callback` protocol and :func:`fit`."""

from __future__ import annotations

import contextlib
import math
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from .. import _checks
from ..initializers import as_generator
from .model import MLP

__all__ = [
    "SGD",
    "Callback",
    "History",
    "evaluate",
    "fit",
    "mean_squared_error",
    "softmax_cross_entropy",
]


def _logits(logits: object) -> np.ndarray:
    arr = _checks.array(logits, "logits")
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"logits must hold real numbers, got dtype {arr.dtype}")
    if arr.ndim != 2 or arr.shape[1] < 1 or arr.shape[0] < 1:
        raise ValueError(f"logits must have shape (n_samples, n_classes), got {arr.shape}")
    return arr if arr.dtype.kind == "f" else arr.astype(np.float64)


def _class_labels(y: object, n: int, n_classes: int, name: str = "y") -> np.ndarray:
    """``y`` as n integer class labels in [0, n_classes), or a clear error."""
    arr = _checks.array(y, name)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(f"{name} must be a 1-D array of {n} class labels, got shape {arr.shape}")
    if arr.dtype.kind not in "iu":
        if arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
            arr = arr.astype(np.int64)
        else:
            raise TypeError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
    if arr.min() < 0 or arr.max() >= n_classes:
        raise ValueError(
            f"{name} labels must lie in [0, {n_classes - 1}] for {n_classes} classes, "
            f"got {arr.min()}..{arr.max()}"
        )
    return arr.astype(np.intp, copy=False)


def softmax_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of integer labels ``y`` under ``softmax(logits)``, and its gradient.

    Computed from the logits with the log-sum-exp shift, so it never
    overflows. The gradient is ``(softmax - onehot) / n``. ``logits`` has
    shape ``(n, classes)``; ``y`` holds ``n`` labels in ``[0, classes)``
    (a label of -1 is refused, not read as the last class).

    >>> loss, grad = softmax_cross_entropy(np.zeros((2, 4)), np.array([0, 3]))
    >>> round(loss, 6) == round(math.log(4), 6)
    True
    >>> softmax_cross_entropy(np.zeros((2, 4)), np.array([0, 4]))
    Traceback (most recent call last):
    ...
    ValueError: y labels must lie in [0, 3] for 4 classes, got 0..4
    """
    logits = _logits(logits)
    y = _class_labels(y, logits.shape[0], logits.shape[1])
    return _softmax_cross_entropy(logits, y)


def _softmax_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """:func:`softmax_cross_entropy` on inputs already checked (fit checks them once)."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    rows = np.arange(len(y))
    log_prob_true = shifted[rows, y] - np.log(total[:, 0])
    loss = float(-log_prob_true.astype(np.float64).mean())
    grad = exp / total
    grad[rows, y] -= 1
    grad /= len(y)
    return loss, grad


def mean_squared_error(pred: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean of the squared errors over every element, and its gradient.

    ``pred`` and ``target`` must have the same shape: a ``(5, 1)`` prediction
    against a ``(5,)`` target would otherwise broadcast to 25 differences.

    >>> mean_squared_error(np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]]))[0]
    2.5
    >>> mean_squared_error(np.zeros((5, 1)), np.zeros(5))
    Traceback (most recent call last):
    ...
    ValueError: target must have the shape of pred, (5, 1), got (5,)
    """
    pred, target = _checks.array(pred, "pred"), _checks.array(target, "target")
    for name, arr in (("pred", pred), ("target", target)):
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if pred.shape != target.shape:
        raise ValueError(f"target must have the shape of pred, {pred.shape}, got {target.shape}")
    if pred.size == 0:
        raise ValueError("pred must hold at least one value")
    if pred.dtype.kind != "f":
        pred = pred.astype(np.float64)
    return _mean_squared_error(pred, target)


def _mean_squared_error(pred: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    """:func:`mean_squared_error` on inputs already checked (fit checks them once)."""
    diff = pred - target
    loss = float(np.mean(np.square(diff, dtype=np.float64)))
    return loss, (2.0 / diff.size) * diff


# Unchecked versions: fit and evaluate check the data once, not on every batch.
_LOSSES: dict[str, Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]]] = {
    "cross_entropy": _softmax_cross_entropy,
    "mse": _mean_squared_error,
}


# --------------------------------------------------------------------------- optimizer


class SGD:
    """Stochastic gradient descent with momentum (Keras's form), optionally Nesterov.

    ``v = momentum * v - lr * g``; plain momentum then moves ``p += v``,
    Nesterov ``p += momentum * v - lr * g``. ``last_updates`` keeps the step
    just taken for every parameter, for the update:data ratio.

    >>> from initact.nn import Dense, MLP
    >>> model = MLP([Dense(1, 1, kernel_init="ones", dtype=np.float64)], dtype=np.float64)
    >>> model.forward(np.ones((1, 1)))
    array([[1.]])
    >>> model.backward(np.ones((1, 1)))          # dLoss/dW = 1
    >>> SGD(lr=0.1).step(model)
    >>> model.dense_layers[0].W
    array([[0.9]])
    """

    def __init__(self, lr: float, momentum: float = 0.0, nesterov: bool = False) -> None:
        self.lr = _checks.real(lr, "lr", above=0)
        self.momentum = _checks.real(momentum, "momentum", at_least=0, below=1)
        if nesterov and self.momentum == 0:
            raise ValueError("nesterov needs momentum > 0")
        self.nesterov = bool(nesterov)
        self.velocity: dict[str, np.ndarray] = {}
        self.last_updates: dict[str, np.ndarray] = {}

    def step(self, model: MLP) -> None:
        for name, value, grad in model.parameters():
            step = grad * value.dtype.type(-self.lr)
            if self.momentum:
                v = self.velocity.get(name)
                if v is None:
                    v = self.velocity[name] = np.zeros_like(value)
                v *= value.dtype.type(self.momentum)
                v += step
                if self.nesterov:
                    step += v * value.dtype.type(self.momentum)
                else:
                    step = v
            value += step
            self.last_updates[name] = step

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr}, momentum={self.momentum}, nesterov={self.nesterov})"


# --------------------------------------------------------------------------- training


class Callback:
    """Base class of what :func:`fit` calls while it trains; override what you need.

    ``on_train_begin(model)`` once before the first step, ``on_step_end(model,
    step, optimizer)`` after each update (steps count from 1), and
    ``on_epoch_end(model, epoch, history)`` after each epoch. Each does nothing
    here. A callback that records should append one whole row at a time, so a
    Ctrl-C between two of its statements never leaves its records out of step.

    >>> class CountSteps(Callback):
    ...     def __init__(self):
    ...         self.steps = 0
    ...     def on_step_end(self, model, step, optimizer):
    ...         self.steps += 1
    >>> from initact.data import make_spirals
    >>> from initact.nn import mlp
    >>> X, y = make_spirals(64, rng=0)
    >>> counter = CountSteps()
    >>> _ = fit(mlp([2, 4, 2], rng=0), X, y, epochs=2, batch_size=16, lr=0.1, rng=0,
    ...         callbacks=[counter], progress=False)
    >>> counter.steps
    8
    """

    def on_train_begin(self, model: MLP) -> None:
        """Called once, before the first step."""

    def on_step_end(self, model: MLP, step: int, optimizer: SGD) -> None:
        """Called after each update."""

    def on_epoch_end(self, model: MLP, epoch: int, history: History) -> None:
        """Called after each epoch, once ``history`` holds its metrics."""


class _UpdateGuard:
    """Holds back Ctrl-C (SIGINT) while an update is applied, then raises it.

    An SGD step updates one parameter after another; an interrupt between two of them
    would leave the model half updated. Installed once for a whole :func:`fit` (a
    handler swap per step would cost more than the check): outside an update, Ctrl-C
    raises at once, as usual. Only the main thread receives signals, so elsewhere (and
    where SIGINT is not Python's own handler) it does nothing.
    """

    def __init__(self) -> None:
        self.updating = False
        self.pending = False
        self._previous = None

    def _handler(self, signum, frame) -> None:
        if self.updating:
            self.pending = True
        else:
            raise KeyboardInterrupt

    def __enter__(self) -> _UpdateGuard:
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler
        ):
            self._previous = signal.signal(signal.SIGINT, self._handler)
        return self

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None

    def apply(self, optimizer: SGD, model: MLP) -> None:
        """``optimizer.step(model)``, whole, then any Ctrl-C that came meanwhile."""
        self.updating = True
        try:
            optimizer.step(model)
        finally:
            self.updating = False
        if self.pending:
            self.pending = False
            raise KeyboardInterrupt


@dataclass
class History:
    """Per-epoch metrics of :func:`fit`; ``loss``/``accuracy`` average the epoch's batches.

    ``diverged`` is True when training stopped at a non-finite loss, output or
    parameter, and ``diverged_at`` says ``(epoch, step)``. ``str()`` is a table.

    >>> from initact.data import make_spirals
    >>> from initact.nn import mlp
    >>> X, y = make_spirals(64, rng=0)
    >>> history = fit(mlp([2, 8, 2], rng=0), X, y, epochs=2, batch_size=16, lr=0.1,
    ...                   rng=0, progress=False)
    >>> history.epoch, history.diverged
    ([1, 2], False)
    >>> print(str(history).splitlines()[0])
    epoch      loss  accuracy
    """

    epoch: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    diverged: bool = False
    diverged_at: tuple[int, int] | None = None  # (epoch, step) where a value stopped being finite

    def __str__(self) -> str:
        head = "epoch      loss  accuracy"
        has_val = bool(self.val_loss)
        if has_val:
            head += "  val_loss  val_accuracy"
        lines = [head]
        for i, epoch in enumerate(self.epoch):
            line = f"{epoch:5d}  {self.loss[i]:8.4f}  {self.accuracy[i]:8.4f}"
            if has_val:
                line += f"  {self.val_loss[i]:8.4f}  {self.val_accuracy[i]:12.4f}"
            lines.append(line)
        if self.diverged:
            where = ""
            if self.diverged_at is not None:
                where = f" in epoch {self.diverged_at[0]}, step {self.diverged_at[1]}"
            lines.append("stopped: a loss, an output or a parameter became NaN or infinite" + where)
        return "\n".join(lines)


def _progress_enabled(progress: bool | None) -> bool:
    """Auto mode: show a bar in a terminal or a notebook, never when INITACT_PROGRESS=0."""
    if progress is not None:
        return bool(progress)
    setting = os.environ.get("INITACT_PROGRESS", "").strip()
    if setting in ("0", "1"):
        return setting == "1"
    if sys.stderr is not None and sys.stderr.isatty():
        return True
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return type(shell).__name__ == "ZMQInteractiveShell"


@contextlib.contextmanager
def _progress_bar(progress: bool | None, total: int):
    """A tqdm bar when progress is on and tqdm is installed (book extra), else None."""
    bar = None
    if _progress_enabled(progress):
        try:
            from tqdm.auto import tqdm
        except ImportError:  # the bar is a nicety
            tqdm = None
        if tqdm is not None:
            bar = tqdm(total=total, desc="fit", unit="step", leave=False)
    try:
        yield bar
    finally:
        if bar is not None:
            bar.close()


def _check_labels(y: object, n: int, model: MLP, loss: str, name: str) -> np.ndarray:
    if loss == "cross_entropy":
        return _class_labels(y, n, model.n_outputs, name)
    arr = _checks.array(y, name)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.shape != (n, model.n_outputs):
        raise ValueError(f"{name} must have shape ({n}, {model.n_outputs}), got {arr.shape}")
    arr = arr.astype(model.dtype, copy=False)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def _check_loss(loss: object) -> None:
    if not isinstance(loss, str):
        raise TypeError(f"loss must be one of {', '.join(_LOSSES)} (a str), got {loss!r}")
    if loss not in _LOSSES:
        raise ValueError(f"loss must be one of {', '.join(_LOSSES)}, got {loss!r}")


def evaluate(model: MLP, X: object, y: object, loss: str = "cross_entropy") -> tuple[float, float]:
    """``(loss, accuracy)`` of ``model`` on ``(X, y)`` in evaluation mode.

    Accuracy is NaN for the squared-error loss.

    A network whose logits are all 0 predicts class 0 and has loss ln(C) for C classes:

    >>> from initact.nn import mlp
    >>> model = mlp([4, 3], kernel_init="zeros", rng=0, dtype=np.float64)
    >>> loss, accuracy = evaluate(model, np.ones((4, 4)), np.array([0, 1, 2, 0]))
    >>> round(loss, 6) == round(math.log(3), 6), accuracy
    (True, 0.5)
    """
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an initact.nn.MLP, got {type(model).__name__}")
    _check_loss(loss)
    X = model.check_inputs(X)
    y = _check_labels(y, X.shape[0], model, loss, "y")
    out = model.predict(X)
    value, _ = _LOSSES[loss](out, y)
    accuracy = float(np.mean(out.argmax(axis=1) == y)) if loss == "cross_entropy" else math.nan
    return value, accuracy


def _train_step(model, xb, yb, loss_fn, optimizer, guard):
    """One update on one batch: ``(loss, outputs)``, or None (and no update) if not finite.

    This is all of fit's work per batch (benchmarks/bench_mlp.py times it).
    """
    out = model.forward(xb)
    value, grad = loss_fn(out, yb)
    # A finite loss can hide infinite outputs (a softmax of +-inf logits, say).
    if not math.isfinite(value) or not np.isfinite(out).all():
        return None
    model.backward(grad.astype(model.dtype, copy=False))
    guard.apply(optimizer, model)  # never half an update
    return value, out


def _train_one_epoch(
    model, X, y, order, batch_size, loss_fn, optimizer, callbacks, bar, step, guard
):
    """One pass over ``X`` in ``order``: ``(mean loss, accuracy, step)``.

    Returns just the step (an int) at which a loss or an output stopped being finite.
    """
    total_loss = 0.0
    correct = 0
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        xb, yb = X[idx], y[idx]
        result = _train_step(model, xb, yb, loss_fn, optimizer, guard)
        if result is None:
            return step + 1
        value, out = result
        step += 1
        total_loss += value * len(idx)
        if yb.ndim == 1:  # class labels
            correct += int(np.count_nonzero(out.argmax(axis=1) == yb))
        for cb in callbacks:
            cb.on_step_end(model, step, optimizer)
        if bar is not None:
            bar.update(1)
    return total_loss / len(order), correct / len(order), step


def fit(
    model: MLP,
    X: object,
    y: object,
    *,
    epochs: int,
    batch_size: int,
    lr: float | None = None,
    rng: object,
    X_val: object = None,
    y_val: object = None,
    loss: str = "cross_entropy",
    momentum: float = 0.0,
    nesterov: bool = False,
    optimizer: SGD | None = None,
    callbacks: Iterable[object] = (),
    progress: bool | None = None,
) -> History:
    """Train ``model`` with minibatch SGD and return the per-epoch :class:`History`.

    Give either ``lr`` (with ``momentum`` and ``nesterov``) or an ``optimizer``,
    an :class:`SGD` you built: fit then uses it and keeps its state (its momentum)
    from one call to the next.

    ``rng`` (a seed or Generator) shuffles the data each epoch, so the same
    seed on the same model gives the same History to the bit. ``callbacks`` are
    :class:`Callback` objects: fit calls their ``on_train_begin(model)``,
    ``on_step_end(model, step, optimizer)`` (after each update) and
    ``on_epoch_end(model, epoch, history)``.
    Every argument is checked before the model is touched. Training stops
    early, with ``history.diverged`` set and ``history.diverged_at`` the
    ``(epoch, step)``, as soon as a training loss, an output, a parameter or the
    validation loss stops being finite. Finite weights can still multiply to an
    infinite output, so after the last epoch fit also runs the trained model
    once over ``X`` (one forward pass) and reports a non-finite output there.

    Ctrl-C (KeyboardInterrupt) propagates, with the model at its last completed
    step (an update is never half applied) and the History of the completed epochs
    attached to the exception as ``err.history``::

        try:
            history = fit(model, X, y, ...)
        except KeyboardInterrupt as err:
            history = err.history

    ``progress``: True shows a tqdm bar, False never; None shows it in a
    terminal or notebook unless the environment sets ``INITACT_PROGRESS=0``
    (the book's test run does, so its output stays the same on every run).

    >>> from initact.data import make_spirals
    >>> from initact.nn import mlp
    >>> X, y = make_spirals(200, rng=0)
    >>> model = mlp([2, 32, 32, 2], kernel_init="he_normal", rng=0)
    >>> history = fit(model, X, y, epochs=3, batch_size=32, lr=0.05, rng=0, progress=False)
    >>> len(history.loss)
    3
    """
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an initact.nn.MLP, got {type(model).__name__}")
    _check_loss(loss)
    progress = _checks.flag(progress, "progress", allow_none=True)
    X = model.check_inputs(X)
    y = _check_labels(y, X.shape[0], model, loss, "y")
    if (X_val is None) != (y_val is None):
        raise ValueError("give both X_val and y_val, or neither")
    if X_val is not None:
        X_val = model.check_inputs(X_val, "X_val")
        y_val = _check_labels(y_val, X_val.shape[0], model, loss, "y_val")
    epochs = _checks.integer(epochs, "epochs")
    batch_size = _checks.integer(batch_size, "batch_size")
    if optimizer is None:
        if lr is None:
            raise TypeError("fit needs lr (a learning rate) or optimizer (an SGD)")
        optimizer = SGD(lr, momentum, nesterov)
    elif not isinstance(optimizer, SGD):
        raise TypeError(f"optimizer must be an initact.nn.SGD, got {type(optimizer).__name__}")
    elif lr is not None or momentum or nesterov:
        raise ValueError("give optimizer or lr/momentum/nesterov, not both")
    gen = as_generator(rng)
    if isinstance(callbacks, (str, bytes, Callback)) or not isinstance(callbacks, Iterable):
        raise TypeError(
            f"callbacks must be a list of initact.nn.Callback, got {type(callbacks).__name__}"
        )
    callbacks = list(callbacks)
    for i, cb in enumerate(callbacks):
        if not isinstance(cb, Callback):
            raise TypeError(
                f"callbacks[{i}] must be an initact.nn.Callback, got {type(cb).__name__}"
            )
    loss_fn = _LOSSES[loss]
    total_steps = epochs * math.ceil(X.shape[0] / batch_size)

    history = History()
    for cb in callbacks:
        cb.on_train_begin(model)
    step = 0
    # Overflow is expected when a too-large learning rate blows training up (in the
    # updates, the validation pass or a callback's probe); the loss check reports
    # it as history.diverged instead of a warning.
    try:
        with (
            np.errstate(over="ignore", invalid="ignore"),
            _progress_bar(progress, total_steps) as bar,
            _UpdateGuard() as guard,
        ):
            for epoch in range(1, epochs + 1):
                model.train()
                result = _train_one_epoch(
                    model,
                    X,
                    y,
                    gen.permutation(X.shape[0]),
                    batch_size,
                    loss_fn,
                    optimizer,
                    callbacks,
                    bar,
                    step,
                    guard,
                )
                if isinstance(result, int):
                    history.diverged, history.diverged_at = True, (epoch, result)
                    break
                mean_loss, accuracy, step = result
                history.epoch.append(epoch)
                history.loss.append(mean_loss)
                history.accuracy.append(accuracy if loss == "cross_entropy" else math.nan)
                # The epoch's last update can leave inf weights behind a finite loss.
                if not all(np.isfinite(value).all() for _, value, _ in model.parameters()):
                    history.diverged, history.diverged_at = True, (epoch, step)
                    break
                if X_val is not None:
                    val_loss, val_acc = evaluate(model, X_val, y_val, loss)
                    history.val_loss.append(val_loss)
                    history.val_accuracy.append(val_acc)
                for cb in callbacks:
                    cb.on_epoch_end(model, epoch, history)
                if history.val_loss and not math.isfinite(history.val_loss[-1]):
                    # The weights are past use even if the training batches' loss has not
                    # overflowed yet.
                    history.diverged, history.diverged_at = True, (epoch, step)
                    break
            else:
                # The model fit returns: finite weights whose product overflows are diverged too.
                if epochs and not np.isfinite(model.predict(X)).all():
                    history.diverged, history.diverged_at = True, (epochs, step)
    except KeyboardInterrupt as err:
        err.history = history  # the completed epochs stay reachable
        raise
    finally:
        model.eval()
    return history
