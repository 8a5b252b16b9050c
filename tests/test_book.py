"""The book's notebooks: every .ipynb is the executed twin of its MyST .md.

nbval (run by the README's test command after these tests) re-executes each
notebook and compares outputs; that only means something if the committed
notebook holds exactly the cells of its .md and every code cell was executed.
"""

import json
import re
from pathlib import Path

import jupytext
import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
NOTEBOOKS = sorted(BOOK.glob("[0-9][0-9]_*.ipynb"))
SOURCES = sorted(BOOK.glob("[0-9][0-9]_*.md"))


def cells_of_notebook(path: Path) -> list[tuple[str, str]]:
    nb = json.loads(path.read_text())
    return [(c["cell_type"], "".join(c["source"]).strip()) for c in nb["cells"]]


def cells_of_markdown(path: Path) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source.strip()) for c in jupytext.read(path).cells]


def compare(md: Path, nb: Path) -> list[str]:
    """Human-readable differences between the two cell lists (empty when in sync)."""
    a, b = cells_of_markdown(md), cells_of_notebook(nb)
    problems = []
    if len(a) != len(b):
        problems.append(f"{md.name} has {len(a)} cells, {nb.name} has {len(b)}")
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            problems.append(f"cell {i}: {x[0]} {x[1][:60]!r} != {y[0]} {y[1][:60]!r}")
    return problems


def test_the_book_has_chapters():
    assert SOURCES, "book/ has no NN_*.md chapters"


@pytest.mark.parametrize("md", SOURCES, ids=lambda p: p.name)
def test_every_chapter_source_has_its_executed_notebook(md):
    assert md.with_suffix(".ipynb").exists(), f"run .ci/execute-book {md.relative_to(BOOK.parent)}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_cells_match_their_markdown_source(nb):
    md = nb.with_suffix(".md")
    assert md.exists(), f"{nb.name} has no paired {md.name}"
    assert compare(md, nb) == []


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_every_code_cell_was_executed_in_order(nb):
    cells = json.loads(nb.read_text())["cells"]
    counts = [c.get("execution_count") for c in cells if c["cell_type"] == "code"]
    assert None not in counts, "code cells without execution_count are never compared by nbval"
    assert counts == list(range(1, len(counts) + 1)), "execute the notebook top to bottom once"


def test_the_sync_check_catches_a_changed_cell(tmp_path):
    # The check above must be able to fail: edit one cell of a copy and compare.
    if not NOTEBOOKS:
        pytest.fail("no notebooks to check")
    nb = NOTEBOOKS[0]
    md = tmp_path / nb.with_suffix(".md").name
    md.write_text(nb.with_suffix(".md").read_text().replace("import", "import  ", 1))
    copy = tmp_path / nb.name
    copy.write_text(nb.read_text())
    assert compare(md, copy) != []


def test_no_cell_hides_its_output_without_saying_why():
    for nb in NOTEBOOKS:
        for cell in json.loads(nb.read_text())["cells"]:
            source = "".join(cell["source"])
            if "NBVAL_IGNORE_OUTPUT" in source:
                lines = source.splitlines()
                i = next(k for k, line in enumerate(lines) if "NBVAL_IGNORE_OUTPUT" in line)
                reason = " ".join(lines[i : i + 2]).split("NBVAL_IGNORE_OUTPUT", 1)[1]
                assert len(reason.strip(" #:-")) > 10, f"{nb.name}: say why the output is ignored"


# --------------------------------------------------------------------------- exercises

EXERCISE = re.compile(r"^\*\*(\d+)\. [^*]+\*\*", re.M)
SOLUTION = re.compile(r"^:::\{dropdown\} Solution (\d+)$", re.M)


def _exercises_section(md: Path) -> str:
    text = md.read_text()
    start = text.find("\n## Exercises\n")
    assert start >= 0, f"{md.name} has no '## Exercises' section"
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


@pytest.mark.parametrize("md", SOURCES, ids=lambda p: p.name)
def test_every_chapter_ends_with_predict_then_run_exercises(md):
    section = _exercises_section(md)
    numbers = [int(n) for n in EXERCISE.findall(section)]
    assert 3 <= len(numbers) <= 6, f"{md.name}: {len(numbers)} exercises, the book has 3 to 6"
    assert numbers == list(range(1, len(numbers) + 1)), f"{md.name}: exercises {numbers}"
    # Each exercise: its solution cells hidden (hide-cell, so nbval runs and compares them),
    # then the answer in a closed dropdown.
    parts = EXERCISE.split(section)[1:]  # number, body, number, body, ...
    for number, body in zip(parts[::2], parts[1::2], strict=True):
        cells = [c for c in jupytext.reads(body, fmt="md:myst").cells if c.cell_type == "code"]
        assert cells, f"{md.name}: exercise {number} has no solution cell"
        for cell in cells:
            assert "hide-cell" in cell.metadata.get("tags", []), (
                f"{md.name}: exercise {number}'s solution cell must be tagged hide-cell"
            )
        assert SOLUTION.findall(body) == [number], (
            f"{md.name}: exercise {number} needs one ':::{{dropdown}} Solution {number}'"
        )
