"""Command line: ``python -m initact table`` and ``python -m initact recommend NAME``.

>>> main(["recommend", "selu"])  # doctest: +NORMALIZE_WHITESPACE
Activation:        SELU()
Table 11-1 row:    LeCun (sigma^2 = 1 / fan_in)
Keras presets:     lecun_normal, lecun_uniform
Book scale:        VarianceScaling(scale=1, mode="fan_in")
Derived scale:     1.000  (forward: 1/E[f(z)^2], z ~ N(0, 1))
0
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from initact.activations import ACTIVATIONS, get_activation
from initact.theory import recommend, table_11_1

# Names `recommend` accepts: the registry's names, the aliases get_activation
# also understands, and softmax (Glorot's row of Table 11-1, although it is not
# an elementwise activation and has no derived scale).
ACTIVATION_NAMES = (*ACTIVATIONS, "linear", "none", "silu", "softmax")


def _build_parser() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    parser = argparse.ArgumentParser(
        prog="initact",
        description="Weight initialization for each activation (Hands-On ML, chapter 11).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "table",
        help="print Table 11-1 with the scales derived for each activation",
        description="Print Table 11-1 with the scales derived for each activation.",
    )
    rec = commands.add_parser(
        "recommend",
        help="the initializer for one activation",
        description="Which Table 11-1 row applies to an activation, and the scale theory derives.",
    )
    rec.add_argument(
        "name",
        metavar="NAME",
        type=str.lower,
        choices=ACTIVATION_NAMES,
        help=f"activation name, one of: {', '.join(ACTIVATION_NAMES)}",
    )
    rec.add_argument("--alpha", type=float, help="slope or alpha (leaky_relu, prelu, elu)")
    rec.add_argument("--lower", type=float, help="rrelu lower slope bound")
    rec.add_argument("--upper", type=float, help="rrelu upper slope bound")
    rec.add_argument("--beta", type=float, help="swish beta")
    return parser, rec


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (argparse errors exit with 2)."""
    parser, rec_parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command == "table":
        print(table_11_1())
        return 0
    params = {
        key: value
        for key, value in (
            ("alpha", args.alpha),
            ("lower", args.lower),
            ("upper", args.upper),
            ("beta", args.beta),
        )
        if value is not None
    }
    if args.name == "softmax":
        if params:
            rec_parser.error(f"softmax takes no parameters, got {sorted(params)}")
        print(recommend("softmax"))
        return 0
    try:
        activation = get_activation(args.name, **params)
    except (TypeError, ValueError) as error:
        rec_parser.error(f"{args.name}: {error}")
    print(recommend(activation))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
