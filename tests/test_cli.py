"""Tests for the command line: ``python -m initact table | recommend NAME``."""

from __future__ import annotations

import io
import math
import os
import shlex
import shutil
import subprocess
import sys

import numpy as np
import pytest

from initact.__main__ import BROKEN_PIPE_EXIT, main


def tanh_forward_scale() -> float:
    """1 / E[tanh(z)^2], z ~ N(0, 1), by 200-point Gauss-Hermite quadrature."""
    x, w = np.polynomial.hermite_e.hermegauss(200)
    return 1.0 / (float(w @ np.tanh(x) ** 2) / math.sqrt(2.0 * math.pi))


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_table_prints_rows_and_derived_numbers(capsys):
    code, out, err = run(["table"], capsys)
    assert code == 0 and err == ""
    relu_line = next(line for line in out.splitlines() if "relu" in line.split())
    assert relu_line.split()[-3:] == ["2.000", "2.000", "2.000"]
    assert f"{tanh_forward_scale():.3f}" in out
    assert f"{2 / (1 + 0.2**2):.3f}" in out  # leaky_relu(0.2), He et al.'s (1 + a^2) rule
    for word in ("Glorot", "He", "LeCun", "selu", "softmax"):
        assert word in out


def test_recommend_leaky_relu_with_alpha(capsys):
    code, out, _ = run(["recommend", "leaky_relu", "--alpha", "0.2"], capsys)
    assert code == 0
    assert f"{2 / 1.04:.3f}" in out
    assert "he_normal" in out and "fan_in" in out


def test_recommend_selu(capsys):
    code, out, _ = run(["recommend", "selu"], capsys)
    assert code == 0
    assert "LeCun" in out and "lecun_normal" in out and "1.000" in out


def test_recommend_rrelu_bounds(capsys):
    # Eval-mode slope is the mean (lower + upper) / 2 = 0.2, so the scale is 2 / 1.04.
    code, out, _ = run(["recommend", "rrelu", "--lower", "0.1", "--upper", "0.3"], capsys)
    assert code == 0
    assert f"{2 / 1.04:.3f}" in out


def test_recommend_softmax_is_glorot_without_a_number(capsys):
    code, out, _ = run(["recommend", "softmax"], capsys)
    assert code == 0
    assert "Glorot" in out and "not elementwise" in out


def test_unknown_name_exits_2_and_lists_names(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["recommend", "relux"])
    assert exc.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "relux" in err and "leaky_relu" in err and "selu" in err


def test_parameter_the_activation_does_not_take_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["recommend", "relu", "--alpha", "0.2"])
    assert exc.value.code == 2
    assert "relu" in capsys.readouterr().err


def test_missing_command_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 2


def test_python_dash_m_runs():
    table = subprocess.run(
        [sys.executable, "-m", "initact", "table"], capture_output=True, text=True, check=False
    )
    assert table.returncode == 0, table.stderr
    assert "2.000" in table.stdout and "LeCun" in table.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "initact", "recommend", "nope"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr and "invalid choice" in bad.stderr


# --- names as get_activation reads them ---------------------------------------


@pytest.mark.parametrize("name", ["LeakyReLU", "leaky-relu", "Leaky ReLU", "LEAKY_RELU"])
def test_recommend_accepts_keras_and_pytorch_spellings(name, capsys):
    code, out, err = run(["recommend", name, "--alpha", "0.2"], capsys)
    assert code == 0 and err == ""
    expected, _ = run(["recommend", "leaky_relu", "--alpha", "0.2"], capsys)[1:]
    assert out == expected and "LeakyReLU(alpha=0.2)" in out


def test_recommend_softmax_and_silu_any_case(capsys):
    code, out, _ = run(["recommend", "SoftMax"], capsys)
    assert code == 0 and "Glorot" in out
    code, out, _ = run(["recommend", "SiLU"], capsys)
    assert code == 0 and "Swish(beta=1.0)" in out


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [("LeakyRelux", "leaky_relu"), ("softmx", "softmax"), ("reul", "relu"), ("SeLu2", "selu")],
)
def test_unknown_name_gets_a_suggestion(name, suggestion, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["recommend", name])
    assert exc.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "argument NAME" in err and repr(name) in err
    assert f"(did you mean {suggestion!r}?)" in err
    assert "leaky_relu" in err and "softmax" in err  # the accepted names are listed


def test_name_far_from_every_choice_gets_no_suggestion(capsys):
    with pytest.raises(SystemExit):
        main(["recommend", "xyzzy"])
    err = capsys.readouterr().err
    assert "'xyzzy'" in err and "did you mean" not in err and "leaky_relu" in err


# --- a reader that stops early --------------------------------------------------


def test_closed_pipe_exits_141_without_a_traceback():
    # The read end is closed before the child starts, so its first write meets
    # EPIPE every time: the same as `python -m initact table | head -0`.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "initact", "table"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert result.returncode == BROKEN_PIPE_EXIT == 141
    assert result.stderr == ""


@pytest.mark.skipif(shutil.which("head") is None or shutil.which("sh") is None, reason="no sh")
def test_pipe_into_head_is_quiet():
    command = f"{shlex.quote(sys.executable)} -m initact recommend relu | head -3"
    result = subprocess.run(
        ["sh", "-c", command], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0  # head's status
    assert result.stdout.splitlines()[0] == "Activation:        ReLU()"
    assert len(result.stdout.splitlines()) == 3
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


class _ClosedPipe:
    """A stdout whose reader has gone: every write and flush raises EPIPE."""

    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self):
        raise io.UnsupportedOperation("fileno")


def test_main_returns_141_when_stdout_is_a_closed_pipe(monkeypatch):
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(["recommend", "relu"]) == 141
    assert main(["table"]) == 141
