"""What a deploy changes at its target, and what every transport shares.

*What* must change is a pure comparison of the output's files (their hashes, from
the build's manifest) with what the target holds: `plan`. Only the files the build
wrote are published (`published_files`), never the manifest. A transport refuses a
target before changing anything (`refusal`), or fails after it began (`failure`,
PartlyDeployed).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sitegen.base.atomicfiles import TEMPORARY_SUFFIX
from sitegen.base.errors import Problem, SiteError
from sitegen.base.messages import _
from sitegen.output.manifest import MANIFEST
from sitegen.output.staged import STAGING_PREFIX

DEPLOY_STAGING_PREFIX = ".sitegen-deploy-"
"""The new tree of a local folder target is made beside it, in a folder named so."""


@dataclass(frozen=True)
class Plan:
    """What a deploy changes at the target."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    unchanged: int = 0

    @property
    def uploads(self) -> tuple[str, ...]:
        """New and changed files, pages last: while a deploy runs, a page new to the
        target never shows before the stylesheets and images it uses are there."""
        return tuple(sorted((*self.added, *self.changed), key=_upload_order))

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.changed or self.deleted)


def plan(local: Mapping[str, str], remote: Mapping[str, str]) -> Plan:
    """Compare the files to publish with the target's, both by path → fingerprint
    (of one kind on both sides: SHA-256, a git blob id, an MD5)."""
    added = tuple(sorted(path for path in local if path not in remote))
    changed = tuple(sorted(path for path in local if remote.get(path, local[path]) != local[path]))
    deleted = tuple(sorted(path for path in remote if path not in local))
    return Plan(added, changed, deleted, len(local) - len(added) - len(changed))


def _upload_order(path: str) -> tuple[bool, str]:
    return (PurePosixPath(path).suffix in (".html", ".htm"), path)


@dataclass(frozen=True)
class LocalSite:
    """The built output about to be published: its folder and its files' SHA-256."""

    folder: Path
    files: Mapping[str, str]


def published_files(output: Path) -> dict[str, str]:
    """The files of a built output and their SHA-256, from its manifest: never the
    manifest itself, nor anything sitegen keeps for itself while it writes."""
    manifest = json.loads((output / MANIFEST).read_text("utf-8"))
    files: dict[str, str] = manifest["files"]
    return {path: digest for path, digest in files.items() if _publishable(path)}


def _publishable(path: str) -> bool:
    parts = PurePosixPath(path).parts
    if path == MANIFEST or PurePosixPath(path).is_absolute() or ".." in parts:
        return False
    return not any(
        part.startswith((STAGING_PREFIX, DEPLOY_STAGING_PREFIX)) or part.endswith(TEMPORARY_SUFFIX)
        for part in parts
    )


class PartlyDeployed(SiteError):
    """A transport that changes the target file by file failed after it began."""


def refusal(message: str, hint: str | None = None) -> SiteError:
    """A problem found before anything at the target changed."""
    return SiteError([Problem(None, None, message, hint=hint)])


def failure(message: str) -> PartlyDeployed:
    """A problem met after the target began to change."""
    return PartlyDeployed([Problem(None, None, message)])


def last_lines(text: str, count: int = 5) -> str:
    """The end of what a command wrote to its standard error, on one line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " / ".join(lines[-count:]) or _("no message")
