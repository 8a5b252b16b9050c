"""Reading the book does not change it: `.ci/open-book` (the README's "open the book").

The script is run as the README runs it, but inside a copy of the repository's scripts,
chapters and jupytext.toml in tmp_path, so the test neither sees a reader's _reading/ nor
races anyone editing book/. JupyterLab is started by the script itself (127.0.0.1, a
random token, a free port, --no-browser; --allow-root is the script's own doing when run
as root), a chapter is saved through the contents REST API at the path a reader opens,
and book/ must be byte for byte what it was. The server is stopped by the test.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTE = "A reader's note: this cell exists only in the working copy."


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def repo(tmp_path) -> Path:
    """The parts of the repository the script uses: .ci/, book's chapters, jupytext.toml."""
    repo = tmp_path / "repo"
    (repo / "book").mkdir(parents=True)
    shutil.copytree(ROOT / ".ci", repo / ".ci")
    shutil.copy2(ROOT / "jupytext.toml", repo)
    for chapter in sorted((ROOT / "book").glob("[0-9][0-9]_*")):
        if chapter.suffix in (".ipynb", ".md"):
            shutil.copy2(chapter, repo / "book" / chapter.name)
    assert list((repo / "book").glob("*.ipynb")), "no chapters in book/"
    return repo


def _open_book(repo: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHON=sys.executable)
    return subprocess.run(
        ["bash", str(repo / ".ci" / "open-book"), *args],
        capture_output=True, text=True, env=env, check=False, **kwargs,
    )  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(port: int, method: str, path: str, token: str, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Authorization": f"token {token}", "Content-Type": "application/json"}
    connection.request(method, path, body=json.dumps(body) if body else None, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, (json.loads(data) if data else None)


@pytest.fixture
def server(repo, tmp_path):
    """`.ci/open-book` started as a reader would, but headless: (port, token, log)."""
    token, port = secrets.token_hex(24), _free_port()
    for name in ("config", "data", "runtime", "ipython", "settings", "workspaces"):
        (tmp_path / name).mkdir()
    env = dict(
        os.environ,
        PYTHON=sys.executable,
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_DATA_DIR=str(tmp_path / "data"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        IPYTHONDIR=str(tmp_path / "ipython"),
        JUPYTER_PLATFORM_DIRS="1",
    )
    env.pop("INITACT_READING_DIR", None)
    command = [
        "bash", str(repo / ".ci" / "open-book"), "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--LabServerApp.user_settings_dir={tmp_path / 'settings'}",
        f"--LabServerApp.workspaces_dir={tmp_path / 'workspaces'}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    log_path = tmp_path / "open-book.log"
    with log_path.open("w") as log:
        # Its own process group, so stopping it stops whatever the script started.
        process = subprocess.Popen(
            command, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while True:
                assert process.poll() is None, log_path.read_text()
                try:
                    if _request(port, "GET", "/api/status", token)[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "JupyterLab did not start in 30 s"
                time.sleep(0.2)
            yield port, token, log_path
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def test_saving_a_chapter_in_jupyterlab_changes_the_working_copy_not_book(repo, server):
    port, token, log = server
    book_before = _snapshot(repo / "book")
    reading = repo / "_reading"

    # The server's root is the working copy: a reader sees the chapters there.
    status, listing = _request(port, "GET", "/api/contents", token)
    assert status == 200
    chapters = sorted(n for n in book_before if n.endswith(".ipynb"))
    assert sorted(item["name"] for item in listing["content"]) == chapters
    assert "working copy of the book is " + str(reading) in log.read_text()
    # and book/ lies outside the server's root: it cannot be opened, let alone saved.
    for outside in ("/api/contents/..%2Fbook", "/api/contents/%2E%2E/book"):
        assert _request(port, "GET", outside, token)[0] in (400, 403, 404)

    # Open a chapter, add a cell, save: what JupyterLab's autosave does.
    name = chapters[0]
    path = "/api/contents/" + quote(name)
    status, model = _request(port, "GET", path + "?type=notebook&content=1", token)
    assert status == 200
    notebook = model["content"]
    notebook["cells"].append(
        {"cell_type": "markdown", "metadata": {}, "source": NOTE, "id": "readers-note"}
    )
    status, _ = _request(
        port, "PUT", path, token, {"type": "notebook", "format": "json", "content": notebook}
    )
    assert status == 200

    assert _snapshot(repo / "book") == book_before, "saving in JupyterLab changed book/"
    assert NOTE in (reading / name).read_text()
    assert NOTE not in (repo / "book" / name).read_text()


def test_the_working_copy_is_kept_and_a_deleted_chapter_comes_back_fresh(repo):
    first = _open_book(repo, "--copy-only")
    assert first.returncode == 0, first.stderr
    reading = repo / "_reading"
    chapters = sorted(p.name for p in (repo / "book").glob("*.ipynb"))
    assert sorted(p.name for p in reading.glob("*.ipynb")) == chapters
    assert all((reading / c).read_bytes() == (repo / "book" / c).read_bytes() for c in chapters)

    edited, deleted = reading / chapters[0], reading / chapters[-1]
    edited.write_text(edited.read_text().replace('"cells": [', '"cells": [ ', 1))
    edits = edited.read_bytes()
    deleted.unlink()
    stale_twin = deleted.with_suffix(".md")
    stale_twin.write_text("saved by jupytext from the copy the reader deleted")

    again = _open_book(repo, "--copy-only")
    assert again.returncode == 0, again.stderr
    assert edited.read_bytes() == edits, "the reader's copy was overwritten"
    assert "kept" in again.stdout
    assert deleted.read_bytes() == (repo / "book" / deleted.name).read_bytes()
    assert not stale_twin.exists(), "a stale .md twin would stop jupytext opening the copy"


def test_open_book_rejects_a_path_argument(repo):
    """A path would open that file, e.g. the committed chapter itself."""
    result = _open_book(repo, "book/" + next((repo / "book").glob("*.ipynb")).name)
    assert result.returncode == 2
    assert "takes JupyterLab options only" in result.stderr
    assert not (repo / "_reading").exists()


def test_open_book_says_what_is_missing_from_the_environment(repo, tmp_path):
    python = tmp_path / "bare" / "bin" / "python"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", python.parents[1]], check=True)
    env = dict(os.environ, PYTHON=str(python))
    result = subprocess.run(
        ["bash", str(repo / ".ci" / "open-book"), "--no-browser"],
        capture_output=True, text=True, env=env, check=False, timeout=30,
    )  # fmt: skip
    assert result.returncode == 1
    assert "cannot import: jupyterlab initact" in result.stderr
    assert 'pip install -e ".[dev]"' in result.stderr


def test_reading_folder_is_git_ignored():
    paths = ["_reading/02_x.ipynb", "_reading/02_x.md", "_reading/.ipynb_checkpoints/x"]
    result = subprocess.run(
        ["git", "check-ignore", *paths], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.stdout.split() == paths, "_reading/ is not in .gitignore"
