"""Gaussian moments of activations, and the Table 11-1 they explain.

Every row of the book's Table 11-1 comes from one mean-field argument. In a
wide dense layer with weights ``W ~ (0, scale / fan_in)`` and no bias, the
pre-activation of the next layer has variance

    q_next = fan_in * Var[W] * E[f(z)^2] = scale * E[f(z)^2],   z ~ N(0, q).

The variance is preserved (``q_next = q``) when ``scale = q / E[f(z)^2]``; at
``q = 1`` that is ``1 / E[f(z)^2]``, the *forward* criterion. The same argument
on the backward pass gives ``1 / E[f'(z)^2]``, the *backward* criterion, and
Glorot & Bengio's small-signal ("linear regime") argument gives ``1 / f'(0)^2``.
For ReLU all three give 2 (He et al.), for SELU the forward one gives 1 (LeCun),
for tanh the linear one gives 1 (Glorot).

The expectations are computed by composite Gauss-Legendre quadrature against
the Gaussian density, with the domain split at the activation's kinks so each
piece is smooth and the rule converges fast. NumPy only: no SciPy.
"""

from __future__ import annotations

import html
import math
import numbers
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from initact import _checks
from initact.activations import (
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
    ShiftedReLU,
    Sigmoid,
    Softplus,
    Swish,
    Tanh,
    get_activation,
)

__all__ = [
    "CRITERIA",
    "InitializationTable",
    "Moments",
    "Recommendation",
    "TableRow",
    "backpropagate_variance",
    "moments",
    "propagate_variance",
    "recommend",
    "recommended_scale",
    "selu_parameters",
    "table_11_1",
    "torch_gain",
]

CRITERIA = ("forward", "backward", "linear")
"""The criteria accepted by :func:`recommended_scale`."""

# --- quadrature -------------------------------------------------------------
# Integrate over u = z / sqrt(q) in [-12, 12]: the standard normal mass outside
# is about 3.6e-33, and even a ReLU-like f(z)^2 ~ z^2 tail adds less than 1e-30.
# Panels one standard deviation wide with a 24-point Gauss-Legendre rule each
# integrate phi(u) * (smooth function) to machine precision. The rule's nodes
# and weights on [-1, 1] are computed once, here.
_HALF_WIDTH = 12.0
_GRID = np.linspace(-_HALF_WIDTH, _HALF_WIDTH, 25)
_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(24)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


class Moments(NamedTuple):
    """Gaussian moments of an activation: ``E[f(z)]``, ``E[f(z)^2]``, ``E[f'(z)^2]``.

    For ReLU, ``E[f] = 1/sqrt(2 pi)`` and half the mass gives ``E[f^2] = E[f'^2] = 1/2``:

    >>> m = moments("relu")
    >>> round(m.mean, 6), m.second, m.derivative_second
    (0.398942, 0.5, 0.5)
    """

    mean: float
    second: float
    derivative_second: float


def _resolve(activation: object) -> Activation:
    """A deterministic scalar Activation from a name (or None) or an Activation."""
    if activation is not None and not isinstance(activation, (str, Activation)):
        raise TypeError(
            "activation must be a name (str), None or an Activation, "
            f"got {type(activation).__name__} {activation!r}"
        )
    act = get_activation(activation)
    # The theory needs one fixed function f (RReLU's is its test-time slope);
    # a PReLU with per-unit slopes is many functions.
    if isinstance(act, PReLU) and isinstance(act.alpha, np.ndarray):
        raise ValueError(
            f"activation {act!r} has one slope per unit: pass one PReLU(alpha=slope) at a time"
        )
    return act


def _breakpoints(activation: Activation, std: float) -> np.ndarray:
    """Panel edges in standard units: the uniform grid plus the scaled kinks."""
    kinks = np.asarray(activation.kinks, dtype=np.float64) / std
    inside = kinks[np.abs(kinks) < _HALF_WIDTH]
    return np.unique(np.concatenate([_GRID, inside]))


def _gaussian_nodes(activation: Activation, std: float) -> tuple[np.ndarray, np.ndarray]:
    """Nodes z and weights w with sum(w * g(z)) ~= E[g(z)], z ~ N(0, std^2)."""
    edges = _breakpoints(activation, std)
    half = 0.5 * np.diff(edges)[:, None]
    mid = 0.5 * (edges[:-1] + edges[1:])[:, None]
    u = (mid + half * _GL_NODES).ravel()
    w = (half * _GL_WEIGHTS).ravel() * _INV_SQRT_2PI * np.exp(-0.5 * u * u)
    return std * u, w


def _dot(w: np.ndarray, g: np.ndarray) -> float:
    """sum(w * g), correctly rounded: the same bits whatever the BLAS or CPU."""
    products = (w * g).tolist()
    try:
        return math.fsum(products)
    except (OverflowError, ValueError):  # beyond the float range, or inf - inf: as NumPy says
        return float(np.sum(products))


def _moments(activation: Activation, q: float) -> Moments:
    """Moments without input checks; ``q == 0`` means z is exactly 0."""
    if q == 0.0:
        zero = np.zeros(1)
        value = float(activation(zero)[0])
        slope = float(activation.derivative(zero)[0])
        return Moments(value, value * value, slope * slope)
    z, w = _gaussian_nodes(activation, math.sqrt(q))
    # Very large q can push a growing activation past the float range: the
    # moment is then genuinely larger than any float and inf is the honest
    # answer. NaN would not be, so it is refused below.
    with np.errstate(over="ignore", invalid="ignore"):
        f = activation(z)
        df = activation.derivative(z)
        # math.fsum, not w @ f: a dot product goes to BLAS, whose summation order depends
        # on the OpenBLAS kernel (Prescott and Haswell differ in the last bit). fsum rounds
        # the exact sum once, so the moments are the same on every BLAS and thread count.
        result = Moments(_dot(w, f), _dot(w, f * f), _dot(w, df * df))
    if any(math.isnan(m) for m in result):
        raise ValueError(f"the moments of {activation!r} are not defined numerically at q={q!r}")
    return result


def moments(activation: object, q: float = 1.0) -> Moments:
    """Gaussian moments of an activation for a pre-activation ``z ~ N(0, q)``.

    ``activation`` is a name understood by :func:`initact.activations.get_activation`
    or an :class:`~initact.activations.Activation`; ``q`` is the variance of z.
    Accurate to about 1e-12 for the activations in :mod:`initact.activations`.

    >>> m = moments("relu")
    >>> round(m.mean, 4), round(m.second, 4), round(m.derivative_second, 4)
    (0.3989, 0.5, 0.5)
    >>> round(moments("relu", q=4.0).second, 6)  # positively homogeneous: q / 2
    2.0
    """
    act = _resolve(activation)
    return _moments(act, _checks.real(q, "q", above=0))


def _derivative_at_zero_squared(activation: Activation) -> float:
    """f'(0)^2, or at a kink the mean of the two one-sided squared slopes."""
    if 0.0 in activation.kinks:
        tiny = 1e-12
        left, right = activation.derivative(np.array([-tiny, tiny]))
        return 0.5 * (float(left) ** 2 + float(right) ** 2)
    slope = float(activation.derivative(np.zeros(1))[0])
    return slope * slope


def recommended_scale(activation: object, criterion: str = "forward") -> float:
    """The ``scale`` of ``Var[W] = scale / fan_in`` one criterion derives, z ~ N(0, 1).

    * ``"forward"``: ``1 / E[f(z)^2]``. The pre-activation variance 1 is a fixed
      point of ``q -> scale * E[f(z)^2]`` (He et al.'s argument).
    * ``"backward"``: ``1 / E[f'(z)^2]``. Back-propagated gradients keep their
      variance.
    * ``"linear"``: ``1 / f'(0)^2``. Glorot & Bengio's linear regime: for small
      pre-activations f(z) ~ f'(0) z.

    At a kink at 0 (ReLU, leaky ReLU, SELU) ``f'(0)^2`` is taken as the mean of the
    two one-sided squared slopes, ``(f'(0-)^2 + f'(0+)^2) / 2``. Why: a small
    symmetric z falls on either side with probability 1/2, so this is the limit
    of both ``E[f'(z)^2]`` and ``E[f(z)^2] / q`` as ``q -> 0``; the linear regime
    is exactly that limit. It gives 2 for ReLU and ``2 / (1 + a^2)`` for leaky
    ReLU with slope a, as He et al. derive. (Picking either one-sided slope
    would give 1 or infinity for ReLU, neither of which describes the layer.)

    >>> round(recommended_scale("relu"), 12), recommended_scale("relu", "linear")
    (2.0, 2.0)
    >>> round(recommended_scale("tanh", "backward"), 3)
    2.153
    """
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be one of {CRITERIA}, got {criterion!r}")
    act = _resolve(activation)
    if criterion == "linear":
        denominator = _derivative_at_zero_squared(act)
    else:
        m = _moments(act, 1.0)
        denominator = m.second if criterion == "forward" else m.derivative_second
    if denominator == 0.0:
        raise ValueError(f"the {criterion} criterion is undefined for {act!r}: it divides by zero")
    return 1.0 / denominator


def propagate_variance(
    activation: object, scale: float, depth: int, q0: float = 1.0, *, max_work: float = 1e5
) -> np.ndarray:
    """Pre-activation variance through ``depth`` wide dense layers (mean-field map).

    With ``Var[W] = scale / fan_in``, zero bias and infinite width, layer l+1 sees
    ``q[l+1] = scale * E[f(z)^2]`` with ``z ~ N(0, q[l])``. Returns the array
    ``[q0, q1, ..., q_depth]``. A variance that underflows to 0 continues as
    ``scale * f(0)^2``; one that overflows float64 stays ``inf``.

    Cost: one Gaussian quadrature per layer, about 0.4 ms each. A ``depth``
    beyond ``max_work`` quadratures (default 1e5, under a minute; the book
    goes to 60 layers, the tests to 1100) raises a ValueError naming
    ``depth`` before computing anything. Every map of the book reaches its
    fixed point (or 0 or inf) long before; pass a larger ``max_work``
    (``math.inf``: no limit) to go deeper on purpose.

    >>> propagate_variance("relu", 2.0, 3)  # He: the variance is preserved
    array([1., 1., 1., 1.])
    >>> propagate_variance("relu", 1.0, 3)  # Glorot on ReLU: halves every layer
    array([1.   , 0.5  , 0.25 , 0.125])
    """
    act = _resolve(activation)
    scale = _checks.real(scale, "scale", above=0)
    depth = _checks.integer(depth, "depth", at_least=0)
    _check_quadratures(depth, depth, max_work)
    q = np.empty(depth + 1)
    q[0] = _checks.real(q0, "q0", above=0)
    for layer in range(depth):
        previous = float(q[layer])
        q[layer + 1] = math.inf if math.isinf(previous) else scale * _moments(act, previous).second
    return q


def _check_quadratures(depth: int, work: int, max_work: float) -> None:
    """Refuse, naming ``depth``, a run of more than ``max_work`` quadratures (``work``)."""
    if not (isinstance(max_work, float) and max_work == math.inf):  # not an array's ==
        max_work = _checks.real(max_work, "max_work", above=0)
    if work > max_work:
        raise ValueError(
            f"depth={depth} needs {work:.2g} Gaussian quadratures, about "
            f"{work * 4e-4 / 60:,.0f} minutes at 0.4 ms each, more than max_work={max_work:.2g}: "
            "lower depth (the map reaches its fixed point long before), or pass a larger "
            "max_work to run it on purpose"
        )


def backpropagate_variance(
    activation: object, scale: float, depth: int, q0: float = 1.0, *, max_work: float = 1e5
) -> np.ndarray:
    """Variance of the back-propagated gradient at each layer's pre-activations (mean field).

    The backward twin of :func:`propagate_variance`, for ``depth`` dense layers of
    equal width with ``Var[W] = scale / fan_in``, a first-layer pre-activation
    variance ``q0`` and a unit-variance error signal at the top. Going down one
    layer multiplies the variance by ``scale * E[f'(z)^2]``, ``z ~ N(0, q_l)``,
    since ``delta_l = f'(z_l) * (W_{l+1}^T delta_{l+1})``. Returns layers
    ``1..depth`` (first layer first).

    >>> backpropagate_variance("relu", 2.0, 3)  # He: gradients keep their variance
    array([0.5, 0.5, 0.5])
    >>> backpropagate_variance("identity", 1 / 3, 3)  # "standard" init: / 3 per layer
    array([0.11111111, 0.33333333, 1.        ])

    Cost: two quadratures per layer (forward and backward); ``max_work``
    bounds their number as in :func:`propagate_variance`.
    """
    depth = _checks.integer(depth, "depth", at_least=0)
    _check_quadratures(depth, 2 * depth, max_work)
    q = propagate_variance(activation, scale, max(depth - 1, 0), q0=q0, max_work=math.inf)[:depth]
    act = _resolve(activation)
    slope2 = np.array([_moments(act, float(q_l)).derivative_second for q_l in q])
    grad = np.empty(len(q))
    if len(q):
        grad[-1] = slope2[-1]
        for layer in range(len(q) - 2, -1, -1):
            grad[layer] = scale * slope2[layer] * grad[layer + 1]
    return grad


def torch_gain(name: str, param: float | None = None) -> float:
    """The value PyTorch's ``torch.nn.init.calculate_gain(name, param)`` returns.

    PyTorch multiplies its std by this gain, so ``gain**2`` is its ``scale`` and
    can be set beside :func:`recommended_scale`. ``param`` is the negative slope
    of ``"leaky_relu"`` (default 0.01) and is ignored otherwise, as in PyTorch.
    SELU's 3/4 is, in PyTorch's own words, chosen empirically (for
    self-normalization LeCun's scale 1, gain 1, is the derived value).

    >>> torch_gain("tanh")
    1.6666666666666667
    >>> round(torch_gain("leaky_relu", 0.2) ** 2, 4)  # 2 / (1 + 0.2**2)
    1.9231
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a PyTorch nonlinearity name (str), got {name!r}")
    ones = ("linear", "identity", "sigmoid", "conv1d", "conv2d", "conv3d")
    ones += ("conv_transpose1d", "conv_transpose2d", "conv_transpose3d")
    gains = {"tanh": 5.0 / 3.0, "relu": math.sqrt(2.0), "selu": 3.0 / 4.0}
    if name in ones:
        return 1.0
    if name in gains:
        return gains[name]
    if name == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, bool) or not isinstance(param, numbers.Real):
            raise ValueError(f"param (the negative slope) must be a real number, got {param!r}")
        else:
            slope = float(param)
        if not math.isfinite(slope):
            raise ValueError(f"param (the negative slope) must be finite, got {param!r}")
        return math.sqrt(2.0 / (1.0 + slope * slope))
    valid = (*ones, *gains, "leaky_relu")
    raise ValueError(f"name must be one of {sorted(valid)}, got {name!r}")


def selu_parameters(variance: float = 1.0) -> tuple[float, float]:
    """SELU's ``(alpha, scale)``, solved from its fixed-point equations with erfc.

    Klambauer et al. (2017) choose ``alpha`` and ``scale`` (their λ) so that for
    ``z ~ N(0, q)`` the unit ``f(z) = scale * z`` (z > 0), ``scale * alpha *
    (exp(z) - 1)`` (z <= 0) has ``E[f(z)] = 0`` and ``E[f(z)^2] = q``: with LeCun
    weights (``fan_in * Var[W] = 1``) a layer then maps mean 0, variance q to
    mean 0, variance q. With ``P = e^{q/2} erfc(sqrt(q/2)) / 2 = E[e^z; z <= 0]``
    and ``Q = e^{2q} erfc(sqrt(2q)) / 2 = E[e^{2z}; z <= 0]``, the two equations read

        mean:    sqrt(q / 2π) + alpha * (P - 1/2) = 0
        second:  scale² * (q/2 + alpha² * (Q - 2P + 1/2)) = q

    The first is linear in ``alpha`` and the second then gives ``scale``; at
    ``q = 1`` this is their eq. 14, ``alpha = -sqrt(2/π) / (erfc(1/sqrt 2) e^{1/2} - 1)``.
    ``variance`` is q, between 0.01 and 100 (the default 1 is SELU's).

    >>> alpha, scale = selu_parameters()
    >>> f"{alpha:.14f} {scale:.14f}"  # initact.SELU_ALPHA, SELU_SCALE to 14 decimals
    '1.67326324235438 1.05070098735548'
    >>> [round(x, 4) for x in selu_parameters(variance=2.0)]  # a fixed point at variance 2
    [1.9713, 1.0607]

    Each value is within a few units in the last place of the exact one (float64
    exp, erfc and sqrt each round once).
    """
    q = _checks.real(variance, "variance", at_least=0.01, at_most=100.0)
    p = 0.5 * math.exp(q / 2) * math.erfc(math.sqrt(q / 2))  # E[e^z; z <= 0]
    p2 = 0.5 * math.exp(2 * q) * math.erfc(math.sqrt(2 * q))  # E[e^{2z}; z <= 0]
    alpha = math.sqrt(q / (2 * math.pi)) / (0.5 - p)
    # E[(e^z - 1)^2; z <= 0] = p2 - 2 p + P(z <= 0), and E[z^2; z > 0] = q / 2.
    scale = math.sqrt(q / (q / 2 + alpha * alpha * (p2 - 2 * p + 0.5)))
    return alpha, scale


# --- Table 11-1 ---------------------------------------------------------------

_NOT_ELEMENTWISE = "not elementwise: no scalar Gaussian moment"


@dataclass(frozen=True)
class TableRow:
    """One row of Table 11-1, with the scales each criterion derives for its activations.

    ``derived`` maps an activation label to ``{criterion: scale}``, or to ``None``
    for softmax, which acts on a whole vector and has no scalar Gaussian moment.

    >>> row = table_11_1().rows[0]
    >>> row.initializer, row.variance, row.presets
    ('Glorot', '1 / fan_avg', ('glorot_normal', 'glorot_uniform'))
    >>> round(row.derived["tanh"]["forward"], 3)
    2.536
    """

    initializer: str
    activations: tuple[str, ...]
    variance: str
    scale: float
    mode: str
    presets: tuple[str, ...]
    derived: dict[str, dict[str, float] | None] = field(default_factory=dict)


# The book's rows: sigma^2 text, VarianceScaling scale and mode, Keras presets.
_BOOK_ROWS = {
    "Glorot": ("1 / fan_avg", 1.0, "fan_avg", ("glorot_normal", "glorot_uniform")),
    "He": ("2 / fan_in", 2.0, "fan_in", ("he_normal", "he_uniform")),
    "LeCun": ("1 / fan_in", 1.0, "fan_in", ("lecun_normal", "lecun_uniform")),
}


def _table_activations() -> dict[str, list[tuple[str, Activation | None]]]:
    """The activations each row lists, as (label, Activation); softmax has none."""
    return {
        "Glorot": [
            ("None", Identity()),
            ("tanh", Tanh()),
            ("sigmoid", Sigmoid()),
            ("softmax", None),
        ],
        "He": [
            ("relu", ReLU()),
            ("leaky_relu(0.01)", LeakyReLU(alpha=0.01)),
            ("leaky_relu(0.2)", LeakyReLU(alpha=0.2)),
            ("rrelu", RReLU()),
            ("prelu", PReLU()),
            ("elu", ELU()),
            ("gelu", GELU()),
            ("swish", Swish()),
            ("mish", Mish()),
        ],
        "LeCun": [("selu", SELU())],
    }


class InitializationTable:
    """The book's Table 11-1 with the scales derived for each activation.

    ``rows`` holds one :class:`TableRow` per initializer. ``str(table)`` is an
    aligned text table; in a notebook the table renders as HTML.

    >>> table = table_11_1()
    >>> [row.initializer for row in table.rows]
    ['Glorot', 'He', 'LeCun']
    >>> {c: round(s, 12) for c, s in table.rows[1].derived["relu"].items()}  # quadrature
    {'forward': 2.0, 'backward': 2.0, 'linear': 2.0}
    """

    title = "Table 11-1. Initialization parameters for each type of activation function"

    def __init__(self, rows: list[TableRow]):
        self.rows = list(rows)

    def __repr__(self) -> str:
        return f"InitializationTable({[row.initializer for row in self.rows]})"

    def _cells(self) -> list[tuple[str, str, str, list[str]]]:
        """(initializer, activation, variance, derived cells) per activation, one per line."""
        lines = []
        for row in self.rows:
            for i, label in enumerate(row.activations):
                scales = row.derived[label]
                cells = (
                    [_NOT_ELEMENTWISE] if scales is None else [f"{scales[c]:.3f}" for c in CRITERIA]
                )
                first = i == 0
                lines.append(
                    (row.initializer if first else "", label, row.variance if first else "", cells)
                )
        return lines

    def __str__(self) -> str:
        header = ("Initializer", "Activation", "sigma^2 (book)", *CRITERIA)
        lines = self._cells()
        widths = [len(h) for h in header]
        for init, label, variance, cells in lines:
            for j, text in enumerate((init, label, variance)):
                widths[j] = max(widths[j], len(text))
            if len(cells) == len(CRITERIA):
                for j, text in enumerate(cells, start=3):
                    widths[j] = max(widths[j], len(text))

        def fmt(texts: tuple[str, ...] | list[str]) -> str:
            left = [t.ljust(w) for t, w in zip(texts[:3], widths[:3], strict=True)]
            right = [t.rjust(w) for t, w in zip(texts[3:], widths[3:], strict=False)]
            return "  ".join(left + right).rstrip()

        out = [self.title, "", fmt(header), fmt(["-" * w for w in widths])]
        for init, label, variance, cells in lines:
            if len(cells) == len(CRITERIA):
                out.append(fmt((init, label, variance, *cells)))
            else:  # a note in place of the three criterion columns
                left = [t.ljust(w) for t, w in zip((init, label, variance), widths, strict=False)]
                out.append("  ".join([*left, cells[0]]))
        out += [
            "",
            "Derived scale for Var[W] = scale / fan_in, z ~ N(0, 1):",
            "  forward = 1/E[f(z)^2], backward = 1/E[f'(z)^2], linear = 1/f'(0)^2",
        ]
        return "\n".join(out)

    def _repr_html_(self) -> str:
        esc = html.escape
        head = (
            "<tr><th>Initializer</th><th>Activation</th><th>&sigma;&sup2; (book)</th>"
            "<th>Keras VarianceScaling</th>"
            "<th>forward<br>1/E[f(z)&sup2;]</th><th>backward<br>1/E[f&prime;(z)&sup2;]</th>"
            "<th>linear<br>1/f&prime;(0)&sup2;</th></tr>"
        )
        body = []
        for row in self.rows:
            span = len(row.activations)
            for i, label in enumerate(row.activations):
                cells = []
                if i == 0:
                    keras = f"scale={row.scale:g}, mode=&quot;{esc(row.mode)}&quot;"
                    cells += [
                        f'<td rowspan="{span}">{esc(row.initializer)}</td>',
                        f"<td>{esc(label)}</td>",
                        f'<td rowspan="{span}">{esc(row.variance)}</td>',
                        f'<td rowspan="{span}">{keras}</td>',
                    ]
                else:
                    cells.append(f"<td>{esc(label)}</td>")
                scales = row.derived[label]
                if scales is None:
                    cells.append(f'<td colspan="{len(CRITERIA)}">{esc(_NOT_ELEMENTWISE)}</td>')
                else:
                    cells += [
                        f'<td style="text-align:right">{scales[c]:.3f}</td>' for c in CRITERIA
                    ]
                body.append("<tr>" + "".join(cells) + "</tr>")
        return (
            '<table class="initact-table-11-1">'
            f"<caption>{esc(self.title)}</caption>"
            f"<thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"
        )


def table_11_1() -> InitializationTable:
    """Build Table 11-1 with the scales each criterion derives for its activations.

    >>> row = table_11_1().rows[2]
    >>> row.initializer, row.variance, row.scale, row.mode
    ('LeCun', '1 / fan_in', 1.0, 'fan_in')
    >>> round(row.derived["selu"]["forward"], 6)
    1.0
    """
    rows = []
    for initializer, entries in _table_activations().items():
        variance, scale, mode, presets = _BOOK_ROWS[initializer]
        derived = {
            label: None if act is None else {c: recommended_scale(act, c) for c in CRITERIA}
            for label, act in entries
        }
        rows.append(
            TableRow(
                initializer=initializer,
                activations=tuple(label for label, _ in entries),
                variance=variance,
                scale=scale,
                mode=mode,
                presets=presets,
                derived=derived,
            )
        )
    return InitializationTable(rows)


# --- one activation ----------------------------------------------------------

_ROW_OF_CLASS = (
    ((Identity, Tanh, Sigmoid), "Glorot"),
    ((SELU,), "LeCun"),
    ((ReLU, LeakyReLU, RReLU, PReLU, ELU, GELU, Swish, Mish, Softplus, ShiftedReLU), "He"),
)


@dataclass(frozen=True)
class Recommendation:
    """Which Table 11-1 row applies to an activation, and what theory derives for it.

    ``scale``/``mode`` are the book's; ``derived_scale`` is the forward criterion
    ``1 / E[f(z)^2]`` (``None`` for softmax, which is not elementwise).

    >>> rec = recommend("relu")
    >>> rec.initializer, rec.scale, rec.mode, rec.derived_scale
    ('He', 2.0, 'fan_in', 2.0)
    """

    activation: str
    initializer: str
    presets: tuple[str, ...]
    variance: str
    scale: float
    mode: str
    derived_scale: float | None

    def __str__(self) -> str:
        lines = [
            f"Activation:        {self.activation}",
            f"Table 11-1 row:    {self.initializer} (sigma^2 = {self.variance})",
            f"Keras presets:     {', '.join(self.presets)}",
            f'Book scale:        VarianceScaling(scale={self.scale:g}, mode="{self.mode}")',
        ]
        if self.derived_scale is None:
            lines.append(f"Derived scale:     none ({_NOT_ELEMENTWISE})")
        else:
            lines.append(
                f"Derived scale:     {self.derived_scale:.3f}  (forward: 1/E[f(z)^2], z ~ N(0, 1))"
            )
            if not math.isclose(self.derived_scale, self.scale, rel_tol=0.01):
                lines.append(
                    f"Keeps q = 1:       VarianceScaling(scale={self.derived_scale:.3f}, "
                    'mode="fan_in")'
                )
        return "\n".join(lines)


def recommend(activation: object) -> Recommendation:
    """The Table 11-1 row, Keras presets and derived scale for one activation.

    ``activation`` is a name, an Activation, or ``"softmax"`` (Glorot's row).

    >>> r = recommend(get_activation("leaky_relu", alpha=0.2))
    >>> r.initializer, r.presets, r.scale, round(r.derived_scale, 3)
    ('He', ('he_normal', 'he_uniform'), 2.0, 1.923)
    """
    if isinstance(activation, str) and activation == "softmax":
        initializer, label, derived = "Glorot", "softmax", None
    else:
        act = _resolve(activation)
        matches = [row for classes, row in _ROW_OF_CLASS if isinstance(act, classes)]
        if not matches:
            raise ValueError(f"activation {act!r} has no row in Table 11-1")
        initializer, label = matches[0], repr(act)
        derived = recommended_scale(act, "forward")
    variance, scale, mode, presets = _BOOK_ROWS[initializer]
    return Recommendation(
        activation=label,
        initializer=initializer,
        presets=presets,
        variance=variance,
        scale=scale,
        mode=mode,
        derived_scale=derived,
    )
