"""`sitegen build` and `sitegen clean`: their options, and what they print."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from sitegen.base.errors import SiteError
from sitegen.base.messages import _
from sitegen.building.buildcache import CACHE_DIR, clear_cache
from sitegen.building.buildcontract import DEFAULT_OUTPUT
from sitegen.building.pipeline import build
from sitegen.commands.cli_shared import (
    EXIT_OK,
    Commands,
    build_options,
    build_options_arguments,
    preview_options,
    print_notes,
    report_not_built,
    site_argument,
    summary,
)
from sitegen.output.inplace import UpdateFinished


def add_build_parser(commands: Commands) -> None:
    build_command = commands.add_parser(
        "build",
        help=_("build the site into a folder"),
        description=_(
            "Build the site. Nothing is written unless the whole site builds: "
            "the previous output stays as it was when there is any problem."
        ),
    )
    site_argument(build_command)
    build_command.add_argument(
        "--output",
        "-o",
        type=Path,
        help=_("where to write the site (default: SITE/%(output)s)") % {"output": DEFAULT_OUTPUT},
    )
    preview_options(build_command, _("build as if it were this instant"))
    build_command.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help=_(
            "build everything, neither using nor keeping %(cache)s/build/ "
            "(what the last build learnt, so that the next one does only what changed)"
        )
        % {"cache": CACHE_DIR},
    )
    build_options_arguments(build_command)


def add_clean_parser(commands: Commands) -> None:
    clean_command = commands.add_parser(
        "clean",
        help=_("remove the site's cache (%(cache)s/)") % {"cache": CACHE_DIR},
        description=_(
            "Remove %(cache)s/ from the site: what builds kept to go faster "
            "(pages read, bodies rendered, what each page used, resized images). The next "
            "build does everything again. The output folder is left as it is."
        )
        % {"cache": CACHE_DIR},
    )
    site_argument(clean_command)


def run_build(arguments: argparse.Namespace) -> int:
    options = replace(build_options(arguments), cache=arguments.cache)
    try:
        result = build(options)
    except SiteError as error:
        return report_not_built(error, arguments.output or arguments.site / DEFAULT_OUTPUT)
    except UpdateFinished:
        print(
            _(
                "sitegen: interrupted while the new files were moved in; the moves were "
                "finished: the output holds the new site"
            ),
            file=sys.stderr,
        )
        return 130
    except KeyboardInterrupt:
        print(_("sitegen: interrupted; the previous output was left as it was"), file=sys.stderr)
        return 130
    print_notes(result)
    if not arguments.quiet:
        print(summary(result))
    return EXIT_OK


def run_clean(arguments: argparse.Namespace) -> int:

    folder = arguments.site / CACHE_DIR
    if clear_cache(arguments.site):
        print(_("Removed %(folder)s.") % {"folder": folder})
    else:
        print(_("Nothing to remove: %(folder)s does not exist.") % {"folder": folder})
    return EXIT_OK
