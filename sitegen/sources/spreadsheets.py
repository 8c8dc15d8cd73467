"""CSV feeds as spreadsheets save them, read as they are, with no setting.

A French team keeps its catalogue in Excel or LibreOffice. Excel's "CSV
(séparateur : point-virgule)" writes `;` between cells, Windows-1252 bytes, and
prices as the sheet shows them (`1 299,00 €`, `29,90`). So:

- the separator is the one of `,`, `;` and tab that the header row uses most (a
  comma when it uses none);
- the text is UTF-8, with or without a BOM; a file that is not UTF-8 is read as
  Windows-1252, with a note that names it (an error would stop a team that cannot
  choose how its export is saved; silence would hide a wrong guess);
- in an amount column (`price`, or a name ending in `_price`), a number written the
  French way (`29,90`, `1 299,00 €`) is read by Babel's French number parsing; the
  dot form (`89.90`) is read as everywhere else. Only there: a comma elsewhere
  (`1,5 kg`) is text, as it is for a reader;
- otherwise, a cell that is plainly a number becomes one (`12` → int, `89.90` →
  Decimal, never a float, so prices stay exact; `007` stays text), an ISO date or
  date-time becomes one, an empty cell is None and everything else is text.

Cells are split here rather than by the csv module, which does not say where a cell
starts: a problem names its cell's line and number (`data/products.csv:8:4`) and
the caret goes under the cell. Columns named `field.<lang>` for a site language
join into one localized field, exactly like `field: {fr: ..., en: ...}` in YAML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from babel.numbers import NumberFormatError, parse_decimal

from sitegen.base.errors import Problem, SiteError, not_utf8, quoted, read_bytes, source_text
from sitegen.base.messages import N_, _, ngettext
from sitegen.base.yamlsource import YamlList, YamlMap, parse_timestamp

SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}
_QUOTE_HINTS = {
    ",": N_("a cell that contains a comma must be put in double quotes"),
    ";": N_("a cell that contains a semicolon must be put in double quotes"),
    "\t": N_("a cell that contains a tab must be put in double quotes"),
}
"""The hint under a row with too many cells, per separator (a translation's noun has
its gender)."""
"""The separators a header row may use, the first winning a tie, with their names."""

_INTEGER = re.compile(r"^-?(?:0|[1-9][0-9]*)$")
_DECIMAL = re.compile(r"^-?(?:0|[1-9][0-9]*)\.[0-9]+$")
_QUOTED_CELL = re.compile(r'"([^"]*+(?:""[^"]*+)*+)"')
_PLAIN_CELLS = {separator: re.compile(f"[^{re.escape(separator)}\n]*") for separator in SEPARATORS}
_QUOTED_PARTS = re.compile(r'"[^"]*"')
_UTF8_BOM = b"\xef\xbb\xbf"
_FRENCH = "fr_FR"
_FRENCH_GROUPING = str.maketrans({" ": "\u202f", "\u00a0": "\u202f"})
"""Babel's French thousands separator is the narrow no-break space (CLDR); Excel
writes a no-break space, and people a plain space."""
_AMOUNT_CHARACTERS = frozenset("0123456789,.-+ \u00a0\u202f")
"""What an amount may hold once its € is off: Babel also reads `1e3` and `NaN`."""
_NUMBER_OR_DATE_START = frozenset("-0123456789")
"""How every number and date a cell may hold starts: other cells (names, descriptions)
are text without trying three patterns on them."""


def read_spreadsheet(path: Path) -> tuple[str, Problem | None]:
    """The text of a CSV file, and a note when it was not UTF-8 but Windows-1252;
    raises SiteError when it is neither (or holds a NUL)."""
    raw = read_bytes(path)
    note = None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if raw.startswith(_UTF8_BOM):  # says UTF-8, and is broken: no guess
            raise SiteError([not_utf8(path, raw, exc)]) from None
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as cp1252_error:
            raise SiteError([not_utf8(path, raw, cp1252_error)]) from None
        note = Problem(
            path,
            None,
            _('the file is not UTF-8: read as Windows-1252 (Excel\'s "CSV" export)'),
            hint=_('save it as "CSV UTF-8" to be sure'),
        )
    return source_text(path, text), note


def read_csv(text: str, path: Path, languages: tuple[str, ...]) -> YamlList:
    """Rows as mappings that remember the line and cell of each field, with
    `x.fr`/`x.en` columns joined; raises SiteError with the problems of every row."""
    rows = YamlList()
    rows.line = 1
    if not text.strip():
        return rows
    separator = separator_of(text)
    records = _records(text, separator, path)
    header = next(records)
    columns = _columns(header, path, languages)
    problems: list[Problem] = []
    for cells in records:
        if not any(cell.text.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.append(_cell_count_problem(path, cells, len(header), separator))
            continue
        rows.append(_row(columns, cells, path, problems))
        rows.item_lines.append(cells[0].line)
    if problems:
        raise SiteError(problems)
    return rows


def separator_of(text: str) -> str:
    """The separator the header row (the first line) uses most, quoted names aside."""
    header = _QUOTED_PARTS.sub("", text.partition("\n")[0])
    counts = {separator: header.count(separator) for separator in SEPARATORS}
    return max(counts, key=lambda separator: counts[separator])  # the first of equals


class _Cell(NamedTuple):
    text: str
    line: int
    offset: int
    """How many characters of its line come before it: where the caret goes."""
    number: int
    """Its place in the row, from 1: the column a problem names."""

    def problem(self, path: Path, message: str, hint: str | None = None) -> Problem:
        return Problem(path, self.line, message, self.number, hint, caret=self.offset)


def _records(text: str, separator: str, path: Path) -> Iterator[list[_Cell]]:
    """The rows of `text`, each a list of its cells with their places (RFC 4180: a
    cell in double quotes may hold the separator, line breaks and `""` for a quote).
    A line without quotes, most of a catalogue, is simply split."""
    position, line, end = 0, 1, len(text)
    while True:
        stop = text.find("\n", position)
        stop = end if stop < 0 else stop
        if text.find('"', position, stop) < 0:
            record = _plain_record(text[position:stop], line, separator)
        else:
            record, stop, line = _quoted_record(text, position, line, separator, path)
        yield record
        position, line = stop + 1, line + 1
        if position >= end:
            return


def _plain_record(text: str, line: int, separator: str) -> list[_Cell]:
    cells = []
    offset = 0
    for number, value in enumerate(text.split(separator), start=1):
        cells.append(_Cell(value, line, offset, number))
        offset += len(value) + 1
    return cells


def _quoted_record(
    text: str, position: int, line: int, separator: str, path: Path
) -> tuple[list[_Cell], int, int]:
    """The record that starts at `position` (a line's start), where its end of line
    (or of the text) is, and the line it ends on."""
    plain_cell = _PLAIN_CELLS[separator]
    line_start, end = position, len(text)
    record: list[_Cell] = []
    while True:
        place = (line, position - line_start, len(record) + 1)
        if text.startswith('"', position):
            match = _QUOTED_CELL.match(text, position)
            if match is None:
                message = _("the quote that opens this cell is never closed")
                hint = _('a quote inside a quoted cell is written twice: ""')
                raise SiteError([_Cell("", *place).problem(path, message, hint)])
            value = match[1].replace('""', '"')
            if "\n" in match[0]:
                line += match[0].count("\n")
                line_start = match.start() + match[0].rindex("\n") + 1
        else:
            match = plain_cell.match(text, position)
            assert match is not None  # it matches the empty text
            value = match[0]
        record.append(_Cell(value, *place))
        position = match.end()
        if position == end or text[position] == "\n":
            return record, position, line
        if text[position] != separator:
            stray = _Cell("", line, position - line_start, len(record))
            message = _("a quoted cell must end at its closing quote")
            hint = _(
                'put the whole cell in quotes and write each quote inside it twice: "a ""b"" c"'
            )
            raise SiteError([stray.problem(path, message, hint)])
        position += 1


def _cell_count_problem(path: Path, cells: list[_Cell], expected: int, separator: str) -> Problem:
    """A row that does not have the header's cells: at its first extra cell, if any."""
    count = len(cells)
    message = ngettext(
        "this row has %(count)s cell but the header has %(expected)s",
        "this row has %(count)s cells but the header has %(expected)s",
        count,
    ) % {"count": count, "expected": expected}
    hint = _(_QUOTE_HINTS[separator])
    if count > expected:
        return cells[expected].problem(path, message, hint)
    return Problem(path, cells[0].line, message, hint=hint)


class _Column(NamedTuple):
    field: str
    language: str | None
    """The language of a `field.<lang>` column, for a site language."""
    amount: bool
    """Whether its cells are amounts, which may be written the French way."""


def _columns(header: list[_Cell], path: Path, languages: tuple[str, ...]) -> list[_Column]:
    columns: list[_Column] = []
    seen: set[str] = set()
    problems = []
    for cell in header:
        name = cell.text.strip()
        if not name:
            problems.append(
                cell.problem(
                    path,
                    _("column %(number)s has no name in the header row") % {"number": cell.number},
                )
            )
        elif name in seen:
            message = _("column '%(name)s' appears twice in the header row") % {"name": name}
            problems.append(cell.problem(path, message))
        seen.add(name)
        field, dot, lang = name.rpartition(".")
        if not dot or lang not in languages:
            field, lang = name, ""
        columns.append(_Column(field, lang or None, is_amount_column(field)))
    if problems:
        raise SiteError(problems)
    return columns


def is_amount_column(name: str) -> bool:
    """Whether a column holds amounts: `price`, or a name ending in `_price`."""
    return name == "price" or name.endswith("_price")


def _row(
    columns: list[_Column], cells: list[_Cell], path: Path, problems: list[Problem]
) -> YamlMap:
    row = YamlMap()
    row.line = cells[0].line
    for (name, lang, amount), cell in zip(columns, cells, strict=True):
        try:
            value = _typed(cell.text, amount)
        except ValueError as exc:
            problems.append(cell.problem(path, str(exc)))
            value = None
        if lang is None:
            row[name] = value
        else:
            row.setdefault(name, {})[lang] = value
        row.key_lines.setdefault(name, cell.line)
        row.key_columns.setdefault(name, cell.number)
        row.key_offsets.setdefault(name, cell.offset)
    return row


def _typed(cell: str, amount: bool) -> Any:
    text = cell.strip()
    if not text:
        return None
    if text[0] not in _NUMBER_OR_DATE_START:
        return text
    if _INTEGER.match(text):
        return int(text)
    if _DECIMAL.match(text):
        return Decimal(text)
    if amount:
        number = french_amount(text)
        return text if number is None else number
    try:
        instant = parse_timestamp(text)
    except ValueError as exc:
        message = _("%(value)s is not a valid date: %(reason)s")
        raise ValueError(message % {"value": quoted(text), "reason": exc}) from None
    return text if instant is None else instant


def french_amount(text: str) -> Decimal | None:
    """`1 299,00 €`, `29,90` or `29,90 €` as a Decimal (any space or no-break space
    between the thousands, a euro sign or not), None for anything else."""
    number = text.removesuffix("€").rstrip()
    if not number or not set(number) <= _AMOUNT_CHARACTERS:
        return None
    try:
        return parse_decimal(number.translate(_FRENCH_GROUPING), locale=_FRENCH, strict=True)
    except NumberFormatError:
        return None
