"""The bundled theme's landing page, phase by phase, at a phone's and a desktop's size, in
headless Chromium: what is in the first screen, the order of the blocks, the menu
button, two product cards a row on a phone, and nothing that moves or overflows.

Each phase is built once (the example at an instant in the phase) and opened with the
browser's clock at that instant, so that the page is the one shoppers see then."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.conftest import run_sitegen, serve

PHASES = {
    "before": dt.datetime.fromisoformat("2027-09-01T12:00:00+08:00"),
    "teaser": dt.datetime.fromisoformat("2027-10-25T12:00:00+08:00"),
    "live": dt.datetime.fromisoformat("2027-11-11T12:00:00+08:00"),
    "after": dt.datetime.fromisoformat("2027-11-20T12:00:00+08:00"),
}
LIVE_STARTS = dt.datetime.fromisoformat("2027-11-11T00:00:00+08:00")
SCREENS = {"phone": (390, 844), "desktop": (1440, 900)}
LANGUAGES = ("fr", "en")
PRODUCT = {"fr": "/fr/produits/lumen-etole/", "en": "/en/products/lumen-etole/"}

LAYOUT_SHIFTS = """
window.shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.shifts.push(entry.value);
}).observe({type: "layout-shift", buffered: true});
"""
"""Records the layout shifts of the page (Layout Instability API) from its first paint."""


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory, example_site: Path) -> dict[str, Path]:
    built = {}
    for phase, instant in PHASES.items():
        output = tmp_path_factory.mktemp(f"landing-{phase}") / "output"
        result = run_sitegen(
            "build", example_site, "--output", output, "--now", instant.isoformat()
        )
        assert result.returncode == 0, result.stderr
        built[phase] = output
    return built


@pytest.fixture(scope="module")
def sites(outputs: dict[str, Path]) -> Iterator[dict[str, str]]:
    """The base URL of each phase's build."""
    with (
        serve(outputs["before"]) as before,
        serve(outputs["teaser"]) as teaser,
        serve(outputs["live"]) as live,
        serve(outputs["after"]) as after,
    ):
        yield {"before": before, "teaser": teaser, "live": live, "after": after}


def open_in_phase(
    browser: Browser, sites: dict[str, str], phase: str, screen: str, path: str
) -> tuple[BrowserContext, Page]:
    width, height = SCREENS[screen]
    context = browser.new_context(viewport={"width": width, "height": height})
    context.clock.set_fixed_time(PHASES[phase])
    context.add_init_script(LAYOUT_SHIFTS)
    page = context.new_page()
    page.goto(sites[phase] + path)
    page.wait_for_load_state("load")
    return context, page


def in_first_screen(page: Page, selector: str) -> bool:
    """Whether the (first visible) element is wholly inside the first screen."""
    box = page.locator(selector).locator("visible=true").first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    viewport = page.viewport_size
    assert viewport is not None
    return (
        box["y"] >= 0
        and box["y"] + box["height"] <= viewport["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
    )


def beyond_the_screen(page: Page) -> list[str]:
    """The elements shown that reach past the screen's right or left edge (past the
    left one on a right-to-left page), as `tag.class`."""
    found: list[str] = page.evaluate(
        """() => Array.from(document.querySelectorAll("body *"))
          .filter((el) => el.getClientRects().length && !el.closest(".visually-hidden"))
          .filter((el) => el.getBoundingClientRect().right > innerWidth + 0.5
            || el.getBoundingClientRect().left < -0.5)
          .map((el) => el.tagName + "." + el.className)"""
    )
    return found


def top(page: Page, selector: str) -> float:
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box["y"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("phase", PHASES)
def test_the_landing_page_in_every_phase(
    browser: Browser, sites: dict[str, str], phase: str, screen: str, lang: str
) -> None:
    context, page = open_in_phase(browser, sites, phase, screen, f"/{lang}/")
    page.wait_for_timeout(300)  # a tick of the countdown after the first

    assert page.locator(".home").get_attribute("data-campaign-phase") == phase
    overflowing = beyond_the_screen(page)
    assert overflowing == [], f"wider than the screen: {overflowing}"
    assert page.evaluate("window.shifts") == [], "nothing moves when the scripts run"

    if phase == "live":
        # The time left and the first call to action, in the first screen.
        assert in_first_screen(page, ".hero__actions .button--primary")
        assert in_first_screen(page, "[data-countdown] .countdown__units")
        assert in_first_screen(page, "[data-countdown] .countdown__head--live .countdown__title")
        assert top(page, "#deals") < top(page, "#spotlight") < top(page, "#key-figures")
        assert page.locator(".hero__art").is_hidden()
    else:
        # The story and the merchants lead; the deals, when there are any, follow.
        assert top(page, ".intro") < top(page, "#spotlight") < top(page, "#key-figures")
        assert page.locator(".hero__art").is_visible()
        if screen == "desktop":  # on a phone the image and the story come first
            assert in_first_screen(page, ".hero__actions .button--primary")
    if phase == "teaser":
        assert top(page, "#key-figures") < top(page, "#deals")
    if phase == "after":
        assert page.locator("#deals").count() == 0
        assert page.locator("a[href='#deals']").count() == 0, "no call to action to nothing"
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_order_switches_with_the_phase_while_the_page_is_open(
    browser: Browser, sites: dict[str, str], lang: str
) -> None:
    """The teaser's page, open when Double 11 starts: its blocks take the live order."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    # held from before the load, so that a slow load cannot cross the boundary
    page.clock.install(time=LIVE_STARTS - dt.timedelta(seconds=8))
    page.clock.pause_at(LIVE_STARTS - dt.timedelta(seconds=3))
    page.goto(f"{sites['teaser']}/{lang}/")
    blocks = "[data-order] > [data-block]"
    assert page.locator(blocks).evaluate_all("els => els.map((el) => el.dataset.block)") == [
        "intro",
        "spotlight",
        "stats",
        "deals",
    ]
    assert page.locator(".hero__art").is_visible()
    page.clock.run_for(5000)
    assert page.locator(blocks).evaluate_all("els => els.map((el) => el.dataset.block)") == [
        "deals",
        "spotlight",
        "intro",
        "stats",
    ]
    assert page.locator(".home").get_attribute("data-campaign-phase") == "live"
    assert page.locator(".hero__art").is_hidden()
    assert in_first_screen(page, "[data-countdown] .countdown__units")
    context.close()


def test_a_page_built_in_the_live_phase_is_in_the_live_order(outputs: dict[str, Path]) -> None:
    """Without its script (or before it runs), the HTML itself is in the phase's order."""
    from bs4 import BeautifulSoup

    for phase, first in (("live", "deals"), ("teaser", "intro"), ("after", "intro")):
        html = (outputs[phase] / "fr" / "index.html").read_text("utf-8")
        blocks = BeautifulSoup(html, "html.parser").select("[data-order] > [data-block]")
        assert blocks[0]["data-block"] == first, phase


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_menu_button_folds_the_navigation_on_a_phone(
    browser: Browser, sites: dict[str, str], lang: str
) -> None:
    context, page = open_in_phase(browser, sites, "live", "phone", f"/{lang}/")
    button = page.locator(".site-header [data-menu-button]")
    nav = page.locator("#main-nav")
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] < 130, "a compact header"
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert button.get_attribute("aria-controls") == "main-nav"
    assert nav.is_hidden()
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert nav.is_visible()
    nav.locator("a").first.focus()
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and nav.is_hidden()
    assert page.evaluate("document.activeElement.hasAttribute('data-menu-button')")
    context.close()

    context, page = open_in_phase(browser, sites, "live", "desktop", f"/{lang}/")
    assert page.locator("[data-menu-button]").is_hidden()
    assert page.locator("#main-nav").is_visible()
    context.close()

    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{sites['live']}/{lang}/")
    assert page.locator("[data-menu-button]").is_hidden(), "a button that could do nothing"
    assert page.locator("#main-nav").is_visible()
    context.close()


@pytest.mark.parametrize("path", ["/fr/", "/en/products/"])
def test_two_product_cards_a_row_on_a_phone(
    browser: Browser, sites: dict[str, str], path: str
) -> None:
    context, page = open_in_phase(browser, sites, "live", "phone", path)
    cards = page.locator(".product-card")
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert first is not None and second is not None
    assert first["y"] == second["y"] and first["x"] < second["x"]
    assert second["x"] + second["width"] <= 390
    # A product, not a link in a paragraph: its name is not underlined, its call to
    # action is a button, and the whole card leads to the product's page.
    link = cards.nth(0).locator(".product-card__link")
    assert link.evaluate("el => getComputedStyle(el).textDecorationLine") == "none"
    action = cards.nth(0).locator(".product-card__action .button")
    assert action.evaluate("el => parseFloat(getComputedStyle(el).borderTopWidth)") > 0
    href = link.get_attribute("href")
    cards.nth(0).locator(".product-card__media").click(force=True)  # the link covers it
    page.wait_for_url(f"**{href}")
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("screen", SCREENS)
def test_a_product_pages_price_and_buy_button_are_in_the_first_screen(
    browser: Browser, sites: dict[str, str], screen: str, lang: str
) -> None:
    context, page = open_in_phase(browser, sites, "live", screen, PRODUCT[lang])
    assert in_first_screen(page, ".product-page__price .price__now")
    assert in_first_screen(page, ".product-page__buy .button")
    assert page.evaluate("window.shifts") == []
    context.close()
