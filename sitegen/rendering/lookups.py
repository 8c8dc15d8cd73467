"""What a template may ask the engine for, answered from indexes made once per build,
so that no theme scans the site to find one page or one item:

- `get_page(path)`: the page made from a content path, in the page's language;
- `data_page(feed, id)`: the page made from one item of a feed (`data_pages`);
- `pages_with(field, value)`: the pages whose front matter sets a field to a value;
- `items(feed, field=value, ..., limit=, exclude=)`, `item(feed, id)`,
  `count_items(feed, field=value, ...)`: a feed's items by the values of their fields;
- `menu`: the pages with a `menu` weight in their front matter, in order;
- `pager`: the part of a long listing a page shows, with the links to the others.

Each answer is recorded as one input at the size of what it returns (the items of one
merchant, one page of a listing), never as the whole site or the whole feed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from sitegen.base.dependencies import Input
from sitegen.base.errors import did_you_mean
from sitegen.base.localized import InLanguage
from sitegen.base.messages import _
from sitegen.model.site import PAGE, Page
from sitegen.rendering.views import PageView, Views
from sitegen.sources.frontmatter import MENU_KEY, MENU_TITLE_KEY

RESERVED_ARGUMENTS = ("limit", "exclude")
"""Arguments of `items()` that are not fields: a feed's fields may not use these names."""
PAGER_AROUND = 2
"""Pages linked on each side of the current one in a pager (1 … 4 5 [6] 7 8 … 20)."""


class LookupFailure(Exception):
    """A lookup a template cannot make (a feed that does not exist, an item that must
    exist and does not...), reported at the template's line, or at the Markdown line
    of the component that made it."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class MenuEntry:
    """One entry of the menu: a page with a `menu` weight in its front matter."""

    title: str
    """Its `menu_title`, else its title (InLanguage for a fallback page's)."""
    url: str
    weight: Any
    kind: str
    """home, section or page: a section's entry is active on the pages below it."""


@dataclass(frozen=True)
class PagerLink:
    """One link of a pager's list; `number` None is a gap (…) between two."""

    number: int | None
    url: str | None
    current: bool


@dataclass(frozen=True)
class PagerView:
    """The part of a long listing one page shows. `entries` are pages (the listing of
    a home or section) or feed items (what a page made from data lists)."""

    number: int
    count: int
    """Pages the listing is split into."""
    per_page: int
    total: int
    """Entries in the whole listing."""
    entries: tuple[Any, ...]
    first_entry: int
    """The position of this page's first entry in the listing, from 1 (0 when empty)."""
    last_entry: int
    previous: str | None
    """The URL of the page before, None on the first."""
    next: str | None
    links: tuple[PagerLink, ...]
    """The first page, the last, and those around this one, with gaps between."""


class LookupInput(Input["Lookups"]):
    """An input answered by the lookups."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class PageAt(LookupInput):
    """Which page a content path leads to in one language."""

    lang: str
    path: str

    def fingerprint(self, lookups: Lookups) -> object:
        page = lookups.site.page_at(self.lang, self.path)
        return None if page is None else page.id


@dataclass(frozen=True, slots=True)
class PagesWith(LookupInput):
    """Which pages of a language set a front-matter field to a value."""

    lang: str
    field: str
    value: Any

    def fingerprint(self, lookups: Lookups) -> object:
        return tuple(
            page.id for page in lookups.pages_with_field(self.lang, self.field, self.value)
        )


@dataclass(frozen=True, slots=True)
class FeedItems(LookupInput):
    """The items of a feed whose fields have given values, as shown in one language."""

    lang: str
    feed: str
    where: tuple[tuple[str, Any], ...]
    limit: int | None = None
    exclude: tuple[Any, ...] = ()

    def fingerprint(self, lookups: Lookups) -> object:
        return tuple(lookups.matching(self))


@dataclass(frozen=True, slots=True)
class ItemCount(LookupInput):
    """How many items of a feed have given values."""

    lang: str
    feed: str
    where: tuple[tuple[str, Any], ...]

    def fingerprint(self, lookups: Lookups) -> object:
        return len(lookups.matching(FeedItems(self.lang, self.feed, self.where)))


@dataclass(frozen=True, slots=True)
class Menu(LookupInput):
    """The menu of a language: its entries' titles, URLs and order."""

    lang: str

    def fingerprint(self, lookups: Lookups) -> object:
        return lookups.menu_entries(self.lang)


@dataclass(frozen=True, slots=True)
class Listing(LookupInput):
    """What one page of a listing shows: which entries, and how the listing is split."""

    page_id: str

    def fingerprint(self, lookups: Lookups) -> object:
        page = lookups.site.page_by_id(self.page_id)
        if page is None:
            return None
        paging = lookups.site.paging(page)
        if paging is None:
            return None
        entries = lookups.entries(page)
        shown = tuple(entry.id for entry in entries) if page.kind != PAGE else entries
        return (paging, shown)


def _match_key(value: Any) -> Any:
    """How a field's value and a wanted value are compared: ids written as numbers in
    a CSV (`12`) match the text `"12"`."""
    if isinstance(value, int | str) and not isinstance(value, bool):
        return str(value)
    return value


class Lookups:
    """The indexes behind the lookups, made on first use in each language."""

    def __init__(self, views: Views) -> None:
        self.views = views
        self.site = views.site
        self._pages_by_field: dict[tuple[str, str], dict[Any, list[Page]]] = {}
        self._menus: dict[str, tuple[MenuEntry, ...]] = {}
        self._page_inputs: dict[tuple[str, str], PageAt] = {}
        """The input of each page asked for, made once (a product grid asks often)."""

    def template_functions(self, lang: str) -> dict[str, Callable[..., Any]]:
        """The lookups templates call in `lang`, by the names they call them (rows of
        docs/reference/template-api.md): a new lookup is a method and a line here."""
        return {
            "get_page": partial(self.get_page, lang),
            "data_page": partial(self.data_page, lang),
            "pages_with": partial(self.pages_with, lang),
            "items": partial(self.items, lang),
            "item": partial(self.item, lang),
            "count_items": partial(self.count_items, lang),
        }

    # Pages

    def get_page(self, lang: str, path: str) -> PageView | None:
        key = self._page_inputs.get((lang, path))
        if key is None:
            key = self._page_inputs[lang, path] = PageAt(lang, path)
        self.views.recorder.read(key)
        page = self.site.page_at(lang, path)
        return None if page is None else self.views.page(page)

    def data_page(self, lang: str, feed: str, item_id: Any) -> PageView | None:
        """The page made from the item `item_id` of `feed`; None when no data_pages
        entry makes pages of that feed, or the item has none."""
        spec = next((spec for spec in self.site.config.data_pages if spec.data == feed), None)
        if spec is None:
            self.feed(lang, feed)  # a feed that does not exist is a mistake, not a None
            return None
        return self.get_page(lang, f"{spec.path}/{item_id}")

    def pages_with(self, lang: str, field: str, value: Any) -> tuple[PageView, ...]:
        self.views.recorder.read(PagesWith(lang, field, _wanted_value(field, value)))
        return tuple(self.views.page(page) for page in self.pages_with_field(lang, field, value))

    def pages_with_field(self, lang: str, field: str, value: Any) -> list[Page]:
        index = self._pages_by_field.get((lang, field))
        if index is None:
            index = self._pages_by_field[lang, field] = {}
            for page in self.site.pages_in(lang):
                if page.number != 1:
                    continue
                found = self.views.localize(page.source.params.get(field), lang)
                if _hashable(found):
                    index.setdefault(_match_key(found), []).append(page)
        return index.get(_match_key(value), [])

    # Items

    def items(
        self,
        lang: str,
        feed: str,
        limit: int | None = None,
        exclude: Any = None,
        **where: Any,
    ) -> list[Any]:
        """The items of `feed` whose fields have the values `where` gives, in the
        feed's order; without those whose id is `exclude` (an id or a list of ids);
        at most `limit`."""
        excluded = exclude if isinstance(exclude, list | tuple) else [exclude]
        query = FeedItems(
            lang,
            feed,
            _wanted(where),
            limit,
            tuple(_wanted_value("exclude", value) for value in excluded if value is not None),
        )
        self.views.recorder.read(query)
        return self.matching(query)

    def item(self, lang: str, feed: str, item_id: Any, required: bool = False) -> Any:
        """The item of `feed` whose id is `item_id`, or None; `required=true`: a build
        error when there is none (`::: spotlight merchant=thiers`, a typo)."""
        found = self.items(lang, feed, limit=1, id=item_id)
        if found:
            return found[0]
        if required:
            ids = [str(known) for known in self._positions(lang, feed, "id")]
            raise LookupFailure(
                _("data.%(feed)s has no item with id '%(id)s'") % {"feed": feed, "id": item_id},
                hint=did_you_mean(str(item_id), ids)
                or _("its ids: %(ids)s") % {"ids": ", ".join(ids) or _("none")},
            )
        return None

    def count_items(self, lang: str, feed: str, **where: Any) -> int:
        query = ItemCount(lang, feed, _wanted(where))
        self.views.recorder.read(query)
        return len(self.matching(FeedItems(lang, feed, query.where)))

    def matching(self, query: FeedItems) -> list[Any]:
        items = self.feed(query.lang, query.feed)
        positions: Sequence[int] | None = None
        for name, value in query.where:
            found = self._positions(query.lang, query.feed, name).get(value, [])
            if positions is not None:
                wanted = set(found)
                found = [position for position in positions if position in wanted]
            positions = found
        shown: list[Any] = []
        for position in range(len(items)) if positions is None else positions:
            if query.limit is not None and len(shown) >= query.limit:
                break
            item = items[position]
            excluded = query.exclude and isinstance(item, Mapping)
            if excluded and _match_key(item.get("id")) in query.exclude:
                continue
            shown.append(item)
        return shown

    def feed(self, lang: str, dotted: str) -> list[Any]:
        """A feed as a reader of `lang` sees it; LookupFailure when there is none."""
        value: Any = self.views.data(lang)
        for part in dotted.split("."):
            if not isinstance(value, Mapping) or part not in value:
                raise LookupFailure(_("there is no feed data.%(name)s") % {"name": dotted})
            value = value[part]
        if not isinstance(value, list):
            raise LookupFailure(_("data.%(name)s is not a list of items") % {"name": dotted})
        return value

    def _positions(self, lang: str, feed: str, field: str) -> Mapping[Any, list[int]]:
        """Where the items of a feed are, by the value of one of their fields."""
        if field in RESERVED_ARGUMENTS:
            message = _("'%(name)s' is an argument of items(), not a field")
            raise LookupFailure(message % {"name": field})
        items = self.feed(lang, feed)

        def index() -> dict[Any, list[int]]:
            positions: dict[Any, list[int]] = {}
            for position, item in enumerate(items):
                value = item.get(field) if isinstance(item, Mapping) else None
                if _hashable(value):
                    positions.setdefault(_match_key(value), []).append(position)
            return positions

        return self.site.data.derived(("positions", lang, feed, field), index)

    # The menu

    def menu(self, lang: str) -> tuple[MenuEntry, ...]:
        self.views.recorder.read(Menu(lang))
        return self.menu_entries(lang)

    def menu_entries(self, lang: str) -> tuple[MenuEntry, ...]:
        found = self._menus.get(lang)
        if found is None:
            entries = []
            for page in self.site.pages_in(lang):
                params = self.views.localize(page.source.params, lang)
                weight = params.get(MENU_KEY)
                if weight is None or page.number != 1:
                    continue
                title = str(params.get(MENU_TITLE_KEY) or page.source.title)
                if page.is_fallback:  # a page shown in its original's language
                    title = InLanguage(title, page.source.lang)
                entries.append(MenuEntry(title, page.url, weight, page.kind))
            entries.sort(key=lambda entry: (_weight_order(entry.weight), entry.title))
            found = self._menus[lang] = tuple(entries)
        return found

    # Listings split into pages

    def pager(self, page: Page) -> PagerView | None:
        """What `page` shows of its listing, None for a page that lists nothing."""
        paging = self.site.paging(page)
        if paging is None:
            return None
        self.views.recorder.read(Listing(page.id))
        raw = self.entries(page)
        entries = tuple(self.views.page(entry) for entry in raw) if page.kind != PAGE else raw
        first = self.site.pager_page(page, 1) or page

        def url(number: int) -> str:
            other = self.site.pager_page(page, number)
            return (other or first).url

        return PagerView(
            number=paging.number,
            count=paging.count,
            per_page=paging.per_page,
            total=paging.total,
            entries=tuple(entries),
            first_entry=paging.start + 1 if entries else 0,
            last_entry=paging.start + len(entries),
            previous=url(paging.number - 1) if paging.number > 1 else None,
            next=url(paging.number + 1) if paging.number < paging.count else None,
            links=_links(paging.number, paging.count, url),
        )

    def entries(self, page: Page) -> tuple[Any, ...]:
        """The entries of `page`'s part of its listing: pages, or feed items."""
        paging = self.site.paging(page)
        assert paging is not None
        end = paging.start + paging.per_page
        if page.kind != PAGE:
            return self.site.children(page)[paging.start : end]
        spec = self.site.data_spec(page)
        assert spec is not None and spec.lists is not None
        items = self.feed(page.lang, spec.lists.data)
        return tuple(items[index] for index in self.site.listed_items(page)[paging.start : end])


def _links(number: int, count: int, url: Any) -> tuple[PagerLink, ...]:
    shown = sorted(
        {1, count, *range(max(1, number - PAGER_AROUND), min(count, number + PAGER_AROUND) + 1)}
    )
    links: list[PagerLink] = []
    for previous, current in zip([0, *shown], shown, strict=False):
        if current - previous > 1:
            links.append(PagerLink(None, None, False))
        links.append(PagerLink(current, url(current), current == number))
    return tuple(links)


def _wanted(where: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((name, _wanted_value(name, value)) for name, value in where.items()))


def _wanted_value(name: str, value: Any) -> Any:
    if not _hashable(value):
        message = _("'%(name)s' must be a single value such as a text or a number")
        raise LookupFailure(message % {"name": name})
    return _match_key(value)


def _weight_order(weight: Any) -> tuple[int, Any]:
    """Numbers first, in order, then anything else as text."""
    if isinstance(weight, int | float | Decimal) and not isinstance(weight, bool):
        return (0, weight)
    return (1, str(weight))


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
