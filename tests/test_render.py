"""Rendering: per-language templates, the theme chain, and template mistakes with their place."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitegen.base.errors import SiteError
from sitegen.building.buildcontract import BuildOptions
from sitegen.building.preparation import prepare
from sitegen.model.placing import Site
from sitegen.rendering.renderer import Renderer
from sitegen.settings.config import load_config
from tests.conftest import BILINGUAL_CONFIG, page, write_tree

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)

LAYOUT = """<html lang="{{ lang.code }}"><body>{% block main %}{{ page.content }}{% endblock %}\
</body></html>"""


def renderer_for(root: Path, files: dict[str, str]) -> tuple[Site, Renderer]:
    write_tree(root, files)
    return prepare(load_config(root), BuildOptions(site_root=root), NOW)


def rendered(renderer: Renderer, site: Site, title: str) -> BeautifulSoup:
    found = next(p for p in site.pages if p.source.title == title and not p.is_fallback)
    return BeautifulSoup(renderer.render_page(found), "html.parser")


def test_language_specific_template_wins(tmp_path: Path) -> None:
    site, renderer = renderer_for(
        tmp_path,
        {
            "content/a.fr.md": page("A fr"),
            "content/a.en.md": page("A en"),
            "templates/page.html": '{% include "note.html" %}',
            "templates/note.html": "<p>generic</p>",
            "templates/note.fr.html": "<p>français</p>",
        },
    )
    assert rendered(renderer, site, "A fr").p.get_text() == "français"
    assert rendered(renderer, site, "A en").p.get_text() == "generic"


def test_layout_from_front_matter_and_missing_layout(tmp_path: Path) -> None:
    files = {
        "content/a.fr.md": page("A", layout="article"),
        "templates/page.html": "page",
        "templates/article.html": "<p>{{ page.layout }}</p>",
    }
    site, renderer = renderer_for(tmp_path / "ok", files)
    assert rendered(renderer, site, "A").p.get_text() == "article"

    files["content/a.fr.md"] = page("A", layout="artcle")
    with pytest.raises(SiteError) as caught:
        renderer_for(tmp_path / "bad", files)
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert "no template for layout 'artcle'" in problem.message
    assert problem.hint == "did you mean 'article'?"


def test_syntax_error_in_an_unused_template_is_found_before_writing(tmp_path: Path) -> None:
    with pytest.raises(SiteError) as caught:
        renderer_for(
            tmp_path,
            {
                "content/a.fr.md": page("A"),
                "templates/page.html": "ok",
                "templates/unused.html": "line one\n{{ broken(\n",
            },
        )
    (problem,) = caught.value.problems
    assert problem.path == tmp_path / "templates" / "unused.html"
    assert problem.line == 2
    assert problem.message.startswith("template syntax error")


def test_undefined_value_points_at_the_included_template(tmp_path: Path) -> None:
    site, renderer = renderer_for(
        tmp_path,
        {
            "content/a.fr.md": page("A"),
            "templates/page.html": 'one\n{% include "part.html" %}',
            "templates/part.html": "a\nb\n{{ page.params.missing.deeper }}\n",
        },
    )
    with pytest.raises(SiteError) as caught:
        renderer.render_page(site.pages[0])
    (problem,) = caught.value.problems
    assert problem.path == tmp_path / "templates" / "part.html"
    assert problem.line == 3
    assert "missing" in problem.message
    assert "content/a.fr.md" in problem.message


def test_asset_function(tmp_path: Path) -> None:
    config = "title: S\nbase_url: https://x.org/shop/\nlanguages: [fr]\ntimezone: UTC\n"
    site, renderer = renderer_for(
        tmp_path,
        {
            "site.yaml": config,
            "content/a.md": page("A"),
            "static/css/site.css": "",
            "templates/page.html": "<a href=\"{{ asset('css/site.css') }}\">{{ url('/fr/') }}</a>"
            "{% if page.params.get('bad') %}{{ asset('nope.css') }}{% endif %}",
            "content/b.md": page("B", params="{bad: true}"),
        },
    )
    link = rendered(renderer, site, "A").a
    assert re.fullmatch(r"/shop/_assets/css/site\.[0-9a-f]{10}\.css", link["href"])
    assert link.get_text() == "/shop/fr/"
    with pytest.raises(SiteError) as caught:
        rendered(renderer, site, "B")
    assert "asset('nope.css')" in caught.value.problems[0].message


def test_autoescape_and_safe_markdown(tmp_path: Path) -> None:
    site, renderer = renderer_for(
        tmp_path,
        {
            "content/a.fr.md": page(
                '"<script>alert(1)</script>"', "**bold** <b>raw</b>", params='{note: "<img src=x>"}'
            ),
            "templates/page.html": "<h1>{{ page.title }}</h1><div>{{ page.content }}</div>"
            "<p>{{ page.params.note }}</p>",
        },
    )
    html = renderer.render_page(site.pages[0]).decode()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None
    assert soup.h1.get_text() == "<script>alert(1)</script>"
    assert soup.div.strong.get_text() == "bold"
    assert soup.div.find("b") is None


def test_views_give_templates_what_the_contract_says(tmp_path: Path) -> None:
    site, renderer = renderer_for(
        tmp_path,
        {
            "content/index.fr.md": page("Accueil", "## Titre\n", description="Desc"),
            "content/index.en.md": page("Home"),
            "content/x.fr.md": page(
                "X", date="2020-11-10", params="{hero: {fr: Bonjour, en: Hello}}"
            ),
            "data/stats.yaml": "- {label: {fr: Ventes, en: Sales}, value: 268.4}\n",
            "templates/home.html": "<p id=t>{{ page.title }}|{{ page.description }}|"
            "{{ page.permalink }}|{{ page.toc[0].id }}|{{ page.children[0].title }}|"
            "{{ page.translations[0].lang.name }}|{{ data.stats[0].label }}|"
            "{{ data.stats[0].value | format_decimal }}|{{ site.title }}|{{ now.year }}|"
            "{{ pages | length }}</p>",
            "templates/page.html": "<p id=t>{{ page.params.hero }}|"
            "{{ page.date | format_date('long') }}|{{ switcher | length }}|"
            "{{ switcher[1].url }}|{{ switcher[1].translated }}</p>",
        },
    )
    assert rendered(renderer, site, "Accueil").p.get_text() == (
        "Accueil|Desc|https://example.org/fr/|titre|X|English|Ventes|268,4|Site|2026|2"
    )
    assert rendered(renderer, site, "X").p.get_text() == (
        "Bonjour|10\u00a0novembre 2020|2|/en/x/|False"
    )


def test_root_page_defaults_to_a_language_chooser(tmp_path: Path) -> None:
    _site, renderer = renderer_for(
        tmp_path,
        {
            "content/index.fr.md": page("Accueil"),
            "content/index.en.md": page("Home"),
            "templates/home.html": "home",
        },
    )
    soup = BeautifulSoup(renderer.render_root(), "html.parser")
    assert soup.html["lang"] == "fr"
    assert [a["href"] for a in soup.find_all("a")] == ["/fr/", "/en/"]
    alternates = {link["hreflang"]: link["href"] for link in soup.find_all("link")}
    assert alternates == {
        "fr": "https://example.org/fr/",
        "en": "https://example.org/en/",
        "x-default": "https://example.org/",
    }
    script = soup.find("script").string
    assert '{"en": "/en/", "fr": "/fr/"}' in script
    assert "navigator.languages" in script


def test_root_page_can_be_the_default_language_home(tmp_path: Path) -> None:
    site, renderer = renderer_for(
        tmp_path,
        {
            "site.yaml": BILINGUAL_CONFIG + "root_page: default_language\n",
            "content/index.fr.md": page("Accueil"),
            "content/index.en.md": page("Home"),
            "templates/home.html": "<h1>{{ page.title }}</h1>"
            "<link rel=canonical href={{ page.canonical }}>",
        },
    )
    home = next(p for p in site.pages if p.url == "/fr/")
    assert renderer.render_root() == renderer.render_page(home)
    assert b"https://example.org/fr/" in renderer.render_root()


def test_without_a_chooser_the_homes_x_default_is_the_default_languages_home(
    tmp_path: Path,
) -> None:
    """With `root_page: default_language`, `/` is not a page of its own (it shows the
    French home, whose canonical URL is /fr/): the homes' x-default is /fr/, never /,
    which `sitegen check` would report as not canonical (issue 22)."""
    site, renderer = renderer_for(
        tmp_path,
        {
            "site.yaml": BILINGUAL_CONFIG + "root_page: default_language\n",
            "content/index.fr.md": page("Accueil"),
            "content/index.en.md": page("Home"),
            "templates/home.html": "{% for a in page.alternates %}"
            "<link rel=alternate hreflang={{ a.hreflang }} href={{ a.href }}>{% endfor %}",
        },
    )
    for url in ("/fr/", "/en/"):
        home = next(p for p in site.pages if p.url == url)
        soup = BeautifulSoup(renderer.render_page(home), "html.parser")
        alternates = {link["hreflang"]: link["href"] for link in soup.find_all("link")}
        assert alternates == {
            "fr": "https://example.org/fr/",
            "en": "https://example.org/en/",
            "x-default": "https://example.org/fr/",
        }, url


def test_french_typography_on_french_pages_only(tmp_path: Path) -> None:
    files = {
        "content/a.fr.md": page("A", "Prix : 30 % ! Voir `a : b`."),
        "content/a.en.md": page("A", "Price: 30 % ! See `a : b`."),
        "templates/page.html": '<p title="a : b">{{ page.content }}</p>',
    }
    site, renderer = renderer_for(tmp_path / "on", files)
    by_lang = {p.lang: renderer.render_page(p).decode() for p in site.pages}
    assert "Prix\u202f: 30\u202f%\u202f! Voir <code>a : b</code>." in by_lang["fr"]
    assert 'title="a : b"' in by_lang["fr"]
    assert "Price: 30 % ! See <code>a : b</code>." in by_lang["en"]

    files["site.yaml"] = BILINGUAL_CONFIG + "french_typography: false\n"
    site, renderer = renderer_for(tmp_path / "off", files)
    french_page = next(p for p in site.pages if p.lang == "fr")
    assert "Prix : 30 % ! Voir" in renderer.render_page(french_page).decode()


SHORTCODE = (
    '{% macro greet(name, times=1) %}<p class="greet">{{ ("Hi " ~ name ~ "! ") * times }}'
    "{{ _('Welcome') }}</p>{% endmacro %}"
)


def test_components_placed_from_markdown(tmp_path: Path) -> None:
    site, renderer = renderer_for(
        tmp_path,
        {
            "content/a.en.md": page("A", "Before.\n\n::: greet name=Ana times=2\n:::\n\nAfter.\n"),
            "templates/page.html": "<main>{{ page.content }}</main>",
            "templates/shortcodes/greet.html": SHORTCODE,
        },
    )
    html = rendered(renderer, site, "A")
    assert [p.get_text() for p in html.find_all("p")] == [
        "Before.",
        "Hi Ana! Hi Ana! Welcome",
        "After.",
    ]


@pytest.mark.parametrize(
    ("markdown", "message", "hint"),
    [
        ("::: gret name=Ana\n:::\n", "unknown component 'gret'", "did you mean 'greet'?"),
        ("::: greet nam=Ana\n:::\n", "component 'greet' has no argument 'nam'", "did you mean"),
        ("::: greet name=Ana\nText.\n:::\n", "a component block holds no text", None),
        ("::: greet Ana\n:::\n", "'Ana' is not an argument such as category=fashion", "quotes"),
    ],
)
def test_component_mistakes_have_their_line(
    tmp_path: Path, markdown: str, message: str, hint: str | None
) -> None:
    with pytest.raises(SiteError) as caught:
        renderer_for(
            tmp_path,
            {
                "content/a.en.md": page("A", "Intro.\n\n" + markdown),
                "templates/page.html": "{{ page.content }}",
                "templates/shortcodes/greet.html": SHORTCODE,
            },
        )
    problem = caught.value.problems[0]
    assert (problem.path.name, problem.line) == ("a.en.md", 6)
    assert problem.message.startswith(message)
    if hint:
        assert hint in (problem.hint or "")


def test_tojson_writes_decimals_and_dates_and_escapes_markup(tmp_path: Path) -> None:
    site, renderer = renderer_for(
        tmp_path,
        {
            "content/a.fr.md": page("A", params="{when: 2027-11-11T00:00:00+08:00}"),
            "data/p.yaml": "- {price: 89.90, name: '</script><b>'}\n",
            "templates/page.html": '<script type="application/ld+json">'
            "{{ {'p': data.p[0], 'when': page.params.when} | tojson }}</script>",
        },
    )
    script = rendered(renderer, site, "A").script.string
    assert script == (
        '{"p": {"name": "\\u003c/script\\u003e\\u003cb\\u003e", "price": "89.90"}, '
        '"when": "2027-11-11T00:00:00+08:00"}'
    )


def test_components_see_their_page_and_may_list_pages(tmp_path: Path) -> None:
    site, renderer = renderer_for(
        tmp_path,
        {
            "content/a.en.md": page("A", "::: index\n:::\n"),
            "content/b.en.md": page("B"),
            "templates/page.html": "{{ page.content }}",
            "templates/shortcodes/index.html": "{% macro index() %}<ul data-on='{{ page.title }}'>"
            "{% for p in pages %}<li>{{ p.title }}</li>{% endfor %}</ul>{% endmacro %}",
        },
    )
    listing = rendered(renderer, site, "A").ul
    assert listing["data-on"] == "A"
    assert [li.get_text() for li in listing.find_all("li")] == ["A", "B"]


def test_fail_reports_a_themes_own_error_at_its_line(tmp_path: Path) -> None:
    site, renderer = renderer_for(
        tmp_path,
        {
            "content/a.en.md": page("A"),
            "templates/page.html": "ok\n{% if not page.params.get('x') %}{{ fail('x is needed') }}"
            "{% endif %}",
        },
    )
    with pytest.raises(SiteError) as caught:
        rendered(renderer, site, "A")
    (problem,) = caught.value.problems
    assert (problem.path.name, problem.line) == ("page.html", 2)
    assert problem.message == "x is needed (while rendering content/a.en.md)"
