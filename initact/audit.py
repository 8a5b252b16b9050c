"""Check a real Keras or PyTorch model's initialization against Table 11-1.

:func:`audit` reads every weight layer of a model (Dense/Linear, Conv 1-3D), finds the
activation that follows it, and compares the kernel's variance with what Table 11-1 and
chapter 3's theory ask for in front of that activation. It accepts a PyTorch
``nn.Module``, a Keras 3 model, or a list of ``(kernel, activation)`` pairs, and imports
neither torch nor keras unless the model is one of theirs (recognised by the modules its
class comes from), so initact keeps NumPy as its only dependency.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> limit = 1 / np.sqrt(256)  # PyTorch's default nn.Linear init: U(-1/sqrt(fan_in), ...)
>>> layers = [(rng.uniform(-limit, limit, (256, 256)), "relu") for _ in range(3)]
>>> result = audit(layers)
>>> row = result.rows[0]
>>> row.fan_in, row.activation, row.table_row, row.recommended_scale, row.distribution
(256, 'ReLU()', 'He', 2.0, 'uniform')
>>> round(row.measured_scale, 2), round(row.ratio, 2)  # Var[W] * fan_in = 1/3: a sixth of 2
(0.33, 0.17)
>>> row.verdict
'too small: 0.166 x He (2 / fan_in); try he_normal'

Layouts: a Keras kernel is ``(in, out)`` or ``(k..., in, out)``, a PyTorch one
``(out, in)`` or ``(out, in, k...)``; models say which they are. A plain list does not:
``layout="keras"`` or ``"torch"`` says it, and the default ``"auto"`` reads the kernels
as Keras's unless their shapes chain only as PyTorch's (one layer's outputs feeding the
next one's inputs). :attr:`Audit.notes` says which was used.

``initact.audit`` is this module's :func:`audit` function (re-exported by the package);
the module itself is ``sys.modules["initact.audit"]``, and ``from initact.audit import
Audit, AuditRow`` works as usual.
"""

from __future__ import annotations

import functools
import html
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from . import _checks
from .activations import (
    ACTIVATIONS,
    ELU,
    GELU,
    SELU,
    Activation,
    Identity,
    LeakyReLU,
    Mish,
    PReLU,
    ReLU,
    RReLU,
    Sigmoid,
    Softplus,
    Swish,
    Tanh,
    get_activation,
)
from .fans import compute_fans
from .theory import moments, recommend, recommended_scale

__all__ = ["TOLERANCE", "Audit", "AuditRow", "audit"]

#: A kernel passes when measured / recommended is within this factor either way (widened
#: by three standard errors of its sample variance, for small kernels). A factor 1.25 per
#: layer is well inside the gaps the audit exists to catch: Glorot vs He on square ReLU
#: layers is 2, LeCun vs He 2, PyTorch's default Linear init vs He 6.
TOLERANCE = 1.25

#: Kurtosis E[(w - mean)^4] / Var[w]^2 of the three shapes initializers draw from: uniform,
#: a normal truncated at two standard deviations (Keras's "truncated_normal"), normal.
KURTOSIS = {"uniform": 1.8, "truncated normal": 2.3625, "normal": 3.0}

#: Fewer weights than this give a kurtosis too noisy (std. error sqrt(24 / n) for a normal
#: sample, 0.15 at n = 1000) to tell the three shapes apart, whose kurtoses are 0.56 apart.
MIN_WEIGHTS_FOR_SHAPE = 1000

#: tanh and sigmoid units whose |output| is beyond this are saturated (as in
#: :class:`initact.diagnostics.Recorder`): sigmoid below 0.03 or above 0.97.
SATURATION = 0.97

_SOFTMAX = "softmax"
# Positively homogeneous activations: the forward criterion 1 / E[f(z)^2] is exact at every
# variance (He et al.'s 2 / (1 + a^2)), so it is the recommendation. For the others chapter 3
# keeps the book's row: their three criteria spread around it.
_HOMOGENEOUS = (ReLU, LeakyReLU, PReLU, RReLU)
_PRESETS = {
    "keras": {"He": "he_normal", "LeCun": "lecun_normal", "Glorot": "glorot_uniform"},
    "torch": {
        "He": 'kaiming_normal_(w, nonlinearity="relu")',
        "LeCun": 'kaiming_normal_(w, nonlinearity="linear")',
        "Glorot": "xavier_uniform_(w)",
    },
}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class AuditRow:
    """One weight layer: its kernel, the activation after it and the verdict.

    ``measured_scale`` is ``Var[W]`` times the fan of the recommended ``mode``
    (``fan_in``, or ``fan_avg = (fan_in + fan_out) / 2`` for Glorot's row), so it reads
    on the same scale as ``recommended_scale``; ``ratio`` is their quotient. A layer
    whose activation has no row in Table 11-1 has ``None`` there and is not judged.
    ``signal_variance`` is the mean-field pre-activation variance after this layer,
    from the input through every kernel (and bias: ``bias_second_moment`` is the mean of
    its squares) as it is; ``signal_variance_recommended``: with the kernels at the
    recommended scales. The last three fields are measured on ``X`` (``None`` without).

    >>> from initact import glorot_uniform
    >>> row = audit([(glorot_uniform((300, 100), rng=0), "relu")]).rows[0]
    >>> row.fan_in, row.mode, row.recommended_scale, round(row.ratio, 2), row.ok
    (300, 'fan_in', 2.0, 0.75, False)
    """

    name: str
    kind: str
    kernel_shape: tuple[int, ...]
    layout: str
    fan_in: int
    fan_out: int
    activation: str
    table_row: str | None
    mode: str | None
    recommended_scale: float | None
    weight_variance: float
    measured_scale: float
    ratio: float | None
    kurtosis: float | None
    distribution: str
    normalized: bool
    verdict: str
    bias_second_moment: float = 0.0
    signal_variance: float = math.nan
    signal_variance_recommended: float = math.nan
    dead_fraction: float | None = None
    saturated_fraction: float | None = None
    activation_std: float | None = None

    @property
    def ok(self) -> bool:
        """True when the verdict is ok, or the layer is not judged."""
        return not self.verdict.startswith(("too small", "too large"))


@dataclass(frozen=True)
class Audit:
    """What :func:`audit` found: one :class:`AuditRow` per weight layer, and notes.

    ``str(audit)`` is a text table, ``audit._repr_html_()`` the same as HTML (Jupyter
    shows it). ``flagged`` lists the rows whose scale is off.

    >>> from initact import glorot_uniform, he_normal
    >>> kernels = [(glorot_uniform((300, 100), rng=0), "relu"), (he_normal((100, 10), rng=1), None)]
    >>> result = audit(kernels)
    >>> len(result.rows), [row.name for row in result.flagged]
    (2, ['0'])
    >>> str(result).splitlines()[0]
    'Audit of 2 kernels against Table 11-1'
    """

    source: str
    rows: tuple[AuditRow, ...]
    notes: tuple[str, ...] = ()
    measured_on: int | None = None  # rows of X, when given
    skipped: tuple[str, ...] = field(default=())

    def __repr__(self) -> str:  # short: Jupyter shows it beside the HTML table
        return (
            f"<Audit of {self.source}: {len(self.rows)} weight layers, "
            f"{len(self.flagged)} off Table 11-1>"
        )

    @property
    def flagged(self) -> tuple[AuditRow, ...]:
        return tuple(row for row in self.rows if not row.ok)

    @property
    def signal_variance(self) -> np.ndarray:
        """Mean-field pre-activation variance after each weight layer, as initialized."""
        return np.array([row.signal_variance for row in self.rows])

    @property
    def signal_variance_recommended(self) -> np.ndarray:
        """The same at the recommended scales."""
        return np.array([row.signal_variance_recommended for row in self.rows])

    def summary(self) -> str:
        """One line: how many layers are off, and what the scales do to the signal."""
        n = len(self.rows)
        flagged = len(self.flagged)
        head = f"{flagged} of {n} weight layer{'s' if n != 1 else ''} off Table 11-1"
        if not n:
            return head
        last, wanted = self.rows[-1].signal_variance, self.rows[-1].signal_variance_recommended
        return (
            f"{head}. Signal (mean field): pre-activation variance {_g(last)} after the last "
            f"layer, {_g(wanted)} at the recommended scales"
        )

    def _columns(self) -> tuple[list[str], list[list[str]]]:
        header = ["layer", "kernel", "fan_in", "fan_out", "activation", "looks"]
        header += ["Var*fan", "recommended", "ratio", "signal q"]
        measured = self.measured_on is not None
        if measured:
            header += ["dead", "saturated", "act std"]
        header.append("verdict")
        table = []
        for r in self.rows:
            wanted = (
                "-"
                if r.recommended_scale is None
                else (f"{r.recommended_scale:.3g} / {r.mode} ({r.table_row})")
            )
            cells = [
                r.name,
                "x".join(map(str, r.kernel_shape)) + f" {r.layout}",
                str(r.fan_in),
                str(r.fan_out),
                r.activation,
                r.distribution,
                f"{r.measured_scale:.3g}",
                wanted,
                "-" if r.ratio is None else f"{r.ratio:.3g}",
                _g(r.signal_variance),
            ]
            if measured:
                cells += [_pct(r.dead_fraction), _pct(r.saturated_fraction), _g(r.activation_std)]
            cells.append(r.verdict)
            table.append(cells)
        return header, table

    def __str__(self) -> str:
        header, table = self._columns()
        widths = [max(len(c) for c in column) for column in zip(header, *table, strict=True)]
        numeric = {"fan_in", "fan_out", "Var*fan", "ratio", "signal q", "dead", "saturated"}
        numeric.add("act std")

        def line(cells: list[str]) -> str:
            parts = [
                c.rjust(w) if h in numeric else c.ljust(w)
                for c, w, h in zip(cells, widths, header, strict=True)
            ]
            return "  ".join(parts).rstrip()

        out = [self._title(), "", line(header), line(["-" * w for w in widths])]
        out += [line(cells) for cells in table]
        out += ["", self.summary()]
        out += [f"Note: {note}" for note in self.notes]
        return "\n".join(out)

    def _title(self) -> str:
        title = f"Audit of {self.source} against Table 11-1"
        if self.measured_on is not None:
            title += f", measured on {self.measured_on} rows of X"
        return title

    def _repr_html_(self) -> str:
        header, table = self._columns()
        esc = html.escape
        head = "".join(f"<th>{esc(h)}</th>" for h in header)
        body = []
        for row, cells in zip(self.rows, table, strict=True):
            style = "" if row.ok else ' style="color:#b00020"'
            body.append(f"<tr{style}>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
        notes = "".join(f"<li>{esc(n)}</li>" for n in self.notes)
        return (
            '<div class="initact-audit">'
            f"<table><caption>{esc(self._title())}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>"
            f"<p>{esc(self.summary())}</p>" + (f"<ul>{notes}</ul>" if notes else "") + "</div>"
        )


def _g(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:.3g}" if math.isfinite(x) and (x == 0 or 1e-3 <= abs(x) < 1e4) else f"{x:.2g}"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.0f}%"


# --------------------------------------------------------------------------- the layers


@dataclass
class _Layer:
    """A weight layer as every source reads it: a kernel, its layout, what follows."""

    name: str
    kind: str
    kernel: np.ndarray
    in_axis: int
    out_axis: int
    layout: str
    activation: Activation | str | None = None  # an Activation, "softmax", or None: unknown
    label: str = "identity"
    normalized: bool = False
    post: np.ndarray | None = None  # the activation's output on X
    unit_axis: int = -1
    bias: np.ndarray | None = None


def _resolve_activation(value: object, where: str) -> tuple[Activation | str | None, str]:
    """(activation, label) from a name, an Activation, None, or a framework's object."""
    if isinstance(value, Activation):
        return value, repr(value)
    if value is None:
        return Identity(), repr(Identity())
    if isinstance(value, str):
        if _checks.normalise_name(value) == _SOFTMAX:
            return _SOFTMAX, _SOFTMAX
        try:
            act = get_activation(value)
        except ValueError:
            return None, value
        return act, repr(act)
    if _from_library(value, "keras") or (callable(value) and not _from_library(value, "torch")):
        return _keras_activation(value)
    if _from_library(value, "torch"):
        return _torch_activation(value) or (None, type(value).__name__)
    raise TypeError(
        f"{where} must be an activation name, an initact Activation, None, or a Keras or "
        f"PyTorch activation, got {type(value).__name__} {value!r}"
    )


def _recommendation(act: Activation | str | None) -> tuple[str, float, str] | None:
    """(Table 11-1 row, scale, mode) for an activation, or None when it has no row."""
    if act is None:
        return None
    if act == _SOFTMAX:
        r = recommend(_SOFTMAX)
        return r.initializer, r.scale, r.mode
    if isinstance(act, PReLU) and isinstance(act.alpha, np.ndarray):
        act = PReLU(float(np.mean(act.alpha)))
    try:
        r = recommend(act)
    except ValueError:
        return None
    if isinstance(act, _HOMOGENEOUS):
        return r.initializer, recommended_scale(act), r.mode
    return r.initializer, r.scale, r.mode


def _shape_guess(kurtosis: float | None, n: int) -> str:
    if kurtosis is None:
        return "constant"
    if n < MIN_WEIGHTS_FOR_SHAPE:
        return f"? ({n} weights)"
    name, k = min(KURTOSIS.items(), key=lambda item: abs(item[1] - kurtosis))
    return name if abs(k - kurtosis) <= 0.25 else f"other (kurtosis {kurtosis:.2f})"


def _verdict(
    ratio: float | None,
    row: str,
    scale: float,
    mode: str,
    se: float,
    *,
    normalized: bool,
    fix: str,
    label: str,
) -> str:
    if ratio is None:
        # A name close to a known one is most likely a typo: say which.
        hint = _checks.did_you_mean(label, ACTIVATIONS) if label.isidentifier() else ""
        return f"not judged: {label} has no row in Table 11-1{hint}"
    want = f"{row} ({scale:.3g} / {mode})"
    slack = math.log(TOLERANCE) + 3.0 * se
    off = math.inf if ratio == 0 else abs(math.log(ratio))
    if off <= slack:
        return f"ok: {ratio:.3g} x {want}"
    if normalized:
        return f"ok: {ratio:.3g} x {want}, but a normalization layer follows and rescales it"
    word = "too small" if ratio < 1 else "too large"
    return f"{word}: {ratio:.3g} x {want}; try {fix}"


def _row(layer: _Layer, flavour: str) -> AuditRow:
    w = np.asarray(layer.kernel, dtype=np.float64)
    fan_in, fan_out = compute_fans(w.shape, layer.in_axis, layer.out_axis)
    n = w.size
    variance = float(np.var(w)) if n else 0.0
    kurtosis = None
    if n and variance > 0:
        kurtosis = float(np.mean((w - w.mean()) ** 4) / variance**2)
    rec = _recommendation(layer.activation)
    # Keras's guard: a fan of 0 counts as 1.
    fans = {"fan_in": max(1, fan_in), "fan_out": max(1, fan_out)}
    fans["fan_avg"] = max(1.0, (fan_in + fan_out) / 2)
    if rec is None:
        table_row = mode = scale = ratio = None
        measured = variance * fans["fan_in"]
        verdict = _verdict(None, "", 0, "", 0, normalized=False, fix="", label=layer.label)
    else:
        table_row, scale, mode = rec
        measured = variance * fans[mode]
        ratio = measured / scale
        # Relative std. error of a sample variance: sqrt((kurtosis - 1) / n).
        se = math.sqrt(max((kurtosis or 3.0) - 1.0, 0.0) / max(n, 1))
        fix = _PRESETS.get(flavour, _PRESETS["keras"])[table_row]
        if flavour == "torch" and isinstance(layer.activation, (LeakyReLU, PReLU)):
            slope = layer.activation.alpha
            slope = float(np.mean(slope)) if isinstance(slope, np.ndarray) else slope
            fix = f'kaiming_normal_(w, a={slope:g}, nonlinearity="leaky_relu")'
        verdict = _verdict(
            ratio,
            table_row,
            scale,
            mode,
            se,
            normalized=layer.normalized,
            fix=fix,
            label=layer.label,
        )
    dead = saturated = std = None
    if layer.post is not None:
        dead, saturated, std = _measure(layer.post, layer.activation, layer.unit_axis)
    return AuditRow(
        name=layer.name,
        kind=layer.kind,
        kernel_shape=tuple(int(d) for d in w.shape),
        layout=layer.layout,
        fan_in=fan_in,
        fan_out=fan_out,
        activation=layer.label,
        table_row=table_row,
        mode=mode,
        recommended_scale=scale,
        weight_variance=variance,
        measured_scale=measured,
        ratio=ratio,
        kurtosis=kurtosis,
        distribution=_shape_guess(kurtosis, n),
        normalized=layer.normalized,
        verdict=verdict,
        bias_second_moment=(
            0.0 if layer.bias is None or not layer.bias.size else float(np.mean(layer.bias**2))
        ),
        dead_fraction=dead,
        saturated_fraction=saturated,
        activation_std=std,
    )


def _measure(a: np.ndarray, act: object, unit_axis: int) -> tuple[float | None, ...]:
    """(dead fraction, saturated fraction, std) of one layer's activations on X."""
    a = np.asarray(a, dtype=np.float64)
    dead = saturated = None
    if isinstance(act, (ReLU, LeakyReLU, PReLU, RReLU, ELU, SELU)):
        # A unit (a channel, for a convolution) is dead when it outputs 0 for every row
        # of X and every position.
        other = tuple(i for i in range(a.ndim) if i != unit_axis % a.ndim)
        dead = float(np.mean(np.all(a == 0, axis=other)))
    if isinstance(act, Tanh):
        saturated = float(np.mean(np.abs(a) > SATURATION))
    elif isinstance(act, Sigmoid):
        saturated = float(np.mean((a < 1 - SATURATION) | (a > SATURATION)))
    return dead, saturated, float(np.std(a))


def _second_moment(act: object, q: float, normalized: bool) -> float:
    """E[f(z)^2], z ~ N(0, q) (q = 1 after a normalization layer); NaN when unknown."""
    if not isinstance(act, Activation):
        return math.nan
    if isinstance(act, PReLU) and isinstance(act.alpha, np.ndarray):
        act = PReLU(float(np.mean(act.alpha)))
    q = 1.0 if normalized else q
    if math.isnan(q) or math.isinf(q):
        return q
    if q == 0:
        return float(act(np.zeros(1))[0]) ** 2
    return moments(act, q).second


def _with_signal(rows: list[AuditRow], layers: list[_Layer], m0: float) -> list[AuditRow]:
    """Each row with the mean-field pre-activation variance, as initialized and as wanted.

    q_l = Var[W_l] fan_in_l E[f_{l-1}(z)^2] + mean(b_l^2), z ~ N(0, q_{l-1}), and
    E[x^2] = m0 at the input: the variance map of chapter 3, one kernel at a time, with
    the biases' share (Poole et al. 2016): a bias keeps a vanishing signal from reaching 0.
    """
    out = []
    m, m_rec = m0, m0
    for row, layer in zip(rows, layers, strict=True):
        fan_in = max(1, row.fan_in)
        q = row.weight_variance * fan_in * m + row.bias_second_moment
        if row.recommended_scale is None:
            q_rec = math.nan
        else:
            fan = {"fan_in": fan_in, "fan_avg": max(1.0, (row.fan_in + row.fan_out) / 2)}
            q_rec = row.recommended_scale / fan[row.mode] * fan_in * m_rec
            q_rec += row.bias_second_moment
        out.append(replace(row, signal_variance=q, signal_variance_recommended=q_rec))
        m = _second_moment(layer.activation, q, layer.normalized)
        m_rec = _second_moment(layer.activation, q_rec, layer.normalized)
    return out


# --------------------------------------------------------------------------- sources


def _from_library(obj: object, library: str) -> bool:
    """Whether obj's class, or a class it derives from, comes from ``library``.

    Reads module names only: nothing is imported.
    """
    return any((cls.__module__ or "").split(".")[0] == library for cls in type(obj).__mro__)


def _event_layers(
    events: list[tuple[str, str, Any]],
    to_layer: Callable[[str, Any], _Layer],
    to_activation: Callable[[Any], tuple[Activation | str | None, str]],
    overrides: Mapping[str, tuple[Activation | str | None, str]],
    outputs: Mapping[int, list[np.ndarray]] | None,
) -> list[_Layer]:
    """Pair each weight layer with the first activation after it, before the next one.

    ``events`` is a sequence of (name, kind, object), kind one of "weight",
    "activation", "norm", "other". ``outputs`` maps id(object) to its outputs on X,
    in call order, when X was given.
    """
    layers: list[_Layer] = []
    seen: set[str] = set()
    calls: dict[int, int] = {}

    def output_of(obj: Any) -> np.ndarray | None:
        if outputs is None:
            return None
        k = calls.get(id(obj), 0)
        calls[id(obj)] = k + 1
        found = outputs.get(id(obj), [])
        return found[k] if k < len(found) else None

    current: _Layer | None = None
    for name, kind, obj in events:
        out = output_of(obj) if kind in ("weight", "activation") else None
        if kind == "weight":
            if name in seen:  # a layer called twice: its first call is its row
                current = None
                continue
            seen.add(name)
            current = to_layer(name, obj)
            if name in overrides:
                current.activation, current.label = overrides[name]
                current.post = _apply(current.activation, out)
            elif current.activation is not None and current.label != repr(Identity()):
                current.post = out  # the layer's own activation= is in its output
            else:
                current.post = _apply(Identity(), out)
            layers.append(current)
        elif current is None:
            continue
        elif kind == "norm":
            current.normalized = True
        elif (
            kind == "activation"
            and current.name not in overrides
            and (current.label == repr(Identity()))
        ):
            current.activation, current.label = to_activation(obj)
            current.post = out
        elif kind == "activation":
            current = None  # an activation after the one already found: not this layer's
    return layers


def _apply(act: Activation | str | None, z: np.ndarray | None) -> np.ndarray | None:
    """f(z) for an activation the framework did not run as a module (or its output)."""
    if z is None or not isinstance(act, Activation):
        return None  # softmax or an unknown activation: nothing to measure
    return act(np.asarray(z, dtype=np.float64))


def _overrides(activations: object) -> dict[str, tuple[Activation | str | None, str]]:
    if activations is None:
        return {}
    if not isinstance(activations, Mapping):
        raise TypeError(
            "activations must be a mapping of layer name to activation (name, initact "
            f"Activation, or a Keras or PyTorch activation), got {type(activations).__name__}"
        )
    return {
        str(name): _resolve_activation(value, f"activations[{name!r}]")
        for name, value in activations.items()
    }


# PyTorch ----------------------------------------------------------------------

_TORCH_WEIGHT = {"Linear": 2, "Conv1d": 3, "Conv2d": 4, "Conv3d": 5}
_TORCH_NORM = ("BatchNorm", "LayerNorm", "GroupNorm", "InstanceNorm", "RMSNorm", "LocalResponse")


def _torch_activation(module: Any) -> tuple[Activation | str | None, str] | None:
    """initact's twin of a torch.nn activation module, or None for other modules."""
    name = type(module).__name__
    simple = {"ReLU": ReLU, "SELU": SELU, "SiLU": Swish, "Tanh": Tanh, "Sigmoid": Sigmoid}
    simple.update({"Identity": Identity, "Mish": Mish})
    if name in simple:
        act = simple[name]()
    elif name == "LeakyReLU":
        act = LeakyReLU(float(module.negative_slope))
    elif name == "PReLU":
        alpha = module.weight.detach().cpu().double().numpy()
        act = PReLU(float(alpha[0]) if alpha.size == 1 else alpha)
    elif name == "RReLU":
        act = RReLU(float(module.lower), float(module.upper))
    elif name == "ELU":
        act = ELU(float(module.alpha))
    elif name == "GELU":
        act = GELU(module.approximate)
    elif name == "Softplus":
        if float(module.beta) != 1.0:
            return None, f"Softplus(beta={module.beta})"
        act = Softplus()
    elif name in ("Softmax", "LogSoftmax"):  # an output layer: Glorot's row
        return _SOFTMAX, "softmax" if name == "Softmax" else "log_softmax"
    else:
        return None
    label = repr(PReLU(float(np.mean(act.alpha)))) if isinstance(act, PReLU) else repr(act)
    if isinstance(act, PReLU) and isinstance(act.alpha, np.ndarray):
        label = f"PReLU(alpha=mean {np.mean(act.alpha):.3g} of {act.alpha.size})"
    return act, label


def _torch_kind(module: Any) -> str:
    name = type(module).__name__
    if name in _TORCH_WEIGHT and getattr(module, "weight", None) is not None:
        return "weight"
    if _torch_activation(module) is not None:
        return "activation"
    if name.startswith(_TORCH_NORM):
        return "norm"
    return "other"


def _torch_layer(name: str, module: Any) -> _Layer:
    kernel = module.weight.detach().cpu().double().numpy()
    bias = None if module.bias is None else module.bias.detach().cpu().double().numpy()
    rank = kernel.ndim
    layout = "(out, in)" if rank == 2 else "(out, in, " + ", ".join("k" * (rank - 2)) + ")"
    return _Layer(
        name=name,
        kind=type(module).__name__,
        kernel=kernel,
        in_axis=1,
        out_axis=0,
        layout=layout,
        activation=Identity(),
        label=repr(Identity()),
        unit_axis=1 if rank > 2 else -1,
        bias=bias,
    )


def _audit_torch(model: Any, X: object, activations: object) -> tuple[list[_Layer], list[str]]:
    import torch  # the model is PyTorch's: torch is installed

    leaves = [
        (name, module) for name, module in model.named_modules() if not list(module.children())
    ]
    overrides = _overrides(activations)
    _check_override_names(overrides, {name for name, _ in leaves})
    notes = []
    outputs = None
    if X is None:
        events = [(name, _torch_kind(m), m) for name, m in leaves]
        notes.append(
            "activations paired with weight layers in the order the modules are registered; "
            "pass X to pair them in the order forward() calls them, and activations= for "
            "activations called as functions inside forward()"
        )
    else:
        outputs, order = {}, []

        def hook(module: Any, _inputs: Any, output: Any) -> None:
            outputs.setdefault(id(module), []).append(output.detach().cpu().double().numpy())
            order.append(module)

        names = {id(m): name for name, m in leaves}
        handles = [m.register_forward_hook(hook) for _, m in leaves]
        modes = {id(m): m.training for m in model.modules()}
        first = next(model.parameters(), None)
        dtype = first.dtype if first is not None else torch.float32
        try:
            model.eval()
            with torch.no_grad():
                model(torch.as_tensor(_probe(X), dtype=dtype))
        finally:
            for h in handles:
                h.remove()
            for m in model.modules():
                m.train(modes[id(m)])  # parents come first and train() recurses: children last
        events = [(names[id(m)], _torch_kind(m), m) for m in order]
        notes.append("activations paired with weight layers in the order forward() ran them")

    def to_activation(m: Any) -> tuple[Activation | str | None, str]:
        return _torch_activation(m) or (None, type(m).__name__)

    layers = _event_layers(events, _torch_layer, to_activation, overrides, outputs)
    return layers, notes


# Keras ------------------------------------------------------------------------

_KERAS_WEIGHT = {"Dense": 2, "Conv1D": 3, "Conv2D": 4, "Conv3D": 5}


def _keras_activation(fn: Any) -> tuple[Activation | str | None, str]:
    """initact's twin of a Keras activation: a function, a functools.partial, or a layer."""
    name = type(fn).__name__
    if _from_library(fn, "keras") and hasattr(fn, "built"):  # an activation layer
        if name == "ReLU":
            slope = float(fn.negative_slope or 0.0)
            act = LeakyReLU(slope) if slope else ReLU()
            if fn.max_value is not None or float(fn.threshold or 0.0) != 0.0:
                return None, f"ReLU(max_value={fn.max_value}, threshold={fn.threshold})"
            return act, repr(act)
        if name == "LeakyReLU":
            act = LeakyReLU(float(fn.negative_slope))
            return act, repr(act)
        if name == "ELU":
            act = ELU(float(fn.alpha))
            return act, repr(act)
        if name == "PReLU":
            alpha = _keras_numpy(fn.alpha).ravel()
            act = PReLU(float(alpha[0]) if alpha.size == 1 else alpha)
            label = f"PReLU(alpha=mean {alpha.mean():.3g} of {alpha.size})"
            return act, label if alpha.size > 1 else repr(act)
        if name == "Softmax":
            return _SOFTMAX, _SOFTMAX
        if name == "Activation":
            return _keras_activation(fn.activation)
        return None, name
    params: dict[str, Any] = {}
    if isinstance(fn, functools.partial):
        params = dict(fn.keywords)
        fn = fn.func
    fname = getattr(fn, "__name__", type(fn).__name__)
    if fname == _SOFTMAX:
        return _SOFTMAX, _SOFTMAX
    if fname == "leaky_relu":
        params.setdefault("negative_slope", 0.2)  # keras.activations.leaky_relu's default
    if fname == "gelu":
        approximate = params.pop("approximate", False)
        params["approximate"] = "tanh" if approximate else "none"
    if fname == "relu":
        slope = params.pop("negative_slope", 0.0)
        if params.get("max_value") is not None or params.get("threshold", 0.0):
            return None, f"relu({params})"
        params = {}
        if slope:
            fname, params = "leaky_relu", {"negative_slope": slope}
    try:
        act = get_activation(fname, **params)
    except (TypeError, ValueError):
        return None, fname
    return act, repr(act)


def _keras_layers(model: Any) -> list[Any]:
    """Every layer, nested models flattened, in the model's order."""
    out = []
    for layer in model.layers:
        if hasattr(layer, "layers") and type(layer).__name__ in ("Sequential", "Functional"):
            out += _keras_layers(layer)
        else:
            out.append(layer)
    return out


def _keras_kind(layer: Any) -> str:
    name = type(layer).__name__
    if name in _KERAS_WEIGHT:
        return "weight"
    if name in ("ReLU", "LeakyReLU", "ELU", "PReLU", "Softmax", "Activation"):
        return "activation"
    if "Normalization" in name:
        return "norm"
    return "other"


def _keras_layer(name: str, layer: Any) -> _Layer:
    kernel = _keras_numpy(layer.kernel)
    rank = kernel.ndim
    layout = "(in, out)" if rank == 2 else "(" + ", ".join("k" * (rank - 2)) + ", in, out)"
    act, label = _keras_activation(layer.activation)
    channels_first = getattr(layer, "data_format", "channels_last") == "channels_first"
    return _Layer(
        name=name,
        kind=type(layer).__name__,
        kernel=kernel,
        in_axis=-2,
        out_axis=-1,
        layout=layout,
        activation=act,
        label=label,
        unit_axis=1 if channels_first else -1,
        bias=None if getattr(layer, "bias", None) is None else _keras_numpy(layer.bias),
    )


def _keras_numpy(x: Any) -> np.ndarray:
    """A Keras variable or tensor as float64 NumPy, on any backend.

    Not keras.ops.convert_to_numpy: on the torch backend it calls np.array on a tensor,
    which NumPy 2 answers with a DeprecationWarning (no copy= keyword).
    """
    value = getattr(x, "value", x)  # a Variable's backend tensor
    if hasattr(value, "detach"):  # torch
        value = value.detach().cpu().numpy()
    return np.asarray(value, dtype=np.float64)


def _audit_keras(model: Any, X: object, activations: object) -> tuple[list[_Layer], list[str]]:
    layers = _keras_layers(model)
    if any(not layer.built for layer in layers):
        raise ValueError(
            "model has layers that are not built yet, so it has no weights to audit: build it "
            "first (keras.Input in a Sequential, or model.build(input_shape))"
        )
    overrides = _overrides(activations)
    _check_override_names(overrides, {layer.name for layer in layers})
    events = [(layer.name, _keras_kind(layer), layer) for layer in layers]
    outputs = None
    notes = ["activations paired with weight layers in the order of model.layers"]
    if X is not None:
        if type(model).__name__ != "Sequential":
            raise ValueError(
                "X is supported for Keras Sequential models (their layers run one after the "
                f"other); got a {type(model).__name__}: call audit(model) without X"
            )
        outputs = {}
        h = _probe(X).astype(np.float32)
        for layer in layers:
            h = layer(h, training=False)
            outputs[id(layer)] = [_keras_numpy(h)]
    return _event_layers(events, _keras_layer, _keras_activation, overrides, outputs), notes


# Arrays -----------------------------------------------------------------------


def _audit_arrays(model: Sequence, X: object, layout: str) -> tuple[list[_Layer], list[str], str]:
    if layout not in ("auto", "keras", "torch"):
        raise ValueError(f'layout must be "auto", "keras" or "torch", got {layout!r}')
    pairs = []
    for i, item in enumerate(model):
        if not (isinstance(item, (tuple, list)) and len(item) == 2):
            raise TypeError(
                f"model[{i}] must be a (kernel array, activation) pair, got "
                f"{type(item).__name__} {item!r:.60}"
            )
        kernel = np.asarray(item[0])
        if kernel.dtype.kind not in "biuf":
            raise TypeError(f"model[{i}]'s kernel must hold real numbers, got {kernel.dtype}")
        if kernel.ndim < 2:
            raise ValueError(
                f"model[{i}]'s kernel must have at least 2 dimensions, got shape {kernel.shape}"
            )
        pairs.append((kernel, _resolve_activation(item[1], f"model[{i}]'s activation")))
    notes = []
    if layout == "auto":
        shapes = [k.shape for k, _ in pairs]
        keras_chain = all(a[-1] == b[-2] for a, b in itertools.pairwise(shapes))
        torch_chain = all(a[0] == b[1] for a, b in itertools.pairwise(shapes))
        if torch_chain and not keras_chain:
            layout = "torch"
            notes.append(
                "kernels read in PyTorch's layout (out, in, k...): their shapes chain only that way"
            )
        else:
            layout = "keras"
            why = "as the default" if len(shapes) < 2 or torch_chain else "their shapes chain so"
            notes.append(
                f"kernels read in Keras's layout (k..., in, out), {why}; pass "
                'layout="torch" for PyTorch\'s (out, in, k...)'
            )
    layers = []
    for i, (kernel, (act, label)) in enumerate(pairs):
        rank = kernel.ndim
        k = ", ".join("k" * (rank - 2))
        if layout == "keras":
            shape_text = "(in, out)" if rank == 2 else f"({k}, in, out)"
            axes = (-2, -1)
        else:
            shape_text = "(out, in)" if rank == 2 else f"(out, in, {k})"
            axes = (1, 0)
        layers.append(_Layer(str(i), "kernel", kernel, *axes, shape_text, act, label))
    if X is not None:
        if any(layer.kernel.ndim != 2 for layer in layers):
            raise ValueError("X works with dense (2-D) kernels only; pass X=None for conv kernels")
        h = _probe(X)
        for i, layer in enumerate(layers):
            w = layer.kernel if layout == "keras" else layer.kernel.T
            if h.shape[-1] != w.shape[0]:
                raise ValueError(
                    f"X has {h.shape[-1]} features where layer {i} takes {w.shape[0]} inputs"
                )
            if not isinstance(layer.activation, Activation):
                if i == len(layers) - 1:
                    break  # a softmax (or unknown) output: nothing to measure after it
                raise ValueError(
                    f"layer {i}'s activation {layer.label!r} cannot be computed, and layers "
                    "follow it: pass X=None, or an activation initact knows"
                )
            h = layer.activation(h @ w)
            layer.post = h
        notes.append("arrays have no biases: X runs through the kernels alone")
    return layers, notes, layout


def _probe(X: object) -> np.ndarray:
    arr = np.asarray(X)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"X must hold real numbers, got dtype {arr.dtype}")
    if arr.ndim < 2 or arr.shape[0] == 0:
        raise ValueError(f"X must be a batch of inputs (n_samples, ...), got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError("X contains NaN or infinite values")
    return arr


def _check_override_names(overrides: Mapping[str, Any], names: set[str]) -> None:
    unknown = sorted(set(overrides) - names)
    if unknown:
        hint = _checks.did_you_mean(unknown[0], sorted(names))
        raise ValueError(
            f"activations names layer(s) the model does not have: {', '.join(unknown)}{hint}; "
            f"its layers are: {', '.join(sorted(names))}"
        )


# --------------------------------------------------------------------------- audit


def audit(
    model: object,
    X: object = None,
    *,
    activations: Mapping[str, object] | None = None,
    layout: str = "auto",
) -> Audit:
    """Check every weight layer of ``model`` against Table 11-1.

    Parameters
    ----------
    model:
        A PyTorch ``nn.Module``, a built Keras 3 model, or a list of ``(kernel,
        activation)`` pairs (kernel: an array; activation: a name, an initact
        Activation or None for linear).
    X:
        Optional inputs (a batch, rows first). The model runs on them once, in
        evaluation mode, and each row gets the fraction of dead units (ReLU family:
        0 on every row of X), of saturated outputs (tanh, sigmoid: beyond 0.97) and
        the activations' std.
    activations:
        Layer name -> activation, for activations the model object does not show
        (``F.relu`` called inside a PyTorch ``forward``). Overrides what is found.
    layout:
        For a list of arrays only: ``"keras"`` (``(in, out)``, ``(k..., in, out)``),
        ``"torch"`` (``(out, in)``, ``(out, in, k...)``), or ``"auto"`` (Keras's
        unless the shapes chain only as PyTorch's).

    Notes
    -----
    An activation is the first one after a weight layer and before the next (a Keras
    layer's own ``activation=`` first); a layer with none is linear. A normalization
    layer in between (BatchNorm, LayerNorm...) marks the row ``normalized``: it
    rescales the signal whatever the init.

    Examples
    --------
    >>> import numpy as np
    >>> from initact import he_normal
    >>> row = audit([(he_normal((300, 100), rng=0), "relu")]).rows[0]
    >>> row.ok, row.distribution, abs(row.ratio - 1) < 0.05
    (True, 'truncated normal', True)
    """
    # Keras first: on its torch backend a Keras layer is also a torch.nn.Module.
    if _from_library(model, "keras"):
        layers, notes = _audit_keras(model, X, activations)
        flavour, source = "keras", f"a Keras {type(model).__name__}"
    elif _from_library(model, "torch"):
        layers, notes = _audit_torch(model, X, activations)
        flavour, source = "torch", f"a PyTorch {type(model).__name__}"
    elif isinstance(model, (list, tuple)):
        if activations is not None:
            raise TypeError(
                "activations is for Keras and PyTorch models; give each array's "
                "activation in its pair"
            )
        layers, notes, _ = _audit_arrays(model, X, layout)
        flavour, source = "arrays", f"{len(layers)} kernel{'s' if len(layers) != 1 else ''}"
    else:
        raise TypeError(
            "model must be a PyTorch nn.Module, a Keras 3 model, or a list of (kernel, "
            f"activation) pairs, got {type(model).__name__}"
        )
    if not layers:
        raise ValueError(
            f"model has no weight layer the audit reads (Dense/Linear, Conv1-3D): {source}"
        )
    if layout != "auto" and flavour != "arrays":
        raise ValueError(f"layout is for lists of arrays; a {flavour} model says its own layout")
    rows = [_row(layer, flavour) for layer in layers]
    m0 = 1.0
    if X is None:
        notes.append(
            "signal q: mean-field pre-activation variance (kernels and biases) for inputs of "
            "mean square 1"
        )
    else:
        m0 = float(np.mean(np.square(_probe(X), dtype=np.float64)))
        notes.append(
            "signal q: mean-field pre-activation variance (kernels and biases) for inputs of "
            f"mean square {m0:.3g} (X's)"
        )
    if any(layer.label != repr(Identity()) and layer.activation is None for layer in layers):
        notes.append("layers with an activation Table 11-1 has no row for are not judged")
    rows = _with_signal(rows, layers, m0)
    measured_on = None if X is None else int(np.shape(X)[0])
    return Audit(source=source, rows=tuple(rows), notes=tuple(notes), measured_on=measured_on)
