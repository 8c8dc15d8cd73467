"""Feeds in data/: every YAML or CSV file becomes `data.<name>` in templates.

YAML is read by sitegen.base.yamlsource, CSV by sitegen.sources.spreadsheets (as spreadsheets
save it: separators, encodings, French amounts). Date-times without an offset are
read in the site's time zone (sitegen.base.timeutil.naive_time_rule).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sitegen.base.errors import Problem, SiteError, quoted, read_source
from sitegen.base.layout import DATA_DIR
from sitegen.base.localized import resolve
from sitegen.base.messages import _
from sitegen.base.timeutil import FileStamp, localize_naive
from sitegen.base.yamlsource import YamlMap, line_of, load_yaml
from sitegen.settings.config import SiteConfig
from sitegen.sources.sitefiles import files_below
from sitegen.sources.spreadsheets import read_csv, read_spreadsheet

DATA_SUFFIXES = (".yaml", ".yml", ".csv")
T = TypeVar("T")

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class DataSet:
    """Every feed of the site, as read (localized fields still hold every language)."""

    feeds: Mapping[str, Any]
    sources: Mapping[str, Path]
    notes: tuple[Problem, ...] = ()
    """What a user should know of how the feeds were read, though nothing was wrong
    (a CSV file read as Windows-1252): printed with the build's summary."""
    _resolved: dict[tuple[int, str], Any] = field(default_factory=dict, compare=False, repr=False)
    """What `localized` made, by the value's identity and the language: a data set kept
    from one build to the next (`sitegen serve`) is resolved once."""
    _derived: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)

    def feed(self, dotted: str) -> Any:
        """`data.<dotted>`, or None when there is no such feed."""
        value: Any = self.feeds
        for part in dotted.split("."):
            if not isinstance(value, dict) or part not in value:
                return None
            value = value[part]
        return value

    def for_language(self, lang: str, config: SiteConfig) -> dict[str, Any]:
        """The feeds as a reader of `lang` sees them (default language as fallback)."""
        return {name: self.localized(value, lang, config) for name, value in self.feeds.items()}

    def ids(self, dotted: str) -> tuple[dict[str, int], list[Problem]]:
        """`items_by_id` of a feed, worked out once: the feed rules and the pages made
        from the feed both ask."""
        return self.derived(
            ("ids", dotted), lambda: items_by_id(self.sources[dotted], self.feed(dotted))
        )

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, once for this data set: an index of its feeds (the products by
        merchant), kept as long as the data set is (`sitegen serve` keeps an unchanged
        one from build to build)."""
        if key not in self._derived:
            self._derived[key] = compute()
        found: T = self._derived[key]
        return found

    def localized(self, value: Any, lang: str, config: SiteConfig) -> Any:
        """A value of these feeds (a feed, an item) as a reader of `lang` sees it."""
        key = (id(value), lang)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = resolve(
                value, config.fallback_order(lang), config.language_codes
            )
        return found


def data_stamps(config: SiteConfig) -> dict[str, FileStamp]:
    """The stamp of every file below data/ (feeds and others): what tells, without
    reading them, that the feeds did not change."""
    files, _problems = files_below(config.root / DATA_DIR, config.root)
    stamps = {}
    for path in files:
        try:
            stamps[str(path)] = FileStamp.of(path)
        except OSError:
            stamps[str(path)] = FileStamp(-1, -1, -1, -1)  # gone meanwhile: read again
    return stamps


def load_data(config: SiteConfig) -> DataSet:
    root = config.root / DATA_DIR
    feeds: dict[str, Any] = {}
    sources: dict[str, Path] = {}
    notes: list[Problem] = []
    files, problems = files_below(root, config.root)
    paths = [path for path in files if path.suffix in DATA_SUFFIXES]
    for path in paths:
        parts = path.relative_to(root).with_suffix("").parts
        bad = [part for part in parts if not _NAME.match(part)]
        if bad:
            problems.append(
                Problem(
                    path,
                    None,
                    _("'%(part)s' cannot be used as a name in templates (data.%(name)s)")
                    % {"part": bad[0], "name": ".".join(parts)},
                    hint=_("use letters, digits and underscores, such as 'products_fr.csv'"),
                )
            )
            continue
        dotted = ".".join(parts)
        clash = _clash(dotted, sources)
        if clash is not None:
            problems.append(
                Problem(
                    path,
                    None,
                    _("data.%(name)s is defined twice") % {"name": dotted},
                    hint=_("also by %(file)s") % {"file": clash},
                )
            )
            continue
        try:
            value, note = load_feed(path, config)
        except SiteError as error:
            problems.extend(error.problems)
            continue
        sources[dotted] = path
        _place(feeds, parts, value)
        if note is not None:
            notes.append(note)
    if problems:
        raise SiteError(problems)
    return DataSet(feeds=feeds, sources=sources, notes=tuple(notes))


def _clash(dotted: str, sources: Mapping[str, Path]) -> Path | None:
    """A feed already loaded under the same name, or as a folder or file of that name."""
    for name, path in sources.items():
        if name == dotted or name.startswith(f"{dotted}.") or dotted.startswith(f"{name}."):
            return path
    return None


def _place(feeds: dict[str, Any], parts: tuple[str, ...], value: Any) -> None:
    folder = feeds
    for part in parts[:-1]:
        folder = folder.setdefault(part, {})
    folder[parts[-1]] = value


def load_feed(path: Path, config: SiteConfig) -> tuple[Any, Problem | None]:
    """A feed's value, with a note on how it was read (None: nothing to say)."""
    if path.suffix == ".csv":
        text, note = read_spreadsheet(path)
        rows = read_csv(text, path, config.language_codes)
        return localize_naive(rows, config.timezone), note
    return localize_naive(load_yaml(read_source(path), path), config.timezone), None


def absent_field_problem(path: Path, items: Sequence[Any], field: str) -> Problem:
    """No item of a feed has `field` (a column missing or misnamed): one problem for the
    feed, the same value whichever check finds it (SiteError keeps one of equals)."""
    return Problem(
        path,
        line_of(items, 0),
        _("no item has a '%(field)s'") % {"field": field},
        hint=_(
            "a CSV file needs a column '%(field)s' (or '%(field)s.fr', '%(field)s.en'... for a "
            "text in each language)"
        )
        % {"field": field},
    )


def items_by_id(path: Path, items: Sequence[Any]) -> tuple[dict[str, int], list[Problem]]:
    """The index of the first item of each id, and the problems that keep an item from
    having one: not a mapping, no `id`, an id used twice.

    The product feed's rules and the pages made from a feed both need ids and ask
    here, so that one mistake is one problem value (SiteError keeps one of equals)."""
    found: dict[str, int] = {}
    problems = []
    for index, item in enumerate(items):
        line = line_of(items, index)
        if not isinstance(item, Mapping):
            problems.append(Problem(path, line, _("each item must be a mapping of fields")))
            continue
        item_id = item.get("id")
        if item_id is None or str(item_id).strip() == "":
            problems.append(Problem(path, line, _("this item has no 'id'")))
            continue
        if str(item_id) in found:
            first = line_of(items, found[str(item_id)])
            problems.append(
                Problem(
                    path,
                    line_of(item, "id", line),
                    _("id %(id)s is used twice (first on line %(line)s)")
                    % {"id": quoted(str(item_id)), "line": first},
                    item.column_of("id") if isinstance(item, YamlMap) else None,
                    caret=item.offset_of("id") if isinstance(item, YamlMap) else None,
                )
            )
            continue
        found[str(item_id)] = index
    return found, problems
