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
        raise ValueError(f"'{text}': unknown kind of target '{scheme}://'")
    if text.startswith(("/", "./", "../", "~/")) or text in (".", ".."):
        path = Path(text).expanduser().absolute()
        return FolderTarget(path, text)
    if _HOST_PATH.match(text):
        return RsyncTarget(text, text)
    raise ValueError(f"'{text}' is not a target: write ./{text} for a folder here, or file:///path")


def _file_url_path(text: str) -> Path:
    parts = urlsplit(text)
    if parts.netloc not in ("", "localhost"):
        raise ValueError(f"'{text}': a file:// URL names a folder of this machine, not a host")
    if parts.query or parts.fragment or not parts.path.startswith("/") or parts.path == "/":
        raise ValueError(f"'{text}' is not a folder: write file:///absolute/path")
    return Path(unquote(parts.path))


def _rsync_daemon(text: str) -> RsyncTarget:
    parts = urlsplit(text)
    if not parts.hostname or len(parts.path.strip("/")) == 0:
        raise ValueError(f"'{text}': write rsync://host/module/path")
    return RsyncTarget(text if text.endswith("/") else f"{text}/", text)


def _ssh(text: str) -> RsyncTarget:
    parts = _split(text)
    path = unquote(parts.path)
    if not parts.hostname or path in ("", "/"):
        raise ValueError(f"'{text}': write ssh://[user@]host[:port]/path")
    if path.startswith("/~"):  # ssh://host/~/site: a folder of the user's home
        path = path[1:]
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    user = f"{unquote(parts.username)}@" if parts.username else ""
    return RsyncTarget(f"{user}{host}:{path.rstrip('/')}/", text, ssh_port=parts.port)


def _git_target(text: str) -> GitTarget:
    url, _, branch = text[len("git+") :].partition("#")
    branch = branch or DEFAULT_BRANCH
    if not _BRANCH.match(branch):
        raise ValueError(f"'{text}': '{branch}' is not a branch name")
    parts = _split(url)
    if parts.scheme not in ("file", "ssh", "https", "http", "git") or not parts.path.strip("/"):
        raise ValueError(f"'{text}': write git+file:///path/repo.git#branch, or git+ssh:// …")
    return GitTarget(url, branch, _without_password(parts, text))


def _s3_target(text: str) -> S3Target:
    parts = urlsplit(text)
    if not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"'{text}': write s3://bucket or s3://bucket/prefix")
    return S3Target(parts.netloc, unquote(parts.path).strip("/"), text)


def _split(url: str) -> SplitResult:
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise ValueError(f"'{url}': the port is not a number") from None
    return parts


def _without_password(parts: SplitResult, text: str) -> str:
    """The target as printed: a token in an https URL stays out of logs."""
    if parts.password is None:
        return text
    return text.replace(f":{parts.password}@", ":***@", 1)
