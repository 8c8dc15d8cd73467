"""`sitegen serve`: its options, and what it prints while it serves."""

from __future__ import annotations

import argparse
import sys

from sitegen.base.layout import CONFIG_FILE
from sitegen.base.messages import _
from sitegen.commands.cli_shared import (
    EXIT_SITE_ERRORS,
    CommandParser,
    Commands,
    preview_options,
    site_argument,
)


def add_parser(commands: Commands) -> None:
    serve_command = commands.add_parser(
        "serve",
        help=_("preview the site, rebuilt and reloaded in the browser on every save"),
        description=_(
            "Build the site into a temporary folder (never into output/), serve it, "
            "and rebuild what changed on every save; open pages reload by themselves, and "
            "show the problems, with their place, while the site does not build."
        ),
        complete_help=_serve_help,
    )
    site_argument(serve_command)
    serve_command.add_argument(
        "--port",
        type=int,
        help=_("the port to serve on (default: %(default)s; the next free one if in use)"),
    )
    serve_command.add_argument(
        "--host",
        default="127.0.0.1",
        help=_("the address to serve on (default: 127.0.0.1, this machine only)"),
    )
    serve_command.add_argument("--open", action="store_true", help=_("open it in a browser"))
    preview_options(serve_command, _("preview the site as at this instant"))


def _serve_help(command: CommandParser) -> None:
    from sitegen.commands.serve import DEFAULT_PORT

    command.set_defaults(port=DEFAULT_PORT)


def run(arguments: argparse.Namespace) -> int:
    from sitegen.commands.serve import DEFAULT_PORT, CannotServe, ServeOptions, serve

    site = arguments.site
    if not (site / CONFIG_FILE).is_file():
        print(
            "sitegen: "
            + _("%(folder)s is not a site folder: it has no %(file)s")
            % {"folder": site, "file": CONFIG_FILE},
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
