"""Builds killed, run twice at once, or stopped by a full or read-only disk: the output is
always a whole site (the previous one or the new one), and the user reads one plain line."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest

import sitegen.output.lock
import sitegen.output.staged
from sitegen.commands.cli import main
from sitegen.output.lock import lock_path
from sitegen.output.manifest import MANIFEST
from sitegen.output.staged import STAGING_PREFIX
from tests.conftest import copy_example, run_sitegen, snapshot

NOW = "2026-11-05T10:00:00+01:00"
FRACTIONS = tuple(round(0.05 + 0.1 * step, 2) for step in range(10))
"""Kill moments, as fractions of an uninterrupted build's wall time."""
WATCHED = ("manifest", "swap", "staging")
"""Kill moments found by watching the build: its new site complete in the staging folder
(about to swap), the output just swapped (old site being removed), the staging folder
just made. "staging" comes last, so that an abandoned staging folder is certainly left."""


def _build(site: Path, output: Path) -> list[str]:
    """The arguments of `sitegen build` into `output`, at the tests' instant."""
    return ["build", str(site), "-o", str(output), "--now", NOW]


def _build_command(site: Path, output: Path) -> list[str]:
    return [sys.executable, "-m", "sitegen", *_build(site, output)]


def _staging_folders(parent: Path) -> list[Path]:
    return sorted(parent.glob(f"{STAGING_PREFIX}*"))


def _restore(saved: Path, output: Path) -> None:
    shutil.rmtree(output)
    shutil.copytree(saved, output)


def _change_content(site: Path) -> None:
    page = site / "content" / "join.en.md"
    page.write_text(page.read_text("utf-8") + "\nOne more line for the new build.\n", "utf-8")


def _moment_reached(
    moment: float | str, process: subprocess.Popen[bytes], output: Path, started: float
) -> Callable[[], bool]:
    """A test of whether the build has reached the moment to kill it at."""
    if isinstance(moment, float):
        return lambda: time.monotonic() >= started + moment
    if moment == "swap":
        before = output.stat().st_ino
        return lambda: output.stat().st_ino != before
    pattern = f"{STAGING_PREFIX}{output.name}-{process.pid}-*"

    def staging_made() -> bool:
        folders = list(output.parent.glob(pattern))
        return bool(folders) and (moment == "staging" or (folders[0] / MANIFEST).exists())

    return staging_made


def _kill_at(moment: float | str | None, site: Path, output: Path) -> float:
    """Run a build, SIGKILL it at `moment` (None: let it end); returns the seconds it ran.
    The uninterrupted run is watched the same way, so that its time is comparable."""
    started = time.monotonic()
    process = subprocess.Popen(
        _build_command(site, output), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    reached = _moment_reached(moment, process, output, started) if moment else lambda: False
    try:
        while process.poll() is None and not reached():
            if time.monotonic() > started + 120:
                pytest.fail(f"the build never reached {moment}")
            time.sleep(0.0005)
    finally:
        if moment is not None:
            process.send_signal(signal.SIGKILL)
        status = process.wait()
    assert status == 0 or (moment is not None and status == -signal.SIGKILL)
    return time.monotonic() - started


@pytest.mark.no_cover  # builds again and again: see conftest.py
def test_a_killed_build_leaves_the_previous_or_the_new_site_whole(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    output = site / "output"
    assert run_sitegen(*_build(site, output)).returncode == 0
    previous = snapshot(output)
    saved = shutil.copytree(output, tmp_path / "previous")
    _change_content(site)
    clean = run_sitegen(*_build(site, tmp_path / "new"))
    assert clean.returncode == 0, clean.stderr
    new = snapshot(tmp_path / "new")
    assert new != previous
    duration = _kill_at(None, site, output)  # the wall time of a whole build, swap included
    assert snapshot(output) == new

    left: dict[str, str] = {}
    moments: list[float | str] = [fraction * duration for fraction in FRACTIONS]
    for moment in [*moments, *WATCHED]:
        _restore(saved, output)
        _kill_at(moment, site, output)
        found = snapshot(output)
        assert found in (previous, new), f"a build killed at {moment} left a mixed folder"
        left[str(moment)] = "new" if found == new else "previous"
    assert left["swap"] == "new"  # the swap is one step: once made, the new site is whole

    assert _staging_folders(site)  # the killed builds' leftovers, for the next build to clear
    rebuilt = run_sitegen(*_build(site, output))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert snapshot(output) == new
    assert _staging_folders(site) == []
    assert not lock_path(output.resolve()).exists()


def _read_lines(stream: IO[str], into: list[str], seen: threading.Event) -> None:
    for line in stream:
        into.append(line)
        if line.startswith("waiting for another sitegen build"):
            seen.set()


@pytest.fixture
def held_lock(tmp_path: Path) -> Iterator[Callable[[Path], Callable[[], None]]]:
    """Hold an output's lock as a running build would; returns the function releasing it."""
    held: list[int] = []

    def hold(output: Path) -> Callable[[], None]:
        fd = os.open(lock_path(output.resolve()), os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, b"4242\n")
        held.append(fd)
        return lambda: os.close(held.pop())

    yield hold
    for fd in held:
        os.close(fd)


def test_two_builds_at_once_run_one_after_the_other(
    copy_site: Callable[[str], Path], held_lock: Callable[[Path], Callable[[], None]]
) -> None:
    site = copy_site("bilingual")
    reference, output = site.parent / "reference", site / "output"
    assert run_sitegen(*_build(site, reference)).returncode == 0
    # Both start while the output is busy, so both must wait: the test does not depend on
    # which of them the scheduler starts first, nor on how long a build takes.
    release = held_lock(output)
    builds = []
    for _ in range(2):
        process = subprocess.Popen(
            _build_command(site, output), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        lines: list[str] = []
        waiting = threading.Event()
        reader = threading.Thread(target=_read_lines, args=(process.stderr, lines, waiting))
        reader.start()
        builds.append((process, lines, waiting, reader))
    for _, _, waiting, _ in builds:
        assert waiting.wait(60)
    release()
    for process, lines, _, reader in builds:
        assert process.wait(120) == 0, "".join(lines)
        reader.join()
        waiting_lines = [line for line in lines if line.startswith("waiting")]
        assert waiting_lines == [f"waiting for another sitegen build into {output}/ (pid 4242) …\n"]
    assert snapshot(output) == snapshot(reference)
    assert _staging_folders(site) == []
    assert not lock_path(output.resolve()).exists()


def test_a_build_gives_up_after_the_wait_with_a_clear_message(
    copy_site: Callable[[str], Path],
    held_lock: Callable[[Path], Callable[[], None]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = copy_site("bilingual")
    output = site / "output"
    assert main(_build(site, output)) == 0
    before = snapshot(output)
    monkeypatch.setattr(sitegen.output.lock, "LOCK_WAIT_SECONDS", 0.3)
    held_lock(output)
    capsys.readouterr()
    assert main(_build(site, output)) == 1
    err = capsys.readouterr().err
    assert "another sitegen build (pid 4242) is still writing this folder" in err
    assert "after a wait of 0.3 s" in err
    assert "Traceback" not in err
    assert snapshot(output) == before
    assert _staging_folders(site) == []


def _assert_refused(output: Path, before: dict[str, bytes], err: str, cause: str) -> None:
    """After exit 1: one error line naming the output (as seen from the working folder)
    and the cause, no traceback, the previous site as it was, no staging folder left."""
    shown = output.resolve().relative_to(Path.cwd().resolve())
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {shown}: cannot write the site: {cause}"]
    assert "Traceback" not in err
    assert snapshot(output) == before
    assert _staging_folders(output.parent) == []
    assert not lock_path(output.resolve()).exists()


@pytest.mark.parametrize(
    ("code", "cause"),
    [
        (errno.ENOSPC, "no space left on the device"),
        (errno.EROFS, "the output folder is read-only"),
        (errno.EDQUOT, "the disk quota is used up"),
        (errno.EACCES, "permission denied"),
    ],
    ids=["ENOSPC", "EROFS", "EDQUOT", "EACCES"],
)
def test_a_refused_write_is_one_plain_error(
    code: int,
    cause: str,
    copy_site: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Injected where the build writes its files (the real file systems are below)."""
    site = copy_site("bilingual")
    output = site / "output"
    assert main(_build(site, output)) == 0
    before = snapshot(output)
    (site / "content" / "about.md").write_text("---\ntitle: About\n---\nNew.\n", "utf-8")
    written: list[Path] = []
    real_write = sitegen.output.staged._write_file

    def failing_write(path: Path, content: bytes) -> None:
        if len(written) == 3:
            raise OSError(code, os.strerror(code), str(path))
        written.append(path)
        real_write(path, content)

    monkeypatch.setattr(sitegen.output.staged, "_write_file", failing_write)
    monkeypatch.chdir(site.parent)
    capsys.readouterr()
    assert main(_build(Path(site.name), output)) == 1
    _assert_refused(output, before, capsys.readouterr().err, cause)
    assert len(written) == 3


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A real 16 MB tmpfs (mounting needs root and a sandbox that allows it: else skip)."""
    mounted = tmp_path / "disk"
    mounted.mkdir()
    mount = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mounted)],
        capture_output=True,
        text=True,
    )
    if mount.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mount.stderr.strip()}")
    try:
        yield mounted
    finally:
        if subprocess.run(["umount", str(mounted)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mounted)], capture_output=True)


def _built_on(tmpfs: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A first, good build into `tmpfs`/output, run from the tmpfs's parent folder; then
    a page changes, so that the next build has something to write."""
    output = tmpfs / "output"
    monkeypatch.chdir(tmpfs.parent)
    assert main(_build(site, output)) == 0
    (site / "content" / "about.md").write_text("---\ntitle: About\n---\nNew.\n", "utf-8")
    return output


def test_a_full_disk_is_one_plain_error(
    tmpfs: Path,
    copy_site: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = copy_site("bilingual")
    output = _built_on(tmpfs, site, monkeypatch)
    before = snapshot(output)
    with (tmpfs / "filler").open("wb", buffering=0) as filler, pytest.raises(OSError) as full:
        while True:  # fill the disk to its last byte
            filler.write(b"\0" * 65536)
    assert full.value.errno == errno.ENOSPC
    capsys.readouterr()
    assert main(_build(site, output)) == 1
    err = capsys.readouterr().err
    (tmpfs / "filler").unlink()
    _assert_refused(output, before, err, "no space left on the device")


def test_a_read_only_disk_is_one_plain_error(
    tmpfs: Path,
    copy_site: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = copy_site("bilingual")
    output = _built_on(tmpfs, site, monkeypatch)
    before = snapshot(output)
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    try:
        capsys.readouterr()
        assert main(_build(site, output)) == 1
        err = capsys.readouterr().err
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(tmpfs)], check=True)
    _assert_refused(output, before, err, "the output folder is read-only")
