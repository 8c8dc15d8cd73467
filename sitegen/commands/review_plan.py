"""What `sitegen review` shows: the instants it builds the site at, the widths it
shoots at, and the pages, a row per page with its version in every language.

Pure functions of the campaign, the options and the pages each build reports, so
the choices can be tested without a browser."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from sitegen.building.buildcontract import BuiltPage
from sitegen.settings.campaign import Campaign

DEFAULT_REVIEW = "review"
"""The review folder, in the site folder unless given (a build reads only the site's
input folders: this one is never taken for content)."""
OUTSIDE_THE_CAMPAIGN = dt.timedelta(days=1)
"""How long before the campaign starts the `before` phase is shot, and how long after it
ends the `after` phase is: far enough from the boundary that the countdown shows a day."""
NO_CAMPAIGN = "site"
"""The label of the build of a site without a campaign."""


@dataclass(frozen=True)
class Viewport:
    """A browser window's size in CSS pixels; a shot is this wide, and as tall as the page."""

    width: int
    height: int

    @property
    def name(self) -> str:
        """In file names and options: '390x844'."""
        return f"{self.width}x{self.height}"

    @property
    def shown(self) -> str:
        """In the contact sheet: '390 × 844'."""
        return f"{self.width} × {self.height}"


DEFAULT_VIEWPORTS = (Viewport(390, 844), Viewport(1440, 900))
"""A phone (an iPhone's 390 × 844) and a laptop's screen, the widths the art director
signs off."""
_SIZE = re.compile(r"^\s*(\d{1,5})\s*[x×]\s*(\d{1,5})\s*$")
_LARGEST = 10_000


def viewport(text: str) -> Viewport:
    """`--width 390x844`: an argparse type."""
    match = _SIZE.match(text)
    sizes = (int(match[1]), int(match[2])) if match else (0, 0)
    if not all(0 < size <= _LARGEST for size in sizes):
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a window size such as 390x844 (width x height, in pixels, "
            f"up to {_LARGEST})"
        )
    return Viewport(*sizes)


@dataclass(frozen=True)
class Moment:
    """One build of the review: the site as it is at `instant`."""

    label: str
    """Its folder in the review and its column's heading: the phase, made unique
    ('live', 'live-2') when two instants fall in one phase."""
    phase: str | None
    """The campaign's phase at the instant; None for a site without a campaign."""
    instant: dt.datetime


def moments(
    campaign: Campaign | None, now: dt.datetime, at: Sequence[dt.datetime]
) -> tuple[Moment, ...]:
    """The instants given (`--at`), in time order; without any, one instant in each
    phase of the campaign (`phase_instants`), or `now` for a site without one."""
    if at:
        instants = sorted(set(at))
    elif campaign is not None:
        instants = list(phase_instants(campaign))
    else:
        instants = [now]
    labels: list[str] = []
    found = []
    for instant in instants:
        phase = campaign.phase_at(instant) if campaign is not None else None
        label = _unique(phase or NO_CAMPAIGN, labels)
        labels.append(label)
        found.append(Moment(label, phase, instant))
    return tuple(found)


def phase_instants(campaign: Campaign) -> tuple[dt.datetime, ...]:
    """An instant in each phase: a day before the start, the middle of each phase (where
    the countdown is in no last hour and dated content is not at its edge), and a day
    after the end; to the minute, so the sheet's headings read plainly."""
    middles = (phase.starts + (phase.ends - phase.starts) / 2 for phase in campaign.phases)
    instants = (
        campaign.starts - OUTSIDE_THE_CAMPAIGN,
        *middles,
        campaign.ends + OUTSIDE_THE_CAMPAIGN,
    )
    return tuple(
        instant.astimezone(campaign.timezone).replace(second=0, microsecond=0)
        for instant in instants
    )


def _unique(label: str, taken: Sequence[str]) -> str:
    candidate, number = label, 1
    while candidate in taken:
        number += 1
        candidate = f"{label}-{number}"
    return candidate


@dataclass
class Row:
    """A page of the site in every language: a row of the contact sheet."""

    key: tuple[str, int]
    pages: dict[tuple[str, str], BuiltPage] = field(default_factory=dict)
    """Its version in each (moment's label, language) where the page exists."""

    @property
    def urls(self) -> dict[str, str]:
        """Each language's URL (the first seen, should a slug change between moments)."""
        found: dict[str, str] = {}
        for (_, lang), page in self.pages.items():
            found.setdefault(lang, page.url)
        return found


def rows(built: Iterable[tuple[Moment, Sequence[BuiltPage]]]) -> list[Row]:
    """The pages of every build, a row per page, in the order the builds list them."""
    found: dict[tuple[str, int], Row] = {}
    for moment, pages in built:
        for page in pages:
            row = found.setdefault(page.versions_key, Row(page.versions_key))
            row.pages[moment.label, page.lang] = page
    return list(found.values())


def selected(found: Sequence[Row], patterns: Sequence[str]) -> tuple[list[Row], list[str]]:
    """The rows one of whose URLs a pattern matches (every row without patterns), and
    the patterns that match none. A pattern is a URL as the site shows it, with `*`, `?`
    and `[...]` as in the shell; its closing slash may be left out."""
    if not patterns:
        return list(found), []
    matched: set[str] = set()
    chosen = []
    for row in found:
        hits = {
            pattern for pattern in patterns for url in row.urls.values() if _matches(url, pattern)
        }
        matched |= hits
        if hits:
            chosen.append(row)
    return chosen, [pattern for pattern in patterns if pattern not in matched]


def _matches(url: str, pattern: str) -> bool:
    return fnmatchcase(url, pattern) or fnmatchcase(url.rstrip("/"), pattern.rstrip("/"))


def page_name(page: BuiltPage) -> str:
    """A page's shot's name, from its output file: 'fr/produits' for
    'fr/produits/index.html', 'index' for the site's root."""
    return page.output_path.removesuffix("index.html").strip("/") or "index"
