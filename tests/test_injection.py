"""Injection: whatever a feed or a page's front matter smuggles in comes out as text.

A copy of the bundled example has every free-text value replaced by a payload (script
elements, an attribute break-out with an event handler, a `</script>` for JSON-LD, a
Markdown `javascript:` link, an HTML comment opener and Jinja syntax), each followed by
a marker naming the field it was put in. The copy is built in two campaign phases, and
every page, feed and sitemap is read with a real parser: no payload may become markup,
no `javascript:` URL may reach an `href` or `src`, template syntax must stay text, and
every field's marker must show up somewhere (so the test covers what it claims to).

`injection_problems` is the checker; `test_the_check_catches_unescaped_output` builds
the same site with autoescaping switched off and shows that it then reports problems.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Comment, Tag

from sitegen.building.buildcontract import BuildOptions
from sitegen.building.pipeline import build
from sitegen.sources.links import runs_script
from tests.conftest import copy_example, parse_html, run_sitegen

PAYLOAD = (
    'P<script>alert(1)</script>"><img src=x onerror=alert(2)></script>'
    "[m](javascript:alert(4))<!--{{ 7*7 }}{% if true %}TPL{% endif %}"
)
"""Put in every free-text field, followed by the field's marker."""
SCRIPT_PART = "<script>alert(1)</script>"
IMG_PART = "<img src=x onerror=alert(2)>"
TEMPLATE_PART = "{{ 7*7 }}{% if true %}TPL{% endif %}"
MARKER = re.compile(r"XSS\d{4}X")
"""A field's marker: fixed width, so that no marker is a prefix of another."""

BODY = """

Body text: {payload}

[link](javascript:alert(4)) and ![x](javascript:alert(5)) and [spaced]( JavaScript:alert(6) )
and <a href="javascript:alert(7)">raw HTML</a> and <script>alert(8)</script> {template}
"""
"""Appended to every Markdown body (Markdown and raw HTML must come out harmless)."""

LIVE = "2027-11-11T12:00:00+08:00"
TEASER = "2027-10-25T12:00:00+08:00"
PHASES = {"live": LIVE, "teaser": TEASER}

# Values that have a constrained form (ids, slugs, layouts, dates, prices, codes, paths,
# URLs, numbers, flags...) keep theirs: the build checks them, or they name something.
# URLs get their own test (test_javascript_urls_are_refused_or_never_linked).
CONSTRAINED_DATA = {
    "id",
    "category",
    "merchant",
    "logo",
    "image",
    "url",
    "currency",
    "kind",
    "tags",  # ids joined by "|", used to filter, never shown
    "offer_ends",
    "price",
    "sale_price",
    "reference_price",
    "since",
    "year",
    "value",
    "fraction_digits",
    "approx",
}
CONSTRAINED_FRONT_MATTER = {
    "slug",
    "layout",
    "date",
    "updated",
    "publish",
    "expires",
    "draft",
    "image",
    "translation_key",
    "translated_from",
    "aliases",
    "ref",
    "menu",
    "url",
    "href",
    "lang",
    "style",
    "phases",
    "catalogue",
    "stats",
    "spotlight",
    "products_limit",
    "toc",
    "reading_time",
    "countdown",
    "deals",
}
CONSTRAINED_CONFIG = {
    "base_url",
    "code",
    "locale",
    "default_language",
    "timezone",
    "theme",
    "campaign",
    "tracking",
    "data_pages",
    "lang",
    "missing_translation",
    "french_typography",
    "offers",
}

NOT_SHOWN: dict[str, str] = {}
"""Fields the theme never shows, by the end of their label, with the reason."""

EXTRA_PAGES = {
    # A section of its own, with a child page: the page cards, and every shortcode.
    "content/guide/index.fr.md": {
        "title": "Guide",
        "description": "Guide",
        "layout": "section",
        "catalogue": False,
        "kicker": "Guide",
    },
    "content/guide/index.en.md": {
        "title": "Guide",
        "description": "Guide",
        "layout": "section",
        "catalogue": False,
    },
    # French only: the English site shows it with the fallback notice.
    "content/guide/showcase.fr.md": {
        "title": "Showcase",
        "description": "Showcase",
        "layout": "page",
        "kicker": "Showcase",
        "date": dt.date(2027, 10, 1),
    },
}
SHOWCASE_BODY = """
::: countdown
:::

::: spotlight merchant=atelier-lumen
:::

::: products merchant=toile-de-sel title='{title}'
:::

::: stat id=hours
:::
"""


@dataclass(frozen=True)
class InjectedSite:
    root: Path
    fields: dict[str, str]
    """Marker → the field it was put in ("data/merchants.yaml [0].story.fr")."""


class _Markers:
    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def payload(self, label: str) -> str:
        marker = f"XSS{len(self.fields) + 1:04d}X"
        self.fields[marker] = label
        return PAYLOAD + marker


def _inject(value: Any, where: str, constrained: set[str], markers: _Markers) -> Any:
    """`value` with every string replaced by a payload, except under constrained keys."""
    if isinstance(value, dict):
        return {
            key: item
            if key in constrained
            else _inject(item, f"{where}.{key}", constrained, markers)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [
            _inject(item, f"{where}[{i}]", constrained, markers) for i, item in enumerate(value)
        ]
    if isinstance(value, str):
        return markers.payload(where.lstrip("."))
    return value


def _dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=10_000)


def _split_page(text: str) -> tuple[dict[str, Any], str]:
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def inject_site(root: Path) -> InjectedSite:
    """Put a payload in every free-text value of the copy at `root`, after adding the
    pages that place what the example does not (`::: countdown`, `::: spotlight`, a
    section with a child page, a page without translation).

    No field had to be left out for the build's sake: the checks on free text (a
    product's or merchant's name may not be empty) accept a payload, which is text."""
    markers = _Markers()
    for relative, extra in EXTRA_PAGES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        body = "\n::: stat id=countries\n:::\n" if path.stem.startswith("index") else ""
        path.write_text(f"---\n{_dump(extra)}---\n{body}", encoding="utf-8")

    config_path = root / "site.yaml"
    config = yaml.safe_load(config_path.read_text("utf-8"))
    config = _inject(config, "", CONSTRAINED_CONFIG, markers)
    config_path.write_text(_dump(config), encoding="utf-8")

    for path in sorted((root / "data").glob("*.yaml")):
        label = path.relative_to(root).as_posix()
        feed = yaml.safe_load(path.read_text("utf-8"))
        path.write_text(_dump(_inject(feed, label + " ", CONSTRAINED_DATA, markers)), "utf-8")

    for path in sorted((root / "data").glob("*.csv")):
        label = path.relative_to(root).as_posix()
        rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
        header = rows[0]
        for number, row in enumerate(rows[1:], start=2):
            for column, cell in enumerate(row):
                field = header[column].split(".")[0]
                if cell and field not in CONSTRAINED_DATA:
                    row[column] = markers.payload(f"{label}:{number} {header[column]}")
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")

    for path in sorted((root / "content").rglob("*.md")):
        label = path.relative_to(root).as_posix()
        front, body = _split_page(path.read_text("utf-8"))
        if front.get("layout") == "article":
            # Fields the article layout knows that the example leaves out.
            front["image_caption"] = "caption"
            sources: list[dict[str, Any]] = front.get("sources") or []
            for source in sources:
                source["url"] = "https://example.com/afp-dispatch"
        front = _inject(front, label + " ", CONSTRAINED_FRONT_MATTER, markers)
        if path.name == "showcase.fr.md":
            body += SHOWCASE_BODY.format(title=markers.payload(f"{label} ::: products title"))
        body += BODY.format(payload=markers.payload(f"{label} body"), template=TEMPLATE_PART)
        path.write_text(f"---\n{_dump(front)}---\n{body}", encoding="utf-8")
    return InjectedSite(root, markers.fields)


# ---------------------------------------------------------------- the checker


def _normalized(text: str) -> str:
    """French typography puts no-break spaces in text: read them as spaces."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def _text_problems(text: str, where: str) -> list[str]:
    """A piece of text (a text node, an attribute value, a JSON string) that holds a
    marker must hold the payload as it was written: as text, template syntax unevaluated."""
    problems = []
    plain = _normalized(text)
    if "49TPL" in plain or ("TPL" in plain and TEMPLATE_PART not in plain):
        problems.append(f"{where}: template syntax was evaluated: {plain[:120]!r}")
    for marker in MARKER.findall(plain):
        before = plain[: plain.index(marker)]
        if (
            not before.endswith(TEMPLATE_PART)
            or SCRIPT_PART not in before
            or IMG_PART not in before
        ):
            problems.append(f"{where}: payload of {marker} altered or cut: {plain[:160]!r}")
    return problems


def _unsafe_url(value: str) -> bool:
    cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
    return cleaned.startswith(("javascript:", "vbscript:", "data:text/html"))


URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "cite")
JSON_TYPES = ("application/ld+json", "application/json")


def html_problems(soup: BeautifulSoup, where: str) -> list[str]:
    """What a payload would leave in a parsed HTML document if it got through."""
    problems: list[str] = []
    for tag in soup.find_all(True):
        assert isinstance(tag, Tag)
        for name, value in tag.attrs.items():
            values = value if isinstance(value, list) else [value]
            text = " ".join(values)
            if name.lower().startswith("on"):
                problems.append(f"{where}: <{tag.name}> has an event handler {name}={text!r}")
            if name.lower() in URL_ATTRIBUTES and _unsafe_url(text):
                problems.append(f"{where}: <{tag.name} {name}={text!r}>")
            if name.lower() in ("srcset", "imagesrcset"):
                for candidate in text.split(","):
                    if _unsafe_url(candidate):
                        problems.append(f"{where}: <{tag.name} {name}={text!r}>")
            refresh = text.lower().partition("url=")[2] if name.lower() == "content" else ""
            if refresh and _unsafe_url(refresh):
                problems.append(f"{where}: <{tag.name} content={text!r}>")
            problems.extend(_text_problems(text, f"{where}: <{tag.name} {name}>"))
        if tag.name == "img" and tag.get("src") == "x":
            problems.append(f"{where}: an <img src=x> from a payload")
        if tag.name == "script":
            problems.extend(_script_problems(tag, where))
        if tag.name in ("iframe", "object", "embed", "base", "form"):
            problems.append(f"{where}: unexpected <{tag.name}>")
    for string in soup.find_all(string=True):
        if string.parent is not None and string.parent.name in ("script", "style"):
            continue
        if isinstance(string, Comment):
            if "TPL" in string or "alert(" in string or MARKER.search(string):
                problems.append(f"{where}: a payload opened a comment: {string[:80]!r}")
            continue
        problems.extend(_text_problems(str(string), f"{where}: text"))
    return problems


def _script_problems(script: Tag, where: str) -> list[str]:
    raw = script.string or ""
    kind = str(script.get("type") or "").lower()
    if kind in JSON_TYPES:
        # JSON data: it must parse, and no `<` may be written as such (tojson writes
        # \u003c), so that nothing in it can close the script element.
        problems = []
        if "<" in raw:
            problems.append(f"{where}: a raw '<' inside <script type={kind}>: {raw[:120]!r}")
        try:
            data = json.loads(raw)
        except ValueError as error:
            return [*problems, f"{where}: <script type={kind}> is not JSON: {error}"]
        if MARKER.search(raw) and "\\u003c" not in raw:
            problems.append(f"{where}: a payload in JSON without \\u003c escapes")
        for text in _json_strings(data):
            problems.extend(_text_problems(text, f"{where}: JSON string"))
        return problems
    if script.get("src") is not None:
        src = str(script["src"])
        if not src.startswith("/") or src.startswith("//"):
            return [f"{where}: a script from elsewhere: {src!r}"]
        return []
    if "alert(" in raw or MARKER.search(raw) or "TPL" in raw:
        return [f"{where}: a payload ran as a script: {raw[:120]!r}"]
    return []


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


ATOM = "{http://www.w3.org/2005/Atom}"


def feed_problems(path: Path, where: str) -> list[str]:
    """An Atom feed: well-formed XML, payloads as text in its titles, and the HTML of its
    entries (escaped once, as Atom wants) as harmless as a page."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        return [f"{where}: not well-formed XML: {error}"]
    problems = []
    entries = root.findall(f"{ATOM}entry")
    if not entries:
        problems.append(f"{where}: no entry")
    for element in root.iter():
        if element.tag == f"{ATOM}content":
            continue
        problems.extend(_text_problems(element.text or "", f"{where}: <{element.tag}>"))
    for entry in entries:
        title = entry.findtext(f"{ATOM}title") or ""
        if SCRIPT_PART not in title or not MARKER.search(title):
            problems.append(f"{where}: entry title without the payload as text: {title!r}")
        content = entry.findtext(f"{ATOM}content") or ""
        problems.extend(html_problems(BeautifulSoup(content, "html.parser"), f"{where} <content>"))
    return problems


def injection_problems(output: Path) -> list[str]:
    """Every sign, in a built site, that a payload got through as something else than
    text: markup, a script, an event handler, a `javascript:` link, evaluated template
    syntax, a broken JSON-LD or feed."""
    problems: list[str] = []
    pages = sorted(output.rglob("*.html"))
    if not pages:
        return ["no HTML page was built"]
    for path in pages:
        problems.extend(html_problems(parse_html(path), path.relative_to(output).as_posix()))
    for path in sorted(output.rglob("*.xml")):
        where = path.relative_to(output).as_posix()
        if path.name == "feed.xml":
            problems.extend(feed_problems(path, where))
        else:
            try:
                ET.parse(path)
            except ET.ParseError as error:
                problems.append(f"{where}: not well-formed XML: {error}")
    return problems


def markers_shown(output: Path) -> set[str]:
    """The markers found anywhere in the built pages and feeds."""
    found: set[str] = set()
    for path in output.rglob("*"):
        if path.suffix in (".html", ".xml"):
            found.update(MARKER.findall(path.read_text("utf-8")))
    return found


# ---------------------------------------------------------------- the builds


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> InjectedSite:
    return inject_site(copy_example(tmp_path_factory.mktemp("injection") / "site"))


@pytest.fixture(scope="module")
def built(injected: InjectedSite) -> dict[str, Path]:
    """The injected site built in the teaser and the live phase."""
    outputs = {}
    for phase, now in PHASES.items():
        output = injected.root.parent / f"output-{phase}"
        result = run_sitegen("build", injected.root, "--output", output, "--now", now)
        assert result.returncode == 0, result.stdout + result.stderr
        outputs[phase] = output
    return outputs


@pytest.mark.parametrize("phase", PHASES)
def test_no_payload_reaches_the_output_unescaped(built: dict[str, Path], phase: str) -> None:
    problems = injection_problems(built[phase])
    assert problems == [], "\n".join(problems[:40])


def test_every_field_is_shown_somewhere(injected: InjectedSite, built: dict[str, Path]) -> None:
    shown = set().union(*(markers_shown(output) for output in built.values()))
    missing = [
        f"{marker} {label}"
        for marker, label in injected.fields.items()
        if marker not in shown and not any(label.endswith(end) for end in NOT_SHOWN)
    ]
    assert missing == [], "fields never shown:\n" + "\n".join(missing)


# Every component, shortcode, layout and partial of the theme, by what it renders,
# with the text of at least one payload in it.
COMPONENTS = {
    "components/countdown": "section.countdown#countdown",
    "shortcodes/countdown": "section.countdown#countdown-inline",
    "components/stats": "section.stats",
    "shortcodes/stat": "aside.stat-callout",
    "components/spotlight": "section.spotlight#spotlight",
    "shortcodes/spotlight": "section.spotlight#spotlight-atelier-lumen",
    "components/product_grid": "section.products#deals",
    "shortcodes/products": "section.products#products-toile-de-sel-inline",
    "home hero": "section.hero",
    "article": "body.layout-article article.article",
    "article timeline": "section.timeline",
    "article sources": "section.sources",
    "article caption": "figcaption.article__caption",
    "page": "body.layout-page article.page",
    "section": "body.layout-section section.listing",
    "category": "body.layout-category article.category-page",
    "merchant": "body.layout-merchant article.merchant-page",
    "product": "body.layout-product article.product-page",
    "page cards": "section.page-cards",
    "fallback notice": "p.fallback-notice",
    "breadcrumb": "nav.breadcrumb",
    "header": "header.site-header nav.main-nav",
    "footer": "footer.site-footer",
    "language switcher": "nav.lang-switcher",
    "root chooser": "body.layout-root .chooser",
    "404": "body.layout-404",
}


def test_every_component_renders_a_payload(built: dict[str, Path]) -> None:
    missing = dict(COMPONENTS)
    for output in built.values():
        for path in sorted(output.rglob("*.html")):
            soup = parse_html(path)
            for name, selector in list(missing.items()):
                if any(MARKER.search(str(element)) for element in soup.select(selector)):
                    del missing[name]
    assert missing == {}, "rendered nowhere with a payload in it"


def test_feeds_and_meta_tags_carry_the_payload_as_text(built: dict[str, Path]) -> None:
    output = built["live"]
    for lang in ("fr", "en"):
        entries = ET.parse(output / lang / "feed.xml").getroot().findall(f"{ATOM}entry")
        assert entries
        for entry in entries:
            title = _normalized(entry.findtext(f"{ATOM}title") or "")
            assert title.startswith(PAYLOAD), title
    soup = parse_html(output / "en" / "double-11-explained" / "index.html")
    for attribute, name in (("property", "og:title"), ("name", "twitter:title")):
        meta = soup.find("meta", attrs={attribute: name})
        assert isinstance(meta, Tag)
        assert str(meta["content"]).startswith(PAYLOAD)
        assert MARKER.fullmatch(str(meta["content"]).removeprefix(PAYLOAD))
    ld = soup.find("script", type="application/ld+json")
    assert isinstance(ld, Tag) and ld.string
    assert "</script" not in ld.string and "\\u003c/script\\u003e" in ld.string
    assert json.loads(ld.string)["headline"].startswith(PAYLOAD)


def test_the_check_catches_unescaped_output(
    injected: InjectedSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With autoescaping off, the same site gives output the checker rejects."""
    monkeypatch.setattr("sitegen.rendering.environments._autoescape", lambda name: False)
    # autoescaping is decided when a template is compiled: not from the bundled
    # theme's templates compiled (with it) by earlier builds of this installation
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    output = tmp_path / "unescaped"
    build(
        BuildOptions(
            site_root=injected.root,
            output=output,
            now=dt.datetime.fromisoformat(LIVE),
        )
    )
    problems = injection_problems(output)
    assert any("ran as a script" in problem for problem in problems)
    assert any("event handler onerror" in problem for problem in problems)
    assert any("<img src=x>" in problem for problem in problems)
    assert any("feed.xml: not well-formed XML" in problem for problem in problems)


# ---------------------------------------------------------------- javascript: URLs

JAVASCRIPT_URL = "javascript:alert(3)"


@pytest.mark.parametrize(
    ("url", "runs"),
    [
        ("javascript:alert(3)", True),
        ("  JavaScript:alert(3)", True),
        ("java\tscr\nipt:alert(3)", True),
        ("\x01javascript:alert(3)", True),
        ("vbscript:msgbox(3)", True),
        ("data:text/html,<script>alert(3)</script>", True),
        ("https://example.com/javascript:", False),
        ("/fr/javascript-guide/", False),
        ("#deals", False),
        ("mailto:hello@example.com", False),
    ],
)
def test_script_urls_are_told_from_links(url: str, runs: bool) -> None:
    assert runs_script(url) is runs


URL_FIELDS = {
    # where: (file, the text to replace, what replaces it)
    "merchant url": (
        "data/merchants.yaml",
        "https://example.com/atelier-lumen\n",
        f"{JAVASCRIPT_URL}\n",
    ),
    "product url": (
        "data/products.csv",
        "https://example.com/atelier-lumen/lumen-etole,",
        f"{JAVASCRIPT_URL},",
    ),
    "source url": (
        "content/explainer.en.md",
        '    publisher: "AFP"\n',
        f'    publisher: "AFP"\n    url: " {JAVASCRIPT_URL.upper()}"\n',
    ),
    "call to action href": ("content/index.en.md", 'href: "#deals"', f'href: "{JAVASCRIPT_URL}"'),
}


@pytest.mark.parametrize("where", URL_FIELDS)
def test_javascript_urls_are_refused_or_never_linked(tmp_path: Path, where: str) -> None:
    """A URL field holding `javascript:` is an error at its line; were one accepted, it
    would still have to stay out of every href and src."""
    site = copy_example(tmp_path / "site")
    relative, old, new = URL_FIELDS[where]
    path = site / relative
    text = path.read_text("utf-8")
    assert text.count(old) >= 1
    text = text.replace(old, new, 1)
    path.write_text(text, "utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "alert(3)" in row.lower())
    result = run_sitegen("build", site, "--output", tmp_path / "out", "--now", LIVE)
    if result.returncode != 0:
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert f"{relative}:{line}" in result.stdout + result.stderr, result.stderr
        return
    links = [
        f"{path.name}: {tag}"
        for path in sorted((tmp_path / "out").rglob("*.html"))
        for tag in parse_html(path).find_all(True)
        for name in URL_ATTRIBUTES
        if isinstance(tag.get(name), str) and _unsafe_url(str(tag.get(name)))
    ]
    assert links == []
