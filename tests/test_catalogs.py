"""UI catalogs: site over theme, source text when untranslated, the catalog's plural rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from sitegen.base.errors import SiteError
from sitegen.rendering.catalogs import catalog_paths, load_translations, ui_translations

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
    assert load_translations(dirs, "fr").gettext("Buy now") == "Acheter (site)"


def test_theme_only_strings_still_translate(dirs: tuple[Path, Path]) -> None:
    assert load_translations(dirs, "fr").gettext("Read more") == "Lire la suite"


def test_site_only_strings_translate(dirs: tuple[Path, Path]) -> None:
    assert load_translations(dirs, "fr").gettext("Only site") == "Seulement le site"


def test_untranslated_gives_the_source_text(dirs: tuple[Path, Path]) -> None:
    assert load_translations(dirs, "fr").gettext("Checkout") == "Checkout"


def test_empty_translation_gives_the_source_text(tmp_path: Path) -> None:
    write_catalog(tmp_path, "fr", {"Checkout": ""})
    assert load_translations((tmp_path,), "fr").gettext("Checkout") == "Checkout"


def test_no_catalog_gives_source_text(tmp_path: Path) -> None:
    translations = load_translations((tmp_path,), "fr")
    assert translations.gettext("Buy now") == "Buy now"
    assert translations.ngettext(PRODUCT, PRODUCTS, 1) == PRODUCT
    assert translations.ngettext(PRODUCT, PRODUCTS, 2) == PRODUCTS


def test_plural_forms_from_the_catalog(dirs: tuple[Path, Path]) -> None:
    translations = load_translations(dirs, "fr")
    assert translations.ngettext(PRODUCT, PRODUCTS, 1) == "%(num)d produit"
    assert translations.ngettext(PRODUCT, PRODUCTS, 2) == "%(num)d produits"


def test_french_zero_is_singular(dirs: tuple[Path, Path]) -> None:
    translations = load_translations(dirs, "fr")
    assert translations.ngettext(PRODUCT, PRODUCTS, 0) == "%(num)d produit"


def test_french_zero_is_singular_from_a_hand_written_catalog(tmp_path: Path) -> None:
    po_path(tmp_path, "fr").write_text(
        HEADER + 'msgid "one item"\nmsgid_plural "items"\nmsgstr[0] "un article"\n'
        'msgstr[1] "articles"\n',
        encoding="utf-8",
    )
    translations = load_translations((tmp_path,), "fr")
    assert [translations.ngettext("one item", "items", n) for n in (0, 1, 2)] == [
        "un article",
        "un article",
        "articles",
    ]


def test_hand_written_catalog_with_utf8_and_bom(tmp_path: Path) -> None:
    po_path(tmp_path, "fr").write_bytes(
        ("\ufeff" + HEADER + 'msgid "Tea"\nmsgstr "Thé"\n').encode()
    )
    assert load_translations((tmp_path,), "fr").gettext("Tea") == "Thé"


def test_invalid_po_names_the_file(tmp_path: Path) -> None:
    path = po_path(tmp_path, "fr")
    path.write_text(HEADER + 'msgid "A"\nmsgstr "B"\n\nthis is not gettext\n', encoding="utf-8")
    with pytest.raises(SiteError) as caught:
        load_translations((tmp_path,), "fr")
    (problem,) = caught.value.problems
    assert problem.path == path
    assert problem.message.startswith("invalid gettext catalog")


def test_invalid_po_has_the_line(tmp_path: Path) -> None:
    path = po_path(tmp_path, "fr")
    path.write_text(HEADER + 'msgid "A"\nmsgstr "B"\n\nthis is not gettext\n', encoding="utf-8")
    with pytest.raises(SiteError) as caught:
        load_translations((tmp_path,), "fr")
    (problem,) = caught.value.problems
    assert problem.line == 11


def test_invalid_theme_catalog_is_reported_even_when_site_has_one(
    dirs: tuple[Path, Path],
) -> None:
    site, theme = dirs
    broken = po_path(theme, "fr")
    broken.write_text(HEADER + "garbage\n", encoding="utf-8")
    with pytest.raises(SiteError) as caught:
        load_translations((site, theme), "fr")
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
    assert german.gettext("Only French") == "Français"  # the default language's
    assert german.gettext("Nobody") == "Nobody"  # then the source text
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
    translations = load_translations((site, theme), "fr")
    assert translations.ngettext(PRODUCT, PRODUCTS, 3) == "%(num)d produits"
