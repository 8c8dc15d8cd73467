"""Problems a user can cause, as values that know where they happened.

Every stage collects `Problem`s instead of raising on the first one, so a user
sees every mistake of a build at once. A stage that cannot go on raises
`SiteError` carrying all of them; the CLI prints them and exits 1.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One user-facing error: a place, a plain message and, where it helps, a hint."""

    path: Path | None
    line: int | None
    message: str
    column: int | None = None
    hint: str | None = None

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
    return f"did you mean '{close[0]}'?" if close else None


def read_source(path: Path) -> str:
    """Read a user's text file as UTF-8 (a BOM is allowed), with CRLF made LF.

    Raises SiteError naming the file when it is not UTF-8, the usual sign of a
    file saved as Windows-1252 by a word processor or a spreadsheet.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SiteError([Problem(path, None, f"cannot read the file: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SiteError(
            [
                Problem(
                    path,
                    line,
                    "the file is not valid UTF-8 text",
                    hint="save it again as UTF-8 (spreadsheets: 'CSV UTF-8')",
                )
            ]
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise SiteError([Problem(path, line, "the file contains a NUL byte; is it a binary file?")])
    return text.replace("\r\n", "\n").replace("\r", "\n")


def format_problem(problem: Problem, relative_to: Path | None = None, context: int = 2) -> str:
    """Render a problem the way compilers do: place, message, the lines around it, hint."""
    place = problem.location(relative_to)
    head = f"error: {place}: {problem.message}" if place else f"error: {problem.message}"
    lines = [head]
    lines.extend(_excerpt(problem, context))
    if problem.hint:
        lines.append(f"  hint: {problem.hint}")
    return "\n".join(lines)


def _excerpt(problem: Problem, context: int) -> list[str]:
    if problem.path is None or problem.line is None or not problem.path.is_file():
        return []
    try:
        text = problem.path.read_bytes().decode("utf-8-sig", errors="replace")
    except OSError:
        return []
    source_lines = text.replace("\r\n", "\n").split("\n")
    first = max(problem.line - context, 1)
    last = min(problem.line + context, len(source_lines))
    width = len(str(last))
    shown = []
    for number in range(first, last + 1):
        marker = ">" if number == problem.line else " "
        shown.append(f"  {marker} {number:>{width}} | {source_lines[number - 1]}")
        if number == problem.line and problem.column:
            shown.append(f"    {' ' * width} | {' ' * (problem.column - 1)}^")
    return shown
