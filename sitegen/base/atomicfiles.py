"""Files replaced whole: whoever reads one (a web server, another build, the next
command) sees its old bytes or its new ones, never half of them.

Every file sitegen writes for keeps (the output's pages, the build cache, compiled
templates, image variants, translation catalogs) is written beside its place under
a temporary name, then renamed over it: a rename within a folder is atomic.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

TEMPORARY_SUFFIX = ".sitegen-tmp"
"""Ends the name of a file being written: deploys and the file watcher skip such names."""


def replace_file(
    path: Path, content: bytes | Callable[[BinaryIO], None], mode: int | None = None
) -> None:
    """Write `content` (bytes, or a function that writes into the open file) beside
    `path`, then rename it over `path`, with `mode` when given (else the usual mode of
    a new file). Raises OSError, the temporary file removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}{TEMPORARY_SUFFIX}")
    try:
        with open(temporary, "wb") as file:
            if isinstance(content, bytes):
                file.write(content)
            else:
                content(file)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
