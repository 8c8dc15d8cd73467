"""Cold, warm and one-edit builds of sitegen against Hugo, Pelican and MkDocs (issue 8).

    python bench/perf.py [--sizes 1000 10000] [--runs 3] [--products 10000] [--install-peers]

For each size, the shared corpus (../shared/bench/gen_corpus.py) becomes a sitegen site
(bench/corpus_site.py) and, from the same generator, the peers' own projects (hugo/,
pelican/, mkdocs/: the same tiny layout). Every build is the command a user runs, in a
fresh process (after `sync`, so that the disk is not still busy with the previous
run's files), timed from start to exit, with its peak memory: the largest sum of the
proportional set sizes (PSS: memory shared by several processes counted once) of the
command's process and its children (sitegen's rendering processes), sampled every 0.1 s
from /proc, or the process's own peak RSS from os.wait4 when that is larger (for a
one-process tool such as Hugo, it is):

- sitegen cold: `python -m sitegen build SITE --output OUT` after setting OUT and the
  site's .sitegen-cache/ aside (one rendering process per core, the default);
- sitegen warm: the same command again, nothing changed (the cache says so);
- sitegen one edit: a paragraph added to one page's body, then the same command;
- Hugo cold: `hugo --quiet -s PROJECT -d OUT` after setting OUT and resources/_gen aside;
  Hugo warm: the same command again;
- Pelican and MkDocs cold, when installed (`--install-peers` pip-installs them first, in a
  virtual environment of their own under the bench's root, not in sitegen's).

Hugo's runs and sitegen's take turns (Hugo cold and warm, sitegen cold, warm and edit, then
again), so that the ratios compare builds made while the machine was in the same state.

After each size's runs, the floor (bench/floor.py): markdown-it-py and Jinja2 alone on
every page, in one process, its time divided by the number of cores: the least a Python
build of the corpus can take here, measured in the same run as the tools.

Then the products case: a generated feed of N products in a tiny bilingual site whose
`data_pages` make 2 x N pages (fr and en), built cold.

What a run must not find is moved into ROOT/trash, deleted once every run is timed, not
deleted between runs: on an ext4 without a journal, files deleted in the last few
minutes slow the creation of new ones (see `set_aside`).

Printed: a Markdown table of the median wall time (min-max), the median peak memory and both as
ratios to Hugo's cold build of the same size in the same run.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_site import GENERATOR, make_site
from floor import bodies, parsers, per_page

REPO = Path(__file__).resolve().parents[1]
EDITED_PAGE = "page-00042.md"
CACHE_DIR = ".sitegen-cache"
TRASH = "trash"
"""The folder under the bench's root where removed outputs and caches wait (set_aside)."""


def set_aside(path: Path, root: Path) -> None:
    """Move `path` (an output or a cache a run must not find) into ROOT/trash, which
    `empty_trash` deletes once every run is timed.

    Deleting files slows the creation of new ones for a while on ext4 without a journal
    (this machine's disk): the kernel does not reuse an inode freed in the last 60 to
    300 seconds (`recently_deleted` in fs/ext4/ialloc.c) and scans past each of them for
    every new file. A cold build made seconds after the bench deleted the last run's
    10,000 pages paid that scan: Hugo's cold builds showed 10-11 s of kernel time
    instead of about 2 s, and both tools' times moved with how much had been deleted
    lately. Moving a folder frees no inode."""
    if path.exists():
        trash = root / TRASH
        trash.mkdir(exist_ok=True)
        path.rename(trash / f"{time.monotonic_ns()}-{path.name}")


def empty_trash(root: Path) -> None:
    shutil.rmtree(root / TRASH, ignore_errors=True)


@dataclass
class Row:
    tool: str
    case: str
    pages: int
    walls: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    note: str = ""


def run(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak memory (MB, the process and its children) of one run of
    `command` in a fresh process."""
    os.sync()  # the last run's writes, flushed now, do not slow this one
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors, env=_environment()
        )
        sampler = TreeMemory(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        sampler.stop()
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace")[-2000:]
            raise SystemExit(f"{' '.join(command)} failed ({status}):\n{message}")
    return seconds, max(usage.ru_maxrss, sampler.peak_kb) / 1024  # Linux: kilobytes


SAMPLE_SECONDS = 0.1
"""Reading a process's PSS makes the kernel walk its page tables, under a lock its page
faults need too: sampled every 10 ms, it slowed a 10,000-page build by a third."""


class TreeMemory(threading.Thread):
    """Samples the summed PSS of a process and its descendants: forked workers share
    most of their parent's memory, which a sum of RSS would count once per process."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self._finished = threading.Event()

    def run(self) -> None:
        while not self._finished.wait(SAMPLE_SECONDS):
            self.peak_kb = max(self.peak_kb, sum(map(_pss_kb, _tree(self.pid))))

    def stop(self) -> None:
        self._finished.set()
        self.join()


def _tree(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rpartition(")")[2].split()[1])
            parents.setdefault(parent, []).append(int(entry.name))
    found, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        found.append(current)
        waiting.extend(parents.get(current, []))
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(REPO), *filter(None, [environment.get("PYTHONPATH")])]
    )
    return environment


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


def timed(row: Row, command: list[str]) -> None:
    """One run of `command`, its wall time and peak memory added to `row`."""
    seconds, rss = run(command)
    row.walls.append(seconds)
    row.rss.append(rss)


def repeat(row: Row, runs: int, prepare: Callable[[int], None], command: list[str]) -> Row:
    for index in range(runs):
        prepare(index)
        timed(row, command)
    return row


@dataclass
class Series:
    """A tool's rows for one size, filled a run at a time (`run(index)`), so that two
    tools' runs can take turns: the machine's speed moves during a benchmark, and
    each ratio to Hugo should compare runs made under the same conditions."""

    rows: list[Row]
    run: Callable[[int], None]
    finish: Callable[[], None]


def sitegen_series(n: int, root: Path) -> Series:
    site = make_site(n, root)
    output = root / f"site-{n}-output"
    command = [sys.executable, "-m", "sitegen", "build", str(site), "--output", str(output)]
    page = site / "content" / EDITED_PAGE
    original = page.read_text("utf-8")
    cold = Row("sitegen", "cold (no output, no cache)", n)
    warm = Row("sitegen", "warm (nothing changed)", n)
    edit = Row("sitegen", "one page edited", n)

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

    cold, warm = Row("Hugo", "cold (no output)", n), Row("Hugo", "warm (output present)", n)

    def one_run(_: int) -> None:
        clean()
        timed(cold, command)
        timed(warm, command)

    return Series([cold, warm], one_run, clean)


def in_turn(series: list[Series], runs: int) -> list[Row]:
    """Each series' run 1, then each one's run 2, and so on."""
    try:
        for index in range(runs):
            for one in series:
                one.run(index)
    finally:
        for one in series:
            one.finish()
    return [row for one in series for row in one.rows]


def floor_rows(n: int, root: Path) -> list[Row]:
    """bench/floor.py's figures in this run: markdown-it-py and Jinja2 alone on every
    page, in this one process, spread over every core by computation (no front
    matter, no file written): what no Python build of the corpus can go below."""
    pages = bodies(make_site(n, root))
    cores = len(os.sched_getaffinity(0))
    rows = []
    for name, parser in parsers():
        ms = per_page(parser, pages)
        row = Row("floor", f"{name}, {cores} cores (computed)", n, note=f"{ms:.2f} ms a page")
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
    row = repeat(Row(tool, "cold (no output)", n), runs, lambda _: set_aside(output, root), command)
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
        row.pages: (statistics.median(row.walls), statistics.median(row.rss))
        for row in rows
        if row.tool == "Hugo" and row.case.startswith("cold") and row.walls
    }
    for row in rows:
        if not row.walls:
            print(f"| {row.tool} | {row.case} | {row.pages:,} | — | — | — | — | — | {row.note} |")
            continue
        wall = statistics.median(row.walls)
        rss = statistics.median(row.rss) if row.rss else None
        hugo_wall, hugo_rss = hugo.get(row.pages, (None, None))
        print(
            f"| {row.tool} | {row.case} | {row.pages:,} | {wall:.2f} "
            f"| {min(row.walls):.2f}-{max(row.walls):.2f} | {'—' if rss is None else f'{rss:.0f}'} "
            f"| {ratio(wall, hugo_wall)} | {ratio(rss, hugo_rss) if rss else '—'} | {row.note} |"
        )


def all_rows(
    options: argparse.Namespace, has_hugo: bool, pelican: str | None, mkdocs: str | None
) -> list[Row]:
    rows: list[Row] = []
    for n in options.sizes:
        print(f"… {n:,} pages", file=sys.stderr, flush=True)
        series = [sitegen_series(n, options.root)]
        if has_hugo:
            series.insert(0, hugo_series(n, options.root))
        else:
            rows.append(Row("Hugo", "cold", n, note="not installed (apt-get install hugo)"))
        rows += in_turn(series, options.runs)
        rows += floor_rows(n, options.root)
        if pelican:
            rows.append(pelican_row(n, options.root, options.runs, pelican))
        else:
            rows.append(Row("Pelican", "cold", n, note="not installed (--install-peers)"))
        if mkdocs:
            rows.append(mkdocs_row(n, options.root, options.runs, mkdocs))
        else:
            rows.append(Row("MkDocs", "cold", n, note="not installed (--install-peers)"))
    if options.products:
        print(f"… {options.products:,} products", file=sys.stderr, flush=True)
        rows.append(products_row(options.products, options.root, options.runs))
    return rows


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    arguments.add_argument("--runs", type=int, default=3)
    arguments.add_argument("--products", type=int, default=10000, help="0 to skip")
    arguments.add_argument("--root", type=Path, default=Path("/tmp/sitegen-perf"))
    arguments.add_argument(
        "--install-peers",
        action="store_true",
        help="pip install pelican and mkdocs first (in ROOT/peers-venv)",
    )
    options = arguments.parse_args()
    options.root.mkdir(parents=True, exist_ok=True)
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
    print(
        f"\n{options.runs} runs each, fresh processes; {os.cpu_count()} cores; "
        f"Python {sys.version.split()[0]}; {time.perf_counter() - started:.0f} s in all."
    )


if __name__ == "__main__":
    main()
