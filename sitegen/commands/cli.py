"""The `sitegen` command: parses arguments, calls the build, prints what happened.

Exit codes: 0 success, 1 the site has problems (all printed, with their place),
2 wrong command-line use.

Each command other than `build` imports its module in the function that runs it:
`sitegen build` does not pay for deploy, serve (tornado, livereload), i18n, check...

The language of the messages (sitegen.base.messages) is chosen before the parser is
made, since its help is written in it: `--lang` is read ahead of argparse.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from sitegen import __version__
from sitegen.base.messages import LANGUAGE_VARIABLE, LANGUAGES, _, use_language
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
from sitegen.commands.cli_shared import CommandParser, speak_argparse

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
        description=_("Build bilingual campaign sites from Markdown, YAML and CSV."),
    )
    main.add_argument(
        "--version",
        action="version",
        version=f"sitegen {__version__}",
        help=_("show sitegen's version and exit"),
    )
    main.add_argument(
        "--lang",
        choices=LANGUAGES,
        help=_(
            "the language of sitegen's messages (default: %(variable)s, or else the "
            "environment's locale: LANGUAGE, LC_ALL, LC_MESSAGES, LANG)"
        )
        % {"variable": LANGUAGE_VARIABLE},
    )
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
    given = sys.argv[1:] if argv is None else list(argv)
    use_language(language_asked(given))
    speak_argparse()
    arguments = parser().parse_args(given)
    return COMMANDS[arguments.command](arguments)


def language_asked(argv: Sequence[str]) -> str | None:
    """The language `--lang` asks for among sitegen's own options (before the command);
    None leaves the choice to the environment. A wrong value is argparse's to refuse."""
    for index, argument in enumerate(argv):
        if argument == "--lang":
            return argv[index + 1] if index + 1 < len(argv) else None
        if argument.startswith("--lang="):
            return argument.partition("=")[2]
        if not argument.startswith("-"):
            return None
    return None
