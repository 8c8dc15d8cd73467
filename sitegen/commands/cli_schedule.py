"""`sitegen schedule`: its options, and the coming changes printed as text or JSON."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from sitegen.base.errors import SiteError
from sitegen.base.messages import _
from sitegen.base.timeutil import as_instant
from sitegen.commands.cli_shared import (
    EXIT_OK,
    EXIT_SITE_ERRORS,
    Commands,
    instant,
    print_problems,
    site_argument,
)
from sitegen.settings.config import load_config


def add_parser(commands: Commands) -> None:
    schedule_command = commands.add_parser(
        "schedule",
        help=_("list the coming instants at which the built site changes"),
        description=_(
            "List the coming changes of the site: campaign phases, pages published "
            "or expiring, products becoming available or not, earliest first, so that a "
            "scheduled job can rebuild at the right time."
        ),
    )
    site_argument(schedule_command)
    schedule_command.add_argument(
        "--now",
        type=instant,
        metavar="ISO-8601",
        help=_("list the changes after this instant instead of after the clock's now"),
    )
    schedule_command.add_argument(
        "--format", choices=("text", "json"), default="text", help=_("output (default: text)")
    )


def run(arguments: argparse.Namespace) -> int:
    from sitegen.commands import schedule

    try:
        config = load_config(arguments.site)
        now = as_instant(arguments.now or dt.datetime.now(dt.UTC), config.timezone)
        changes = schedule.upcoming_changes(config, now)
    except SiteError as error:
        counted = print_problems(error)
        print(f"\nsitegen schedule: {counted}.", file=sys.stderr)
        return EXIT_SITE_ERRORS
    zone = str(config.timezone.key)
    if arguments.format == "json":
        print(json.dumps(schedule.schedule_json(changes, now, zone), indent=2))
        return EXIT_OK
    if not changes:
        print(_("No change is scheduled after %(now)s.") % {"now": now.isoformat()})
        return EXIT_OK
    print(
        _("Coming changes after %(now)s (times in %(zone)s):")
        % {"now": now.isoformat(), "zone": zone}
    )
    for change in changes:
        place = change.source + (f":{change.line}" if change.line else "")
        local = change.at.astimezone(config.timezone).isoformat()
        print(f"  {local}  {change.description}  ({place})")
    print(
        _("Next rebuild: %(instant)s")
        % {"instant": changes[0].at.astimezone(config.timezone).isoformat()}
    )
    return EXIT_OK
