"""`sitegen schedule`: the coming instants at which the built site changes.

A static site only changes when it is rebuilt, so a campaign needs rebuilds at the
right moments: when a phase begins or the campaign ends, when a page is published
or expires, when a product becomes available or stops being, when products' offers
start or end (one change per instant, naming the products and their feed lines).
This lists them, in time order, for a person or (as JSON) for a scheduled CI job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sitegen.base.layout import CONFIG_FILE
from sitegen.base.timeutil import as_instant
from sitegen.base.yamlsource import line_of
from sitegen.settings.config import SiteConfig
from sitegen.settings.offers import amount, offer_window
from sitegen.sources.content import load_pages
from sitegen.sources.data import DataSet, load_data
from sitegen.sources.feedrules import PRODUCTS

PRODUCT_DATES = {
    "available_from": "becomes available",
    "available_until": "stops being available",
}


OFFER_CHANGES = {"offer_starts": "start", "offer_ends": "end"}
NAMED_PRODUCTS = 5
"""Products an offer change names in its description (all are in `products`)."""


@dataclass(frozen=True)
class Change:
    at: dt.datetime
    kind: str
    """phase, publish, expires, available_from, available_until, offer_starts or
    offer_ends."""
    description: str
    source: str
    line: int | None
    products: tuple[tuple[str, int | None], ...] = ()
    """For offers: (product id, line in the feed) of every product concerned."""


def upcoming_changes(config: SiteConfig, now: dt.datetime) -> list[Change]:
    """Every change after `now`, earliest first; raises SiteError for a broken site."""
    dataset = load_data(config)
    changes = [
        *_phase_changes(config),
        *_page_changes(config),
        *_data_changes(config, dataset),
        *_offer_changes(config, dataset),
    ]
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


def _data_changes(config: SiteConfig, dataset: DataSet) -> Iterator[Change]:
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


def _offer_changes(config: SiteConfig, dataset: DataSet) -> Iterator[Change]:
    """When the products' offers start and end: one change per instant and kind."""
    products = dataset.feed(PRODUCTS)
    path = dataset.sources.get(PRODUCTS)
    if not isinstance(products, list) or path is None:
        return
    source = path.relative_to(config.root).as_posix()
    grouped: dict[tuple[dt.datetime, str], list[tuple[str, int | None]]] = {}
    for index, item in enumerate(products):
        if not isinstance(item, Mapping) or amount(item.get("sale_price")) is None:
            continue
        window = dict(zip(OFFER_CHANGES, offer_window(item, config), strict=True))
        for kind, instant in window.items():
            if instant is not None:
                entry = (str(item.get("id")), line_of(products, index))
                grouped.setdefault((instant, kind), []).append(entry)
    for (instant, kind), entries in grouped.items():
        named = ", ".join(f"'{product}'" for product, _ in entries[:NAMED_PRODUCTS])
        more = len(entries) - NAMED_PRODUCTS
        if more > 0:
            named += f" and {more} more"
        noun = "product" if len(entries) == 1 else "products"
        description = f"the offers of {len(entries)} {noun} {OFFER_CHANGES[kind]}: {named}"
        yield Change(instant, kind, description, source, entries[0][1], tuple(entries))


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
    "description", "source", "line", and for offers "products": [{"id", "line"}]}]};
    instants in ISO 8601 with their offset."""
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
                **(
                    {"products": [{"id": id_, "line": line} for id_, line in change.products]}
                    if change.products
                    else {}
                ),
            }
            for change in changes
        ],
    }
