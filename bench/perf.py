"""Cold, warm and one-edit builds of sitegen against Hugo, Pelican and MkDocs: the
bundled theme on the example and on product catalogues, `sitegen serve` edits, and the
shared corpus (issues 8 and 16).

    python bench/perf.py [--catalogues 1000 10000] [--serve-catalogue 1000] [--edits 10]
                         [--sizes 1000 10000] [--runs 3] [--products 10000] [--install-peers]

Every build is the command a user runs, in a fresh process (after `sync`, so that the
disk is not still busy with the previous run's files), timed from start to exit, with
its peak memory: the largest sum of the proportional set sizes (PSS: memory shared by
several processes counted once) of the command's process and its children (sitegen's
rendering processes), sampled from /proc (bench/measure.py), or the process's own peak
RSS from os.wait4 when that is larger (for a one-process tool such as Hugo, it is).

In this order (bench/theme_rows.py makes the rows with the bundled theme):

- the example site (`sitegen build` in a copy of it): cold, with the image variants
  kept, then again with nothing changed;
- each catalogue (bench/catalogue_site.py: the example with a generated feed of N
  products, 1 merchant per 40, its categories): cold, nothing changed, one price
  changed; and Hugo's build of the same catalogue (bench/hugo_catalogue.py: product
  pages with four of the merchant's others, paginated sections, merchant pages);
- `sitegen serve` on the serve catalogue: one price edited, one Markdown page edited,
  each timed from the save until the browser's next request gets the new page;
- for each corpus size, the shared corpus (../shared/bench/gen_corpus.py) as a sitegen
  site with the peers' tiny layout (bench/corpus_site.py), the same with the bundled
  theme, and the peers' own projects (hugo/, pelican/, mkdocs/: the same tiny layout):
  - sitegen cold: `python -m sitegen build SITE --output OUT` after setting OUT and the
    site's .sitegen-cache/ aside (one rendering process per core, the default);
  - sitegen warm: the same command again, nothing changed (the cache says so);
  - sitegen one edit: a paragraph added to one page's body, then the same command;
  - Hugo cold: `hugo --quiet -s PROJECT -d OUT` after setting OUT and resources/_gen
    aside; Hugo warm: the same command again;
  - Pelican and MkDocs cold, when installed (`--install-peers` pip-installs them first,
    in a virtual environment of their own under the bench's root, not in sitegen's);
  - then the floor (bench/floor.py): markdown-it-py and Jinja2 alone on every page, in
    one process, its time divided by the number of cores: the least a Python build of
    the corpus can take here, measured in the same run as the tools;
- the products case: a generated feed of N products in a tiny bilingual site whose
  `data_pages` make 2 x N pages (fr and en), built cold.

Hugo's runs and sitegen's take turns (Hugo cold and warm, sitegen cold, warm and edit, then
again), so that the ratios compare builds made while the machine was in the same state.

What a run must not find is moved into ROOT/trash, deleted once every run is timed, not
deleted between runs: on an ext4 without a journal, files deleted in the last few
minutes slow the creation of new ones (see `set_aside`).

Printed: a Markdown table of the median wall time (min-max), the median peak memory and both as
ratios to Hugo's build of the same site in the same run; then issue 16's targets, each
with the figure this run measured (bench/targets.py).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_site import GENERATOR, make_site
from floor import bodies, parsers, per_page
from measure import (
    CACHE_DIR,
    Row,
    Series,
    empty_trash,
    in_turn,
    repeat,
    set_aside,
    timed,
)
from targets import print_targets
from theme_rows import (
    catalogue_series,
    corpus_theme_series,
    example_series,
    hugo_catalogue_series,
    serve_rows,
)

REPO = Path(__file__).resolve().parents[1]
EDITED_PAGE = "page-00042.md"


def peers(n: int, root: Path, tools: list[str]) -> Path:
    """The generator's own projects for `tools` at size `n` (made once, reused)."""
    project = root / f"peers-{n}"
    missing = [tool for tool in tools if not (project / tool).is_dir()]
    if missing:
        subprocess.run(
            [
                *(sys.executable, str(GENERATOR), "--n", str(n), "--root", str(project)),
                *("--tools", ",".join(tools)),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return project


def peer_python(root: Path, module: str) -> str | None:
    """The Python that runs `module` (pelican, mkdocs): the bench's own virtual
    environment when `--install-peers` made it, else this one if it has it, else None."""
    private = root / "peers-venv" / "bin" / "python"
    for python in (private, Path(sys.executable)):
        if python.is_file() and _imports(python, module):
            return str(python)
    return None


def _imports(python: Path, module: str) -> bool:
    check = subprocess.run([str(python), "-c", f"import {module}"], capture_output=True)
    return check.returncode == 0


PEERS = ("pelican[markdown]", "mkdocs")


def install_peers(root: Path) -> None:
    """Pelican and MkDocs from PyPI, in a virtual environment of their own under `root`
    (in this one, pip would downgrade Pygments and upgrade docutils under sitegen)."""
    venv = root / "peers-venv"
    if not (venv / "bin" / "python").is_file():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "python"), *("-m", "pip", "install", "--quiet"), *PEERS],
        check=True,
    )


def sitegen_series(n: int, root: Path) -> Series:
    site = make_site(n, root)
    output = root / f"site-{n}-output"
    command = [sys.executable, "-m", "sitegen", "build", str(site), "--output", str(output)]
    page = site / "content" / EDITED_PAGE
    original = page.read_text("utf-8")
    group = f"corpus-{n}"
    cold = Row("sitegen", "cold (no output, no cache)", n, group=group)
    warm = Row("sitegen", "warm (nothing changed)", n, group=group)
    edit = Row("sitegen", "one page edited", n, group=group)

    def one_run(index: int) -> None:
        set_aside(output, root)
        set_aside(site / CACHE_DIR, root)
        timed(cold, command)
        timed(warm, command)
        page.write_text(original + f"\nA paragraph added in edit {index}.\n", "utf-8")
        timed(edit, command)

    def finish() -> None:
        page.write_text(original, "utf-8")
        set_aside(output, root)

    return Series([cold, warm, edit], one_run, finish)


def hugo_series(n: int, root: Path) -> Series:
    project = peers(n, root, ["hugo"]) / "hugo"
    output = root / f"hugo-{n}-output"
    command = ["hugo", "--quiet", "-s", str(project), "-d", str(output)]

    def clean() -> None:
        set_aside(output, root)
        set_aside(project / "resources" / "_gen", root)

    group = f"corpus-{n}"
    cold = Row("Hugo", "cold (no output)", n, group=group)
    warm = Row("Hugo", "warm (output present)", n, group=group)

    def one_run(_: int) -> None:
        clean()
        timed(cold, command)
        timed(warm, command)

    return Series([cold, warm], one_run, clean)


def floor_rows(n: int, root: Path) -> list[Row]:
    """bench/floor.py's figures in this run: markdown-it-py and Jinja2 alone on every
    page, in this one process, spread over every core by computation (no front
    matter, no file written): what no Python build of the corpus can go below."""
    pages = bodies(make_site(n, root))
    cores = len(os.sched_getaffinity(0))
    rows = []
    for name, parser in parsers():
        ms = per_page(parser, pages)
        row = Row(
            "floor",
            f"{name}, {cores} cores (computed)",
            n,
            note=f"{ms:.2f} ms a page",
            group=f"corpus-{n}",
        )
        row.walls.append(ms * n / cores / 1000)
        rows.append(row)
    return rows


def pelican_row(n: int, root: Path, runs: int, python: str) -> Row:
    project = peers(n, root, ["pelican"]) / "pelican"
    output = root / f"pelican-{n}-output"
    command = [python, "-m", "pelican", str(project / "content")]
    command += ["-s", str(project / "pelicanconf.py"), "-o", str(output), "-q"]
    return cold_row("Pelican", n, runs, root, output, command)


def mkdocs_row(n: int, root: Path, runs: int, python: str) -> Row:
    project = peers(n, root, ["mkdocs"]) / "mkdocs"
    output = root / f"mkdocs-{n}-output"
    command = [python, "-m", "mkdocs", "build", "-q"]
    command += ["-f", str(project / "mkdocs.yml"), "-d", str(output)]
    return cold_row("MkDocs", n, runs, root, output, command)


def cold_row(tool: str, n: int, runs: int, root: Path, output: Path, command: list[str]) -> Row:
    """A peer's cold builds: its output set aside before each run, and after the last."""
    row = Row(tool, "cold (no output)", n, group=f"corpus-{n}")
    row = repeat(row, runs, lambda _: set_aside(output, root), command)
    set_aside(output, root)
    return row


PRODUCTS_YAML = """\
title: Products
base_url: https://products.example/
languages:
  - {code: fr, locale: fr_FR, name: Français}
  - {code: en, locale: en_GB, name: English}
default_language: fr
timezone: Europe/Paris
root_page: default_language
data_pages:
  - {data: products, path: products, layout: product, title: name}
"""
PRODUCT_HTML = """\
<!DOCTYPE html>
<html lang="{{ lang.code }}"><head><meta charset="utf-8"><title>{{ page.title }}</title></head>
<body><nav><a href="/">Home</a></nav>
<main><article><h1>{{ page.item.name }}</h1>
<p>{{ page.item.price | format_currency(page.item.currency) }}</p>
<p>{{ page.item.description }}</p>
</article></main></body></html>
"""
LIST_HTML = """\
<!DOCTYPE html>
<html lang="{{ lang.code }}"><head><meta charset="utf-8"><title>{{ page.title }}</title></head>
<body><nav><a href="/">Home</a></nav>
<main><h1>{{ page.title }}</h1><p>{{ page.children | length }} pages</p></main></body></html>
"""
CONTENT = {
    "content/index.fr.md": "---\ntitle: Accueil\n---\n",
    "content/index.en.md": "---\ntitle: Home\n---\n",
    "content/products/index.fr.md": "---\ntitle: Produits\nslug: produits\nlayout: section\n---\n",
    "content/products/index.en.md": "---\ntitle: Products\nslug: products\nlayout: section\n---\n",
    "templates/product.html": PRODUCT_HTML,
    "templates/home.html": LIST_HTML,
    "templates/section.html": LIST_HTML,
    "templates/page.html": LIST_HTML,
}


def products_site(products: int, root: Path) -> Path:
    """A bilingual site whose only feed, data/products.csv, holds `products` items."""
    site = root / f"products-{products}"
    if (site / "site.yaml").is_file():
        return site
    shutil.rmtree(site, ignore_errors=True)
    for relative, text in {"site.yaml": PRODUCTS_YAML, **CONTENT}.items():
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    (site / "data").mkdir()
    with (site / "data" / "products.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["id", "name.fr", "name.en", "description.fr", "description.en", "price", "currency"]
        )
        for k in range(1, products + 1):
            writer.writerow(
                [
                    f"product-{k:05d}",
                    f"Article n° {k}",
                    f"Item no. {k}",
                    f"Un produit français, référence {k}, fabriqué à Lyon.",
                    f"A French product, reference {k}, made in Lyon.",
                    f"{10 + k % 990}.{k % 100:02d}",
                    "EUR",
                ]
            )
    return site


def products_row(products: int, root: Path, runs: int) -> Row:
    site = products_site(products, root)
    output = root / f"products-{products}-output"
    command = [sys.executable, "-m", "sitegen", "build", str(site), "--output", str(output)]

    def clean(_: int) -> None:
        set_aside(output, root)
        set_aside(site / CACHE_DIR, root)

    row = repeat(
        Row("sitegen", f"products feed: {products:,} x 2 languages, cold", 2 * products),
        runs,
        clean,
        command,
    )
    set_aside(output, root)
    return row


def ratio(value: float, reference: float | None) -> str:
    return f"{value / reference:.2f}" if reference else "—"


def print_table(rows: list[Row]) -> None:
    print(
        "| tool | case | pages | median wall s | min-max s | peak memory MB "
        "| wall / Hugo cold | memory / Hugo cold | note |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    hugo = {
        row.group: (statistics.median(row.walls), statistics.median(row.rss))
        for row in rows
        if row.tool == "Hugo" and "cold" in row.case and row.walls
    }
    for row in rows:
        if not row.walls:
            print(f"| {row.tool} | {row.case} | {row.pages:,} | — | — | — | — | — | {row.note} |")
            continue
        wall = statistics.median(row.walls)
        rss = statistics.median(row.rss) if row.rss else None
        hugo_wall, hugo_rss = hugo.get(row.group, (None, None))
        print(
            f"| {row.tool} | {row.case} | {row.pages:,} | {wall:.2f} "
            f"| {min(row.walls):.2f}-{max(row.walls):.2f} | {'—' if rss is None else f'{rss:.0f}'} "
            f"| {ratio(wall, hugo_wall)} | {ratio(rss, hugo_rss) if rss else '—'} | {row.note} |"
        )


def all_rows(
    options: argparse.Namespace, has_hugo: bool, pelican: str | None, mkdocs: str | None
) -> list[Row]:
    rows: list[Row] = []
    root, runs = options.root, options.runs
    print("… the example, bundled theme", file=sys.stderr, flush=True)
    rows += in_turn([example_series(root)], runs)
    for products in options.catalogues:
        print(f"… {products:,} products, bundled theme", file=sys.stderr, flush=True)
        series = [catalogue_series(products, root)]
        if has_hugo:
            series.insert(0, hugo_catalogue_series(products, root))
        rows += in_turn(series, runs)
    if options.serve_catalogue:
        print(f"… sitegen serve, {options.serve_catalogue:,} products", file=sys.stderr)
        rows += serve_rows(options.serve_catalogue, root, options.edits)
    for n in options.sizes:
        print(f"… {n:,} pages", file=sys.stderr, flush=True)
        series = [sitegen_series(n, root), corpus_theme_series(n, root)]
        if has_hugo:
            series.insert(0, hugo_series(n, root))
        else:
            rows.append(Row("Hugo", "cold", n, note="not installed (apt-get install hugo)"))
        rows += in_turn(series, runs)
        rows += floor_rows(n, root)
        if pelican:
            rows.append(pelican_row(n, root, runs, pelican))
        else:
            rows.append(Row("Pelican", "cold", n, note="not installed (--install-peers)"))
        if mkdocs:
            rows.append(mkdocs_row(n, root, runs, mkdocs))
        else:
            rows.append(Row("MkDocs", "cold", n, note="not installed (--install-peers)"))
    if options.products:
        print(f"… {options.products:,} products, tiny layout", file=sys.stderr, flush=True)
        rows.append(products_row(options.products, root, runs))
    return rows


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    arguments.add_argument("--runs", type=int, default=3)
    arguments.add_argument(
        "--products", type=int, default=10000, help="the tiny layout's product feed; 0 to skip"
    )
    arguments.add_argument(
        "--catalogues",
        type=int,
        nargs="*",
        default=[1000, 10000],
        help="catalogue sizes built with the bundled theme",
    )
    arguments.add_argument(
        "--serve-catalogue", type=int, default=1000, help="catalogue of the serve rows; 0 to skip"
    )
    arguments.add_argument("--edits", type=int, default=10, help="edits timed under serve")
    arguments.add_argument("--root", type=Path, default=Path("/tmp/sitegen-perf"))
    arguments.add_argument(
        "--install-peers",
        action="store_true",
        help="pip install pelican and mkdocs first (in ROOT/peers-venv)",
    )
    options = arguments.parse_args()
    options.root.mkdir(parents=True, exist_ok=True)
    # What users run: sitegen's modules compiled once, as pip leaves them (this machine
    # sets PYTHONDONTWRITEBYTECODE, which would compile them again in every process).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "sitegen")], check=True)
    if options.install_peers:
        install_peers(options.root)
    has_hugo = shutil.which("hugo") is not None
    pelican = peer_python(options.root, "pelican")
    mkdocs = peer_python(options.root, "mkdocs")
    started = time.perf_counter()
    try:
        rows = all_rows(options, has_hugo, pelican, mkdocs)
    finally:
        empty_trash(options.root)
    print_table(rows)
    print()
    print_targets(rows, options)
    print(
        f"\n{options.runs} runs each, fresh processes; {os.cpu_count()} cores; "
        f"Python {sys.version.split()[0]}; {time.perf_counter() - started:.0f} s in all."
    )


if __name__ == "__main__":
    main()
