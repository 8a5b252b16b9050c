"""`pip install .` (not editable) gives a working package.

The wheel is built from a copy of the project (so the build's build/ and egg-info stay out
of the working tree), installed into a fresh virtual environment that holds nothing but the
wheel and NumPy, and used from there: every module imports, the CLI runs as
`python -m initact` and as the `initact` console script. NumPy is the package's only
runtime dependency (README), so the environment deliberately lacks matplotlib, ipywidgets,
scikit-learn and tqdm: importing `initact.plotting` or `initact.widgets` must not need them
(they are imported when a figure is drawn or an explorer is shown).

Needs pip to reach PyPI or its cache (setuptools for the isolated build, NumPy for the
venv); about 15 s with a warm cache.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "initact"

# What the wheel's venv must NOT have: the book's libraries, which the package imports
# only when they are used.
BOOK_ONLY = ("matplotlib", "ipywidgets", "sklearn", "tqdm", "IPython")


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False, **kwargs)
    assert result.returncode == 0, (
        f"{' '.join(map(str, command))} exited with {result.returncode}:\n"
        f"{result.stdout}\n{result.stderr}"
    )
    return result


def _source_modules(package_dir: Path) -> set[str]:
    """Every .py file under the package, as a path inside the wheel ('initact/x/y.py')."""
    return {
        p.relative_to(package_dir.parent).as_posix()
        for p in package_dir.rglob("*.py")
        if "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, set[str]]:
    """(the wheel, the .py files of the source it was built from)."""
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(
        ROOT / PACKAGE, src / PACKAGE, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)])
    wheels = list(out.glob(f"{PACKAGE}-*.whl"))
    assert len(wheels) == 1, f"expected one wheel in {out}, found {wheels}"
    return wheels[0], _source_modules(src / PACKAGE)


@pytest.fixture(scope="module")
def venv(built, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed, and NumPy (the version this suite runs on)."""
    wheel, _ = built
    root = tmp_path_factory.mktemp("venv") / "venv"
    python = root / "bin" / "python"
    # This environment's pip installs into the new venv (pip >= 22.3 has --python): no
    # ensurepip, which would take longer than the rest of the test. An older pip gets a
    # venv with its own pip instead. NumPy is pinned to the running version, so pip reuses
    # its cached wheel and the CLI's output can be compared with this environment's.
    pip_version = tuple(int(p) for p in re.findall(r"\d+", version("pip"))[:2])
    if pip_version >= (22, 3):
        _run([sys.executable, "-m", "venv", "--without-pip", str(root)])
        pip = [sys.executable, "-m", "pip", "--python", str(python)]
    else:  # pragma: no cover - Python 3.10's first releases bundle pip 21
        _run([sys.executable, "-m", "venv", str(root)])
        pip = [str(python), "-m", "pip"]
    _run([*pip, "install", "-q", str(wheel), f"numpy=={np.__version__}"])
    return root


def test_wheel_holds_every_module_and_nothing_else(built):
    wheel, source = built
    names = zipfile.ZipFile(wheel).namelist()
    assert "initact/plotting/__init__.py" in names
    assert {n for n in names if n.endswith(".py")} == source
    top_level = {n.split("/", 1)[0] for n in names}
    assert {t for t in top_level if not t.endswith(".dist-info")} == {PACKAGE}, (
        "the wheel installs top-level packages other than initact"
    )


IMPORT_EVERYTHING = f"""
import importlib, importlib.util, json, pkgutil, initact
found = pkgutil.walk_packages(initact.__path__, "initact.")
modules = sorted(m.name for m in found if m.name != "initact.__main__")
for name in modules:
    importlib.import_module(name)
print(json.dumps({{
    "file": initact.__file__,
    "modules": modules,
    "book_only_present": [m for m in {BOOK_ONLY!r} if importlib.util.find_spec(m)],
}}))
"""


def test_every_module_imports_from_the_installed_wheel(venv, built, tmp_path):
    _, source = built
    python = venv / "bin" / "python"
    # Run from an empty directory, so the repository's initact/ is not on sys.path.
    report = json.loads(_run([str(python), "-c", IMPORT_EVERYTHING], cwd=tmp_path).stdout)
    site = (venv / "lib").resolve()
    assert Path(report["file"]).resolve().is_relative_to(site), report["file"]
    assert report["book_only_present"] == [], "the venv was meant to hold only numpy"
    expected = {
        p.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        for p in source
        if p != "initact/__init__.py" and p != "initact/__main__.py"
    }
    assert set(report["modules"]) == expected
    assert {"initact.plotting", "initact.widgets"} <= expected


def test_cli_runs_from_the_installed_wheel(venv, tmp_path):
    as_module = _run([str(venv / "bin" / "python"), "-m", PACKAGE, "table"], cwd=tmp_path)
    as_script = _run([str(venv / "bin" / "initact"), "table"], cwd=tmp_path)
    assert as_module.stdout.startswith("Table 11-1.")
    assert as_script.stdout == as_module.stdout
    # The same table as the source tree prints.
    here = _run([sys.executable, "-m", PACKAGE, "table"], cwd=ROOT)
    assert as_module.stdout == here.stdout
    recommend = _run([str(venv / "bin" / "initact"), "recommend", "selu"], cwd=tmp_path)
    assert "LeCun" in recommend.stdout
