"""Lighthouse on the example site's French landing page, mobile preset.

    python bench/lighthouse.py [--min 95]

Builds the example site (the repository root) into a temporary folder, serves
it on 127.0.0.1, installs Lighthouse from npm into `.cache/lighthouse/` when it
is not there, runs it with Debian's Chromium (`CHROME_PATH=/usr/bin/chromium`)
on /fr/, and prints the four category scores and the landing page's weight
(HTML, CSS and JS, uncompressed, images aside). Exits 1 when a score is under
`--min` or the weight is over 68 KB (the limit of tests/test_validators.py).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TOOLS = REPO / ".cache" / "lighthouse"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
WEIGHT_LIMIT = 68 * 1024
WEIGHED_TYPES = {"Document", "Stylesheet", "Script"}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run"


def install() -> None:
    if LIGHTHOUSE.exists():
        return
    TOOLS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund", "lighthouse@13"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def run(url: str, report: Path) -> dict[str, object]:
    environment = {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--quiet",
        ],
        check=True,
        env=environment,
    )
    result: dict[str, object] = json.loads(report.read_text("utf-8"))
    return result


def weight(result: dict[str, object]) -> int:
    """Bytes of HTML, CSS and JS the page loaded, uncompressed."""
    audits = result["audits"]
    assert isinstance(audits, dict)
    requests = audits["network-requests"]["details"]["items"]
    return sum(
        int(item.get("resourceSize", 0))
        for item in requests
        if item.get("resourceType") in WEIGHED_TYPES
    )


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--min", type=int, default=95, help="lowest score accepted")
    options = arguments.parse_args()
    install()
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "site"
        subprocess.run(
            [sys.executable, "-m", "sitegen", "build", str(REPO), "-o", str(output)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        server, origin = serve(output)
        try:
            result = run(f"{origin}/fr/", Path(scratch) / "report.json")
        finally:
            server.shutdown()
    categories = result["categories"]
    assert isinstance(categories, dict)
    scores = {name: round(categories[name]["score"] * 100) for name in CATEGORIES}
    size = weight(result)
    for name, score in scores.items():
        print(f"{name:>15}: {score}")
    print(f"{'weight':>15}: {size / 1024:.1f} KB of HTML, CSS and JS (limit 68 KB)")
    failed = [name for name, score in scores.items() if score < options.min]
    if size > WEIGHT_LIMIT:
        failed.append("weight")
    if failed:
        print(f"below the bar: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
