"""Publishing a built site where it is served: `sitegen deploy`.

Two questions are kept apart. *What* must change is a pure comparison of the
output's files (their hashes, from the build's manifest) with what the target
holds: `deploy_plan`. *How* a target is changed is its transport: a local folder
swapped in whole (`deploy_folder`), the rsync command (`deploy_rsync`), a commit on
a branch of a git repository (`deploy_git`), or the objects of an S3 bucket
(`deploy_s3`). Only the files the build wrote are published, never the manifest,
and a site that does not build is not published at all.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.base.parallel import default_jobs
from sitegen.base.progress import NO_PROGRESS, Progress
from sitegen.building.buildcontract import DEFAULT_OUTPUT, BuildOptions, BuildResult
from sitegen.building.pipeline import build
from sitegen.commands.deploy_folder import check_local_folder, publish_folder
from sitegen.commands.deploy_git import publish_git
from sitegen.commands.deploy_plan import LocalSite, Plan, published_files
from sitegen.commands.deploy_rsync import publish_rsync
from sitegen.commands.deploy_s3 import publish_s3
from sitegen.commands.deploy_targets import FolderTarget, GitTarget, RsyncTarget, Target


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


def deploy(options: DeployOptions) -> DeployResult:
    """Build the site, then make the target hold exactly the output.

    Raises SiteError when the site does not build or the target is refused (the
    target is then untouched), or when the transport fails (with its own words:
    PartlyDeployed once the target began to change).
    """
    output = options.output if options.output is not None else options.site_root / DEFAULT_OUTPUT
    target = options.target
    if isinstance(target, FolderTarget):
        check_local_folder(target.path, options.site_root, output, owned=True)
    elif isinstance(target, RsyncTarget) and target.local is not None:
        check_local_folder(target.local, options.site_root, output, owned=False)
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
        changes = publish_folder(target, site, options.dry_run)
    elif isinstance(target, RsyncTarget):
        changes = publish_rsync(target, site, options.dry_run)
    elif isinstance(target, GitTarget):
        changes = publish_git(target, site, options.dry_run)
    else:
        endpoint = options.endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None
        changes = publish_s3(target, site, options.dry_run, endpoint)
    return DeployResult(built, changes, time.perf_counter() - started)
