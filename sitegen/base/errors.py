"""Problems a user can cause, as values that know where they happened.

Every stage collects `Problem`s instead of raising on the first one, so a user
sees every mistake of a build at once. A stage that cannot go on raises
`SiteError` carrying all of them; the CLI prints them and exits 1.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sitegen.base.messages import _


@dataclass(frozen=True)
class Problem:
    """One user-facing error: a place, a plain message and, where it helps, a hint."""

    path: Path | None
    line: int | None
    message: str
    column: int | None = None
    hint: str | None = None
    caret: int | None = None
    """Where in the line the caret goes (characters before it), when that is not
    `column - 1`: a CSV cell's column is its number in the row, not a character's."""

    def location(self, relative_to: Path | None = None) -> str:
        if self.path is None:
            return ""
        shown = self.path
        if relative_to is not None:
            try:
                shown = self.path.resolve().relative_to(relative_to.resolve())
            except ValueError:
                shown = self.path
        place = str(shown)
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return place

    def sort_key(self) -> tuple[str, int, int, str]:
        return (str(self.path or ""), self.line or 0, self.column or 0, self.message)


class SiteError(Exception):
    """Raised by a stage that found problems it cannot build past."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(sorted(set(problems), key=Problem.sort_key))
        super().__init__("\n".join(p.message for p in self.problems))


def raise_if_any(problems: Sequence[Problem]) -> None:
    if problems:
        raise SiteError(problems)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest known word, the way a careful colleague would."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return _("did you mean '%(word)s'?") % {"word": close[0]} if close else None


def read_source(path: Path) -> str:
    """Read a user's text file as UTF-8 (a BOM is allowed), with CRLF made LF.

    Raises SiteError naming the file when it is not UTF-8, the usual sign of a
    file saved as Windows-1252 by a word processor or a spreadsheet.
    """
    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SiteError([not_utf8(path, raw, exc)]) from None
    return source_text(path, text)


def read_bytes(path: Path) -> bytes:
    """The bytes of a user's file; raises SiteError naming it when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        message = _("cannot read the file: %(reason)s") % {"reason": exc.strerror}
        raise SiteError([Problem(path, None, message)]) from None


def not_utf8(path: Path, raw: bytes, error: UnicodeDecodeError) -> Problem:
    """The problem of a file that had to be UTF-8, at the line of its first wrong byte."""
    return Problem(
        path,
        raw[: error.start].count(b"\n") + 1,
        _("the file is not valid UTF-8 text"),
        hint=_("save it again as UTF-8 (spreadsheets: 'CSV UTF-8')"),
    )


def source_text(path: Path, text: str) -> str:
    """A decoded user's file with CRLF made LF; SiteError when it holds a NUL, the mark
    of a binary file."""
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        message = _("the file contains a NUL byte; is it a binary file?")
        raise SiteError([Problem(path, line, message)])
    return text.replace("\r\n", "\n").replace("\r", "\n")


_CHARACTER_NAMES = {
    "\t": "tab",
    "\n": "line break",
    "\u00a0": "no-break space",
    "\u00ad": "soft hyphen",
    "\u2007": "figure space",
    "\u2009": "thin space",
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u2060": "word joiner",
    "\u202f": "narrow no-break space",
    "\ufeff": "byte order mark",
}
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def quoted(value: object) -> str:
    """A user's value as a message shows it: text in single quotes with each invisible
    character named (`'EUR<zero-width space>'`), where Python's `repr` would write
    `'EUR\\u200b'`, which a user cannot read, and a plain quote would hide it; a number
    as it is."""
    if not isinstance(value, str):
        return str(value)
    return "'" + "".join(_visible(character) for character in value) + "'"


def _visible(character: str) -> str:
    if character == " " or unicodedata.category(character) not in _INVISIBLE_CATEGORIES:
        return character
    name = _CHARACTER_NAMES.get(character) or unicodedata.name(character, "").lower()
    return f"<{name or f'U+{ord(character):04X}'}>"


def format_problem(
    problem: Problem, relative_to: Path | None = None, context: int = 2, label: str = "error"
) -> str:
    """Render a problem the way compilers do: place, message, the lines around it, hint.
    `label` is `note` for what a user should know but did not stop the build. The
    label and the place are the same in every language (editors and CI services find
    problems by them); the message and the hint are in the user's."""
    place = problem.location(relative_to)
    head = f"{label}: {place}: {problem.message}" if place else f"{label}: {problem.message}"
    lines = [head]
    lines.extend(_excerpt(problem, context))
    if problem.hint:
        lines.append("  " + _("hint: %(hint)s") % {"hint": problem.hint})
    return "\n".join(lines)


def _excerpt(problem: Problem, context: int) -> list[str]:
    if problem.path is None or problem.line is None or not problem.path.is_file():
        return []
    try:
        raw = problem.path.read_bytes()
    except OSError:
        return []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:  # a spreadsheet's Windows-1252 (see sitegen.sources.spreadsheets)
        text = raw.decode("cp1252", errors="replace")
    source_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = max(problem.line - context, 1)
    last = min(problem.line + context, len(source_lines))
    width = len(str(last))
    shown = []
    for number in range(first, last + 1):
        marker = ">" if number == problem.line else " "
        shown.append(f"  {marker} {number:>{width}} | {source_lines[number - 1]}")
        if number == problem.line and problem.column:
            caret = problem.column - 1 if problem.caret is None else problem.caret
            shown.append(f"    {' ' * width} | {_blank(source_lines[number - 1][:caret])}^")
    return shown


def _blank(text: str) -> str:
    """As wide as `text` on a terminal: spaces, and its tabs kept (a tab-separated file)."""
    return "".join("\t" if character == "\t" else " " for character in text)
