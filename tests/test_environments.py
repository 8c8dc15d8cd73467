"""Each language's Jinja environment: filters bound to its locale whatever the compiled
templates' cache, and the fragment cache (`{% cache %}`)."""

from __future__ import annotations

import datetime as dt
import gc
import os
import time
from pathlib import Path
from typing import Any

import jinja2
import pytest
from bs4 import BeautifulSoup

from sitegen.base import parallel
from sitegen.building.buildcache import CACHE_DIR, INSTALLED_TEMPLATES_PREFIX
from sitegen.building.buildcontract import BuildOptions
from sitegen.building.builder import Builder
from sitegen.building.pipeline import build
from sitegen.output.live import LiveOutput
from tests.conftest import BILINGUAL_CONFIG, page, write_tree

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)

# Filters applied to constants, which Jinja would fold into the compiled template.
LITERALS = """<p id="price">{{ 1299 | format_currency("EUR") }}</p>
<p id="percent">{{ -0.3 | format_percent }}</p>
<p id="date">{{ "2027-11-11" | default("") }}</p>
<p id="typeset">{{ "Prix : 10 €" | typeset }}</p>
<div>{{ page.content }}</div>
"""
EXPECTED = {
    "fr": {
        "price": "1\u202f299,00\u00a0€",
        "percent": "-30\u00a0%",
        "typeset": "Prix\u202f: 10\u00a0€",
    },
    "en": {"price": "€1,299.00", "percent": "-30%", "typeset": "Prix : 10 €"},
}


def _site(root: Path) -> Path:
    site = write_tree(
        root,
        {
            "site.yaml": BILINGUAL_CONFIG,
            "content/index.fr.md": page("Accueil"),
            "content/index.en.md": page("Home"),
            "content/a.fr.md": page("A"),
            "content/a.en.md": page("A"),
            "templates/home.html": LITERALS,
            "templates/page.html": LITERALS,
        },
    )
    past = time.time() - 10  # stamps the build cache may trust
    for path in site.rglob("*"):
        os.utime(path, (past, past))
    return site


def _shown(output: Path) -> dict[str, dict[str, str]]:
    found = {}
    for lang in ("fr", "en"):
        soup = BeautifulSoup((output / lang / "index.html").read_text("utf-8"), "html.parser")
        found[lang] = {key: soup.find(id=key).get_text() for key in EXPECTED[lang]}
    return found


def test_filters_on_constants_give_each_language_its_own_result(tmp_path: Path) -> None:
    """Compiled once, the templates serve both languages: the French result of a filter
    must not be baked into them (the build cache keeps compiled templates, so the
    second build, after an edit, renders with templates compiled by the first)."""
    site, output = _site(tmp_path / "site"), tmp_path / "out"
    options = BuildOptions(site_root=site, output=output, now=NOW, cache=True, jobs=1)
    build(options)
    assert _shown(output) == EXPECTED
    edited = site / "content" / "index.en.md"
    edited.write_text(page("Home", "Edited."), "utf-8")
    os.utime(edited, (time.time() - 10, time.time() - 10))
    result = build(options)
    assert "en/index.html" in result.rendered and "fr/index.html" not in result.rendered
    assert _shown(output) == EXPECTED


def test_a_sites_own_templates_are_compiled_once_whatever_the_output_or_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept compiled in the site's cache, not only in the state of one output's builds:
    a build into another folder, or with other options, compiles none of them again,
    and gives each language its own results still. A build without a cache keeps none."""
    compiled: list[str | None] = []
    compile_template = jinja2.Environment.compile

    def counting(
        self: jinja2.Environment, source: str, name: str | None = None, *args: Any, **kwargs: Any
    ) -> Any:
        compiled.append(name)
        return compile_template(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    site = _site(tmp_path / "site")
    build(BuildOptions(site_root=site, output=tmp_path / "a", now=NOW, cache=True, jobs=1))
    assert {"home.html", "page.html"} <= set(compiled)
    assert list((site / CACHE_DIR).glob(f"{INSTALLED_TEMPLATES_PREFIX}*/*.bytecode"))
    compiled.clear()
    other = tmp_path / "b"
    build(BuildOptions(site_root=site, output=other, now=NOW, cache=True, drafts=True, jobs=1))
    assert compiled == []
    assert _shown(other) == EXPECTED

    uncached = _site(tmp_path / "uncached")
    build(BuildOptions(site_root=uncached, output=tmp_path / "c", now=NOW, jobs=1))
    assert not (uncached / CACHE_DIR).exists()


@pytest.mark.parametrize("first", ["fr", "en"])
def test_a_session_renders_each_language_right_whichever_comes_first(
    tmp_path: Path, first: str
) -> None:
    """`sitegen serve` keeps one Builder (and its compiled templates) for the session:
    a rebuild of the other language alone still gets that language's results."""
    site = _site(tmp_path / "site")
    live = LiveOutput(tmp_path / "live")
    builder = Builder(BuildOptions(site_root=site, now=NOW, optimize=False))
    with live.update() as update:
        builder.build(update, live.folder)
    other = "en" if first == "fr" else "fr"
    for lang in (first, other):
        edited = site / "content" / f"index.{lang}.md"
        title = "Accueil" if lang == "fr" else "Home"
        edited.write_text(page(title, f"Edited {lang}."), "utf-8")
        with live.update() as update:
            result = builder.build(update, live.folder)
        assert result.rendered == (f"{lang}/index.html",)
        assert _shown(live.folder) == EXPECTED


def test_a_fragment_is_rendered_once_and_shown_wherever_its_key_comes_back(
    tmp_path: Path,
) -> None:
    site = write_tree(
        tmp_path / "site",
        {
            "site.yaml": BILINGUAL_CONFIG,
            "content/index.fr.md": page("Accueil"),
            "content/index.en.md": page("Home"),
            **{f"content/p{n}.fr.md": page(f"Page {n}") for n in range(3)},
            "templates/home.html": "home",
            "templates/page.html": (
                "{% cache 'box', page.kind %}<p id='box'>{{ page.title }} {{ lang.code }}</p>"
                "{% endcache %}"
            ),
        },
    )
    output = tmp_path / "out"
    build(BuildOptions(site_root=site, output=output, now=NOW, jobs=1))
    boxes = {
        path.relative_to(output).as_posix(): path.read_text("utf-8")
        for path in sorted(output.glob("*/p*/index.html"))
    }
    # one key for the French pages: the first page's box is shown on all three; the
    # English fallbacks have a fragment of their own language
    assert set(boxes.values()) == {"<p id='box'>Page 0 fr</p>", "<p id='box'>Page 0 en</p>"}


MACROS = """{% set mark = "*" %}
{% macro label(text) %}{{ mark }}{{ text }}{{ mark }}{% endmacro %}
{% macro titled() %}{{ label(page.title) }}{% endmacro %}
"""


def test_rendering_an_output_leaves_no_reference_cycles_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Macros imported `with context` and the contexts they were made in refer to each
    other: each output's contexts are emptied once it is rendered, so that its objects
    are freed at once instead of by the collector (the build collects after every few
    outputs; here every 5, each collection's finds noted). A module imported without
    context, which Jinja keeps for the next renders, still works on every page."""
    site = write_tree(
        tmp_path / "site",
        {
            "site.yaml": BILINGUAL_CONFIG,
            "content/index.fr.md": page("Accueil"),
            "content/index.en.md": page("Home"),
            **{f"content/p{n}.fr.md": page(f"Page {n}") for n in range(20)},
            "templates/macros.html": MACROS,
            "templates/home.html": "home",
            "templates/page.html": (
                '{% from "macros.html" import titled with context %}'
                '{% from "macros.html" import label %}'
                "<p id='with'>{{ titled() }}</p><p id='without'>{{ label(lang.code) }}</p>"
            ),
        },
    )
    found: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            found.append(info["collected"])

    monkeypatch.setattr(parallel, "COLLECT_EVERY", 5)
    gc.collect()  # what the tests before left
    gc.callbacks.append(note)
    try:
        build(BuildOptions(site_root=site, output=tmp_path / "out", now=NOW, jobs=1))
    finally:
        gc.callbacks.remove(note)
    assert len(found) >= 8  # 42 outputs
    # about 190 objects an output when the contexts were kept
    assert found == [0] * len(found), found
    for n in range(20):
        html = (tmp_path / "out" / f"fr/p{n}/index.html").read_text("utf-8")
        shown = BeautifulSoup(html, "html.parser")
        assert shown.find(id="with").text == f"*Page {n}*"
        assert shown.find(id="without").text == "*fr*"
