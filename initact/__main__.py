"""Command line: ``python -m initact table``, ``recommend NAME`` and ``audit MODEL_FILE``.

``audit`` loads a saved Keras model (``.keras``) or a PyTorch module saved with ``torch.save`` and
prints :func:`initact.audit` of it. Loading a PyTorch file unpickles it, which runs code
from the file: audit only files you trust. Keras is loaded on the backend
``KERAS_BACKEND`` names, or torch when it names none (reading the weights needs no more).

NAME is matched as :func:`initact.activations.get_activation` matches it (case,
``-``, ``_`` and spaces ignored, so ``LeakyReLU`` works); an unknown name is
answered with the closest accepted one. Output cut short by a closed pipe
(``python -m initact table | head -3``) ends quietly with exit code 141
(128 + SIGPIPE, as a shell reports for ``yes | head``), without a traceback.

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
import os
import signal
import sys
from collections.abc import Sequence

from initact import _checks
from initact.activations import ACTIVATIONS, get_activation
from initact.theory import recommend, table_11_1

# Names `recommend` accepts: the registry's names, the aliases get_activation
# also understands, and softmax (Glorot's row of Table 11-1, although it is not
# an elementwise activation and has no derived scale).
ACTIVATION_NAMES = (*ACTIVATIONS, "linear", "none", "silu", "softmax")
_NAME_OF = _checks.normalised_table({name: name for name in ACTIVATION_NAMES})

#: Exit code after the reader closed the pipe, 128 + SIGPIPE, as a shell reports it.
BROKEN_PIPE_EXIT = 128 + int(getattr(signal, "SIGPIPE", 13))


def _activation_name(text: str) -> str:
    """``text`` as one of ACTIVATION_NAMES, by the rule get_activation uses."""
    name = _NAME_OF.get(_checks.normalise_name(text))
    if name is None:
        hint = _checks.did_you_mean(text, ACTIVATION_NAMES)
        raise argparse.ArgumentTypeError(
            f"invalid choice: {text!r}{hint}; choose from {', '.join(ACTIVATION_NAMES)} "
            "(case, '-', '_' and spaces are ignored: LeakyReLU works)"
        )
    return name


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
        type=_activation_name,
        help=f"activation name, one of: {', '.join(ACTIVATION_NAMES)} "
        "(any case; Keras/PyTorch class names such as LeakyReLU work)",
    )
    rec.add_argument("--alpha", type=float, help="slope or alpha (leaky_relu, prelu, elu)")
    rec.add_argument("--lower", type=float, help="rrelu lower slope bound")
    rec.add_argument("--upper", type=float, help="rrelu upper slope bound")
    rec.add_argument("--beta", type=float, help="swish beta")
    aud = commands.add_parser(
        "audit",
        help="check a saved Keras or PyTorch model's initialization against Table 11-1",
        description="Check each weight layer of a saved model (.keras file, or a torch.save'd "
        "module) against Table 11-1. A PyTorch file is unpickled: audit only files you trust.",
    )
    aud.add_argument(
        "model_file", metavar="MODEL_FILE", help="a .keras file or a torch.save'd module"
    )
    aud.add_argument(
        "--activation",
        action="append",
        default=[],
        metavar="LAYER=NAME",
        help="the activation a layer's forward() applies as a function (F.relu), e.g. "
        "fc1=relu; repeat for each layer",
    )
    return parser, rec


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    0 on success; argparse errors exit with 2; a reader that closed the pipe
    early gives :data:`BROKEN_PIPE_EXIT` (141), quietly.
    """
    try:
        code = _run(argv)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
    except BrokenPipeError:
        # The standard recipe (Python docs, "Note on SIGPIPE"): point stdout at
        # devnull so the flush at interpreter exit cannot raise again.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):  # stdout without a file descriptor (captured)
            pass
        return BROKEN_PIPE_EXIT
    return code


def _run(argv: Sequence[str] | None) -> int:
    parser, rec_parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command == "table":
        print(table_11_1())
        return 0
    if args.command == "audit":
        return _audit(parser, args)
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


def _audit(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from initact.audit import audit

    mapping = {}
    for item in args.activation:
        layer, sep, name = item.partition("=")
        if not sep or not layer or not name:
            parser.error(f"--activation takes LAYER=NAME (e.g. fc1=relu), got {item!r}")
        mapping[layer] = name
    path = args.model_file
    if not os.path.isfile(path):
        parser.error(f"MODEL_FILE {path!r} is not a file")
    try:
        model = _load_model(path)
        print(audit(model, activations=mapping or None))
    except (ImportError, TypeError, ValueError) as error:
        parser.error(f"{path}: {error}")
    return 0


def _load_model(path: str) -> object:
    """A Keras model from a .keras file, else a module from a torch.save'd file."""
    if path.endswith(".keras"):
        # Keras picks its backend when imported; its numpy backend imports JAX, and torch is
        # the one the frameworks extra installs. A backend the user chose is kept.
        os.environ.setdefault("KERAS_BACKEND", "torch")
        import keras

        return keras.saving.load_model(path, compile=False)
    import torch

    model = torch.load(path, map_location="cpu", weights_only=False)
    if not isinstance(model, torch.nn.Module):
        raise TypeError(
            f"the file holds a {type(model).__name__}, not a module: save the model itself "
            "(torch.save(model, path)), not its state_dict"
        )
    return model


if __name__ == "__main__":
    raise SystemExit(main())
