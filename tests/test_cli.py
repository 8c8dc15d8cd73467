"""The command line: exit codes 0 / 1 / 2, help on every command, a readable summary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitegen import __version__
from sitegen.commands import cli, cli_build
from sitegen.output.inplace import UpdateFinished
from tests.conftest import run_sitegen


def test_version() -> None:
    result = run_sitegen("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"sitegen {__version__}"


def test_help_on_every_command() -> None:
    for args in (["--help"], ["build", "--help"]):
        result = run_sitegen(*args)
        assert result.returncode == 0
        assert "usage: sitegen" in result.stdout
    assert "--drafts" in run_sitegen("build", "--help").stdout


def test_wrong_usage_exits_2() -> None:
    assert run_sitegen().returncode == 2
    assert run_sitegen("fly").returncode == 2
    assert run_sitegen("build", "--unknown").returncode == 2
    result = run_sitegen("build", "--now", "next tuesday")
    assert result.returncode == 2
    assert "is not an ISO 8601 date-time" in result.stderr


def test_not_a_site_exits_1_with_a_hint(tmp_path) -> None:
    result = run_sitegen("build", tmp_path)
    assert result.returncode == 1
    assert "no site.yaml here" in result.stderr
    assert "hint:" in result.stderr
    assert "Traceback" not in result.stderr


def test_summary_counts_pages_per_language_files_and_time(tmp_path, bilingual: Path) -> None:
    result = run_sitegen("build", bilingual, "--output", tmp_path / "out")
    assert result.returncode == 0
    assert re.fullmatch(
        r"Built 6 pages \(3 fr, 3 en \(1 fallback\)\), 18 files written to \S+ in \d+\.\d\d s\.\n",
        result.stdout,
    )


def test_now_without_offset_is_read_in_the_site_time_zone(tmp_path) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.yaml").write_text(
        "title: T\nbase_url: https://x.org/\nlanguages: [fr]\ntimezone: Asia/Shanghai\n"
    )
    (site / "content" / "index.md").write_text("---\ntitle: T\npublish: 2026-11-11\n---\n")
    (site / "templates").mkdir()
    (site / "templates" / "home.html").write_text("{{ now.isoformat() }}")
    assert run_sitegen("build", site, "--now", "2026-11-11T00:00").returncode == 0
    assert (site / "output" / "fr" / "index.html").read_text() == "2026-11-11T00:00:00+08:00"


@pytest.mark.parametrize(
    ("interruption", "said"),
    [
        (KeyboardInterrupt, "the previous output was left as it was"),
        (UpdateFinished, "the moves were finished: the output holds the new site"),
    ],
)
def test_ctrl_c_says_which_site_the_output_holds(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    interruption: type[KeyboardInterrupt],
    said: str,
    minimal: Path,
) -> None:
    """Stopped before an in-place update moves its files in, the output is the
    previous site; stopped while it moves them, the moves are finished (the output
    module's tests show both), and the output is the new one."""

    def interrupted(options: object) -> None:
        raise interruption

    monkeypatch.setattr(cli_build, "build", interrupted)
    assert cli.main(["build", str(minimal), "--output", str(tmp_path / "out")]) == 130
    assert said in capsys.readouterr().err
