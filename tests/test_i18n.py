"""`sitegen i18n`: extract, update, status and stamp, end to end through the real CLI,
plus the counting and the front-matter editing on their own."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from sitegen.base.errors import SiteError
from sitegen.commands import i18n_catalogs, i18n_extract, i18n_report, i18n_stamp, i18n_status
from sitegen.settings.config import load_config
from sitegen.sources.content import fingerprint, load_page, load_pages
from sitegen.sources.data import load_data
from tests.conftest import (
    BUNDLED_THEMES,
    REPO,
    SITES,
    copy_example,
    page,
    parse_html,
    run_sitegen,
    write_tree,
)

NOW = "2027-11-01T09:00:00+01:00"


# ---------------------------------------------------------------- helpers


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    return read_po(io.StringIO(path.read_text("utf-8")), locale=locale)


def entries(catalog: Catalog) -> dict[tuple[str, str | None], str | tuple[str, ...]]:
    """(msgid, context) → translation, for every active entry."""
    found = {}
    for message in catalog:
        if message.id:
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            string = message.string if isinstance(message.string, str) else tuple(message.string)
            found[(msgid, message.context)] = string
    return found


def visible_strings(path: Path) -> list[str]:
    """What a reader sees or hears: the body's text and the accessible attributes."""
    soup = parse_html(path)
    texts = list(soup.body.stripped_strings) if soup.body else []
    for element in soup.find_all(True):
        for attribute in ("aria-label", "title", "alt", "placeholder"):
            if element.has_attr(attribute):
                texts.append(f"{element.name}[{attribute}]={element[attribute]}")
    return texts


def site_pages(output: Path, lang: str) -> dict[str, list[str]]:
    return {
        path.relative_to(output).as_posix(): visible_strings(path)
        for path in sorted((output / lang).rglob("*.html"))
    }


def _plain(text: str) -> str:
    """Text with the no-break spaces of French typography made plain spaces."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def ok(*args: str | Path, cwd: Path | None = None) -> str:
    result = run_sitegen(*args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def copy_fixture(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(SITES / name, target)
    return target


def translate(path: Path, translations: dict[str, str]) -> None:
    """Fill in translations of a catalog, as a translator would."""
    catalog = read_catalog(path)
    for msgid, text in translations.items():
        message = catalog.get(msgid)
        assert message is not None, msgid
        message.string = text
    out = io.BytesIO()
    write_po(out, catalog)
    path.write_bytes(out.getvalue())


# ---------------------------------------------------------------- extract


EXPECTED_POT = {
    # (msgid, context): (locations, extracted comments)
    ("Free delivery this week", None): (["templates/page.html:2"], []),
    ("Summer sale", None): (["templates/page.html:2"], []),
    ("Skip to content", None): (
        ["themes/shop/templates/base.html:6"],
        ["the first link of every page, for keyboard users"],
    ),
    ("Latest offers", None): (["themes/shop/templates/feed.xml:3"], []),
    ("%(count)s page in this language", None): (["themes/shop/templates/home.html:4"], []),
    ("Back to the shop", None): (["themes/shop/templates/page.html:6"], []),
    ("Open", "shop hours"): (["themes/shop/templates/partials/footer.html:1"], []),
    ("Open", None): (["themes/shop/templates/partials/footer.html:2"], []),
    ("Prices include VAT.", None): (["themes/shop/templates/partials/vat.txt:1"], []),
}


def test_extract_writes_every_string_of_the_site_and_its_theme(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    site = copy_fixture("i18n", tmp_path)
    stdout = ok("i18n", "extract", site)
    assert stdout == "Extracted 9 strings from 7 templates into i18n/messages.pot\n"
    pot = read_catalog(site / "i18n" / "messages.pot")
    found = {
        (m.id if isinstance(m.id, str) else m.id[0], m.context): (
            [f"{file}:{line}" for file, line in m.locations],
            m.auto_comments,
        )
        for m in pot
        if m.id
    }
    assert found == EXPECTED_POT  # NOTES.md is no template: "Never extracted" is not there
    plural = pot.get("%(count)s page in this language")
    assert plural.id == ("%(count)s page in this language", "%(count)s pages in this language")
    assert "python-format" in plural.flags
    assert pot.creation_date == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def test_extract_is_reproducible(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    site = copy_fixture("i18n", tmp_path)
    pot = site / "i18n" / "messages.pot"
    ok("i18n", "extract", site)
    first = pot.read_bytes()
    ok("i18n", "extract", site)
    assert pot.read_bytes() == first
    other = copy_fixture("i18n", tmp_path / "elsewhere")
    ok("i18n", "extract", other, cwd=other)
    assert (other / "i18n" / "messages.pot").read_bytes() == first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1794355200")
    ok("i18n", "extract", site)
    assert b'"POT-Creation-Date: 2026-11-11 00:00+0000\\n"' in pot.read_bytes()


def test_extract_uses_the_msgids_the_renderer_looks_up(tmp_path) -> None:
    # Rendering installs gettext "newstyle": a literal % in {% trans %} is looked up as %%.
    site = write_tree(
        tmp_path / "site",
        {
            "templates/home.html": "<p>{% trans %}Save 50% today{% endtrans %}</p>",
            "content/index.fr.md": page("Accueil"),
            "content/index.en.md": page("Home"),
            "i18n/fr/LC_MESSAGES/messages.po": 'msgid "Save 50%% today"\n'
            'msgstr "50 %% de remise"\n',
        },
    )
    ok("i18n", "extract", site)
    pot = read_catalog(site / "i18n" / "messages.pot")
    assert [m.id for m in pot if m.id] == ["Save 50%% today"]
    ok("build", site)
    assert _plain(parse_html(site / "output" / "fr" / "index.html").p.get_text()) == (
        "50 % de remise"
    )


def test_creation_date_comes_from_source_date_epoch() -> None:
    assert i18n_extract.creation_date(None) == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    assert i18n_extract.creation_date("") == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    assert i18n_extract.creation_date("1794355200") == dt.datetime(2026, 11, 11, tzinfo=dt.UTC)
    with pytest.raises(SiteError, match="SOURCE_DATE_EPOCH"):
        i18n_extract.creation_date("next week")


def test_extract_reports_a_template_that_does_not_parse(tmp_path) -> None:
    site = write_tree(
        tmp_path / "site",
        {"templates/page.html": "<p>{{ _('ok') }}</p>\n{% if %}\n"},
    )
    result = run_sitegen("i18n", "extract", site)
    assert result.returncode == 1
    assert "templates/page.html:2: template syntax error" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site / "i18n" / "messages.pot").exists()


# ---------------------------------------------------------------- update


def test_update_creates_a_catalog_for_every_language_but_the_source(tmp_path) -> None:
    site = copy_fixture("i18n", tmp_path)
    ok("i18n", "extract", site)
    stdout = ok("i18n", "update", site)
    assert stdout.splitlines() == [
        "created i18n/fr/LC_MESSAGES/messages.po: 9 strings, 9 untranslated",
        "created i18n/de/LC_MESSAGES/messages.po: 9 strings, 9 untranslated",
    ]
    assert not (site / "i18n" / "en").exists()  # en is the source language
    french = read_catalog(site / "i18n" / "fr" / "LC_MESSAGES" / "messages.po")
    german = read_catalog(site / "i18n" / "de" / "LC_MESSAGES" / "messages.po")
    assert str(french.locale) == "fr_FR"
    assert str(german.locale) == "de_DE"
    assert set(entries(french)) == set(EXPECTED_POT) == set(entries(german))


def test_update_keeps_translations_and_marks_removed_strings_obsolete(tmp_path) -> None:
    site = copy_fixture("i18n", tmp_path)
    french_po = site / "i18n" / "fr" / "LC_MESSAGES" / "messages.po"
    ok("i18n", "extract", site)
    ok("i18n", "update", site)
    translate(
        french_po,
        {"Free delivery this week": "Livraison offerte cette semaine", "Summer sale": "Soldes"},
    )
    ok("build", site)
    about = parse_html(site / "output" / "fr" / "about" / "index.html")
    assert about.find(class_="notice").get_text() == "Livraison offerte cette semaine"

    template = site / "templates" / "page.html"
    template.write_text(
        template.read_text("utf-8").replace('_("Summer sale")', '_("Gift wrapping available")')
    )
    ok("i18n", "extract", site)
    stdout = ok("i18n", "update", site)
    assert "updated i18n/fr/LC_MESSAGES/messages.po: 9 strings, 8 untranslated, 1 obsolete" in (
        stdout.splitlines()
    )
    french = read_catalog(french_po)
    assert entries(french)[("Free delivery this week", None)] == "Livraison offerte cette semaine"
    assert entries(french)[("Gift wrapping available", None)] == ""
    assert ("Summer sale", None) not in entries(french)
    assert french.obsolete["Summer sale"].string == "Soldes"
    assert '#~ msgid "Summer sale"\n#~ msgstr "Soldes"\n' in french_po.read_text("utf-8")

    # The string comes back: so does its translation, and the #~ entry goes.
    template.write_text(
        template.read_text("utf-8").replace('_("Gift wrapping available")', '_("Summer sale")')
    )
    ok("i18n", "extract", site)
    ok("i18n", "update", site)
    french = read_catalog(french_po)
    assert entries(french)[("Summer sale", None)] == "Soldes"
    assert "#~" not in french_po.read_text("utf-8")


def test_a_build_after_extract_and_update_loses_no_translated_string(tmp_path) -> None:
    site = copy_fixture("i18n", tmp_path)
    ok("build", site, "--output", tmp_path / "before")
    before = {lang: site_pages(tmp_path / "before", lang) for lang in ("fr", "en", "de")}
    home = before["fr"]["fr/index.html"]
    for text in ("Aller au contenu", "2 pages dans cette langue", "Ouvert", "Ouvrir", "Prix TTC."):
        assert text in home
    assert "Retour à la boutique" in before["fr"]["fr/about/index.html"]

    ok("i18n", "extract", site)
    ok("i18n", "update", site)  # empty site catalogs now come first in the chain
    ok("build", site, "--output", tmp_path / "after")
    after = {lang: site_pages(tmp_path / "after", lang) for lang in ("fr", "en", "de")}
    assert after == before


def test_update_with_theme_writes_the_theme_catalogs_from_its_own_templates(tmp_path) -> None:
    site = copy_fixture("i18n", tmp_path)
    stdout = ok("i18n", "update", site, "--theme", "shop")
    assert stdout.splitlines() == [
        "updated themes/shop/i18n/fr/LC_MESSAGES/messages.po: 7 strings, 0 untranslated; "
        "plural forms: 2 -> 3, the rule of fr_FR",  # the theme's catalog had 2 (n > 1)
        "created themes/shop/i18n/de/LC_MESSAGES/messages.po: 7 strings, 7 untranslated",
    ]
    assert not (site / "i18n").exists()  # nothing written for the site itself
    french = read_catalog(site / "themes" / "shop" / "i18n" / "fr" / "LC_MESSAGES" / "messages.po")
    found = entries(french)
    assert ("Free delivery this week", None) not in found  # a string of the site, not the theme
    assert found[("Open", "shop hours")] == "Ouvert"
    assert found[("Open", None)] == "Ouvrir"
    assert found[("%(count)s page in this language", None)] == (
        "%(count)s page dans cette langue",
        "%(count)s pages dans cette langue",  # many (1000000...): what (n > 1) gave it
        "%(count)s pages dans cette langue",
    )
    # locations are the theme's own, so the catalog travels with the theme
    assert french.get("Skip to content").locations == [("templates/base.html", 6)]
    ok("build", site)
    assert "Aller au contenu" in visible_strings(site / "output" / "fr" / "index.html")


def test_update_without_a_template_says_to_extract_first(tmp_path) -> None:
    site = copy_fixture("i18n", tmp_path)
    result = run_sitegen("i18n", "update", site)
    assert result.returncode == 1
    assert "i18n/messages.pot" in result.stderr
    assert "sitegen i18n extract" in result.stderr
    assert "Traceback" not in result.stderr


def test_update_with_an_unknown_theme(tmp_path) -> None:
    site = copy_fixture("i18n", tmp_path)
    result = run_sitegen("i18n", "update", site, "--theme", "shpo")
    assert result.returncode == 1
    assert "no theme 'shpo'" in result.stderr
    assert "did you mean 'shop'?" in result.stderr


def test_update_theme_writes_into_the_theme_the_build_uses(tmp_path) -> None:
    # Without themes/double11 in the site, that is the bundled theme (not written here:
    # tests never write into the repository); with one, the site's own.
    site = copy_example(tmp_path / "example")
    config = load_config(site)
    assert i18n_catalogs.theme_root(config, "double11") == BUNDLED_THEMES / "double11"
    (site / "themes" / "double11").mkdir(parents=True)
    assert i18n_catalogs.theme_root(config, "double11") == site / "themes" / "double11"
    with pytest.raises(SiteError) as caught:
        i18n_catalogs.theme_root(config, "dubble11")
    assert caught.value.problems[0].hint == "did you mean 'double11'?"


def test_extracted_locations_of_a_bundled_theme_do_not_depend_on_the_machine(tmp_path) -> None:
    site = copy_example(tmp_path / "example")
    ok("i18n", "extract", site)
    pot = (site / "i18n" / "messages.pot").read_text("utf-8")
    assert "#: sitegen/bundled/themes/double11/templates/base.html:" in pot
    assert str(tmp_path) not in pot and "/sitegen/bundled" not in pot


def test_update_reports_an_invalid_catalog_and_writes_nothing(tmp_path) -> None:
    site = copy_fixture("i18n", tmp_path)
    ok("i18n", "extract", site)
    broken = site / "i18n" / "fr" / "LC_MESSAGES" / "messages.po"
    broken.parent.mkdir(parents=True)
    broken.write_text('msgid "Open"\nmsgstr "Ouvrir"\nthis is not gettext\n', "utf-8")
    result = run_sitegen("i18n", "update", site)
    assert result.returncode == 1
    assert "messages.po:3: invalid gettext catalog" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site / "i18n" / "de").exists()


# ---------------------------------------------------------------- status


def status_json(site: Path, *options: str) -> dict:
    result = run_sitegen("i18n", "status", site, "--format", "json", *options)
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def test_status_counts_pages_strings_and_data_fields(tmp_path) -> None:
    report = status_json(SITES / "i18n-status")
    assert report["default_language"] == "fr"
    assert report["source_language"] == "en"
    assert report["below_min"] == []
    assert report["language_codes"] == ["fr", "en"]
    french, english = report["languages"]["fr"], report["languages"]["en"]
    assert (french["code"], french["done"], french["total"], french["percent"]) == (
        "fr",
        10,
        12,
        83.3,
    )
    assert french["pages"] == {
        "done": 4,
        "total": 4,
        "missing": [],
        "out_of_date": [],
        "not_stamped": [],
    }
    assert french["ui_strings"] == {
        "done": 2,
        "total": 3,
        "source_language": False,
        "catalogs": ["i18n/fr/LC_MESSAGES/messages.po"],
        "fallbacks": ["en"],
        "missing": [
            {
                "msgid": "Home",
                "plural": None,
                "context": None,
                "locations": ["templates/page.html:5"],
                "fuzzy": False,
                "empty_forms": [],
            }
        ],
    }
    assert french["data_fields"] == {
        "done": 4,
        "total": 5,
        "missing": [{"file": "data/stats.yaml", "line": 3, "path": "stats[0].unit"}],
    }

    assert (english["code"], english["done"], english["total"], english["percent"]) == (
        "en",
        9,
        12,
        75.0,
    )
    pages = english["pages"]
    assert (pages["done"], pages["total"]) == (2, 4)
    assert pages["missing"] == [  # a draft counts: join.fr.md has draft: true
        {"group": "join", "existing": "content/join.fr.md", "expected": "content/join.en.md"}
    ]
    assert [(m["file"], m["original"], m["translated_from"]) for m in pages["out_of_date"]] == [
        ("content/explainer.en.md", "content/explainer.fr.md", "000000000000")
    ]
    assert [(m["file"], m["original"]) for m in pages["not_stamped"]] == [
        ("content/about.en.md", "content/about.fr.md")
    ]
    assert english["ui_strings"] == {
        "done": 3,
        "total": 3,
        "source_language": True,
        "catalogs": [],
        "fallbacks": [],
        "missing": [],
    }
    assert english["data_fields"]["missing"] == [
        {"file": "data/products.csv", "line": 3, "path": "products[1].name"}
    ]


def test_status_text_lists_what_is_left() -> None:
    result = run_sitegen("i18n", "status", SITES / "i18n-status")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == ("fr (Français): 83.3% (10/12): pages 4/4, UI strings 2/3, data fields 4/5")
    assert lines[1] == (
        "en (English): 75.0% (9/12): pages 2/4, UI strings 3/3 (source language), data fields 4/5"
    )
    text = result.stdout
    assert '"Home" at templates/page.html:5' in text
    assert "data/stats.yaml:3: stats[0].unit" in text
    assert "content/join.en.md (translation of content/join.fr.md)" in text
    assert "content/explainer.en.md: content/explainer.fr.md is now" in text
    assert "content/about.en.md (from content/about.fr.md)" in text
    assert "sitegen i18n stamp" in text
    assert "data/products.csv:3: products[1].name" in text


def test_status_min_sets_the_exit_status() -> None:
    site = SITES / "i18n-status"
    failing = run_sitegen("i18n", "status", site, "--min", "100")
    assert failing.returncode == 1
    assert "below --min 100.0%: fr (83.3%), en (75.0%)" in failing.stderr
    assert run_sitegen("i18n", "status", site, "--min", "50").returncode == 0
    one = run_sitegen("i18n", "status", site, "--min", "80", "--format", "json")
    assert one.returncode == 1
    assert json.loads(one.stdout)["below_min"] == ["en"]
    assert run_sitegen("i18n", "status", site, "--min", "150").returncode == 2
    assert run_sitegen("i18n", "status", site, "--min", "lots").returncode == 2


def test_status_reports_an_invalid_catalog_with_its_line(tmp_path) -> None:
    site = copy_fixture("i18n-status", tmp_path)
    catalog = site / "i18n" / "fr" / "LC_MESSAGES" / "messages.po"
    catalog.write_text(catalog.read_text("utf-8") + "\nmsgid broken\n", "utf-8")
    result = run_sitegen("i18n", "status", site)
    assert result.returncode == 1
    assert "messages.po:18: invalid gettext catalog" in result.stderr
    assert "Traceback" not in result.stderr


def test_status_reports_every_problem_of_the_site_at_once(tmp_path) -> None:
    site = copy_fixture("i18n-status", tmp_path)
    (site / "content" / "about.en.md").write_text("---\ntitle: [unclosed\n---\n", "utf-8")
    (site / "data" / "stats.yaml").write_text("- id: a\n  id: b\n", "utf-8")
    result = run_sitegen("i18n", "status", site)
    assert result.returncode == 1
    assert "about.en.md:3:1: invalid YAML" in result.stderr
    assert "stats.yaml:2:3: duplicate key 'id'" in result.stderr
    assert "2 problems" in result.stderr


def test_status_on_the_bundled_example() -> None:
    result = run_sitegen("i18n", "status", REPO, "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["language_codes"] == ["fr", "en"]
    for language in report["languages"].values():
        assert language["total"] > 0
        assert language["pages"]["total"] > 0
        assert language["ui_strings"]["total"] > 0
        assert language["data_fields"]["total"] > 0


# ---------------------------------------------------------------- counting


def test_pages_are_grouped_by_translation_key_or_path(tmp_path) -> None:
    site = write_tree(
        tmp_path / "site",
        {
            "content/index.fr.md": page("Accueil", "Bonjour"),
            "content/index.en.md": page("Home", "Hello"),
            "content/merchants/lumen.fr.md": page("Lumen", translation_key="lumen"),
            "content/merchants/lumen-shop.en.md": page("Lumen", translation_key="lumen"),
            "content/news/soon.fr.md": page("Bientôt", publish="2099-01-01"),
            "content/only-english.en.md": page("English only"),
        },
    )
    config = load_config(site)
    original = load_page(config, site / "content" / "index.fr.md")
    (site / "content" / "index.en.md").write_text(
        page("Home", "Hello", translated_from=f'"{fingerprint(original)}"'), "utf-8"
    )
    states = i18n_status.page_status(config, load_pages(config))
    french, english = states["fr"], states["en"]
    assert (french.done, french.total) == (3, 4)
    assert french.missing == (
        i18n_status.MissingPage(
            "only-english", "content/only-english.en.md", "content/only-english.fr.md"
        ),
    )
    assert french.out_of_date == french.not_stamped == ()  # the default language is the original
    assert (english.done, english.total) == (3, 4)
    assert english.missing == (
        i18n_status.MissingPage("news/soon", "content/news/soon.fr.md", "content/news/soon.en.md"),
    )
    assert english.out_of_date == ()
    # lumen-shop.en.md is lumen.fr.md's translation through translation_key;
    # only-english has no original, so nothing to compare with
    assert [m.file for m in english.not_stamped] == ["content/merchants/lumen-shop.en.md"]


def test_a_stamp_goes_out_of_date_when_the_original_changes(tmp_path) -> None:
    site = write_tree(
        tmp_path / "site",
        {"content/a.fr.md": page("Titre", "Texte"), "content/a.en.md": page("Title", "Text")},
    )
    config = load_config(site)
    stamp = fingerprint(load_page(config, site / "content" / "a.fr.md"))
    (site / "content" / "a.en.md").write_text(
        page("Title", "Text", translated_from=f'"{stamp}"'), "utf-8"
    )
    english = i18n_status.page_status(config, load_pages(config))["en"]
    assert (english.done, english.out_of_date, english.not_stamped) == (1, (), ())
    (site / "content" / "a.fr.md").write_text(page("Titre", "Texte modifié"), "utf-8")
    english = i18n_status.page_status(config, load_pages(config))["en"]
    assert english.done == 0
    assert [(m.file, m.translated_from) for m in english.out_of_date] == [
        ("content/a.en.md", stamp)
    ]


def test_ui_strings_need_a_translation_that_is_complete_and_not_fuzzy(tmp_path) -> None:
    config = load_config(write_tree(tmp_path / "site", {}))
    template = Catalog()
    template.add("Open", None, [("templates/a.html", 1)], context="shop hours")
    template.add("Open", None, [("templates/a.html", 2)])
    template.add(("%(n)s day", "%(n)s days"), None, [("templates/a.html", 3)])
    template.add("Close", None, [("templates/a.html", 4)])
    template.add("Back", None, [("templates/a.html", 5)])
    site_catalog = Catalog(locale="fr")
    site_catalog.add("Open", "Ouvert", context="shop hours")
    site_catalog.add("Close", "Fermer", flags=["fuzzy"])
    # French has 3 plural forms (0, 1 | 1000000... | 2, 3...): msgstr[1] is left empty
    site_catalog.add(("%(n)s day", "%(n)s days"), ("%(n)s jour", "", "%(n)s jours"), lineno=9)
    theme_catalog = Catalog(locale="fr")
    theme_catalog.add("Back", "Retour")
    theme_catalog.add(("%(n)s day", "%(n)s days"), ("jour", "jours", "jours"))
    messages = [m for m in template if m.id]
    states = i18n_status.string_status(
        config,
        messages,
        {
            "fr": [
                i18n_status.CatalogFile("i18n/fr/LC_MESSAGES/messages.po", site_catalog),
                i18n_status.CatalogFile("themes/t/i18n/fr/LC_MESSAGES/messages.po", theme_catalog),
            ]
        },
    )
    french = states["fr"]
    assert (french.done, french.total) == (2, 5)  # "Open" in context, and "Back" from the theme
    assert [(m.msgid, m.context, m.plural, m.fuzzy) for m in french.missing] == [
        ("Open", None, None, False),
        # not done: the site's entry leaves a form empty, though the theme's has them all
        ("%(n)s day", None, "%(n)s days", False),
        ("Close", None, None, True),
    ]
    assert french.missing[0].locations == ("templates/a.html:2",)
    assert french.missing[1].empty_forms == (
        i18n_status.EmptyForms(
            "i18n/fr/LC_MESSAGES/messages.po", 9, (1,), ("1000000, 2000000, 3000000…",)
        ),
    )
    assert french.missing[0].empty_forms == french.missing[2].empty_forms == ()
    english = states["en"]
    assert (english.done, english.total, english.source_language) == (5, 5, True)


def test_localized_data_fields_and_their_lines(tmp_path) -> None:
    site = write_tree(
        tmp_path / "site",
        {
            "data/shop/products.csv": "id,name.fr,name.en,price\n"
            "a,Lampe,Lamp,1\n"
            "b,Vase,,2\n"
            "c,,  ,3\n",
            "data/merchants.yaml": "- id: lumen\n"
            "  story:\n"
            "    fr: Fondé à Lyon\n"
            "  tags:\n"
            "    - {fr: soie, en: silk}\n"
            "    - {fr: lin, en: null}\n"
            "  city: Lyon\n",
        },
    )
    config = load_config(site)
    fields = i18n_status.localized_fields(config, load_data(config))
    assert [(f.file, f.line, f.path) for f in fields] == [
        ("data/merchants.yaml", 2, "merchants[0].story"),
        ("data/merchants.yaml", 5, "merchants[0].tags[0]"),
        ("data/merchants.yaml", 6, "merchants[0].tags[1]"),
        ("data/shop/products.csv", 2, "shop.products[0].name"),
        ("data/shop/products.csv", 3, "shop.products[1].name"),
        ("data/shop/products.csv", 4, "shop.products[2].name"),
    ]
    states = i18n_status.field_status(config, fields)
    assert (states["fr"].done, states["fr"].total) == (5, 6)
    assert [m.path for m in states["fr"].missing] == ["shop.products[2].name"]
    assert [m.path for m in states["en"].missing] == [
        "merchants[0].story",
        "merchants[0].tags[1]",
        "shop.products[1].name",
        "shop.products[2].name",
    ]


def test_percentages_are_rounded_down_so_100_means_complete() -> None:
    def state(done: int, total: int) -> i18n_status.LanguageStatus:
        language = load_config(SITES / "i18n-status").language("fr")
        return i18n_status.LanguageStatus(
            language,
            i18n_status.PageStatus(
                total, tuple(i18n_status.MissingPage("g", "a", "b") for _ in range(total - done))
            ),
            i18n_status.StringStatus(0),
            i18n_status.FieldStatus(0),
        )

    assert i18n_report.format_percent(state(1999, 2000).percent) == "99.9"
    assert i18n_report.format_percent(state(2, 3).percent) == "66.6"
    assert i18n_report.format_percent(state(3, 3).percent) == "100.0"
    assert i18n_report.format_percent(state(0, 0).percent) == "100.0"
    assert state(1, 2).below(Decimal("50.1"))
    assert not state(1, 2).below(Decimal(50))


# ---------------------------------------------------------------- stamp


def test_stamp_front_matter_edits_one_line_only() -> None:
    text = "---\ntitle: About\nslug: about\n---\nBody\n---\nrule\n"
    assert i18n_stamp.stamp_front_matter(text, "abc") == (
        '---\ntitle: About\nslug: about\ntranslated_from: "abc"\n---\nBody\n---\nrule\n'
    )
    stamped = "---\ntitle: About\ntranslated_from: old  # note\nslug: about\n---\nBody\n"
    assert i18n_stamp.stamp_front_matter(stamped, "abc") == (
        '---\ntitle: About\ntranslated_from: "abc"\nslug: about\n---\nBody\n'
    )
    folded = "---\ntranslated_from:\n  old\ntitle: About\n---\n"
    assert i18n_stamp.stamp_front_matter(folded, "abc") == (
        '---\ntranslated_from: "abc"\ntitle: About\n---\n'
    )
    windows = "\ufeff---\r\ntitle: About\r\n---\r\nBody\r\n"
    assert i18n_stamp.stamp_front_matter(windows, "abc") == (
        '\ufeff---\r\ntitle: About\r\ntranslated_from: "abc"\r\n---\r\nBody\r\n'
    )
    assert i18n_stamp.stamp_front_matter("Just text\n", "abc") == (
        '---\ntranslated_from: "abc"\n---\nJust text\n'
    )
    assert i18n_stamp.stamp_front_matter("---\n---\nBody", "abc") == (
        '---\ntranslated_from: "abc"\n---\nBody'
    )


def test_stamp_then_editing_the_original_makes_it_out_of_date(tmp_path) -> None:
    site = copy_fixture("i18n-status", tmp_path)
    about = site / "content" / "about.en.md"
    before = about.read_bytes()
    stdout = ok("i18n", "stamp", site, "content/about.en.md", cwd=tmp_path)
    config = load_config(site)
    stamp = fingerprint(load_page(config, site / "content" / "about.fr.md"))
    assert stdout == f"stamped content/about.en.md (from content/about.fr.md, {stamp})\n"
    assert about.read_bytes() == before.replace(
        b"---\nWho", f'translated_from: "{stamp}"\n---\nWho'.encode()
    )
    english = status_json(site)["languages"]["en"]
    assert english["pages"]["not_stamped"] == []
    assert english["pages"]["done"] == 2

    original = site / "content" / "about.fr.md"
    original.write_text(original.read_text("utf-8").replace("Qui", "Mais qui"), "utf-8")
    english = status_json(site)["languages"]["en"]
    assert english["pages"]["done"] == 1
    assert [m["file"] for m in english["pages"]["out_of_date"]] == [
        "content/about.en.md",
        "content/explainer.en.md",
    ]
    # stamping again (path relative to the current folder this time) replaces the line
    again = ok("i18n", "stamp", site, site / "content" / "about.en.md")
    assert "stamped content/about.en.md" in again
    assert about.read_bytes().count(b"translated_from") == 1
    assert status_json(site)["languages"]["en"]["pages"]["done"] == 2


def test_stamp_all_and_the_site_folder_default(tmp_path) -> None:
    site = copy_fixture("i18n-status", tmp_path)
    explainer = site / "content" / "explainer.en.md"
    before = explainer.read_bytes()
    stdout = ok("i18n", "stamp", "--all", cwd=site)
    assert stdout.splitlines()[0].startswith("stamped content/about.en.md")
    assert "already stamped: content/index.en.md (from content/index.fr.md)" in stdout
    assert len(stdout.splitlines()) == 3
    stamp = fingerprint(load_page(load_config(site), site / "content" / "explainer.fr.md"))
    assert explainer.read_bytes() == before.replace(b"000000000000", stamp.encode())
    english = status_json(site)["languages"]["en"]
    assert english["pages"]["out_of_date"] == english["pages"]["not_stamped"] == []


def test_stamp_refuses_what_is_not_a_translation(tmp_path) -> None:
    site = copy_fixture("i18n-status", tmp_path)
    (site / "content" / "solo.en.md").write_text(page("Solo"), "utf-8")
    stranger = tmp_path / "stranger.en.md"
    stranger.write_text(page("Stranger"), "utf-8")
    about = site / "content" / "about.en.md"
    before = about.read_bytes()
    result = run_sitegen(
        "i18n",
        "stamp",
        site,
        "content/about.en.md",
        "content/about.fr.md",
        "content/solo.en.md",
        stranger,
        "content/nowhere.en.md",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "about.fr.md: this page is in the default language (fr)" in result.stderr
    assert "solo.en.md: this translation has no original in the default language" in (result.stderr)
    assert "stranger.en.md: this file is not a page of the site" in result.stderr
    assert "nowhere.en.md: no such file" in result.stderr
    assert "Traceback" not in result.stderr
    assert about.read_bytes() == before  # nothing written when anything is wrong


def test_stamp_usage_errors_exit_2(tmp_path) -> None:
    site = copy_fixture("i18n-status", tmp_path)
    assert run_sitegen("i18n", "stamp", site).returncode == 2
    assert run_sitegen("i18n", "stamp", site, "content/about.en.md", "--all").returncode == 2


# ---------------------------------------------------------------- the command line


def test_help_on_every_i18n_command() -> None:
    for command in ("extract", "update", "status", "stamp"):
        result = run_sitegen("i18n", command, "--help")
        assert result.returncode == 0
        assert f"usage: sitegen i18n {command}" in result.stdout
    assert "--theme NAME" in run_sitegen("i18n", "update", "--help").stdout
    assert "--min PERCENT" in run_sitegen("i18n", "status", "--help").stdout
    assert "(FILE ... | --all)" in run_sitegen("i18n", "stamp", "--help").stdout
    assert run_sitegen("i18n").returncode == 2
    assert run_sitegen("i18n", "translate").returncode == 2


@pytest.mark.parametrize("command", ["extract", "update", "status", "stamp --all"])
def test_site_problems_exit_1_with_their_place(tmp_path, command: str) -> None:
    missing = run_sitegen("i18n", *command.split(), cwd=tmp_path)
    assert missing.returncode == 1
    assert "no site.yaml here" in missing.stderr
    assert "Traceback" not in missing.stderr
    (tmp_path / "site.yaml").write_text("title: T\nlanguages: [fr\n", "utf-8")
    bad = run_sitegen("i18n", *command.split(), cwd=tmp_path)
    assert bad.returncode == 1
    assert "site.yaml:3" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_an_unknown_theme_in_site_yaml(tmp_path) -> None:
    site = copy_fixture("i18n", tmp_path)
    config = site / "site.yaml"
    config.write_text(config.read_text("utf-8").replace("theme: shop", "theme: shpo"), "utf-8")
    for command in ("extract", "status"):
        result = run_sitegen("i18n", command, site)
        assert result.returncode == 1
        assert "site.yaml:10: theme 'shpo' not found" in result.stderr
        assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- the bundled example


def test_extract_and_update_keep_the_example_fully_translated(tmp_path) -> None:
    # A copy: nothing is ever written into the repository.
    # With its own copy of the theme, which `update --theme` then writes into.
    site = copy_example(tmp_path / "example", with_theme=True)
    theme_po = site / "themes" / "double11" / "i18n" / "fr" / "LC_MESSAGES" / "messages.po"
    theme_catalog = entries(read_catalog(theme_po))
    translated_before = {key for key, value in theme_catalog.items() if value and all(value)}

    ok("build", site, "--output", tmp_path / "before", "--now", NOW)
    before = site_pages(tmp_path / "before", "fr")
    home = _plain("\n".join(before["fr/index.html"]))
    shown_on_home = [
        value
        for value in theme_catalog.values()
        if isinstance(value, str) and value and "%(" not in value and _plain(value) in home
    ]
    assert len(shown_on_home) >= 10  # the comparison below means something

    ok("i18n", "extract", site)
    ok("i18n", "update", site)  # creates the site's (empty) French catalog
    ok("i18n", "update", site, "--theme", "double11")
    updated = read_catalog(theme_po)
    still = {key for key, value in entries(updated).items() if value and all(value)}
    assert translated_before <= still  # no translation of the theme became obsolete
    assert not updated.obsolete

    ok("build", site, "--output", tmp_path / "after", "--now", NOW)
    after = site_pages(tmp_path / "after", "fr")
    assert after["fr/index.html"] == before["fr/index.html"]
    assert after == before


# ---------------------------------------------------------------- plural forms


DAYS = {
    "templates/home.html": "<title>{{ page.title }}</title>{% for n in [0, 1, 2, 1000000] %}"
    "<p class=days>{% trans count=n %}{{ count }} day{% pluralize %}{{ count }} days"
    "{% endtrans %}</p>{% endfor %}",
    "content/index.fr.md": page("Accueil"),
    "content/index.en.md": page("Home"),
}
"""A site whose French home page says 0, 1, 2 and 1000000 days."""
DAY = ("%(count)s day", None)
GNU_FRENCH = (
    'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
    'msgid "%(count)s day"\nmsgid_plural "%(count)s days"\n'
)
"""A French catalog as the GNU gettext manual writes French: two forms, msgstr[1] for 2, 3..."""


def shown_days(output: Path) -> list[str]:
    home = parse_html(output / "fr" / "index.html")
    return [_plain(p.get_text()) for p in home.find_all("p", class_="days")]


def test_update_writes_each_language_s_plural_forms(tmp_path) -> None:
    site = write_tree(
        tmp_path / "site",
        {
            # templates in German, so that every language listed has a catalog
            "site.yaml": "title: Shop\nbase_url: https://x.org/\nlanguages: [fr, en, pl, ja]\n"
            "timezone: UTC\nsource_language: de\n",
            **DAYS,
        },
    )
    ok("i18n", "extract", site)
    ok("i18n", "update", site)
    for lang, count in {"fr": 3, "en": 2, "pl": 3, "ja": 1}.items():
        path = site / "i18n" / lang / "LC_MESSAGES" / "messages.po"
        assert read_catalog(path).num_plurals == count, lang
        assert path.read_text("utf-8").count("\nmsgstr[") == count, lang
    french = (site / "i18n" / "fr" / "LC_MESSAGES" / "messages.po").read_text("utf-8")
    assert (
        '"Plural-Forms: nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % "\n'
        '"1000000 == 0 ? 1 : 2;\\n"\n'
    ) in french
    # what each form is for, where a translator reads the file
    assert (
        "#   msgstr[0]: 0, 1\n#   msgstr[1]: 1000000, 2000000, 3000000…\n#   msgstr[2]: 2, 3, 4…\n"
    ) in french


def test_french_pages_show_the_form_of_each_number_before_and_after_update(tmp_path) -> None:
    site = write_tree(
        tmp_path / "site",
        {
            **DAYS,
            "i18n/fr/LC_MESSAGES/messages.po": GNU_FRENCH
            + 'msgstr[0] "%(count)s jour"\nmsgstr[1] "%(count)s jours"\n',
        },
    )
    ok("build", site, "--output", tmp_path / "before")
    assert shown_days(tmp_path / "before") == ["0 jour", "1 jour", "2 jours", "1000000 jours"]

    ok("i18n", "extract", site)
    stdout = ok("i18n", "update", site)
    assert stdout == (
        "updated i18n/fr/LC_MESSAGES/messages.po: 1 strings, 0 untranslated; "
        "plural forms: 2 -> 3, the rule of fr\n"
    )
    catalog = read_catalog(site / "i18n" / "fr" / "LC_MESSAGES" / "messages.po")
    assert entries(catalog)[DAY] == ("%(count)s jour", "%(count)s jours", "%(count)s jours")
    ok("build", site, "--output", tmp_path / "after")
    assert shown_days(tmp_path / "after") == ["0 jour", "1 jour", "2 jours", "1000000 jours"]


def test_update_reports_a_catalog_it_cannot_convert(tmp_path) -> None:
    zero_one_other = (
        GNU_FRENCH.replace(
            "nplurals=2; plural=(n > 1);", "nplurals=3; plural=(n == 0 ? 0 : n == 1 ? 1 : 2);"
        )
        + 'msgstr[0] "aucun jour"\nmsgstr[1] "un jour"\nmsgstr[2] "%(count)s jours"\n'
    )
    site = write_tree(
        tmp_path / "site", {**DAYS, "i18n/fr/LC_MESSAGES/messages.po": zero_one_other}
    )
    ok("i18n", "extract", site)
    result = run_sitegen("i18n", "update", site)
    assert result.returncode == 1
    assert (
        'messages.po:7: the plural forms of "%(count)s day" cannot be moved to the rule of fr: '
        "its msgstr[0] stands for 0, 1, which this catalog translates differently "
        '("aucun jour" for 0, "un jour" for 1)'
    ) in result.stderr
    assert "Traceback" not in result.stderr
    assert (site / "i18n" / "fr" / "LC_MESSAGES" / "messages.po").read_text("utf-8") == (
        zero_one_other
    )


def test_a_catalog_with_the_wrong_number_of_forms_stops_the_build_at_its_line(tmp_path) -> None:
    # No Plural-Forms header: French's rule (3 forms) is the catalog's, and the
    # entry has 2. The page used to show "2 days" and "1 day", with no word said.
    site = write_tree(
        tmp_path / "site",
        {
            **DAYS,
            "i18n/fr/LC_MESSAGES/messages.po": 'msgid "%(count)s day"\n'
            'msgid_plural "%(count)s days"\nmsgstr[0] "%(count)s jour"\n'
            'msgstr[1] "%(count)s jours"\n',
        },
    )
    result = run_sitegen("build", site)
    assert result.returncode == 1
    assert (
        'messages.po:1: msgid "%(count)s day": 2 plural forms (msgstr[n] lines) where its '
        "catalog's rule has 3"
    ) in result.stderr
    assert "no Plural-Forms header" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site / "output").exists()


def test_status_flags_a_plural_entry_with_forms_left_empty(tmp_path) -> None:
    site = write_tree(tmp_path / "site", DAYS)
    ok("i18n", "extract", site)
    ok("i18n", "update", site)
    path = site / "i18n" / "fr" / "LC_MESSAGES" / "messages.po"
    # Filled as if French had two forms: msgstr[1] is for millions, msgstr[2] is left empty.
    catalog = read_catalog(path)
    catalog.get(DAY[0]).string = ("%(count)s jour", "%(count)s jours", "")
    out = io.BytesIO()
    write_po(out, catalog)
    path.write_bytes(out.getvalue())
    line = read_catalog(path).get(DAY[0]).lineno

    result = run_sitegen("i18n", "status", site)
    assert result.returncode == 0, result.stderr
    assert "UI strings 0/1," in result.stdout.splitlines()[0]
    assert (
        "  UI strings with plural forms left empty (1):\n"
        f'    i18n/fr/LC_MESSAGES/messages.po:{line}: "%(count)s day" / "%(count)s days": '
        "msgstr[2] (for 2, 3, 4…) empty\n"
    ) in result.stdout
    assert "missing UI strings" not in result.stdout
    (missing,) = status_json(site)["languages"]["fr"]["ui_strings"]["missing"]
    assert missing["empty_forms"] == [
        {
            "file": "i18n/fr/LC_MESSAGES/messages.po",
            "line": line,
            "forms": [2],
            "numbers": ["2, 3, 4…"],
        }
    ]
    # the forms it has are shown; 2 has none here, nor in any other catalog
    ok("build", site)
    assert shown_days(site / "output") == ["0 jour", "1 jour", "2 days", "1000000 jours"]
