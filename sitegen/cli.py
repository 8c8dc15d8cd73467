"""The `sitegen` command: parses arguments, calls the build, prints what happened.

Exit codes: 0 success, 1 the site has problems (all printed, with their place),
2 wrong command-line use.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from babel.numbers import format_decimal

from sitegen import __version__
from sitegen.build import DEFAULT_OUTPUT, BuildOptions, BuildResult, build
from sitegen.errors import SiteError, format_problem

EXIT_OK = 0
EXIT_SITE_ERRORS = 1
EXIT_USAGE = 2


def _instant(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not an ISO 8601 date-time, such as 2026-11-10T17:00:00+01:00"
        ) from None


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="sitegen",
        description="Build bilingual campaign sites from Markdown, YAML and CSV.",
    )
    main.add_argument("--version", action="version", version=f"sitegen {__version__}")
    commands = main.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build_command = commands.add_parser(
        "build",
        help="build the site into a folder",
        description="Build the site. Nothing is written unless the whole site builds: "
        "the previous output stays as it was when there is any problem.",
    )
    build_command.add_argument(
        "site", nargs="?", default=".", type=Path, help="the site folder (default: .)"
    )
    build_command.add_argument(
        "--output",
        "-o",
        type=Path,
        help=f"where to write the site (default: SITE/{DEFAULT_OUTPUT})",
    )
    build_command.add_argument("--drafts", action="store_true", help="include draft pages")
    build_command.add_argument(
        "--future", action="store_true", help="include pages whose publish date is still ahead"
    )
    build_command.add_argument(
        "--now",
        type=_instant,
        metavar="ISO-8601",
        help="build as if it were this instant (no offset: the site's time zone)",
    )
    return main


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    if arguments.command == "build":
        return _build(arguments)
    return EXIT_USAGE  # pragma: no cover - argparse rejects unknown commands


def _build(arguments: argparse.Namespace) -> int:
    options = BuildOptions(
        site_root=arguments.site,
        output=arguments.output,
        drafts=arguments.drafts,
        future=arguments.future,
        now=arguments.now,
    )
    try:
        result = build(options)
    except SiteError as error:
        return _report(error, arguments.output or arguments.site / DEFAULT_OUTPUT)
    except KeyboardInterrupt:
        print("sitegen: interrupted; the previous output was left as it was", file=sys.stderr)
        return 130
    print(_summary(result))
    return EXIT_OK


def _report(error: SiteError, output: Path) -> int:
    here = Path.cwd()
    for problem in error.problems:
        print(format_problem(problem, relative_to=here), file=sys.stderr)
    count = len(error.problems)
    noun = "problem" if count == 1 else "problems"
    print(
        f"\nsitegen: the site was not built ({count} {noun}); {output} was left as it was.",
        file=sys.stderr,
    )
    return EXIT_SITE_ERRORS


def _summary(result: BuildResult) -> str:
    per_language = ", ".join(
        f"{count} {code}" + _fallbacks(result.fallbacks_per_language[code])
        for code, count in result.pages_per_language.items()
    )
    total = sum(result.pages_per_language.values())
    return (
        f"Built {total} pages ({per_language}), {result.files_written} files written "
        f"to {result.output} in {format_decimal(result.seconds, '0.00', locale='en')} s."
    )


def _fallbacks(count: int) -> str:
    if not count:
        return ""
    return f" ({count} fallback{'s' if count > 1 else ''})"
