"""What templates see: plain, frozen view objects, never the build's internals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from sitegen.base.dependencies import Input, Recent, Recorder
from sitegen.base.localized import resolve
from sitegen.base.timeutil import as_instant
from sitegen.model.site import HOME, PAGE, Page, Redirect, Site
from sitegen.settings.languages import Language
from sitegen.sources.frontmatter import UPDATED_KEY
from sitegen.sources.markdown import Heading


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
class FeedEntry:
    page: PageView
    published: dt.datetime
    """The page's `date`."""
    updated: dt.datetime
    """Its `updated` front matter when that is a later date, else `published`."""


@dataclass(frozen=True)
class FeedView:
    """A language's Atom feed: its articles, newest first."""

    permalink: str
    home: str | None
    """The permalink of the language's home, when it has one."""
    updated: dt.datetime
    """The newest entry's `updated`; without entries, the build's time stamp."""
    entries: tuple[FeedEntry, ...]


@dataclass(frozen=True)
class RedirectLine:
    """One line of `_redirects`: site-absolute addresses, with the base path."""

    source: str
    target: str
    status: int = 301


@dataclass(frozen=True, eq=False)
class PageView:
    """A page as templates see it. What takes work to make (translations, hreflang
    alternates, the body, children) is made when first read, since a listing of a
    thousand pages reads little more than their titles and URLs."""

    title: str
    description: str
    url: str
    permalink: str
    lang: Language
    kind: str
    layout: str
    date: dt.datetime | None
    image: str | None
    content_lang: Language
    """The language of the text shown: another than `lang` on a fallback page."""
    is_fallback: bool
    key: str
    """The page's path below content/ without language: 'explainer', 'products/bag'."""
    feed: str | None
    """For a page made from data, the feed its item comes from: 'products'."""
    number: int
    """Which page of its listing this is: 1, or 2 and more for the further pages of a
    long listing (see `pager`)."""
    _page: Page = field(repr=False)
    _views: Views = field(repr=False)
    _quiet: bool = field(default=False, repr=False)
    """Made for a collection whose input covers what the page shows but its body and
    item (`pages`): reading its params notes nothing more."""

    @property
    def params(self) -> Mapping[str, Any]:
        """The front matter's other keys, localized fields resolved for the page's language."""
        params: Mapping[str, Any] = self._views.shown(PageParams(self._page.id), self._quiet)
        return params

    @property
    def item(self) -> Mapping[str, Any] | None:
        """The feed item a data page is made from, resolved for the page's language."""
        item: Mapping[str, Any] | None = self._views.shown(PageItem(self._page.id))
        return item

    @property
    def parent(self) -> PageView | None:
        """The home or section whose listing holds this page (the nearest above it)."""
        ancestors = self.ancestors
        return ancestors[-1] if ancestors else None

    @property
    def ancestors(self) -> tuple[PageView, ...]:
        """The home and sections above this page, from the home down: a breadcrumb."""
        return self._views.ancestors(self._page)

    @cached_property
    def source(self) -> str:
        """The source file, from the site folder: 'content/explainer.fr.md'."""
        return self._page.source.path.relative_to(self._views.site.config.root).as_posix()

    @cached_property
    def canonical(self) -> str:
        """The permalink search engines should index: the original of a fallback page."""
        return self._views.permalink(self._views.site.original(self._page).url)

    @cached_property
    def translations(self) -> tuple[TranslationView, ...]:
        return self._views.translations(self._page)

    @cached_property
    def alternates(self) -> tuple[Alternate, ...]:
        """Every real version of the page (itself included) and x-default, for hreflang."""
        return self._views.alternates(self._page)

    @property
    def toc(self) -> tuple[Heading, ...]:
        """The body's headings (they change with it)."""
        self._views.recorder.read(PageContent(self._page.id))
        return self._page.toc

    @property
    def children(self) -> tuple[PageView, ...]:
        return self._views.children(self._page)

    @property
    def content(self) -> Markup:
        """The body as HTML, rendered when first read: a listing of pages, or a
        component on one of them, never renders bodies it does not show."""
        return Markup(self._views.content(self._page))


class ViewInput(Input["Views"]):
    """An input found in the site's views: what a page, a listing or the homes show."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class PageShown(ViewInput):
    """A page as a view shows it, body, params and item aside (inputs of their own):
    its title, URL, date... and its versions in other languages."""

    page_id: str

    def fingerprint(self, views: Views) -> object:
        page = views.site.page_by_id(self.page_id)
        return None if page is None else _Shown(page, views.site.group(page))


@dataclass(frozen=True, slots=True)
class PageContent(ViewInput):
    """A page's body (its HTML, components, images and headings)."""

    page_id: str

    def fingerprint(self, views: Views) -> object:
        page = views.site.page_by_id(self.page_id)
        return None if page is None else (page.content, page.components, page.images, page.toc)


@dataclass(frozen=True, slots=True)
class PageParams(ViewInput):
    """A page's free front matter, resolved for its language (a theme's hero, a menu
    weight): it changes more often than the rest of the page."""

    page_id: str

    def fingerprint(self, views: Views) -> object:
        page = views.site.page_by_id(self.page_id)
        return None if page is None else views.localize(page.source.params, page.lang)


@dataclass(frozen=True, slots=True)
class PageItem(ViewInput):
    """The feed item a page made from data shows, resolved for its language (a price)."""

    page_id: str

    def fingerprint(self, views: Views) -> object:
        page = views.site.page_by_id(self.page_id)
        if page is None or page.source.item is None:
            return None
        return views.site.data.localized(page.source.item, page.lang, views.site.config)


@dataclass(frozen=True, slots=True)
class AllPages(ViewInput):
    """`pages`: every page of a language, and all that each shows but its body and its
    feed item (a theme that lists them all depends on one input, not on one per page)."""

    lang: str

    def fingerprint(self, views: Views) -> object:
        return tuple(
            (_Shown(page, views.site.group(page)), views.localize(page.source.params, page.lang))
            for page in views.site.pages_in(self.lang)
        )


@dataclass(frozen=True, slots=True)
class Children(ViewInput):
    """Which pages a home or section lists. Not in which order: the order follows from
    their titles and dates, which the listing read as inputs of their own."""

    lang: str
    folder: str

    def fingerprint(self, views: Views) -> object:
        return tuple(page.id for page in views.site.listing(self.lang, self.folder))


@dataclass(frozen=True, slots=True)
class Ancestry(ViewInput):
    """Which home and sections stand above a page."""

    page_id: str

    def fingerprint(self, views: Views) -> object:
        page = views.site.page_by_id(self.page_id)
        return None if page is None else tuple(p.id for p in views.site.ancestors(page))


@dataclass(frozen=True, slots=True)
class Homes(ViewInput):
    """Each language's home: where the switcher leads from a page with no version there."""

    def fingerprint(self, views: Views) -> object:
        site = views.site
        return tuple(home.url for lang in site.config.language_codes if (home := site.home(lang)))


@dataclass(frozen=True, slots=True)
class Placements(ViewInput):
    """Where each page of a language is, what it translates and when it is dated: what
    the sitemap and which pages a feed lists follow from."""

    lang: str

    def fingerprint(self, views: Views) -> object:
        return tuple(
            (p.id, p.url, p.group, p.number, p.source.lang, p.kind, p.source.date)
            for p in views.site.pages_in(self.lang)
        )


@dataclass(frozen=True, slots=True)
class AliasAt(ViewInput):
    """The page an old address leads to."""

    output_path: str

    def fingerprint(self, views: Views) -> object:
        redirect = views.site.redirect_at(self.output_path)
        return (redirect.path, redirect.page.id) if redirect else None


@dataclass(frozen=True, slots=True)
class Aliases(ViewInput):
    """Every old address and where it leads (`_redirects`)."""

    def fingerprint(self, views: Views) -> object:
        return tuple((r.url, r.page.url) for r in views.site.redirects)


@dataclass(frozen=True, slots=True)
class Clock(ViewInput):
    """The build's `now` itself, read by an output that shows it (`now`, a relative
    date): such an output is rendered again by every build made at another instant."""

    def fingerprint(self, views: Views) -> object:
        return views.site.now


@dataclass(frozen=True, slots=True)
class Phase(ViewInput):
    """The campaign's phase at the build's `now` (and so when the next one begins),
    read by every output that shows the campaign: rendered again in another phase."""

    def fingerprint(self, views: Views) -> object:
        campaign = views.site.config.campaign
        return campaign.phase_at(views.site.now) if campaign else None


@dataclass(frozen=True, slots=True)
class Passed(ViewInput):
    """Whether an instant has passed at the build's `now` (`is past`, `is future` in
    templates: a product's availability): rendered again when a build crosses it."""

    at: dt.datetime

    def fingerprint(self, views: Views) -> object:
        return self.at <= views.site.now


CLOCK = Clock()
PHASE = Phase()


class Views:
    """Builds each page's view once per build, so listings share them, and notes which
    pages, bodies, listings and switchers each output reads (see `fingerprint`)."""

    def __init__(self, site: Site, content: Callable[[Page], str], recorder: Recorder) -> None:
        """`content` gives a page's final body HTML (with its Markdown components and
        images)."""
        self.site = site
        self._content = content
        self.recorder = recorder
        config = site.config
        parts = urlsplit(config.base_url)
        self._origin = f"{parts.scheme}://{parts.netloc}"
        self._pages: Recent[tuple[int, bool], PageView] = Recent()
        self._shown: Recent[PageParams | PageItem, Any] = Recent()
        self._all_pages: dict[str, tuple[PageView, ...]] = {}
        self._shown_inputs: dict[str, PageShown] = {}
        """The input of each page shown (made once: listings and switchers read it often)."""
        self._data: dict[str, dict[str, Any]] = {}
        self._sites = {
            code: SiteView(
                title=config.titles.get(code, ""),
                description=config.descriptions.get(code, ""),
                base_url=config.base_url,
                languages=config.languages,
                default_language=config.default_language,
                timezone=str(config.timezone.key),
                params=self.localize(config.params, code),
            )
            for code in config.language_codes
        }

    @cached_property
    def campaign(self) -> CampaignView | None:
        campaign = self.site.config.campaign
        if campaign is None:
            return None
        now = self.site.now
        return CampaignView(
            timezone=str(campaign.timezone.key),
            phases=tuple(PhaseView(p.name, p.starts, p.ends) for p in campaign.phases),
            starts=campaign.starts,
            ends=campaign.ends,
            timeline={
                "phases": [
                    {"name": p.name, "starts": p.starts.isoformat(), "ends": p.ends.isoformat()}
                    for p in campaign.phases
                ],
                "ends": campaign.ends.isoformat(),
            },
            _phase=campaign.phase_at(now),
            _next_change=campaign.next_change(now),
            _recorder=self.recorder,
        )

    def data(self, lang: str) -> dict[str, Any]:
        """The feeds as a reader of `lang` sees them, resolved once per build."""
        found = self._data.get(lang)
        if found is None:
            found = self._data[lang] = self.site.data.for_language(lang, self.site.config)
        return found

    def localize(self, value: Any, lang: str) -> Any:
        config = self.site.config
        return resolve(value, lang, config.default_language, config.language_codes)

    def permalink(self, url: str) -> str:
        return self._origin + url

    def site_view(self, lang: str) -> SiteView:
        return self._sites[lang]

    def page(self, page: Page) -> PageView:
        self.recorder.read(self._shown_input(page))
        return self._view(page, quiet=False)

    def _shown_input(self, page: Page) -> PageShown:
        key = self._shown_inputs.get(page.id)
        if key is None:
            key = self._shown_inputs[page.id] = PageShown(page.id)
        return key

    def _view(self, page: Page, quiet: bool) -> PageView:
        view = self._pages.get((id(page), quiet))
        if view is None:
            view = self._pages[id(page), quiet] = self._page_view(page, quiet)
        return view

    def pages_in(self, lang: str) -> tuple[PageView, ...]:
        """`pages` in templates: every page of a language, read as one input."""
        self.recorder.read(AllPages(lang))
        found = self._all_pages.get(lang)
        if found is None:
            found = self._all_pages[lang] = tuple(
                self._view(page, quiet=True) for page in self.site.pages_in(lang)
            )
        return found

    def children(self, page: Page) -> tuple[PageView, ...]:
        if page.kind != PAGE:
            self.recorder.read(Children(page.lang, page.folder))
        return tuple(self.page(child) for child in self.site.children(page))

    def ancestors(self, page: Page) -> tuple[PageView, ...]:
        self.recorder.read(Ancestry(page.id))
        return tuple(self.page(ancestor) for ancestor in self.site.ancestors(page))

    def content(self, page: Page) -> str:
        """The page's final body, rendered once per build whoever asks first."""
        key = PageContent(page.id)
        self.recorder.read(key)
        return self.recorder.shared(key, lambda: self._content(page))

    def shown(self, key: PageParams | PageItem, quiet: bool = False) -> Any:
        """A page's params or feed item (whose values change more often than the rest
        of the page: a price), noted as read on their own unless `quiet`."""
        if not quiet:
            self.recorder.read(key)
        value = self._shown.get(key)
        if value is None:
            value = self._shown[key] = key.fingerprint(self)
        return value

    def _page_view(self, page: Page, quiet: bool) -> PageView:
        config = self.site.config
        source = page.source
        return PageView(
            title=source.title,
            description=source.description,
            url=page.url,
            permalink=self.permalink(page.url),
            lang=config.language(page.lang),
            kind=page.kind,
            layout=page.layout,
            date=source.date,
            image=source.image,
            content_lang=config.language(source.lang),
            is_fallback=page.is_fallback,
            key=page.group,
            feed=source.feed,
            number=page.number,
            _page=page,
            _views=self,
            _quiet=quiet,
        )

    def translations(self, page: Page) -> tuple[TranslationView, ...]:
        config = self.site.config
        return tuple(
            TranslationView(
                lang=config.language(other.lang),
                url=other.url,
                permalink=self.permalink(other.url),
                title=other.source.title,
            )
            for other in self.site.translations(page)
        )

    def alternates(self, page: Page) -> tuple[Alternate, ...]:
        """hreflang links between real translations. x-default is the root chooser for
        the homes (the chooser lists the same set), else the default language's version,
        else the root."""
        config = self.site.config
        real = [version for version in self.site.versions(page).values() if not version.is_fallback]
        links = [Alternate(version.lang, self.permalink(version.url)) for version in real]
        root = self.permalink(config.base_path)
        if page.kind == HOME and config.root_page == "chooser":
            default = root
        else:
            default = next(
                (link.href for link in links if link.hreflang == config.default_language), root
            )
        return (*links, Alternate("x-default", default))

    def sitemap(self) -> tuple[SitemapEntry, ...]:
        """Every page search engines should index, with its hreflang alternates: every
        real page (fallbacks carry a canonical link to their original instead), and the
        root chooser, which is the homes' x-default."""
        config = self.site.config
        for lang in config.language_codes:
            self.recorder.read(Placements(lang))
        entries = []
        home = self.site.home(config.default_language)
        if config.root_page == "chooser" and home is not None:
            root = self.permalink(config.base_path)
            entries.append(SitemapEntry(root, None, self.alternates(home)))
        entries.extend(
            SitemapEntry(self.permalink(page.url), page.source.date, self.alternates(page))
            for page in self.site.pages
            if not page.is_fallback
        )
        return tuple(entries)

    def feed(self, lang: str, permalink: str, fixed_time: dt.datetime, limit: int) -> FeedView:
        """The `limit` newest articles of a language: its pages (not homes or sections)
        that have a `date` and are not fallbacks. `fixed_time` is the feed's time when no
        page is dated (SOURCE_DATE_EPOCH, else the build's `now`)."""
        self.recorder.read(Placements(lang))
        self.recorder.read(Homes())
        dated = [
            page
            for page in self.site.pages_in(lang)
            if page.kind == PAGE and not page.is_fallback and page.source.date is not None
        ]
        # Newest first, then by URL: which pages make the cut follows from the
        # placements alone, so a title edit of a page left out changes nothing.
        dated.sort(key=lambda page: page.url)
        dated.sort(key=lambda page: page.source.date or fixed_time, reverse=True)
        entries = tuple(self._feed_entry(page) for page in dated[:limit])
        if not entries and fixed_time == self.site.now:
            self.recorder.read(CLOCK)  # an empty feed is dated by the build
        home = self.site.home(lang)
        return FeedView(
            permalink=permalink,
            home=self.permalink(home.url) if home else None,
            updated=max((entry.updated for entry in entries), default=fixed_time),
            entries=entries,
        )

    def _feed_entry(self, page: Page) -> FeedEntry:
        view = self.page(page)
        assert view.date is not None
        updated = view.params.get(UPDATED_KEY)
        if isinstance(updated, dt.date):
            updated = as_instant(updated, self.site.config.timezone)
        if not isinstance(updated, dt.datetime) or updated < view.date:
            updated = view.date
        return FeedEntry(page=view, published=view.date, updated=updated)

    def redirect(self, redirect: Redirect) -> PageView:
        """The page an alias leads to."""
        self.recorder.read(AliasAt(redirect.output_path))
        return self.page(redirect.page)

    def redirects(self) -> tuple[RedirectLine, ...]:
        """Every alias, for `_redirects`."""
        self.recorder.read(Aliases())
        return tuple(RedirectLine(r.url, r.page.url) for r in self.site.redirects)

    def switcher(self, page: Page | None, lang: str) -> tuple[LanguageLink, ...]:
        """Each language's version of `page` (a fallback counts), or that language's home."""
        self.recorder.read(Homes())
        if page is not None:
            self.recorder.read(self._shown_input(page))  # its versions
        config = self.site.config
        versions = self.site.versions(page) if page else {}
        links = []
        for language in config.languages:
            home = self.site.home(language.code)
            fallback = home.url if home else f"{config.base_path}{language.code}/"
            version = versions.get(language.code)
            url = version.url if version else fallback
            links.append(
                LanguageLink(
                    lang=language,
                    url=url,
                    permalink=self.permalink(url),
                    current=language.code == lang,
                    translated=version is not None and not version.is_fallback,
                )
            )
        return tuple(links)


class _Shown:
    """What a page's view shows, its body, params and feed item aside (inputs of their
    own): made from the page and its versions in other languages (and the config).

    Pages are immutable, so the same page objects show the same; a build that only
    re-rendered bodies keeps the other pages' objects, which makes comparing cheap."""

    __slots__ = ("group", "page")

    def __init__(self, page: Page, group: tuple[Page, ...]) -> None:
        self.page = page
        self.group = group

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Shown):
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
