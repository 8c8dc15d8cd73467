"""The pages `site.yaml` asks for besides the content files: pages made from the
items of a feed (`data_pages`), and how long listings are split into pages
(`pagination`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sitegen.base.errors import Problem
from sitegen.base.messages import N_, _
from sitegen.base.yamlsource import YamlList, YamlMap
from sitegen.settings.languages import localized_text
from sitegen.settings.settingsreader import SettingsReader


@dataclass(frozen=True)
class DataList:
    """What a data page lists: the items of another feed that name its item by a
    field (`lists: {data: products, by: merchant}` on merchants: each merchant's page
    lists the products whose `merchant` is its id), paginated."""

    data: str
    """The feed listed: `products`."""
    by: str
    """The listed items' field that holds the id of the page's item: `merchant`."""
    per_page: int | None = None
    """Items a page shows; None: the site's `pagination.per_page`."""


@dataclass(frozen=True)
class DataPages:
    """One page per item of a feed, per language (`data_pages` in site.yaml)."""

    data: str
    """The feed: `products` for data/products.csv."""
    path: str
    """The content folder the pages live in: `products` gives /fr/<its slug>/<id>/."""
    layout: str
    title: str
    """The item's field that holds the page title (localized or not)."""
    description: str | None
    line: int
    lists: DataList | None = None


DEFAULT_PER_PAGE = 24
"""Entries a listing page shows unless the site says otherwise: a whole number of
rows of two, three or four cards."""
DEFAULT_PAGER_PATH = "page"


@dataclass(frozen=True)
class Pagination:
    """How long listings are split into pages (`pagination` in site.yaml)."""

    per_page: int = DEFAULT_PER_PAGE
    path: Mapping[str, str] = field(default_factory=dict)
    """The URL segment before a page's number, by language: /fr/produits/page/2/."""

    def path_in(self, lang: str) -> str:
        return self.path.get(lang, DEFAULT_PAGER_PATH)


_DATA_PAGE_SETTINGS = {"data", "path", "layout", "title", "description", "lists"}
_DATA_PAGE_TEXTS = ("data", "path", "layout", "title", "description")
_DATA_LIST_SETTINGS = {"data", "by", "per_page"}
_FOLDER = re.compile(r"^[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_-]*)*$")
_SEGMENT = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def read_data_pages(reader: SettingsReader, value: Any) -> tuple[DataPages, ...]:
    """`data_pages: [{data, path, layout, title, description, lists}]`."""
    if value is None:
        return ()
    if not isinstance(value, YamlList):
        reader.problem(
            "data_pages", _("'data_pages' must be a list of {data, path, layout, title}")
        )
        return ()
    found = []
    for index, item in enumerate(value):
        line = value.line_of(index)
        if not isinstance(item, YamlMap):
            reader.problems.append(
                Problem(reader.path, line, _("a data page entry is {data, path, layout, title}"))
            )
            continue
        sub = SettingsReader(reader.path, item)
        sub.check_keys(
            _DATA_PAGE_SETTINGS, {"data", "path", "layout", "title"}, N_("data page setting")
        )
        texts = {key: item.get(key) for key in _DATA_PAGE_TEXTS}
        for key, text in texts.items():
            if text is not None and not isinstance(text, str):
                sub.problem(key, _("'%(key)s' must be text") % {"key": key})
        path = texts["path"]
        if isinstance(path, str) and not _FOLDER.match(path):
            message = _("'path' %(path)s must be a folder such as 'products'")
            sub.problem("path", message % {"path": repr(path)})
        lists = _data_list(sub, item.get("lists")) if "lists" in item else None
        reader.problems.extend(sub.problems)
        if not sub.problems:
            found.append(
                DataPages(
                    data=str(texts["data"]),
                    path=str(path),
                    layout=str(texts["layout"]),
                    title=str(texts["title"]),
                    description=texts["description"],
                    line=line,
                    lists=lists,
                )
            )
    return tuple(found)


def _data_list(reader: SettingsReader, value: Any) -> DataList | None:
    """`lists: {data: products, by: merchant, per_page: 12}` of a data_pages entry."""
    if not isinstance(value, YamlMap):
        reader.problem("lists", _("'lists' is {data: <feed>, by: <its field naming this item>}"))
        return None
    sub = SettingsReader(reader.path, value)
    sub.check_keys(_DATA_LIST_SETTINGS, {"data", "by"}, N_("lists setting"))
    for key in ("data", "by"):
        if key in value and not isinstance(value[key], str):
            sub.problem(key, _("'%(key)s' must be text") % {"key": key})
    per_page = _per_page(sub, value, "per_page")
    reader.problems.extend(sub.problems)
    if sub.problems:
        return None
    return DataList(data=str(value["data"]), by=str(value["by"]), per_page=per_page)


def _per_page(reader: SettingsReader, mapping: YamlMap, key: str) -> int | None:
    value = mapping.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        message = _("'%(key)s' must be a whole number of at least 1, not %(value)s")
        reader.problem(key, message % {"key": key, "value": repr(value)})
        return None
    return value


def read_pagination(
    reader: SettingsReader, value: Any, codes: tuple[str, ...], default: str
) -> Pagination:
    """`pagination: {per_page: 24, path: page}`; `path` may be one per language."""
    if value is None:
        return Pagination()
    if not isinstance(value, YamlMap):
        message = _("'pagination' is {per_page: <number>, path: <URL segment>}")
        reader.problem("pagination", message)
        return Pagination()
    sub = SettingsReader(reader.path, value)
    sub.check_keys({"per_page", "path"}, set(), N_("pagination setting"))
    per_page = _per_page(sub, value, "per_page")
    paths = localized_text(sub, "path", value.get("path"), codes, default)
    for segment in sorted(set(paths.values())):
        if not _SEGMENT.match(segment):
            sub.problem(
                "path",
                _("'path' %(path)s must be one URL segment in lowercase, such as 'page'")
                % {"path": repr(segment)},
            )
    reader.problems.extend(sub.problems)
    return Pagination(per_page=per_page or DEFAULT_PER_PAGE, path=paths)
