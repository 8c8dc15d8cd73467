"""Formatter: numbers, prices and dates as each locale writes them (Babel/CLDR).

Exact strings, including CLDR's spaces: French groups digits with a narrow
no-break space (U+202F) and puts a no-break space (U+00A0) before a unit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from babel import dates, numbers

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


# ---------- against Babel itself, every path (issue 22) ----------

LOCALES = ["fr_FR", "en_GB", "en_US", "de_DE", "zh_Hans_CN", "ar_EG", "ja_JP"]
CURRENCY_FORMATS = [None, "¤¤ #,##0.00", "#,##0.00 ¤¤¤", "¤#,##0.00;(¤#,##0.00)", "#,##0 ¤"]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("format", CURRENCY_FORMATS)
def test_prices_are_babels_own(locale: str, format: str | None) -> None:
    """Formatter.format_currency keeps its patterns with the symbol and code filled in
    (a price a page): the text must be numbers.format_currency's, for every currency's
    digits (JPY 0, BHD 3), signs, codes (¤¤) and names (¤¤¤)."""
    formatter = Formatter(locale, ZoneInfo("Europe/Paris"), dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    for currency in ("EUR", "CNY", "JPY", "BHD", "USD"):
        for value in (Decimal("1299.5"), Decimal("-12.345"), 0, 1, 1000000, 2.5):
            expected = numbers.format_currency(value, currency, format, locale=locale)
            assert formatter.format_currency(value, currency, format) == expected
            # the second time from the kept pattern
            assert formatter.format_currency(value, currency, format) == expected


def test_a_price_without_a_currency_is_babels_own_too() -> None:
    formatter = Formatter("fr_FR", ZoneInfo("Europe/Paris"), dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    missing: Any = None
    assert formatter.format_currency(Decimal("10"), missing) == numbers.format_currency(
        Decimal("10"), missing, locale="fr_FR"
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_compact_numbers_keep_one_decimal_by_default(locale: str) -> None:
    formatter = Formatter(locale, ZoneInfo("Europe/Paris"), dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    value = 268_450_000_000
    assert formatter.format_compact(value) == numbers.format_compact_decimal(
        value, fraction_digits=1, locale=locale
    )
    assert formatter.format_compact(value, "long", 2) == numbers.format_compact_decimal(
        value, format_type="long", fraction_digits=2, locale=locale
    )
    assert formatter.format_compact_currency(value, "CNY") == numbers.format_compact_currency(
        value, "CNY", fraction_digits=1, locale=locale
    )


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fr_FR", "10 novembre 2027, 17 h"),
        ("en_GB", "10 November 2027, 17:00"),
        ("en_US", "November 10, 2027, 5:00\u202fPM"),
        ("de_DE", "10. November 2027, 17:00"),
        ("zh_Hans_CN", "2027年11月10日 17:00"),
    ],
)
def test_a_date_and_a_time_joined_the_locales_way(locale: str, expected: str) -> None:
    """Midnight in Beijing, in the site's zone (Paris): 17:00 the day before."""
    formatter = Formatter(locale, ZoneInfo("Europe/Paris"), dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    instant = dt.datetime(2027, 11, 11, 0, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert formatter.format_date_time(instant) == expected
    assert formatter.format_date(instant) == dates.format_date(
        dt.date(2027, 11, 10), "medium", locale=locale
    )  # the site's zone: still the 10th in Paris
    assert formatter.format_date(instant, tz="Asia/Shanghai") == dates.format_date(
        dt.date(2027, 11, 11), "medium", locale=locale
    )


@pytest.mark.parametrize(
    ("then", "granularity", "expected"),
    [
        (dt.datetime(2027, 1, 4, 12, 0, tzinfo=dt.UTC), "second", "dans 3 jours"),
        (dt.datetime(2026, 12, 29, 12, 0, tzinfo=dt.UTC), "second", "il y a 3 jours"),
        (dt.date(2027, 1, 4), "day", "dans 2 jours"),  # from 00:00 in the zone: 2.5 days
        (dt.datetime(2027, 1, 1, 12, 0, 30, tzinfo=dt.UTC), "second", "dans 30 secondes"),
        (dt.datetime(2027, 1, 1, 12, 0, 30, tzinfo=dt.UTC), "minute", "dans 1 minute"),
    ],
)
def test_relative_times_from_the_builds_now(then: dt.date, granularity: str, expected: str) -> None:
    formatter = Formatter("fr_FR", ZoneInfo("UTC"), dt.datetime(2027, 1, 1, 12, 0, tzinfo=dt.UTC))
    assert formatter.format_relative(then, granularity) == expected
