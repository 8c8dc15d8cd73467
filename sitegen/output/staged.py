"""Writing the built site into a fresh folder beside the output, then swapped in.

An interrupted or failed build leaves the previous output exactly as it was. One
build at a time writes an output folder (`lock`), and the first thing it does is to
finish an in-place update a killed build left half-made (`journal`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import cast

from sitegen.base.errors import Problem, SiteError
from sitegen.base.messages import _
from sitegen.output.journal import finish_interrupted_update
from sitegen.output.lock import lock_output, unlock_output
from sitegen.output.manifest import digest, write_manifest
from sitegen.output.writing import writing_into

STAGING_PREFIX = ".sitegen-staging-"


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
            with writing_into(self.output):
                self.output.parent.mkdir(parents=True, exist_ok=True)
                self._lock = lock_output(self.output, shown=output)
        try:
            with writing_into(self.output):
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
        self._stage(relative, content)
        return digest(content), True

    def record(self, relative: PurePosixPath | str, stored: object) -> None:
        known, staged = cast(tuple[str, bool], stored)
        self._files[str(relative)] = known
        if staged:
            self._staged.add(str(relative))

    def copy(self, relative: PurePosixPath | str, source: Path) -> None:
        try:
            content = source.read_bytes()
        except OSError as exc:
            raise SiteError(
                [
                    Problem(
                        source, None, _("cannot read the file: %(error)s") % {"error": exc.strerror}
                    )
                ]
            ) from None
        self.write(relative, content)

    def keep(self, relative: PurePosixPath | str) -> None:
        """The file is as the output holds it now: link it (or copy it) across."""
        with writing_into(self.output):
            path = self._claim(relative)
            current = self.output / relative
            try:
                os.link(current, path)
            except OSError:
                shutil.copyfile(current, path)
            self._files[str(relative)] = digest(current.read_bytes())

    def has(self, relative: PurePosixPath | str) -> bool:
        return str(relative) in self._files

    def _stage(self, relative: PurePosixPath | str, content: bytes) -> None:
        """Write the file into the staging folder."""
        with writing_into(self.output):
            _write_file(self._claim(relative), content)

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
        with writing_into(self.output):
            write_manifest(self.folder, self._files)
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


def _write_file(path: Path, content: bytes) -> None:
    path.write_bytes(content)


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
