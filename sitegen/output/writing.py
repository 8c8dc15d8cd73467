"""Files written into an output folder: each one replaced whole or removed with the
folders it leaves empty, and a file system's refusal (full, read-only) reported as
the user's problem, naming the output folder.
"""

from __future__ import annotations

import contextlib
import errno
import json
from collections.abc import Iterator
from pathlib import Path

from sitegen.base.atomicfiles import replace_file
from sitegen.base.errors import Problem, SiteError
from sitegen.base.messages import N_, _

_WRITE_FAILURES = {
    errno.EROFS: N_("the output folder is read-only"),
    errno.ENOSPC: N_("no space left on the device"),
    errno.EDQUOT: N_("the disk quota is used up"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
}


@contextlib.contextmanager
def writing_into(output: Path) -> Iterator[None]:
    """A file system refusing a write is the user's to fix, not a bug: a Problem naming
    the output folder (the staging folder is discarded by whoever holds it)."""
    try:
        yield
    except OSError as exc:
        known = _WRITE_FAILURES.get(exc.errno or 0)
        cause = _(known) if known else exc.strerror or str(exc)
        hint = _("build into another folder with --output")
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            hint = _("free some space on that disk, or build into another folder with --output")
        message = _("cannot write the site: %(cause)s") % {"cause": cause}
        problem = Problem(output, None, message, hint=hint)
        raise SiteError([problem]) from None


def json_bytes(value: object) -> bytes:
    """The bytes of a JSON file sitegen keeps for itself (a manifest, a journal)."""
    return (json.dumps(value) + "\n").encode("utf-8")


def replace_in(folder: Path, relative: str, content: bytes) -> None:
    """Write a file so that a reader sees the old bytes or the new, never half."""
    path = folder / relative
    if not path.resolve().is_relative_to(folder):
        raise ValueError(f"refusing to write outside the output folder: {relative}")
    replace_file(path, content)


def remove_from(folder: Path, relative: str) -> None:
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
