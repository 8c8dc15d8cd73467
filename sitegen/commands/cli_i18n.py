"""`sitegen i18n` and its commands (extract, update, status, stamp): their options, and
what they print."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.base.errors import SiteError
from sitegen.building.buildcontract import environment_source_date
from sitegen.commands.cli_shared import (
    EXIT_OK,
    EXIT_SITE_ERRORS,
    Commands,
    print_problems,
    site_argument,
)

if TYPE_CHECKING:
    from sitegen.commands import i18n_catalogs, i18n_status


def _percent(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().removesuffix("%"))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"'{text}' is not a percentage from 0 to 100")
    return value


def add_parser(commands: Commands) -> None:
    group = commands.add_parser(
        "i18n",
        help="extract UI strings, update catalogs, see what is left to translate",
        description="Translation work: the UI strings of the templates (gettext catalogs), "
        "the pages and the data fields of every language.",
    )
    i18n_commands = group.add_subparsers(dest="i18n_command", metavar="COMMAND", required=True)

    extract = i18n_commands.add_parser(
        "extract",
        help="write i18n/messages.pot from the templates",
        description="Extract every UI string of the templates of the site and of its themes "
        "into SITE/i18n/messages.pot. The file is reproducible: its creation date is "
        "SOURCE_DATE_EPOCH when set, else 1970-01-01.",
    )
    site_argument(extract)

    update = i18n_commands.add_parser(
        "update",
        help="merge the strings into each language's catalog",
        description="Merge i18n/messages.pot into i18n/<lang>/LC_MESSAGES/messages.po for "
        "every language but the source language, keeping translations; strings no longer "
        "used are kept as obsolete (#~) entries. Missing catalogs are created.",
    )
    site_argument(update)
    update.add_argument(
        "--theme",
        metavar="NAME",
        help="update the i18n/ folder of theme NAME (the site's themes/NAME, else the bundled "
        "theme) from that theme's own templates instead (for theme authors)",
    )

    status = i18n_commands.add_parser(
        "status",
        help="how complete each language is",
        description="Per language: pages (missing, out of date, not stamped), UI strings "
        "and localized data fields, and a percentage over the three.",
    )
    site_argument(status)
    status.add_argument(
        "--min",
        type=_percent,
        default=Decimal(0),
        metavar="PERCENT",
        help="exit with status 1 when a language is below this percentage (default: 0)",
    )
    status.add_argument(
        "--format", choices=("text", "json"), default="text", help="output (default: text)"
    )

    stamp = i18n_commands.add_parser(
        "stamp",
        usage="%(prog)s [-h] [SITE] (FILE ... | --all)",
        help="record which version of its original a translation was made from",
        description="Write 'translated_from: <fingerprint of the original>' into the front "
        "matter of translations, so that 'sitegen i18n status' notices when the original "
        "changes. FILE is relative to the current folder or to the site.",
    )
    stamp.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="[SITE] FILE",
        help="the site folder (when the first path is a folder; default: .), then the "
        "translations to stamp",
    )
    stamp.add_argument(
        "--all",
        action="store_true",
        help="stamp every translation that has an original in the default language",
    )
    stamp.set_defaults(stamp_parser=stamp)


def run(arguments: argparse.Namespace) -> int:
    from sitegen.commands import i18n_catalogs, i18n_extract, i18n_status

    command = arguments.i18n_command
    try:
        if command == "extract":
            created = i18n_extract.creation_date(environment_source_date())
            result = i18n_extract.extract(arguments.site, created)
            strings = "string" if result.strings == 1 else "strings"
            templates = "template" if result.templates == 1 else "templates"
            print(
                f"Extracted {result.strings} {strings} from {result.templates} {templates} "
                f"into {result.shown}"
            )
            return EXIT_OK
        if command == "update":
            created = i18n_extract.creation_date(environment_source_date())
            return _i18n_update(i18n_catalogs.update(arguments.site, arguments.theme, created))
        if command == "status":
            return _i18n_status(i18n_status.status(arguments.site), arguments.min, arguments.format)
        return _i18n_stamp(arguments)
    except SiteError as error:
        counted = print_problems(error)
        print(f"\nsitegen i18n {command}: {counted}; nothing was written.", file=sys.stderr)
        return EXIT_SITE_ERRORS


def _i18n_update(results: list[i18n_catalogs.CatalogUpdate]) -> int:
    if not results:
        print("Nothing to update: the site has no language besides the source language.")
    for result in results:
        line = (
            f"{'created' if result.created else 'updated'} {result.shown}: "
            f"{result.strings} strings, {result.untranslated} untranslated"
        )
        if result.fuzzy:
            line += f" ({result.fuzzy} fuzzy)"
        if result.obsolete:
            line += f", {result.obsolete} obsolete"
        if result.plural_forms_were is not None:
            line += (
                f"; plural forms: {result.plural_forms_were} -> {result.plural_forms}, "
                f"the rule of {result.language.locale}"
            )
        print(line)
    return EXIT_OK


def _i18n_status(report: i18n_status.StatusReport, minimum: Decimal, output: str) -> int:
    from sitegen.commands import i18n_report

    if output == "json":
        print(json.dumps(i18n_report.status_json(report, minimum), sort_keys=True, indent=2))
    else:
        print(i18n_report.status_text(report))
    below = [state for state in report.languages if state.below(minimum)]
    if below:
        listed = ", ".join(
            f"{state.language.code} ({i18n_report.format_percent(state.percent)}%)"
            for state in below
        )
        print(
            f"sitegen i18n status: below --min {i18n_report.format_percent(minimum)}%: {listed}",
            file=sys.stderr,
        )
        return EXIT_SITE_ERRORS
    return EXIT_OK


def _i18n_stamp(arguments: argparse.Namespace) -> int:
    from sitegen.commands import i18n_stamp

    paths: list[Path] = arguments.paths
    site, files = (paths[0], paths[1:]) if paths and paths[0].is_dir() else (Path("."), paths)
    if arguments.all == bool(files):
        arguments.stamp_parser.error(
            "give the translations to stamp, or --all" if not files else "FILE and --all: pick one"
        )
    for result in i18n_stamp.stamp(site, files, every=arguments.all):
        if result.changed:
            print(f"stamped {result.shown} (from {result.original}, {result.fingerprint})")
        else:
            print(f"already stamped: {result.shown} (from {result.original})")
    return EXIT_OK
