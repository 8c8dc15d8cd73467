"""Pages made from data: one page per item of a feed, in every language.

`data_pages` in site.yaml names a feed, the folder its pages live in, their layout
and the field holding their title; each item needs an `id` usable in a URL. The
pages are ordinary pages from then on: they take the folder's localized slug,
appear in its section's listing and link to their translations. Their template
reads the item as `page.item`, resolved for the page's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sitegen.base.errors import Problem, did_you_mean, quoted
from sitegen.base.localized import resolve
from sitegen.base.messages import _
from sitegen.base.yamlsource import YamlMap, line_of
from sitegen.settings.config import SiteConfig
from sitegen.settings.pagesettings import DataPages
from sitegen.sources.content import SourcePage
from sitegen.sources.data import DataSet, absent_field_problem

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def data_page_sources(config: SiteConfig, data: DataSet) -> tuple[list[SourcePage], list[Problem]]:
    """The pages of every `data_pages` entry, and every problem that keeps one from being
    made: returned, not raised, so that the feeds' own rules are checked too."""
    sources: list[SourcePage] = []
    problems: list[Problem] = []
    for spec in config.data_pages:
        feed = data.feed(spec.data)
        if not isinstance(feed, list):
            problems.append(_no_feed(config, data, spec.data, spec.line, feed))
            continue
        if spec.lists is not None:
            listed = data.feed(spec.lists.data)
            if not isinstance(listed, list):
                problems.append(_no_feed(config, data, spec.lists.data, spec.line, listed))
        if feed and not any(isinstance(item, Mapping) and spec.title in item for item in feed):
            # no page can have a title: said once (the feed rules say the same), not per item
            problems.append(absent_field_problem(data.sources[spec.data], feed, spec.title))
            continue
        identified, id_problems = data.ids(spec.data)
        problems += id_problems
        for index in identified.values():
            line = line_of(feed, index, 1) or 1
            sources += _item_pages(config, spec, data, feed[index], line, problems)
    return sources, problems


def _no_feed(config: SiteConfig, data: DataSet, name: str, line: int, feed: Any) -> Problem:
    if feed is None:
        feeds = (
            _("the feeds are: %(feeds)s") % {"feeds": ", ".join(sorted(data.sources))}
            if data.sources
            else _("the feeds are: none")
        )
        return Problem(
            config.path,
            line,
            _("data_pages: there is no feed data.%(name)s") % {"name": name},
            hint=did_you_mean(name, data.sources) or feeds,
        )
    return Problem(
        data.sources.get(name),
        1,
        _("data.%(name)s must be a list of items") % {"name": name},
    )


def _item_pages(
    config: SiteConfig,
    spec: DataPages,
    data: DataSet,
    item: Mapping[str, Any],
    line: int,
    problems: list[Problem],
) -> list[SourcePage]:
    """The pages of an item that has an id (items_by_id), in every language."""
    path = data.sources[spec.data]
    raw_id = item.get("id")
    item_id = str(raw_id) if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else ""
    if not _ID.match(item_id):
        problems.append(
            Problem(
                path,
                line,
                _("this item needs an 'id' usable in a URL (letters, digits, -), not %(id)s")
                % {"id": quoted(str(raw_id))},
            )
        )
        return []
    codes = config.language_codes

    def text(field: str | None, lang: str) -> str | None:
        value = resolve(item.get(field), config.fallback_order(lang), codes) if field else None
        return None if value is None else str(value)

    if not text(spec.title, config.default_language):
        problems.append(
            Problem(
                path,
                line,
                _("item '%(id)s' has no '%(field)s' for its page title")
                % {"id": item_id, "field": spec.title},
            )
        )
        return []
    front = item if isinstance(item, YamlMap) else YamlMap()
    image = item.get("image")
    return [
        SourcePage(
            path=path,
            key=f"{spec.path}/{item_id}",
            lang=lang,
            title=text(spec.title, lang) or "",
            description=text(spec.description, lang) or "",
            layout=spec.layout,
            slug=None,
            translation_key=None,
            date=None,
            publish=None,
            expires=None,
            draft=False,
            image=image if isinstance(image, str) else None,
            translated_from=None,
            params={},
            front_matter=front,
            body="",
            body_line=line,
            item=item,
            feed=spec.data,
        )
        for lang in codes
    ]
