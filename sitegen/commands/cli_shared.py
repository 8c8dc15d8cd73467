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

from babel.numbers import format_decimal

from sitegen.base.errors import SiteError, format_problem
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
            f"'{text}' is not an ISO 8601 date-time, such as 2026-11-10T17:00:00+01:00"
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
        "site", nargs="?", default=".", type=Path, help="the site folder (default: .)"
    )


def preview_options(command: argparse.ArgumentParser, now_help: str) -> None:
    """--drafts, --future and --now: which pages a build shows, and when."""
    unpublished_options(command)
    command.add_argument(
        "--now",
        type=instant,
        metavar="ISO-8601",
        help=f"{now_help} (no offset: the site's time zone)",
    )


def unpublished_options(command: argparse.ArgumentParser) -> None:
    """--drafts and --future: the pages a build shows though visitors do not see them."""
    command.add_argument("--drafts", action="store_true", help="include draft pages")
    command.add_argument(
        "--future", action="store_true", help="include pages whose publish date is still ahead"
    )


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes (1 or more)")
    return jobs


def build_options_arguments(command: argparse.ArgumentParser) -> None:
    """--jobs, --quiet and --verbose: how `build` and `check` build."""
    command.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=default_jobs(),
        metavar="N",
        help="render pages in N processes (default: one per core, here %(default)s); "
        "the output is the same whatever N",
    )
    output_options(command)


def output_options(command: argparse.ArgumentParser) -> None:
    """--quiet and --verbose: how much `build`, `check` and `deploy` print."""
    group = command.add_mutually_exclusive_group()
    group.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="print only problems: no progress, no summary",
    )
    group.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="also print each stage of the build (loading, rendering, copying, writing) "
        "with its count of files and its time",
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
    return f"{count} {'problem' if count == 1 else 'problems'}"


def report_not_built(error: SiteError, output: Path) -> int:
    counted = print_problems(error)
    print(
        f"\nsitegen: the site was not built ({counted}); {output} was left as it was.",
        file=sys.stderr,
    )
    return EXIT_SITE_ERRORS


def summary(result: BuildResult) -> str:
    per_language = ", ".join(
        f"{count} {code}" + _fallbacks(result.fallbacks_per_language[code])
        for code, count in result.pages_per_language.items()
    )
    total = sum(result.pages_per_language.values())
    seconds = format_decimal(result.seconds, "0.00", locale="en")
    if result.up_to_date:
        return (
            f"Nothing changed since the last build: {total} pages ({per_language}) "
            f"in {result.output} are up to date ({seconds} s)."
        )
    return (
        f"Built {total} pages ({per_language}), {result.files_written} "
        f"{'file' if result.files_written == 1 else 'files'} written "
        f"to {result.output} in {seconds} s."
    )


def _fallbacks(count: int) -> str:
    if not count:
        return ""
    return f" ({count} fallback{'s' if count > 1 else ''})"
