"""The `sitegen` command: parses arguments, calls the build, prints what happened.

Exit codes: 0 success, 1 the site has problems (all printed, with their place),
2 wrong command-line use.

Each command other than `build` imports its module in the function that runs it:
`sitegen build` does not pay for deploy, serve (tornado, livereload), i18n, check...
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shlex
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.numbers import format_decimal

from sitegen import __version__
from sitegen.base.errors import SiteError, format_problem
from sitegen.base.layout import CONFIG_FILE
from sitegen.base.parallel import default_jobs
from sitegen.base.progress import Progress, progress_for
from sitegen.base.timeutil import as_instant
from sitegen.building.buildcache import CACHE_DIR, clear_cache
from sitegen.building.buildcontract import (
    DEFAULT_OUTPUT,
    BuildOptions,
    BuildResult,
    environment_source_date,
)
from sitegen.building.pipeline import build
from sitegen.output.inplace import UpdateFinished
from sitegen.settings.config import load_config

if TYPE_CHECKING:
    from sitegen.commands import deploy_targets, i18n

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


class _Parser(argparse.ArgumentParser):
    """An argument parser whose help may name what only a command's own module knows
    (deploy's targets, serve's port): `complete_help` adds it when the help is shown."""

    def __init__(
        self, *args: Any, complete_help: Callable[[_Parser], None] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._complete_help = complete_help

    def format_help(self) -> str:
        if self._complete_help is not None:
            self._complete_help(self)
        return super().format_help()


def parser() -> argparse.ArgumentParser:
    main = _Parser(
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
    _site_argument(build_command)
    build_command.add_argument(
        "--output",
        "-o",
        type=Path,
        help=f"where to write the site (default: SITE/{DEFAULT_OUTPUT})",
    )
    _preview_options(build_command, "build as if it were this instant")
    build_command.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help=f"build everything, neither using nor keeping {CACHE_DIR}/build/ "
        "(what the last build learnt, so that the next one does only what changed)",
    )
    _build_options_arguments(build_command)
    clean_command = commands.add_parser(
        "clean",
        help=f"remove the site's cache ({CACHE_DIR}/)",
        description=f"Remove {CACHE_DIR}/ from the site: what builds kept to go faster "
        "(pages read, bodies rendered, what each page used, resized images). The next "
        "build does everything again. The output folder is left as it is.",
    )
    _site_argument(clean_command)
    _new_parser(commands)
    _serve_parser(commands)
    _check_parser(commands)
    _i18n_parser(commands)
    _deploy_parser(commands)
    schedule_command = commands.add_parser(
        "schedule",
        help="list the coming instants at which the built site changes",
        description="List the coming changes of the site: campaign phases, pages published "
        "or expiring, products becoming available or not, earliest first, so that a "
        "scheduled job can rebuild at the right time.",
    )
    _site_argument(schedule_command)
    schedule_command.add_argument(
        "--now",
        type=_instant,
        metavar="ISO-8601",
        help="list the changes after this instant instead of after the clock's now",
    )
    schedule_command.add_argument(
        "--format", choices=("text", "json"), default="text", help="output (default: text)"
    )
    return main


def _site_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "site", nargs="?", default=".", type=Path, help="the site folder (default: .)"
    )


def _preview_options(command: argparse.ArgumentParser, now_help: str) -> None:
    """--drafts, --future and --now: which pages a build shows, and when."""
    command.add_argument("--drafts", action="store_true", help="include draft pages")
    command.add_argument(
        "--future", action="store_true", help="include pages whose publish date is still ahead"
    )
    command.add_argument(
        "--now",
        type=_instant,
        metavar="ISO-8601",
        help=f"{now_help} (no offset: the site's time zone)",
    )


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes (1 or more)")
    return jobs


def _build_options_arguments(command: argparse.ArgumentParser) -> None:
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
    _output_options(command)


def _output_options(command: argparse.ArgumentParser) -> None:
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


def _progress(arguments: argparse.Namespace) -> Progress:
    """A bar on a terminal after a second, stage lines in a log, nothing with --quiet."""
    return progress_for(sys.stderr, quiet=arguments.quiet, verbose=arguments.verbose)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    if arguments.command == "build":
        return _build(arguments)
    if arguments.command == "check":
        return _check(arguments)
    if arguments.command == "i18n":
        return _i18n(arguments)
    if arguments.command == "schedule":
        return _schedule(arguments)
    if arguments.command == "new":
        return _new(arguments)
    if arguments.command == "serve":
        return _serve(arguments)
    if arguments.command == "deploy":
        return _deploy(arguments)
    if arguments.command == "clean":
        return _clean(arguments)
    return EXIT_USAGE  # pragma: no cover - argparse rejects unknown commands


def _build_options(arguments: argparse.Namespace) -> BuildOptions:
    """What `build` and `check` were asked to build."""
    return BuildOptions(
        site_root=arguments.site,
        output=arguments.output,
        drafts=arguments.drafts,
        future=arguments.future,
        now=arguments.now,
        jobs=arguments.jobs,
        progress=_progress(arguments),
    )


def _build(arguments: argparse.Namespace) -> int:
    options = replace(_build_options(arguments), cache=arguments.cache)
    try:
        result = build(options)
    except SiteError as error:
        return _report(error, arguments.output or arguments.site / DEFAULT_OUTPUT)
    except UpdateFinished:
        print(
            "sitegen: interrupted while the new files were moved in; the moves were "
            "finished: the output holds the new site",
            file=sys.stderr,
        )
        return 130
    except KeyboardInterrupt:
        print("sitegen: interrupted; the previous output was left as it was", file=sys.stderr)
        return 130
    _print_notes(result)
    if not arguments.quiet:
        print(_summary(result))
    return EXIT_OK


def _print_notes(result: BuildResult) -> None:
    """What the build noted of its sources without stopping (even with --quiet: a
    guess a user should confirm, such as a CSV file read as Windows-1252)."""
    here = Path.cwd()
    for note in result.notes:
        print(format_problem(note, relative_to=here, label="note"), file=sys.stderr)


def _print_problems(error: SiteError) -> str:
    """Print every problem with its place; returns "1 problem" / "3 problems"."""
    here = Path.cwd()
    for problem in error.problems:
        print(format_problem(problem, relative_to=here), file=sys.stderr)
    count = len(error.problems)
    return f"{count} {'problem' if count == 1 else 'problems'}"


def _report(error: SiteError, output: Path) -> int:
    counted = _print_problems(error)
    print(
        f"\nsitegen: the site was not built ({counted}); {output} was left as it was.",
        file=sys.stderr,
    )
    return EXIT_SITE_ERRORS


def _summary(result: BuildResult) -> str:
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


def _clean(arguments: argparse.Namespace) -> int:

    folder = arguments.site / CACHE_DIR
    if clear_cache(arguments.site):
        print(f"Removed {folder}.")
    else:
        print(f"Nothing to remove: {folder} does not exist.")
    return EXIT_OK


# ---------------------------------------------------------------- sitegen check


def _check_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    check_command = commands.add_parser(
        "check",
        help="build the site, then check its links, images, alternates, titles, descriptions",
        description="Build the site as 'sitegen build' does, then check what was written: "
        "every internal link, image, script and stylesheet leads to a file of the output and "
        "every #fragment to an element of its page; every image has an alt attribute; "
        "hreflang alternates exist and list each other back; every page meant for search "
        "engines has a description, and no two pages of one language share a title or a "
        "description. Links to other sites are not fetched. Each problem names the page and "
        "the source file it was made from; the exit status is 1 when there is any.",
    )
    _site_argument(check_command)
    check_command.add_argument(
        "--output",
        "-o",
        type=Path,
        help="build into this folder and keep it (default: a temporary folder, removed "
        f"afterwards, so that SITE/{DEFAULT_OUTPUT} stays as the last build left it)",
    )
    _preview_options(check_command, "build as if it were this instant")
    _build_options_arguments(check_command)


def _check(arguments: argparse.Namespace) -> int:
    from sitegen.commands.check import check_site, check_summary

    options = _build_options(arguments)
    try:
        result, report = check_site(options)
    except SiteError as error:
        if arguments.output is not None:
            return _report(error, arguments.output)
        counted = _print_problems(error)
        print(
            f"\nsitegen check: the site was not built ({counted}); nothing was checked.",
            file=sys.stderr,
        )
        return EXIT_SITE_ERRORS
    except KeyboardInterrupt:
        print("sitegen: interrupted; nothing was checked", file=sys.stderr)
        return 130
    _print_notes(result)
    if arguments.output is not None and not arguments.quiet:
        print(_summary(result))
    elif not arguments.quiet:
        pages = sum(result.pages_per_language.values())
        seconds = format_decimal(result.seconds, "0.00", locale="en")
        print(f"Built {pages} pages in a temporary folder in {seconds} s.")
    here = Path.cwd()
    for finding in report.findings:
        print(format_problem(finding.as_problem(), relative_to=here), file=sys.stderr)
    if not arguments.quiet:
        print(check_summary(report))
    return EXIT_SITE_ERRORS if report.findings else EXIT_OK


# ---------------------------------------------------------------- sitegen i18n


def _percent(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().removesuffix("%"))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"'{text}' is not a percentage from 0 to 100")
    return value


def _i18n_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
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
    _site_argument(extract)

    update = i18n_commands.add_parser(
        "update",
        help="merge the strings into each language's catalog",
        description="Merge i18n/messages.pot into i18n/<lang>/LC_MESSAGES/messages.po for "
        "every language but the source language, keeping translations; strings no longer "
        "used are kept as obsolete (#~) entries. Missing catalogs are created.",
    )
    _site_argument(update)
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
    _site_argument(status)
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


def _i18n(arguments: argparse.Namespace) -> int:
    from sitegen.commands import i18n

    command = arguments.i18n_command
    try:
        if command == "extract":
            created = i18n.creation_date(environment_source_date())
            result = i18n.extract(arguments.site, created)
            strings = "string" if result.strings == 1 else "strings"
            templates = "template" if result.templates == 1 else "templates"
            print(
                f"Extracted {result.strings} {strings} from {result.templates} {templates} "
                f"into {result.shown}"
            )
            return EXIT_OK
        if command == "update":
            created = i18n.creation_date(environment_source_date())
            return _i18n_update(i18n.update(arguments.site, arguments.theme, created))
        if command == "status":
            return _i18n_status(i18n.status(arguments.site), arguments.min, arguments.format)
        return _i18n_stamp(arguments)
    except SiteError as error:
        counted = _print_problems(error)
        print(f"\nsitegen i18n {command}: {counted}; nothing was written.", file=sys.stderr)
        return EXIT_SITE_ERRORS


def _i18n_update(results: list[i18n.CatalogUpdate]) -> int:
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
        print(line)
    return EXIT_OK


def _i18n_status(report: i18n.StatusReport, minimum: Decimal, output: str) -> int:
    from sitegen.commands import i18n

    if output == "json":
        print(json.dumps(i18n.status_json(report, minimum), sort_keys=True, indent=2))
    else:
        print(i18n.status_text(report))
    below = [state for state in report.languages if state.below(minimum)]
    if below:
        listed = ", ".join(
            f"{state.language.code} ({i18n.format_percent(state.percent)}%)" for state in below
        )
        print(
            f"sitegen i18n status: below --min {i18n.format_percent(minimum)}%: {listed}",
            file=sys.stderr,
        )
        return EXIT_SITE_ERRORS
    return EXIT_OK


def _i18n_stamp(arguments: argparse.Namespace) -> int:
    from sitegen.commands import i18n

    paths: list[Path] = arguments.paths
    site, files = (paths[0], paths[1:]) if paths and paths[0].is_dir() else (Path("."), paths)
    if arguments.all == bool(files):
        arguments.stamp_parser.error(
            "give the translations to stamp, or --all" if not files else "FILE and --all: pick one"
        )
    for result in i18n.stamp(site, files, every=arguments.all):
        if result.changed:
            print(f"stamped {result.shown} (from {result.original}, {result.fingerprint})")
        else:
            print(f"already stamped: {result.shown} (from {result.original})")
    return EXIT_OK


# ---------------------------------------------------------------- sitegen schedule


def _schedule(arguments: argparse.Namespace) -> int:
    from sitegen.commands import schedule

    try:
        config = load_config(arguments.site)
        now = as_instant(arguments.now or dt.datetime.now(dt.UTC), config.timezone)
        changes = schedule.upcoming_changes(config, now)
    except SiteError as error:
        counted = _print_problems(error)
        print(f"\nsitegen schedule: {counted}.", file=sys.stderr)
        return EXIT_SITE_ERRORS
    zone = str(config.timezone.key)
    if arguments.format == "json":
        print(json.dumps(schedule.schedule_json(changes, now, zone), indent=2))
        return EXIT_OK
    if not changes:
        print(f"No change is scheduled after {now.isoformat()}.")
        return EXIT_OK
    print(f"Coming changes after {now.isoformat()} (times in {zone}):")
    for change in changes:
        place = change.source + (f":{change.line}" if change.line else "")
        local = change.at.astimezone(config.timezone).isoformat()
        print(f"  {local}  {change.description}  ({place})")
    print(f"Next rebuild: {changes[0].at.astimezone(config.timezone).isoformat()}")
    return EXIT_OK


# ---------------------------------------------------------------- sitegen new


def _new_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    new = commands.add_parser(
        "new",
        help="make a new site, ready to build",
        description="Make a starter site in the folder NAME (created if missing; an existing "
        "folder must be empty): a bilingual (French / English) Double 11 landing page with a "
        "countdown to the next Double 11, merchant spotlights and a product grid, a news "
        "article, and a small product feed, for the double11 theme bundled with sitegen.",
    )
    new.add_argument("name", type=Path, metavar="NAME", help="the folder to make the site in")


_NEW_SITE_PARTS = {
    "site.yaml": "settings, and the Double 11 {year} campaign (Beijing time)",
    "content": "a landing page and a news article, in French and in English",
    "data": "the feeds: merchants, products and their categories",
    "static": "images of the merchants and products",
    ".gitignore": "keeps output/ out of version control",
}


def _new(arguments: argparse.Namespace) -> int:
    from sitegen.commands import scaffold

    target: Path = arguments.name
    try:
        made = scaffold.create_site(target, dt.datetime.now(dt.UTC))
    except SiteError as error:
        counted = _print_problems(error)
        print(f"\nsitegen new: {counted}; nothing was written.", file=sys.stderr)
        return EXIT_SITE_ERRORS
    print(f"Made a new site in {target} ({len(made.files)} files):")
    order = list(_NEW_SITE_PARTS)
    tops = sorted(
        {file.split("/")[0] for file in made.files},
        key=lambda top: (order.index(top) if top in order else len(order), top),
    )
    for top in tops:
        shown = top if top in made.files else f"{top}/"
        detail = _NEW_SITE_PARTS.get(top, "").format(year=made.year)
        print(f"  {shown:<12} {detail}".rstrip())
    print("\nNext:")
    print(f"  cd {shlex.quote(str(target))}")
    print("  sitegen serve    to preview it, rebuilt as you edit")
    print("  (or sitegen build, which writes the site into output/)")
    return EXIT_OK


# ---------------------------------------------------------------- sitegen serve


def _serve_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    serve_command = commands.add_parser(
        "serve",
        help="preview the site, rebuilt and reloaded in the browser on every save",
        description="Build the site into a temporary folder (never into output/), serve it, "
        "and rebuild what changed on every save; open pages reload by themselves, and "
        "show the problems, with their place, while the site does not build.",
        complete_help=_serve_help,
    )
    _site_argument(serve_command)
    serve_command.add_argument(
        "--port",
        type=int,
        help="the port to serve on (default: %(default)s; the next free one if in use)",
    )
    serve_command.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to serve on (default: 127.0.0.1, this machine only)",
    )
    serve_command.add_argument("--open", action="store_true", help="open it in a browser")
    _preview_options(serve_command, "preview the site as at this instant")


def _serve_help(command: _Parser) -> None:
    from sitegen.commands.serve import DEFAULT_PORT

    command.set_defaults(port=DEFAULT_PORT)


def _serve(arguments: argparse.Namespace) -> int:
    from sitegen.commands.serve import DEFAULT_PORT, CannotServe, ServeOptions, serve

    site = arguments.site
    if not (site / CONFIG_FILE).is_file():
        print(
            f"sitegen: {site} is not a site folder: it has no {CONFIG_FILE}",
            file=sys.stderr,
        )
        return EXIT_SITE_ERRORS
    options = ServeOptions(
        site_root=site,
        host=arguments.host,
        port=DEFAULT_PORT if arguments.port is None else arguments.port,
        open_browser=arguments.open,
        drafts=arguments.drafts,
        future=arguments.future,
        now=arguments.now,
    )
    try:
        return serve(options)
    except CannotServe as error:
        print(f"sitegen: {error}", file=sys.stderr)
        return EXIT_SITE_ERRORS


# ---------------------------------------------------------------- sitegen deploy


def _deploy_target(text: str) -> deploy_targets.Target:
    from sitegen.commands import deploy_targets

    try:
        return deploy_targets.parse_target(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _deploy_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    deploy_command = commands.add_parser(
        "deploy",
        help="build the site, then publish it to a folder, a host, a git branch or S3",
        description="Build the site as 'sitegen build' does (a site with problems is not "
        "deployed), then make TARGET hold exactly the output: new and changed files are "
        "sent, files that went are deleted, unchanged files are left alone. The manifest "
        "(.sitegen-manifest.json) is never published.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        complete_help=_deploy_help,
    )
    _site_argument(deploy_command)
    deploy_command.add_argument(
        "target", type=_deploy_target, metavar="TARGET", help="where to publish (below)"
    )
    deploy_command.add_argument(
        "--dry-run",
        "-n",
        action="store_true",
        help="build, then list what would be uploaded and deleted, changing nothing there",
    )
    deploy_command.add_argument(
        "--output",
        "-o",
        type=Path,
        help=f"where to build the site first (default: SITE/{DEFAULT_OUTPUT})",
    )
    deploy_command.add_argument(
        "--endpoint-url",
        metavar="URL",
        help="s3:// only: the address of an S3-compatible service (default: "
        "$AWS_ENDPOINT_URL, else Amazon S3)",
    )
    _output_options(deploy_command)
    deploy_command.set_defaults(deploy_parser=deploy_command)


def _deploy_help(command: _Parser) -> None:
    from sitegen.commands.deploy_targets import TARGET_SYNTAX

    command.epilog = f"TARGET is one of:\n{TARGET_SYNTAX}"


def _deploy(arguments: argparse.Namespace) -> int:
    from sitegen.commands import deploy, deploy_targets
    from sitegen.commands.deploy_plan import PartlyDeployed

    target: deploy_targets.Target = arguments.target
    if arguments.endpoint_url and not isinstance(target, deploy_targets.S3Target):
        arguments.deploy_parser.error("--endpoint-url is for s3:// targets only")
    options = deploy.DeployOptions(
        site_root=arguments.site,
        target=target,
        output=arguments.output,
        dry_run=arguments.dry_run,
        endpoint_url=arguments.endpoint_url,
        progress=_progress(arguments),
    )
    try:
        result = deploy.deploy(options)
    except PartlyDeployed as error:
        counted = _print_problems(error)
        print(
            f"\nsitegen deploy: {counted}; {target.shown} may be partly updated: "
            "deploy again to complete it.",
            file=sys.stderr,
        )
        return EXIT_SITE_ERRORS
    except SiteError as error:
        counted = _print_problems(error)
        print(f"\nsitegen deploy: {counted}; nothing was deployed.", file=sys.stderr)
        return EXIT_SITE_ERRORS
    except KeyboardInterrupt:
        print(f"sitegen deploy: interrupted while deploying to {target.shown}", file=sys.stderr)
        return 130
    _print_notes(result.built)
    if arguments.quiet:
        return EXIT_OK
    print(_summary(result.built))
    changes = result.plan
    counts = (
        f"{len(changes.added) + len(changes.changed)} uploaded, {len(changes.deleted)} deleted, "
        f"{changes.unchanged} unchanged"
    )
    if options.dry_run:
        for path in changes.uploads:
            print(f"  {'new' if path in changes.added else 'changed':<8} {path}")
        for path in changes.deleted:
            print(f"  {'deleted':<8} {path}")
        print(
            f"Dry run: {counts.replace(' uploaded', ' would be uploaded', 1)}; "
            f"nothing was changed at {target.shown}."
        )
    else:
        seconds = format_decimal(result.seconds, "0.00", locale="en")
        print(f"Deployed to {target.shown}: {counts} in {seconds} s.")
    return EXIT_OK
