"""The views templates and site-wide files read, in the test process: the Atom feed's
entries, the sitemap, the language switcher and the redirects of aliases (issue 22:
mutation testing found them pinned only through whole builds)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from sitegen.building.buildcontract import BuildOptions
from sitegen.building.preparation import prepare
from sitegen.model.placing import Site
from sitegen.rendering.renderer import Renderer
from sitegen.rendering.viewinputs import (
    CLOCK,
    AliasAt,
    Aliases,
    AllPages,
    Ancestry,
    Children,
    Homes,
    PageShown,
    Placements,
)
from sitegen.settings.config import load_config
from tests.conftest import BILINGUAL_CONFIG, page, write_tree

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
PARIS = ZoneInfo("Europe/Paris")
TEMPLATES = {"templates/page.html": "x", "templates/home.html": "x", "templates/section.html": "x"}


def prepared(root: Path, files: dict[str, str]) -> tuple[Site, Renderer]:
    write_tree(root, {**TEMPLATES, **files})
    return prepare(load_config(root), BuildOptions(site_root=root), NOW)


def test_the_feed_holds_dated_articles_newest_first_then_by_url(tmp_path: Path) -> None:
    _site, renderer = prepared(
        tmp_path,
        {
            "content/index.fr.md": page("Accueil", date="2026-11-20"),
            "content/news/index.fr.md": page("Actualités", date="2026-11-20"),
            "content/news/b.fr.md": page("B", date="2026-11-10"),
            "content/news/a.fr.md": page("A", date="2026-11-10"),
            "content/news/c.fr.md": page("C", date="2026-11-12", updated="2026-11-15"),
            "content/news/d.fr.md": page("D", date="2026-11-11", updated="2026-11-01"),
            "content/news/old.fr.md": page("Old", date="2026-01-01"),
            "content/undated.fr.md": page("Sans date"),
        },
    )
    fixed = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    feed = renderer.views.feed("fr", "https://example.org/fr/feed.xml", fixed, 4)
    assert [entry.page.title for entry in feed.entries] == ["C", "D", "A", "B"]
    c, d = feed.entries[0], feed.entries[1]
    assert c.published == dt.datetime(2026, 11, 12, tzinfo=PARIS)
    assert c.updated == dt.datetime(2026, 11, 15, tzinfo=PARIS)  # a later `updated`
    assert d.updated == d.published  # an earlier one is no update
    assert feed.updated == c.updated
    assert feed.home == "https://example.org/fr/"
    assert feed.permalink == "https://example.org/fr/feed.xml"
    english = renderer.views.feed("en", "https://example.org/en/feed.xml", fixed, 4)
    assert english.entries == () and english.updated == fixed  # the fallbacks: no entry
    assert english.home == "https://example.org/en/"
    assert len(renderer.views.feed("fr", "f", fixed, 10).entries) == 5  # and no fallbacks


def test_the_sitemap_lists_real_pages_and_the_chooser(tmp_path: Path) -> None:
    _site, renderer = prepared(
        tmp_path,
        {
            "content/index.fr.md": page("Accueil"),
            "content/index.en.md": page("Home"),
            "content/a.fr.md": page("A", date="2026-11-10"),
        },
    )
    entries = renderer.views.sitemap()
    locs = [entry.loc for entry in entries]
    assert locs[0] == "https://example.org/"  # the chooser, the homes' x-default
    assert sorted(locs[1:]) == [
        "https://example.org/en/",
        "https://example.org/fr/",
        "https://example.org/fr/a/",
    ]  # the English fallback of `a` is not listed: its canonical URL is the French one
    chooser = {alternate.hreflang: alternate.href for alternate in entries[0].alternates}
    assert chooser == {
        "fr": "https://example.org/fr/",
        "en": "https://example.org/en/",
        "x-default": "https://example.org/",
    }
    dated = next(entry for entry in entries if entry.loc.endswith("/fr/a/"))
    assert dated.lastmod == dt.datetime(2026, 11, 10, tzinfo=PARIS)
    assert next(entry for entry in entries if entry.loc.endswith("/fr/")).lastmod is None


def test_without_a_chooser_the_sitemap_has_no_root(tmp_path: Path) -> None:
    _site, renderer = prepared(
        tmp_path,
        {
            "site.yaml": BILINGUAL_CONFIG + "root_page: default_language\n",
            "content/index.fr.md": page("Accueil"),
            "content/index.en.md": page("Home"),
        },
    )
    assert sorted(entry.loc for entry in renderer.views.sitemap()) == [
        "https://example.org/en/",
        "https://example.org/fr/",
    ]


def test_the_switcher_leads_to_each_version_or_to_the_languages_home(tmp_path: Path) -> None:
    site, renderer = prepared(
        tmp_path,
        {
            "site.yaml": BILINGUAL_CONFIG + "missing_translation: omit\n",
            "content/index.fr.md": page("Accueil"),
            "content/index.en.md": page("Home"),
            "content/a.fr.md": page("A", slug="article"),
            "content/a.en.md": page("A"),
            "content/only.fr.md": page("Seulement"),
        },
    )
    article = next(p for p in site.pages if p.url == "/fr/article/")
    links = renderer.views.switcher(article, "fr")
    assert [(link.lang.code, link.url, link.current, link.translated) for link in links] == [
        ("fr", "/fr/article/", True, True),
        ("en", "/en/a/", False, True),
    ]
    assert links[1].permalink == "https://example.org/en/a/"
    only = next(p for p in site.pages if p.url == "/fr/only/")
    assert [(link.url, link.translated) for link in renderer.views.switcher(only, "fr")] == [
        ("/fr/only/", True),
        ("/en/", False),
    ]
    assert [link.url for link in renderer.views.switcher(None, "en")] == ["/fr/", "/en/"]


def test_aliases_redirect_to_their_page(tmp_path: Path) -> None:
    _site, renderer = prepared(
        tmp_path,
        {
            "content/index.fr.md": page("Accueil"),
            "content/a.fr.md": page("A", aliases="[/ancien/, /fr/vieux/]"),
        },
    )
    lines = renderer.views.redirects()
    assert sorted((line.source, line.target, line.status) for line in lines) == [
        ("/ancien/", "/fr/a/", 301),
        ("/fr/vieux/", "/fr/a/", 301),
    ]


def test_the_site_and_page_views_hold_what_templates_read(tmp_path: Path) -> None:
    site, renderer = prepared(
        tmp_path,
        {
            "site.yaml": BILINGUAL_CONFIG.replace(
                "title: {fr: Site, en: Site}", "title: {fr: Boutique}"
            )
            + "description: {fr: La boutique, en: The shop}\n"
            + "params: {tagline: {fr: Bonjour, en: Hello}}\n",
            "content/index.fr.md": page("Accueil"),
            "content/guide/index.fr.md": page("Guide", image="img/guide.png"),
            "content/guide/step.fr.md": page("Étape", date="2026-11-10"),
            "content/guide/step.en.md": page("Step", date="2026-11-10"),
        },
    )
    views = renderer.views
    french, english = views.site_view("fr"), views.site_view("en")
    assert (french.title, french.description, english.title, english.description) == (
        "Boutique",
        "La boutique",
        "Boutique",  # the default language's, for want of an English title
        "The shop",
    )
    assert [language.code for language in french.languages] == ["fr", "en"]
    assert (french.default_language, french.timezone) == ("fr", "Europe/Paris")
    assert (french.params["tagline"], english.params["tagline"]) == ("Bonjour", "Hello")

    step = next(p for p in site.pages if p.url == "/en/guide/step/")
    view = views.page(step)
    assert views.page(step) is view  # one view a page and a build
    assert (view.url, view.lang.code, view.kind, view.key, view.number) == (
        "/en/guide/step/",
        "en",
        "page",
        "guide/step",
        1,
    )
    assert (view.is_fallback, view.content_lang.code, view.feed, view.image) == (
        False,
        "en",
        None,
        None,
    )
    assert [ancestor.title for ancestor in views.ancestors(step)] == ["Accueil", "Guide"]
    guide = next(p for p in site.pages if p.url == "/en/guide/")  # a fallback
    fallback = views.page(guide)
    assert (fallback.is_fallback, fallback.content_lang.code, fallback.image) == (
        True,
        "fr",
        "img/guide.png",
    )
    assert [child.title for child in views.children(guide)] == ["Step"]


def test_each_view_records_what_it_read(tmp_path: Path) -> None:
    """The inputs an output depends on, at the size of what it shows: a feed and a
    sitemap depend on the placements of their pages (and an empty feed with no fixed
    time on the clock), the switcher on the homes and the page's versions, a listing on
    its children, an alias on where it leads (the incremental build's graph)."""
    site, renderer = prepared(
        tmp_path,
        {
            "content/index.fr.md": page("Accueil"),
            "content/index.en.md": page("Home"),
            "content/a.fr.md": page("A", date="2026-11-10", aliases="[/ancien/]"),
        },
    )
    views, recorder = renderer.views, renderer.recorder
    fixed = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def read(compute: Callable[[], object]) -> set[object]:
        with recorder.frame() as keys:
            compute()
        return keys

    assert read(lambda: views.feed("fr", "f", fixed, 5)) >= {Placements("fr"), Homes()}
    assert CLOCK not in read(lambda: views.feed("en", "f", fixed, 5))
    assert CLOCK in read(lambda: views.feed("en", "f", NOW, 5))  # dated by the build
    assert CLOCK not in read(lambda: views.feed("fr", "f", NOW, 5))  # by its entries
    assert read(views.sitemap) >= {Placements("fr"), Placements("en")}
    home = next(p for p in site.pages if p.url == "/fr/")
    assert read(lambda: views.children(home)) >= {Children("fr", home.folder)}
    article = next(p for p in site.pages if p.url == "/fr/a/")
    assert read(lambda: views.switcher(article, "fr")) >= {Homes(), PageShown(article.id)}
    assert read(lambda: views.ancestors(article)) >= {Ancestry(article.id)}
    assert read(lambda: views.pages_in("fr")) >= {AllPages("fr")}
    redirect = site.redirects[0]
    assert read(lambda: views.redirect(redirect)) >= {AliasAt(redirect.output_path)}
    assert views.redirect(redirect).url == "/fr/a/"
    assert read(views.redirects) >= {Aliases()}
