"""What sitegen wrote into an output folder: its manifest (`.sitegen-manifest.json`),
every file with its SHA-256. sitegen refuses to write over a non-empty folder without
one, since it did not create it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sitegen import __version__
from sitegen.base.errors import Problem, SiteError
from sitegen.base.layout import INPUT_FOLDERS
from sitegen.base.messages import _
from sitegen.output.writing import json_bytes, replace_in

MANIFEST = ".sitegen-manifest.json"


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
                    _("refusing to build into %(output)s: it is the site folder or contains it")
                    % {"output": output},
                    hint=_("choose an output folder inside or beside the site, such as 'output'"),
                )
            ]
        )
    for name in INPUT_FOLDERS:
        folder = site / name
        if target == folder or folder in target.parents:
            raise SiteError(
                [
                    Problem(
                        None,
                        None,
                        _("refusing to build into %(output)s: it is inside %(folder)s/")
                        % {"output": output, "folder": name},
                    )
                ]
            )
    if target.exists() and not target.is_dir():
        message = _("refusing to build into %(output)s: it is a file") % {"output": output}
        raise SiteError([Problem(None, None, message)])
    if target.is_dir() and not (target / MANIFEST).is_file() and any(target.iterdir()):
        raise SiteError(
            [
                Problem(
                    None,
                    None,
                    _(
                        "refusing to replace %(output)s: it is not empty "
                        "and sitegen did not create it"
                    )
                    % {"output": output},
                    hint=_("empty it, or choose another folder with --output"),
                )
            ]
        )


def digest(content: bytes) -> str:
    """A file's digest, as the manifest gives it."""
    return hashlib.sha256(content).hexdigest()


def manifest_files(output: Path) -> dict[str, str]:
    """The digest of each file of an output folder, as its manifest gives them ({}
    without a readable manifest)."""
    try:
        files = json.loads((output / MANIFEST).read_bytes())["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return files if isinstance(files, dict) else {}


def write_manifest(folder: Path, files: dict[str, str]) -> None:
    """Replace the folder's manifest with one listing `files` (path → digest)."""
    replace_in(folder, MANIFEST, _manifest_bytes(files))


def _manifest_bytes(files: dict[str, str]) -> bytes:
    return json_bytes({"generator": f"sitegen {__version__}", "files": dict(sorted(files.items()))})
