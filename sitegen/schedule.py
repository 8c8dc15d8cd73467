"""`sitegen schedule`: the coming instants at which the built site changes.

A static site only changes when it is rebuilt, so a campaign needs rebuilds at the
right moments: when a phase begins or the campaign ends, when a page is published
or expires, when a product becomes available or stops being. This lists them, in
time order, for a person or (as JSON) for a scheduled CI job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sitegen.config import SiteConfig
from sitegen.content import load_pages
from sitegen.data import load_data
from sitegen.layout import CONFIG_FILE
from sitegen.timeutil import as_instant
from sitegen.yamlsource import line_of

PRODUCT_DATES = {
    "available_from": "becomes available",
    "available_until": "stops being available",
}


@dataclass(frozen=True)
class Change:
    at: dt.datetime
    kind: str
    """phase, publish, expires, available_from or available_until."""
    description: str
    source: str
    line: int | None


def upcoming_changes(config: SiteConfig, now: dt.datetime) -> list[Change]:
    """Every change after `now`, earliest first; raises SiteError for a broken site."""
    changes = [*_phase_changes(config), *_page_changes(config), *_data_changes(config)]
    coming = [change for change in changes if change.at > now]
    return sorted(coming, key=lambda change: (change.at, change.source, change.description))


def _phase_changes(config: SiteConfig) -> Iterator[Change]:
    campaign = config.campaign
    if campaign is None:
        return
    line = config.line_of_setting("campaign")
    for instant, phase in campaign.boundaries():
        description = "the campaign ends" if phase == "after" else f"phase '{phase}' begins"
        yield Change(instant, "phase", description, CONFIG_FILE, line)


def _page_changes(config: SiteConfig) -> Iterator[Change]:
    for page in load_pages(config):
        if page.draft:
            continue
        source = page.path.relative_to(config.root).as_posix()
        if page.publish is not None:
            yield Change(page.publish, "publish", "is published", source, page.line_of("publish"))
        if page.expires is not None:
            yield Change(page.expires, "expires", "expires", source, page.line_of("expires"))


def _data_changes(config: SiteConfig) -> Iterator[Change]:
    dataset = load_data(config)
    for name, path in sorted(dataset.sources.items()):
        feed = dataset.feed(name)
        source = path.relative_to(config.root).as_posix()
        for item, label in _dated_items(feed):
            for key, verb in PRODUCT_DATES.items():
                value = item.get(key)
                if isinstance(value, dt.date):
                    yield Change(
                        as_instant(value, config.timezone),
                        key,
                        f"'{label}' {verb}",
                        source,
                        line_of(item, key),
                    )


def _dated_items(value: Any) -> Iterator[tuple[dict[str, Any], str]]:
    """Every mapping of a feed that has availability dates, with a name for it."""
    if isinstance(value, dict):
        if any(key in value for key in PRODUCT_DATES):
            yield value, str(value.get("id") or value.get("name") or "an item")
        for item in value.values():
            yield from _dated_items(item)
    elif isinstance(value, list):
        for item in value:
            yield from _dated_items(item)


def schedule_json(changes: list[Change], now: dt.datetime, config_zone: str) -> dict[str, Any]:
    """{"now", "timezone", "next" (the first change, or null), "changes": [{"at", "kind",
    "description", "source", "line"}]}; instants in ISO 8601 with their offset."""
    return {
        "now": now.isoformat(),
        "timezone": config_zone,
        "next": changes[0].at.isoformat() if changes else None,
        "changes": [
            {
                "at": change.at.isoformat(),
                "kind": change.kind,
                "description": change.description,
                "source": change.source,
                "line": change.line,
            }
            for change in changes
        ],
    }
