"""Formatter: numbers, prices and dates as each locale writes them (Babel/CLDR).

Exact strings, including CLDR's spaces: French groups digits with a narrow
no-break space (U+202F) and puts a no-break space (U+00A0) before a unit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from sitegen.rendering.formatting import Formatter

PARIS = ZoneInfo("Europe/Paris")
SHANGHAI = ZoneInfo("Asia/Shanghai")
NNBSP = "\u202f"
NBSP = "\u00a0"

# Midnight on 11 November in Beijing is 17:00 on 10 November in Paris.
BEIJING_MIDNIGHT = dt.datetime(2026, 11, 11, 0, 0, tzinfo=SHANGHAI)
NOW = dt.datetime(2026, 11, 8, 17, 0, tzinfo=PARIS)


@pytest.fixture
def fr() -> Formatter:
    return Formatter("fr_FR", PARIS, NOW)


@pytest.fixture
def en() -> Formatter:
    return Formatter("en_GB", PARIS, NOW)


def test_currency_fr(fr: Formatter) -> None:
    assert fr.format_currency(Decimal("1299"), "EUR") == f"1{NNBSP}299,00{NBSP}€"


def test_currency_en(en: Formatter) -> None:
    assert en.format_currency(Decimal("1299"), "EUR") == "€1,299.00"


def test_currency_keeps_decimal_cents(fr: Formatter) -> None:
    assert fr.format_currency(Decimal("19.90"), "EUR") == f"19,90{NBSP}€"


def test_compact_long_fr(fr: Formatter) -> None:
    assert fr.format_compact(Decimal("268400000000"), "long") == "268,4 milliards"


def test_compact_long_en(en: Formatter) -> None:
    assert en.format_compact(Decimal("268400000000"), "long") == "268.4 billion"


def test_compact_short(fr: Formatter, en: Formatter) -> None:
    assert fr.format_compact(268_400_000_000) == f"268,4{NBSP}Md"
    assert en.format_compact(268_400_000_000) == "268.4bn"


def test_compact_currency(fr: Formatter, en: Formatter) -> None:
    assert fr.format_compact_currency(Decimal("268400000000"), "EUR") == f"268,4{NBSP}Md{NBSP}€"
    assert en.format_compact_currency(Decimal("268400000000"), "EUR") == "€268.4bn"
    assert en.format_compact_currency(Decimal("268400000000"), "CNY") == "CN¥268.4bn"


def test_percent(fr: Formatter, en: Formatter) -> None:
    assert fr.format_percent(Decimal("0.256")) == f"26{NBSP}%"
    assert en.format_percent(Decimal("0.256")) == "26%"


def test_percent_with_pattern(fr: Formatter, en: Formatter) -> None:
    assert fr.format_percent(Decimal("0.256"), "#,##0.0%") == "25,6%"
    assert en.format_percent(Decimal("0.256"), "#,##0.0%") == "25.6%"


def test_number_grouping(fr: Formatter, en: Formatter) -> None:
    assert fr.format_number(1234567) == f"1{NNBSP}234{NNBSP}567"
    assert en.format_number(1234567) == "1,234,567"
    assert fr.format_decimal(Decimal("1234.5")) == f"1{NNBSP}234,5"


def test_datetime_in_a_named_zone(fr: Formatter, en: Formatter) -> None:
    assert fr.format_datetime(BEIJING_MIDNIGHT, "long", tz="Asia/Shanghai") == (
        "11 novembre 2026, 00:00:00 +0800"
    )
    assert en.format_datetime(BEIJING_MIDNIGHT, "long", tz="Asia/Shanghai") == (
        "11 November 2026, 00:00:00 +0800"
    )


def test_datetime_defaults_to_the_site_zone(fr: Formatter, en: Formatter) -> None:
    assert fr.format_datetime(BEIJING_MIDNIGHT, "long") == "10 novembre 2026, 17:00:00 +0100"
    assert en.format_datetime(BEIJING_MIDNIGHT, "long") == "10 November 2026, 17:00:00 CET"
    assert fr.format_datetime(BEIJING_MIDNIGHT) == "10 nov. 2026, 17:00:00"


def test_time_in_the_site_zone(fr: Formatter, en: Formatter) -> None:
    assert fr.format_time(BEIJING_MIDNIGHT, "short") == "17 h"
    assert fr.format_time(BEIJING_MIDNIGHT, "short", tz="Asia/Shanghai") == "0 h"
    assert en.format_time(BEIJING_MIDNIGHT, "short") == "17:00"


def test_a_french_page_writes_a_time_as_french_prose_does(fr: Formatter, en: Formatter) -> None:
    """ "17 h", "8 h 30" (the Imprimerie nationale's rule), not CLDR's "17:00", so that
    the theme's dates read as the author's text does ("à 17 h, heure de Paris")."""
    half_past = BEIJING_MIDNIGHT - dt.timedelta(hours=8, minutes=30)
    assert fr.format_time(half_past, "short") == "8 h 30"
    assert fr.format_date_time(BEIJING_MIDNIGHT) == "10 novembre 2026, 17 h"
    assert fr.format_date_time(half_past) == "10 novembre 2026, 8 h 30"
    assert en.format_date_time(half_past) == "10 November 2026, 08:30"
    assert fr.format_time(half_past) == "08:30:00"  # the other lengths stay CLDR's


def test_date_of_an_aware_datetime_uses_the_zone_calendar(fr: Formatter, en: Formatter) -> None:
    late_utc = dt.datetime(2026, 11, 10, 23, 30, tzinfo=dt.UTC)
    assert fr.format_date(late_utc, "long") == "11 novembre 2026"
    assert en.format_date(late_utc, "long") == "11 November 2026"
    assert fr.format_date(late_utc, "long", tz="UTC") == "10 novembre 2026"


def test_plain_date(fr: Formatter, en: Formatter) -> None:
    assert fr.format_date(dt.date(2026, 11, 11), "full") == "mercredi 11 novembre 2026"
    assert en.format_date(dt.date(2026, 11, 11), "full") == "Wednesday, 11 November 2026"


def test_timedelta_with_direction(fr: Formatter, en: Formatter) -> None:
    assert fr.format_timedelta(dt.timedelta(days=3), add_direction=True) == "dans 3 jours"
    assert en.format_timedelta(dt.timedelta(days=3), add_direction=True) == "in 3 days"
    assert fr.format_timedelta(dt.timedelta(hours=-2), add_direction=True) == "il y a 2 heures"
    assert en.format_timedelta(dt.timedelta(hours=-2), add_direction=True) == "2 hours ago"


def test_timedelta_without_direction(fr: Formatter) -> None:
    assert fr.format_timedelta(dt.timedelta(days=3)) == f"3{NBSP}jours"


def test_filters_are_bound_methods(fr: Formatter) -> None:
    filters = fr.filters()
    assert sorted(filters) == [
        "format_compact",
        "format_compact_currency",
        "format_currency",
        "format_date",
        "format_date_time",
        "format_datetime",
        "format_decimal",
        "format_number",
        "format_percent",
        "format_relative",
        "format_time",
        "format_timedelta",
    ]
    assert filters["format_currency"](Decimal("1299"), "EUR") == f"1{NNBSP}299,00{NBSP}€"


# The same values pinned for the three locales the project promises.
PINNED = {
    "fr_FR": {
        "datetime_paris": "10 novembre 2026, 17:00:00 +0100",
        "datetime_beijing": "11 novembre 2026, 00:00:00 +0800",
        "date_paris": "10 novembre 2026",
        "eur": f"1{NNBSP}299,00{NBSP}€",
        "cny": f"268,40{NBSP}CNY",
        "discount": f"-30{NBSP}%",
        "compact": "268,4 milliards",
        "compact_currency": f"268,4{NBSP}Md{NBSP}CNY",
        "relative": "dans 2 jours",
    },
    "en_GB": {
        "datetime_paris": "10 November 2026, 17:00:00 CET",
        "datetime_beijing": "11 November 2026, 00:00:00 +0800",
        "date_paris": "10 November 2026",
        "eur": "€1,299.00",
        "cny": "CN¥268.40",
        "discount": "-30%",
        "compact": "268.4 billion",
        "compact_currency": "CN¥268.4bn",
        "relative": "in 2 days",
    },
    "en_US": {
        "datetime_paris": "November 10, 2026, 5:00:00\u202fPM +0100",
        "datetime_beijing": "November 11, 2026, 12:00:00\u202fAM +0800",
        "date_paris": "November 10, 2026",
        "eur": "€1,299.00",
        "cny": "CN¥268.40",
        "discount": "-30%",
        "compact": "268.4 billion",
        "compact_currency": "CN¥268.4B",
        "relative": "in 2 days",
    },
}


@pytest.mark.parametrize("locale", sorted(PINNED))
def test_pinned_outputs(locale: str) -> None:
    formatter = Formatter(locale, PARIS, NOW)
    got = {
        "datetime_paris": formatter.format_datetime(BEIJING_MIDNIGHT, "long"),
        "datetime_beijing": formatter.format_datetime(BEIJING_MIDNIGHT, "long", tz="Asia/Shanghai"),
        "date_paris": formatter.format_date(BEIJING_MIDNIGHT, "long"),
        "eur": formatter.format_currency(Decimal("1299"), "EUR"),
        "cny": formatter.format_currency(Decimal("268.4"), "CNY"),
        "discount": formatter.format_percent(Decimal("-0.30")),
        "compact": formatter.format_compact(Decimal("268400000000"), "long"),
        "compact_currency": formatter.format_compact_currency(Decimal("268400000000"), "CNY"),
        "relative": formatter.format_relative(BEIJING_MIDNIGHT, granularity="day"),
    }
    assert got == PINNED[locale]
