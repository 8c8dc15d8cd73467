"""French elision before a name: the rule (vowels, mute and aspirated h, y), the names
site.yaml decides, the seams of translated strings, and the example's pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitegen.base.errors import SiteError
from sitegen.building.buildcontract import BuildOptions
from sitegen.building.pipeline import build
from sitegen.rendering.elision import elided, elides, with_elisions
from tests.conftest import BILINGUAL_CONFIG, page, write_tree

NOW = dt.datetime(2027, 11, 11, 2, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Atelier Lumen", "d’Atelier Lumen"),
        ("Onde Marine", "d’Onde Marine"),
        ("Écume & Sel", "d’Écume & Sel"),
        ("Œuvre Textile", "d’Œuvre Textile"),
        ("Hermès", "d’Hermès"),  # a mute h, as most are
        ("Huîtres de Cancale", "d’Huîtres de Cancale"),  # huître, not huit
        ("Houle Atlantique", "de Houle Atlantique"),  # la houle: an aspirated h
        ("Hêtre Rouge", "de Hêtre Rouge"),
        ("Haute Couture", "de Haute Couture"),
        ("Hauts-de-France", "de Hauts-de-France"),
        ("Yves Rocher", "d’Yves Rocher"),  # y before a consonant
        ("Yokohama", "de Yokohama"),  # y before a vowel
        ("Maison Orsane", "de Maison Orsane"),
        ("3 Suisses", "de 3 Suisses"),
        ("« Anis »", "de « Anis »"),
        ("", "de "),
    ],
)
def test_the_rule_elides_before_a_vowel_sound(name: str, expected: str) -> None:
    assert elided("de", name, {}) == expected


def test_the_other_eliding_words_and_a_capital() -> None:
    assert elided("que", "Onde Marine", {}) == "qu’Onde Marine"
    assert elided("la", "Onde Marine", {}) == "l’Onde Marine"
    assert elided("De", "Atelier Lumen", {}) == "D’Atelier Lumen"
    assert elided("pour", "Atelier Lumen", {}) == "pour Atelier Lumen"


def test_site_yaml_decides_names_no_rule_can_tell() -> None:
    decided = {"Huawei": False, "Hermès": False, "Yoyo": True}
    assert elided("de", "Huawei", decided) == "de Huawei"
    assert elided("de", "Hermès", decided) == "de Hermès"
    assert elided("de", "Yoyo", decided) == "d’Yoyo"
    assert elides("Hermès", {}) is True


def test_a_translated_string_is_elided_at_its_seams_only() -> None:
    values = {"name": "Atelier Lumen", "other": "Houle Atlantique", "count": 3}
    assert with_elisions("Les produits de %(name)s", values, {}) == "Les produits d’%(name)s"
    assert with_elisions("De %(name)s à %(other)s", values, {}) == "D’%(name)s à %(other)s"
    assert with_elisions("de %(other)s", values, {}) == "de %(other)s"
    assert with_elisions("de %(count)s", values, {}) == "de %(count)s"  # not a name
    assert with_elisions("de %(missing)s", values, {}) == "de %(missing)s"
    assert with_elisions("Autre %(name)s", values, {}) == "Autre %(name)s"
    assert with_elisions("monde %(name)s", values, {}) == "monde %(name)s"  # a word's end


CATALOG = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

msgid "Products from %(name)s"
msgstr "Les produits de %(name)s"

msgid "%(n)s product from %(name)s"
msgid_plural "%(n)s products from %(name)s"
msgstr[0] "%(n)s produit de %(name)s"
msgstr[1] "%(n)s produits de %(name)s"
"""

TEMPLATE = """\
<p id="gettext">{{ _("Products from %(name)s", name=page.params.brand) }}</p>
<p id="ngettext">{{ ngettext("%(n)s product from %(name)s", "%(n)s products from %(name)s", 2,
  n=2, name=page.params.brand) }}</p>
<p id="helper">{{ elided("de", page.params.brand) }}</p>
"""


def _site(root: Path, elision: str = "") -> Path:
    return write_tree(
        root,
        {
            "site.yaml": BILINGUAL_CONFIG + elision,
            "content/index.fr.md": page("Accueil", params="{brand: Atelier Lumen}"),
            "content/index.en.md": page("Home", params="{brand: Atelier Lumen}"),
            "content/h.fr.md": page("H", params="{brand: Huawei}"),
            "templates/home.html": TEMPLATE,
            "templates/page.html": TEMPLATE,
            "i18n/fr/LC_MESSAGES/messages.po": CATALOG,
        },
    )


def test_french_pages_elide_in_gettext_ngettext_and_the_helper(tmp_path: Path) -> None:
    site, output = _site(tmp_path / "site", "elision:\n  Huawei: false\n"), tmp_path / "out"
    build(BuildOptions(site_root=site, output=output, now=NOW, optimize=False))
    french = (output / "fr" / "index.html").read_text("utf-8")
    assert '<p id="gettext">Les produits d’Atelier Lumen</p>' in french
    assert "2\u00a0produits d’Atelier Lumen</p>" in french  # French spacing too
    assert '<p id="helper">d’Atelier Lumen</p>' in french
    decided = (output / "fr" / "h" / "index.html").read_text("utf-8")
    assert '<p id="gettext">Les produits de Huawei</p>' in decided
    english = (output / "en" / "index.html").read_text("utf-8")
    assert '<p id="gettext">Products from Atelier Lumen</p>' in english
    assert '<p id="helper">de Atelier Lumen</p>' in english  # English has no elision


def test_an_elision_setting_that_is_not_names_to_booleans_is_an_error(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", "elision:\n  Huawei: maybe\n")
    with pytest.raises(SiteError) as error:
        build(BuildOptions(site_root=site, output=tmp_path / "out", now=NOW))
    [problem] = error.value.problems
    assert problem.path == site / "site.yaml" and problem.line is not None
    assert "'elision' must map names to true" in problem.message


def test_the_example_elides_its_merchants_names(example_site: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    build(BuildOptions(site_root=example_site, output=output, now=NOW, jobs=1))
    shown = "".join(path.read_text("utf-8") for path in (output / "fr").rglob("*.html"))
    assert "Autres produits d’Onde Marine" in shown
    assert "Logo d’Atelier Lumen" in shown
    assert "Les produits de Houle Atlantique" in shown
    assert "de Atelier" not in shown and "de Onde" not in shown
