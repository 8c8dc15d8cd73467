"""`sitegen deploy`: its options (the target's forms named in its help), and what it
prints of what it published."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.base.errors import SiteError
from sitegen.base.messages import _, number
from sitegen.building.buildcontract import DEFAULT_OUTPUT
from sitegen.commands.cli_shared import (
    EXIT_OK,
    EXIT_SITE_ERRORS,
    CommandParser,
    Commands,
    output_options,
    print_notes,
    print_problems,
    progress_shown,
    site_argument,
    summary,
)

if TYPE_CHECKING:
    from sitegen.commands import deploy_targets


def _deploy_target(text: str) -> deploy_targets.Target:
    from sitegen.commands import deploy_targets

    try:
        return deploy_targets.parse_target(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_parser(commands: Commands) -> None:
    deploy_command = commands.add_parser(
        "deploy",
        help=_("build the site, then publish it to a folder, a host, a git branch or S3"),
        description=_(
            "Build the site as 'sitegen build' does (a site with problems is not "
            "deployed), then make TARGET hold exactly the output: new and changed files are "
            "sent, files that went are deleted, unchanged files are left alone. The manifest "
            "(.sitegen-manifest.json) is never published."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        complete_help=_deploy_help,
    )
    site_argument(deploy_command)
    deploy_command.add_argument(
        "target", type=_deploy_target, metavar="TARGET", help=_("where to publish (below)")
    )
    deploy_command.add_argument(
        "--dry-run",
        "-n",
        action="store_true",
        help=_("build, then list what would be uploaded and deleted, changing nothing there"),
    )
    deploy_command.add_argument(
        "--output",
        "-o",
        type=Path,
        help=_("where to build the site first (default: SITE/%(output)s)")
        % {"output": DEFAULT_OUTPUT},
    )
    deploy_command.add_argument(
        "--endpoint-url",
        metavar="URL",
        help=_(
            "s3:// only: the address of an S3-compatible service (default: "
            "$AWS_ENDPOINT_URL, else Amazon S3)"
        ),
    )
    output_options(deploy_command)
    deploy_command.set_defaults(deploy_parser=deploy_command)


def _deploy_help(command: CommandParser) -> None:
    from sitegen.commands.deploy_targets import TARGET_SYNTAX

    command.epilog = _("TARGET is one of:") + f"\n{TARGET_SYNTAX}"


def run(arguments: argparse.Namespace) -> int:
    from sitegen.commands import deploy, deploy_targets
    from sitegen.commands.deploy_plan import PartlyDeployed

    target: deploy_targets.Target = arguments.target
    if arguments.endpoint_url and not isinstance(target, deploy_targets.S3Target):
        arguments.deploy_parser.error(_("--endpoint-url is for s3:// targets only"))
    options = deploy.DeployOptions(
        site_root=arguments.site,
        target=target,
        output=arguments.output,
        dry_run=arguments.dry_run,
        endpoint_url=arguments.endpoint_url,
        progress=progress_shown(arguments),
    )
    try:
        result = deploy.deploy(options)
    except PartlyDeployed as error:
        counted = print_problems(error)
        print(
            "\nsitegen deploy: "
            + _("%(problems)s; %(target)s may be partly updated: deploy again to complete it.")
            % {"problems": counted, "target": target.shown},
            file=sys.stderr,
        )
        return EXIT_SITE_ERRORS
    except SiteError as error:
        counted = print_problems(error)
        message = _("%(problems)s; nothing was deployed.") % {"problems": counted}
        print(f"\nsitegen deploy: {message}", file=sys.stderr)
        return EXIT_SITE_ERRORS
    except KeyboardInterrupt:
        message = _("interrupted while deploying to %(target)s") % {"target": target.shown}
        print(f"sitegen deploy: {message}", file=sys.stderr)
        return 130
    print_notes(result.built)
    if arguments.quiet:
        return EXIT_OK
    print(summary(result.built))
    changes = result.plan
    # the counts as a script reads them in English ("N uploaded, N deleted, N unchanged")
    counts = {
        "uploaded": len(changes.added) + len(changes.changed),
        "deleted": len(changes.deleted),
        "unchanged": changes.unchanged,
        "target": target.shown,
    }
    if options.dry_run:
        labels = {"new": _("new"), "changed": _("changed"), "deleted": _("deleted")}
        for path in changes.uploads:
            print(f"  {labels['new' if path in changes.added else 'changed']:<8} {path}")
        for path in changes.deleted:
            print(f"  {labels['deleted']:<8} {path}")
        print(
            _(
                "Dry run: %(uploaded)s would be uploaded, %(deleted)s deleted, "
                "%(unchanged)s unchanged; nothing was changed at %(target)s."
            )
            % counts
        )
    else:
        seconds = number(result.seconds, "0.00")
        print(
            _(
                "Deployed to %(target)s: %(uploaded)s uploaded, %(deleted)s deleted, "
                "%(unchanged)s unchanged in %(seconds)s s."
            )
            % {**counts, "seconds": seconds}
        )
    return EXIT_OK
