"""The README's examples run and print what it says; its commands match CI's."""

import doctest
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_examples_run_as_written():
    result = doctest.testfile(
        str(ROOT / "README.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted > 0
    assert result.failed == 0


def test_quick_start_is_two_commands_that_install_everything():
    text = (ROOT / "README.md").read_text()
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = [b.split("```", 1)[0].strip() for b in quick.split("```bash\n")[1:]]
    assert len(blocks) == 2
    open_book, run_tests = blocks
    for command in blocks:
        assert command.count("\n") == 0
        assert command.startswith('python3 -m venv .venv && .venv/bin/pip install -e ".[dev]"')
    # The book opens on a working copy (.ci/open-book), never on the committed book/.
    assert open_book.endswith("&& .ci/open-book")
    assert "jupyter lab" not in text, "JupyterLab opened on book/ would rewrite the references"
    assert run_tests.endswith("python -m pytest")
    # CI reads the test command from the block after this marker.
    assert "<!-- test-command -->\n```bash\n" + run_tests in text


def test_readme_scripts_exist_and_are_executable():
    text = (ROOT / "README.md").read_text()
    scripts = set(re.findall(r"\.ci/[a-z][a-z-]*", text))
    assert {".ci/open-book", ".ci/build-html", ".ci/execute-book", ".ci/run"} <= scripts
    for script in scripts:
        path = ROOT / script
        assert path.is_file(), f"the README names {script}, which does not exist"
        assert os.access(path, os.X_OK), f"{script} is not executable"
