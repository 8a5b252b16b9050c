"""tests/conftest.py's fixture, run on a two-test suite in a fresh pytest process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

SUITE = """
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def test_1_leaves_a_figure_open():
    plt.figure()
    assert plt.get_fignums() == [1]


def test_2_starts_with_no_figure_open():
    assert plt.get_fignums() == []
"""


def test_figures_are_closed_by_the_fixture(tmp_path):
    (tmp_path / "conftest.py").write_text((Path(__file__).parent / "conftest.py").read_text())
    (tmp_path / "test_suite.py").write_text(SUITE)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # none of the project's options
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},  # faster: no nbval etc.
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout
