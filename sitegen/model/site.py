"""The site as the model made it: every visible page in every language with its URL,
and the lookups everything after the model asks of it, each answered from an index
built once (a page by its path, a page's versions, a folder's listing, the items a
data page lists). Nothing here knows about templates."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from sitegen.base.localized import resolve
from sitegen.base.messages import _
from sitegen.base.textfile import StoredText
from sitegen.settings.config import SiteConfig
from sitegen.settings.pagesettings import DataPages
from sitegen.sources.content import SourcePage
from sitegen.sources.data import DataSet
from sitegen.sources.frontmatter import PER_PAGE_KEY, alias_output_path
from sitegen.sources.markdown import ComponentCall, Heading, MarkdownImage

HOME = "home"
SECTION = "section"
PAGE = "page"
INDEX = "index"
"""The name of a folder's own page: content/merchants/index.fr.md is the section."""


@dataclass(frozen=True)
class Visibility:
    """Which pages a build publishes: drafts and future pages only on request."""

    now: dt.datetime
    drafts: bool = False
    future: bool = False

    def why_hidden(self, page: SourcePage) -> str | None:
        if page.draft and not self.drafts:
            # Translators: ends "the link '...' points to a page that ..."
            return _("is a draft")
        if page.publish is not None and page.publish > self.now and not self.future:
            return _("is not published until %(date)s") % {"date": page.publish.isoformat()}
        if page.expires is not None and page.expires <= self.now:
            return _("expired on %(date)s") % {"date": page.expires.isoformat()}
        return None


@dataclass(frozen=True)
class Page:
    source: SourcePage
    lang: str
    """The language whose part of the site holds the page (its URL, its UI strings)."""
    kind: str
    url: str
    """Site-absolute URL including the base path: '/fr/double-11-explique/'."""
    output_path: str
    """Where the page is written inside the output folder: 'fr/double-11-explique/index.html'."""
    group: str
    """Pages of one group are translations of each other."""
    folder: str
    """The content folder the page lists (home and sections) or lives in."""
    listed_in: str | None
    """The folder whose home or section page lists this page (None for the home)."""
    content: str | StoredText = ""
    """The body as HTML, once its links are resolved (kept on disk by a build with the
    build cache)."""
    toc: tuple[Heading, ...] = ()
    components: tuple[ComponentCall, ...] = ()
    """Theme components placed in the Markdown, rendered where their placeholders are."""
    images: tuple[MarkdownImage, ...] = ()
    """Images of the site's files shown by the Markdown, written where their
    placeholders are."""
    number: int = 1
    """Which page of its listing this is: 2 and more are the pages a long listing is
    split into (/fr/produits/page/2/), made from the same source."""

    @property
    def id(self) -> str:
        """Names the page in dependency records: its output path."""
        return self.output_path

    @property
    def is_fallback(self) -> bool:
        """True when the text shown is another language's, for want of a translation."""
        return self.source.lang != self.lang

    @property
    def layout(self) -> str:
        return self.source.layout or self.kind

    @property
    def versions_key(self) -> tuple[str, int]:
        """Pages with the same key are one page in several languages."""
        return (self.group, self.number)


@dataclass(frozen=True)
class Redirect:
    """An old address of a page (`aliases:` in its front matter): a redirect page is
    written there, and a line in `_redirects`."""

    path: str
    """As written in the front matter: '/fr/ancienne-page/'."""
    url: str
    """Site-absolute, with the base path: the address that moved."""
    output_path: str
    """Where the redirect page is written: 'fr/ancienne-page/index.html'."""
    page: Page
    """The page that now lives elsewhere (never a fallback)."""
    line: int


@dataclass(frozen=True)
class Paging:
    """How a page's listing is split: this page is `number` of `count`."""

    number: int
    count: int
    per_page: int
    total: int
    """Entries in the whole listing."""

    @property
    def start(self) -> int:
        """The index of this page's first entry in the listing."""
        return (self.number - 1) * self.per_page


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    now: dt.datetime
    pages: tuple[Page, ...]
    data: DataSet

    def pages_in(self, lang: str) -> tuple[Page, ...]:
        return self._by_language.get(lang, ())

    def group(self, page: Page) -> tuple[Page, ...]:
        """The page and every other language's version of it, fallbacks included."""
        return self._by_group[page.versions_key]

    def versions(self, page: Page) -> dict[str, Page]:
        """Every language's page of this group, fallbacks included, in site.yaml order."""
        found = {other.lang: other for other in self._by_group[page.versions_key]}
        return {code: found[code] for code in self.config.language_codes if code in found}

    def translations(self, page: Page) -> tuple[Page, ...]:
        """The real translations of the page (no fallbacks), in the order of site.yaml."""
        return tuple(
            other
            for other in self.versions(page).values()
            if other is not page and not other.is_fallback and other.source is not page.source
        )

    def original(self, page: Page) -> Page:
        """The page whose text a fallback shows (the page itself when it is no fallback)."""
        if not page.is_fallback:
            return page
        return self.versions(page)[page.source.lang]

    def home(self, lang: str) -> Page | None:
        return self._homes.get(lang)

    def children(self, page: Page) -> tuple[Page, ...]:
        """Pages listed by a home or section page: dated pages newest first, then the
        others by title, then pages made from data in their feed's order."""
        if page.kind == PAGE:
            return ()
        return self.listing(page.lang, page.folder)

    def listing(self, lang: str, folder: str) -> tuple[Page, ...]:
        """The pages of a content folder in one language, as its home or section lists them."""
        return self._listings.get((lang, folder), ())

    def page_by_id(self, page_id: str) -> Page | None:
        return self._by_id.get(page_id)

    def page_at(self, lang: str, path: str) -> Page | None:
        """The page of `lang` made from the content path `path` ('explainer', 'merchants'
        or 'merchants/index' for a section, '' or '/' for the home, 'products/<id>' for
        a page made from data), or its translation in `lang` (a fallback included);
        None when there is none."""
        key = path.strip("/") or INDEX
        group = self._group_of_key.get(key) or self._group_of_key.get(f"{key}/{INDEX}")
        if group is None:
            return None
        return self._by_group_lang.get((group, lang))

    def ancestors(self, page: Page) -> tuple[Page, ...]:
        """The home and sections above the page, from the home down (those that exist);
        a further page of a listing has the listing's first page last."""
        if page.number > 1:
            first = self._by_group_lang[page.group, page.lang]
            return (*self.ancestors(first), first)
        if page.kind == HOME:
            return ()
        folder = page.listed_in if page.kind == PAGE else page.folder.rpartition("/")[0]
        assert folder is not None
        parts = folder.split("/") if folder else []
        keys = [INDEX, *("/".join([*parts[: depth + 1], INDEX]) for depth in range(len(parts)))]
        found = (
            self._by_group_lang.get((self._group_of_key.get(key, ""), page.lang)) for key in keys
        )
        return tuple(ancestor for ancestor in found if ancestor is not None)

    def data_spec(self, page: Page) -> DataPages | None:
        """The `data_pages` entry a page made from data comes from."""
        feed = page.source.feed
        if feed is None:
            return None
        return next(
            (
                spec
                for spec in self.config.data_pages
                if spec.data == feed and page.source.key.startswith(f"{spec.path}/")
            ),
            None,
        )

    def listed_items(self, page: Page) -> tuple[int, ...]:
        """Where the items a data page lists (`lists` of its data_pages entry) are in
        their feed, in the feed's order; () for other pages."""
        spec = self.data_spec(page)
        if spec is None or spec.lists is None or page.source.item is None:
            return ()
        by_id = self._items_by(spec.lists.data, spec.lists.by, page.lang)
        return by_id.get(str(page.source.item.get("id")), ())

    def listing_size(self, page: Page) -> int | None:
        """How many entries the page lists (its listed pages, or the items it lists);
        None for a page that lists nothing."""
        if page.kind != PAGE:
            return len(self.children(page))
        spec = self.data_spec(page)
        if spec is None or spec.lists is None:
            return None
        return len(self.listed_items(page))

    def per_page(self, page: Page) -> int:
        """Entries a page of its listing shows: its front matter's `per_page`, else its
        data_pages entry's `lists.per_page`, else the site's."""
        own = page.source.params.get(PER_PAGE_KEY) if page.kind != PAGE else None
        if isinstance(own, int) and not isinstance(own, bool) and own >= 1:
            return own
        spec = self.data_spec(page)
        if spec is not None and spec.lists is not None and spec.lists.per_page is not None:
            return spec.lists.per_page
        return self.config.pagination.per_page

    def paging(self, page: Page) -> Paging | None:
        """Which page of its listing `page` is; None when it lists nothing."""
        total = self.listing_size(page)
        if total is None:
            return None
        per_page = self.per_page(page)
        count = self._pager_counts.get((page.group, 1), {}).get(page.lang, 1)
        return Paging(page.number, count, per_page, total)

    def pager_page(self, page: Page, number: int) -> Page | None:
        """Page `number` of the listing `page` belongs to."""
        return self._by_group_lang_number.get((page.group, page.lang, number))

    @cached_property
    def redirects(self) -> tuple[Redirect, ...]:
        """Every alias of every published page, by output path (then file and line)."""
        found = [
            Redirect(
                path=alias,
                url=self.config.base_path + alias.lstrip("/"),
                output_path=alias_output_path(alias),
                page=page,
                line=page.source.alias_line(index),
            )
            for page in self.pages
            if page.source.aliases and not page.is_fallback and page.number == 1
            for index, alias in enumerate(page.source.aliases)
        ]
        found.sort(key=lambda redirect: (redirect.output_path, redirect.page.id, redirect.line))
        return tuple(found)

    def redirect_at(self, output_path: str) -> Redirect | None:
        return self._redirects_by_output.get(output_path)

    @cached_property
    def _redirects_by_output(self) -> Mapping[str, Redirect]:
        by_output: dict[str, Redirect] = {}
        for redirect in self.redirects:
            by_output.setdefault(redirect.output_path, redirect)
        return by_output

    @cached_property
    def _by_id(self) -> Mapping[str, Page]:
        return {page.id: page for page in self.pages}

    @cached_property
    def _by_language(self) -> Mapping[str, tuple[Page, ...]]:
        by_language: dict[str, list[Page]] = {code: [] for code in self.config.language_codes}
        for page in self.pages:
            by_language[page.lang].append(page)
        return {code: tuple(pages) for code, pages in by_language.items()}

    @cached_property
    def _homes(self) -> Mapping[str, Page]:
        """Each language's home: the switcher asks for them on every page."""
        return {page.lang: page for page in self.pages if page.kind == HOME and page.number == 1}

    @cached_property
    def _by_group(self) -> Mapping[tuple[str, int], tuple[Page, ...]]:
        groups: dict[tuple[str, int], list[Page]] = {}
        for page in self.pages:
            groups.setdefault(page.versions_key, []).append(page)
        return {group: tuple(pages) for group, pages in groups.items()}

    @cached_property
    def _by_group_lang(self) -> Mapping[tuple[str, str], Page]:
        """The first page of each group in each language."""
        return {(page.group, page.lang): page for page in self.pages if page.number == 1}

    @cached_property
    def _by_group_lang_number(self) -> Mapping[tuple[str, str, int], Page]:
        return {(page.group, page.lang, page.number): page for page in self.pages}

    @cached_property
    def _pager_counts(self) -> Mapping[tuple[str, int], Mapping[str, int]]:
        """How many pages each listing is split into, by its first page's key and language."""
        counts: dict[tuple[str, int], dict[str, int]] = {}
        for page in self.pages:
            first = counts.setdefault((page.group, 1), {})
            first[page.lang] = max(first.get(page.lang, 1), page.number)
        return counts

    @cached_property
    def _group_of_key(self) -> Mapping[str, str]:
        """The group of the pages made from each content path."""
        groups: dict[str, str] = {}
        for page in self.pages:
            groups.setdefault(page.source.key, page.group)
        return groups

    @cached_property
    def _listings(self) -> Mapping[tuple[str, str], tuple[Page, ...]]:
        listings: dict[tuple[str, str], list[Page]] = {}
        for page in self.pages:
            if page.listed_in is not None:
                listings.setdefault((page.lang, page.listed_in), []).append(page)
        oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
        for listed in listings.values():
            # Pages made from data keep their feed's order: their lines in its file.
            listed.sort(
                key=lambda other: (
                    (True, str(other.source.feed), other.source.body_line, "")
                    if other.source.feed is not None
                    else (False, "", 0, other.source.title)
                )
            )
            listed.sort(key=lambda other: other.source.date or oldest, reverse=True)
        return {key: tuple(listed) for key, listed in listings.items()}

    def _items_by(self, feed: str, field: str, lang: str) -> Mapping[str, tuple[int, ...]]:
        """The positions of a feed's items by the value of one field (as text), in one
        language: made once per data set (`DataSet.derived`)."""
        config = self.config

        def index() -> dict[str, tuple[int, ...]]:
            positions: dict[str, list[int]] = {}
            items = self.data.feed(feed)
            for position, item in enumerate(items if isinstance(items, list) else ()):
                if isinstance(item, Mapping):
                    value = resolve(
                        item.get(field), config.fallback_order(lang), config.language_codes
                    )
                    if value is not None:
                        positions.setdefault(str(value), []).append(position)
            return {value: tuple(found) for value, found in positions.items()}

        return self.data.derived(("items by", feed, field, lang), index)


def page_count(total: int, per_page: int) -> int:
    """Pages a listing of `total` entries takes, `per_page` a page: at least one."""
    return max(1, math.ceil(total / per_page))
