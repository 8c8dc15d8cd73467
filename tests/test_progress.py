"""Progress: a bar on a terminal after a second, stage lines in logs, --quiet and --verbose."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitegen.base.errors import SiteError
from sitegen.base.progress import (
    DELAY_VARIABLE,
    NO_PROGRESS,
    PlainProgress,
    Progress,
    TerminalProgress,
    bar_line,
    progress_for,
)
from sitegen.building.buildcontract import BuildOptions
from sitegen.building.pipeline import build
from tests.conftest import copy_example, page, run_sitegen, write_tree

SUMMARY = r"Built 6 pages \(3 fr, 3 en \(1 fallback\)\), 18 files written to \S+ in \d+\.\d\d s\.\n"
STAGE_LINE = r"(loading|markdown|rendering|copying|writing): \d+ [a-z ]+ in \d+\.\d\d s"


class FakeTTY(io.StringIO):
    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _redraws(text: str) -> list[str]:
    """The successive contents of the line, as a terminal shows them."""
    return [part.rstrip() for part in text.split("\r") if part.strip()]


# ---------------------------------------------------------------- on a terminal


def test_terminal_shows_nothing_in_the_first_second() -> None:
    stream, clock = FakeTTY(), FakeClock()
    progress = TerminalProgress(stream, clock)
    progress.stage("rendering", 100, "outputs")
    for _ in range(50):
        clock.now += 0.019
        progress.advance()
    progress.done()
    assert stream.getvalue() == ""


def test_terminal_bar_is_redrawn_in_place_at_most_ten_times_a_second() -> None:
    stream, clock = FakeTTY(), FakeClock()
    progress = TerminalProgress(stream, clock)
    progress.stage("loading", unit="content files")
    progress.advance(3)
    clock.now += 0.5
    progress.stage("rendering", 10_000, "outputs")
    for _ in range(10_000):
        clock.now += 0.0002  # 2 s in all
        progress.advance()
    drawn = stream.getvalue()
    assert "\n" not in drawn
    lines = _redraws(drawn)
    assert 10 <= len(lines) <= 16  # 1.5 s shown, at most ten redraws a second
    assert all(line.startswith("rendering ▕") for line in lines)
    counts = [
        int(re.search(r"([\d,]+)/10,000 outputs", line)[1].replace(",", "")) for line in lines
    ]  # type: ignore[index]
    assert counts == sorted(counts)
    assert counts[0] == 2_500  # drawn first when the build is one second old
    assert counts[-1] > 9_000
    assert lines[0] == "rendering ▕██████░░░░░░░░░░░░░░░░░░▏ 2,500/10,000 outputs  0.5 s"


def test_terminal_line_is_cleared_at_the_end() -> None:
    stream, clock = FakeTTY(), FakeClock()
    progress = TerminalProgress(stream, clock)
    progress.stage("rendering", 4, "outputs")
    clock.now += 2
    progress.advance()
    shown = stream.getvalue()
    assert shown.startswith("\rrendering ▕")
    progress.done()
    cleared = stream.getvalue()[len(shown) :]
    assert cleared == "\r" + " " * len(shown.strip("\r")) + "\r"


def test_terminal_failed_build_clears_the_line_too() -> None:
    stream, clock = FakeTTY(), FakeClock()
    progress = TerminalProgress(stream, clock, verbose=True)
    progress.stage("rendering", 4, "outputs")
    clock.now += 2
    progress.advance()
    progress.done(completed=False)
    assert stream.getvalue().endswith("\r")
    assert "\n" not in stream.getvalue()  # no stage line for a stage that did not end


def test_terminal_verbose_writes_a_line_per_stage_above_the_bar() -> None:
    stream, clock = FakeTTY(), FakeClock()
    progress = TerminalProgress(stream, clock, verbose=True)
    progress.stage("rendering", 2, "outputs")
    clock.now += 1.25
    progress.advance(2)
    progress.stage("copying", 1, "static files")
    progress.advance()
    progress.done()
    text = stream.getvalue()
    lines = text.replace("\r", "\n").split("\n")
    assert "rendering: 2 outputs in 1.25 s" in lines
    assert "copying: 1 static files in 0.00 s" in lines


def test_bar_without_a_total_shows_the_count() -> None:
    assert bar_line("writing", 1234, None, "files written", 0.25) == (
        "writing   1,234 files written  0.2 s"
    )
    assert bar_line("copying", 0, 0, "static files", 0, "[#-]") == (
        "copying   [########################] 0/0 static files  0.0 s"
    )


def test_which_progress_for_which_stream() -> None:
    assert progress_for(FakeTTY(), quiet=True, environ={}) is NO_PROGRESS
    assert isinstance(progress_for(FakeTTY(), environ={"TERM": "xterm"}), TerminalProgress)
    assert isinstance(progress_for(FakeTTY(), environ={"TERM": "dumb"}), PlainProgress)
    assert isinstance(progress_for(FakeTTY(), environ={"CI": "true"}), PlainProgress)
    assert isinstance(progress_for(io.StringIO(), environ={}), PlainProgress)
    terminal = progress_for(FakeTTY(), environ={DELAY_VARIABLE: "0"})
    assert isinstance(terminal, TerminalProgress) and terminal.delay == 0
    ignored = progress_for(FakeTTY(), environ={DELAY_VARIABLE: "soon"})
    assert isinstance(ignored, TerminalProgress) and ignored.delay == 1.0


# ---------------------------------------------------------------- in a log


def test_plain_progress_writes_nothing_for_a_quick_build() -> None:
    stream, clock = io.StringIO(), FakeClock()
    progress = PlainProgress(stream, clock, delay=10)
    progress.stage("rendering", 10, "outputs")
    clock.now += 9
    progress.advance(10)
    progress.done()
    assert stream.getvalue() == ""


def test_plain_progress_writes_a_line_per_stage_once_the_build_is_long() -> None:
    stream, clock = io.StringIO(), FakeClock()
    progress = PlainProgress(stream, clock, delay=10)
    progress.stage("loading", unit="content files")
    clock.now += 1
    progress.advance(10_000)
    progress.stage("rendering", 10_000, "outputs")
    assert stream.getvalue() == ""  # the build is 1 s old: maybe a quick one
    clock.now += 18.2
    progress.advance(10_000)
    progress.stage("writing", unit="files written")
    assert stream.getvalue() == (
        "loading: 10,000 content files in 1.00 s\nrendering: 10,000 outputs in 18.20 s\n"
    )
    progress.advance(10_002)
    progress.done()
    assert stream.getvalue().endswith("writing: 10,002 files written in 0.00 s\n")
    assert "\r" not in stream.getvalue()


# ---------------------------------------------------------------- the build


class Recording(Progress):
    def __init__(self) -> None:
        self.events: list[tuple[str, int | None]] = []
        self.counts: dict[str, int] = {}
        self.ended: bool | None = None

    def stage(self, name: str, total: int | None = None, unit: str = "files") -> None:
        self.events.append((name, total))
        self.counts[name] = 0

    def advance(self, n: int = 1) -> None:
        self.counts[self.events[-1][0]] += n

    def done(self, completed: bool = True) -> None:
        self.ended = completed


def test_the_build_reports_its_stages(tmp_path: Path, bilingual: Path) -> None:
    progress = Recording()
    result = build(BuildOptions(bilingual, tmp_path / "out", progress=progress))
    assert [name for name, _ in progress.events] == [
        "loading",
        "markdown",
        "rendering",
        "copying",
        "writing",
    ]
    totals = dict(progress.events)
    assert totals["markdown"] == progress.counts["markdown"] == len(result.sources)
    assert totals["rendering"] == progress.counts["rendering"] == len(result.rendered)
    assert totals["copying"] == progress.counts["copying"]
    assert progress.counts["loading"] == len(list((bilingual / "content").rglob("*.md")))
    assert progress.counts["writing"] == result.files_written
    assert progress.ended is True


def test_a_failed_build_ends_its_progress(tmp_path: Path) -> None:
    progress = Recording()
    site = write_tree(tmp_path / "site", {"content/index.fr.md": page("T", "{{ x", layout="nope")})
    with pytest.raises(SiteError):
        build(BuildOptions(site, progress=progress))
    assert progress.events and progress.ended is False


def test_progress_is_not_part_of_what_is_built() -> None:
    plain = BuildOptions(Path("site"))
    shown = BuildOptions(Path("site"), progress=PlainProgress(io.StringIO()))
    assert plain == shown and hash(plain) == hash(shown)


# ---------------------------------------------------------------- the command line


def _run(*args: str | Path, **environ: str) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if name != "CI"} | environ
    return subprocess.run(
        [sys.executable, "-m", "sitegen", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def test_piped_build_prints_its_summary_as_before(tmp_path: Path, bilingual: Path) -> None:
    result = _run("build", bilingual, "--output", tmp_path / "out")  # the default delay
    assert result.returncode == 0
    assert re.fullmatch(SUMMARY, result.stdout)
    assert "\r" not in result.stdout + result.stderr
    assert result.stderr == ""


def test_piped_long_build_prints_plain_stage_lines(tmp_path: Path, bilingual: Path) -> None:
    out = tmp_path / "out"
    result = _run("build", bilingual, "--output", out, **{DELAY_VARIABLE: "0"})
    assert result.returncode == 0
    assert re.fullmatch(SUMMARY, result.stdout)
    lines = result.stderr.splitlines()
    stages = ["loading", "markdown", "rendering", "copying", "writing"]
    assert [line.split(":")[0] for line in lines] == stages
    assert all(re.fullmatch(STAGE_LINE, line) for line in lines), lines
    assert "\r" not in result.stderr


def test_quiet_prints_nothing_on_success(
    tmp_path: Path, example_site: Path, bilingual: Path
) -> None:
    result = _run("build", bilingual, "-o", tmp_path / "out", "-q", **{DELAY_VARIABLE: "0"})
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    result = _run("check", example_site, "--now", "2027-11-11T12:00:00+08:00", "--quiet")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_quiet_deploy_prints_nothing_on_success(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    result = _run("deploy", site, tmp_path / "published", "-q", **{DELAY_VARIABLE: "0"})
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert (tmp_path / "published" / "fr" / "index.html").is_file()


def test_quiet_still_prints_problems_and_exits_1(tmp_path: Path, bilingual: Path) -> None:
    result = _run("build", tmp_path, "--quiet")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "no site.yaml here" in result.stderr
    assert "was not built" in result.stderr
    checked = _run("check", bilingual, "-q")  # pages without a description
    assert checked.returncode == 1
    assert checked.stdout == ""
    assert checked.stderr.startswith("error: ")


def test_quiet_and_verbose_do_not_go_together(tmp_path: Path) -> None:
    assert run_sitegen("build", tmp_path, "-q", "-v").returncode == 2


def test_verbose_prints_each_stage_with_its_count_and_time(tmp_path: Path, bilingual: Path) -> None:
    result = _run("build", bilingual, "--output", tmp_path / "out", "--verbose")
    assert result.returncode == 0
    assert re.fullmatch(SUMMARY, result.stdout)
    lines = result.stderr.splitlines()
    assert all(re.fullmatch(STAGE_LINE, line) for line in lines), lines
    assert lines[2].startswith("rendering: 16 outputs in ")
    assert lines[4].startswith("writing: 18 files written in ")


def test_a_build_on_a_terminal_draws_the_bar_then_the_summary(tmp_path: Path) -> None:
    """End to end, through a pseudo-terminal: SITEGEN_PROGRESS_DELAY=0 shows the bar at
    once, so that the test does not depend on how fast the machine builds."""
    site = copy_example(tmp_path / "site")
    controller, terminal = pty.openpty()
    environ = {**os.environ, "TERM": "xterm", DELAY_VARIABLE: "0"}
    environ.pop("CI", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "build", str(site)],
        stdout=subprocess.PIPE,
        stderr=terminal,
        env=environ,
    )
    os.close(terminal)
    drawn = b""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if select.select([controller], [], [], 1)[0]:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the other end closed (Linux)
                break
            if not chunk:
                break
            drawn += chunk
        elif process.poll() is not None:
            break
    os.close(controller)
    stdout, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    text = drawn.decode("utf-8")
    assert "\n" not in text
    bars = [line for line in _redraws(text) if line.startswith("rendering ▕")]
    assert bars, text
    assert re.fullmatch(r"rendering ▕[█░]{24}▏ \d+/96 outputs  \d+\.\d s", bars[0])
    assert text.endswith("\r") and text.split("\r")[-2].strip() == ""  # cleared
    assert re.fullmatch(
        r"Built 86 pages \(43 fr, 43 en\), \d+ files written to \S+ in \d+\.\d\d s\.\n",
        stdout.decode(),
    )
