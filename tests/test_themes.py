"""Theme chains: site first, then each theme child before parent; mistakes point at a line."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from bs4 import BeautifulSoup

from sitegen.base.errors import Problem, SiteError
from sitegen.settings.config import SiteConfig, load_config
from sitegen.settings.languages import Language
from sitegen.settings.themes import BUNDLED_THEMES, Theme, find_theme, load_theme_chain, theme_hint

BASE_CONFIG = (
    "title: Soldes\n"
    "base_url: https://shop.example.com/\n"
    "languages: [fr, en]\n"
    "timezone: Europe/Paris\n"
)


def make_site(root: Path, theme: str | None, files: dict[str, str]) -> SiteConfig:
    """Write site.yaml (theme on line 5) and files; a name ending in '/' is a folder."""
    text = BASE_CONFIG + (f"theme: {theme}\n" if theme is not None else "")
    (root / "site.yaml").write_text(text, encoding="utf-8")
    for name, content in files.items():
        path = root / name
        if name.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    return load_config(root)


def chain_problem(config: SiteConfig) -> Problem:
    with pytest.raises(SiteError) as caught:
        load_theme_chain(config)
    assert len(caught.value.problems) == 1
    return caught.value.problems[0]


FULL_CHAIN = {
    "templates/": "",
    "static/": "",
    "i18n/": "",
    "themes/child/theme.yaml": "name: child\nextends: parent\n",
    "themes/child/templates/": "",
    "themes/child/static/": "",
    "themes/child/i18n/": "",
    "themes/parent/theme.yaml": "name: parent\ndescription: The base theme\n",
    "themes/parent/templates/": "",
    "themes/parent/static/": "",
    "themes/parent/i18n/": "",
}


def test_no_theme_means_only_the_site(tmp_path: Path) -> None:
    config = make_site(tmp_path, None, {"templates/": ""})
    chain = load_theme_chain(config)
    assert chain.themes == ()
    assert chain.template_dirs == (tmp_path / "templates",)
    assert chain.static_dirs == ()


NOT_FOUND = "not found in themes/ or among the themes bundled with sitegen"


def test_missing_theme_points_at_the_theme_line(tmp_path: Path) -> None:
    config = make_site(tmp_path, "doubel11", {"themes/double11/": "", "themes/plain/": ""})
    problem = chain_problem(config)
    assert problem.path == tmp_path / "site.yaml"
    assert problem.line == 5
    assert problem.message == f"theme 'doubel11' {NOT_FOUND}"
    assert problem.hint == "did you mean 'double11'?"


def test_did_you_mean_knows_the_bundled_themes(tmp_path: Path) -> None:
    problem = chain_problem(make_site(tmp_path, "dubble11", {"themes/plain/": ""}))
    assert problem.hint == "did you mean 'double11'?"


def test_missing_theme_lists_available_when_nothing_is_close(tmp_path: Path) -> None:
    config = make_site(tmp_path, "zzz", {"themes/double11/": "", "themes/base/": ""})
    # double11 is the site's own here: it is not listed again as bundled.
    assert chain_problem(config).hint == "available themes in themes/: base, double11"


def test_missing_theme_lists_both_kinds(tmp_path: Path) -> None:
    config = make_site(tmp_path, "zzz", {"themes/base/": ""})
    assert chain_problem(config).hint == (
        "available themes in themes/: base; bundled with sitegen: double11"
    )


def test_missing_themes_folder(tmp_path: Path) -> None:
    problem = chain_problem(make_site(tmp_path, "festive", {}))
    assert problem.line == 5
    assert problem.message == f"theme 'festive' {NOT_FOUND}"
    assert problem.hint == "available themes bundled with sitegen: double11"


# ---------------------------------------------------------------- bundled themes


def test_a_theme_resolves_from_the_package_without_a_themes_folder(tmp_path: Path) -> None:
    chain = load_theme_chain(make_site(tmp_path, "double11", {}))
    assert [(theme.name, theme.root) for theme in chain.themes] == [
        ("double11", BUNDLED_THEMES / "double11")
    ]
    assert chain.template_dirs == (BUNDLED_THEMES / "double11" / "templates",)
    assert (BUNDLED_THEMES / "double11" / "templates" / "base.html").is_file()


def test_a_site_theme_overrides_the_bundled_one_of_the_same_name(tmp_path: Path) -> None:
    chain = load_theme_chain(make_site(tmp_path, "double11", {"themes/double11/templates/": ""}))
    assert chain.themes == (Theme("double11", tmp_path / "themes" / "double11"),)
    assert chain.template_dirs == (tmp_path / "themes" / "double11" / "templates",)


def test_a_site_theme_may_extend_a_bundled_one(tmp_path: Path) -> None:
    files = {"themes/mine/theme.yaml": "name: mine\nextends: double11\n"}
    chain = load_theme_chain(make_site(tmp_path, "mine", files))
    assert [(theme.name, theme.root) for theme in chain.themes] == [
        ("mine", tmp_path / "themes" / "mine"),
        ("double11", BUNDLED_THEMES / "double11"),
    ]


def test_the_keys_and_fields_a_theme_reads_add_up_along_the_chain(tmp_path: Path) -> None:
    files = {
        "themes/mine/theme.yaml": "name: mine\nextends: double11\nfront_matter: [badge]\n"
        "feed_fields: {products: [ean]}\n"
    }
    chain = load_theme_chain(make_site(tmp_path, "mine", files))
    assert {"badge", "hero", "cta"} <= chain.front_matter_keys
    assert chain.feed_fields("products") == {"ean", "category", "description", "tags"}
    assert chain.feed_fields("merchants") == {"category", "city", "story", "quote", "since"}


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("front_matter: badge", "'front_matter' must be a list of names"),
        (
            "feed_fields: [ean]",
            "'feed_fields' maps a feed to the fields the theme reads: "
            "{products: [...], merchants: [...]}",
        ),
        ("feed_fields: {products: ean}", "'products' must be a list of names"),
    ],
)
def test_what_a_theme_declares_is_checked(tmp_path: Path, setting: str, message: str) -> None:
    files = {"themes/mine/theme.yaml": f"name: mine\n{setting}\n"}
    with pytest.raises(SiteError) as caught:
        load_theme_chain(make_site(tmp_path, "mine", files))
    assert [(p.message, p.line) for p in caught.value.problems] == [(message, 2)]


def test_find_theme_looks_in_the_site_then_the_bundle(tmp_path: Path) -> None:
    bundled = tmp_path / "bundled"
    (bundled / "shared").mkdir(parents=True)
    (bundled / "only-bundled").mkdir()
    site = tmp_path / "site"
    (site / "themes" / "shared").mkdir(parents=True)
    assert find_theme(site, "shared", bundled) == site / "themes" / "shared"
    assert find_theme(site, "only-bundled", bundled) == bundled / "only-bundled"
    assert find_theme(site, "nowhere", bundled) is None
    assert find_theme(site, "../site", bundled) is None
    assert theme_hint(site, "zzz", bundled) == (
        "available themes in themes/: shared; bundled with sitegen: only-bundled"
    )
    assert theme_hint(tmp_path / "empty", "zzz", tmp_path / "none") is None


def test_chain_order_is_site_child_parent(tmp_path: Path) -> None:
    chain = load_theme_chain(make_site(tmp_path, "child", FULL_CHAIN))
    assert chain.themes == (
        Theme("child", tmp_path / "themes" / "child"),
        Theme("parent", tmp_path / "themes" / "parent"),
    )
    child, parent = tmp_path / "themes" / "child", tmp_path / "themes" / "parent"
    assert chain.template_dirs == (
        tmp_path / "templates",
        child / "templates",
        parent / "templates",
    )
    assert chain.static_dirs == (tmp_path / "static", child / "static", parent / "static")
    assert chain.catalog_dirs == (tmp_path / "i18n", child / "i18n", parent / "i18n")


def test_missing_folders_are_skipped(tmp_path: Path) -> None:
    files = {
        "themes/child/theme.yaml": "extends: parent\n",
        "themes/child/static/": "",
        "themes/parent/templates/": "",
    }
    chain = load_theme_chain(make_site(tmp_path, "child", files))
    assert chain.template_dirs == (tmp_path / "themes" / "parent" / "templates",)
    assert chain.static_dirs == (tmp_path / "themes" / "child" / "static",)
    assert chain.catalog_dirs == ()


def test_theme_template_dirs_by_name(tmp_path: Path) -> None:
    chain = load_theme_chain(make_site(tmp_path, "child", FULL_CHAIN))
    assert chain.theme_template_dirs() == {
        "child": tmp_path / "themes" / "child" / "templates",
        "parent": tmp_path / "themes" / "parent" / "templates",
    }


def test_missing_parent_points_at_extends_line(tmp_path: Path) -> None:
    config = make_site(tmp_path, "child", {"themes/child/theme.yaml": "name: c\nextends: prent\n"})
    (tmp_path / "themes" / "parent").mkdir()
    problem = chain_problem(config)
    assert problem.path == tmp_path / "themes" / "child" / "theme.yaml"
    assert problem.line == 2
    assert problem.hint == "did you mean 'parent'?"


def test_extends_loop_is_an_error(tmp_path: Path) -> None:
    config = make_site(
        tmp_path,
        "a",
        {"themes/a/theme.yaml": "extends: b\n", "themes/b/theme.yaml": "name: b\nextends: a\n"},
    )
    problem = chain_problem(config)
    assert problem.path == tmp_path / "themes" / "b" / "theme.yaml"
    assert problem.line == 2
    assert problem.message == "themes extend each other in a loop: a → b → a"


def test_theme_extending_itself_is_a_loop(tmp_path: Path) -> None:
    problem = chain_problem(make_site(tmp_path, "a", {"themes/a/theme.yaml": "extends: a\n"}))
    assert "loop" in problem.message
    assert problem.line == 1


def test_unknown_theme_setting_is_an_error(tmp_path: Path) -> None:
    config = make_site(tmp_path, "a", {"themes/a/theme.yaml": "name: a\nextend: b\n"})
    problem = chain_problem(config)
    assert problem.path == tmp_path / "themes" / "a" / "theme.yaml"
    assert problem.line == 2
    assert problem.message == "unknown theme setting 'extend'"
    assert problem.hint == "did you mean 'extends'?"


def test_extends_must_be_a_name(tmp_path: Path) -> None:
    config = make_site(tmp_path, "a", {"themes/a/theme.yaml": "name: a\nextends: [b]\n"})
    problem = chain_problem(config)
    assert problem.line == 2
    assert problem.message == (
        "'extends' must be the name of another theme (a folder of themes/ or a bundled theme)"
    )


def test_theme_yaml_must_be_a_mapping(tmp_path: Path) -> None:
    problem = chain_problem(make_site(tmp_path, "a", {"themes/a/theme.yaml": "- a\n"}))
    assert problem.line == 1
    assert "theme.yaml" in problem.message


def test_empty_theme_yaml_is_fine(tmp_path: Path) -> None:
    chain = load_theme_chain(make_site(tmp_path, "a", {"themes/a/theme.yaml": ""}))
    assert [theme.name for theme in chain.themes] == ["a"]


def test_extends_outside_themes_folder_is_an_error(tmp_path: Path) -> None:
    config = make_site(
        tmp_path,
        "a",
        {"themes/a/theme.yaml": "name: a\nextends: ../templates\n", "templates/": ""},
    )
    problem = chain_problem(config)
    assert problem.path == tmp_path / "themes" / "a" / "theme.yaml"
    assert problem.line == 2


# ---------------------------------------------------------------- the double11 404 page


@dataclass(frozen=True)
class _LanguageLink:
    lang: Language
    url: str
    permalink: str
    current: bool
    translated: bool = True


def _render_404(lang: str) -> BeautifulSoup:
    """The theme's 404.html with only what the engine gives it: no `page`, no `pages`
    (strict undefined, so reading either fails), the French catalog for French."""
    theme = BUNDLED_THEMES / "double11"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(theme / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
    )
    env.filters["format_number"] = str  # base.html's, for a further page's title
    if lang == "fr":
        po = theme / "i18n" / "fr" / "LC_MESSAGES" / "messages.po"
        catalog = read_po(io.StringIO(po.read_text("utf-8")), locale="fr_FR")
        mo = io.BytesIO()
        write_mo(mo, catalog)
        mo.seek(0)
        env.install_gettext_translations(Translations(mo), newstyle=True)
    else:
        env.install_null_translations(newstyle=True)
    languages = {
        "fr": Language("fr", "fr_FR", "Français"),
        "en": Language("en", "en_GB", "English"),
    }
    switcher = tuple(
        _LanguageLink(language, f"/{code}/", f"https://x.test/{code}/", current=code == lang)
        for code, language in languages.items()
    )
    html = env.get_template("404.html").render(
        site={"title": "Soldes", "description": "", "params": {}, "base_url": "https://x.test/"},
        lang=languages[lang],
        data={},
        now=dt.datetime(2027, 11, 1, tzinfo=dt.UTC),
        campaign=None,
        asset=lambda path: "/" + path,
        url=lambda path: path,
        pages_with=lambda field, value: (),  # the footer's legal pages: none here
        switcher=switcher,
    )
    return BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize(
    ("lang", "heading", "other"),
    [("fr", "Cette page n\u2019existe pas", "en"), ("en", "This page does not exist", "fr")],
)
def test_the_404_page_needs_no_page(lang: str, heading: str, other: str) -> None:
    soup = _render_404(lang)
    assert soup.html["lang"] == lang
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert soup.find("link", rel="canonical") is None
    assert [h1.get_text(strip=True) for h1 in soup.find_all("h1")] == [heading]
    main = soup.find("main")
    assert main.find("a", href=f"/{lang}/") is not None
    assert main.find("a", href=f"/{other}/", hreflang=other, lang=other) is not None
