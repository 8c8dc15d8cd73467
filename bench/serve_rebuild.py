"""How long `sitegen serve` takes from saving a Markdown file to the rebuilt page on disk.

    python bench/serve_rebuild.py [--sizes 1000 10000] [--edits 10]

For each size, makes the shared benchmark corpus into a site (bench/corpus_site.py),
then starts the real `sitegen serve`, and for each edit saves a page and waits until
the server's build folder holds the rebuilt page with the new text:

- body edit: a paragraph added to one page, its title kept (that page alone is
  rendered again);
- title edit: one page's title changed (that page, and the home, which lists all
  the pages by title, are rendered again).

Times are from the moment the file is saved (closed) to the moment the new text is
readable in the served file: the file watcher's notice, its 20 ms quiet period,
the rebuild and the write all count. When `hugo` is installed (Debian package
`hugo`), the same body edit is timed under `hugo server` on the corpus's Hugo
project, in the same run. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
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
from pathlib import Path

from corpus_site import make_site

EDITED = "content/page-00042.md"
EDITED_OUTPUT = "en/page-00042/index.html"
HOME_OUTPUT = "en/index.html"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """A running `sitegen serve` and the folder it builds into."""

    def __init__(self, site: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", str(site), "--port", str(_free_port())],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.folder: Path | None = None
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self.ready.wait(timeout=600):
            self.stop()
            raise RuntimeError("sitegen serve did not start")

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            found = re.search(r"into (\S+) ", line)
            if found and self.folder is None:
                self.folder = Path(found.group(1))
            if "Serving at" in line:
                self.ready.set()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _save(path: Path, text: str) -> float:
    """Write as an editor does; returns the moment the file was closed."""
    with path.open("w", encoding="utf-8") as file:
        file.write(text)
    return time.perf_counter()


def _wait_for(path: Path, marker: str, since: float, timeout: float = 30.0) -> float:
    while time.perf_counter() - since < timeout:
        try:
            if marker in path.read_text("utf-8"):
                return time.perf_counter() - since
        except FileNotFoundError:
            pass
        time.sleep(0.001)
    raise RuntimeError(f"{path} never showed {marker!r}")


def edit_latencies(site: Path, edits: int) -> tuple[list[float], list[float]]:
    source = site / EDITED
    original = source.read_text("utf-8")
    server = Server(site)
    assert server.folder is not None
    body, title = [], []
    try:
        for number in range(edits + 2):  # the first two warm up
            marker = f"Bench edit {number} {os.getpid()}"
            saved = _save(source, original + f"\n{marker}.\n")
            seconds = _wait_for(server.folder / EDITED_OUTPUT, marker, saved)
            if number >= 2:
                body.append(seconds)
            time.sleep(0.3)
        for number in range(edits + 2):
            marker = f"Retitled {number} {os.getpid()}"
            retitled = re.sub(r"^title: .*$", f"title: {marker}", original, count=1, flags=re.M)
            saved = _save(source, retitled)
            seconds = _wait_for(server.folder / HOME_OUTPUT, marker, saved)
            if number >= 2:
                title.append(seconds)
            time.sleep(0.3)
    finally:
        source.write_text(original, "utf-8")
        server.stop()
    return body, title


def hugo_latencies(project: Path, edits: int) -> list[float]:
    """The same body edit under `hugo server` (rendering to disk, every change
    rendered: no "fast render" of visited pages only)."""
    source = project / "content" / "posts" / "page-00042.md"
    original = source.read_text("utf-8")
    public = project / "public"
    shutil.rmtree(public, ignore_errors=True)
    process = subprocess.Popen(
        [
            "hugo", "server", "--source", str(project), "--bind", "127.0.0.1",
            "--port", str(_free_port()), "--renderToDisk", "--disableFastRender",
            "--disableLiveReload", "--quiet",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    latencies = []
    try:
        _wait_for(public / "index.html", "</html>", time.perf_counter(), timeout=300)
        time.sleep(1)
        for number in range(edits + 2):
            marker = f"Hugo edit {number} {os.getpid()}"
            saved = _save(source, original + f"\n{marker}.\n")
            seconds = _wait_for(public / "posts" / "page-00042" / "index.html", marker, saved)
            if number >= 2:
                latencies.append(seconds)
            time.sleep(0.3)
    finally:
        source.write_text(original, "utf-8")
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        shutil.rmtree(public, ignore_errors=True)
    return latencies


def _ms(values: list[float]) -> str:
    return (
        f"{statistics.median(values) * 1000:.0f} ms "
        f"({min(values) * 1000:.0f}-{max(values) * 1000:.0f})"
    )


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    arguments.add_argument("--edits", type=int, default=10)
    arguments.add_argument("--root", type=Path, default=Path("/tmp/sitegen-bench"))
    options = arguments.parse_args()
    rows = []
    for size in options.sizes:
        site = make_site(size, options.root)
        shutil.rmtree(site / "output", ignore_errors=True)
        body, title = edit_latencies(site, options.edits)
        hugo = (
            _ms(hugo_latencies(options.root / f"corpus-{size}" / "hugo", options.edits))
            if shutil.which("hugo")
            else "not installed"
        )
        rows.append(f"| {size:,} | {_ms(body)} | {_ms(title)} | {hugo} |")
        print(rows[-1], flush=True)
    print()
    print(
        "| pages | sitegen serve, body edit: page written "
        "| sitegen serve, title edit: home written | hugo server, body edit: page written |"
    )
    print("|---:|---:|---:|---:|")
    print("\n".join(rows))
    print(f"\n{options.edits} edits each; median (min-max). {os.cpu_count()} CPUs.")


if __name__ == "__main__":
    main()
