"""Publishing a built site where it is served: `sitegen deploy`.

Two questions are kept apart. *What* must change is a pure comparison of the
output's files (their hashes, from the build's manifest) with what the target
holds: `plan`. *How* a target is changed is its transport: a local folder swapped
in whole, the rsync command, a commit on a branch of a git repository, or the
objects of an S3 bucket. Only the files the build wrote are published, never the
manifest, and a site that does not build is not published at all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

from sitegen import __version__
from sitegen.base.atomicfiles import TEMPORARY_SUFFIX
from sitegen.base.errors import Problem, SiteError
from sitegen.base.layout import INPUT_FOLDERS
from sitegen.base.mediatypes import content_type
from sitegen.base.parallel import default_jobs
from sitegen.base.progress import NO_PROGRESS, Progress
from sitegen.building.buildcontract import (
    DEFAULT_OUTPUT,
    BuildOptions,
    BuildResult,
    environment_source_date,
    source_date,
)
from sitegen.building.pipeline import build
from sitegen.output.folders import MANIFEST, STAGING_PREFIX, swap_in
from sitegen.rendering.publishing import cache_control

DEFAULT_BRANCH = "gh-pages"
OWNER_RECORD = ".sitegen-deployed-{name}.json"
"""Kept beside a local target folder (never inside, where it would be served): the
folder is sitegen's to replace."""
_DEPLOY_STAGING = ".sitegen-deploy-"
_S3_BATCH = 1000


# ---------------------------------------------------------------- targets


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


# ---------------------------------------------------------------- planning


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
        part.startswith((STAGING_PREFIX, _DEPLOY_STAGING)) or part.endswith(TEMPORARY_SUFFIX)
        for part in parts
    )


# ---------------------------------------------------------------- deploying


@dataclass(frozen=True)
class DeployOptions:
    site_root: Path
    target: Target
    output: Path | None = None
    dry_run: bool = False
    endpoint_url: str | None = None
    """S3 only: an S3-compatible service; None: $AWS_ENDPOINT_URL, else AWS."""
    progress: Progress = field(default=NO_PROGRESS, compare=False, repr=False)
    """What the build shows while it runs (sitegen.base.progress)."""


@dataclass(frozen=True)
class DeployResult:
    built: BuildResult
    plan: Plan
    seconds: float
    """Time spent publishing, the build aside."""


@dataclass(frozen=True)
class LocalSite:
    """The built output about to be published: its folder and its files' SHA-256."""

    folder: Path
    files: Mapping[str, str]


def deploy(options: DeployOptions) -> DeployResult:
    """Build the site, then make the target hold exactly the output.

    Raises SiteError when the site does not build or the target is refused (the
    target is then untouched), or when the transport fails (with its own words).
    """
    output = options.output if options.output is not None else options.site_root / DEFAULT_OUTPUT
    target = options.target
    if isinstance(target, FolderTarget):
        _check_local_folder(target.path, options.site_root, output, owned=True)
    elif isinstance(target, RsyncTarget) and target.local is not None:
        _check_local_folder(target.local, options.site_root, output, owned=False)
    built = build(
        BuildOptions(
            site_root=options.site_root,
            output=output,
            jobs=default_jobs(),
            cache=True,
            progress=options.progress,
        )
    )
    started = time.perf_counter()
    site = LocalSite(built.output, published_files(built.output))
    if isinstance(target, FolderTarget):
        changes = _publish_folder(target, site, options.dry_run)
    elif isinstance(target, RsyncTarget):
        changes = _publish_rsync(target, site, options.dry_run)
    elif isinstance(target, GitTarget):
        changes = _publish_git(target, site, options.dry_run)
    else:
        endpoint = options.endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None
        changes = _publish_s3(target, site, options.dry_run, endpoint)
    return DeployResult(built, changes, time.perf_counter() - started)


class PartlyDeployed(SiteError):
    """A transport that changes the target file by file failed after it began."""


def _refuse(message: str, hint: str | None = None) -> SiteError:
    """A problem found before anything at the target changed."""
    return SiteError([Problem(None, None, message, hint=hint)])


def _failed(message: str) -> PartlyDeployed:
    return PartlyDeployed([Problem(None, None, message)])


def _check_local_folder(folder: Path, site_root: Path, output: Path, owned: bool) -> None:
    """Refuse a folder whose replacement would destroy something: the site, its
    output, its inputs, or (for a folder swapped in whole) a folder that is not empty
    and that sitegen has never deployed to."""
    target, site, built = folder.resolve(), site_root.resolve(), output.resolve()
    if target == site or target in site.parents:
        raise _refuse(f"refusing to deploy to {folder}: it is the site folder or contains it")
    if target == built or built in target.parents or target in built.parents:
        raise _refuse(
            f"refusing to deploy to {folder}: it is the build's output folder, is inside it, "
            "or contains it",
            hint="deploy to a folder beside the output",
        )
    for name in INPUT_FOLDERS:
        if target == site / name or site / name in target.parents:
            raise _refuse(f"refusing to deploy to {folder}: it is inside the site's {name}/")
    if target.exists() and not target.is_dir():
        raise _refuse(f"refusing to deploy to {folder}: it is a file")
    if not owned or not target.is_dir():
        return
    if os.path.ismount(target):
        raise _refuse(
            f"cannot replace {folder}: it is a mount point",
            hint=f"deploy with rsync+file://{target}, which updates it file by file",
        )
    if not _owner_record(target).is_file() and any(target.iterdir()):
        raise _refuse(
            f"refusing to replace {folder}: it is not empty and sitegen has not deployed to it",
            hint="empty it (or remove it) first, or deploy to another folder",
        )


def _owner_record(folder: Path) -> Path:
    return folder.with_name(OWNER_RECORD.format(name=folder.name))


# ---------------------------------------------------------------- a local folder


def _publish_folder(target: FolderTarget, site: LocalSite, dry_run: bool) -> Plan:
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
    staging = Path(tempfile.mkdtemp(prefix=f"{_DEPLOY_STAGING}{folder.name}-", dir=folder.parent))
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


# ---------------------------------------------------------------- rsync


def _publish_rsync(target: RsyncTarget, site: LocalSite, dry_run: bool) -> Plan:
    """`rsync -a --delete --checksum`: rsync compares and sends only what changed, at
    the other end too. Without --times, an unchanged file keeps its modification time
    (every build writes its files anew; the ETags servers derive from times stay
    valid); the plan is read from rsync's --itemize-changes."""
    rsync = shutil.which("rsync")
    if rsync is None:
        raise _refuse(
            f"cannot deploy to {target.shown}: the rsync command is not installed",
            hint="install rsync (apt-get install rsync, brew install rsync), or use another target",
        )
    command = [
        rsync,
        "--archive",
        "--no-times",
        "--checksum",
        "--delete",
        "--itemize-changes",
        "--8-bit-output",
        f"--exclude=/{MANIFEST}",
        f"--exclude={STAGING_PREFIX}*",
        f"--exclude={_DEPLOY_STAGING}*",
        f"--exclude=*{TEMPORARY_SUFFIX}",
    ]
    if dry_run:
        command.append("--dry-run")
    if target.ssh_port is not None:
        command += ["--rsh", f"ssh -p {target.ssh_port}"]
    if target.local is not None and not dry_run:
        target.local.parent.mkdir(parents=True, exist_ok=True)
    command += [f"{site.folder}/", target.destination]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise (_refuse if dry_run else _failed)(
            f"rsync to {target.shown} failed (exit {result.returncode}): "
            + _last_lines(result.stderr)
        )
    return _itemized_plan(result.stdout, len(site.files))


def _itemized_plan(itemized: str, files: int) -> Plan:
    """rsync's --itemize-changes lines ("YXcstpoguax path"): `>f+++++++++` a file
    sent anew, another `>f`/`<f` a file sent again, `*deleting` a file removed;
    attribute-only changes (`.f...p.....`) send nothing."""
    added: list[str] = []
    changed: list[str] = []
    deleted: list[str] = []
    for line in itemized.splitlines():
        code, _, path = line.partition(" ")
        path = path.lstrip(" ")
        if code == "*deleting":
            if not path.endswith("/"):
                deleted.append(path)
        elif len(code) == 11 and code[0] in "<>" and code[1] == "f":
            (added if code[2:] == "+" * 9 else changed).append(path)
    return Plan(
        tuple(sorted(added)),
        tuple(sorted(changed)),
        tuple(sorted(deleted)),
        files - len(added) - len(changed),
    )


def _last_lines(text: str, count: int = 5) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " / ".join(lines[-count:]) or "no message"


# ---------------------------------------------------------------- a git branch


def _publish_git(target: GitTarget, site: LocalSite, dry_run: bool) -> Plan:
    """Make the branch's tree the output, in a new commit on top of it, and push.

    Works in a scratch bare repository with git's plumbing (no checkout): fetch the
    branch's last commit alone, hash the output's files into blobs, compare them
    with the branch's tree, and commit only when something differs. The push is
    never forced: if the branch moved meanwhile, it is refused and nothing changes.
    """
    if shutil.which("git") is None:
        raise _refuse(f"cannot deploy to {target.shown}: the git command is not installed")
    with tempfile.TemporaryDirectory(prefix="sitegen-deploy-") as scratch:
        git = _Git(Path(scratch), target)
        parent = git.fetch_branch()
        remote = git.tree(parent) if parent else {}
        blobs = git.hash_files(site)
        changes = plan({path: f"100644 {blob}" for path, blob in blobs.items()}, remote)
        if dry_run or (parent and not changes.changes_anything):
            return changes
        tree = git.write_tree(blobs)
        commit = git.commit(tree, parent, _commit_message(changes))
        git.run("push", "--quiet", target.url, f"{commit}:refs/heads/{target.branch}")
    return changes


def _commit_message(changes: Plan) -> str:
    uploaded = len(changes.added) + len(changes.changed)
    return (
        f"Deploy the site with sitegen {__version__}\n\n"
        f"{uploaded} uploaded, {len(changes.deleted)} deleted, {changes.unchanged} unchanged.\n"
    )


_GIT_LOCATION_VARIABLES = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
    "GIT_COMMON_DIR",
)


class _Git:
    """git commands on a scratch bare repository, with errors as SiteError."""

    def __init__(self, scratch: Path, target: GitTarget) -> None:
        self.target = target
        self.repo = scratch / "repo.git"
        self.index = scratch / "index"
        self.env = {
            name: value for name, value in os.environ.items() if name not in _GIT_LOCATION_VARIABLES
        }
        self.env["GIT_TERMINAL_PROMPT"] = "0"  # a missing credential fails, never waits
        self.run("init", "--quiet", "--bare", str(self.repo), in_repo=False)

    def run(
        self,
        *args: str,
        stdin: str | None = None,
        in_repo: bool = True,
        env: Mapping[str, str] | None = None,
    ) -> str:
        command = ["git", *(("--git-dir", str(self.repo)) if in_repo else ()), *args]
        result = subprocess.run(
            command,
            input=stdin,
            capture_output=True,
            text=True,
            env={**self.env, **(env or {})},
            check=False,
        )
        if result.returncode != 0:
            raise _refuse(
                f"git {args[0]} for {self.target.shown} failed: " + _last_lines(result.stderr)
            )
        return result.stdout

    def fetch_branch(self) -> str | None:
        """The branch's last commit, fetched alone; None when the branch is new."""
        ref = f"refs/heads/{self.target.branch}"
        if not self.run("ls-remote", "--heads", self.target.url, ref).strip():
            return None
        self.run("fetch", "--quiet", "--depth=1", "--no-tags", self.target.url, ref)
        return self.run("rev-parse", "--verify", "FETCH_HEAD^{commit}").strip()

    def tree(self, commit: str) -> dict[str, str]:
        """Every entry of the commit's tree: path → "mode object"."""
        entries = {}
        for entry in self.run("ls-tree", "-r", "-z", "--full-tree", commit).split("\0"):
            if entry:
                info, _, path = entry.partition("\t")
                mode, _kind, name = info.split(" ")
                entries[path] = f"{mode} {name}"
        return entries

    def hash_files(self, site: LocalSite) -> dict[str, str]:
        """Write the output's files as blobs (as they are: no line-ending filters)."""
        paths = sorted(site.files)
        listed = "".join(f"{site.folder / path}\n" for path in paths)
        names = self.run("hash-object", "-w", "--no-filters", "--stdin-paths", stdin=listed)
        return dict(zip(paths, names.split(), strict=True))

    def write_tree(self, blobs: Mapping[str, str]) -> str:
        index = "".join(f"100644 {blob}\t{path}\0" for path, blob in sorted(blobs.items()))
        self.run("update-index", "-z", "--add", "--index-info", stdin=index, env=self._index())
        return self.run("write-tree", env=self._index()).strip()

    def _index(self) -> dict[str, str]:
        return {"GIT_INDEX_FILE": str(self.index)}

    def commit(self, tree: str, parent: str | None, message: str) -> str:
        parents = ["-p", parent] if parent else []
        env = {**self._identity(), **_commit_dates()}
        return self.run("commit-tree", tree, *parents, "-F", "-", stdin=message, env=env).strip()

    def _identity(self) -> dict[str, str]:
        """sitegen's name where neither git's config nor the environment gives one
        (a CI job), rather than a failed deploy."""
        identity = {}
        for key, role_default in (("name", "sitegen"), ("email", "sitegen@localhost")):
            configured = subprocess.run(
                ["git", "--git-dir", str(self.repo), "config", "--get", f"user.{key}"],
                capture_output=True,
                text=True,
                env=self.env,
                check=False,
            ).stdout.strip()
            for role in ("AUTHOR", "COMMITTER"):
                variable = f"GIT_{role}_{key.upper()}"
                if not configured and not self.env.get(variable):
                    identity[variable] = role_default
        return identity


def _commit_dates() -> dict[str, str]:
    """SOURCE_DATE_EPOCH, when set, is the commit's date: the same output and the
    same parent give the same commit."""
    stamp = source_date(environment_source_date())
    if stamp is None:
        return {}
    date = f"@{int(stamp.timestamp())} +0000"
    return {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}


# ---------------------------------------------------------------- S3


def _publish_s3(target: S3Target, site: LocalSite, dry_run: bool, endpoint: str | None) -> Plan:
    """Upload the files whose MD5 differs from the object's ETag, pages last, then
    delete the keys of files that went. Each object carries its Content-Type, its
    Cache-Control and its SHA-256 (x-amz-meta-sha256), which is what is compared
    when the ETag is not an MD5 (an object uploaded in parts by another tool)."""
    try:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        raise _refuse(
            f"cannot deploy to {target.shown}: S3 needs boto3, which is not installed",
            hint="pip install 'sitegen[deploy]'",
        ) from None
    md5 = {path: _md5(site.folder / path) for path in site.files}
    try:
        client = boto3.client("s3", endpoint_url=endpoint)
        changes = plan(md5, _s3_state(client, target, site, md5))
    except (BotoCoreError, ClientError, ValueError) as error:
        raise _refuse(f"cannot deploy to {target.shown}: {error}") from None
    if dry_run:
        return changes
    try:
        _s3_apply(client, target, site, md5, changes)
    except (BotoCoreError, ClientError) as error:
        raise _failed(f"S3 deploy to {target.shown} failed: {error}") from None
    return changes


def _md5(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, lambda: hashlib.md5(usedforsecurity=False)).hexdigest()


def _key(target: S3Target, path: str) -> str:
    return f"{target.prefix}/{path}" if target.prefix else path


def _s3_state(
    client: Any, target: S3Target, site: LocalSite, md5: Mapping[str, str]
) -> dict[str, str]:
    """Every object below the prefix, by path, as the MD5 of its content where known."""
    prefix = f"{target.prefix}/" if target.prefix else ""
    state = {}
    for page in client.get_paginator("list_objects_v2").paginate(
        Bucket=target.bucket, Prefix=prefix
    ):
        for item in page.get("Contents", []):
            path = item["Key"][len(prefix) :]
            if not path or path.endswith("/"):
                continue  # a "folder" placeholder of some consoles: not a file of a site
            etag = item["ETag"].strip('"')
            if "-" in etag and path in site.files:
                head = client.head_object(Bucket=target.bucket, Key=item["Key"])
                same = head.get("Metadata", {}).get("sha256") == site.files[path]
                etag = md5[path] if same else f"parts {etag}"
            state[path] = etag
    return state


def _s3_apply(
    client: Any, target: S3Target, site: LocalSite, md5: Mapping[str, str], changes: Plan
) -> None:
    for path in changes.uploads:
        client.put_object(
            Bucket=target.bucket,
            Key=_key(target, path),
            Body=(site.folder / path).read_bytes(),
            ContentType=content_type(path),
            CacheControl=cache_control(path),
            ContentMD5=base64.b64encode(bytes.fromhex(md5[path])).decode("ascii"),
            Metadata={"sha256": site.files[path]},
        )
    for batch in _batches(changes.deleted, _S3_BATCH):
        answer = client.delete_objects(
            Bucket=target.bucket,
            Delete={"Objects": [{"Key": _key(target, path)} for path in batch], "Quiet": True},
        )
        errors = answer.get("Errors", [])
        if errors:
            first = errors[0]
            raise _failed(
                f"S3 deploy to {target.shown}: {len(errors)} keys not deleted, such as "
                f"{first.get('Key')}: {first.get('Message')}"
            )


def _batches(paths: Sequence[str], size: int) -> list[Sequence[str]]:
    return [paths[start : start + size] for start in range(0, len(paths), size)]
