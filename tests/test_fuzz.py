"""Property-based tests: whatever a marketer's files hold, a build either succeeds or
reports problems that each name a file and a line; it never fails with anything else.

Hypothesis makes the inputs: front matter, Markdown bodies, site.yaml, YAML and CSV
feeds, whole files of arbitrary bytes, and the classics of hand-edited files (tabs,
duplicate keys, YAML 1.1 surprises, BOMs, CRLF, Windows-1252, NUL bytes, enormous lines,
deep nesting). `./scripts/test` runs a fixed budget with a fixed seed; a longer run:

    SITEGEN_FUZZ=long python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.base.errors import SiteError
from sitegen.building.buildcontract import BuildOptions
from sitegen.building.pipeline import build
from sitegen.sources.frontmatter import KNOWN_FRONT_MATTER

settings.register_profile(
    "ci",
    max_examples=200,
    derandomize=True,  # a fixed seed: the same inputs on every run
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
settings.register_profile(
    "long",
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("long" if os.environ.get("SITEGEN_FUZZ") == "long" else "ci")

NOW = dt.datetime(2027, 11, 1, 12, 0, tzinfo=dt.UTC)
SITE_YAML = """\
title: {fr: Boutique, en: Shop}
base_url: https://shop.example/
languages: [fr, en]
default_language: fr
timezone: Europe/Paris
"""
PAGE_TEMPLATE = (
    "<!doctype html><html lang='{{ lang.code }}'><head><title>{{ page.title }}</title></head>"
    "<body><h1>{{ page.title }}</h1>{{ page.description }}{{ page.content }}"
    "{% for key, value in page.params.items() %}<p>{{ key }}={{ value }}</p>{% endfor %}"
    "{% for name in data %}{% for item in data[name] or [] %}<p>{{ item }}</p>{% endfor %}"
    "{% endfor %}</body></html>\n"
)
BASE_FILES = {
    "site.yaml": SITE_YAML,
    "content/index.fr.md": "---\ntitle: Accueil\n---\nBonjour.\n",
    "content/index.en.md": "---\ntitle: Home\n---\nHello.\n",
    "templates/page.html": PAGE_TEMPLATE,
    "templates/home.html": PAGE_TEMPLATE,
}

# ---------------------------------------------------------------- what files hold

TRICKY_SCALARS = [
    "no",
    "NO",
    "yes",
    "on",
    "off",
    "y",
    "n",
    "~",
    "null",
    "1e3",
    "010",
    "0x1F",
    "0o17",
    "12:30",
    "12:30:45",
    "1_000",
    ".inf",
    "-.nan",
    "2027-11-11",
    "2027-11-11T00:00:00",
    "2027-11-11 00:00:00+08:00",
    "2027-13-45",
    "24:61",
    "'quoted'",
    '"dq"',
    "'unclosed",
    '"unclosed',
    "[a, b",
    "{a: b",
    "[]",
    "{}",
    "- item",
    "a: b: c",
    "*alias",
    "&anchor x",
    "!!python/object/apply:os.system ['true']",
    "!custom tag",
    "|",
    ">",
    "%YAML 1.1",
    "---",
    "...",
    "#comment",
    "@at",
    "`tick`",
    "\t",
    "café",
    "Ǆ",
    "🛍️",
    "\u202f",
    "\u2028",
    "\x00",
    "\x1b[31m",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "{% raw %}",
    "../../etc/passwd",
    "/absolute",
    "C:\\\\windows",
    "%2e%2e%2f",
    "x" * 5000,
]
KEYS = [*sorted(KNOWN_FRONT_MATTER), "custom", "params", "title"]  # "title" twice: duplicates
FEED_FIELDS = [
    "id",
    "name",
    "name.fr",
    "name.en",
    "merchant",
    "price",
    "sale_price",
    "currency",
    "image",
    "url",
    "available_from",
    "available_until",
]
scalars = st.one_of(
    st.sampled_from(TRICKY_SCALARS),
    st.text(max_size=40),
    st.integers().map(str),
    st.floats(allow_nan=True).map(str),
)
indents = st.sampled_from(["", "  ", "\t", "    ", " "])


@st.composite
def yaml_texts(draw: st.DrawFn, keys: list[str]) -> str:
    """Mostly-YAML: key/value lines, nested blocks, lists, with tricky scalars and
    indentation, sometimes deeply nested, sometimes with duplicate keys."""
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        key = draw(st.one_of(st.sampled_from(keys), st.text(min_size=1, max_size=12)))
        shape = draw(st.sampled_from(["scalar", "list", "map", "flow", "deep"]))
        indent = draw(indents)
        if shape == "scalar":
            lines.append(f"{indent}{key}: {draw(scalars)}")
        elif shape == "list":
            lines.append(f"{key}:")
            lines += [f"{draw(indents)}- {draw(scalars)}" for _ in range(draw(st.integers(0, 3)))]
        elif shape == "map":
            lines.append(f"{key}:")
            lines += [
                f"  {draw(st.sampled_from(['fr', 'en', 'de', 'x']))}: {draw(scalars)}"
                for _ in range(draw(st.integers(0, 3)))
            ]
        elif shape == "flow":
            lines.append(f"{key}: [{', '.join(draw(st.lists(scalars, max_size=3)))}]")
        else:
            depth = draw(st.integers(1, 300))
            lines.append(f"{key}: " + "[" * depth + "]" * draw(st.sampled_from([0, depth])))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n"]))


markdown_pieces = st.sampled_from(
    [
        "# Titre\n",
        "## Sous-titre {#id}\n",
        "*emphase* **fort** `code`\n",
        "[lien](/fr/)\n",
        "[cassé](/nulle-part/)\n",
        "![image](img/none.png)\n",
        "<div>html</div>\n",
        "<script>alert(1)</script>\n",
        "::: phase live\n",
        ":::\n",
        "::: products\n",
        "::: unknown-block\n",
        "```python\nprint(1)\n```\n",
        "```\nunclosed fence\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n",
        "> quote\n",
        "- item\n  - nested\n",
        "1. one\n",
        "---\n",
        "{{ 7*7 }}\n",
        "{% if %}\n",
        "\x00\n",
        "\r\n",
        "\t\tindented code\n",
        "[^note]\n\n[^note]: footnote\n",
        "<!-- comment -->\n",
        "&amp; &bogus; &#0;\n",
        "a" * 20000 + "\n",
        "*" * 500 + "\n",
        "[" * 500 + "\n",
        ">" * 300 + " deep\n",
    ]
)
markdown_bodies = st.lists(st.one_of(markdown_pieces, st.text(max_size=80)), max_size=12).map(
    "".join
)


def encoded(text: str) -> st.SearchStrategy[bytes]:
    """The text as an editor might save it: UTF-8, with a BOM, CRLF, or Windows-1252."""

    def windows_1252(value: str) -> bytes:
        return value.encode("cp1252", errors="replace")

    return st.sampled_from(
        [
            text.encode("utf-8", errors="surrogatepass"),
            b"\xef\xbb\xbf" + text.encode("utf-8", errors="surrogatepass"),
            text.replace("\n", "\r\n").encode("utf-8", errors="surrogatepass"),
            windows_1252(text + " café"),
        ]
    )


# ---------------------------------------------------------------- the property


def builds_or_reports_places(files: dict[str, bytes]) -> None:
    """Write the site, build it: success, or SiteError whose every problem has a file
    of the site and a line. Anything else (any other exception) fails the test."""
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        for relative, content in {**_encoded(BASE_FILES), **files}.items():
            path = site / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        output = Path(scratch) / "out"
        try:
            build(BuildOptions(site_root=site, output=output, now=NOW))
        except SiteError as error:
            assert error.problems, "a SiteError without a problem"
            for problem in error.problems:
                assert problem.path is not None, f"no file: {problem}"
                assert problem.path.resolve().is_relative_to(site.resolve()), problem
                assert problem.line is not None and problem.line >= 1, f"no line: {problem}"
                assert problem.message.strip(), problem
        else:
            pages_are_sound(output)


PAYLOADS = ("<script>alert(1)", "javascript:", " onerror=")


def pages_are_sound(output: Path) -> None:
    """What a fuzzed site that builds must publish (issue 22): pages in valid UTF-8 that
    parse into one document, each with the `lang` of the folder it is in, and none of
    the payloads a field may hold reaching the HTML unescaped."""
    pages = sorted(output.rglob("*.html"))
    assert pages, "a build without a page"
    for path in pages:
        text = path.read_bytes().decode("utf-8")  # strict: raises on invalid UTF-8
        relative = path.relative_to(output)
        document = BeautifulSoup(text, "html.parser")
        html = document.find("html")
        assert html is not None and len(document.find_all("html")) == 1, relative
        lang = html.get("lang")
        assert isinstance(lang, str) and lang, f"{relative}: no lang"
        if len(relative.parts) > 1:  # /<lang>/...: the page's language
            assert lang == relative.parts[0], f"{relative}: lang {lang!r}"
        lowered = text.lower()
        assert not [payload for payload in PAYLOADS if payload in lowered], relative


def _encoded(files: dict[str, str]) -> dict[str, bytes]:
    return {relative: text.encode("utf-8") for relative, text in files.items()}


def _front_matter(front: str, body: str) -> str:
    return f"---\n{front}---\n{body}"


# ---------------------------------------------------------------- the inputs


@pytest.mark.no_cover  # builds again and again: see conftest.py
@given(st.data())
def test_front_matter_and_markdown(data: st.DataObject) -> None:
    front = data.draw(yaml_texts(KEYS))
    body = data.draw(markdown_bodies)
    raw = data.draw(encoded(_front_matter(front if front.endswith("\n") else front + "\n", body)))
    builds_or_reports_places({"content/page.fr.md": raw})


@pytest.mark.no_cover  # builds again and again: see conftest.py
@given(st.data())
def test_site_yaml(data: st.DataObject) -> None:
    keys = [
        "title",
        "base_url",
        "languages",
        "default_language",
        "timezone",
        "theme",
        "campaign",
        "missing_translation",
        "root_page",
        "french_typography",
        "params",
    ]
    extra = data.draw(yaml_texts(keys))
    base = data.draw(st.sampled_from([SITE_YAML, ""]))
    raw = data.draw(encoded(base + extra))
    builds_or_reports_places({"site.yaml": raw})


@pytest.mark.no_cover  # builds again and again: see conftest.py
@given(st.data())
def test_yaml_feeds(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(["products", "merchants", "stats", "anything"]))
    items = data.draw(st.lists(yaml_texts(FEED_FIELDS), max_size=4))
    text = "".join("- " + item.replace("\n", "\n  ").rstrip() + "\n" for item in items)
    raw = data.draw(st.one_of(encoded(text), encoded(data.draw(yaml_texts(["a", "b"])))))
    builds_or_reports_places({f"data/{name}.yaml": raw})


csv_cells = st.one_of(
    st.sampled_from(
        [
            "",
            "1",
            "0",
            "-5",
            "12.50",
            "1e3",
            "EUR",
            "XXX",
            "no",
            "2027-11-11",
            "2027-11-11T10:00:00+08:00",
            '"quoted, cell"',
            '"unclosed',
            "a\tb",
            "=cmd|' /C calc'!A0",
            "https://x.example/",
            "javascript:alert(1)",
            "img/none.png",
            "\x00",
            "é" * 3,
        ]
    ),
    st.text(max_size=20),
)


@pytest.mark.no_cover  # builds again and again: see conftest.py
@given(st.data())
def test_csv_feeds(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(["products", "merchants", "stats"]))
    header = data.draw(
        st.lists(
            st.sampled_from([*FEED_FIELDS, "id", "", "x y"]),
            min_size=0,
            max_size=8,
        )
    )
    rows = data.draw(st.lists(st.lists(csv_cells, max_size=len(header) + 2), max_size=5))
    lines = [",".join(header), *(",".join(row) for row in rows)]
    newline = data.draw(st.sampled_from(["\n", "\r\n", "\r"]))
    raw = data.draw(encoded(newline.join(lines) + newline))
    builds_or_reports_places({f"data/{name}.csv": raw})


@pytest.mark.no_cover  # builds again and again: see conftest.py
@given(
    st.sampled_from(
        [
            "content/page.fr.md",
            "site.yaml",
            "data/stats.yaml",
            "data/products.csv",
            "content/page.md",
            "data/merchants.yaml",
        ]
    ),
    st.binary(max_size=300),
)
def test_arbitrary_bytes(relative: str, content: bytes) -> None:
    builds_or_reports_places({relative: content})


# ---------------------------------------------------------------- named classics


def classic(relative: str, content: bytes) -> Callable[[], None]:
    def check() -> None:
        builds_or_reports_places({relative: content})

    return check


CLASSICS = {
    "tabs in front matter": ("content/a.fr.md", b"---\ntitle: A\n\tslug: a\n---\n"),
    "duplicate key": ("content/a.fr.md", b"---\ntitle: A\ntitle: B\n---\n"),
    "Norway": ("data/stats.yaml", b"- country: no\n  value: 1e3\n  code: 010\n  at: 12:30\n"),
    "BOM and CRLF": ("content/a.fr.md", b"\xef\xbb\xbf---\r\ntitle: A\r\n---\r\nText\r\n"),
    "Windows-1252": ("content/a.fr.md", b"---\ntitle: Caf\xe9\n---\n\x93quoted\x94\n"),
    "empty page": ("content/a.fr.md", b""),
    "empty feed": ("data/products.csv", b""),
    "empty site.yaml": ("site.yaml", b""),
    "enormous line": ("content/a.fr.md", b"---\ntitle: A\n---\n" + b"word " * 400_000),
    "deep nesting": ("data/stats.yaml", b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n"),
    "deep mapping": ("data/stats.yaml", b"".join(b"  " * i + b"k:\n" for i in range(2000))),
    "NUL byte": ("content/a.fr.md", b"---\ntitle: A\x00B\n---\nText\x00\n"),
    "NUL in CSV": ("data/products.csv", b"id,name\nx\x00,y\n"),
}


def test_classics() -> None:
    failures = []
    for name, (relative, content) in CLASSICS.items():
        try:
            classic(relative, content)()
        except AssertionError as exc:
            failures.append(f"{name}: {exc}")
    assert failures == []
