"""Writing the built site: into a fresh folder beside the target, then swapped in.

An interrupted or failed build leaves the previous output exactly as it was.
The output folder holds a manifest (`.sitegen-manifest.json`); sitegen refuses
to write over a non-empty folder without one, since it did not create it.
One build at a time writes an output folder: the others wait for its lock.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any, cast

from sitegen import __version__
from sitegen.base.atomicfiles import replace_file
from sitegen.base.errors import Problem, SiteError
from sitegen.base.layout import (
    INPUT_FOLDERS,
)

MANIFEST = ".sitegen-manifest.json"
STAGING_PREFIX = ".sitegen-staging-"
LOCK_SUFFIX = ".sitegen-lock"
LOCK_WAIT_SECONDS = 600.0
"""How long a build waits for another build into the same output before giving up."""
"""The folders of a site that hold its sources: never written into or replaced."""


def check_output_folder(output: Path, site_root: Path) -> None:
    """Refuse an output folder whose replacement would destroy something."""
    target = output.resolve()
    site = site_root.resolve()
    if target == site or target in site.parents:
        raise SiteError(
            [
                Problem(
                    None,
                    None,
                    f"refusing to build into {output}: it is the site folder or contains it",
                    hint="choose an output folder inside or beside the site, such as 'output'",
                )
            ]
        )
    for name in INPUT_FOLDERS:
        folder = site / name
        if target == folder or folder in target.parents:
            raise SiteError(
                [Problem(None, None, f"refusing to build into {output}: it is inside {name}/")]
            )
    if target.exists() and not target.is_dir():
        raise SiteError([Problem(None, None, f"refusing to build into {output}: it is a file")])
    if target.is_dir() and not (target / MANIFEST).is_file() and any(target.iterdir()):
        raise SiteError(
            [
                Problem(
                    None,
                    None,
                    f"refusing to replace {output}: it is not empty and sitegen did not create it",
                    hint="empty it, or choose another folder with --output",
                )
            ]
        )


class StagedOutput:
    """A fresh folder that becomes the output only when `commit` is called.

    It holds the output's lock from creation to `discard`, so two builds into one
    folder run one after the other. A file system that refuses a write (full,
    read-only) is a SiteError naming the output folder."""

    def __init__(self, output: Path, locked: bool = False) -> None:
        """`locked`: the caller holds the output's lock (`held_lock`) already."""
        self.output = output.resolve()
        self._lock: int | None = None
        if not locked:
            with _writing(self.output):
                self.output.parent.mkdir(parents=True, exist_ok=True)
                self._lock = lock_output(self.output, shown=output)
        try:
            with _writing(self.output):
                finish_interrupted_update(self.output)
                _remove_abandoned_staging(self.output)
                prefix = f"{_staging_prefix(self.output)}{os.getpid()}-"
                self.folder = Path(tempfile.mkdtemp(prefix=prefix, dir=self.output.parent))
        except BaseException:
            self._unlock()
            raise
        self._files: dict[str, str] = {}
        self._staged: set[str] = set()
        """The files put in the staging folder."""
        self._folders: set[Path] = set()
        """Folders made in the staging folder (by this process)."""

    def __enter__(self) -> StagedOutput:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.discard()

    @property
    def files_written(self) -> int:
        return len(self._files)

    def write(self, relative: PurePosixPath | str, content: bytes) -> None:
        self.record(relative, self.store(relative, content))

    def store(self, relative: PurePosixPath | str, content: bytes) -> object:
        """Put the file in the staging folder; returns what `record` needs to count it.
        Safe in a process forked from the build's, so that pages can be written by the
        processes rendering them (`record` is then called in the build's own)."""
        with _writing(self.output):
            _write_file(self._claim(relative), content)
        return _digest(content), True

    def record(self, relative: PurePosixPath | str, stored: object) -> None:
        digest, staged = cast(tuple[str, bool], stored)
        self._files[str(relative)] = digest
        if staged:
            self._staged.add(str(relative))

    def copy(self, relative: PurePosixPath | str, source: Path) -> None:
        try:
            content = source.read_bytes()
        except OSError as exc:
            raise SiteError(
                [Problem(source, None, f"cannot read the file: {exc.strerror}")]
            ) from None
        self.write(relative, content)

    def keep(self, relative: PurePosixPath | str) -> None:
        """The file is as the output holds it now: link it (or copy it) across."""
        with _writing(self.output):
            path = self._claim(relative)
            current = self.output / relative
            try:
                os.link(current, path)
            except OSError:
                shutil.copyfile(current, path)
            self._files[str(relative)] = _digest(current.read_bytes())

    def has(self, relative: PurePosixPath | str) -> bool:
        return str(relative) in self._files

    def _claim(self, relative: PurePosixPath | str) -> Path:
        """The staging path of a file, its folder made. The staging folder is ours and
        holds no links, so checking the path's text is enough (resolving it would cost
        a few system calls per file of a site of tens of thousands)."""
        parts = PurePosixPath(relative).parts
        if not parts or parts[0] == "/" or ".." in parts:
            raise ValueError(f"refusing to write outside the output folder: {relative}")
        path = self.folder.joinpath(*parts)
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        return path

    def commit(self) -> tuple[str, ...]:
        """Write the manifest and swap the new site in, atomically where the OS allows.
        Returns every file of the site (all of them are new to whoever served the old)."""
        with _writing(self.output):
            _write_manifest(self.folder, self._files)
            os.chmod(self.folder, 0o755)
            swap_in(self.folder, self.output)
        return tuple(self._files)

    def discard(self) -> None:
        if self.folder.exists():
            shutil.rmtree(self.folder, ignore_errors=True)
        self._unlock()

    def _unlock(self) -> None:
        if self._lock is not None:
            unlock_output(self._lock, self.output)
            self._lock = None


class InPlaceOutput(StagedOutput):
    """The output folder brought up to date file by file: for a build of a large site
    after a small change, where making a whole new folder (a link per file, then the
    old folder removed) would cost more than the build. The build cache must have
    checked that the folder is as the last build left it.

    New and changed files are written to the staging folder; files with the bytes the
    output already has are not touched. `commit` lists the moves and removals in a
    journal beside the output, then makes them, each file replaced in one step. A build
    killed while moving leaves the journal; the next build into the folder finishes the
    moves before anything else. Until then each file is whole, some old, some new.
    A failed build changes nothing, as with StagedOutput."""

    def __init__(self, output: Path, locked: bool = False) -> None:
        super().__init__(output, locked)
        self._previous = manifest_files(self.output)
        """The digest of each file of the output as it is."""

    @property
    def files_written(self) -> int:
        """Only new and changed files are written."""
        return len(self._staged)

    def store(self, relative: PurePosixPath | str, content: bytes) -> object:
        digest = _digest(content)
        if self._previous.get(str(relative)) == digest:
            return digest, False
        with _writing(self.output):
            _write_file(self._claim(relative), content)
        return digest, True

    def keep(self, relative: PurePosixPath | str) -> None:
        known = self._previous.get(str(relative))
        if known is None:
            with _writing(self.output):
                known = _digest((self.output / relative).read_bytes())
        self._files[str(relative)] = known

    def commit(self) -> tuple[str, ...]:
        """Move the new files in and remove those gone; returns the paths changed."""
        removed = sorted(set(self._previous) - set(self._files))
        journal = {
            "staging": str(self.folder),
            "moves": sorted(self._staged),
            "removals": removed,
            "files": dict(sorted(self._files.items())),
        }
        with _writing(self.output):
            _replace(self.output.parent, journal_path(self.output).name, _json_bytes(journal))
            _apply(self.output, journal)
        return (*journal["moves"], *removed)

    def __exit__(self, *exc_info: object) -> None:
        """Ctrl-C while the files were moved in ends as UpdateFinished once `discard`
        has finished the moves: the output is the new site, not the previous one."""
        error = exc_info[1]
        moving = journal_path(self.output).exists()
        self.discard()
        finished = moving and not journal_path(self.output).exists()
        if finished and isinstance(error, KeyboardInterrupt):
            raise UpdateFinished from error

    def discard(self) -> None:
        """Once the journal is written the update is decided: an apply stopped by an
        exception (Ctrl-C) is finished here, or by the next build if even that fails;
        the staging folder it moves from is kept until then."""
        if journal_path(self.output).exists():
            with contextlib.suppress(OSError):
                finish_interrupted_update(self.output)
        if journal_path(self.output).exists():
            self._unlock()
        else:
            super().discard()


class UpdateFinished(KeyboardInterrupt):
    """Ctrl-C came while an in-place update moved the new files in; the moves were
    finished: the output holds the new site."""


JOURNAL_SUFFIX = ".sitegen-journal"


def journal_path(output: Path) -> Path:
    """Beside the output, like the lock."""
    return output.parent / f".{output.name}{JOURNAL_SUFFIX}"


def finish_interrupted_update(output: Path) -> None:
    """Make the moves of an InPlaceOutput commit that was killed half-way, if any."""
    path = journal_path(output)
    try:
        journal = json.loads(path.read_bytes())
    except FileNotFoundError:
        return
    except ValueError:  # cannot be: the journal is written whole, then renamed
        path.unlink()
        return
    _apply(output, journal)


def _apply(output: Path, journal: dict[str, Any]) -> None:
    """Make a journal's moves and removals and write its manifest; each step can be
    made again, so an interrupted apply is finished by applying the journal again."""
    staging = Path(journal["staging"])
    for relative in journal["moves"]:
        source = staging / relative
        if source.exists():  # else moved before the interruption
            target = output / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    for relative in journal["removals"]:
        _remove(output, relative)
    _replace(output, MANIFEST, _manifest_bytes(journal["files"]))
    journal_path(output).unlink()
    shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def held_lock(output: Path) -> Iterator[None]:
    """Hold the output's lock for a block (a cached build checks and writes under it),
    first finishing an update a killed build left half-made."""
    resolved = output.resolve()
    with _writing(resolved):
        resolved.parent.mkdir(parents=True, exist_ok=True)
        fd = lock_output(resolved, shown=output)
    try:
        with _writing(resolved):
            finish_interrupted_update(resolved)
        yield
    finally:
        unlock_output(fd, resolved)


def lock_path(output: Path) -> Path:
    """Beside the output, not in it: the output folder itself is swapped away."""
    return output.parent / f".{output.name}{LOCK_SUFFIX}"


def lock_output(output: Path, shown: Path | None = None) -> int:
    """Take the output's lock, waiting up to LOCK_WAIT_SECONDS for another build to end;
    returns the descriptor holding it. The OS releases an flock when its process dies,
    so a killed build never leaves the output locked. Raises SiteError after the wait."""
    path = lock_path(output)
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    waiting = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            if _try_lock(fd):
                if _is_current(fd, path):  # else its holder removed it: open the next one
                    with contextlib.suppress(OSError):  # only for messages; a full disk
                        os.ftruncate(fd, 0)  # is reported by the first file written
                        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
                    return fd
            elif time.monotonic() >= deadline:
                raise SiteError(
                    [
                        Problem(
                            output,
                            None,
                            f"another sitegen build{_lock_holder(fd)} is still writing this "
                            f"folder after a wait of {LOCK_WAIT_SECONDS:g} s",
                            hint="let it end (or stop it), then build again",
                        )
                    ]
                )
            elif not waiting:
                waiting = True
                print(
                    f"waiting for another sitegen build into {shown or output}/"
                    f"{_lock_holder(fd)} …",
                    file=sys.stderr,
                    flush=True,
                )
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
        time.sleep(0.05)


def unlock_output(fd: int, output: Path) -> None:
    """Remove the lock file while still holding it, then let go: nothing is left beside
    the output, and a build that was waiting on the removed file sees it is gone."""
    with contextlib.suppress(OSError):
        os.unlink(lock_path(output))
    os.close(fd)


def _is_current(fd: int, path: Path) -> bool:
    try:
        named = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _lock_holder(fd: int) -> str:
    """The pid the build holding the lock wrote, as " (pid 1234)"; "" while unknown."""
    text = os.pread(fd, 32, 0).decode("ascii", errors="replace").strip()
    return f" (pid {text})" if text.isdigit() else ""


_WRITE_FAILURES = {
    errno.EROFS: "the output folder is read-only",
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
}


@contextlib.contextmanager
def _writing(output: Path) -> Iterator[None]:
    """A file system refusing a write is the user's to fix, not a bug: a Problem naming
    the output folder (the staging folder is discarded by whoever holds it)."""
    try:
        yield
    except OSError as exc:
        cause = _WRITE_FAILURES.get(exc.errno or 0, exc.strerror or str(exc))
        hint = "build into another folder with --output"
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            hint = "free some space on that disk, or " + hint
        problem = Problem(output, None, f"cannot write the site: {cause}", hint=hint)
        raise SiteError([problem]) from None


def _write_file(path: Path, content: bytes) -> None:
    path.write_bytes(content)


def manifest_files(output: Path) -> dict[str, str]:
    """The digest of each file of an output folder, as its manifest gives them ({}
    without a readable manifest)."""
    try:
        files = json.loads((output / MANIFEST).read_bytes())["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return files if isinstance(files, dict) else {}


class LiveOutput:
    """A folder brought up to date in place after each build (`sitegen serve`'s):
    changed files are replaced one by one, atomically, files gone are removed, and
    files whose bytes did not change are not touched."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.files: dict[str, str] = {}
        """Digest of every file of the last committed build, by path."""

    def update(self) -> LiveUpdate:
        return LiveUpdate(self)


class LiveUpdate:
    """One build's changes to a LiveOutput, held until `commit` (a failed build
    changes nothing)."""

    def __init__(self, live: LiveOutput) -> None:
        self.live = live
        self._pending: dict[str, bytes | Path] = {}
        self._kept: set[str] = set()

    def __enter__(self) -> LiveUpdate:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.discard()

    @property
    def files_written(self) -> int:
        return len(self._pending)

    def write(self, relative: PurePosixPath | str, content: bytes) -> None:
        self._pending[str(relative)] = content

    def store(self, relative: PurePosixPath | str, content: bytes) -> object:
        """Nothing is written before `commit`: the bytes go back to `record`."""
        return content

    def record(self, relative: PurePosixPath | str, stored: object) -> None:
        assert isinstance(stored, bytes)
        self.write(relative, stored)

    def copy(self, relative: PurePosixPath | str, source: Path) -> None:
        self._pending[str(relative)] = source

    def keep(self, relative: PurePosixPath | str) -> None:
        if str(relative) not in self.live.files:
            raise ValueError(f"cannot keep {relative}: the last build did not write it")
        self._kept.add(str(relative))

    def has(self, relative: PurePosixPath | str) -> bool:
        return str(relative) in self._pending or str(relative) in self._kept

    def commit(self) -> tuple[str, ...]:
        """Apply the build; returns the paths whose bytes changed, appeared or went."""
        folder = self.live.folder
        previous = self.live.files
        files = {relative: previous[relative] for relative in self._kept}
        changed = []
        for relative, pending in sorted(self._pending.items()):
            content = pending.read_bytes() if isinstance(pending, Path) else pending
            files[relative] = digest = _digest(content)
            if previous.get(relative) != digest:
                _replace(folder, relative, content)
                changed.append(relative)
        for relative in sorted(set(previous) - set(files)):
            _remove(folder, relative)
            changed.append(relative)
        _write_manifest(folder, files)
        self.live.files = files
        self.discard()
        return tuple(changed)

    def discard(self) -> None:
        self._pending.clear()
        self._kept.clear()


def swap_in(folder: Path, target: Path) -> None:
    """Make `folder` the `target` folder, removing the old one: in one step where the OS
    can exchange two folders (Linux renameat2), else by two renames in quick succession."""
    if target.exists():
        if _exchange(folder, target):
            shutil.rmtree(folder)
            return
        previous = folder.with_name(folder.name + "-previous")
        os.rename(target, previous)
        os.rename(folder, target)
        shutil.rmtree(previous)
    else:
        os.rename(folder, target)


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _write_manifest(folder: Path, files: dict[str, str]) -> None:
    _replace(folder, MANIFEST, _manifest_bytes(files))


def _manifest_bytes(files: dict[str, str]) -> bytes:
    return _json_bytes(
        {"generator": f"sitegen {__version__}", "files": dict(sorted(files.items()))}
    )


def _json_bytes(value: object) -> bytes:
    return (json.dumps(value) + "\n").encode("utf-8")


def _replace(folder: Path, relative: str, content: bytes) -> None:
    """Write a file so that a reader sees the old bytes or the new, never half."""
    path = folder / relative
    if not path.resolve().is_relative_to(folder):
        raise ValueError(f"refusing to write outside the output folder: {relative}")
    replace_file(path, content)


def _remove(folder: Path, relative: str) -> None:
    """Remove a file, and the folders it leaves empty."""
    path = folder / relative
    path.unlink(missing_ok=True)
    for parent in path.parents:
        if parent == folder or not parent.is_relative_to(folder):
            break
        if not parent.is_dir():
            continue  # removed already (an interrupted update being finished)
        if any(parent.iterdir()):
            break
        parent.rmdir()


def _staging_prefix(output: Path) -> str:
    return f"{STAGING_PREFIX}{output.name}-"


def _remove_abandoned_staging(output: Path) -> None:
    """Remove staging folders left by builds that were killed (their process is gone)."""
    prefix = _staging_prefix(output)
    for folder in output.parent.glob(f"{prefix}*"):
        pid_text = folder.name[len(prefix) :].split("-", 1)[0]
        if pid_text.isdigit() and not _process_alive(int(pid_text)):
            shutil.rmtree(folder, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux renameat2); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return bool(result == 0)
