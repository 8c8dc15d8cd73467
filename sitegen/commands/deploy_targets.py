"""Where `sitegen deploy` publishes: the TARGET argument read into a target of one of
four kinds (a local folder, what rsync reaches, a branch of a git repository, an S3
bucket), each published by its transport (`deploy_folder`, `deploy_rsync`,
`deploy_git`, `deploy_s3`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

from sitegen.base.messages import _

DEFAULT_BRANCH = "gh-pages"


@dataclass(frozen=True)
class FolderTarget:
    """A folder of this machine, replaced by the new site in one step."""

    path: Path
    shown: str


@dataclass(frozen=True)
class RsyncTarget:
    """Whatever the rsync command reaches: a daemon, a host over ssh, or a local folder."""

    destination: str
    shown: str
    ssh_port: int | None = None
    local: Path | None = None


@dataclass(frozen=True)
class GitTarget:
    """A branch of a git repository whose tree is the site (GitHub Pages' gh-pages)."""

    url: str
    branch: str
    shown: str


@dataclass(frozen=True)
class S3Target:
    bucket: str
    prefix: str
    """Folder of the site in the bucket, without slashes at its ends ("" for the root)."""
    shown: str


Target = FolderTarget | RsyncTarget | GitTarget | S3Target

TARGET_SYNTAX = """\
  ./site, /srv/www/site, file:///srv/www/site      a folder of this machine, swapped in whole
  rsync+file:///srv/www/site                       a folder of this machine, through rsync
  [user@]host:path, ssh://[user@]host[:port]/path  a folder of a host, through rsync over ssh
  rsync://host/module/path                         an rsync daemon
  git+file:///srv/site.git#gh-pages, git+ssh://host/site.git, git+https://…
                                                   a branch of a git repository (default gh-pages)
  s3://bucket/prefix                               S3 or S3-compatible storage (--endpoint-url)"""

_BRANCH = re.compile(r"^(?!-)(?!/)(?!.*\.\.)(?!.*//)(?!.*\.lock$)(?!.*/$)[A-Za-z0-9._/-]+$")
_HOST_PATH = re.compile(r"^(?:[^@/:\s]+@)?(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\]):")


def parse_target(text: str) -> Target:
    """Read a TARGET argument; raises ValueError with a message fit for the user."""
    if "://" in text:
        scheme = text.split("://", 1)[0].lower()
        if scheme == "file":
            return FolderTarget(_file_url_path(text), text)
        if scheme == "rsync+file":
            path = _file_url_path(text[len("rsync+") :])
            return RsyncTarget(f"{path}/", text, local=path)
        if scheme == "rsync":
            return _rsync_daemon(text)
        if scheme == "ssh":
            return _ssh(text)
        if scheme.startswith("git+"):
            return _git_target(text)
        if scheme == "s3":
            return _s3_target(text)
        message = _("'%(text)s': unknown kind of target '%(scheme)s://'")
        raise ValueError(message % {"text": text, "scheme": scheme})
    if text.startswith(("/", "./", "../", "~/")) or text in (".", ".."):
        path = Path(text).expanduser().absolute()
        return FolderTarget(path, text)
    if _HOST_PATH.match(text):
        return RsyncTarget(text, text)
    message = _("'%(text)s' is not a target: write ./%(text)s for a folder here, or file:///path")
    raise ValueError(message % {"text": text})


def _file_url_path(text: str) -> Path:
    parts = urlsplit(text)
    if parts.netloc not in ("", "localhost"):
        message = _("'%(text)s': a file:// URL names a folder of this machine, not a host")
        raise ValueError(message % {"text": text})
    if parts.query or parts.fragment or not parts.path.startswith("/") or parts.path == "/":
        raise ValueError(
            _("'%(text)s' is not a folder: write file:///absolute/path") % {"text": text}
        )
    return Path(unquote(parts.path))


def _rsync_daemon(text: str) -> RsyncTarget:
    parts = urlsplit(text)
    if not parts.hostname or len(parts.path.strip("/")) == 0:
        raise ValueError(_("'%(text)s': write rsync://host/module/path") % {"text": text})
    return RsyncTarget(text if text.endswith("/") else f"{text}/", text)


def _ssh(text: str) -> RsyncTarget:
    parts = _split(text)
    path = unquote(parts.path)
    if not parts.hostname or path in ("", "/"):
        raise ValueError(_("'%(text)s': write ssh://[user@]host[:port]/path") % {"text": text})
    if path.startswith("/~"):  # ssh://host/~/site: a folder of the user's home
        path = path[1:]
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    user = f"{unquote(parts.username)}@" if parts.username else ""
    return RsyncTarget(f"{user}{host}:{path.rstrip('/')}/", text, ssh_port=parts.port)


def _git_target(text: str) -> GitTarget:
    url, _hash, branch = text[len("git+") :].partition("#")
    branch = branch or DEFAULT_BRANCH
    if not _BRANCH.match(branch):
        message = _("'%(text)s': '%(branch)s' is not a branch name")
        raise ValueError(message % {"text": text, "branch": branch})
    parts = _split(url)
    if parts.scheme not in ("file", "ssh", "https", "http", "git") or not parts.path.strip("/"):
        message = _("'%(text)s': write git+file:///path/repo.git#branch, or git+ssh:// …")
        raise ValueError(message % {"text": text})
    return GitTarget(url, branch, _without_password(parts, text))


def _s3_target(text: str) -> S3Target:
    parts = urlsplit(text)
    if not parts.netloc or parts.query or parts.fragment:
        raise ValueError(_("'%(text)s': write s3://bucket or s3://bucket/prefix") % {"text": text})
    return S3Target(parts.netloc, unquote(parts.path).strip("/"), text)


def _split(url: str) -> SplitResult:
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise ValueError(_("'%(url)s': the port is not a number") % {"url": url}) from None
    return parts


def _without_password(parts: SplitResult, text: str) -> str:
    """The target as printed: a token in an https URL stays out of logs."""
    if parts.password is None:
        return text
    return text.replace(f":{parts.password}@", ":***@", 1)
