"""Five languages with the bundled theme (issue 20, parts 1 and 5): tests/sites/five-languages
in French (the default), English, German (no catalog, its chain is English), Simplified
Chinese (the theme's catalog) and Arabic (right to left, the site's catalog).

Each page has its language's `lang` and `dir`; every text in another language says
so; no French interface text reaches a German, Chinese or Arabic page unless its chain
leads there, and then it is marked; the CLDR strings of each locale are pinned, and the
countdown's words in every plural category each language has."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Tag

from sitegen.commands.i18n_status import status
from sitegen.rendering.formatting import Formatter
from tests.conftest import SITES, built_copy, parse_html

LIVE = dt.datetime.fromisoformat("2027-11-11T12:00:00+08:00")
DIRECTIONS = {"fr": "ltr", "en": "ltr", "de": "ltr", "zh-hans": "ltr", "ar": "rtl"}
THEME = Path(__file__).resolve().parents[1] / "sitegen/bundled/themes/double11"


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_copy(tmp_path_factory, "five-languages", LIVE)


def language_of(output: Path, path: Path) -> str:
    first = path.relative_to(output).parts[0]
    return first if first in DIRECTIONS else "fr"


def marked_language(element: Tag) -> str | None:
    """The language an element is in: its own `lang`, or its nearest ancestor's."""
    for node in (element, *element.parents):
        if isinstance(node, Tag) and node.has_attr("lang"):
            return str(node["lang"])
    return None


def test_every_page_and_every_marked_element_has_its_lang_and_dir(output: Path) -> None:
    pages = sorted(output.rglob("*.html"))
    for path in pages:
        soup = parse_html(path)
        lang = language_of(output, path)
        assert (soup.html["lang"], soup.html["dir"]) == (lang, DIRECTIONS[lang]), path
        for element in soup.select("body [lang]"):
            assert element["dir"] in (DIRECTIONS[element["lang"]], "auto"), (path, element)
    assert {language_of(output, path) for path in pages} == set(DIRECTIONS)


def french_ui_texts() -> set[str]:
    """The theme's French strings without placeholders: text a page shows as it is."""
    path = THEME / "i18n/fr/LC_MESSAGES/messages.po"
    with path.open(encoding="utf-8") as file:
        catalog = read_po(file, locale="fr_FR")
    texts = set()
    for message in catalog:
        forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
        source = message.id if isinstance(message.id, tuple | list) else (message.id,)
        texts.update(
            str(form)
            for form in forms
            if form and "%" not in form and len(form) > 3 and form not in source  # "Menu"
        )
    return texts


@pytest.mark.parametrize("lang", ["de", "zh-hans", "ar"])
def test_no_french_interface_text_unless_marked(output: Path, lang: str) -> None:
    """German's chain is English: its untranslated strings are the English source text,
    marked lang="en"; Chinese and Arabic have catalogs. French is shown only where a
    page fell back to French, and then inside lang="fr"."""
    french = french_ui_texts()
    for path in sorted((output / lang).rglob("*.html")):
        soup = parse_html(path)
        for text in soup.body.find_all(string=True):
            if text.strip() in french:
                assert marked_language(text.parent) == "fr", (path, text)
        for element in soup.select("[aria-label]"):
            assert element["aria-label"] not in french, (path, element)


def test_german_interface_strings_are_marked_english(output: Path) -> None:
    soup = parse_html(output / "de/index.html")
    skip = soup.select_one("a[href='#main']")
    assert skip is not None and marked_language(skip.find(string=True).parent) == "en"
    assert soup.select_one("[aria-label='Choose a language']") is not None


def test_fallback_pages_follow_the_chain_and_say_their_language(output: Path) -> None:
    """de → en: the untranslated join page is the English one; zh-hans → fr (the
    default): the French one; about exists in French only."""
    for lang, shown in (("de", "en"), ("zh-hans", "fr"), ("ar", "ar")):
        main = parse_html(output / lang / "join/index.html").select_one("main h1")
        assert main is not None and marked_language(main) == shown, lang
    about = parse_html(output / "de/about/index.html").select_one("main h1")
    assert about is not None and marked_language(about) == "fr"


def test_a_feed_value_in_another_language_is_marked(output: Path) -> None:
    """The cream has no English, German name: the French one, marked; Chinese has its own."""
    for lang in ("en", "de"):
        name = parse_html(output / lang / "products/creme/index.html").select_one("h1")
        assert name is not None
        assert (name.get_text(strip=True), name["lang"]) == ("Crème aux agrumes", "fr")
    name = parse_html(output / "zh-hans/products/creme/index.html").select_one("h1")
    assert name is not None and not name.has_attr("lang")
    assert name.get_text(strip=True) == "柑橘面霜"


def test_the_countdown_has_a_word_for_each_plural_category(output: Path) -> None:
    expected = {
        "fr": {"one": "jour", "other": "jours"},
        "en": {"one": "day", "other": "days"},
        "de": {"one": "day", "other": "days"},
        "zh-hans": {"other": "天"},
        "ar": {
            "zero": "يوم",
            "one": "يوم",
            "two": "يومان",
            "few": "أيام",
            "many": "يومًا",
            "other": "يوم",
        },
    }
    for lang, words in expected.items():
        label = parse_html(output / lang / "index.html").select_one(
            ".countdown__unit--days .countdown__unit-label"
        )
        assert label is not None
        found = {name[5:]: value for name, value in label.attrs.items() if name.startswith("data-")}
        assert found == words, lang


LOCALES = {"fr": "fr_FR", "en": "en_GB", "de": "de_DE", "zh-hans": "zh_Hans_CN", "ar": "ar"}
"""As site.yaml gives them. Arabic is `ar`, whose CLDR numbers are in Latin digits
(as in the Maghreb and most of the web); ar_EG would give Arabic-Indic digits."""

PINNED = {
    "fr": ("1\u202f299,00\xa0€", "1\u202f299,00\xa0CNY", "268,4 milliards", "23\xa0%"),
    "en": ("€1,299.00", "CN¥1,299.00", "268.4 billion", "23%"),
    "de": ("1.299,00\xa0€", "1.299,00\xa0CN¥", "268,4 Milliarden", "23\xa0%"),
    "zh-hans": ("€1,299.00", "¥1,299.00", "2684亿", "23%"),
    "ar": ("\u200f1,299.00\xa0€", "\u200f1,299.00\xa0CN¥", "268.4 مليار", "23%"),
}
DATES = {
    "fr": ("12 novembre 2027, 0 h", "11 novembre 2027, 17 h"),
    "en": ("12 November 2027, 00:00", "11 November 2027, 17:00"),
    "de": ("12. November 2027, 00:00", "11. November 2027, 17:00"),
    "zh-hans": ("2027年11月12日 00:00", "2027年11月11日 17:00"),
    "ar": ("12 نوفمبر 2027، 12:00 ص", "11 نوفمبر 2027، 5:00 م"),
}


@pytest.mark.parametrize("lang", list(LOCALES))
def test_cldr_strings_are_pinned(lang: str) -> None:
    """Prices in EUR and CNY, the compact figure, a percentage, and the campaign's end
    in Beijing time and in the site's (Paris)."""
    formatter = Formatter(LOCALES[lang], ZoneInfo("Europe/Paris"), LIVE)
    ends = dt.datetime(2027, 11, 12, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert (
        formatter.format_currency(Decimal("1299"), "EUR"),
        formatter.format_currency(Decimal("1299"), "CNY"),
        formatter.format_compact(268_400_000_000, format_type="long"),
        formatter.format_percent(Decimal("0.23")),
    ) == PINNED[lang]
    assert (
        formatter.format_date_time(ends, tz="Asia/Shanghai"),
        formatter.format_date_time(ends),
    ) == DATES[lang]


def test_the_pages_show_the_pinned_prices(output: Path) -> None:
    """The silk square costs 1 299 € before its Double 11 price, the bag 1 299 CNY."""
    for lang, (eur, cny, *_) in PINNED.items():
        square = parse_html(output / lang / "products/carre/index.html").body.get_text()
        bag = parse_html(output / lang / "products/sac/index.html").body.get_text()
        assert eur in square and cny in bag, lang


def test_status_tells_the_catalogs_and_the_fallbacks() -> None:
    """The theme's zh-hans catalog is complete; German has none, and says where its
    strings come from (English, the source text); Arabic has the site's."""
    report = {
        state.language.code: state.strings for state in status(SITES / "five-languages").languages
    }
    assert report["zh-hans"].missing == ()
    assert report["fr"].missing == ()
    assert (report["de"].catalogs, report["de"].fallbacks) == ((), ("en",))
    assert report["de"].done == 0
    assert report["ar"].fallbacks == ("fr", "en")


def test_a_menu_entry_of_a_fallback_page_is_marked(output: Path) -> None:
    """The join page has no Chinese version: its French title in the menu says so."""
    link = parse_html(output / "zh-hans/index.html").select_one(".main-nav a[href$='/join/']")
    assert link is not None
    assert (link.get_text(), link["lang"], link["dir"]) == ("Participer", "fr", "ltr")


def test_the_switchers_badges_show_the_language_without_its_script(output: Path) -> None:
    """`zh-hans` is badged ZH: the badge is a circle two letters wide."""
    soup = BeautifulSoup((output / "fr" / "index.html").read_text("utf-8"), "html.parser")
    badges = [code.get_text() for code in soup.select(".lang-switcher__code")]
    assert badges == ["FR", "EN", "DE", "ZH", "AR"]
