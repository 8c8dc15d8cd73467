"""The inputs an output reads through the views (a page's title and links, its body,
its params and feed item, a listing, the homes, the aliases, the clock and the
campaign's phase), each with what it is now: the records of the incremental build."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from sitegen.base.dependencies import Input
from sitegen.model.site import Page, Site


class ViewContext(Protocol):
    """What the inputs of the views are read in (the views of one build)."""

    @property
    def site(self) -> Site: ...

    def localize(self, value: Any, lang: str) -> Any: ...

    def data(self, lang: str) -> dict[str, Any]: ...


class ViewInput(Input["ViewContext"]):
    """An input found in the site's views: what a page, a listing or the homes show."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class PageShown(ViewInput):
    """A page as a view shows it, body, params and item aside (inputs of their own):
    its title, URL, date... and its versions in other languages."""

    page_id: str

    def fingerprint(self, views: ViewContext) -> object:
        page = views.site.page_by_id(self.page_id)
        return None if page is None else PageShownValue(page, views.site.group(page))


@dataclass(frozen=True, slots=True)
class PageContent(ViewInput):
    """A page's body (its HTML, components, images and headings)."""

    page_id: str

    def fingerprint(self, views: ViewContext) -> object:
        page = views.site.page_by_id(self.page_id)
        return None if page is None else (page.content, page.components, page.images, page.toc)


@dataclass(frozen=True, slots=True)
class PageParams(ViewInput):
    """A page's free front matter, resolved for its language (a theme's hero, a menu
    weight): it changes more often than the rest of the page."""

    page_id: str

    def fingerprint(self, views: ViewContext) -> object:
        page = views.site.page_by_id(self.page_id)
        return None if page is None else views.localize(page.source.params, page.lang)


@dataclass(frozen=True, slots=True)
class PageItem(ViewInput):
    """The feed item a page made from data shows, resolved for its language (a price)."""

    page_id: str

    def fingerprint(self, views: ViewContext) -> object:
        page = views.site.page_by_id(self.page_id)
        if page is None or page.source.item is None:
            return None
        return views.site.data.localized(page.source.item, page.lang, views.site.config)


@dataclass(frozen=True, slots=True)
class AllPages(ViewInput):
    """`pages`: every page of a language, and all that each shows but its body and its
    feed item (a theme that lists them all depends on one input, not on one per page)."""

    lang: str

    def fingerprint(self, views: ViewContext) -> object:
        return tuple(
            (
                PageShownValue(page, views.site.group(page)),
                views.localize(page.source.params, page.lang),
            )
            for page in views.site.pages_in(self.lang)
        )


@dataclass(frozen=True, slots=True)
class Children(ViewInput):
    """Which pages a home or section lists. Not in which order: the order follows from
    their titles and dates, which the listing read as inputs of their own."""

    lang: str
    folder: str

    def fingerprint(self, views: ViewContext) -> object:
        return tuple(page.id for page in views.site.listing(self.lang, self.folder))


@dataclass(frozen=True, slots=True)
class Ancestry(ViewInput):
    """Which home and sections stand above a page."""

    page_id: str

    def fingerprint(self, views: ViewContext) -> object:
        page = views.site.page_by_id(self.page_id)
        return None if page is None else tuple(p.id for p in views.site.ancestors(page))


@dataclass(frozen=True, slots=True)
class Homes(ViewInput):
    """Each language's home: where the switcher leads from a page with no version there."""

    def fingerprint(self, views: ViewContext) -> object:
        site = views.site
        return tuple(home.url for lang in site.config.language_codes if (home := site.home(lang)))


@dataclass(frozen=True, slots=True)
class Placements(ViewInput):
    """Where each page of a language is, what it translates and when it is dated: what
    the sitemap and which pages a feed lists follow from."""

    lang: str

    def fingerprint(self, views: ViewContext) -> object:
        return tuple(
            (p.id, p.url, p.group, p.number, p.source.lang, p.kind, p.source.date)
            for p in views.site.pages_in(self.lang)
        )


@dataclass(frozen=True, slots=True)
class AliasAt(ViewInput):
    """The page an old address leads to."""

    output_path: str

    def fingerprint(self, views: ViewContext) -> object:
        redirect = views.site.redirect_at(self.output_path)
        return (redirect.path, redirect.page.id) if redirect else None


@dataclass(frozen=True, slots=True)
class Aliases(ViewInput):
    """Every old address and where it leads (`_redirects`)."""

    def fingerprint(self, views: ViewContext) -> object:
        return tuple((r.url, r.page.url) for r in views.site.redirects)


@dataclass(frozen=True, slots=True)
class Clock(ViewInput):
    """The build's `now` itself, read by an output that shows it (`now`, a relative
    date): such an output is rendered again by every build made at another instant."""

    def fingerprint(self, views: ViewContext) -> object:
        return views.site.now


@dataclass(frozen=True, slots=True)
class Phase(ViewInput):
    """The campaign's phase at the build's `now` (and so when the next one begins),
    read by every output that shows the campaign: rendered again in another phase."""

    def fingerprint(self, views: ViewContext) -> object:
        campaign = views.site.config.campaign
        return campaign.phase_at(views.site.now) if campaign else None


@dataclass(frozen=True, slots=True)
class Passed(ViewInput):
    """Whether an instant has passed at the build's `now` (`is past`, `is future` in
    templates: a product's availability): rendered again when a build crosses it."""

    at: dt.datetime

    def fingerprint(self, views: ViewContext) -> object:
        return self.at <= views.site.now


CLOCK = Clock()
PHASE = Phase()


class PageShownValue:
    """What a page's view shows, its body, params and feed item aside (inputs of their
    own): made from the page and its versions in other languages (and the config).

    Pages are immutable, so the same page objects show the same; a build that only
    re-rendered bodies keeps the other pages' objects, which makes comparing cheap."""

    __slots__ = ("group", "page")

    def __init__(self, page: Page, group: tuple[Page, ...]) -> None:
        self.page = page
        self.group = group

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PageShownValue):
            return NotImplemented
        same_objects = (
            self.page is other.page
            and len(self.group) == len(other.group)
            and all(mine is theirs for mine, theirs in zip(self.group, other.group, strict=True))
        )
        return same_objects or self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]

    def _fields(self) -> tuple[object, ...]:
        page, source = self.page, self.page.source
        own = (
            source.path,
            source.key,
            source.lang,
            source.title,
            source.description,
            source.layout,
            source.slug,
            source.translation_key,
            source.date,
            source.image,
        )
        versions = tuple(
            (other.lang, other.url, other.source.lang, other.source.title)
            for other in self.group
            if other is not page
        )
        return (page.url, page.kind, page.folder, own, versions)
