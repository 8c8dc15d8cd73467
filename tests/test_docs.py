"""The documentation kept honest: the reference pages name what the code has, and the
README's and docs/'s relative links lead somewhere."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

import jinja2.defaults
import pytest

from sitegen.commands.cli import parser
from sitegen.settings import config
from sitegen.sources import frontmatter
from tests.conftest import page
from tests.test_imports import PACKAGES
from tests.test_render import LAYOUT, renderer_for

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SITE_YAML = DOCS / "reference" / "site-yaml.md"
FRONT_MATTER = DOCS / "reference" / "front-matter.md"
TEMPLATE_API = DOCS / "reference" / "template-api.md"
CLI = DOCS / "reference" / "cli.md"

_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"`[^`]*`")
_NAME = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(\(.*\))?$")
_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _prose_lines(text: str) -> Iterator[str]:
    """The lines of a Markdown text outside fenced code blocks."""
    fenced = False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            yield line


def _sections(text: str, level: str = "## ") -> dict[str, list[str]]:
    """Each `level` heading of a Markdown text, with the lines below it."""
    sections: dict[str, list[str]] = {}
    lines: list[str] = []
    for line in _prose_lines(text):
        if line.startswith(level):
            lines = sections.setdefault(line[len(level) :].strip(), [])
        else:
            lines.append(line)
    return sections


def _first_cells(lines: list[str]) -> Iterator[str]:
    """The first cell of each row of the tables among `lines` (header rows too)."""
    for line in lines:
        if line.startswith("|") and not re.match(r"^\|\s*:?-", line):
            yield re.split(r"(?<!\\)\|", line)[1]


# The template API page ----------------------------------------------------------


def _documented_names(lines: list[str]) -> set[str]:
    """The names a section's tables document: in the first cell of each row, every
    span in backticks that is a name, or a name followed by its arguments (`url(path)`,
    `_()`). Spans such as `x is past` or `1299 | format_currency("EUR")` are examples,
    not names."""
    names = set()
    for cell in _first_cells(lines):
        for span in re.findall(r"`([^`]+)`", cell):
            found = _NAME.match(span)
            if found:
                names.add(found.group(1))
    return names


def _registered(tmp_path: Path) -> dict[str, set[str]]:
    """What sitegen registers in a language's environment, built as a build builds it:
    every global, filter and test minus Jinja's own defaults (`DEFAULT_NAMESPACE`,
    `DEFAULT_FILTERS`, `DEFAULT_TESTS`). The callables of Jinja's i18n extension (`_`,
    `gettext`, `ngettext`, `pgettext`, `npgettext`) are not among Jinja's defaults:
    sitegen installs them with each language's catalogs, so they are documented."""
    _, renderer = renderer_for(
        tmp_path,
        {
            "content/index.fr.md": page("Accueil"),
            "content/index.en.md": page("Home"),
            "templates/home.html": LAYOUT,
        },
    )
    names: dict[str, set[str]] = {}
    for lang in ("fr", "en"):
        env = renderer.environments[lang]
        found = {
            "Globals": set(env.globals) - set(jinja2.defaults.DEFAULT_NAMESPACE),
            "Filters": set(env.filters) - set(jinja2.defaults.DEFAULT_FILTERS),
            "Tests": set(env.tests) - set(jinja2.defaults.DEFAULT_TESTS),
        }
        assert names in ({}, found), "the languages' environments differ"
        names = found
    return names


def test_the_template_api_page_lists_exactly_what_the_environment_registers(
    tmp_path: Path,
) -> None:
    """The tables under the page's "Globals", "Filters" and "Tests" headings name
    exactly the globals, filters and tests of a real environment (see `_registered`
    and `_documented_names` for the rules)."""
    sections = _sections(TEMPLATE_API.read_text("utf-8"))
    for kind, registered in _registered(tmp_path).items():
        documented = _documented_names(sections[kind])
        assert sorted(registered - documented) == [], f"{kind} not documented"
        assert sorted(documented - registered) == [], f"{kind} documented but not registered"


def test_the_template_api_rule_sees_names_and_skips_examples() -> None:
    rows = [
        "| name | what |",
        "|---|---|",
        "| `url(path)` | ... |",
        "| `_()`, `gettext` | ... |",
        '| `1299 \\| format_currency("EUR")` | example |',
        "| `x is past` | example |",
    ]
    assert _documented_names(rows) == {"url", "_", "gettext"}


# The site.yaml and front matter references ---------------------------------------


def _table_names(path: Path) -> set[str]:
    """The names in backticks of the first cells of a page's tables."""
    return _documented_names(list(_prose_lines(path.read_text("utf-8"))))


def test_the_site_yaml_reference_lists_every_setting() -> None:
    """Its table names exactly the top-level settings `site.yaml` accepts."""
    assert sorted(_table_names(SITE_YAML)) == sorted(config._SETTINGS)


def test_the_front_matter_reference_lists_every_key() -> None:
    """Its table names exactly the keys sitegen knows (a theme's own keys aside)."""
    known = frontmatter.KNOWN_FRONT_MATTER | frontmatter.ENGINE_PARAMS | {frontmatter.PARAMS_KEY}
    assert sorted(_table_names(FRONT_MATTER)) == sorted(known)


# The CLI reference ---------------------------------------------------------------


def _commands(
    command: argparse.ArgumentParser, path: tuple[str, ...] = ("sitegen",)
) -> Iterator[tuple[str, set[str]]]:
    """Each command of the parser, as `sitegen i18n stamp`, with its option strings
    (`--help` and `-h` aside: every command has them, and the page says so once)."""
    options = {
        option
        for action in command._actions
        if not isinstance(action, argparse._HelpAction)
        for option in action.option_strings
    }
    yield " ".join(path), options
    for action in command._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*path, name))


def _documented_commands(text: str) -> dict[str, set[str]]:
    """The page's commands, one `## `sitegen ...`` heading each, with the options
    its tables name: every span in backticks of a row's first cell that starts with
    `-` (its first word: `--output DIR` is `--output`)."""
    documented = {}
    for heading, lines in _sections(text).items():
        command = re.fullmatch(r"`(sitegen(?: [a-z0-9-]+)*)`", heading)
        if command is None:
            continue
        options = set()
        for cell in _first_cells(lines):
            for span in re.findall(r"`([^`]+)`", cell):
                if span.startswith("-"):
                    options.add(span.split()[0])
        documented[command.group(1)] = options
    return documented


def test_the_cli_reference_matches_the_parser() -> None:
    """Every command and option of `sitegen`'s parser has its section and its row in
    docs/reference/cli.md, and the page documents no command or option the parser
    does not have."""
    real = dict(_commands(parser()))
    documented = _documented_commands(CLI.read_text("utf-8"))
    assert sorted(real) == sorted(documented)
    for command, options in real.items():
        assert sorted(options) == sorted(documented[command]), command


def test_the_cli_walk_finds_nested_commands_and_short_options() -> None:
    real = dict(_commands(parser()))
    assert {"--dry-run", "-n", "--output", "-o"} <= real["sitegen deploy"]
    assert real["sitegen i18n stamp"] == {"--all"}
    assert "-h" not in real["sitegen"]


# Relative links ------------------------------------------------------------------


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, markup and punctuation dropped
    (letters, digits, `_` and `-` kept), spaces made hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    anchors: set[str] = set()
    for line in _prose_lines(path.read_text("utf-8")):
        heading = re.match(r"^#{1,6} (.*)$", line)
        if heading:
            slug = base = _slug(heading.group(1))
            count = 0
            while slug in anchors:  # GitHub numbers repeated headings
                count += 1
                slug = f"{base}-{count}"
            anchors.add(slug)
    return anchors


def _markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


def _broken_links(path: Path, root: Path = ROOT) -> Iterator[str]:
    """The relative links of a Markdown file (outside code) that lead to no file, or
    to no heading of a Markdown file; links with a scheme (`https:`) are not followed.
    A paragraph is read whole, since a link or a code span may run over two lines."""
    paragraphs = "\n".join(_prose_lines(path.read_text("utf-8"))).split("\n\n")
    for paragraph in paragraphs:
        for target in _LINK.findall(_CODE_SPAN.sub("", paragraph)):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:...
                continue
            file, _, anchor = target.partition("#")
            linked = (path.parent / file).resolve() if file else path
            if not linked.exists():
                yield f"{path.relative_to(root)}: {target}: no such file"
            elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
                yield f"{path.relative_to(root)}: {target}: no such heading"


@pytest.mark.parametrize("path", _markdown_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_relative_links_lead_to_a_file_and_a_heading(path: Path) -> None:
    assert list(_broken_links(path)) == []


def test_the_link_check_sees_broken_links(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A title\n\n## Set-up: `sitegen build`\n", "utf-8")
    doc = tmp_path / "b.md"
    doc.write_text(
        "[ok](a.md#set-up-sitegen-build) [ok](#b) `[code](nowhere.md)`\n"
        "[gone](c.md) [wrong](a.md#setup) [web](https://example.com/x.md) [two\n"
        "lines](d.md) `code over\ntwo lines [x](e.md)`\n"
        "# B\n",
        "utf-8",
    )
    assert list(_broken_links(doc, tmp_path)) == [
        "b.md: c.md: no such file",
        "b.md: a.md#setup: no such heading",
        "b.md: d.md: no such file",
    ]


def test_the_readme_stays_short() -> None:
    """The README is an entry point; the rest is in docs/ (issue 18)."""
    assert len((ROOT / "README.md").read_bytes()) <= 8 * 1024


def test_the_architecture_page_shows_the_packages_and_layers_the_imports_test_holds() -> None:
    text = (DOCS / "architecture.md").read_text("utf-8")
    layers = text[text.index("## Layers") :]
    rows = re.findall(r"^\| `([a-z]+)` \| (.+) \|$", layers, re.MULTILINE)
    shown = [
        (package, [set(re.findall(r"`([a-z0-9_]+)`", layer)) for layer in modules.split("→")])
        for package, modules in rows
    ]
    assert shown == PACKAGES
    described = re.findall(r"^\| `([a-z]+)` \|", text[: text.index("## Layers")], re.MULTILINE)
    assert described == [package for package, _ in PACKAGES]
