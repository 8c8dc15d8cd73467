"""The bundled example's product and merchant pages (data_pages), outbound tracking,
Markdown shortcodes and the explainer's structured data, built as a user would."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.conftest import REPO, copy_example, parse_html, run_sitegen

DURING_THE_EVENT = "2027-11-11T12:00:00+08:00"
LANGS = ("fr", "en")


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory, example_site: Path) -> Path:
    folder = tmp_path_factory.mktemp("products") / "output"
    result = run_sitegen("build", example_site, "--output", folder, "--now", DURING_THE_EVENT)
    assert result.returncode == 0, result.stderr
    return folder


def front_matter(relative: str) -> dict:
    text = (REPO / "content" / relative).read_text("utf-8")
    return yaml.safe_load(text.split("---")[1])


def folder_slug(folder: str, lang: str) -> str:
    return front_matter(f"{folder}/index.{lang}.md").get("slug", folder)


def products() -> list[dict[str, str]]:
    with (REPO / "data" / "products.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def merchants() -> list[dict]:
    return yaml.safe_load((REPO / "data" / "merchants.yaml").read_text("utf-8"))


def product_page(output: Path, lang: str, product_id: str) -> Path:
    return output / lang / folder_slug("products", lang) / product_id / "index.html"


def merchant_page(output: Path, lang: str, merchant_id: str) -> Path:
    return output / lang / folder_slug("merchants", lang) / merchant_id / "index.html"


def spaces(text: str) -> str:
    """`text` with the no-break spaces of French typography made plain."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def json_ld(soup: BeautifulSoup) -> list[dict]:
    return [
        json.loads(script.string) for script in soup.find_all("script", type="application/ld+json")
    ]


def test_one_page_per_product_and_per_merchant_in_each_language(output: Path) -> None:
    rows, shops = products(), merchants()
    assert len(rows) >= 24 and len(shops) >= 6
    for lang in LANGS:
        product_dirs = [
            p for p in (output / lang / folder_slug("products", lang)).iterdir() if p.is_dir()
        ]
        merchant_dirs = [
            p for p in (output / lang / folder_slug("merchants", lang)).iterdir() if p.is_dir()
        ]
        assert sorted(p.name for p in product_dirs) == sorted(r["id"] for r in rows), lang
        assert sorted(p.name for p in merchant_dirs) == sorted(m["id"] for m in shops), lang
    built = [r for lang in LANGS for r in rows if product_page(output, lang, r["id"]).is_file()]
    assert len(built) == len(rows) * 2
    shop_pages = [
        m for lang in LANGS for m in shops if merchant_page(output, lang, m["id"]).is_file()
    ]
    assert len(shop_pages) == len(shops) * 2


def test_product_json_ld_has_the_price_a_buyer_pays(output: Path) -> None:
    for row in products():
        expected = row["sale_price"] or row["price"]
        for lang in LANGS:
            soup = parse_html(product_page(output, lang, row["id"]))
            found = [d for d in json_ld(soup) if d.get("@type") == "Product"]
            assert len(found) == 1, (lang, row["id"])
            product = found[0]
            offer = product["offers"]
            assert offer["@type"] == "Offer"
            assert offer["price"] == expected, (lang, row["id"])
            assert offer["priceCurrency"] == "EUR"
            assert offer["availability"] == "https://schema.org/InStock"
            assert offer["url"].endswith(f"/{lang}/{folder_slug('products', lang)}/{row['id']}/")
            assert product["image"].startswith("https://")
            assert ("priceValidUntil" in offer) == bool(row["sale_price"]), (lang, row["id"])
            name = next(m["name"] for m in merchants() if m["id"] == row["merchant"])
            assert product["brand"]["name"] == name and offer["seller"]["name"] == name


def test_prices_are_written_the_way_each_language_writes_them(output: Path) -> None:
    french = parse_html(product_page(output, "fr", "lumen-carre-rhone")).find("main")
    english = parse_html(product_page(output, "en", "lumen-carre-rhone")).find("main")
    french_text, english_text = french.get_text(" "), english.get_text(" ")
    # the Double 11 price, the reference price and the percentage off it (1 - 62.90 / 74.90)
    assert "62,90\u00a0€" in french_text and "74,90\u00a0€" in french_text
    assert re.search("\u221216\\s%", french_text)
    assert "€62.90" in english_text and "€74.90" in english_text
    assert "\u221216%" in english_text
    assert "62.90" not in french_text and "62,90" not in english_text


def test_merchant_page_lists_exactly_its_products(output: Path) -> None:
    rows = products()
    for merchant in merchants():
        own = [r["id"] for r in rows if r["merchant"] == merchant["id"]]
        for lang in LANGS:
            soup = parse_html(merchant_page(output, lang, merchant["id"]))
            grid = soup.find(id="merchant-products")
            assert grid is not None, (lang, merchant["id"])
            cards = [
                a["aria-labelledby"].removeprefix("product-") for a in grid.find_all("article")
            ]
            assert cards == own, (lang, merchant["id"])
            assert soup.find("h1").get_text(strip=True) == merchant["name"]


def test_outbound_links_carry_the_campaign_of_their_language(output: Path) -> None:
    urls = {r["url"] for r in products()} | {m["url"] for m in merchants()}
    for lang in LANGS:
        pages = [
            product_page(output, lang, "lumen-carre-rhone"),
            merchant_page(output, lang, "atelier-lumen"),
            output / lang / "index.html",
        ]
        for path in pages:
            links = [
                a["href"]
                for a in parse_html(path).find_all("a", href=True)
                if urlsplit(a["href"]).hostname == "example.com"
            ]
            assert links, path
            for href in links:
                parts = urlsplit(href)
                query = parse_qs(parts.query)
                assert query["utm_campaign"] == [f"double11-2027-{lang}"], href
                assert query["utm_source"] == ["double11-site"], href
                assert query["utm_medium"] == ["referral"], href
                assert f"{parts.scheme}://{parts.netloc}{parts.path}" in urls, href


def test_product_cards_link_to_existing_product_pages(output: Path) -> None:
    for lang in LANGS:
        section = output / lang / folder_slug("products", lang) / "index.html"
        links = parse_html(section).select("a.product-card__link")
        assert len(links) == len(products())
        for link in links:
            assert (output / link["href"].strip("/") / "index.html").is_file(), link["href"]


@pytest.mark.parametrize(("lang", "locale"), [("fr", "fr-FR"), ("en", "en-GB")])
def test_explainer_news_article_json_ld(output: Path, lang: str, locale: str) -> None:
    front = front_matter(f"explainer.{lang}.md")
    soup = parse_html(output / lang / front["slug"] / "index.html")
    found = [d for d in json_ld(soup) if d.get("@type") == "NewsArticle"]
    assert len(found) == 1
    article = found[0]
    assert article["inLanguage"] == locale
    assert spaces(article["headline"]) == spaces(front["title"])
    assert article["datePublished"].startswith("2020-11-10")
    assert article["dateModified"] == str(front["updated"])
    assert article["author"]["name"] == front["author"]
    assert article["publisher"]["name"]
    assert article["image"][0].startswith("https://")
    main = soup.find("main")
    assert main.select("blockquote.pullquote"), "the pull quote is styled as one"
    assert len(main.select(".timeline__item")) == len(front["timeline"])
    assert main.select(".sources__list li")
    assert main.find("time", datetime=str(front["updated"])) is not None


def test_shortcodes_render_in_the_example(output: Path) -> None:
    for lang, figure in (("fr", "268,4\u00a0Md\u00a0CNY"), ("en", "CN¥268.4bn")):
        slug = front_matter(f"explainer.{lang}.md")["slug"]
        main = parse_html(output / lang / slug / "index.html").find("main")
        callout = main.select_one(".article__body .stat-callout")
        assert callout is not None, lang
        assert figure in callout.get_text(" ")
        assert callout.find("time", datetime="2019") is not None
        assert callout.find("cite") is not None
        grid = main.select_one(".article__body .products")
        cards = [a["aria-labelledby"].removeprefix("product-") for a in grid.find_all("article")]
        home = [r["id"] for r in products() if r["category"] == "home"][:3]
        assert cards == home, "category filter and limit, in feed order"
        assert "<!--sitegen:component" not in str(main)
        section = parse_html(output / lang / folder_slug("products", lang) / "index.html")
        assert section.select_one(".prose .stat-callout") is not None


def test_translations_are_complete() -> None:
    result = run_sitegen("i18n", "status", REPO, "--min", "100")
    assert result.returncode == 0, result.stdout + result.stderr


def test_availability_dates_shape_the_offer(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    rows = products()
    first, second = rows[0]["id"], rows[1]["id"]
    for row in rows:
        row["available_from"] = "2027-12-01 00:00" if row["id"] == first else ""
        row["available_until"] = "2027-11-01 00:00" if row["id"] == second else ""
    with (site / "data" / "products.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    result = run_sitegen("build", site, "--now", DURING_THE_EVENT)
    assert result.returncode == 0, result.stderr

    def offer(product_id: str) -> tuple[dict, str]:
        page = parse_html(product_page(site / "output", "en", product_id))
        data = json.loads(page.find("script", type="application/ld+json").string)
        return data["offers"], page.find(class_="product-page__availability").get_text()

    upcoming, note = offer(first)
    assert upcoming["availability"] == "https://schema.org/PreOrder"
    assert upcoming["validFrom"] == "2027-12-01T00:00:00+01:00"
    assert note.startswith("On sale from 1 December 2027")
    ended, note = offer(second)
    assert ended["availability"] == "https://schema.org/Discontinued"
    assert ended["validThrough"] == "2027-11-01T00:00:00+01:00"
    assert note == "No longer available"
