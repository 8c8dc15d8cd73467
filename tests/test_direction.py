"""Right-to-left languages with the bundled theme (issue 20): every page's `dir` comes
from its language, every text shown in another language says its direction along with
its `lang`, the language switcher names each language in its own script and direction,
and in Chromium an Arabic page is the French one mirrored (header, cards, countdown,
arrows), wider than no screen.

The site is tests/sites/rtl: French (the default), English and Arabic, with a page in
French only and an article in Arabic only, which the other languages show as they are."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import built_copy, parse_html, serve
from tests.test_landing_page import beyond_the_screen

LIVE = dt.datetime.fromisoformat("2027-11-11T12:00:00+08:00")
"""The build's instant and the browser's: the deals are on, the countdown runs."""

DIRECTIONS = {"fr": "ltr", "en": "ltr", "ar": "rtl"}
NAMES = {"fr": "Français", "en": "English", "ar": "العربية"}
"""Each language's name in its own language: site.yaml gives none, CLDR's are shown."""

SCREENS = {"phone": (390, 844), "desktop": (1440, 900)}


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_copy(tmp_path_factory, "rtl", LIVE)


def language_of(output: Path, path: Path) -> str:
    """The language a page is in: its first folder's, or the default language's (the
    root's chooser and the 404 page served at any address)."""
    first = path.relative_to(output).parts[0]
    return first if first in DIRECTIONS else "fr"


# ---------------------------------------------------------------- the built HTML


def test_every_page_has_the_direction_of_its_language(output: Path) -> None:
    pages = sorted(output.rglob("*.html"))
    for path in pages:
        html = parse_html(path).html
        assert html is not None
        lang = language_of(output, path)
        assert (html["lang"], html["dir"]) == (lang, DIRECTIONS[lang]), path
    assert {language_of(output, path) for path in pages} == set(DIRECTIONS)


def test_every_text_in_another_language_says_its_direction(output: Path) -> None:
    """An element marked with another language than the page's carries `dir`: its
    language's direction, or its text's (`auto`) for a source's title, whose language
    need not be one of the site's."""
    for path in sorted(output.rglob("*.html")):
        for element in parse_html(path).select("body [lang]"):
            expected = "auto" if element.name == "cite" else DIRECTIONS[element["lang"]]
            assert element.get("dir") == expected, (path, str(element)[:160])


@pytest.mark.parametrize(
    ("page", "shown_in"),
    [("ar/about/index.html", "fr"), ("en/about/index.html", "fr"), ("fr/news/index.html", "ar")],
)
def test_a_page_shown_in_another_language_is_laid_out_its_way(
    output: Path, page: str, shown_in: str
) -> None:
    """A page without a translation shows its own language's text, in its direction,
    inside the page's (the notice, the header and the menu stay the page's)."""
    soup = parse_html(output / page)
    for selector in ("h1", ".page-header__description", ".prose"):
        element = soup.select_one(selector)
        assert element is not None, selector
        assert (element.get("lang"), element.get("dir")) == (shown_in, DIRECTIONS[shown_in])
    notice = soup.select_one(".fallback-notice")
    assert notice is not None and not notice.get("dir")


def test_a_card_of_a_page_in_another_language_says_its_direction(output: Path) -> None:
    home = parse_html(output / "ar" / "index.html")
    title = home.select_one(".page-card__title a[href='/ar/about/']")
    assert title is not None
    assert (title.get("lang"), title.get("dir")) == ("fr", "ltr")
    translated = home.select_one(".page-card__title a[href='/ar/join/']")
    assert translated is not None and not translated.get("dir")


@pytest.mark.parametrize("lang", DIRECTIONS)
def test_the_switcher_names_each_language_in_its_own_script_and_direction(
    output: Path, lang: str
) -> None:
    expected = [(code, DIRECTIONS[code], NAMES[code]) for code in DIRECTIONS]
    home = parse_html(output / lang / "index.html")
    entries = home.select(".lang-switcher a")
    assert [
        (a["lang"], a["dir"], a.select_one(".lang-switcher__name").get_text()) for a in entries
    ] == expected
    not_found = parse_html(output / lang / "404.html")
    others = not_found.select(".not-found__languages a")
    assert [(a["lang"], a["dir"], a.get_text()) for a in others] == [
        entry for entry in expected if entry[0] != lang
    ]


def test_the_root_chooser_names_each_language_its_way(output: Path) -> None:
    links = parse_html(output / "index.html").select(".chooser__link")
    assert [(a["lang"], a["dir"], a.select_one(".chooser__name").get_text()) for a in links] == [
        (code, DIRECTIONS[code], NAMES[code]) for code in DIRECTIONS
    ]


@pytest.mark.parametrize(("lang", "on", "back"), [("fr", "→", "←"), ("ar", "←", "→")])
def test_arrows_point_the_way_the_page_reads(output: Path, lang: str, on: str, back: str) -> None:
    """A link that leads on ends with an arrow that points where the text goes, one
    that leads back starts with the other: both swapped on a right-to-left page."""

    def arrows(page: str, selector: str) -> list[str]:
        soup = parse_html(output / lang / page)
        return [span.get_text(strip=True) for span in soup.select(selector)]

    assert arrows("index.html", ".merchant-card__link a > span[aria-hidden]") == [on, on]
    assert arrows("products/carre/index.html", ".product-page__buy a > span[aria-hidden]") == [on]
    assert arrows("news/index.html", ".article__footer .button > span[aria-hidden]") == [back]


# ---------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def site_url(output: Path) -> Iterator[str]:
    with serve(output) as url:
        yield url


def open_at(browser: Browser, site_url: str, screen: str, path: str) -> Page:
    """The page at the build's instant, on a screen of that size."""
    width, height = SCREENS[screen]
    context = browser.new_context(viewport={"width": width, "height": height})
    context.clock.set_fixed_time(LIVE)
    page = context.new_page()
    page.goto(site_url + path)
    page.wait_for_load_state("load")
    return page


def centre(page: Page, selector: str) -> float:
    """The horizontal centre of the first element shown that matches."""
    box = page.locator(selector).locator("visible=true").first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box["x"] + box["width"] / 2


MIRRORED = {
    "the brand's mark": ".brand__mark",
    "the language switcher": ".lang-switcher",
    "the first product card": ".product-card",
    "its 11.11 flag": ".product-card__flag",
    "its discount badge": ".product-card .price__badge",
    "the first merchant's logo": ".merchant-card__logo",
}
"""What sits on one side of the French home and on the other of the Arabic one, as
far from its edge: each is the same size in both languages (or its box is)."""

ON_A_PHONE = {"the menu button": ".menu-button"}
ON_A_DESKTOP = {
    "the navigation": ".main-nav",
    "the hero's text": ".hero__text",
    "the countdown": ".hero__countdown",
}


@pytest.mark.parametrize("screen", SCREENS)
def test_the_arabic_home_is_the_french_one_mirrored(
    browser: Browser, site_url: str, screen: str
) -> None:
    width = SCREENS[screen][0]
    mirrored = MIRRORED | (ON_A_PHONE if screen == "phone" else ON_A_DESKTOP)
    french = open_at(browser, site_url, screen, "/fr/")
    arabic = open_at(browser, site_url, screen, "/ar/")
    for name, selector in mirrored.items():
        left, right = centre(french, selector), centre(arabic, selector)
        assert left != pytest.approx(width / 2, abs=8), f"{name} is in the middle"
        # Its own size may differ by its text: the half of that difference at most.
        assert right == pytest.approx(width - left, abs=24), f"{name}: {left} and {right}"
    # The brand on the right of an Arabic page, the switcher and menu on the left.
    assert centre(arabic, ".brand__mark") > width / 2 > centre(arabic, ".lang-switcher")

    for page, sign in ((french, 1), (arabic, -1)):
        # The countdown's status line is marked on the side its text starts from.
        status = page.locator(".hero__countdown .countdown__status--live").first
        widths = status.evaluate(
            "el => [getComputedStyle(el).borderLeftWidth, getComputedStyle(el).borderRightWidth]"
        )
        assert widths == (["4px", "0px"] if sign == 1 else ["0px", "4px"])
        # "Visit Atelier Lumen →" and its Arabic "← زوروا Atelier Lumen".
        link = ".merchant-card__link a"
        arrow = centre(page, f"{link} > span[aria-hidden]")
        assert (arrow - centre(page, link)) * sign > 0, "the arrow ends the link"
        page.context.close()


@pytest.mark.parametrize("screen", SCREENS)
def test_no_arabic_page_is_wider_than_the_screen(
    browser: Browser, site_url: str, screen: str
) -> None:
    width = SCREENS[screen][0]
    for path in ("/ar/", "/ar/products/carre/", "/ar/news/", "/ar/about/", "/ar/404.html"):
        page = open_at(browser, site_url, screen, path)
        overflowing = beyond_the_screen(page)
        assert overflowing == [], f"{path}: wider than the screen: {overflowing}"
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        page.context.close()
