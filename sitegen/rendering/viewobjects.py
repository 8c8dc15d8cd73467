"""The plain objects templates see besides pages: the site, the campaign and its
phases, translations and hreflang alternates, the language switcher's links, the
sitemap's and the Atom feed's entries, the host's redirects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sitegen.base.dependencies import Recorder
from sitegen.rendering.viewinputs import PHASE
from sitegen.settings.languages import Language


@dataclass(frozen=True)
class SiteView:
    title: str
    description: str
    base_url: str
    languages: tuple[Language, ...]
    default_language: str
    timezone: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class PhaseView:
    name: str
    starts: dt.datetime
    ends: dt.datetime


@dataclass(frozen=True)
class CampaignView:
    """The timeline as templates see it, with the phase at the build's `now`: only an
    output that reads the phase (or when it changes next) depends on it."""

    timezone: str
    phases: tuple[PhaseView, ...]
    starts: dt.datetime
    ends: dt.datetime
    timeline: Mapping[str, Any]
    """The timeline for scripts (`| tojson`): {"phases": [{name, starts, ends}], "ends"},
    instants in ISO 8601."""
    _phase: str = field(repr=False)
    _next_change: dt.datetime | None = field(repr=False)
    _recorder: Recorder = field(repr=False)

    @property
    def phase(self) -> str:
        """'before', a phase's name, or 'after'."""
        self._recorder.read(PHASE)
        return self._phase

    @property
    def next_change(self) -> dt.datetime | None:
        """When the phase changes next (None once the campaign is over)."""
        self._recorder.read(PHASE)
        return self._next_change


@dataclass(frozen=True)
class TranslationView:
    lang: Language
    url: str
    permalink: str
    title: str


@dataclass(frozen=True)
class Alternate:
    """One `<link rel="alternate" hreflang>`: a language code or 'x-default'."""

    hreflang: str
    href: str


@dataclass(frozen=True)
class LanguageLink:
    """One entry of the language switcher."""

    lang: Language
    url: str
    permalink: str
    current: bool
    translated: bool


@dataclass(frozen=True)
class SitemapEntry:
    """One `<url>` of sitemap.xml: a page search engines may index."""

    loc: str
    lastmod: dt.datetime | None
    alternates: tuple[Alternate, ...]


@dataclass(frozen=True)
class RedirectLine:
    """One line of `_redirects`: site-absolute addresses, with the base path."""

    source: str
    target: str
    status: int = 301
