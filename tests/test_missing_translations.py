"""The bundled example without the English version of one page, in the three modes of
`missing_translation`, and what `sitegen i18n status` says about it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import copy_example, parse_html, run_sitegen


@pytest.fixture
def example_without_english_join(tmp_path: Path) -> Path:
    site = copy_example(tmp_path / "site")
    (site / "content" / "join.en.md").unlink()
    return site


def set_mode(site: Path, mode: str) -> None:
    config = site / "site.yaml"
    config.write_text(config.read_text("utf-8") + f"\nmissing_translation: {mode}\n", "utf-8")


def french_join_url(site: Path) -> str:
    text = (site / "content" / "join.fr.md").read_text("utf-8")
    slug = next(
        line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("slug:")
    )
    return slug


def test_fallback_publishes_the_french_page_at_an_english_url(
    example_without_english_join: Path,
) -> None:
    site = example_without_english_join
    result = run_sitegen("build", site)
    assert result.returncode == 0, result.stderr
    assert "(1 fallback)" in result.stdout
    slug = french_join_url(site)
    page = parse_html(site / "output" / "en" / slug / "index.html")
    assert page.html["lang"] == "en"
    assert page.find("h1")["lang"] == "fr"
    assert page.find(class_="fallback-notice") is not None
    canonical = page.find("link", rel="canonical")["href"]
    assert canonical == f"https://double11.example.com/fr/{slug}/"
    # the French page's switcher leads to the fallback; its alternates do not list it
    french = parse_html(site / "output" / "fr" / slug / "index.html")
    assert french.find("a", hreflang="en")["href"] == f"/en/{slug}/"
    hreflangs = {
        link["hreflang"] for link in french.find_all("link", rel="alternate", hreflang=True)
    }
    assert hreflangs == {"fr", "x-default"}


def test_omit_publishes_nothing_and_the_switcher_leads_home(
    example_without_english_join: Path,
) -> None:
    site = example_without_english_join
    set_mode(site, "omit")
    result = run_sitegen("build", site)
    assert result.returncode == 0, result.stderr
    slug = french_join_url(site)
    assert not (site / "output" / "en" / slug).exists()
    french = parse_html(site / "output" / "fr" / slug / "index.html")
    assert french.find("a", hreflang="en")["href"] == "/en/"


def test_error_stops_the_build_listing_the_missing_page(
    example_without_english_join: Path,
) -> None:
    site = example_without_english_join
    set_mode(site, "error")
    result = run_sitegen("build", site, cwd=site)
    assert result.returncode == 1
    assert "error: content/join.fr.md: this page has no English ('en') version" in result.stderr
    assert "content/join.en.md" in result.stderr
    assert not (site / "output").exists()


def test_status_reports_the_page_and_gates_on_min(example_without_english_join: Path) -> None:
    site = example_without_english_join
    result = run_sitegen("i18n", "status", site, "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert "join" in json.dumps(report["languages"]["en"]["pages"]["missing"])
    assert "join" not in json.dumps(report["languages"]["fr"]["pages"]["missing"])
    text = run_sitegen("i18n", "status", site)
    assert "content/join.en.md" in text.stdout
    assert run_sitegen("i18n", "status", site, "--min", "100").returncode == 1
