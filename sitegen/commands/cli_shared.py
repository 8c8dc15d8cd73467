"""What the commands of `sitegen` share: exit codes, the parser class, the options
several commands take (the site folder, --drafts/--future/--now, --jobs,
--quiet/--verbose), and how a build's problems, notes and summary are printed."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeAlias

from sitegen.base.errors import SiteError, format_problem
from sitegen.base.messages import N_, _, ngettext, number
from sitegen.base.parallel import default_jobs
from sitegen.base.progress import Progress, progress_for
from sitegen.building.buildcontract import BuildOptions, BuildResult

EXIT_OK = 0
EXIT_SITE_ERRORS = 1
"""The exit status when the site has problems."""
EXIT_USAGE = 2
"""Wrong command-line use: argparse's own status, and a command's for what only it can
tell (a --browser that `sitegen review` refuses to run)."""


def instant(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'%(text)s' is not an ISO 8601 date-time, such as 2026-11-10T17:00:00+01:00")
            % {"text": text}
        ) from None


class CommandParser(argparse.ArgumentParser):
    """An argument parser whose help may name what only a command's own module knows
    (deploy's targets, serve's port): `complete_help` adds it when the help is shown."""

    def __init__(
        self,
        *args: Any,
        complete_help: Callable[[CommandParser], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._complete_help = complete_help

    def format_help(self) -> str:
        if self._complete_help is not None:
            self._complete_help(self)
        return super().format_help()


Commands: TypeAlias = "argparse._SubParsersAction[CommandParser]"
"""What `sitegen`'s parser adds each command to (`add_parser` of each cli_ module)."""


def site_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "site", nargs="?", default=".", type=Path, help=_("the site folder (default: .)")
    )


def preview_options(command: argparse.ArgumentParser, now_help: str) -> None:
    """--drafts, --future and --now: which pages a build shows, and when."""
    unpublished_options(command)
    command.add_argument(
        "--now",
        type=instant,
        metavar="ISO-8601",
        help=_("%(purpose)s (no offset: the site's time zone)") % {"purpose": now_help},
    )


def unpublished_options(command: argparse.ArgumentParser) -> None:
    """--drafts and --future: the pages a build shows though visitors do not see them."""
    command.add_argument("--drafts", action="store_true", help=_("include draft pages"))
    command.add_argument(
        "--future",
        action="store_true",
        help=_("include pages whose publish date is still ahead"),
    )


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(
            _("'%(text)s' is not a number of processes (1 or more)") % {"text": text}
        )
    return jobs


def build_options_arguments(command: argparse.ArgumentParser) -> None:
    """--jobs, --quiet and --verbose: how `build` and `check` build."""
    command.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=default_jobs(),
        metavar="N",
        help=_(
            "render pages in N processes (default: one per core, here %(default)s); "
            "the output is the same whatever N"
        ),
    )
    output_options(command)


def output_options(command: argparse.ArgumentParser) -> None:
    """--quiet and --verbose: how much `build`, `check` and `deploy` print."""
    group = command.add_mutually_exclusive_group()
    group.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help=_("print only problems: no progress, no summary"),
    )
    group.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help=_(
            "also print each stage of the build (loading, rendering, copying, writing) "
            "with its count of files and its time"
        ),
    )


def progress_shown(arguments: argparse.Namespace) -> Progress:
    """A bar on a terminal after a second, stage lines in a log, nothing with --quiet."""
    return progress_for(sys.stderr, quiet=arguments.quiet, verbose=arguments.verbose)


def build_options(arguments: argparse.Namespace) -> BuildOptions:
    """What `build` and `check` were asked to build."""
    return BuildOptions(
        site_root=arguments.site,
        output=arguments.output,
        drafts=arguments.drafts,
        future=arguments.future,
        now=arguments.now,
        jobs=arguments.jobs,
        progress=progress_shown(arguments),
    )


def print_notes(result: BuildResult) -> None:
    """What the build noted of its sources without stopping (even with --quiet: a
    guess a user should confirm, such as a CSV file read as Windows-1252)."""
    here = Path.cwd()
    for note in result.notes:
        print(format_problem(note, relative_to=here, label="note"), file=sys.stderr)


def print_problems(error: SiteError) -> str:
    """Print every problem with its place; returns "1 problem" / "3 problems"."""
    here = Path.cwd()
    for problem in error.problems:
        print(format_problem(problem, relative_to=here), file=sys.stderr)
    count = len(error.problems)
    return ngettext("%(count)s problem", "%(count)s problems", count) % {"count": number(count)}


def report_not_built(error: SiteError, output: Path) -> int:
    counted = print_problems(error)
    print(
        "\nsitegen: "
        + _("the site was not built (%(problems)s); %(output)s was left as it was.")
        % {"problems": counted, "output": output},
        file=sys.stderr,
    )
    return EXIT_SITE_ERRORS


def summary(result: BuildResult) -> str:
    per_language = ", ".join(
        f"{number(count)} {code}" + _fallbacks(result.fallbacks_per_language[code])
        for code, count in result.pages_per_language.items()
    )
    total = sum(result.pages_per_language.values())
    values = {
        "pages": number(total),
        "languages": per_language,
        "output": result.output,
        "seconds": number(result.seconds, "0.00"),
        "files": number(result.files_written),
    }
    if result.up_to_date:
        return (
            ngettext(
                "Nothing changed since the last build: %(pages)s page (%(languages)s) in "
                "%(output)s is up to date (%(seconds)s s).",
                "Nothing changed since the last build: %(pages)s pages (%(languages)s) in "
                "%(output)s are up to date (%(seconds)s s).",
                total,
            )
            % values
        )
    return (
        ngettext(
            "Built %(pages)s page (%(languages)s), ",
            "Built %(pages)s pages (%(languages)s), ",
            total,
        )
        % values
        + ngettext(
            "%(files)s file written to %(output)s in %(seconds)s s.",
            "%(files)s files written to %(output)s in %(seconds)s s.",
            result.files_written,
        )
        % values
    )


def _fallbacks(count: int) -> str:
    if not count:
        return ""
    return " " + ngettext("(%(count)s fallback)", "(%(count)s fallbacks)", count) % {
        "count": number(count)
    }


ARGPARSE_MESSAGES = (
    N_("usage: "),
    # Translators: a heading argparse follows with ":" (French: end it with U+202F).
    N_("positional arguments"),
    # Translators: a heading argparse follows with ":" (French: end it with U+202F).
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("can't open '%(filename)s': %(error)s"),
)
"""What argparse itself says to a user (its headings, its errors), as Python 3.11+
writes it, so that the catalog holds them: argparse asks its module's `_`."""


def speak_argparse() -> None:
    """Have argparse's own words (ARGPARSE_MESSAGES) asked of sitegen's catalog:
    argparse looks them up through its module's `_` and `ngettext` (gettext's, in
    a domain of its own that no catalog sitegen ships answers) when it writes them."""
    setattr(argparse, "_", _)  # noqa: B010 - argparse declares no such attribute
    setattr(argparse, "ngettext", ngettext)  # noqa: B010
