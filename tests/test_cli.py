"""Tests for the command line: ``python -m initact table | recommend NAME``."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from initact.__main__ import main


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
