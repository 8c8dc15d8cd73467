"""`sitegen review`: its options, and what it prints. Playwright is an optional extra
(`pip install 'sitegen[review]'`): without it, the command says how to install it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sitegen.base.errors import SiteError
from sitegen.base.messages import _, ngettext, number
from sitegen.commands.cli_shared import (
    EXIT_OK,
    EXIT_SITE_ERRORS,
    EXIT_USAGE,
    Commands,
    build_options_arguments,
    instant,
    progress_shown,
    report_not_built,
    site_argument,
    unpublished_options,
)
from sitegen.commands.review_plan import DEFAULT_REVIEW, DEFAULT_VIEWPORTS, viewport

NEEDS_PLAYWRIGHT = (
    "sitegen review needs Playwright, which is not installed: pip install 'sitegen[review]'"
)


def add_parser(commands: Commands) -> None:
    review_command = commands.add_parser(
        "review",
        help=_("build the site at each phase and take screenshots of every page for sign-off"),
        description=_(
            "Build the site at an instant in each phase of its campaign (or at the "
            "instants given), take a screenshot of every page (or of those given) in every "
            "language at a phone's and a laptop's width in headless Chromium, and write a "
            "contact sheet, REVIEW/index.html: pages in rows; language, phase and width in "
            "columns; each shot linked to the whole page and to the built page. Needs the "
            "review extra: pip install 'sitegen[review]'."
        ),
    )
    site_argument(review_command)
    review_command.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="DIR",
        help=_("the review folder, replaced whole (default: SITE/%(folder)s)")
        % {"folder": DEFAULT_REVIEW},
    )
    review_command.add_argument(
        "--at",
        type=instant,
        action="append",
        default=[],
        metavar="ISO-8601",
        help=_(
            "build as at this instant instead of once per phase; repeat it for more "
            "(no offset: the site's time zone)"
        ),
    )
    review_command.add_argument(
        "--page",
        action="append",
        default=[],
        metavar="URL",
        help=_(
            "shoot only this page, in every language (a URL such as /fr/produits/, "
            "'*' matching any characters); repeat it for more (default: every page)"
        ),
    )
    default_sizes = _(" and ").join(size.name for size in DEFAULT_VIEWPORTS)
    review_command.add_argument(
        "--width",
        type=viewport,
        action="append",
        default=[],
        metavar="WIDTHxHEIGHT",
        help=_("a window size to shoot at, in CSS pixels; repeat it for more (default: %(sizes)s)")
        % {"sizes": default_sizes},
    )
    review_command.add_argument(
        "--browser",
        type=Path,
        metavar="PATH",
        help=_(
            "the Chromium to run, an absolute path outside the site and the review folder "
            "(default: /usr/bin/chromium when installed, else the one Playwright installed)"
        ),
    )
    unpublished_options(review_command)
    build_options_arguments(review_command)


def run(arguments: argparse.Namespace) -> int:
    if not _has_playwright():
        print(NEEDS_PLAYWRIGHT, file=sys.stderr)
        return EXIT_SITE_ERRORS
    from sitegen.commands.review import CannotReview, ReviewOptions, review
    from sitegen.commands.review_shots import CannotShoot

    output = arguments.output or arguments.site / DEFAULT_REVIEW
    options = ReviewOptions(
        site_root=arguments.site,
        output=arguments.output,
        at=tuple(arguments.at),
        pages=tuple(arguments.page),
        viewports=tuple(arguments.width) or DEFAULT_VIEWPORTS,
        browser=arguments.browser,
        drafts=arguments.drafts,
        future=arguments.future,
        jobs=arguments.jobs,
        progress=progress_shown(arguments),
    )
    try:
        result = review(options)
    except SiteError as error:
        return report_not_built(error, output)
    except CannotReview as error:
        print(f"sitegen review: {error}", file=sys.stderr)
        return EXIT_USAGE
    except CannotShoot as error:
        message = _("%(error)s; %(output)s was left as it was")
        print("sitegen review: " + message % {"error": error, "output": output}, file=sys.stderr)
        return EXIT_SITE_ERRORS
    except KeyboardInterrupt:
        message = _("interrupted; %(output)s was left as it was") % {"output": output}
        print(f"sitegen: {message}", file=sys.stderr)
        return 130
    if not arguments.quiet:
        moments = ", ".join(moment.label for moment in result.moments)
        print(
            ngettext(
                "Reviewed %(pages)s page at %(moments)s: %(shots)s screenshots in "
                "%(seconds)s s. Open %(sheet)s",
                "Reviewed %(pages)s pages at %(moments)s: %(shots)s screenshots in "
                "%(seconds)s s. Open %(sheet)s",
                result.pages,
            )
            % {
                "pages": result.pages,
                "moments": moments,
                "shots": result.shots,
                "seconds": number(result.seconds, "0.00"),
                "sheet": result.sheet,
            }
        )
    return EXIT_OK


def _has_playwright() -> bool:
    """Whether the review extra is installed; asked before building anything."""
    try:
        from playwright import sync_api
    except ImportError:
        return False
    return sync_api is not None
