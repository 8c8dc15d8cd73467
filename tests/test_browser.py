"""The bundled example in headless Chromium: the language switcher, no external requests,
and a layout that fits a phone screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Browser

from tests.conftest import REPO, run_sitegen, serve


def explainer_url(lang: str) -> str:
    text = (REPO / "content" / f"explainer.{lang}.md").read_text("utf-8")
    front = yaml.safe_load(text.split("---")[1])
    return f"/{lang}/{front.get('slug', 'explainer')}/"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, example_site: Path) -> Iterator[str]:
    output = tmp_path_factory.mktemp("browser") / "output"
    result = run_sitegen(
        "build", example_site, "--output", output, "--now", "2026-11-01T12:00:00+01:00"
    )
    assert result.returncode == 0, result.stderr
    with serve(output) as url:
        yield url


def test_language_switcher_leads_to_the_same_page(browser: Browser, base_url: str) -> None:
    page = browser.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if urlsplit(request.url).hostname not in ("127.0.0.1", None)
            and not request.url.startswith("data:")
            else None
        ),
    )
    page.goto(f"{base_url}/fr/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.locator("a[hreflang='en'][href='/en/']").first.click()
    page.wait_for_url(f"{base_url}/en/")
    assert page.locator("html").get_attribute("lang") == "en"

    # from the English explainer across to its French version
    page.goto(f"{base_url}{explainer_url('en')}")
    page.locator("a[hreflang='fr']").first.click()
    page.wait_for_url(f"{base_url}{explainer_url('fr')}")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert outside == []
    page.close()


@pytest.mark.parametrize("width", [320, 390, 1440])
def test_pages_fit_the_screen(browser: Browser, base_url: str, width: int) -> None:
    """No page of each kind is wider than the screen, from the narrowest phone up."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    for path in (
        "/fr/",
        "/en/",
        explainer_url("fr"),
        explainer_url("en"),
        "/fr/participer/",
        "/fr/mentions-legales/",
        "/fr/produits/",
        "/fr/produits/lumen-carre-rhone/",
        "/fr/marchands/atelier-lumen/",
        "/en/categories/fashion/",
    ):
        page.goto(f"{base_url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a {width}px screen"
    page.close()


def test_keyboard_users_can_skip_to_the_content(browser: Browser, base_url: str) -> None:
    page = browser.new_page()
    page.goto(f"{base_url}/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused and focused.startswith("#")
    assert page.locator(focused).count() == 1
    page.close()


@pytest.mark.parametrize(("locale", "expected"), [("en-US", "/en/"), ("fr-FR", "/fr/")])
def test_root_sends_visitors_to_their_browser_language(
    browser: Browser, base_url: str, locale: str, expected: str
) -> None:
    context = browser.new_context(locale=locale)
    page = context.new_page()
    page.goto(f"{base_url}/")
    page.wait_for_url(f"{base_url}{expected}")
    context.close()


def test_root_chooser_works_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(locale="en-US", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}/")
    assert page.url == f"{base_url}/"
    page.locator("a[hreflang='fr']").first.click()
    page.wait_for_url(f"{base_url}/fr/")
    context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_pull_quote_is_larger_than_the_text(browser: Browser, base_url: str, lang: str) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{base_url}{explainer_url(lang)}")
    quoted = page.eval_on_selector_all(
        ".article__body blockquote.pullquote p", "ps => ps.map(p => getComputedStyle(p).fontSize)"
    )
    body = page.eval_on_selector(".article__body > p", "p => getComputedStyle(p).fontSize")
    assert quoted and float(quoted[0].removesuffix("px")) > float(body.removesuffix("px")), (
        quoted,
        body,
    )
    page.close()
