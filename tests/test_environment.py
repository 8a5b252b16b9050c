"""environment.yml (conda/Binder) names the same packages as pyproject.toml."""

import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    """'scikit-learn>=1.3; python_version < "3.11"' -> 'scikit-learn'."""
    return re.split(r"[<>=!~;\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def pyproject_packages() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += [r for r in extra if not r.startswith(project["name"])]
    # Backports that conda's Python never needs.
    return {_name(r) for r in requirements if "python_version <" not in r}


def environment_packages() -> tuple[set[str], list[str]]:
    conda, pip = set(), []
    in_dependencies = in_pip = False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        stripped = line.split("#", 1)[0].rstrip()
        if re.fullmatch(r"\w+:.*", stripped):  # a top-level key
            in_dependencies = stripped == "dependencies:"
        elif not in_dependencies:
            continue
        elif re.fullmatch(r"\s+- pip:", stripped):
            in_pip = True
        elif m := re.fullmatch(r"(\s+)- (.+)", stripped):
            if in_pip and len(m.group(1)) > 2:
                pip.append(m.group(2))
            else:
                in_pip = False
                conda.add(_name(m.group(2)))
    return conda - {"python", "pip"}, pip


def test_environment_yml_names_the_same_packages_as_pyproject():
    conda, _ = environment_packages()
    assert conda == pyproject_packages()


def test_environment_yml_installs_the_project_with_pip():
    _, pip = environment_packages()
    assert pip == ["-e ."]


def test_python_floor_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.10"
    assert "  - python>=3.10" in (ROOT / "environment.yml").read_text().splitlines()
