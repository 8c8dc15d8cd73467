"""Scale limits: one enormous Markdown page, one enormous CSV feed, many pages.

    python bench/scale.py [--root /tmp/sitegen-scale] [--full]

Each case is built at half size and at full size by `python -m sitegen build` in a
fresh process; the table gives wall time and peak memory (the child's maximum resident
set size) for both, and how much longer the full size took than the half: about 2 times is
linear, 4 times would be quadratic. `--full` runs the sizes of the hardening issue (a 10 MB
page, a 100,000-row feed, 20,000 pages); without it, a tenth of them, for a quick look.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_site import SITE_YAML, make_site  # the peers' one-language site.yaml

LAYOUT = (
    "<!doctype html><html lang='en'><head><title>{{ page.title }}</title></head>"
    "<body>{{ page.content }}{% if data.catalog is defined %}<p>{{ data.catalog | length }}"
    " items</p>{% endif %}</body></html>\n"
)
PARAGRAPH = (
    "Le **11 novembre**, la fête des célibataires devient une vitrine pour les marques "
    "françaises : des [marchands](/en/) de Lyon, de Saint-Malo ou de Grasse y proposent "
    "leurs produits à des clients du monde entier, avec des remises de *30 %* ou plus.\n\n"
)


def tiny_site(root: Path) -> Path:
    if root.exists():
        shutil.rmtree(root)
    for relative, text in {
        "site.yaml": SITE_YAML,
        "templates/page.html": LAYOUT,
        "templates/home.html": LAYOUT,
        "content/index.md": "---\ntitle: Home\n---\nHome.\n",
    }.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def big_page(root: Path, megabytes: float) -> Path:
    """One Markdown page of about `megabytes` MB: headings, paragraphs, lists, links."""
    site = tiny_site(root)
    target = int(megabytes * 1024 * 1024)
    parts = ["---\ntitle: Enormous\n---\n"]
    size, section = 0, 0
    while size < target:
        section += 1
        block = f"## Section {section}\n\n{PARAGRAPH * 8}- item one\n- item two\n\n"
        parts.append(block)
        size += len(block.encode("utf-8"))
    (site / "content" / "enormous.md").write_text("".join(parts), "utf-8")
    return site


def big_feed(root: Path, rows: int) -> Path:
    """A CSV feed of `rows` products, localized columns included, read by the home."""
    site = tiny_site(root)
    (site / "data").mkdir()
    with (site / "data" / "catalog.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "name.fr", "name.en", "price", "currency", "tags"])
        for row in range(rows):
            writer.writerow(
                [f"item-{row}", f"Article n° {row}", f"Item no. {row}", "19.90", "EUR", "a|b"]
            )
    return site


def many_pages(root: Path, pages: int) -> Path:
    """The shared benchmark corpus as a sitegen site (bench/corpus_site.py)."""
    return make_site(pages, root)


def measure(site: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one clean `sitegen build` of `site`."""
    output = site.parent / f"{site.name}-output"
    shutil.rmtree(output, ignore_errors=True)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "build", str(site), "--output", str(output)],
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"sitegen build {site} failed ({status})")
    shutil.rmtree(output, ignore_errors=True)
    return seconds, usage.ru_maxrss / 1024  # Linux: kilobytes


CASES: list[tuple[str, str, Callable[[Path, int], Path], int]] = [
    ("Markdown page", "MB", lambda root, size: big_page(root, size), 10),
    ("CSV feed", "rows", big_feed, 100_000),
    ("pages", "pages", many_pages, 20_000),
]


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--root", type=Path, default=Path("/tmp/sitegen-scale"))
    arguments.add_argument("--full", action="store_true", help="the issue's sizes")
    options = arguments.parse_args()
    options.root.mkdir(parents=True, exist_ok=True)
    print("| case | size | wall | peak RSS | size / 2: wall | peak RSS | wall ratio |")
    print("|---|---|---|---|---|---|---|")
    for name, unit, make, full in CASES:
        size = full if options.full else full // 10
        results = []
        for this in (size // 2, size):
            root = options.root / f"{name.replace(' ', '-').lower()}-{this}"
            site = make(options.root, this) if make is many_pages else make(root, this)
            results.append(measure(site))
        (half_s, half_rss), (full_s, full_rss) = results
        print(
            f"| {name} | {size:,} {unit} | {full_s:.1f} s | {full_rss:.0f} MB "
            f"| {half_s:.1f} s | {half_rss:.0f} MB | {full_s / half_s:.2f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
