"""What templates see: plain, frozen view objects, never the build's internals.

`Views` makes them (each page's once per build, so that listings share them) and
notes the inputs each output reads through them (rendering/viewinputs.py); the
objects besides pages are in rendering/viewobjects.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from sitegen.base.dependencies import Recent, Recorder
from sitegen.base.localized import resolve
from sitegen.base.timeutil import as_instant
from sitegen.model.site import HOME, PAGE, Page, Redirect, Site
from sitegen.rendering.viewinputs import (
    CLOCK,
    AliasAt,
    Aliases,
    AllPages,
    Ancestry,
    Children,
    Homes,
    PageContent,
    PageItem,
    PageParams,
    PageShown,
    Placements,
)
from sitegen.rendering.viewobjects import (
    Alternate,
    CampaignView,
    LanguageLink,
    PhaseView,
    RedirectLine,
    SitemapEntry,
    SiteView,
    TranslationView,
)
from sitegen.settings.languages import Language
from sitegen.sources.frontmatter import UPDATED_KEY
from sitegen.sources.markdown import Heading, footnotes_apart


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

    @property
    def body(self) -> Markup:
        """`content` without its footnotes, for a layout that shows something between
        the two (the double11 article: its timeline and sources)."""
        return Markup(footnotes_apart(self._views.content(self._page))[0])

    @property
    def footnotes(self) -> Markup:
        """The footnotes at the end of `content`, or nothing."""
        return Markup(footnotes_apart(self._views.content(self._page))[1])


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
        return resolve(value, config.fallback_order(lang), config.language_codes)

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
