"""Feeds in data/: every YAML or CSV file becomes `data.<name>` in templates.

CSV cells are text, except what is plainly a number (`12` → int, `89.90` →
Decimal, never a float, so prices stay exact; `007` stays text) and empty
cells (None). Columns named `field.<lang>` for a site language join into one
localized field, exactly like `field: {fr: ..., en: ...}` in YAML.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from sitegen.config import SiteConfig
from sitegen.errors import Problem, SiteError, read_source
from sitegen.layout import DATA_DIR
from sitegen.localized import resolve
from sitegen.sitefiles import files_below
from sitegen.timeutil import FileStamp, localize_naive
from sitegen.yamlsource import YamlList, YamlMap, load_yaml, parse_timestamp

DATA_SUFFIXES = (".yaml", ".yml", ".csv")
T = TypeVar("T")

_INTEGER = re.compile(r"^-?(?:0|[1-9][0-9]*)$")
_DECIMAL = re.compile(r"^-?(?:0|[1-9][0-9]*)\.[0-9]+$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class DataSet:
    """Every feed of the site, as read (localized fields still hold every language)."""

    feeds: Mapping[str, Any]
    sources: Mapping[str, Path]
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
                value, lang, config.default_language, config.language_codes
            )
        return found


def data_stamps(config: SiteConfig) -> dict[str, FileStamp]:
    """The stamp of every file below data/ (feeds and others): what tells, without
    reading them, that the feeds did not change."""
    files, _ = files_below(config.root / DATA_DIR, config.root)
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
                    f"'{bad[0]}' cannot be used as a name in templates (data.{'.'.join(parts)})",
                    hint="use letters, digits and underscores, such as 'products_fr.csv'",
                )
            )
            continue
        dotted = ".".join(parts)
        clash = _clash(dotted, sources)
        if clash is not None:
            problems.append(
                Problem(path, None, f"data.{dotted} is defined twice", hint=f"also by {clash}")
            )
            continue
        try:
            value = load_feed(path, config)
        except SiteError as error:
            problems.extend(error.problems)
            continue
        sources[dotted] = path
        _place(feeds, parts, value)
    if problems:
        raise SiteError(problems)
    return DataSet(feeds=feeds, sources=sources)


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


def load_feed(path: Path, config: SiteConfig) -> Any:
    text = read_source(path)
    if path.suffix == ".csv":
        return localize_naive(read_csv(text, path, config.language_codes), config.timezone)
    return localize_naive(load_yaml(text, path), config.timezone)


def read_csv(text: str, path: Path, languages: tuple[str, ...]) -> YamlList:
    """Rows as mappings that remember their line, with `x.fr`/`x.en` columns joined."""
    rows = YamlList()
    rows.line = 1
    if not text.strip():
        return rows
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = next(reader)
        columns = _columns(header, path, languages)
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                raise SiteError(
                    [
                        Problem(
                            path,
                            reader.line_num,
                            f"this row has {len(cells)} cell{'' if len(cells) == 1 else 's'} "
                            f"but the header has {len(header)}",
                            hint="a cell that contains a comma must be put in double quotes",
                        )
                    ]
                )
            try:
                rows.append(_row(columns, cells, reader.line_num))
            except ValueError as exc:
                raise SiteError([Problem(path, reader.line_num, str(exc))]) from None
            rows.item_lines.append(reader.line_num)
    except csv.Error as exc:
        raise SiteError([Problem(path, reader.line_num, f"invalid CSV: {exc}")]) from None
    return rows


def _columns(
    header: list[str], path: Path, languages: tuple[str, ...]
) -> list[tuple[str, str | None]]:
    """(field, language or None) for each column of the header."""
    columns: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    problems = []
    for number, raw in enumerate(header, start=1):
        name = raw.strip()
        if not name:
            problems.append(Problem(path, 1, f"column {number} has no name in the header row"))
        elif name in seen:
            problems.append(Problem(path, 1, f"column '{name}' appears twice in the header row"))
        seen.add(name)
        field, dot, lang = name.rpartition(".")
        columns.append((field, lang) if dot and lang in languages else (name, None))
    if problems:
        raise SiteError(problems)
    return columns


def _row(columns: list[tuple[str, str | None]], cells: list[str], line: int) -> YamlMap:
    row = YamlMap()
    row.line = line
    for number, ((name, lang), cell) in enumerate(zip(columns, cells, strict=True), start=1):
        value = _cell(cell)
        if lang is None:
            row[name] = value
        else:
            row.setdefault(name, {})[lang] = value
        row.key_lines[name] = line
        row.key_columns.setdefault(name, number)
    return row


_NUMBER_OR_DATE_START = frozenset("-0123456789")
"""How every number and date a cell may hold starts: other cells (names, descriptions)
are text without trying three patterns on them."""


def _cell(cell: str) -> Any:
    text = cell.strip()
    if not text:
        return None
    if text[0] not in _NUMBER_OR_DATE_START:
        return text
    if _INTEGER.match(text):
        return int(text)
    if _DECIMAL.match(text):
        return Decimal(text)
    try:
        instant = parse_timestamp(text)
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a valid date: {exc}") from None
    return text if instant is None else instant
