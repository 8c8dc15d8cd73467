"""Instants are always timezone-aware; naive ones are read by one rule (naive_time_rule)."""

from __future__ import annotations

import datetime as dt
import os
import time
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sitegen.base.messages import _


def naive_time_rule(site: str | None = None, campaign: str | None = None) -> str:
    """The one rule for date-times without an offset, in every input (front matter,
    feeds, site.yaml), as docs/guide/data-and-feeds.md ("Dates and times") gives it
    and as every hint about a date says it, with the zone that applies where it is
    known."""
    site_zone = f" ({site})" if site else ""
    campaign_zone = f" ({campaign})" if campaign else ""
    return _(
        "a time without an offset is read in the site's timezone%(site)s, and inside "
        "site.yaml's campaign in campaign.timezone%(campaign)s"
    ) % {"site": site_zone, "campaign": campaign_zone}


def as_instant(value: dt.date | dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """A front-matter date or datetime as an aware instant (a date means its midnight)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    return dt.datetime.combine(value, dt.time(0, 0), tzinfo=tz)


def localize_naive(value: Any, tz: ZoneInfo) -> Any:
    """Make every naive datetime inside `value` aware in `tz`, keeping containers' types."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    if isinstance(value, dict):
        for key, item in value.items():
            value[key] = localize_naive(item, tz)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            value[index] = localize_naive(item, tz)
    return value


def epoch_instant(seconds: str) -> dt.datetime:
    """A SOURCE_DATE_EPOCH value (whole seconds since 1970, UTC) as an instant;
    raises ValueError for anything else."""
    try:
        return dt.datetime.fromtimestamp(int(seconds.strip()), dt.UTC)
    except (OverflowError, OSError) as exc:
        raise ValueError(str(exc)) from None


class FileStamp(NamedTuple):
    """What tells, without reading a file, that it changed since it was last seen."""

    size: int
    mtime_ns: int
    inode: int
    ctime_ns: int

    @classmethod
    def of(cls, path: str | os.PathLike[str]) -> FileStamp:
        return cls.of_stat(os.stat(path))

    @classmethod
    def of_stat(cls, info: os.stat_result) -> FileStamp:
        """From a stat already made (one that did not follow a link, say)."""
        return cls(info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)

    def settled(self) -> bool:
        """Old enough (two seconds) that a new change would give another stamp; a file
        changed more recently than that must be read again to be sure."""
        return time.time_ns() - self.mtime_ns > 2_000_000_000
