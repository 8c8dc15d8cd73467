"""`sitegen new`: its options, and what it says of the site it made."""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import sys
from pathlib import Path

from sitegen.base.errors import SiteError
from sitegen.base.messages import N_, _, ngettext
from sitegen.commands.cli_shared import (
    EXIT_OK,
    EXIT_SITE_ERRORS,
    Commands,
    print_problems,
)


def add_parser(commands: Commands) -> None:
    new = commands.add_parser(
        "new",
        help=_("make a new site, ready to build"),
        description=_(
            "Make a starter site in the folder NAME (created if missing; an existing "
            "folder must be empty): a bilingual (French / English) Double 11 landing page with a "
            "countdown to the next Double 11, merchant spotlights and a product grid, a news "
            "article, and a small product feed, for the double11 theme bundled with sitegen."
        ),
    )
    new.add_argument("name", type=Path, metavar="NAME", help=_("the folder to make the site in"))


_NEW_SITE_PARTS = {
    "site.yaml": N_("settings, and the Double 11 %(year)s campaign (Beijing time)"),
    "content": N_("a landing page and a news article, in French and in English"),
    "data": N_("the feeds: merchants, products and their categories"),
    "static": N_("images of the merchants and products"),
    ".gitignore": N_("keeps output/ out of version control"),
}


def run(arguments: argparse.Namespace) -> int:
    from sitegen.commands import scaffold

    target: Path = arguments.name
    try:
        made = scaffold.create_site(target, dt.datetime.now(dt.UTC))
    except SiteError as error:
        counted = print_problems(error)
        message = _("%(problems)s; nothing was written.") % {"problems": counted}
        print(f"\nsitegen new: {message}", file=sys.stderr)
        return EXIT_SITE_ERRORS
    count = len(made.files)
    print(
        ngettext(
            "Made a new site in %(folder)s (%(count)s files):",
            "Made a new site in %(folder)s (%(count)s files):",
            count,
        )
        % {"folder": target, "count": count}
    )
    order = list(_NEW_SITE_PARTS)
    tops = sorted(
        {file.split("/")[0] for file in made.files},
        key=lambda top: (order.index(top) if top in order else len(order), top),
    )
    for top in tops:
        shown = top if top in made.files else f"{top}/"
        part = _NEW_SITE_PARTS.get(top)
        detail = _(part) % {"year": made.year} if part else ""
        print(f"  {shown:<12} {detail}".rstrip())
    print("\n" + _("Next:"))
    print(f"  cd {shlex.quote(str(target))}")
    print("  sitegen serve    " + _("to preview it, rebuilt as you edit"))
    print("  " + _("(or sitegen build, which writes the site into output/)"))
    return EXIT_OK
