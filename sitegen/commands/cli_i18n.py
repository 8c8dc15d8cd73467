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
from sitegen.base.messages import _, ngettext
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
        raise argparse.ArgumentTypeError(
            _("'%(text)s' is not a percentage from 0 to 100") % {"text": text}
        )
    return value


def add_parser(commands: Commands) -> None:
    group = commands.add_parser(
        "i18n",
        help=_("extract UI strings, update catalogs, see what is left to translate"),
        description=_(
            "Translation work: the UI strings of the templates (gettext catalogs), "
            "the pages and the data fields of every language."
        ),
    )
    i18n_commands = group.add_subparsers(dest="i18n_command", metavar="COMMAND", required=True)

    extract = i18n_commands.add_parser(
        "extract",
        help=_("write i18n/messages.pot from the templates"),
        description=_(
            "Extract every UI string of the templates of the site and of its themes "
            "into SITE/i18n/messages.pot. The file is reproducible: its creation date is "
            "SOURCE_DATE_EPOCH when set, else 1970-01-01."
        ),
    )
    site_argument(extract)

    update = i18n_commands.add_parser(
        "update",
        help=_("merge the strings into each language's catalog"),
        description=_(
            "Merge i18n/messages.pot into i18n/<lang>/LC_MESSAGES/messages.po for "
            "every language but the source language, keeping translations; strings no longer "
            "used are kept as obsolete (#~) entries. Missing catalogs are created."
        ),
    )
    site_argument(update)
    update.add_argument(
        "--theme",
        metavar="NAME",
        help=_(
            "update the i18n/ folder of theme NAME (the site's themes/NAME, else the bundled "
            "theme) from that theme's own templates instead (for theme authors)"
        ),
    )

    status = i18n_commands.add_parser(
        "status",
        help=_("how complete each language is"),
        description=_(
            "Per language: pages (missing, out of date, not stamped), UI strings "
            "and localized data fields, and a percentage over the three."
        ),
    )
    site_argument(status)
    status.add_argument(
        "--min",
        type=_percent,
        default=Decimal(0),
        metavar="PERCENT",
        help=_("exit with status 1 when a language is below this percentage (default: 0)"),
    )
    status.add_argument(
        "--format", choices=("text", "json"), default="text", help=_("output (default: text)")
    )

    stamp = i18n_commands.add_parser(
        "stamp",
        usage="%(prog)s [-h] [SITE] (FILE ... | --all)",
        help=_("record which version of its original a translation was made from"),
        description=_(
            "Write 'translated_from: <fingerprint of the original>' into the front "
            "matter of translations, so that 'sitegen i18n status' notices when the original "
            "changes. FILE is relative to the current folder or to the site."
        ),
    )
    stamp.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="[SITE] FILE",
        help=_(
            "the site folder (when the first path is a folder; default: .), then the "
            "translations to stamp"
        ),
    )
    stamp.add_argument(
        "--all",
        action="store_true",
        help=_("stamp every translation that has an original in the default language"),
    )
    stamp.set_defaults(stamp_parser=stamp)


def run(arguments: argparse.Namespace) -> int:
    from sitegen.commands import i18n_catalogs, i18n_extract, i18n_status

    command = arguments.i18n_command
    try:
        if command == "extract":
            created = i18n_extract.creation_date(environment_source_date())
            result = i18n_extract.extract(arguments.site, created)
            values = {
                "strings": ngettext("%(count)s string", "%(count)s strings", result.strings)
                % {"count": result.strings},
                "templates": ngettext("%(count)s template", "%(count)s templates", result.templates)
                % {"count": result.templates},
                "file": result.shown,
            }
            print(_("Extracted %(strings)s from %(templates)s into %(file)s") % values)
            return EXIT_OK
        if command == "update":
            created = i18n_extract.creation_date(environment_source_date())
            return _i18n_update(i18n_catalogs.update(arguments.site, arguments.theme, created))
        if command == "status":
            return _i18n_status(i18n_status.status(arguments.site), arguments.min, arguments.format)
        return _i18n_stamp(arguments)
    except SiteError as error:
        counted = print_problems(error)
        message = _("%(problems)s; nothing was written.") % {"problems": counted}
        print(f"\nsitegen i18n {command}: {message}", file=sys.stderr)
        return EXIT_SITE_ERRORS


def _i18n_update(results: list[i18n_catalogs.CatalogUpdate]) -> int:
    if not results:
        print(_("Nothing to update: the site has no language besides the source language."))
    for result in results:
        values = {
            "file": result.shown,
            "strings": result.strings,
            "untranslated": result.untranslated,
            "fuzzy": result.fuzzy,
            "obsolete": result.obsolete,
            "was": result.plural_forms_were,
            "now": result.plural_forms,
            "locale": result.language.locale,
        }
        if result.created:
            line = _("created %(file)s: %(strings)s strings, %(untranslated)s untranslated")
        else:
            line = _("updated %(file)s: %(strings)s strings, %(untranslated)s untranslated")
        line %= values
        if result.fuzzy:
            line += _(" (%(fuzzy)s fuzzy)") % values
        if result.obsolete:
            line += _(", %(obsolete)s obsolete") % values
        if result.plural_forms_were is not None:
            line += _("; plural forms: %(was)s -> %(now)s, the rule of %(locale)s") % values
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
            "sitegen i18n status: "
            + _("below --min %(minimum)s%%: %(languages)s")
            % {"minimum": i18n_report.format_percent(minimum), "languages": listed},
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
            _("give the translations to stamp, or --all")
            if not files
            else _("FILE and --all: pick one")
        )
    for result in i18n_stamp.stamp(site, files, every=arguments.all):
        values = {
            "file": result.shown,
            "original": result.original,
            "fingerprint": result.fingerprint,
        }
        if result.changed:
            print(_("stamped %(file)s (from %(original)s, %(fingerprint)s)") % values)
        else:
            print(_("already stamped: %(file)s (from %(original)s)") % values)
    return EXIT_OK
