"""The floor of building the corpus in Python: what markdown-it-py and Jinja2 alone cost.

    python bench/floor.py [--n 10000] [--root /tmp/sitegen-perf]

Reads the corpus site's pages (bench/corpus_site.py makes it), then, in this one
process, times two loops over every page: parse and render its body with
markdown-it-py, then put it in the peers' page layout with Jinja2. First with
markdown-it-py's plain CommonMark preset (the floor issue 8 quotes, about 1.9 ms a
page), then with sitegen's own parser (tables, strikethrough, footnotes, attributes,
heading anchors, phase and component blocks). Nothing else: no front matter
parsed, no links checked, no file written. Prints milliseconds per page, and what
the whole corpus would take at that rate on one core and on every core.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from jinja2 import Environment
from markdown_it import MarkdownIt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_site import make_site

from sitegen.sources.markdown import create_parser

LAYOUT = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{{ title }} | Bench"
    "</title></head><body><nav><a href='/'>Home</a></nav><main><article><h1>{{ title }}"
    "</h1>{{ content }}</article></main></body></html>"
)


def bodies(site: Path) -> list[tuple[str, str]]:
    """(title, Markdown body) of every page, the front matter cut off as text."""
    pages = []
    for path in sorted((site / "content").glob("page-*.md")):
        _, front, body = path.read_text("utf-8").split("---\n", 2)
        title = next(line for line in front.splitlines() if line.startswith("title:"))
        pages.append((title.removeprefix("title:").strip(), body))
    return pages


def per_page(parser: MarkdownIt, pages: list[tuple[str, str]]) -> float:
    """Milliseconds per page to render the body and the layout."""
    template = Environment(autoescape=True).from_string(LAYOUT)
    started = time.perf_counter()
    for title, body in pages:
        template.render(title=title, content=parser.render(body))
    return (time.perf_counter() - started) * 1000 / len(pages)


def parsers() -> list[tuple[str, MarkdownIt]]:
    """The plain CommonMark preset (the floor issue 8 quotes), then sitegen's parser."""
    return [
        ("markdown-it-py commonmark + Jinja2", MarkdownIt("commonmark")),
        ("sitegen's parser + Jinja2", create_parser()),
    ]


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--n", type=int, default=10000)
    options.add_argument("--root", type=Path, default=Path("/tmp/sitegen-perf"))
    arguments = options.parse_args()
    pages = bodies(make_site(arguments.n, arguments.root))
    cores = len(os.sched_getaffinity(0))
    print(f"{len(pages):,} pages, {cores} cores")
    for name, parser in parsers():
        ms = per_page(parser, pages)
        whole = ms * len(pages) / 1000
        shared = whole / cores
        print(f"{name}: {ms:.2f} ms a page; {whole:.1f} s on one core, {shared:.1f} s on {cores}")


if __name__ == "__main__":
    main()
