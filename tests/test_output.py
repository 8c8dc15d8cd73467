"""The staged output folder: safety checks, manifest, atomic swap, cleanup after a kill."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import sitegen.output.journal
import sitegen.output.lock
from sitegen import __version__
from sitegen.base.errors import SiteError
from sitegen.output.inplace import InPlaceOutput, UpdateFinished
from sitegen.output.journal import finish_interrupted_update, journal_path
from sitegen.output.lock import lock_path, unlock_output
from sitegen.output.manifest import (
    MANIFEST,
    check_output_folder,
    manifest_files,
    write_manifest,
)
from sitegen.output.staged import STAGING_PREFIX, StagedOutput


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
    monkeypatch.setattr(sitegen.output.lock, "LOCK_WAIT_SECONDS", 0.2)
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


def test_each_refusal_says_what_to_do(tmp_path: Path) -> None:
    """The whole problem of each refusal: no place, the message and the hint (issue 22)."""
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "x.txt").write_text("x")
    cases = [
        (
            site,
            f"refusing to build into {site}: it is the site folder or contains it",
            "choose an output folder inside or beside the site, such as 'output'",
        ),
        (
            site / "content" / "out",
            f"refusing to build into {site / 'content' / 'out'}: it is inside content/",
            None,
        ),
        (foreign / "x.txt", f"refusing to build into {foreign / 'x.txt'}: it is a file", None),
        (
            foreign,
            f"refusing to replace {foreign}: it is not empty and sitegen did not create it",
            "empty it, or choose another folder with --output",
        ),
    ]
    for output, message, hint in cases:
        with pytest.raises(SiteError) as caught:
            check_output_folder(output, site)
        assert [(p.path, p.line, p.message, p.hint) for p in caught.value.problems] == [
            (None, None, message, hint)
        ]


def test_the_manifest_names_its_generator_and_lists_files_in_order(tmp_path: Path) -> None:
    write_manifest(tmp_path, {"b.html": "2", "a.css": "1"})
    written = json.loads((tmp_path / MANIFEST).read_text("utf-8"))
    assert written == {
        "generator": f"sitegen {__version__}",
        "files": {"a.css": "1", "b.html": "2"},
    }
    assert list(written["files"]) == ["a.css", "b.html"]
    assert manifest_files(tmp_path) == {"a.css": "1", "b.html": "2"}
    (tmp_path / MANIFEST).write_text(json.dumps({"files": ["a.css"]}))
    assert manifest_files(tmp_path) == {}  # not a mapping: no files known


# ---------------------------------------------------------------- updates in place


def _first_site(output: Path) -> None:
    with StagedOutput(output) as staged:
        for name in ("a", "b", "c", "d"):
            staged.write(f"{name}/index.html", f"old {name}".encode())
        staged.commit()


def _update(update: InPlaceOutput) -> None:
    """b and c change, d goes, e comes, a is written again with its own bytes."""
    update.write("a/index.html", b"old a")
    update.write("b/index.html", b"new b")
    update.write("c/index.html", b"new c")
    update.write("e/index.html", b"new e")


NEW_SITE = {
    "a/index.html": b"old a",
    "b/index.html": b"new b",
    "c/index.html": b"new c",
    "e/index.html": b"new e",
}


def _files(output: Path) -> dict[str, bytes]:
    return {
        path.relative_to(output).as_posix(): path.read_bytes()
        for path in sorted(output.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


def test_an_update_in_place_touches_only_what_changed(tmp_path: Path) -> None:
    output = tmp_path / "out"
    _first_site(output)
    folder, kept = output.stat().st_ino, (output / "a" / "index.html").stat()
    with InPlaceOutput(output) as update:
        _update(update)
        changed = update.commit()
    assert _files(output) == NEW_SITE
    assert sorted(changed) == ["b/index.html", "c/index.html", "d/index.html", "e/index.html"]
    assert output.stat().st_ino == folder  # not a new folder
    now = (output / "a" / "index.html").stat()
    assert (now.st_ino, now.st_mtime_ns) == (kept.st_ino, kept.st_mtime_ns)
    assert not (output / "d").exists()
    manifest = json.loads((output / MANIFEST).read_text())["files"]
    assert sorted(manifest) == sorted(NEW_SITE)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_failed_update_in_place_changes_nothing(tmp_path: Path) -> None:
    output = tmp_path / "out"
    _first_site(output)
    with InPlaceOutput(output) as update:
        _update(update)  # no commit: the build failed
    assert _files(output) == {f"{name}/index.html": f"old {name}".encode() for name in "abcd"}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def _killed_after_one_move(monkeypatch: pytest.MonkeyPatch) -> None:
    """The update's moves stop after the first, as when the build is killed (SIGKILL:
    nothing runs after, not even the clean-up)."""
    real_replace = os.replace
    moves: list[str] = []

    def replace(source: str | Path, target: str | Path) -> None:
        if STAGING_PREFIX in str(source):
            if moves:
                raise SystemExit("killed")
            moves.append(str(source))
        real_replace(source, target)

    monkeypatch.setattr(sitegen.output.journal.os, "replace", replace)
    monkeypatch.setattr(InPlaceOutput, "discard", lambda self: None)


def _update_killed_while_moving(output: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`output` as an update killed after its first move leaves it (journal included)."""
    _first_site(output)
    with monkeypatch.context() as patched:
        _killed_after_one_move(patched)
        update = InPlaceOutput(output)
        _update(update)
        with pytest.raises(SystemExit):
            update.commit()
        unlock_output(update._lock, update.output)  # the process died


def test_an_update_killed_while_moving_is_finished_by_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "out"
    _update_killed_while_moving(output, monkeypatch)
    assert journal_path(output.resolve()).exists()
    half = _files(output)
    assert half["b/index.html"] == b"new b" and half["c/index.html"] == b"old c"
    with StagedOutput(output) as staged:  # the next build, whatever it is, finishes first
        assert _files(output) == NEW_SITE
        staged.write("x.html", b"x")
    assert not journal_path(output.resolve()).exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_an_update_stopped_by_an_exception_is_finished_on_the_spot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "out"
    _first_site(output)
    real_replace = os.replace
    calls: list[str] = []

    def interrupted_once(source: str | Path, target: str | Path) -> None:
        if STAGING_PREFIX in str(source) and len(calls) == 1:
            calls.append("interrupted")
            raise KeyboardInterrupt
        calls.append(str(source))
        real_replace(source, target)

    with pytest.raises(UpdateFinished), InPlaceOutput(output) as update:
        _update(update)
        monkeypatch.setattr(sitegen.output.journal.os, "replace", interrupted_once)
        update.commit()
    assert "interrupted" in calls
    assert _files(output) == NEW_SITE
    assert not journal_path(output.resolve()).exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_finishing_an_update_twice_is_harmless(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "out"
    _update_killed_while_moving(output, monkeypatch)
    journal = journal_path(output.resolve()).read_bytes()
    finish_interrupted_update(output.resolve())
    journal_path(output.resolve()).write_bytes(journal)  # as if killed before removing it
    finish_interrupted_update(output.resolve())
    assert _files(output) == NEW_SITE


def test_ctrl_c_before_the_moves_leaves_the_previous_site(tmp_path: Path) -> None:
    output = tmp_path / "out"
    _first_site(output)
    before = _files(output)
    with pytest.raises(KeyboardInterrupt) as caught, InPlaceOutput(output) as update:
        _update(update)
        raise KeyboardInterrupt
    assert not isinstance(caught.value, UpdateFinished)
    assert _files(output) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
