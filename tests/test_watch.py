"""The file watcher of `sitegen serve`: every kind of change seen, bursts made one."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from sitegen.commands.serve import is_site_input
from sitegen.commands.watch import Watcher, is_editor_file


class Seen:
    def __init__(self) -> None:
        self.bursts: list[set[Path]] = []
        self.last_handed_on = 0
        """How many bursts the last `next_burst` gathered (one, for one burst of changes)."""
        self.changes = 0
        self._arrived = threading.Event()

    def change(self) -> None:
        self.changes += 1

    def settled(self, paths: set[Path]) -> None:
        self.bursts.append(paths)
        self._arrived.set()

    def next_burst(self, timeout: float = 5.0) -> set[Path]:
        assert self._arrived.wait(timeout), "no change was reported"
        self._arrived.clear()
        time.sleep(0.2)  # anything else that would (wrongly) come
        burst = set().union(*self.bursts)
        self.last_handed_on = len(self.bursts)
        self.bursts.clear()
        return burst


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "index.md").write_text("---\ntitle: Home\n---\n", "utf-8")
    (tmp_path / "output").mkdir()
    return tmp_path.resolve()


@pytest.fixture
def seen(site: Path) -> Iterator[Seen]:
    seen = Seen()
    watcher = Watcher(
        [site],
        partial(is_site_input, site),
        seen.change,
        seen.settled,
    )
    watcher.start()
    time.sleep(0.1)
    yield seen
    watcher.stop()


def test_a_save_is_seen(site: Path, seen: Seen) -> None:
    (site / "content" / "index.md").write_text("---\ntitle: Home!\n---\n", "utf-8")
    assert site / "content" / "index.md" in seen.next_burst()
    assert seen.changes >= 1


def test_created_deleted_and_renamed_files_are_seen(site: Path, seen: Seen) -> None:
    new = site / "content" / "new.md"
    new.write_text("---\ntitle: New\n---\n", "utf-8")
    assert new in seen.next_burst()
    renamed = site / "content" / "renamed.md"
    new.rename(renamed)
    assert {new, renamed} <= seen.next_burst()
    renamed.unlink()
    assert renamed in seen.next_burst()


def test_a_folder_renamed_is_seen(site: Path, seen: Seen) -> None:
    (site / "content" / "news").mkdir()
    (site / "content" / "news" / "a.md").write_text("---\ntitle: A\n---\n", "utf-8")
    seen.next_burst()
    (site / "content" / "news").rename(site / "content" / "stories")
    assert site / "content" / "stories" in seen.next_burst()


def test_an_editor_writing_a_temporary_file_then_renaming_it_is_seen(
    site: Path, seen: Seen
) -> None:
    target = site / "content" / "index.md"
    temporary = site / "content" / ".index.md.swp"
    temporary.write_text("---\ntitle: Saved by an editor\n---\n", "utf-8")
    os.replace(temporary, target)
    burst = seen.next_burst()
    assert target in burst
    assert temporary not in burst


def test_a_burst_of_changes_is_handed_on_once(site: Path, seen: Seen) -> None:
    for number in range(30):
        (site / "content" / f"page-{number}.md").write_text(f"---\ntitle: {number}\n---\n")
    burst = seen.next_burst()
    assert len(burst) == 30
    assert seen.last_handed_on == 1  # nothing came after the one burst


def test_changes_outside_the_inputs_and_editor_files_are_ignored(site: Path, seen: Seen) -> None:
    (site / "output" / "index.html").write_text("built", "utf-8")
    (site / "content" / "index.md~").write_text("backup", "utf-8")
    (site / "content" / ".#index.md").write_text("lock", "utf-8")
    time.sleep(0.3)
    assert seen.bursts == [] and seen.changes == 0


@pytest.mark.parametrize(
    ("name", "ignored"),
    [
        ("index.md", False),
        ("site.css", False),
        ("index.md~", True),
        (".index.md.swp", True),
        (".#index.md", True),
        ("4913", True),
        ("page.md.sitegen-tmp", True),
    ],
)
def test_editor_files(name: str, ignored: bool) -> None:
    assert is_editor_file(name) is ignored


def test_only_the_site_inputs_matter(site: Path) -> None:
    for relative in (
        "site.yaml",
        "content/a.md",
        "data/x.csv",
        "templates/page.html",
        "static/css/a.css",
        "i18n/fr/LC_MESSAGES/messages.po",
        "themes/t/x.html",
    ):
        assert is_site_input(site, site / relative), relative
    for relative in ("output/index.html", "README.md", ".git/index", "notes/todo.md", ""):
        assert not is_site_input(site, site / relative), relative
    assert is_site_input(site, Path("/elsewhere/bundled/theme/base.html"))  # a watched theme
