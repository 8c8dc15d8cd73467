"""The staged output folder: safety checks, manifest, atomic swap, cleanup after a kill."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import sitegen.output
from sitegen.errors import SiteError
from sitegen.output import (
    MANIFEST,
    STAGING_PREFIX,
    StagedOutput,
    check_output_folder,
    lock_path,
)


def test_commit_writes_files_and_manifest(tmp_path: Path) -> None:
    output = tmp_path / "out"
    with StagedOutput(output) as staged:
        staged.write("en/index.html", b"<p>hi</p>")
        staged.write("css/site.css", b"body{}")
        assert not output.exists()
        staged.commit()
    assert (output / "en" / "index.html").read_bytes() == b"<p>hi</p>"
    manifest = json.loads((output / MANIFEST).read_text())
    assert sorted(manifest["files"]) == ["css/site.css", "en/index.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_commit_replaces_the_previous_output_whole(tmp_path: Path) -> None:
    output = tmp_path / "out"
    with StagedOutput(output) as staged:
        staged.write("old.html", b"old")
        staged.commit()
    with StagedOutput(output) as staged:
        staged.write("new.html", b"new")
        staged.commit()
    assert sorted(p.name for p in output.iterdir()) == [MANIFEST, "new.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_an_abandoned_build_changes_nothing(tmp_path: Path) -> None:
    output = tmp_path / "out"
    with StagedOutput(output) as staged:
        staged.write("keep.html", b"keep")
        staged.commit()
    with StagedOutput(output) as staged:
        staged.write("keep.html", b"changed")
    assert (output / "keep.html").read_bytes() == b"keep"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_one_staged_output_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitegen.output, "LOCK_WAIT_SECONDS", 0.2)
    output = tmp_path / "out"
    with StagedOutput(output):
        assert lock_path(output).read_text() == f"{os.getpid()}\n"
        with pytest.raises(SiteError, match=r"another sitegen build \(pid \d+\) is still"):
            StagedOutput(output)
    assert list(tmp_path.iterdir()) == []  # the lock file goes with the staging folder
    with StagedOutput(output) as staged:
        staged.write("index.html", b"free again")
        staged.commit()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_writes_cannot_escape_the_staging_folder(tmp_path: Path) -> None:
    with StagedOutput(tmp_path / "out") as staged, pytest.raises(ValueError):
        staged.write("../escaped.html", b"x")
    assert not (tmp_path / "escaped.html").exists()


def test_staging_of_a_dead_build_is_removed_but_a_live_one_is_kept(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    abandoned = tmp_path / f"{STAGING_PREFIX}out-{dead_pid}-abc"
    abandoned.mkdir()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        running = tmp_path / f"{STAGING_PREFIX}out-{live.pid}-def"
        running.mkdir()
        with StagedOutput(tmp_path / "out"):
            pass
        assert not abandoned.exists()
        assert running.exists()
    finally:
        live.kill()
        live.wait()


@pytest.mark.parametrize(
    ("relative", "words"),
    [
        (".", "is the site folder or contains it"),
        ("..", "is the site folder or contains it"),
        ("data/out", "inside data/"),
        ("themes", "inside themes/"),
    ],
)
def test_refuses_dangerous_output_folders(tmp_path: Path, relative: str, words: str) -> None:
    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(SiteError) as caught:
        check_output_folder(site / relative, site)
    assert words in caught.value.problems[0].message


def test_refuses_a_foreign_folder_or_a_file(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "x.txt").write_text("x")
    with pytest.raises(SiteError, match="sitegen did not create it"):
        check_output_folder(foreign, site)
    with pytest.raises(SiteError, match="it is a file"):
        check_output_folder(foreign / "x.txt", site)
    # an empty folder, a missing one and one with a manifest are fine
    (tmp_path / "empty").mkdir()
    check_output_folder(tmp_path / "empty", site)
    check_output_folder(tmp_path / "missing", site)
    (foreign / MANIFEST).write_text("{}")
    check_output_folder(foreign, site)
