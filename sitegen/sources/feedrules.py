"""The rules a merchant's product feed breaks, checked before anything is built.

Feeds come from spreadsheets and exports: duplicated ids, a product of a merchant
nobody declared, a sale price above the price, `EURO` for a currency, an image
that was never copied, a URL without `https://`; in any feed, a link that runs a
script (`url: javascript:...`). Each is a problem with its file and line (and
column, in a CSV file), all reported at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babel.numbers import list_currencies

from sitegen.base.errors import Problem, did_you_mean, quoted
from sitegen.base.localized import is_localized
from sitegen.base.messages import _
from sitegen.base.timeutil import naive_time_rule
from sitegen.base.yamlsource import YamlMap, line_of
from sitegen.settings.config import SiteConfig
from sitegen.settings.offers import OFFER_DATES, offer_window
from sitegen.sources.data import DataSet, absent_field_problem
from sitegen.sources.links import runs_script, script_link_problems

PRODUCTS = "products"
MERCHANTS = "merchants"
FIELDS = {
    PRODUCTS: frozenset(
        {
            *("id", "merchant", "name", "price", "currency", "sale_price", "reference_price"),
            *("image", "url", "available_from", "available_until", *OFFER_DATES),
        }
    ),
    MERCHANTS: frozenset({"id", "name", "url", "logo"}),
}
"""The fields of the product and merchant feeds that sitegen checks; a theme declares
those its templates read besides (theme.yaml's `feed_fields`)."""
REQUIRED_FIELDS = {PRODUCTS: ("name", "price", "currency"), MERCHANTS: ("name",)}
_CURRENCIES = frozenset(list_currencies())


def check_feeds(
    config: SiteConfig,
    data: DataSet,
    static_files: Mapping[str, Path],
    theme_fields: Mapping[str, frozenset[str]],
) -> list[Problem]:
    """Every broken rule of the feeds; `theme_fields`: the fields of a feed the theme
    reads besides FIELDS, for the feeds whose fields it declares (any other field of
    those is a typo)."""
    problems: list[Problem] = []
    for name, path in sorted(data.sources.items()):  # every feed, the site's own too
        problems += script_link_problems(data.feed(name), path, 1)
    absent: dict[str, frozenset[str]] = {}
    for name, known in FIELDS.items():
        items = data.feed(name)
        if not isinstance(items, list):
            continue
        if name in theme_fields:
            problems += _unknown_fields(data.sources[name], items, known | theme_fields[name])
        absent[name] = _absent_fields(data.sources[name], items, name, problems)
    merchants = data.feed(MERCHANTS)
    merchant_ids: set[str] | None = None
    if isinstance(merchants, list):
        checker = _Checker(
            data.sources[MERCHANTS], config, static_files, problems, absent[MERCHANTS]
        )
        merchant_ids = checker.ids(data, MERCHANTS)
        for item in merchants:
            if isinstance(item, Mapping):
                checker.required_text(item, "name")
                checker.url(item, "url")
                checker.static_file(item, "logo")
    products = data.feed(PRODUCTS)
    if isinstance(products, list):
        checker = _Checker(data.sources[PRODUCTS], config, static_files, problems, absent[PRODUCTS])
        checker.ids(data, PRODUCTS)
        for item in products:
            if isinstance(item, Mapping):
                _check_product(checker, item, merchant_ids)
    return problems


def _unknown_fields(path: Path, items: list[Any], known: frozenset[str]) -> list[Problem]:
    """One problem for each field no one reads (a column `sale price` for `sale_price`
    would drop every discount in silence), at the first item that has it."""
    problems = []
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, Mapping):
            continue
        for key in item:
            if key in known or key in seen:
                continue
            seen.add(key)
            column = item.column_of(key) if isinstance(item, YamlMap) else None
            problems.append(
                Problem(
                    path,
                    line_of(item, key),
                    _("unknown field '%(key)s'") % {"key": key},
                    column,
                    hint=did_you_mean(str(key), known)
                    or _(
                        "the fields read: %(fields)s; a theme declares "
                        "the fields its templates read in theme.yaml (feed_fields)"
                    )
                    % {"fields": ", ".join(sorted(known))},
                )
            )
    return problems


def _absent_fields(
    path: Path, items: list[Any], feed: str, problems: list[Problem]
) -> frozenset[str]:
    """The required fields no item has (a column missing or misnamed): said once here,
    not once per row."""
    absent = frozenset(
        field
        for field in REQUIRED_FIELDS[feed]
        if items and not any(isinstance(item, Mapping) and field in item for item in items)
    )
    problems += [absent_field_problem(path, items, field) for field in sorted(absent)]
    return absent


def _check_product(checker: _Checker, item: Mapping[str, Any], merchants: set[str] | None) -> None:
    checker.required_text(item, "name")
    merchant = item.get("merchant")
    if merchants is not None and merchant is not None and str(merchant) not in merchants:
        checker.problem(
            item,
            "merchant",
            _("unknown merchant %(merchant)s") % {"merchant": quoted(str(merchant))},
            hint=did_you_mean(str(merchant), merchants) or _("declare it in data/merchants.yaml"),
        )
    price = checker.amount(item, "price", required=True)
    sale = checker.amount(item, "sale_price")
    reference = checker.amount(item, "reference_price")
    _check_offer_prices(checker, item, price, sale, reference)
    currency = item.get("currency")
    if currency is None:
        checker.problem(item, "currency", _("the product has no currency (such as EUR)"))
    elif str(currency) not in _CURRENCIES:
        checker.problem(
            item,
            "currency",
            _("%(currency)s is not an ISO 4217 currency code")
            % {"currency": quoted(str(currency))},
            hint=did_you_mean(str(currency).upper(), _CURRENCIES) or _("use a code such as EUR"),
        )
    checker.static_file(item, "image")
    checker.url(item, "url")
    dates_ok = True
    for key in ("available_from", "available_until", *OFFER_DATES):
        dates_ok = checker.instant(item, key) and dates_ok
    start, end = item.get("available_from"), item.get("available_until")
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime) and end <= start:
        checker.problem(
            item, "available_until", _("the product stops being available before it starts")
        )
    if sale is not None and dates_ok:
        _check_offer_window(checker, item)


def _check_offer_prices(
    checker: _Checker,
    item: Mapping[str, Any],
    price: Decimal | None,
    sale: Decimal | None,
    reference: Decimal | None,
) -> None:
    """sale < reference <= price. The reference price is the lowest of the 30 days
    before the offer (sitegen.settings.offers); site.yaml may require it of every product on
    offer."""
    if price is not None and sale is not None and sale >= price:
        message = _("the sale price %(sale)s is not below the price %(price)s")
        checker.problem(item, "sale_price", message % {"sale": sale, "price": price})
    elif sale is not None and reference is not None and sale >= reference:
        checker.problem(
            item,
            "sale_price",
            _("the sale price %(sale)s is not below the reference price %(reference)s")
            % {"sale": sale, "reference": reference},
        )
    if price is not None and reference is not None and reference > price:
        checker.problem(
            item,
            "reference_price",
            _("the reference price %(reference)s is above the price %(price)s")
            % {"reference": reference, "price": price},
            hint=_("the reference price is the lowest price of the 30 days before the offer"),
        )
    if (
        sale is not None
        and item.get("reference_price") is None
        and (checker.config.offers.reference_price_required)
    ):
        checker.problem(
            item,
            "sale_price",
            _("this product is on offer but has no 'reference_price'"),
            hint=_(
                "give the lowest price of the 30 days before the offer (Code de la "
                "consommation, art. L112-1-1); site.yaml's 'offers: {reference_price: required}' "
                "asks for it"
            ),
        )


def _check_offer_window(checker: _Checker, item: Mapping[str, Any]) -> None:
    starts, ends = offer_window(item, checker.config)
    if starts is None or ends is None or ends > starts:
        return
    zone = checker.config.timezone
    # the bound the product gives (a CSV row has every column, the empty ones too)
    key = "offer_ends" if item.get("offer_ends") is not None else "offer_starts"
    checker.problem(
        item,
        key,
        _("the offer ends (%(ends)s) before it starts (%(starts)s)")
        % {
            "ends": ends.astimezone(zone).isoformat(),
            "starts": starts.astimezone(zone).isoformat(),
        },
        hint=_(
            "without 'offer_starts' an offer opens with the campaign phase named by "
            "site.yaml's offers.opens_with ('%(phase)s'); without "
            "'offer_ends' it ends with the campaign"
        )
        % {"phase": checker.config.offers.opens_with},
    )


class _Checker:
    def __init__(
        self,
        path: Path,
        config: SiteConfig,
        static_files: Mapping[str, Path],
        problems: list[Problem],
        absent: frozenset[str],
    ) -> None:
        """`absent`: fields no item has, already said once for the whole feed."""
        self.path = path
        self.config = config
        self.static_files = static_files
        self.problems = problems
        self.absent = absent

    def problem(
        self, item: Mapping[str, Any], key: str, message: str, hint: str | None = None
    ) -> None:
        if key in self.absent:
            return
        line = line_of(item, key)
        column = caret = None
        if isinstance(item, YamlMap):  # a CSV row's cell: its number, and where it starts
            column, caret = item.column_of(key), item.offset_of(key)
        self.problems.append(Problem(self.path, line, message, column, hint, caret))

    def ids(self, data: DataSet, feed: str) -> set[str]:
        """The ids of a feed's items; the problems with them are the pages' too."""
        found, problems = data.ids(feed)
        self.problems += problems
        return set(found)

    def required_text(self, item: Mapping[str, Any], key: str) -> None:
        value = item.get(key)
        default = self.config.default_language
        localized = is_localized(value, self.config.language_codes)
        if isinstance(value, Mapping) and localized:
            value = value.get(default)
        if value is None or str(value).strip() == "":
            if localized:
                message = _("'%(key)s' is missing in the default language ('%(code)s')")
            else:
                message = _("'%(key)s' is missing")
            self.problem(item, key, message % {"key": key, "code": default})

    def amount(self, item: Mapping[str, Any], key: str, required: bool = False) -> Decimal | None:
        value = item.get(key)
        if value is None:
            if required:
                self.problem(item, key, _("'%(key)s' is missing") % {"key": key})
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal) or value <= 0:
            self.problem(
                item,
                key,
                _("'%(key)s' must be a positive amount such as 89.90, not %(value)s")
                % {"key": key, "value": quoted(value)},
                hint=_("write it as 1299.00 or the French way, 1 299,00 € (in a CSV file)")
                if isinstance(value, str)
                else None,
            )
            return None
        return Decimal(value)

    def instant(self, item: Mapping[str, Any], key: str) -> bool:
        """Whether `key` is absent or a date and time; said when it is not."""
        value = item.get(key)
        if value is None or isinstance(value, dt.datetime):
            return True
        self.problem(
            item,
            key,
            _("'%(key)s' must be a date and time, not %(value)s")
            % {"key": key, "value": _shown(value)},
            hint=_(
                "write it year first with a time, 2027-11-11 00:00, or with an offset, "
                "2027-11-11T00:00+08:00: %(rule)s"
            )
            % {"rule": naive_time_rule(site=self.config.timezone.key)},
        )
        return False

    def url(self, item: Mapping[str, Any], key: str) -> None:
        value = item.get(key)
        if value is None:
            return
        if runs_script(str(value)):
            return  # said of every feed's links (check_feeds)
        parts = urlsplit(str(value))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.problem(
                item,
                key,
                _("%(value)s is not an http(s) address") % {"value": quoted(str(value))},
                hint=_("start it with https://"),
            )

    def static_file(self, item: Mapping[str, Any], key: str) -> None:
        value = item.get(key)
        if value is None:
            return
        if str(value).lstrip("/") not in self.static_files:
            self.problem(
                item,
                key,
                _("%(value)s is not a file of static/ (or of the theme's)")
                % {"value": quoted(str(value))},
                hint=did_you_mean(str(value), self.static_files),
            )


def _shown(value: Any) -> str:
    """A cell's value as the user wrote it: a date as 2027-11-11, text in quotes."""
    if isinstance(value, dt.date):
        return _("the date %(date)s (a time is needed too)") % {"date": value.isoformat()}
    return quoted(str(value))
