"""When a product's offer runs, and the prices it announces while it does.

A product of a feed is on offer when it has a `sale_price`. The offer runs from
`offer_starts` (by default the start of the campaign phase named by
`offers.opens_with` in site.yaml, `live` unless the site says otherwise) until
`offer_ends` (by default the campaign's end). Before and after that window the
product shows its regular `price` alone: a reduction announced while it does not
apply is a misleading price practice (Code de la consommation, art. L121-2).

An announced reduction names the price it reduces. In France that price is the
lowest one charged to all consumers in the 30 days before the reduction (Code de
la consommation, art. L112-1-1, which transposes art. 6 bis of directive 98/6/EC
as amended by directive (EU) 2019/2161): a feed gives it as `reference_price`,
and the percentage off is worked out from it. A product without one has its
regular price struck through; `offers: {reference_price: required}` makes the
reference price compulsory for every product on offer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from sitegen.base.timeutil import as_instant
from sitegen.settings.config import SiteConfig

UPCOMING = "upcoming"
RUNNING = "running"
ENDED = "ended"
OFFER_STATES = (UPCOMING, RUNNING, ENDED)
OFFER_DATES = ("offer_starts", "offer_ends")
"""A product's own offer window, each an instant (a date and time)."""


@dataclass(frozen=True)
class Offer:
    """A product's offer: its prices, when it runs (None: no bound that way), and
    whether it runs at the build's instant."""

    sale_price: Decimal
    price: Decimal
    """The regular price, shown alone outside the offer."""
    reference_price: Decimal | None
    """The lowest price of the 30 days before the offer, when the feed gives it."""
    starts: dt.datetime | None
    ends: dt.datetime | None
    state: str
    """UPCOMING, RUNNING or ENDED at the build's instant."""
    last_day: dt.date | None
    """The last day of the offer in the site's time zone (schema.org's
    `priceValidUntil` is a date)."""

    @property
    def upcoming(self) -> bool:
        return self.state == UPCOMING

    @property
    def running(self) -> bool:
        return self.state == RUNNING

    @property
    def ended(self) -> bool:
        return self.state == ENDED

    @cached_property
    def window(self) -> str:
        """ "START END" in ISO 8601 ("-" for no bound), for the countdown script, which
        shows and hides what a page says of the offer when it starts or ends."""
        return " ".join(
            instant.isoformat() if instant is not None else "-"
            for instant in (self.starts, self.ends)
        )

    @property
    def was(self) -> Decimal:
        """The price struck through, which the percentage and the saving are of."""
        return self.reference_price if self.reference_price is not None else self.price

    @property
    def percent_off(self) -> Decimal:
        return 1 - self.sale_price / self.was

    @property
    def saving(self) -> Decimal:
        return self.was - self.sale_price

    def boundaries(self) -> tuple[dt.datetime, ...]:
        """The instants at which what the product shows changes."""
        return tuple(instant for instant in (self.starts, self.ends) if instant is not None)


def offer_of(item: Mapping[str, Any], config: SiteConfig, now: dt.datetime) -> Offer | None:
    """The offer of a feed's product as it is at `now`, or None when it has none (no
    sale price, or prices the feed checks reject before any page is rendered)."""
    sale = amount(item.get("sale_price"))
    price = amount(item.get("price"))
    if sale is None or price is None or sale >= price:
        return None
    starts, ends = offer_window(item, config)
    last_day = None if ends is None else (ends - _INSTANT).astimezone(config.timezone).date()
    return Offer(
        sale_price=sale,
        price=price,
        reference_price=amount(item.get("reference_price")),
        starts=starts,
        ends=ends,
        state=state_at(starts, ends, now),
        last_day=last_day,
    )


def offer_window(
    item: Mapping[str, Any], config: SiteConfig
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """When a product's offer runs: its own `offer_starts` and `offer_ends`, each
    bound the product does not give taken from the campaign (`default_window`)."""
    default_starts, default_ends = default_window(config)
    return (
        _instant(item.get("offer_starts"), config, default_starts),
        _instant(item.get("offer_ends"), config, default_ends),
    )


def state_at(starts: dt.datetime | None, ends: dt.datetime | None, now: dt.datetime) -> str:
    if starts is not None and now < starts:
        return UPCOMING
    if ends is not None and now >= ends:
        return ENDED
    return RUNNING


def default_window(config: SiteConfig) -> tuple[dt.datetime | None, dt.datetime | None]:
    """When an offer runs unless its product says otherwise: from the start of the
    phase `offers.opens_with` to the campaign's end; always, without a campaign."""
    campaign = config.campaign
    if campaign is None:
        return None, None
    opening = next(
        (phase for phase in campaign.phases if phase.name == config.offers.opens_with), None
    )
    return (opening.starts if opening else campaign.starts), campaign.ends


def amount(value: Any) -> Decimal | None:
    """A price as a Decimal (a YAML feed may give an int or a float), or None."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


_INSTANT = dt.timedelta(microseconds=1)


def _instant(value: Any, config: SiteConfig, default: dt.datetime | None) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return as_instant(value, config.timezone)
    return default
