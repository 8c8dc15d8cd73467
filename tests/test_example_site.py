"""The bundled Double 11 example at the repository root, built as a user would build it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.conftest import (
    REPO,
    assert_legal_pages_in_every_footer,
    broken_links,
    hreflang_problems,
    parse_html,
    run_sitegen,
    snapshot,
)

BEFORE_THE_EVENT = "2026-11-01T12:00:00+01:00"


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory, example_site: Path) -> Path:
    folder = tmp_path_factory.mktemp("example") / "output"
    result = run_sitegen("build", example_site, "--output", folder, "--now", BEFORE_THE_EVENT)
    assert result.returncode == 0, result.stderr
    return folder


def html_pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def explainer_path(output: Path, lang: str) -> Path:
    text = (REPO / "content" / f"explainer.{lang}.md").read_text("utf-8")
    front = yaml.safe_load(text.split("---")[1])
    return output / lang / front.get("slug", "explainer") / "index.html"


def test_homes_are_in_their_language_and_link_to_each_other(output: Path) -> None:
    french = parse_html(output / "fr" / "index.html")
    english = parse_html(output / "en" / "index.html")
    assert french.html["lang"] == "fr"
    assert english.html["lang"] == "en"
    assert french.find("a", hreflang="en", href="/en/") is not None
    assert english.find("a", hreflang="fr", href="/fr/") is not None
    assert french.find("link", rel="alternate", hreflang="en")["href"].endswith("/en/")
    assert english.find("link", rel="alternate", hreflang="fr")["href"].endswith("/fr/")


def test_explainer_exists_in_both_languages_with_the_right_figures(output: Path) -> None:
    french = parse_html(explainer_path(output, "fr"))
    english = parse_html(explainer_path(output, "en"))
    french_text = french.find("main").get_text(" ")
    english_text = english.find("main").get_text(" ")
    assert re.search(r"268,4\s*milliards", french_text)
    assert re.search(r"34,74\s*milliards", french_text)
    assert re.search(r"268\.4\s*billion", english_text)
    assert re.search(r"34\.74\s*billion", english_text)
    assert "200" in french_text and "200" in english_text
    assert "Badault" in french_text and "Badault" in english_text
    # each links to the other, through the switcher and the hreflang alternates
    english_url = "/" + explainer_path(output, "en").parent.relative_to(output).as_posix() + "/"
    french_url = "/" + explainer_path(output, "fr").parent.relative_to(output).as_posix() + "/"
    assert french.find("a", hreflang="en", href=english_url) is not None
    assert english.find("a", hreflang="fr", href=french_url) is not None
    assert french.find("link", rel="alternate", hreflang="en")["href"].endswith(english_url)
    assert english.find("link", rel="alternate", hreflang="fr")["href"].endswith(french_url)


def test_every_page_is_accessible_in_its_language(output: Path) -> None:
    for path in html_pages(output):
        soup = parse_html(path)
        relative = path.relative_to(output)
        if relative.parts[0] in ("fr", "en"):
            assert soup.html["lang"] == relative.parts[0], relative
        assert soup.title and soup.title.get_text().strip(), relative
        assert soup.find("meta", attrs={"name": "viewport"}), relative
        for image in soup.find_all("img"):
            assert image.has_attr("alt"), (relative, image)
        if relative.parts[0] in ("fr", "en"):
            assert soup.find("main") is not None, relative
            assert len(soup.find_all("h1")) == 1, relative


def test_no_external_requests(output: Path) -> None:
    for path in html_pages(output):
        soup = parse_html(path)
        for tag in soup.find_all(src=True):
            assert not re.match(r"^(https?:)?//", tag["src"]), (path, tag)
        for tag in soup.find_all("link", href=True):
            if {"alternate", "canonical"} & set(tag.get("rel", [])):
                continue
            assert not re.match(r"^(https?:)?//", tag["href"]), (path, tag)
    for stylesheet in output.rglob("*.css"):
        css = stylesheet.read_text("utf-8")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css), stylesheet
        assert "@import" not in css, stylesheet


def test_campaign_content(output: Path) -> None:
    merchants = yaml.safe_load((REPO / "data" / "merchants.yaml").read_text("utf-8"))
    assert len(merchants) >= 6
    assert {m["category"] for m in merchants} >= {"fashion", "cosmetics", "home", "sport"}
    products = (REPO / "data" / "products.csv").read_text("utf-8").strip().splitlines()
    assert len(products) - 1 >= 24
    home = parse_html(output / "fr" / "index.html")
    prices = home.find_all(string=re.compile(r"\d,\d\d\u00a0€"))
    assert prices, "the product grid shows prices the French way"
    english = parse_html(output / "en" / "index.html")
    assert english.find_all(string=re.compile(r"€\d[\d,]*\.\d\d"))
    countdown = home.find("time", datetime=True)
    assert countdown is not None


def test_root_page_and_static_files(output: Path) -> None:
    root = parse_html(output / "index.html")
    hrefs = {a["href"] for a in root.find_all("a", href=True)}
    assert {"/fr/", "/en/"} <= hrefs
    assert list(output.rglob("*.css")), "the theme's stylesheet is copied"


def test_building_twice_gives_identical_output(
    output: Path, tmp_path: Path, example_site: Path
) -> None:
    again = tmp_path / "again"
    result = run_sitegen("build", example_site, "--output", again, "--now", BEFORE_THE_EVENT)
    assert result.returncode == 0
    assert snapshot(again) == snapshot(output)


def test_the_html_parses_without_stray_markup(output: Path) -> None:
    for path in html_pages(output):
        text = path.read_text("utf-8")
        assert "{{" not in text and "{%" not in text, path
        assert BeautifulSoup(text, "html.parser").find("body") is not None, path


def test_hreflang_alternates_are_real_and_reciprocal(output: Path) -> None:
    assert hreflang_problems(output, "https://double11.example.com/") == []


def test_internal_links_lead_to_built_files(output: Path) -> None:
    assert broken_links(output) == []


def test_stats_follow_each_language(output: Path) -> None:
    french = parse_html(output / "fr" / "index.html").find("main").get_text(" ")
    english = parse_html(output / "en" / "index.html").find("main").get_text(" ")
    assert "268,4\u00a0Md\u00a0CNY" in french
    assert "CN¥268.4bn" in english


def test_the_example_is_completely_translated() -> None:
    result = run_sitegen("i18n", "status", REPO, "--min", "100")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "not stamped" not in result.stdout


def test_the_legal_notice_and_privacy_policy_are_in_every_footer(output: Path) -> None:
    assert_legal_pages_in_every_footer(output)
    notice = parse_html(output / "fr" / "mentions-legales" / "index.html").get_text(" ")
    assert (
        "Éditeur" in notice and "Hébergeur" in notice and "Directrice de la publication" in notice
    )
    privacy = parse_html(output / "en" / "privacy" / "index.html").get_text(" ")
    assert "GDPR" in privacy and "CNIL" in privacy and "no cookie" in privacy


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_explainers_footnotes_come_last(output: Path, lang: str) -> None:
    """After the timeline and the sources, not between the text and them."""
    main = parse_html(explainer_path(output, lang)).find("main")
    parts = [
        element["class"][0]
        for element in main.find_all(class_=["article__body", "timeline", "sources", "footnotes"])
    ]
    assert parts == ["prose", "timeline", "sources", "footnotes"], parts
    notes = main.select_one(".footnotes")
    body = main.select_one(".article__body")
    assert body.select_one(".footnotes") is None
    for reference in body.select("a[href^='#fn']"):  # each call leads to its note
        assert notes.find(id=reference["href"][1:]) is not None, reference


def test_typography_follows_the_language_of_the_text(output: Path) -> None:
    """The French source's title on the English explainer gets French spaces, and the
    English explainer's title on the French one keeps English spacing (issue 20)."""
    english = parse_html(explainer_path(output, "en"))
    french_title = english.select_one("cite[lang='fr']")
    assert french_title is not None and "\u202f»" in french_title.get_text()
    french = parse_html(explainer_path(output, "fr"))
    english_titles = [
        cite.get_text() for cite in french.select("[lang='en'] cite, cite[lang='en']")
    ]
    assert english_titles and all("\u202f" not in title for title in english_titles)
    assert any(":" in title for title in english_titles)
