"""Instants are aware; naive datetimes are read in the site's zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sitegen.base.timeutil import as_instant, localize_naive, naive_time_rule

PARIS = ZoneInfo("Europe/Paris")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_date_is_midnight_in_the_zone() -> None:
    instant = as_instant(dt.date(2026, 11, 11), PARIS)
    assert instant == dt.datetime(2026, 11, 11, 0, 0, tzinfo=PARIS)
    assert instant.utcoffset() == dt.timedelta(hours=1)


def test_naive_datetime_is_read_in_the_zone() -> None:
    instant = as_instant(dt.datetime(2026, 11, 11, 9, 30), SHANGHAI)
    assert instant.tzinfo is SHANGHAI
    assert instant == dt.datetime(2026, 11, 11, 1, 30, tzinfo=dt.UTC)


def test_naive_datetime_in_summer_time() -> None:
    assert as_instant(dt.datetime(2026, 7, 1, 12), PARIS).utcoffset() == dt.timedelta(hours=2)


def test_aware_datetime_is_kept() -> None:
    aware = dt.datetime(2026, 11, 11, 0, 0, tzinfo=SHANGHAI)
    assert as_instant(aware, PARIS) is aware


def test_localize_naive_walks_containers() -> None:
    aware = dt.datetime(2026, 11, 11, tzinfo=dt.UTC)
    value = {
        "start": dt.datetime(2026, 11, 11, 0, 0),
        "end": aware,
        "day": dt.date(2026, 11, 11),
        "slots": [dt.datetime(2026, 11, 11, 20, 0), "text", 3],
        "nested": {"at": dt.datetime(2026, 11, 10, 23, 0)},
    }
    result = localize_naive(value, PARIS)
    assert result is value
    assert value["start"] == dt.datetime(2026, 11, 11, 0, 0, tzinfo=PARIS)
    assert value["end"] is aware
    assert value["day"] == dt.date(2026, 11, 11)
    assert value["slots"] == [dt.datetime(2026, 11, 11, 20, 0, tzinfo=PARIS), "text", 3]
    assert value["nested"]["at"].tzinfo is PARIS


def test_localize_naive_on_a_single_value() -> None:
    assert localize_naive(dt.datetime(2026, 1, 1), PARIS) == dt.datetime(2026, 1, 1, tzinfo=PARIS)
    assert localize_naive("2026-01-01", PARIS) == "2026-01-01"
    assert localize_naive(None, PARIS) is None


def test_the_naive_time_rule_names_the_zone_that_applies() -> None:
    assert naive_time_rule(site="Europe/Paris") == (
        "a time without an offset is read in the site's timezone (Europe/Paris), "
        "and inside site.yaml's campaign in campaign.timezone"
    )
    assert naive_time_rule(campaign="Asia/Shanghai") == (
        "a time without an offset is read in the site's timezone, "
        "and inside site.yaml's campaign in campaign.timezone (Asia/Shanghai)"
    )
