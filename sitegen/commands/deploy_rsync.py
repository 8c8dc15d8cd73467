"""Publishing through the rsync command: to a daemon, a host over ssh, or a folder of
this machine, rsync comparing and sending only what changed.
"""

from __future__ import annotations

import shutil
import subprocess

from sitegen.base.atomicfiles import TEMPORARY_SUFFIX
from sitegen.base.messages import _
from sitegen.commands.deploy_plan import (
    DEPLOY_STAGING_PREFIX,
    LocalSite,
    Plan,
    failure,
    last_lines,
    refusal,
)
from sitegen.commands.deploy_targets import RsyncTarget
from sitegen.output.manifest import MANIFEST
from sitegen.output.staged import STAGING_PREFIX


def publish_rsync(target: RsyncTarget, site: LocalSite, dry_run: bool) -> Plan:
    """`rsync -a --delete --checksum`: rsync compares and sends only what changed, at
    the other end too. Without --times, an unchanged file keeps its modification time
    (every build writes its files anew; the ETags servers derive from times stay
    valid); the plan is read from rsync's --itemize-changes."""
    rsync = shutil.which("rsync")
    if rsync is None:
        raise refusal(
            _("cannot deploy to %(target)s: the rsync command is not installed")
            % {"target": target.shown},
            hint=_(
                "install rsync (apt-get install rsync, brew install rsync), or use another target"
            ),
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
        f"--exclude={DEPLOY_STAGING_PREFIX}*",
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
        raise (refusal if dry_run else failure)(
            _("rsync to %(target)s failed (exit %(status)s): %(output)s")
            % {
                "target": target.shown,
                "status": result.returncode,
                "output": last_lines(result.stderr),
            }
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
        code, _space, path = line.partition(" ")
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
