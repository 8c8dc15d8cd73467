"""Long listings split into pages: where the further pages are, which layouts get them,
and, on a catalogue built with the bundled theme, that every page of every listing is
reachable by its links, localized, translated and in the sitemap."""

from __future__ import annotations

import datetime as dt
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sitegen.base.errors import SiteError
from sitegen.building.buildcontract import BuildOptions
from sitegen.building.pipeline import build
from sitegen.building.preparation import prepare
from sitegen.model.site import Site
from sitegen.settings.config import load_config
from tests.conftest import catalogue, page, parse_html, write_tree

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PRODUCTS = 60
PER_PAGE = 8


def _site(root: Path, files: dict[str, str]) -> Site:
    write_tree(root, files)
    site, _ = prepare(load_config(root), BuildOptions(site_root=root), NOW)
    return site


def _news(count: int, section: str) -> dict[str, str]:
    files = {
        "site.yaml": "title: News\nbase_url: https://news.example/\nlanguages: [en, fr]\n"
        "timezone: UTC\npagination: {per_page: 10, path: {en: page, fr: p}}\n",
        "content/index.en.md": page("Home"),
        "content/news/index.en.md": page("News"),
        "content/news/index.fr.md": page("Actualités", slug="actualites"),
        "templates/home.html": "{{ page.title }}",
        "templates/page.html": "{{ page.title }}",
        "templates/section.html": section,
    }
    for number in range(count):
        files[f"content/news/story-{number:03}.en.md"] = page(
            f"Story {number}", date=f"2026-11-{number % 28 + 1:02}"
        )
    return files


def test_a_layout_that_shows_a_pager_gets_a_page_for_each_part_of_its_listing(
    tmp_path: Path,
) -> None:
    site = _site(tmp_path, _news(25, "{% for p in pager.entries %}{{ p.title }}{% endfor %}"))
    pages = {page.url: page for page in site.pages}
    for lang, section, segment in (("en", "news", "page"), ("fr", "actualites", "p")):
        assert f"/{lang}/{section}/" in pages
        assert f"/{lang}/{section}/{segment}/2/" in pages
        assert f"/{lang}/{section}/{segment}/3/" in pages
        assert f"/{lang}/{section}/{segment}/4/" not in pages
        third = pages[f"/{lang}/{section}/{segment}/3/"]
        assert third.number == 3 and third.output_path.endswith(f"{segment}/3/index.html")
        assert site.paging(third) == site.paging(third).__class__(3, 3, 10, 25)
        # page 3 in English and in French are versions of each other
        assert set(site.versions(third)) == {"en", "fr"}


def test_a_layout_that_shows_no_pager_keeps_one_page(tmp_path: Path) -> None:
    site = _site(tmp_path, _news(25, "{% for p in page.children %}{{ p.title }}{% endfor %}"))
    assert [page.url for page in site.pages if page.number > 1] == []


def test_a_pager_read_by_an_included_template_counts(tmp_path: Path) -> None:
    files = _news(25, '{% extends "base.html" %}')
    files["templates/base.html"] = '{% include "parts/list.html" %}'
    files["templates/parts/list.html"] = "{{ pager.number }} of {{ pager.count }}"
    site = _site(tmp_path, files)
    assert any(page.url == "/en/news/page/3/" for page in site.pages)


def test_per_page_from_front_matter_wins_and_a_wrong_one_is_an_error(tmp_path: Path) -> None:
    files = _news(25, "{{ pager.number }}")
    files["content/news/index.en.md"] = page("News", per_page="5")
    site = _site(tmp_path, files)
    assert max(page.number for page in site.pages if page.lang == "en") == 5
    files["content/news/index.en.md"] = page("News", per_page="none")
    with pytest.raises(SiteError) as error:
        _site(tmp_path / "wrong", files)
    (problem,) = error.value.problems
    assert problem.path == tmp_path / "wrong" / "content/news/index.en.md"
    assert problem.line == 3
    assert problem.message == "'per_page' must be a whole number of at least 1, not 'none'"


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shop")
    site = write_tree(root / "site", catalogue(PRODUCTS, per_page=PER_PAGE))
    output = root / "output"
    build(BuildOptions(site_root=site, output=output, now=NOW, jobs=1))
    return output


def _walk(output: Path, first: str) -> list[str]:
    """The URLs met by following a listing's "next" links from its first page."""
    seen = [first]
    while True:
        soup = parse_html(output / seen[-1].lstrip("/") / "index.html")
        following = soup.select_one("nav.pager a[rel=next]")
        if following is None:
            return seen
        assert following["href"] not in seen
        seen.append(following["href"])


LISTINGS = [
    # (French first page, English first page, entries listed)
    ("/fr/produits/", "/en/products/", PRODUCTS),
    ("/fr/categories/fashion/", "/en/categories/fashion/", PRODUCTS // 2),
    ("/fr/marchands/m0003/", "/en/merchants/m0003/", 10),
]


@pytest.mark.parametrize(("fr", "en", "entries"), LISTINGS)
def test_every_page_of_a_listing_is_reachable_localized_and_translated(
    shop: Path, fr: str, en: str, entries: int
) -> None:
    count = math.ceil(entries / PER_PAGE)
    french, english = _walk(shop, fr), _walk(shop, en)
    assert len(french) == len(english) == count
    shown = []
    for number, (fr_url, en_url) in enumerate(zip(french, english, strict=True), start=1):
        if number > 1:
            assert fr_url == f"{fr}page/{number}/" and en_url == f"{en}page/{number}/"
        soup = parse_html(shop / fr_url.lstrip("/") / "index.html")
        assert soup.html["lang"] == "fr"
        assert soup.find("link", rel="canonical")["href"] == "https://shop.example" + fr_url
        alternates = {
            link["hreflang"]: link["href"]
            for link in soup.find_all("link", rel="alternate")
            if link.get("hreflang")
        }
        assert alternates["en"] == "https://shop.example" + en_url
        current = soup.select_one("nav.pager a[aria-current=page]")
        assert current is not None and current["href"] == fr_url
        if number > 1:
            assert f" · Page {number} · " in soup.title.get_text()
            assert soup.h1.select_one(".page-header__number").get_text() == f"Page {number}"
        shown += [card["id"] for card in soup.select(".product-grid article h3")]
    assert len(shown) == len(set(shown)) == entries


def test_every_page_of_every_listing_is_in_the_sitemap(shop: Path) -> None:
    urls = {loc.text for loc in ET.parse(shop / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")}
    further = [
        path.parent.relative_to(shop).as_posix()
        for path in shop.rglob("index.html")
        if "/page/" in path.as_posix()
    ]
    assert further
    for path in further:
        assert f"https://shop.example/{path}/" in urls
