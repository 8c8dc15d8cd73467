"""`sitegen new`: its options, and what it says of the site it made."""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import sys
from pathlib import Path

from sitegen.base.errors import SiteError
from sitegen.commands.cli_shared import (
    EXIT_OK,
    EXIT_SITE_ERRORS,
    Commands,
    print_problems,
)


def add_parser(commands: Commands) -> None:
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


def run(arguments: argparse.Namespace) -> int:
    from sitegen.commands import scaffold

    target: Path = arguments.name
    try:
        made = scaffold.create_site(target, dt.datetime.now(dt.UTC))
    except SiteError as error:
        counted = print_problems(error)
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
