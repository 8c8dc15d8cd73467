"""UI catalogs: site over theme, source text when untranslated, the catalog's plural rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from sitegen.base.errors import SiteError
from sitegen.rendering.catalogs import catalog_paths, load_translations, ui_translations
from sitegen.rendering.languagemarks import marked

PRODUCT = "%(num)d product"
PRODUCTS = "%(num)d products"


def po_path(folder: Path, lang: str) -> Path:
    path = folder / lang / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def write_catalog(folder: Path, lang: str, messages: dict[str, str]) -> Path:
    """A catalog written by babel's own writer."""
    catalog = Catalog(locale=lang)
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr)
    path = po_path(folder, lang)
    with path.open("wb") as handle:
        write_po(handle, catalog)
    return path


HEADER = """\
msgid ""
msgstr ""
"Language: fr\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

"""


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    """A site catalog written by babel and a theme catalog written by hand."""
    site = tmp_path / "site" / "i18n"
    theme = tmp_path / "theme" / "i18n"
    write_catalog(site, "fr", {"Buy now": "Acheter (site)", "Only site": "Seulement le site"})
    po_path(theme, "fr").write_text(
        HEADER
        + 'msgid "Buy now"\nmsgstr "Acheter (thème)"\n\n'
        + 'msgid "Read more"\nmsgstr "Lire la suite"\n\n'
        + f'msgid "{PRODUCT}"\nmsgid_plural "{PRODUCTS}"\n'
        + 'msgstr[0] "%(num)d produit"\nmsgstr[1] "%(num)d produits"\n',
        encoding="utf-8",
    )
    return site, theme


def test_catalog_paths_in_priority_order(dirs: tuple[Path, Path], tmp_path: Path) -> None:
    site, theme = dirs
    assert catalog_paths((site, tmp_path / "nothing", theme), "fr") == [
        site / "fr" / "LC_MESSAGES" / "messages.po",
        theme / "fr" / "LC_MESSAGES" / "messages.po",
    ]
    assert catalog_paths((site, theme), "en") == []


def test_site_overrides_theme(dirs: tuple[Path, Path]) -> None:
    assert load_translations(dirs, "fr", "fr_FR").gettext("Buy now") == "Acheter (site)"


def test_theme_only_strings_still_translate(dirs: tuple[Path, Path]) -> None:
    assert load_translations(dirs, "fr", "fr_FR").gettext("Read more") == "Lire la suite"


def test_site_only_strings_translate(dirs: tuple[Path, Path]) -> None:
    assert load_translations(dirs, "fr", "fr_FR").gettext("Only site") == "Seulement le site"


def test_untranslated_gives_the_source_text(dirs: tuple[Path, Path]) -> None:
    assert load_translations(dirs, "fr", "fr_FR").gettext("Checkout") == "Checkout"


def test_empty_translation_gives_the_source_text(tmp_path: Path) -> None:
    write_catalog(tmp_path, "fr", {"Checkout": ""})
    assert load_translations((tmp_path,), "fr", "fr_FR").gettext("Checkout") == "Checkout"


def test_no_catalog_gives_source_text(tmp_path: Path) -> None:
    translations = load_translations((tmp_path,), "fr", "fr_FR")
    assert translations.gettext("Buy now") == "Buy now"
    assert translations.ngettext(PRODUCT, PRODUCTS, 1) == PRODUCT
    assert translations.ngettext(PRODUCT, PRODUCTS, 2) == PRODUCTS


def test_plural_forms_from_the_catalog(dirs: tuple[Path, Path]) -> None:
    translations = load_translations(dirs, "fr", "fr_FR")
    assert translations.ngettext(PRODUCT, PRODUCTS, 1) == "%(num)d produit"
    assert translations.ngettext(PRODUCT, PRODUCTS, 2) == "%(num)d produits"


def test_french_zero_is_singular(dirs: tuple[Path, Path]) -> None:
    translations = load_translations(dirs, "fr", "fr_FR")
    assert translations.ngettext(PRODUCT, PRODUCTS, 0) == "%(num)d produit"


def test_french_zero_is_singular_from_a_hand_written_catalog(tmp_path: Path) -> None:
    po_path(tmp_path, "fr").write_text(
        HEADER + 'msgid "one item"\nmsgid_plural "items"\nmsgstr[0] "un article"\n'
        'msgstr[1] "articles"\n',
        encoding="utf-8",
    )
    translations = load_translations((tmp_path,), "fr", "fr_FR")
    assert [translations.ngettext("one item", "items", n) for n in (0, 1, 2)] == [
        "un article",
        "un article",
        "articles",
    ]


def test_hand_written_catalog_with_utf8_and_bom(tmp_path: Path) -> None:
    po_path(tmp_path, "fr").write_bytes(
        ("\ufeff" + HEADER + 'msgid "Tea"\nmsgstr "Thé"\n').encode()
    )
    assert load_translations((tmp_path,), "fr", "fr_FR").gettext("Tea") == "Thé"


def test_invalid_po_names_the_file(tmp_path: Path) -> None:
    path = po_path(tmp_path, "fr")
    path.write_text(HEADER + 'msgid "A"\nmsgstr "B"\n\nthis is not gettext\n', encoding="utf-8")
    with pytest.raises(SiteError) as caught:
        load_translations((tmp_path,), "fr", "fr_FR")
    (problem,) = caught.value.problems
    assert problem.path == path
    assert problem.message.startswith("invalid gettext catalog")


def test_invalid_po_has_the_line(tmp_path: Path) -> None:
    path = po_path(tmp_path, "fr")
    path.write_text(HEADER + 'msgid "A"\nmsgstr "B"\n\nthis is not gettext\n', encoding="utf-8")
    with pytest.raises(SiteError) as caught:
        load_translations((tmp_path,), "fr", "fr_FR")
    (problem,) = caught.value.problems
    assert problem.line == 11


def test_invalid_theme_catalog_is_reported_even_when_site_has_one(
    dirs: tuple[Path, Path],
) -> None:
    site, theme = dirs
    broken = po_path(theme, "fr")
    broken.write_text(HEADER + "garbage\n", encoding="utf-8")
    with pytest.raises(SiteError) as caught:
        load_translations((site, theme), "fr", "fr_FR")
    assert [p.path for p in caught.value.problems] == [broken]


def _config(tmp_path: Path, languages: str, default: str, source: str = "en"):  # type: ignore[no-untyped-def]
    from sitegen.settings.config import load_config

    (tmp_path / "site.yaml").write_text(
        f"title: T\nbase_url: https://x.org/\nlanguages: [{languages}]\n"
        f"default_language: {default}\ntimezone: UTC\nsource_language: {source}\n"
    )
    return load_config(tmp_path)


def test_missing_string_falls_back_to_the_default_language_then_source(tmp_path: Path) -> None:
    folder = tmp_path / "i18n"
    po_path(folder, "fr").write_text(
        HEADER + 'msgid "Buy now"\nmsgstr "Acheter"\n\nmsgid "Only French"\nmsgstr "Français"\n',
        encoding="utf-8",
    )
    po_path(folder, "de").write_text(
        HEADER.replace("Language: fr", "Language: de") + 'msgid "Buy now"\nmsgstr "Kaufen"\n',
        encoding="utf-8",
    )
    config = _config(tmp_path, "fr, de, en", "fr")
    german = ui_translations((folder,), "de", config)
    assert german.gettext("Buy now") == "Kaufen"
    # the default language's, then the source text, each marked with its language
    assert german.gettext("Only French") == marked("Français", "fr")
    assert german.gettext("Nobody") == marked("Nobody", "en")
    # the language templates are written in never borrows another language's strings
    english = ui_translations((folder,), "en", config)
    assert english.gettext("Only French") == "Only French"


def test_an_untranslated_plural_entry_does_not_hide_the_next_catalog(tmp_path: Path) -> None:
    # Babel would compile an all-empty plural entry as the source text.
    site, theme = tmp_path / "site", tmp_path / "theme"
    po_path(site, "fr").write_text(
        HEADER + f'msgid "{PRODUCT}"\nmsgid_plural "{PRODUCTS}"\nmsgstr[0] ""\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    po_path(theme, "fr").write_text(
        HEADER + f'msgid "{PRODUCT}"\nmsgid_plural "{PRODUCTS}"\n'
        'msgstr[0] "%(num)d produit"\nmsgstr[1] "%(num)d produits"\n',
        encoding="utf-8",
    )
    translations = load_translations((site, theme), "fr", "fr_FR")
    assert translations.ngettext(PRODUCT, PRODUCTS, 3) == "%(num)d produits"


# ---------------------------------------------------------------- plural forms

FRENCH_CLDR = "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"
GNU_FRENCH = "nplurals=2; plural=(n > 1);"
"""French as the GNU gettext manual writes it: msgstr[1] is for 2, 3... and millions."""
DAY = 'msgid "day"\nmsgid_plural "days"\n'


def _french(folder: Path, body: str, plural_forms: str | None = FRENCH_CLDR) -> Path:
    """A French catalog with `body` after its header (no Plural-Forms line when None)."""
    header = HEADER.replace(GNU_FRENCH, plural_forms or "")
    if plural_forms is None:
        header = header.replace('"Plural-Forms: \\n"\n', "")
    path = po_path(folder, "fr")
    path.write_text(header + body, encoding="utf-8")
    return path


def _days(*folders: Path) -> list[str]:
    """What the French catalogs of `folders` give 0, 1, 2 and 1000000 days."""
    translations = load_translations(folders, "fr", "fr_FR")
    return [translations.ngettext("day", "days", n) for n in (0, 1, 2, 10**6)]


def test_catalogs_with_two_and_three_french_forms_are_each_read_by_their_rule(
    tmp_path: Path,
) -> None:
    site, theme = tmp_path / "site", tmp_path / "theme"
    _french(site, DAY + 'msgstr[0] "jour"\nmsgstr[1] "de jours"\nmsgstr[2] "jours"\n')
    _french(
        theme, 'msgid "hour"\nmsgid_plural "hours"\nmsgstr[0] "h"\nmsgstr[1] "h."\n', GNU_FRENCH
    )
    assert _days(site, theme) == ["jour", "jour", "jours", "de jours"]
    hours = load_translations((site, theme), "fr", "fr_FR")
    assert [hours.ngettext("hour", "hours", n) for n in (0, 1, 2, 10**6)] == ["h", "h", "h.", "h."]


def test_a_catalog_without_plural_forms_header_has_its_language_s_rule(tmp_path: Path) -> None:
    _french(tmp_path, DAY + 'msgstr[0] "jour"\nmsgstr[1] "de jours"\nmsgstr[2] "jours"\n', None)
    assert _days(tmp_path) == ["jour", "jour", "jours", "de jours"]


def test_a_hand_written_catalog_with_two_forms_and_no_header_is_reported(
    tmp_path: Path,
) -> None:
    # It used to give the English text for every number, with no word said.
    path = _french(tmp_path, DAY + 'msgstr[0] "jour"\nmsgstr[1] "jours"\n', None)
    with pytest.raises(SiteError) as caught:
        _days(tmp_path)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == (path, 7)  # its msgid
    assert problem.message == (
        'msgid "day": 2 plural forms (msgstr[n] lines) where its catalog\'s rule has 3'
    )
    assert problem.hint is not None and "no Plural-Forms header" in problem.hint


def test_an_entry_with_more_forms_than_its_header_is_reported_at_its_line(
    tmp_path: Path,
) -> None:
    path = _french(
        tmp_path,
        'msgid "Tea"\nmsgstr "Thé"\n\n'
        + DAY
        + 'msgstr[0] "a"\nmsgstr[1] "b"\nmsgstr[2] "c"\nmsgstr[3] "d"\n',
    )
    with pytest.raises(SiteError) as caught:
        _days(tmp_path)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == (path, 11)  # its msgid
    assert "4 plural forms" in problem.message


def test_an_invalid_plural_expression_is_reported_at_the_header(tmp_path: Path) -> None:
    # It used to stop the build with a Python traceback.
    path = _french(tmp_path, DAY + 'msgstr[0] "a"\nmsgstr[1] "b"\n', "nplurals=2; plural=(n >);")
    with pytest.raises(SiteError) as caught:
        _days(tmp_path)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == (path, 6)
    assert problem.message.startswith("invalid Plural-Forms header")


def test_a_half_filled_entry_gives_its_forms_and_the_next_catalog_the_others(
    tmp_path: Path,
) -> None:
    site, theme = tmp_path / "site", tmp_path / "theme"
    # Filled as if French had two forms: msgstr[1] is for millions, msgstr[2] (2, 3...) empty.
    _french(site, DAY + 'msgstr[0] "journée"\nmsgstr[1] "journées"\nmsgstr[2] ""\n')
    assert _days(site) == ["journée", "journée", "days", "journées"]
    _french(theme, DAY + 'msgstr[0] "jour"\nmsgstr[1] "jours"\n', GNU_FRENCH)
    assert _days(site, theme) == ["journée", "journée", "jours", "journées"]


def test_plural_strings_in_context_are_looked_up_form_by_form(tmp_path: Path) -> None:
    _french(
        tmp_path,
        'msgctxt "countdown"\n'
        + DAY
        + 'msgstr[0] "j"\nmsgstr[1] ""\nmsgstr[2] "j."\n'
        + '\nmsgctxt "countdown"\nmsgid "left"\nmsgstr "restants"\n',
    )
    translations = load_translations((tmp_path,), "fr", "fr_FR")
    assert [translations.npgettext("countdown", "day", "days", n) for n in (1, 2, 10**6)] == [
        "j",
        "j.",
        "days",
    ]
    assert translations.ngettext("day", "days", 1) == "day"  # not in that context
    assert translations.pgettext("countdown", "left") == "restants"
    assert translations.pgettext("other", "left") == "left"


def test_a_language_s_catalogs_are_read_with_its_locale(tmp_path: Path) -> None:
    # zh-hans is no Babel locale; its locale zh_Hans_CN has one plural form.
    folder = tmp_path / "i18n"
    po_path(folder, "zh-hans").write_text(
        'msgid "%(num)s day"\nmsgid_plural "%(num)s days"\nmsgstr[0] "%(num)s 天"\n', "utf-8"
    )
    config = _config(tmp_path, "fr, {code: zh-hans, locale: zh_Hans_CN}", "fr")
    chinese = ui_translations((folder,), "zh-hans", config)
    assert [chinese.ngettext("%(num)s day", "%(num)s days", n) for n in (1, 2)] == [
        "%(num)s 天",
        "%(num)s 天",
    ]


def test_a_language_falls_back_along_its_chain(tmp_path: Path) -> None:
    """site.yaml's `fallback: [en]` for de: no French UI text on a German page, the
    English source text instead, marked lang="en"; a plural in the source's forms."""
    folder = tmp_path / "i18n"
    po_path(folder, "fr").write_text(
        HEADER + 'msgid "Only French"\nmsgstr "Français"\n', encoding="utf-8"
    )
    config = _config(tmp_path, "fr, {code: de, fallback: [en]}, en", "fr")
    german = ui_translations((folder,), "de", config)
    assert german.gettext("Only French") == marked("Only French", "en")
    assert german.ngettext("day", "days", 2) == marked("days", "en")
    french = ui_translations((folder,), "fr", config)
    assert french.gettext("Only French") == "Français"
    assert french.gettext("Nobody") == marked("Nobody", "en")
