"""The campaign's timeline: phases in one time zone, and which one is on at an instant.

```yaml
campaign:
  timezone: Asia/Shanghai          # where the event happens; naive instants are read in it
  phases:
    - {name: teaser, starts: 2027-10-20}
    - {name: live, starts: 2027-11-11 00:00}
  ends: 2027-11-12 00:00
```

Before the first phase starts the phase is `before`; once `ends` has passed it is
`after`. Every instant carries an offset or is read in `campaign.timezone`: an
instant with no way to know its zone is an error, since "00:00" means 17:00 in
Paris for an event in Beijing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen.base.errors import Problem
from sitegen.base.messages import N_, _
from sitegen.base.timeutil import as_instant, naive_time_rule
from sitegen.base.yamlsource import YamlList, YamlMap, unknown_keys

BEFORE = "before"
AFTER = "after"
_PHASE_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
_CAMPAIGN_SETTINGS = {"timezone", "phases", "ends"}


@dataclass(frozen=True)
class Phase:
    name: str
    starts: dt.datetime
    ends: dt.datetime


@dataclass(frozen=True)
class Campaign:
    timezone: ZoneInfo
    phases: tuple[Phase, ...]

    @property
    def starts(self) -> dt.datetime:
        return self.phases[0].starts

    @property
    def ends(self) -> dt.datetime:
        return self.phases[-1].ends

    @property
    def phase_names(self) -> tuple[str, ...]:
        """Every name a phase block may use, in time order."""
        return (BEFORE, *(phase.name for phase in self.phases), AFTER)

    def phase_at(self, now: dt.datetime) -> str:
        if now < self.starts:
            return BEFORE
        for phase in self.phases:
            if now < phase.ends:
                return phase.name
        return AFTER

    def boundaries(self) -> tuple[tuple[dt.datetime, str], ...]:
        """(instant, phase that begins then), the `after` phase included."""
        return (*((phase.starts, phase.name) for phase in self.phases), (self.ends, AFTER))

    def next_change(self, now: dt.datetime) -> dt.datetime | None:
        return next((instant for instant, _phase in self.boundaries() if instant > now), None)


def parse_campaign(path: Path, raw: Any, line: int) -> tuple[Campaign | None, list[Problem]]:
    """The `campaign` setting, or the problems that keep it from being one."""
    if not isinstance(raw, YamlMap):
        message = _("'campaign' must be a mapping: timezone, phases, ends")
        return None, [Problem(path, line, message)]
    problems = unknown_keys(path, raw, _CAMPAIGN_SETTINGS, N_("campaign setting"))
    zone = _zone(path, raw, problems)
    reader = _Instants(path, zone, problems)
    starts: list[tuple[str, dt.datetime]] = []
    phases = raw.get("phases")
    if not isinstance(phases, YamlList) or not phases:
        problems.append(
            Problem(path, raw.line_of("phases"), _("'campaign.phases' must be a non-empty list"))
        )
        phases = YamlList()
    for index, item in enumerate(phases):
        names = [name for name, _start in starts]
        entry = _phase(path, phases.line_of(index), item, reader, names, problems)
        if entry is not None:
            starts.append(entry)
    ends = reader.instant(raw, "ends", _("the campaign's end"))
    if ends is None and "ends" not in raw:
        message = _("'campaign' needs 'ends', the end of the event")
        problems.append(Problem(path, raw.line, message))
    _check_order(path, raw, starts, ends, problems)
    if problems or zone is None or ends is None or not starts:
        return None, problems
    bounds = [instant for _name, instant in starts[1:]] + [ends]
    return Campaign(
        timezone=zone,
        phases=tuple(
            Phase(name, start, end) for (name, start), end in zip(starts, bounds, strict=True)
        ),
    ), []


def _zone(path: Path, raw: YamlMap, problems: list[Problem]) -> ZoneInfo | None:
    name = raw.get("timezone")
    if name is None:
        return None
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(
            Problem(
                path,
                raw.line_of("timezone"),
                _("unknown time zone '%(value)s'") % {"value": name},
                hint=_("use an IANA name such as Asia/Shanghai"),
            )
        )
        return None


class _Instants:
    def __init__(self, path: Path, zone: ZoneInfo | None, problems: list[Problem]) -> None:
        self.path = path
        self.zone = zone
        self.problems = problems

    def instant(self, mapping: YamlMap, key: str, what: str) -> dt.datetime | None:
        value = mapping.get(key)
        if value is None:
            return None
        line = mapping.line_of(key)
        rule = naive_time_rule(campaign=self.zone.key if self.zone else None)
        if not isinstance(value, dt.date):
            self.problems.append(
                Problem(
                    self.path,
                    line,
                    # Translators: what is "the campaign's end" or "the start of phase '...'".
                    _("%(what)s must be a date-time such as 2027-11-11 00:00") % {"what": what},
                    hint=_(
                        "write it year first, or with an offset, 2027-11-11T00:00+08:00: %(rule)s"
                    )
                    % {"rule": rule},
                )
            )
            return None
        naive = not isinstance(value, dt.datetime) or value.tzinfo is None
        if naive and self.zone is None:
            self.problems.append(
                Problem(
                    self.path,
                    line,
                    _("%(what)s has no time zone") % {"what": what},
                    hint=_(
                        "add an offset (2027-11-11T00:00:00+08:00) or set campaign.timezone: "
                        "%(rule)s"
                    )
                    % {"rule": rule},
                )
            )
            return None
        return as_instant(value, self.zone or dt.UTC)


def _phase(
    path: Path,
    line: int,
    item: Any,
    reader: _Instants,
    names: list[str],
    problems: list[Problem],
) -> tuple[str, dt.datetime] | None:
    if not isinstance(item, YamlMap) or set(item) - {"name", "starts"}:
        problems.append(Problem(path, line, _("a phase is {name: ..., starts: ...}")))
        return None
    name = item.get("name")
    if not isinstance(name, str) or not _PHASE_NAME.match(name) or name in (BEFORE, AFTER):
        problems.append(
            Problem(
                path,
                item.line_of("name"),
                _("phase name %(name)s must be a lowercase word other than 'before' and 'after'")
                % {"name": repr(name)},
            )
        )
        return None
    if name in names:
        message = _("phase '%(name)s' is listed twice") % {"name": name}
        problems.append(Problem(path, item.line_of("name"), message))
        return None
    starts = reader.instant(item, "starts", _("the start of phase '%(name)s'") % {"name": name})
    if starts is None:
        if "starts" not in item:
            message = _("phase '%(name)s' needs 'starts'") % {"name": name}
            problems.append(Problem(path, line, message))
        return None
    return name, starts


def _check_order(
    path: Path,
    raw: YamlMap,
    starts: list[tuple[str, dt.datetime]],
    ends: dt.datetime | None,
    problems: list[Problem],
) -> None:
    for (previous, before), (name, after) in itertools.pairwise(starts):
        if after <= before:
            problems.append(
                Problem(
                    path,
                    raw.line_of("phases"),
                    _("phase '%(name)s' starts before '%(previous)s'")
                    % {"name": name, "previous": previous},
                )
            )
    if ends is not None and starts and ends <= starts[-1][1]:
        problems.append(
            Problem(path, raw.line_of("ends"), _("the campaign ends before its last phase starts"))
        )


def phase_attributes(names: tuple[str, ...], current: str) -> str:
    """` data-phase="live after"`, plus ` hidden` when none of `names` is on now.

    The one shape both Markdown phase blocks and templates use, so that the
    countdown script switches them all when a boundary passes."""
    hidden = "" if current in names else " hidden"
    return f' data-phase="{" ".join(names)}"{hidden}'


def unknown_phases(names: tuple[str, ...], campaign: Campaign | None) -> list[str]:
    known = campaign.phase_names if campaign else ()
    return [name for name in names if name not in known]
