"""Shared helpers: run the real CLI, snapshot output folders, parse HTML with a real parser."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[1]
SITES = Path(__file__).resolve().parent / "sites"


def run_sitegen(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m sitegen ...` as a user would, capturing what it prints."""
    return subprocess.run(
        [sys.executable, "-m", "sitegen", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes, to compare whole output folders."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def parse_html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


@pytest.fixture
def copy_site(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Copy a fixture site (by its path below tests/sites) into a scratch folder."""

    def copy(name: str) -> Path:
        target = tmp_path / name.replace("/", "-")
        shutil.copytree(SITES / name, target)
        return target

    return copy


BILINGUAL_CONFIG = """\
title: {fr: Site, en: Site}
base_url: https://example.org/
languages: [fr, en]
timezone: Europe/Paris
"""


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write `files` (relative path → text) below `root`; a site.yaml is added if missing."""
    files = {"site.yaml": BILINGUAL_CONFIG, **files}
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def page(title: str, body: str = "", **front: str) -> str:
    """A Markdown file with front matter."""
    lines = [f"title: {title}", *(f"{key}: {value}" for key, value in front.items())]
    return "---\n" + "\n".join(lines) + "\n---\n" + body
