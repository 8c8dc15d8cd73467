"""What templates ask the engine for instead of scanning the site: pages by path or
front matter, feed items by field, the menu, a page's ancestors; and that each answer
is an input of its own, so that an edit renders again only the pages that show it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitegen.base.errors import SiteError
from sitegen.building.buildcontract import BuildOptions
from sitegen.building.builder import Builder
from sitegen.building.preparation import prepare
from sitegen.output.live import LiveOutput
from sitegen.settings.config import load_config
from tests.conftest import page, write_tree

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
CONFIG = """\
title: Shop
base_url: https://shop.example/
languages: [fr, en]
timezone: Europe/Paris
data_pages:
  - {data: products, path: products, layout: product, title: name}
"""
PRODUCTS = """\
id,merchant,category,name.fr,name.en,price,currency
p1,m1,home,Lampe,Lamp,10,EUR
p2,m2,home,Vase,Vase,20,EUR
p3,m1,fashion,Sac,Bag,30,EUR
12,m1,fashion,Écharpe,Scarf,40,EUR
p5,m2,fashion,Pull,Jumper,50,EUR
"""


def _files(**templates: str) -> dict[str, str]:
    return {
        "site.yaml": CONFIG,
        "content/index.fr.md": page("Accueil"),
        "content/index.en.md": page("Home"),
        "content/explainer.fr.md": page(
            "Comprendre", slug="comprendre", params="{ref: explain}", menu="20"
        ),
        "content/explainer.en.md": page("Explained", params="{ref: explain}", menu="20"),
        "content/news/index.fr.md": page("Actualités", slug="actus", menu="10", menu_title="Actus"),
        "content/news/index.en.md": page("News", menu="10"),
        "content/news/first.fr.md": page("Premier"),
        "content/news/first.en.md": page("First"),
        "content/products/index.fr.md": page("Produits", slug="produits"),
        "content/products/index.en.md": page("Products"),
        "data/products.csv": PRODUCTS,
        "data/merchants.yaml": "- {id: m1, name: Un}\n- {id: m2, name: Deux}\n",
        "templates/home.html": "home",
        "templates/section.html": "section",
        "templates/product.html": "product",
        "templates/page.html": "page",
        **{f"templates/{name}.html": text for name, text in templates.items()},
    }


def _render(tmp_path: Path, template: str, lang: str = "fr", title: str = "Premier") -> str:
    root = write_tree(tmp_path / "site", _files(page=template))
    site, renderer = prepare(load_config(root), BuildOptions(site_root=root), NOW)
    found = next(p for p in site.pages if p.lang == lang and p.source.title == title)
    return renderer.render_page(found).decode("utf-8")


def test_get_page_finds_a_page_by_its_content_path_in_the_language_shown(
    tmp_path: Path,
) -> None:
    template = (
        "{{ get_page('explainer').url }}|{{ get_page('news').url }}|{{ get_page('/').url }}"
        "|{{ get_page('products/p3').url }}|{{ get_page('nothing') is none }}"
    )
    assert _render(tmp_path, template) == "/fr/comprendre/|/fr/actus/|/fr/|/fr/produits/p3/|True"
    assert (
        _render(tmp_path / "en", template, "en", "First")
        == "/en/explainer/|/en/news/|/en/|/en/products/p3/|True"
    )


def test_data_page_finds_the_page_of_an_item(tmp_path: Path) -> None:
    template = (
        "{{ data_page('products', 'p2').title }}|{{ data_page('products', 12).url }}"
        "|{{ data_page('merchants', 'm1') is none }}"
    )
    assert _render(tmp_path, template) == "Vase|/fr/produits/12/|True"


def test_data_page_of_a_feed_that_does_not_exist_is_an_error_at_its_line(
    tmp_path: Path,
) -> None:
    with pytest.raises(SiteError) as error:
        _render(tmp_path, "ok\n{{ data_page('prodcuts', 'p1') }}")
    (problem,) = error.value.problems
    assert problem.path == tmp_path / "site" / "templates" / "page.html"
    assert problem.line == 2
    assert problem.message.startswith("there is no feed data.prodcuts")


def test_items_by_field_in_feed_order_with_limit_and_exclude(tmp_path: Path) -> None:
    template = (
        "{{ items('products', merchant='m1') | map(attribute='name') | join(',') }}"
        "|{{ items('products', merchant='m1', category='fashion') | map(attribute='id') "
        "| join(',') }}"
        "|{{ items('products', merchant='m1', exclude='p1', limit=1) | map(attribute='id') "
        "| join }}"
        "|{{ item('products', '12').name }}|{{ item('products', 12).price }}"
        "|{{ item('products', 'p9') is none }}|{{ count_items('products', category='home') }}"
    )
    assert _render(tmp_path, template) == "Lampe,Sac,Écharpe|p3,12|p3|Écharpe|40|True|2"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("items('products', limit=2, merchant=['m1'])", "'merchant' must be a single value"),
        ("items('nothing', merchant='m1')", "there is no feed data.nothing"),
    ],
)
def test_a_lookup_that_cannot_be_made_is_an_error(tmp_path: Path, call: str, message: str) -> None:
    with pytest.raises(SiteError) as error:
        _render(tmp_path, "{{ " + call + " }}")
    assert message in error.value.problems[0].message


def test_pages_with_a_front_matter_value_and_the_menu(tmp_path: Path) -> None:
    template = (
        "{{ pages_with('ref', 'explain') | map(attribute='url') | join }}"
        "|{% for entry in menu %}{{ entry.title }} {{ entry.url }} {{ entry.kind }},{% endfor %}"
    )
    assert (
        _render(tmp_path, template)
        == "/fr/comprendre/|Actus /fr/actus/ section,Comprendre /fr/comprendre/ page,"
    )


def test_ancestors_and_parent(tmp_path: Path) -> None:
    template = "{{ page.ancestors | map(attribute='url') | join(',') }}|{{ page.parent.title }}"
    assert _render(tmp_path, template) == "/fr/,/fr/actus/|Actualités"


def _session(tmp_path: Path, **templates: str) -> tuple[Builder, LiveOutput, Path]:
    root = write_tree(tmp_path / "site", _files(**templates))
    live = LiveOutput(tmp_path / "live")
    builder = Builder(BuildOptions(site_root=root, now=NOW, optimize=False))
    with live.update() as update:
        builder.build(update, live.folder)
    return builder, live, root


def _rebuilt(builder: Builder, live: LiveOutput) -> set[str]:
    with live.update() as update:
        return set(builder.build(update, live.folder).rendered)


def test_a_page_showing_one_merchants_products_depends_on_those_alone(tmp_path: Path) -> None:
    builder, live, root = _session(
        tmp_path,
        product="{{ items('products', merchant=page.item.merchant) | map(attribute='price') "
        "| join(',') }}",
    )
    feed = root / "data" / "products.csv"
    feed.write_text(PRODUCTS.replace("p2,m2,home,Vase,Vase,20,", "p2,m2,home,Vase,Vase,25,"))
    # the products of m2 (p2, p5) show the new price, in both languages; m1's do not
    assert _rebuilt(builder, live) == {
        f"{lang}/{folder}/{product}/index.html"
        for lang, folder in (("fr", "produits"), ("en", "products"))
        for product in ("p2", "p5")
    }
    assert (live.folder / "en/products/p5/index.html").read_text() == "25,50"


def test_a_listing_of_every_page_is_one_input(tmp_path: Path) -> None:
    """`pages` (every page of a language) is recorded as one input covering what each
    page shows and its front matter: a title edit renders again the pages listing them
    all (in French too: a page shows its translations' titles), a body edit does not."""
    builder, live, root = _session(
        tmp_path,
        page="{% for p in pages if p.params.get('menu') %}{{ p.title }},{% endfor %}",
    )
    explainer = root / "content" / "explainer.en.md"
    explainer.write_text(page("Explained", "A body.", params="{ref: explain}", menu="20"))
    assert _rebuilt(builder, live) == set()
    explainer.write_text(page("Explained well", "A body.", params="{ref: explain}", menu="20"))
    assert _rebuilt(builder, live) == {
        "en/explainer/index.html",
        "en/news/first/index.html",
        "fr/comprendre/index.html",
        "fr/actus/first/index.html",
    }
