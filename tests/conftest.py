"""Shared helpers: run the real CLI, snapshot output folders, parse HTML with a real parser."""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import functools
import inspect
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, sync_playwright

from sitegen.base.messages import LANGUAGE_VARIABLE, LOCALE_VARIABLES
from sitegen.base.progress import DELAY_VARIABLE
from sitegen.commands.review_shots import CHROMIUM_ARGS, DEBIAN_CHROMIUM, served
from sitegen.settings.themes import BUNDLED_THEMES

REPO = Path(__file__).resolve().parents[1]
SITES = Path(__file__).resolve().parent / "sites"

os.environ[LANGUAGE_VARIABLE] = "en"
"""sitegen's messages in English in the tests, whatever the machine's locale: those
of this process (library calls, `cli.main`) and of the commands a test starts itself;
run_sitegen chooses its own."""


# ---------------------------------------------------------------- tiers of the suite
#
# Two markers, put on each test by what it does, so that `pytest -m "not cli and not
# browser"` is a fast tier (./scripts/test --fast): `cli`, the test (or a fixture it
# uses) runs a command in a subprocess, usually `python -m sitegen` through
# run_sitegen; `browser`, it drives Chromium.


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        if "browser" in item.fixturenames:
            item.add_marker(pytest.mark.browser)
        functions = [item.function] + [
            definition.func
            for definitions in item._fixtureinfo.name2fixturedefs.values()
            for definition in definitions
        ]
        if any(_spawns(function) for function in functions):
            item.add_marker(pytest.mark.cli)


@pytest.fixture(autouse=True)
def _fast_tier_starts_no_sitegen(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A test outside the `cli` tier that starts `python -m sitegen` fails, saying so:
    the markers are found by reading the tests' code, and this keeps them true."""
    if request.node.get_closest_marker("cli") is not None:
        return
    start = subprocess.Popen.__init__

    def refusing(self: subprocess.Popen[bytes], args: Any, *more: Any, **options: Any) -> None:
        if isinstance(args, list | tuple) and [str(arg) for arg in args[1:3]] == ["-m", "sitegen"]:
            raise AssertionError(
                "this test runs sitegen in a subprocess but is not marked `cli`: "
                "call it through run_sitegen or a helper that does"
            )
        start(self, args, *more, **options)

    monkeypatch.setattr(subprocess.Popen, "__init__", refusing)


# ---------------------------------------------------------------- coverage
#
# ./scripts/test measures the coverage of sitegen/, in the tests' processes and in
# the `python -m sitegen` they start (pyproject.toml: patch = ["subprocess"]), which
# doubles the time of a build. A test that builds a site again and again (a series
# of edits each checked against a clean build, builds killed at many moments, fuzzed
# sites) is marked `no_cover` (pytest-cov's marker): it still runs and asserts, and
# the lines it runs are measured by the other tests. Without this, such tests took a
# third of the suite's time.


@pytest.fixture(autouse=True)
def _no_coverage_in_subprocesses_of_no_cover_tests(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pytest-cov pauses the measure in the test's own process; this leaves it out of
    the processes the test starts, which coverage.py measures when this variable is set."""
    if request.node.get_closest_marker("no_cover") is not None:
        monkeypatch.delenv("COVERAGE_PROCESS_CONFIG", raising=False)


def _spawns(function: Callable[..., object]) -> bool:
    """Whether a test or fixture function runs a subprocess, itself or through a
    function it calls (of its module, of this one, or imported from another)."""
    module = inspect.getmodule(function)
    if module is None:
        return False
    spawning = _spawning_functions(module.__name__)
    return function.__name__ in spawning or _calls_spawning(module, _called(function))


@functools.cache
def _spawning_functions(module_name: str) -> frozenset[str]:
    """The functions of a test module that run a subprocess, directly or through another."""
    module = sys.modules[module_name]
    tree = ast.parse(inspect.getsource(module))
    calls = {
        node.name: _names_called(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
    }
    spawning = {name for name, called in calls.items() if _calls_spawning(module, called)}
    while True:
        more = {name for name, called in calls.items() if called & spawning} - spawning
        if not more:
            return frozenset(spawning)
        spawning |= more


def _calls_spawning(module: ModuleType, called: set[str]) -> bool:
    """Whether one of the names `module` calls is subprocess.* or a function of
    another test module that runs a subprocess."""
    if "subprocess" in called:
        return True
    for name in called:
        target = getattr(module, name, None)
        origin = getattr(target, "__module__", None) or ""
        if (
            origin.startswith("tests")
            and origin != module.__name__
            and getattr(target, "__name__", "") in _spawning_functions(origin)
        ):
            return True
    return False


def _called(function: Callable[..., object]) -> set[str]:
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return set()
    return _names_called(ast.parse(inspect.cleandoc("\n" + source)))


def _names_called(node: ast.AST) -> set[str]:
    """The names of the functions called in `node`, "subprocess" for subprocess.*."""
    found = set()
    for call in ast.walk(node):
        if not isinstance(call, ast.Call):
            continue
        if isinstance(call.func, ast.Name):
            found.add(call.func.id)
        elif isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name):
            found.add("subprocess" if call.func.value.id == "subprocess" else call.func.attr)
    return found


def run_sitegen(
    *args: str | Path, cwd: Path | None = None, language: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m sitegen ...` as a user would, capturing what it prints: this
    checkout's sitegen, whatever `cwd` is (an installed one may be another checkout's).

    Without progress lines: on a machine loaded by the suite's other processes, a
    build may take more than the LOG_DELAY after which a piped build writes its
    stages, and what a test reads must not depend on the machine's speed (the tests
    of progress run the command themselves, with the delay they need).

    In English whatever the machine's locale, unless `language` gives the variables
    that choose it (`{"LANG": "fr_FR.UTF-8"}`): sitegen speaks its user's language."""
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name not in {"LANGUAGE", *LOCALE_VARIABLES, LANGUAGE_VARIABLE}
    }
    return subprocess.run(
        [sys.executable, "-m", "sitegen", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            DELAY_VARIABLE: "3600",
            **inherited,
            "LANG": "C.UTF-8",
            **(language or {}),
            "PYTHONPATH": path,
        },
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes, to compare whole output folders."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def parse_html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def built_copy(tmp_path_factory: pytest.TempPathFactory, name: str, now: dt.datetime) -> Path:
    """A copy of the fixture site tests/sites/<name>, built at `now`: its output folder
    (for module-scoped fixtures that read one build)."""
    site = tmp_path_factory.mktemp(name) / "site"
    shutil.copytree(SITES / name, site)
    built = site.parent / "output"
    result = run_sitegen("build", site, "--output", built, "--now", now.isoformat())
    assert result.returncode == 0, result.stderr
    return built


@pytest.fixture
def copy_site(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Copy a fixture site (by its path below tests/sites) into a scratch folder."""

    def copy(name: str) -> Path:
        target = tmp_path / name.replace("/", "-")
        shutil.copytree(SITES / name, target)
        return target

    return copy


@pytest.fixture
def bilingual(copy_site) -> Path:  # type: ignore[no-untyped-def]
    """A copy of tests/sites/bilingual, for a test that builds it."""
    return copy_site("bilingual")  # type: ignore[no-any-return]


@pytest.fixture
def minimal(copy_site) -> Path:  # type: ignore[no-untyped-def]
    """A copy of tests/sites/minimal, for a test that builds it."""
    return copy_site("minimal")  # type: ignore[no-any-return]


BILINGUAL_CONFIG = """\
title: {fr: Site, en: Site}
base_url: https://example.org/
languages: [fr, en]
timezone: Europe/Paris
"""


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write `files` (relative path → text) below `root`; a site.yaml is added if missing."""
    files = {"site.yaml": BILINGUAL_CONFIG, **files}
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def page(title: str, body: str = "", **front: str) -> str:
    """A Markdown file with front matter."""
    lines = [f"title: {title}", *(f"{key}: {value}" for key, value in front.items())]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def linked_pages(count: int) -> dict[str, str]:
    """The files of a site of `count` dated pages in each language, each linking to
    the next (the last to the first), with home templates listing them."""
    files = {
        "content/index.fr.md": page("Accueil"),
        "content/index.en.md": page("Home"),
        "templates/home.html": "<title>{{ page.title }}</title><ul>{% for child in "
        "page.children %}<li><a href='{{ child.url }}'>{{ child.title }}</a>{% endfor %}</ul>",
        "templates/page.html": "<title>{{ page.title }}</title>{{ page.content }}"
        "<p>{{ page.date | format_date }}</p>",
    }
    for number in range(count):
        following = f"p{(number + 1) % count:03}.md"
        for lang in ("fr", "en"):
            files[f"content/p{number:03}.{lang}.md"] = page(
                f"Page {number} {lang}",
                f"# Titre {number}\n\nVoir [la suite]({following}) : « {number} » !\n",
                date=f"2026-10-{number % 28 + 1:02}",
            )
    return files


CATALOGUE_CONFIG = """\
title: {fr: Boutique, en: Shop}
base_url: https://shop.example/
languages: [fr, en]
timezone: Europe/Paris
theme: double11
data_pages:
  - {data: products, path: products, layout: product, title: name, description: description}
  - data: merchants
    path: merchants
    layout: merchant
    title: name
    lists: {data: products, by: merchant}
  - data: categories
    path: categories
    layout: category
    title: label
    lists: {data: products, by: category}
pagination: {per_page: PER_PAGE, path: {fr: page, en: page}}
"""
PRODUCTS_PER_MERCHANT = 10


def catalogue(products: int, per_page: int = 24) -> dict[str, str]:
    """The files of a bilingual shop built with the bundled theme: `products` products
    of merchants selling 10 each, in two categories, with pages for products,
    merchants and categories, and listings of `per_page`."""
    merchants = max(1, products // PRODUCTS_PER_MERCHANT)
    rows = [
        "id,merchant,category,name.fr,name.en,description.fr,description.en,price,currency,image"
    ]
    for number in range(products):
        merchant = number * merchants // products
        rows.append(
            f"p{number:05},m{merchant:04},{'home' if merchant % 2 else 'fashion'},"
            f"Produit {number},Product {number},Fait main.,Handmade.,"
            f"{10 + number % 90}.50,EUR,img/product.svg"
        )
    merchant_feed = "".join(
        f"- {{id: m{number:04}, name: Maison {number}, category: "
        f"{'home' if number % 2 else 'fashion'}, city: Lyon, logo: img/logo.svg}}\n"
        for number in range(merchants)
    )
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"></svg>\n'
    return {
        "site.yaml": CATALOGUE_CONFIG.replace("PER_PAGE", str(per_page)),
        "content/index.fr.md": page("Accueil"),
        "content/index.en.md": page("Home"),
        "content/products/index.fr.md": page("Produits", slug="produits", catalogue="products"),
        "content/products/index.en.md": page("Products", slug="products", catalogue="products"),
        "content/merchants/index.fr.md": page("Marchands", slug="marchands"),
        "content/merchants/index.en.md": page("Merchants", slug="merchants"),
        "data/products.csv": "\n".join(rows) + "\n",
        "data/merchants.yaml": merchant_feed,
        "data/categories.yaml": "- {id: fashion, label: {fr: Mode, en: Fashion}}\n"
        "- {id: home, label: {fr: Maison, en: Home}}\n",
        "static/img/product.svg": svg,
        "static/img/logo.svg": svg,
    }


EXAMPLE_PARTS = ("site.yaml", "content", "data", "static")
THEME = BUNDLED_THEMES / "double11"
"""The example's theme, shipped inside the package (the example has no themes/ folder)."""


def copy_example(site: Path, with_theme: bool = False) -> Path:
    """A copy of the bundled example in `site`: tests never write into the repository.

    `with_theme` also copies the double11 theme into the copy's themes/, where it
    overrides the bundled one: for tests that write into the theme.
    """
    site.mkdir(parents=True)
    for part in EXAMPLE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, site / part)
        else:
            shutil.copy2(source, site / part)
    if with_theme:
        shutil.copytree(THEME, site / "themes" / THEME.name)
    return site


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example for the tests that build it as it is, one for each process
    of the suite (pytest-xdist): their builds never share a cache folder, and nothing
    is written into the repository."""
    return copy_example(tmp_path_factory.mktemp("example") / "site")


# ---------------------------------------------------------------- checks of a built site


LEGAL_PAGES = {
    "fr": {
        "/fr/mentions-legales/": "Mentions légales",
        "/fr/confidentialite/": "Politique de confidentialité",
    },
    "en": {"/en/legal-notice/": "Legal notice", "/en/privacy/": "Privacy policy"},
}
"""The legal notice and privacy policy of the example and of `sitegen new`'s starter."""


def assert_legal_pages_in_every_footer(output: Path) -> None:
    """Every page of a language links its legal notice and privacy policy from the
    footer (a French commercial site must publish both), and both pages exist."""
    for lang, expected in LEGAL_PAGES.items():
        for url in expected:
            assert _output_file(output, url).is_file(), url
        for path in sorted((output / lang).rglob("*.html")):
            footer = parse_html(path).select_one("footer nav.site-footer__links")
            assert footer is not None, path
            links = {a["href"]: a.get_text(strip=True) for a in footer.select("a")}
            assert links == expected, (path, links)


def _output_file(output: Path, path: str) -> Path:
    """The file a site-absolute path (no query, no fragment) is served from."""
    relative = path.lstrip("/")
    if relative == "" or relative.endswith("/"):
        return output / relative / "index.html"
    return output / relative


def hreflang_problems(output: Path, base_url: str) -> list[str]:
    """Every page's hreflang alternates (with x-default) lead to built pages, and each
    translation lists the same alternates: what search engines check."""
    alternates: dict[str, dict[str, str]] = {}
    problems = []
    for path in sorted(output.rglob("*.html")):
        soup = parse_html(path)
        canonical = soup.find("link", rel="canonical")
        if canonical is None:
            continue
        links = {
            link["hreflang"]: link["href"]
            for link in soup.find_all("link", rel="alternate", hreflang=True)
        }
        if "x-default" not in links:
            problems.append(f"{path.relative_to(output)}: no x-default alternate")
        alternates[canonical["href"]] = links
    if not alternates:
        problems.append("no page has a canonical link")
    for page_url, links in alternates.items():
        for hreflang, href in links.items():
            if not href.startswith(base_url):
                problems.append(f"{page_url}: {hreflang} alternate {href} is not on the site")
            elif not _output_file(output, "/" + href.removeprefix(base_url)).is_file():
                problems.append(f"{page_url}: {hreflang} alternate {href} was not built")
            elif hreflang != "x-default" and alternates.get(href) != links:
                problems.append(f"{page_url}: {hreflang} alternate {href} lists others")
    return problems


def broken_links(output: Path) -> list[str]:
    """Site-absolute links, images, scripts and stylesheets that lead to no built file,
    and fragments that name no element of their page."""
    broken = []
    for path in sorted(output.rglob("*.html")):
        soup = parse_html(path)
        for tag in soup.find_all(["a", "link", "img", "script"]):
            target = tag.get("href") or tag.get("src")
            if not target or not isinstance(target, str):
                continue
            if target.startswith("#"):
                if not soup.find(id=target[1:]):
                    broken.append(f"{path.relative_to(output)}: {target}")
                continue
            if not target.startswith("/") or target.startswith("//"):
                continue
            address, _, fragment = target.partition("#")
            file = _output_file(output, address.partition("?")[0])
            missing_id = fragment and file.suffix == ".html" and file.is_file()
            if not file.is_file() or (missing_id and not parse_html(file).find(id=fragment)):
                broken.append(f"{path.relative_to(output)}: {target}")
    return broken


# ---------------------------------------------------------------- browser tests


def serve(folder: Path) -> contextlib.AbstractContextManager[str]:
    """Serve `folder` on a free port of 127.0.0.1; yields the base URL (`sitegen
    review`'s server, for a site at the root of its host)."""
    return served(folder, "/")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium through Playwright (never a downloaded browser)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=DEBIAN_CHROMIUM, args=list(CHROMIUM_ARGS)
        )
        yield launched
        launched.close()
