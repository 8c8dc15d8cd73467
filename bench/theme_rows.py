"""perf.py's rows with the bundled `double11` theme, what users build (issue 16):

- the example site: cold (its image variants cached, as after any first build), then
  a build with nothing changed;
- generated catalogues (bench/catalogue_site.py): cold, nothing changed, one price
  changed in the feed; with the average size of a product page and of the output;
- under `sitegen serve`, on a catalogue: one price edited, one Markdown page edited,
  timed from the save to the moment the page served over HTTP shows the change;
- Hugo on the same catalogue (bench/hugo_catalogue.py), cold;
- the shared corpus with the bundled theme instead of the tiny layout, cold.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from catalogue_site import make_catalogue
from corpus_site import make_site
from hugo_catalogue import make_hugo_catalogue
from measure import CACHE_DIR, REPO, Row, Series, set_aside, timed

BUILD_CACHE = Path(CACHE_DIR) / "build"
"""The build cache proper; .sitegen-cache/images (image variants) is kept by the
example's cold runs."""
EXAMPLE_PARTS = ("site.yaml", "content", "data", "static")


def priced(products: int) -> int:
    """The product whose price the edit rows change (its index in the feed): one in the
    middle of the catalogue, without a Double 11 price (so its page shows the price as
    written), and not among the first four of its merchant, which every product page of
    that merchant shows."""
    index = products // 2
    return index + (2 - index % 3) % 3


EDITED_PAGE = "content/join.fr.md"
EDITED_PAGE_URL = "/fr/participer/"


def _command(site: Path, output: Path) -> list[str]:
    return [sys.executable, "-m", "sitegen", "build", str(site), "--output", str(output)]


def example_site(root: Path) -> Path:
    """A copy of the bundled example under `root`, built once so that its image
    variants are cached (made once, reused)."""
    site = root / "example"
    if not (site / "site.yaml").is_file():
        shutil.rmtree(site, ignore_errors=True)
        site.mkdir(parents=True)
        for part in EXAMPLE_PARTS:
            source = REPO / part
            if source.is_dir():
                shutil.copytree(source, site / part)
            else:
                shutil.copy2(source, site / part)
        subprocess.run(
            _command(site, root / "example-warmup"), check=True, stdout=subprocess.DEVNULL
        )
        set_aside(root / "example-warmup", root)
    return site


def example_series(root: Path) -> Series:
    site = example_site(root)
    output = root / "example-output"
    command = _command(site, output)
    pages = 86
    cold = Row("sitegen", "example: cold (image variants cached)", pages, group="example")
    warm = Row("sitegen", "example: nothing changed", pages, group="example")

    def one_run(_: int) -> None:
        set_aside(output, root)
        set_aside(site / BUILD_CACHE, root)
        timed(cold, command)
        timed(warm, command)

    return Series([cold, warm], one_run, lambda: set_aside(output, root))


def catalogue_series(products: int, root: Path) -> Series:
    """Cold, nothing changed and one price changed, on a catalogue of `products`."""
    site = make_catalogue(products, root)
    output = root / f"catalogue-{products}-output"
    command = _command(site, output)
    feed = site / "data" / "products.csv"
    original = feed.read_text("utf-8")
    group = f"catalogue-{products}"
    pages = 0
    cold = Row("sitegen", f"{products:,} products: cold", pages, group=group)
    warm = Row("sitegen", f"{products:,} products: nothing changed", pages, group=group)
    edit = Row("sitegen", f"{products:,} products: one price changed", pages, group=group)

    def one_run(index: int) -> None:
        set_aside(output, root)
        set_aside(site / CACHE_DIR, root)
        timed(cold, command)
        sizes = output_sizes(output)
        for row in (cold, warm, edit):
            row.pages = sizes["pages"]
        cold.product_kb = sizes["product_kb"]
        cold.note = (
            f"product page {sizes['product_kb']:.1f} KB of HTML on average; "
            f"output {sizes['total_mb']:.0f} MB"
        )
        timed(warm, command)
        feed.write_text(with_price(original, priced(products), f"{1000 + index}.56"), "utf-8")
        timed(edit, command)

    def finish() -> None:
        feed.write_text(original, "utf-8")
        set_aside(output, root)

    return Series([cold, warm, edit], one_run, finish)


def hugo_catalogue_series(products: int, root: Path) -> Series:
    project = make_hugo_catalogue(products, root)
    output = root / f"hugo-catalogue-{products}-output"
    command = ["hugo", "--quiet", "-s", str(project), "-d", str(output)]
    cold = Row("Hugo", f"{products:,} products: cold", 0, group=f"catalogue-{products}")

    def clean() -> None:
        set_aside(output, root)
        set_aside(project / "resources" / "_gen", root)

    def one_run(_: int) -> None:
        clean()
        timed(cold, command)
        cold.pages = sum(1 for _ in output.rglob("*.html"))

    return Series([cold], one_run, clean)


def corpus_theme_series(n: int, root: Path) -> Series:
    """The shared corpus built with the bundled theme instead of the tiny layout."""
    site = make_site(n, root, theme="double11")
    output = root / f"site-{n}-double11-output"
    command = _command(site, output)
    cold = Row("sitegen", "cold, bundled theme (no output, no cache)", n, group=f"corpus-{n}")

    def one_run(_: int) -> None:
        set_aside(output, root)
        set_aside(site / CACHE_DIR, root)
        timed(cold, command)

    return Series([cold], one_run, lambda: set_aside(output, root))


def output_sizes(output: Path) -> dict[str, float]:
    """How many pages the output has, its size, and a product page's on average."""
    pages = [path for path in output.rglob("index.html") if path.parent != output]
    products = [
        path
        for path in pages
        if path.parent.parent.name in ("produits", "products") and path.parent.name != "page"
    ]
    total = sum(path.stat().st_size for path in output.rglob("*") if path.is_file())
    return {
        "pages": len(pages),
        "product_kb": statistics.mean(p.stat().st_size for p in products) / 1024,
        "total_mb": total / 1024 / 1024,
    }


def with_price(feed: str, index: int, price: str) -> str:
    """The CSV feed with the `index`th product's price replaced."""
    rows = list(csv.reader(io.StringIO(feed)))
    column = rows[0].index("price")
    rows[index + 1][column] = price
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    return text.getvalue()


def serve_rows(products: int, root: Path, edits: int) -> list[Row]:
    """One price edited and one Markdown page edited under `sitegen serve`, each timed
    from the moment the file is saved to the moment the page served shows it."""
    site = make_catalogue(products, root)
    feed = site / "data" / "products.csv"
    page = site / EDITED_PAGE
    originals = {feed: feed.read_text("utf-8"), page: page.read_text("utf-8")}
    group = f"catalogue-{products}"
    price = Row("sitegen serve", f"{products:,} products: one price edited", 0, group=group)
    body = Row("sitegen serve", f"{products:,} products: one page edited", 0, group=group)
    product_id = list(csv.DictReader(io.StringIO(originals[feed])))[priced(products)]["id"]
    server = _Server(site)
    try:
        for number in range(edits + 2):  # the first two warm up
            value = 2000 + number
            saved = _save(feed, with_price(originals[feed], priced(products), f"{value}.56"))
            seconds = server.wait_for(f"/en/products/{product_id}/", f"€{value:,}.56", saved)
            if number >= 2:
                price.walls.append(seconds)
            time.sleep(0.3)
        for number in range(edits + 2):
            marker = f"Paragraphe ajouté {number} {os.getpid()}"
            saved = _save(page, originals[page] + f"\n{marker}.\n")
            seconds = server.wait_for(EDITED_PAGE_URL, marker, saved)
            if number >= 2:
                body.walls.append(seconds)
            time.sleep(0.3)
        price.pages = body.pages = server.pages
    finally:
        server.stop()
        for path, text in originals.items():
            path.write_text(text, "utf-8")
    return [price, body]


def _save(path: Path, text: str) -> float:
    """Write as an editor does; returns the moment the file was closed."""
    with path.open("w", encoding="utf-8") as file:
        file.write(text)
    return time.perf_counter()


class _Server:
    """A running `sitegen serve` on a free port of 127.0.0.1."""

    def __init__(self, site: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.pages = 0
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", str(site), "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self._ready.wait(timeout=600):
            self.stop()
            raise RuntimeError("sitegen serve did not start")

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            built = re.search(r"Built (\d+) pages", line)
            if built:
                self.pages = int(built.group(1))
            if "Serving at" in line:
                self._ready.set()

    def wait_for(self, path: str, text: str, since: float, timeout: float = 60.0) -> float:
        """Seconds from `since` until the page at `path` is served holding `text`."""
        while time.perf_counter() - since < timeout:
            try:
                with urllib.request.urlopen(self.url + path, timeout=5) as response:
                    if text in response.read().decode("utf-8"):
                        return time.perf_counter() - since
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.002)
        raise RuntimeError(f"{path} never showed {text!r}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
