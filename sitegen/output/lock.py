"""One build at a time writes an output folder: the others wait for its lock, a file
beside the folder held with flock, which the OS releases when its holder dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from sitegen.base.errors import Problem, SiteError
from sitegen.base.messages import _, number
from sitegen.output.journal import finish_interrupted_update
from sitegen.output.writing import writing_into

LOCK_SUFFIX = ".sitegen-lock"
LOCK_WAIT_SECONDS = 600.0
"""How long a build waits for another build into the same output before giving up."""


@contextlib.contextmanager
def held_lock(output: Path) -> Iterator[None]:
    """Hold the output's lock for a block (a cached build checks and writes under it),
    first finishing an update a killed build left half-made."""
    resolved = output.resolve()
    with writing_into(resolved):
        resolved.parent.mkdir(parents=True, exist_ok=True)
        fd = lock_output(resolved, shown=output)
    try:
        with writing_into(resolved):
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
                            _(
                                "another sitegen build%(holder)s is still writing this "
                                "folder after a wait of %(seconds)s s"
                            )
                            % {
                                "holder": _lock_holder(fd),
                                "seconds": number(LOCK_WAIT_SECONDS, "0.###"),
                            },
                            hint=_("let it end (or stop it), then build again"),
                        )
                    ]
                )
            elif not waiting:
                waiting = True
                print(
                    _("waiting for another sitegen build into %(folder)s/%(holder)s …")
                    % {"folder": shown or output, "holder": _lock_holder(fd)},
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
