"""End-to-end: build the fixture sites with the real CLI and read the HTML with a parser."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import parse_html, run_sitegen, snapshot


def test_minimal_site(copy_site) -> None:
    site = copy_site("minimal")
    result = run_sitegen("build", site)
    assert result.returncode == 0, result.stderr
    output = site / "output"
    home = parse_html(output / "en" / "index.html")
    assert home.html["lang"] == "en"
    assert home.h1.get_text() == "Welcome"
    assert home.find("a", string="the about page")["href"] == "/en/about/"
    assert (output / "en" / "about" / "index.html").is_file()
    assert (output / "index.html").is_file()
    assert "Built 2 pages (2 en)" in result.stdout


def test_bilingual_site(copy_site) -> None:
    site = copy_site("bilingual")
    assert run_sitegen("build", site).returncode == 0
    output = site / "output"
    french = parse_html(output / "fr" / "index.html")
    english = parse_html(output / "en" / "index.html")
    assert french.html["lang"] == "fr"
    assert english.html["lang"] == "en"
    # the switcher and hreflang alternates lead to the same page in the other language
    assert french.find("nav").find("a", hreflang="en")["href"] == "/en/"
    assert english.find("nav").find("a", hreflang="fr")["href"] == "/fr/"
    assert french.find("link", rel="alternate", hreflang="en")["href"] == "https://example.org/en/"
    # x-default of the homes is the root chooser, which lists the same alternates
    assert french.find("link", rel="alternate", hreflang="x-default")["href"] == (
        "https://example.org/"
    )
    assert english.find("link", rel="alternate", hreflang="fr")["href"] == "https://example.org/fr/"
    # links to .md files resolve in the page's own language, fragments kept
    assert french.find("a", string="l'article")["href"] == "/fr/l-article/#chiffres"
    assert english.find("a", string="the article")["href"] == "/en/article/#figures"
    # localized CSV fields, default-language fallback, prices through Babel
    items = [li.get_text() for li in french.select("ul.products li")]
    assert items == ["Sac — 89,90\u00a0€", "Montre — 1\u202f299,00\u00a0€"]
    items = [li.get_text() for li in english.select("ul.products li")]
    assert items == ["Bag — €89.90", "Montre — €1,299.00"]
    # a page without translation: the French text is published at the English URL,
    # marked as French, with its canonical URL the French original's
    about = parse_html(output / "fr" / "about" / "index.html")
    assert about.find("nav").find("a", hreflang="en")["href"] == "/en/about/"
    fallback = parse_html(output / "en" / "about" / "index.html")
    assert fallback.html["lang"] == "en"
    assert fallback.main["lang"] == "fr"
    assert fallback.find("p", class_="fallback") is not None
    assert fallback.find("link", rel="canonical")["href"] == "https://example.org/fr/about/"
    alternates = {
        link["hreflang"]: link["href"] for link in about.find_all("link", rel="alternate")
    }
    assert alternates == {"fr": "https://example.org/fr/about/", "x-default": alternates["fr"]}
    # the French article lives at its localized slug and formats its date in French
    article = parse_html(output / "fr" / "l-article" / "index.html")
    assert article.time.get_text() == "10\u00a0novembre 2020"  # French typography ties them
    assert article.time["datetime"] == "2020-11-10T00:00:00+01:00"
    assert article.find("p", class_="lead") is not None
    assert article.find("section", class_="footnotes") is not None


def test_theme_chain_overrides_and_catalogs(copy_site) -> None:
    site = copy_site("themed")
    assert run_sitegen("build", site).returncode == 0
    output = site / "output"
    story_fr = parse_html(output / "fr" / "story" / "index.html")
    # the site's page.html extends the theme's through "theme:page.html"
    assert story_fr.select_one("div.site-override h1.from-base").get_text() == "Histoire"
    # a per-language partial is chosen for French pages only
    assert story_fr.select_one("small.legal").get_text() == "Mentions légales"
    # the site's catalog wins over the theme's; theme strings still translate
    assert story_fr.select_one("p.more").get_text() == "En savoir plus"
    assert story_fr.footer.get_text().startswith("Fait avec sitegen")
    home_en = parse_html(output / "en" / "index.html")
    # the child theme's home extends its parent's by naming the parent theme
    assert home_en.select_one("div.child-home h1.base-home").get_text() == "Home"
    assert home_en.select_one("small.legal").get_text() == "Legal notice"
    assert home_en.select_one("p.more").get_text() == "Read more"
    # static files: child theme over parent, site over theme; base path in every URL
    assert (output / "css" / "site.css").read_text() == "/* child */\n"
    assert "<title>site</title>" in (output / "img" / "logo.svg").read_text()
    # asset(): the child's stylesheet, minified (to nothing) under a hashed name
    href = home_en.find("link", rel="stylesheet")["href"]
    assert re.fullmatch(r"/campaign/_assets/css/site\.[0-9a-f]{10}\.css", href), href
    assert (output / href.removeprefix("/campaign/")).read_text() == ""


INVALID = {
    "front-matter-yaml": ("content/about.md:3:21", "invalid YAML"),
    "site-yaml": ("site.yaml:4:9", "invalid YAML"),
    "data-yaml": ("data/products.yaml:4:1", "invalid YAML"),
    "jinja-syntax": ("templates/page.html:5", "template syntax error"),
    "undefined-variable": ("templates/page.html:4", "has no attribute 'subtitle'"),
    "url-clash": ("content/story.md:3", "would both be written to /en/about/"),
    "missing-link": ("content/about.md:6:18", "points to a page that does not exist"),
    "unknown-setting": ("site.yaml:5", "unknown setting 'langauges'"),
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_site_reports_place_and_keeps_output(name: str, copy_site, tmp_path: Path) -> None:
    output = tmp_path / "public"
    assert run_sitegen("build", copy_site("minimal"), "--output", output).returncode == 0
    before = snapshot(output)

    site = copy_site(f"invalid/{name}")
    result = run_sitegen("build", site, "--output", output, cwd=site)

    place, message = INVALID[name]
    assert result.returncode == 1
    assert f"error: {place}: " in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(output) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".sitegen")) == []


def test_two_builds_are_byte_identical(copy_site, tmp_path: Path) -> None:
    site = copy_site("bilingual")
    now = "2026-11-28T10:00:00+01:00"
    assert run_sitegen("build", site, "-o", tmp_path / "a", "--now", now).returncode == 0
    assert run_sitegen("build", site, "-o", tmp_path / "b", "--now", now).returncode == 0
    first = snapshot(tmp_path / "a")
    assert first == snapshot(tmp_path / "b")
    assert run_sitegen("build", site, "-o", tmp_path / "a", "--now", now).returncode == 0
    assert snapshot(tmp_path / "a") == first


def test_builds_with_the_same_source_date_epoch_are_byte_identical(
    copy_site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --now the clock decides what is published, but no file holds the
    clock: the one time written that no content gives (a feed without dated pages)
    is SOURCE_DATE_EPOCH."""
    site = copy_site("minimal")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert run_sitegen("build", site, "-o", tmp_path / "a").returncode == 0
    time.sleep(1.1)  # a clock that leaked into a file would now read another second
    assert run_sitegen("build", site, "-o", tmp_path / "b").returncode == 0
    first = snapshot(tmp_path / "a")
    assert first == snapshot(tmp_path / "b")
    assert b"<updated>2023-11-14T22:13:20+00:00</updated>" in first["en/feed.xml"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = run_sitegen("build", site, "-o", tmp_path / "a")
    assert result.returncode == 1
    assert "SOURCE_DATE_EPOCH='yesterday' is not a number of seconds" in result.stderr
    assert snapshot(tmp_path / "a") == first


def test_stale_files_are_removed(copy_site) -> None:
    site = copy_site("minimal")
    assert run_sitegen("build", site).returncode == 0
    assert (site / "output" / "en" / "about" / "index.html").is_file()
    (site / "content" / "about.md").unlink()
    (site / "content" / "index.md").write_text("---\ntitle: Welcome\n---\nNo links.\n")
    assert run_sitegen("build", site).returncode == 0
    assert not (site / "output" / "en" / "about").exists()


def test_visibility_follows_now_and_flags(copy_site) -> None:
    site = copy_site("minimal")
    content = site / "content"
    (content / "draft.md").write_text("---\ntitle: Draft\ndraft: true\n---\n")
    (content / "later.md").write_text("---\ntitle: Later\npublish: 2026-11-11\n---\n")
    (content / "gone.md").write_text("---\ntitle: Gone\nexpires: 2026-11-12 00:00\n---\n")
    output = site / "output" / "en"

    def built(*flags: str) -> set[str]:
        result = run_sitegen("build", site, *flags)
        assert result.returncode == 0, result.stderr
        return {p.parent.name for p in output.rglob("index.html")} - {"en"}

    assert built("--now", "2026-11-10T23:59") == {"about", "gone"}
    assert built("--now", "2026-11-11T00:00") == {"about", "gone", "later"}
    # expires is read in the site's time zone (UTC here): gone at midnight
    assert built("--now", "2026-11-12T00:00:00+00:00") == {"about", "later"}
    assert built("--now", "2026-11-10", "--drafts", "--future") == {
        "about",
        "draft",
        "gone",
        "later",
    }


def test_output_folder_safety(copy_site, tmp_path: Path) -> None:
    site = copy_site("minimal")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "precious.txt").write_text("keep me")
    for output, words in [
        (site, "is the site folder or contains it"),
        (site.parent, "is the site folder or contains it"),
        (site / "content" / "out", "inside content/"),
        (foreign, "sitegen did not create it"),
    ]:
        result = run_sitegen("build", site, "--output", output)
        assert result.returncode == 1, output
        assert words in result.stderr
    assert (foreign / "precious.txt").read_text() == "keep me"
    assert sorted(p.name for p in (site / "content").iterdir()) == ["about.md", "index.md"]


def _many_pages(site: Path, count: int, text: str) -> None:
    for number in range(count):
        (site / "content" / f"page-{number:05d}.md").write_text(
            f"---\ntitle: Page {number}\n---\n{text} {number}\n\n" + "Some words. " * 100
        )


@pytest.mark.no_cover  # builds again and again: see conftest.py
def test_killed_build_leaves_previous_output_whole(copy_site) -> None:
    site = copy_site("minimal")
    _many_pages(site, 3000, "First")
    assert run_sitegen("build", site).returncode == 0
    before = snapshot(site / "output")
    _many_pages(site, 3000, "Second")

    # kill while loading (no staging folder yet), early in writing, and late in writing
    for delay_files in (0, 1, 2500):
        process = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "build", str(site)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            staging = list(site.glob(".sitegen-staging-*/en"))
            if delay_files == 0 and time.monotonic() > deadline - 119.8:
                break
            if staging and sum(1 for _ in staging[0].iterdir()) >= delay_files > 0:
                break
            time.sleep(0.005)
        assert process.poll() is None, "the build finished before it could be interrupted"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert snapshot(site / "output") == before

    # the next build cleans what the killed ones left and succeeds
    assert run_sitegen("build", site).returncode == 0
    assert b"Second 7" in (site / "output" / "en" / "page-00007" / "index.html").read_bytes()
    assert list(site.glob(".sitegen-staging-*")) == []
