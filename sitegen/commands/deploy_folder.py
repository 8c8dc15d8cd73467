"""Publishing to a folder of this machine: the new tree made beside it, then swapped in
whole; and the checks that refuse a local folder whose replacement would destroy
something (for rsync to a local folder too).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from sitegen import __version__
from sitegen.base.layout import INPUT_FOLDERS
from sitegen.base.messages import _
from sitegen.commands.deploy_plan import DEPLOY_STAGING_PREFIX, LocalSite, Plan, plan, refusal
from sitegen.commands.deploy_targets import FolderTarget
from sitegen.output.staged import swap_in

OWNER_RECORD = ".sitegen-deployed-{name}.json"
"""Kept beside a local target folder (never inside, where it would be served): the
folder is sitegen's to replace."""


def check_local_folder(folder: Path, site_root: Path, output: Path, owned: bool) -> None:
    """Refuse a folder whose replacement would destroy something: the site, its
    output, its inputs, or (for a folder swapped in whole) a folder that is not empty
    and that sitegen has never deployed to."""
    target, site, built = folder.resolve(), site_root.resolve(), output.resolve()
    if target == site or target in site.parents:
        message = _("refusing to deploy to %(folder)s: it is the site folder or contains it")
        raise refusal(message % {"folder": folder})
    if target == built or built in target.parents or target in built.parents:
        raise refusal(
            _(
                "refusing to deploy to %(folder)s: it is the build's output folder, "
                "is inside it, or contains it"
            )
            % {"folder": folder},
            hint=_("deploy to a folder beside the output"),
        )
    for name in INPUT_FOLDERS:
        if target == site / name or site / name in target.parents:
            message = _("refusing to deploy to %(folder)s: it is inside the site's %(name)s/")
            raise refusal(message % {"folder": folder, "name": name})
    if target.exists() and not target.is_dir():
        raise refusal(_("refusing to deploy to %(folder)s: it is a file") % {"folder": folder})
    if not owned or not target.is_dir():
        return
    if os.path.ismount(target):
        raise refusal(
            _("cannot replace %(folder)s: it is a mount point") % {"folder": folder},
            hint=_("deploy with rsync+file://%(path)s, which updates it file by file")
            % {"path": target},
        )
    if not _owner_record(target).is_file() and any(target.iterdir()):
        raise refusal(
            _("refusing to replace %(folder)s: it is not empty and sitegen has not deployed to it")
            % {"folder": folder},
            hint=_("empty it (or remove it) first, or deploy to another folder"),
        )


def _owner_record(folder: Path) -> Path:
    return folder.with_name(OWNER_RECORD.format(name=folder.name))


def publish_folder(target: FolderTarget, site: LocalSite, dry_run: bool) -> Plan:
    """Build the new tree beside the target and swap it in, in one step (renameat2):
    a visitor sees the old site or the new one, never a page of one with the
    stylesheet of the other. Unchanged files are hard links to the old ones, so
    their modification times, and the ETags servers derive from them, stay as they
    were; when nothing changed, nothing is touched at all."""
    folder = target.path.resolve()
    changes = plan(site.files, _folder_state(folder))
    if dry_run or not changes.changes_anything:
        return changes
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f"{DEPLOY_STAGING_PREFIX}{folder.name}-", dir=folder.parent)
    )
    try:
        uploads = set(changes.uploads)
        for relative in sorted(site.files):
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            if relative in uploads:
                shutil.copyfile(site.folder / relative, destination)
            else:
                _link_or_copy(folder / relative, destination)
        os.chmod(staging, folder.stat().st_mode & 0o7777 if folder.is_dir() else 0o755)
        record = {"generator": f"sitegen {__version__}", "files": len(site.files)}
        _owner_record(folder).write_text(json.dumps(record) + "\n", "utf-8")
        swap_in(staging, folder)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return changes


def _folder_state(folder: Path) -> dict[str, str]:
    """Every file of the folder and its SHA-256; anything else (a symbolic link, a
    socket) gets a fingerprint no file has, so it is replaced or removed."""
    state: dict[str, str] = {}
    if not folder.is_dir():
        return state
    for root, folders, names in os.walk(folder):
        here = Path(root)
        for name in [*names, *(name for name in folders if (here / name).is_symlink())]:
            path = here / name
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink() or not path.is_file():
                state[relative] = "not a regular file"
            else:
                with path.open("rb") as file:
                    state[relative] = hashlib.file_digest(file, "sha256").hexdigest()
    return state


def _link_or_copy(source: Path, destination: Path) -> None:
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)
