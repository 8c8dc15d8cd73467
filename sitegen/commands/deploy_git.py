"""Publishing to a branch of a git repository whose tree is the site (GitHub Pages'
gh-pages): a new commit on top of the branch, pushed, never forced.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from sitegen import __version__
from sitegen.base.messages import _
from sitegen.building.buildcontract import environment_source_date, source_date
from sitegen.commands.deploy_plan import LocalSite, Plan, last_lines, plan, refusal
from sitegen.commands.deploy_targets import GitTarget


def publish_git(target: GitTarget, site: LocalSite, dry_run: bool) -> Plan:
    """Make the branch's tree the output, in a new commit on top of it, and push.

    Works in a scratch bare repository with git's plumbing (no checkout): fetch the
    branch's last commit alone, hash the output's files into blobs, compare them
    with the branch's tree, and commit only when something differs. The push is
    never forced: if the branch moved meanwhile, it is refused and nothing changes.
    """
    if shutil.which("git") is None:
        message = _("cannot deploy to %(target)s: the git command is not installed")
        raise refusal(message % {"target": target.shown})
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
            raise refusal(
                _("git %(command)s for %(target)s failed: %(output)s")
                % {
                    "command": args[0],
                    "target": self.target.shown,
                    "output": last_lines(result.stderr),
                }
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
                info, _tab, path = entry.partition("\t")
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
