"""The site model: URLs, translations, visibility, listings and links between pages."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sitegen.base.errors import SiteError
from sitegen.model.placing import HOME, PAGE, SECTION, Site, Visibility, build_site
from sitegen.settings.config import load_config
from sitegen.sources.content import load_pages
from sitegen.sources.data import load_data
from sitegen.sources.markdown import MarkdownRenderer
from tests.conftest import BILINGUAL_CONFIG, page, write_tree

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=PARIS)


def model(root: Path, files: dict[str, str], **visibility: bool) -> Site:
    write_tree(root, files)
    config = load_config(root)
    return build_site(
        config,
        load_pages(config),
        load_data(config),
        Visibility(now=NOW, **visibility),
        MarkdownRenderer(),
    )


def test_urls_kinds_and_slugs(tmp_path: Path) -> None:
    site = model(
        tmp_path,
        {
            "content/index.fr.md": page("Accueil"),
            "content/index.en.md": page("Home"),
            "content/explainer.fr.md": page("Explication", slug="double-11-explique"),
            "content/explainer.en.md": page("Explainer"),
            "content/shops/index.fr.md": page("Boutiques"),
            "content/shops/lumen.md": page("Lumen"),
        },
    )
    by_name = {(p.source.key, p.lang): p for p in site.pages}
    assert by_name["index", "fr"].kind == HOME
    assert by_name["shops/index", "fr"].kind == SECTION
    assert by_name["shops/index", "fr"].url == "/fr/shops/"
    assert by_name["shops/lumen", "fr"].url == "/fr/shops/lumen/"
    assert by_name["shops/lumen", "fr"].kind == PAGE
    assert str(by_name["explainer", "fr"].output_path) == "fr/double-11-explique/index.html"
    assert by_name["explainer", "fr"].url == "/fr/double-11-explique/"
    assert by_name["explainer", "en"].url == "/en/explainer/"


def test_base_path_prefixes_every_url(tmp_path: Path) -> None:
    config = "title: S\nbase_url: https://x.org/sub/\nlanguages: [en]\ntimezone: UTC\n"
    site = model(tmp_path, {"site.yaml": config, "content/a.md": page("A")})
    assert [p.url for p in site.pages] == ["/sub/en/a/"]


def test_translations_by_path_and_by_key(tmp_path: Path) -> None:
    site = model(
        tmp_path,
        {
            "content/a.fr.md": page("A fr"),
            "content/a.en.md": page("A en"),
            "content/offre.fr.md": page("Offre", translation_key="offer"),
            "content/deal.en.md": page("Deal", translation_key="offer"),
            "content/alone.md": page("Seul"),
        },
    )
    by_title = {p.source.title: p for p in site.pages if not p.is_fallback}
    assert [t.source.title for t in site.translations(by_title["A fr"])] == ["A en"]
    assert [t.source.title for t in site.translations(by_title["Deal"])] == ["Offre"]
    assert site.translations(by_title["Seul"]) == ()
    assert by_title["Seul"].lang == "fr"  # no suffix: the default language


def test_two_translations_in_one_language_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SiteError) as caught:
        model(
            tmp_path,
            {
                "content/a.fr.md": page("A", translation_key="same"),
                "content/b.fr.md": page("B", translation_key="same"),
            },
        )
    (problem,) = caught.value.problems
    assert problem.path == tmp_path / "content" / "b.fr.md"
    assert problem.line == 3
    assert "content/a.fr.md" in problem.message


def test_url_clash_names_both_sources(tmp_path: Path) -> None:
    with pytest.raises(SiteError) as caught:
        model(
            tmp_path,
            {"content/a.fr.md": page("A"), "content/b.fr.md": page("B", slug="a")},
        )
    (problem,) = caught.value.problems
    assert problem.path == tmp_path / "content" / "b.fr.md"
    assert "content/a.fr.md" in problem.message and "/fr/a/" in problem.message


def test_visibility(tmp_path: Path) -> None:
    files = {
        "content/draft.md": page("Draft", draft="true"),
        "content/future.md": page("Future", publish="2026-12-01"),
        "content/expired.md": page("Expired", expires="2026-11-28 12:00"),
        "content/live.md": page("Live", publish="2026-11-28 11:59", expires="2026-11-28 12:01"),
    }
    titles = {p.source.title for p in model(tmp_path / "a", files).pages}
    assert titles == {"Live"}
    titles = {p.source.title for p in model(tmp_path / "b", files, drafts=True, future=True).pages}
    assert titles == {"Live", "Draft", "Future"}


def test_children_newest_first_then_title(tmp_path: Path) -> None:
    site = model(
        tmp_path,
        {
            "content/index.fr.md": page("Accueil"),
            "content/b.fr.md": page("B", date="2020-01-01"),
            "content/a.fr.md": page("A", date="2020-01-01"),
            "content/new.fr.md": page("New", date="2021-01-01"),
            "content/undated.fr.md": page("Undated"),
            "content/shop/index.fr.md": page("Shop"),
            "content/shop/item.fr.md": page("Item"),
        },
    )
    home = site.home("fr")
    assert home is not None
    assert [c.source.title for c in site.children(home)] == ["New", "A", "B", "Shop", "Undated"]
    shop = next(p for p in site.pages if p.source.title == "Shop")
    assert [c.source.title for c in site.children(shop)] == ["Item"]


def test_links_resolve_in_the_linking_language(tmp_path: Path) -> None:
    site = model(
        tmp_path,
        {
            "content/index.fr.md": page("Accueil", "[x](shop/item.md) [y](about.en.md#top)"),
            "content/index.en.md": page("Home", "[x](shop/item.md)"),
            "content/shop/item.fr.md": page("Article", "[back](../index.md)", slug="article"),
            "content/shop/item.en.md": page("Item"),
            "content/about.en.md": page("About"),
        },
    )
    content = {(p.source.key, p.lang): p.content for p in site.pages}
    assert 'href="/fr/shop/article/"' in content["index", "fr"]
    assert 'href="/en/about/#top"' in content["index", "fr"]
    assert 'href="/en/shop/item/"' in content["index", "en"]
    assert 'href="/fr/"' in content["shop/item", "fr"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"content/a.fr.md": page("A", "[x](nope.md)")}, "does not exist"),
        (
            {"content/a.fr.md": page("A", "[x](d.md)"), "content/d.fr.md": page("D", draft="true")},
            "is a draft",
        ),
        ({"content/a.fr.md": page("A", "[x](../../etc/passwd.md)")}, "outside content/"),
    ],
)
def test_broken_links(tmp_path: Path, files: dict[str, str], message: str) -> None:
    with pytest.raises(SiteError) as caught:
        model(tmp_path, files)
    (problem,) = caught.value.problems
    assert message in problem.message
    assert problem.line == 4


def test_folders_take_the_slug_of_their_index_page(tmp_path: Path) -> None:
    site = model(
        tmp_path,
        {
            "content/merchants/index.fr.md": page("Marchands", slug="marchands"),
            "content/merchants/index.en.md": page("Merchants"),
            "content/merchants/lumen.fr.md": page("Lumen"),
            "content/merchants/lumen.en.md": page("Lumen", slug="lumen-workshop"),
            "content/merchants/deep/index.fr.md": page("Profond", slug="profond"),
            "content/merchants/deep/x.fr.md": page("X"),
        },
    )
    real = {(p.source.key, p.lang): p.url for p in site.pages if not p.is_fallback}
    assert real == {
        ("merchants/index", "fr"): "/fr/marchands/",
        ("merchants/index", "en"): "/en/merchants/",
        ("merchants/lumen", "fr"): "/fr/marchands/lumen/",
        ("merchants/lumen", "en"): "/en/merchants/lumen-workshop/",
        ("merchants/deep/index", "fr"): "/fr/marchands/profond/",
        ("merchants/deep/x", "fr"): "/fr/marchands/profond/x/",
    }


MISSING = {
    "content/index.fr.md": page("Accueil", "[voir](guide.md)"),
    "content/index.en.md": page("Home", "[see](guide.md)"),
    "content/guide.fr.md": page("Guide", "Texte.", slug="mode-d-emploi"),
}


def with_mode(mode: str) -> dict[str, str]:
    return {"site.yaml": BILINGUAL_CONFIG + f"missing_translation: {mode}\n", **MISSING}


def test_missing_translation_fallback_shows_the_default_language(tmp_path: Path) -> None:
    site = model(tmp_path, MISSING)
    fallback = next(p for p in site.pages if p.is_fallback)
    assert (fallback.lang, fallback.source.lang) == ("en", "fr")
    assert fallback.url == "/en/mode-d-emploi/"
    assert site.original(fallback).url == "/fr/mode-d-emploi/"
    assert site.translations(fallback) == ()
    home_en = site.home("en")
    assert home_en is not None
    assert 'href="/en/mode-d-emploi/"' in home_en.content
    assert [p.url for p in site.children(home_en)] == ["/en/mode-d-emploi/"]


def test_missing_translation_omit_publishes_nothing(tmp_path: Path) -> None:
    files = with_mode("omit")
    files["content/index.en.md"] = page("Home")
    site = model(tmp_path, files)
    assert sorted(p.url for p in site.pages) == ["/en/", "/fr/", "/fr/mode-d-emploi/"]


def test_missing_translation_error_lists_every_missing_page(tmp_path: Path) -> None:
    files = with_mode("error")
    files["content/other.fr.md"] = page("Autre")
    with pytest.raises(SiteError) as caught:
        model(tmp_path, files)
    problems = caught.value.problems
    assert [p.path.name for p in problems if p.path] == ["guide.fr.md", "other.fr.md"]
    assert problems[0].message == "this page has no English ('en') version"
    assert "content/guide.en.md" in (problems[0].hint or "")


def test_with_omit_a_link_to_an_untranslated_page_leads_to_its_original(tmp_path: Path) -> None:
    site = model(
        tmp_path,
        {
            "site.yaml": BILINGUAL_CONFIG + "missing_translation: omit\n",
            "content/a.en.md": page("A", "[x](only-fr.md)"),
            "content/only-fr.fr.md": page("F", slug="seulement"),
        },
    )
    english = next(p for p in site.pages if p.lang == "en")
    assert 'href="/fr/seulement/"' in english.content


def test_links_written_from_the_root_or_with_dots(tmp_path: Path) -> None:
    """`/shop/item.md` is read from content/, `./` and `a/../` are resolved, and a
    link to a page in neither language's version leads to the first that exists
    (issue 22: each of these paths was unpinned)."""
    site = model(
        tmp_path,
        {
            "site.yaml": BILINGUAL_CONFIG + "missing_translation: omit\n",
            "content/shop/deep/page.fr.md": page(
                "P",
                "[a](/shop/item.md) [b](./item2.md) [c](../item.md) "
                "[d](../deep/./../item.md) [e](/only.md)",
            ),
            "content/shop/deep/item2.fr.md": page("I2"),
            "content/shop/item.fr.md": page("Article", slug="article"),
            "content/only.en.md": page("Only"),
        },
    )
    content = next(p for p in site.pages if p.source.key == "shop/deep/page").content
    hrefs = re.findall(r'href="([^"]+)"', content)
    assert hrefs == [
        "/fr/shop/article/",
        "/fr/shop/deep/item2/",
        "/fr/shop/article/",
        "/fr/shop/article/",
        "/en/only/",
    ]


def test_a_link_to_a_draft_says_how_to_see_it(tmp_path: Path) -> None:
    files = {"content/a.fr.md": page("A", "[x](d.md)"), "content/d.fr.md": page("D", draft="true")}
    with pytest.raises(SiteError) as caught:
        model(tmp_path, files)
    (problem,) = caught.value.problems
    assert problem.message == "the link 'd.md' points to a page that is a draft"
    assert problem.hint == "publish that page, or build with --drafts / --future to preview"
    with pytest.raises(SiteError) as caught:
        model(tmp_path, {"content/a.fr.md": page("A", "[x](/missing.md)")})
    (problem,) = caught.value.problems
    assert problem.message == "the link '/missing.md' points to a page that does not exist"
    assert problem.hint is None
