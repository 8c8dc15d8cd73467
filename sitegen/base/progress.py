"""What a build is doing while it runs: a bar on a terminal, stage lines in logs, or nothing.

The Builder calls `stage(name, total, unit)` when a stage begins, `advance(n)` for each
file done and `done(completed)` at the end, whatever happened. `advance` is called once
per output of a site of tens of thousands of pages, so it only counts and looks at the
clock; drawing is throttled by time. A build shorter than DELAY seconds shows nothing,
so that a quick build prints its summary alone, as it always did.

In a log (CI, a pipe) there is no bar: a line per stage, and only for a build longer
than LOG_DELAY (or with --verbose). Such a log is read afterwards, where the summary
already gives the time; the stage lines help a long build, where they show it is alive
(some CI services stop a job that prints nothing for minutes) and where its time went.
A quick build keeps an empty standard error on success, which scripts rely on.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import TextIO

from sitegen.base.messages import N_, _, number

DELAY = 1.0
"""Seconds before anything is shown: a quick build needs no progress."""
LOG_DELAY = 10.0
"""Seconds before stage lines are written to a log (not a terminal)."""
DELAY_VARIABLE = "SITEGEN_PROGRESS_DELAY"
"""The environment variable that replaces DELAY and LOG_DELAY on the command line, in
seconds (0: show at once)."""
REDRAW_INTERVAL = 0.1
"""The bar is drawn at most ten times a second."""
BAR_WIDTH = 24

Clock = Callable[[], float]


class Progress:
    """No progress at all: library use (`build()`), `sitegen serve`, `--quiet`."""

    def stage(self, name: str, total: int | None = None, unit: str = N_("files")) -> None:
        """A stage begins; `total` is None when it is not known in advance."""

    def advance(self, n: int = 1) -> None:
        """`n` more files of the current stage are done."""

    def done(self, completed: bool = True) -> None:
        """The build ended (`completed` False: it failed or was interrupted)."""


NO_PROGRESS = Progress()


class _Stages(Progress):
    """Counts files and times stages; subclasses decide what to show."""

    def __init__(self, stream: TextIO, clock: Clock = time.monotonic, delay: float = DELAY):
        self.stream = stream
        self.clock = clock
        self.delay = delay
        self.name: str | None = None
        self.total: int | None = None
        self.unit = N_("files")
        self.count = 0
        self.started = self.stage_started = clock()

    def stage(self, name: str, total: int | None = None, unit: str = N_("files")) -> None:
        self._end_stage()
        self.name, self.total, self.unit, self.count = name, total, unit, 0
        self.stage_started = self.clock()

    def advance(self, n: int = 1) -> None:
        self.count += n

    def done(self, completed: bool = True) -> None:
        if completed:
            self._end_stage()
        self.name = None

    def _end_stage(self) -> None:
        if self.name is not None:
            self.stage_ended(stage_line(self.name, self.count, self.unit, self._stage_seconds()))

    def stage_ended(self, line: str) -> None:
        """The stage that just ended, as a line of the log."""

    def _stage_seconds(self) -> float:
        return self.clock() - self.stage_started


class PlainProgress(_Stages):
    """For logs (CI, a pipe): a line per stage as it ends, once the build has taken more
    than `delay` seconds (the quick stages before are printed then too). A log cannot
    show a redrawn bar, but these lines say that a long build is alive and where its
    time went; a quick build prints nothing more than its summary."""

    def __init__(self, stream: TextIO, clock: Clock = time.monotonic, delay: float = LOG_DELAY):
        super().__init__(stream, clock, delay)
        self._pending: list[str] = []

    def stage_ended(self, line: str) -> None:
        self._pending.append(line)
        if self.clock() - self.started >= self.delay:
            self.stream.write("".join(f"{pending}\n" for pending in self._pending))
            self.stream.flush()
            self._pending.clear()


class TerminalProgress(_Stages):
    """A one-line bar redrawn in place, once the build has taken more than `delay`
    seconds, cleared when the build ends; with `verbose`, each stage's line too."""

    def __init__(
        self,
        stream: TextIO,
        clock: Clock = time.monotonic,
        delay: float = DELAY,
        verbose: bool = False,
    ):
        super().__init__(stream, clock, delay)
        self.verbose = verbose
        self._next_draw = self.started + delay
        self._shown = 0
        """The length of the bar line on screen (0: none)."""
        self._cells = _cells(stream)

    def stage(self, name: str, total: int | None = None, unit: str = N_("files")) -> None:
        super().stage(name, total, unit)
        self._tick()

    def advance(self, n: int = 1) -> None:
        self.count += n
        if self.clock() >= self._next_draw:
            self._draw()

    def done(self, completed: bool = True) -> None:
        super().done(completed)
        self._clear()

    def stage_ended(self, line: str) -> None:
        if self.verbose:
            self._clear()
            self.stream.write(f"{line}\n")
            self.stream.flush()

    def _tick(self) -> None:
        if self.clock() >= self._next_draw:
            self._draw()

    def _draw(self) -> None:
        now = self.clock()
        self._next_draw = now + REDRAW_INTERVAL
        if self.name is None:
            return
        line = bar_line(
            self.name, self.count, self.total, self.unit, now - self.stage_started, self._cells
        )
        self.stream.write("\r" + line.ljust(self._shown))
        self.stream.flush()
        self._shown = len(line)

    def _clear(self) -> None:
        if self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
            self._shown = 0


def stage_line(name: str, count: int, unit: str, seconds: float) -> str:
    """`rendering: 10,000 outputs in 18.20 s`"""
    return _("%(stage)s: %(count)s %(unit)s in %(seconds)s s") % {
        "stage": _(name),
        "count": number(count),
        "unit": _(unit),
        "seconds": number(seconds, "0.00"),
    }


def bar_line(
    name: str,
    count: int,
    total: int | None,
    unit: str,
    seconds: float,
    cells: str = "▕█░▏",
) -> str:
    """`rendering ▕████████░░░░▏ 6,214/10,000 outputs  2.1 s`; without a total, the count."""
    left, full, empty, right = cells[0], cells[1], cells[2], cells[3]
    shown_name, shown_unit, time = _(name), _(unit), f"{number(seconds, '0.0')} s"
    if total is None:
        return f"{shown_name:<9} {number(count)} {shown_unit}  {time}"
    filled = BAR_WIDTH * min(count, total) // total if total else BAR_WIDTH
    bar = left + full * filled + empty * (BAR_WIDTH - filled) + right
    return f"{shown_name:<9} {bar} {number(count)}/{number(total)} {shown_unit}  {time}"


def _cells(stream: TextIO) -> str:
    """Block characters where the terminal can show them, ASCII elsewhere."""
    try:
        "▕█░▏".encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return "[#-]"
    return "▕█░▏"


def is_terminal(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """A person watching: a TTY, not a dumb terminal, not a CI job (which may fake a TTY)."""
    return (
        stream.isatty() and environ.get("TERM", "") != "dumb" and not environ.get("CI", "").strip()
    )


def progress_for(
    stream: TextIO,
    *,
    quiet: bool = False,
    verbose: bool = False,
    environ: Mapping[str, str] | None = None,
) -> Progress:
    """The progress the command line shows on `stream` (its standard error)."""
    if quiet:
        return NO_PROGRESS
    environ = os.environ if environ is None else environ
    chosen = _delay(environ.get(DELAY_VARIABLE))
    if is_terminal(stream, environ):
        delay = DELAY if chosen is None else chosen
        return TerminalProgress(stream, delay=delay, verbose=verbose)
    delay = LOG_DELAY if chosen is None else chosen
    return PlainProgress(stream, delay=0.0 if verbose else delay)


def _delay(text: str | None) -> float | None:
    """The delay SITEGEN_PROGRESS_DELAY asks for; None when unset or not a number >= 0."""
    try:
        value = float(text) if text is not None else -1.0
    except ValueError:
        return None
    return value if 0 <= value < float("inf") else None
