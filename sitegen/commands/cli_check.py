"""`sitegen check`: its options, and the findings printed with their place."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sitegen.base.errors import SiteError, format_problem
from sitegen.base.messages import _, ngettext, number
from sitegen.building.buildcontract import DEFAULT_OUTPUT
from sitegen.commands.cli_shared import (
    EXIT_OK,
    EXIT_SITE_ERRORS,
    Commands,
    build_options,
    build_options_arguments,
    preview_options,
    print_notes,
    print_problems,
    report_not_built,
    site_argument,
    summary,
)


def add_parser(commands: Commands) -> None:
    check_command = commands.add_parser(
        "check",
        help=_("build the site, then check its links, images, alternates, titles, descriptions"),
        description=_(
            "Build the site as 'sitegen build' does, then check what was written: "
            "every internal link, image, script and stylesheet leads to a file of the output and "
            "every #fragment to an element of its page; every image has an alt attribute; "
            "hreflang alternates exist and list each other back; every page meant for search "
            "engines has a description, and no two pages of one language share a title or a "
            "description. Links to other sites are not fetched. Each problem names the page and "
            "the source file it was made from; the exit status is 1 when there is any."
        ),
    )
    site_argument(check_command)
    check_command.add_argument(
        "--output",
        "-o",
        type=Path,
        help=_(
            "build into this folder and keep it (default: a temporary folder, removed "
            "afterwards, so that SITE/%(output)s stays as the last build left it)"
        )
        % {"output": DEFAULT_OUTPUT},
    )
    preview_options(check_command, _("build as if it were this instant"))
    build_options_arguments(check_command)


def run(arguments: argparse.Namespace) -> int:
    from sitegen.commands.check import check_site, check_summary

    options = build_options(arguments)
    try:
        result, report = check_site(options)
    except SiteError as error:
        if arguments.output is not None:
            return report_not_built(error, arguments.output)
        counted = print_problems(error)
        print(
            "\nsitegen check: "
            + _("the site was not built (%(problems)s); nothing was checked.")
            % {"problems": counted},
            file=sys.stderr,
        )
        return EXIT_SITE_ERRORS
    except KeyboardInterrupt:
        print(_("sitegen: interrupted; nothing was checked"), file=sys.stderr)
        return 130
    print_notes(result)
    if arguments.output is not None and not arguments.quiet:
        print(summary(result))
    elif not arguments.quiet:
        pages = sum(result.pages_per_language.values())
        message = ngettext(
            "Built %(pages)s page in a temporary folder in %(seconds)s s.",
            "Built %(pages)s pages in a temporary folder in %(seconds)s s.",
            pages,
        )
        print(message % {"pages": pages, "seconds": number(result.seconds, "0.00")})
    here = Path.cwd()
    for finding in report.findings:
        print(format_problem(finding.as_problem(), relative_to=here), file=sys.stderr)
    if not arguments.quiet:
        print(check_summary(report))
    return EXIT_SITE_ERRORS if report.findings else EXIT_OK
