"""Writing the built site: into a fresh folder beside the target, then swapped in.

An interrupted or failed build leaves the previous output exactly as it was.
The output folder holds a manifest (`.sitegen-manifest.json`); sitegen refuses
to write over a non-empty folder without one, since it did not create it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from sitegen import __version__
from sitegen.errors import Problem, SiteError

MANIFEST = ".sitegen-manifest.json"
STAGING_PREFIX = ".sitegen-staging-"
_INPUT_FOLDERS = ("content", "data", "themes", "templates", "static", "i18n")


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
    for name in _INPUT_FOLDERS:
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
    """A fresh folder that becomes the output only when `commit` is called."""

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned_staging(self.output)
        self.folder = Path(
            tempfile.mkdtemp(
                prefix=f"{_staging_prefix(self.output)}{os.getpid()}-", dir=self.output.parent
            )
        )
        self._files: dict[str, str] = {}

    def __enter__(self) -> StagedOutput:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.discard()

    @property
    def files_written(self) -> int:
        return len(self._files)

    def write(self, relative: PurePosixPath | str, content: bytes) -> None:
        path = self._claim(relative)
        path.write_bytes(content)
        self._files[str(relative)] = hashlib.sha256(content).hexdigest()

    def copy(self, relative: PurePosixPath | str, source: Path) -> None:
        content = source.read_bytes()
        self.write(relative, content)

    def has(self, relative: PurePosixPath | str) -> bool:
        return str(relative) in self._files

    def _claim(self, relative: PurePosixPath | str) -> Path:
        path = self.folder / relative
        if not path.resolve().is_relative_to(self.folder):
            raise ValueError(f"refusing to write outside the output folder: {relative}")
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def commit(self) -> None:
        """Write the manifest and swap the new site in, atomically where the OS allows."""
        manifest = {
            "generator": f"sitegen {__version__}",
            "files": dict(sorted(self._files.items())),
        }
        (self.folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", "utf-8")
        os.chmod(self.folder, 0o755)
        if self.output.exists():
            if _exchange(self.folder, self.output):
                shutil.rmtree(self.folder)
                return
            previous = self.folder.with_name(self.folder.name + "-previous")
            os.rename(self.output, previous)
            os.rename(self.folder, self.output)
            shutil.rmtree(previous)
        else:
            os.rename(self.folder, self.output)

    def discard(self) -> None:
        if self.folder.exists():
            shutil.rmtree(self.folder, ignore_errors=True)


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
