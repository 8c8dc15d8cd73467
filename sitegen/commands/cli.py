"""The `sitegen` command: parses arguments, calls the build, prints what happened.

Exit codes: 0 success, 1 the site has problems (all printed, with their place),
2 wrong command-line use.

Each command other than `build` imports its module in the function that runs it:
`sitegen build` does not pay for deploy, serve (tornado, livereload), i18n, check...
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from sitegen import __version__
from sitegen.commands import (
    cli_build,
    cli_check,
    cli_deploy,
    cli_i18n,
    cli_new,
    cli_review,
    cli_schedule,
    cli_serve,
)
from sitegen.commands.cli_shared import CommandParser

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "build": cli_build.run_build,
    "clean": cli_build.run_clean,
    "new": cli_new.run,
    "serve": cli_serve.run,
    "check": cli_check.run,
    "i18n": cli_i18n.run,
    "deploy": cli_deploy.run,
    "schedule": cli_schedule.run,
    "review": cli_review.run,
}
"""What runs each command, by its name: each command's options and printing are in
its own module (cli_build.py, cli_serve.py...)."""


def parser() -> argparse.ArgumentParser:
    main = CommandParser(
        prog="sitegen",
        description="Build bilingual campaign sites from Markdown, YAML and CSV.",
    )
    main.add_argument("--version", action="version", version=f"sitegen {__version__}")
    commands = main.add_subparsers(dest="command", metavar="COMMAND", required=True)
    cli_build.add_build_parser(commands)
    cli_build.add_clean_parser(commands)
    cli_new.add_parser(commands)
    cli_serve.add_parser(commands)
    cli_check.add_parser(commands)
    cli_i18n.add_parser(commands)
    cli_deploy.add_parser(commands)
    cli_schedule.add_parser(commands)
    cli_review.add_parser(commands)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    return COMMANDS[arguments.command](arguments)
