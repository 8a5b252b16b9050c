"""environment.yml (conda, Binder) installs what the README installs, and the .ci scripts
run in the environment the reader is in.

Conda cannot be reached from here, so environment.yml is made correct by construction:
conda installs only Python, pip and Node.js, under names checked on conda-forge, and pip
installs the project with the README's extras from PyPI. What can be checked here is
checked: the file parses as YAML, its conda part names only packages in the allowlist
below, its pip part is the README's install, and the Python floor is pyproject's.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]

# Conda packages environment.yml may name: each checked by hand to exist on conda-forge
# under exactly this name (https://anaconda.org/conda-forge/<name>). Anything else belongs
# in pyproject.toml, which pip installs. Names differ between the two worlds (PyPI's
# "playwright" is conda-forge's "playwright-python"), which is why nothing else is here.
CONDA_FORGE = {
    "python": "the interpreter",
    "pip": "installs the project and its extras from PyPI",
    "nodejs": "npm, which .ci/build-html needs for the bundled MathJax",
}


def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def conda_specs(env: dict) -> dict[str, str]:
    """{'python': '>=3.10', ...}: name -> version constraint, for the conda packages."""
    specs = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str):
            m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*)", dep.strip())
            assert m, f"not a conda package spec: {dep!r}"
            specs[m.group(1).lower()] = m.group(2)
    return specs


def pip_requirements(env: dict) -> list[str]:
    sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    assert len(sections) == 1, "environment.yml needs exactly one pip: section"
    return sections[0]


def readme_extras() -> list[str]:
    """The extras the README's Quick start installs: ".[dev]" -> ["dev"]."""
    text = (ROOT / "README.md").read_text()
    installs = re.findall(r'pip install -e "\.\[([\w,-]+)\]"', text.split("## Quick start")[1])
    assert installs, 'no pip install -e ".[...]" in the README\'s Quick start'
    assert len(set(installs)) == 1, f"the README installs different extras: {installs}"
    return installs[0].split(",")


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_environment_yml_is_yaml_with_the_keys_conda_reads():
    env = environment()
    assert set(env) == {"name", "channels", "dependencies"}
    assert env["channels"] == ["conda-forge"]
    assert all(isinstance(d, str) or set(d) == {"pip"} for d in env["dependencies"])


def test_conda_installs_only_packages_conda_forge_has_under_that_name():
    names = set(conda_specs(environment()))
    unknown = names - set(CONDA_FORGE)
    assert not unknown, (
        f"{sorted(unknown)}: not in the conda-forge allowlist of tests/test_environment.py. "
        "Let pip install it through pyproject.toml, or check its conda-forge name and add it."
    )
    assert names >= {"python", "pip"}
    assert "nodejs" in names, ".ci/build-html needs npm: environment.yml must install nodejs"


def test_pip_installs_the_project_with_the_readmes_extras():
    extras = readme_extras()
    assert pip_requirements(environment()) == [f"-e .[{','.join(extras)}]"]
    # pip only warns about an extra it does not know: make sure each one exists.
    defined = set(pyproject()["project"]["optional-dependencies"])
    assert set(extras) <= defined


def test_python_floor_agrees_with_pyproject():
    requires = pyproject()["project"]["requires-python"]
    floor = re.fullmatch(r">=\s*(\d+\.\d+)", requires)
    assert floor, f"requires-python {requires!r}: expected '>=X.Y'"
    assert conda_specs(environment())["python"] == f">={floor.group(1)}"


def test_readme_activates_the_environment_by_its_name():
    name = environment()["name"]
    readme = (ROOT / "README.md").read_text()
    assert f"conda env create -f environment.yml && conda activate {name}" in readme


# --------------------------------------------------------------------------- .ci/python.sh


def _which_python(cwd: Path, env: dict, *modules: str) -> subprocess.CompletedProcess:
    script = f'source "{ROOT / ".ci" / "python.sh"}"; require_python test {" ".join(modules)}; '
    script += 'echo "$py"'
    return subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_ci_scripts_use_python_from_PYTHON_then_venv_then_path(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(sys.executable)  # "the environment the reader is in"
    env = {k: v for k, v in os.environ.items() if k != "PYTHON"}
    env["PATH"] = f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin"

    on_path = _which_python(tmp_path, env, "json")
    assert on_path.returncode == 0, on_path.stderr
    assert on_path.stdout.strip() == str(bin_dir / "python3")

    venv_python = tmp_path / ".venv" / "bin" / "python"
    venv_python.parent.mkdir(parents=True)
    venv_python.symlink_to(sys.executable)
    assert _which_python(tmp_path, env, "json").stdout.strip() == ".venv/bin/python"

    chosen = _which_python(tmp_path, {**env, "PYTHON": sys.executable}, "json")
    assert chosen.stdout.strip() == sys.executable


def test_ci_scripts_say_which_module_is_missing(tmp_path):
    env = {**os.environ, "PYTHON": sys.executable}
    result = _which_python(tmp_path, env, "json", "no_such_module_here")
    assert result.returncode == 1
    assert "cannot import: no_such_module_here" in result.stderr
    assert 'pip install -e ".[dev]"' in result.stderr
    assert "conda env create -f environment.yml" in result.stderr


def test_the_readers_scripts_do_not_hard_code_the_venv():
    # .ci/run is CI's own: it builds .venv with the README's command, then uses it.
    for name in ("build-html", "execute-book", "open-book"):
        script = ROOT / ".ci" / name
        lines = script.read_text().splitlines()
        assert any(line.strip().startswith("require_python ") for line in lines), name
        code = [re.sub(r"(^|\s)#.*", "", line) for line in lines]  # comments dropped
        hard_coded = [line for line in code if ".venv/bin/python" in line]
        assert not hard_coded, f".ci/{script.name} runs .venv/bin/python: {hard_coded}"
