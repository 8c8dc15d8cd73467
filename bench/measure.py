"""How perf.py measures: each build a fresh process, timed from start to exit, with
the peak of the summed proportional set sizes of the process and its children; the
runs of several tools taking turns; removed outputs set aside, not deleted.

Memory is the peak of the summed PSS (proportional set size: memory shared by several
processes counted once, split between them) of the command's process and its
children, sampled from /proc/PID/smaps_rollup (every 0.1 s, then every 0.5 s: see
SAMPLE_SECONDS), or the process's own peak RSS (os.wait4) when that is larger, as it
is for a one-process tool such as Hugo.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE_DIR = ".sitegen-cache"
TRASH = "trash"
"""The folder under the bench's root where removed outputs and caches wait (set_aside)."""


def set_aside(path: Path, root: Path) -> None:
    """Move `path` (an output or a cache a run must not find) into ROOT/trash, which
    `empty_trash` deletes once every run is timed.

    Deleting files slows the creation of new ones for a while on ext4 without a journal
    (this machine's disk): the kernel does not reuse an inode freed in the last 60 to
    300 seconds (`recently_deleted` in fs/ext4/ialloc.c) and scans past each of them for
    every new file. A cold build made seconds after the bench deleted the last run's
    10,000 pages paid that scan: Hugo's cold builds showed 10-11 s of kernel time
    instead of about 2 s, and both tools' times moved with how much had been deleted
    lately. Moving a folder frees no inode."""
    if path.exists():
        trash = root / TRASH
        trash.mkdir(exist_ok=True)
        path.rename(trash / f"{time.monotonic_ns()}-{path.name}")


def empty_trash(root: Path) -> None:
    shutil.rmtree(root / TRASH, ignore_errors=True)


@dataclass
class Row:
    tool: str
    case: str
    pages: int
    walls: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    note: str = ""
    product_kb: float | None = None
    """A product page's size on average, for the catalogue rows."""
    group: str = ""
    """Rows measured on the same site or corpus: a Hugo row of the group is the others'
    reference."""


def run(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak memory (MB, the process and its children) of one run of
    `command` in a fresh process."""
    os.sync()  # the last run's writes, flushed now, do not slow this one
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors, env=_environment()
        )
        sampler = TreeMemory(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        sampler.stop()
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace")[-2000:]
            raise SystemExit(f"{' '.join(command)} failed ({status}):\n{message}")
    return seconds, max(usage.ru_maxrss, sampler.peak_kb) / 1024  # Linux: kilobytes


SAMPLE_SECONDS = (0.1, 0.5)
"""Every 0.1 s for the first SLOW_AFTER seconds of a run, then every 0.5 s. Reading a
process's PSS makes the kernel walk its page tables, under a lock its page faults need
too: sampled every 10 ms, it slowed a 10,000-page build by a third; every 0.1 s, the
10,000-product catalogue (three processes of several hundred MB) by a sixth. A build's
memory grows for seconds (the processes' caches, then the records at the end), so
0.5 s finds the same peak within a few percent."""
SLOW_AFTER = 2.0


class TreeMemory(threading.Thread):
    """Samples the summed PSS of a process and its descendants: forked workers share
    most of their parent's memory, which a sum of RSS would count once per process."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self._finished = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        while not self._finished.wait(SAMPLE_SECONDS[time.monotonic() - started > SLOW_AFTER]):
            self.peak_kb = max(self.peak_kb, sum(map(_pss_kb, _tree(self.pid))))

    def stop(self) -> None:
        self._finished.set()
        self.join()


def _tree(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rpartition(")")[2].split()[1])
            parents.setdefault(parent, []).append(int(entry.name))
    found, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        found.append(current)
        waiting.extend(parents.get(current, []))
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(REPO), *filter(None, [environment.get("PYTHONPATH")])]
    )
    return environment


def timed(row: Row, command: list[str]) -> None:
    """One run of `command`, its wall time and peak memory added to `row`."""
    seconds, rss = run(command)
    row.walls.append(seconds)
    row.rss.append(rss)


def repeat(row: Row, runs: int, prepare: Callable[[int], None], command: list[str]) -> Row:
    for index in range(runs):
        prepare(index)
        timed(row, command)
    return row


@dataclass
class Series:
    """A tool's rows for one size, filled a run at a time (`run(index)`), so that two
    tools' runs can take turns: the machine's speed moves during a benchmark, and
    each ratio to Hugo should compare runs made under the same conditions."""

    rows: list[Row]
    run: Callable[[int], None]
    finish: Callable[[], None]


def in_turn(series: list[Series], runs: int) -> list[Row]:
    """Each series' run 1, then each one's run 2, and so on."""
    try:
        for index in range(runs):
            for one in series:
                one.run(index)
    finally:
        for one in series:
            one.finish()
    return [row for one in series for row in one.rows]
