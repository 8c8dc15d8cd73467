"""`sitegen serve` under load while files change: wrk on 127.0.0.1 for a bounded time.

    python bench/serve_load.py [--seconds 20] [--connections 32] [--edit-every 0.5]

Installs wrk (Debian's package) when it is missing, copies the example site (the
repository root: site.yaml, content/, data/, static/, and the double11 theme into
its themes/, so the stylesheet can be edited without touching the package) into a
temporary folder, starts the real `sitegen serve` on it (127.0.0.1, a port the
system chooses, no browser), and runs wrk with 2 threads for `--seconds`. The wrk
Lua script rotates its requests among /fr/, /en/, the two explainers, a product
page, the stylesheet and a missing page. Meanwhile a thread saves
content/explainer.fr.md with one more paragraph every 0.5 s (`--edit-every`; 0:
no edits, the load alone), and the stylesheet with one more rule every fifth
time, so the server rebuilds during the load.

The Lua `response` hook checks every response:

- the missing page's requests alone carry `Connection: close` (the server answers
  them with `Connection: close`, the only way to tell their responses from the
  others'), and must get the site's 404 page; any other response must be a 200;
- every HTML page must be whole (it ends with `</html>` and holds as many bytes
  as its `Content-Length` says), the stylesheet too (it ends with `}`); the
  French explainer, the page being edited, is counted on its own.

After the load, the last edit must be in the served explainer. Prints a Markdown
table: requests served, requests per second, latency (median, 99th percentile),
socket errors, unexpected statuses, the expected 404s, the rebuilds the server
printed, and the whole responses. Exits 1 on any error.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

from sitegen.settings.themes import BUNDLED_THEMES

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_PARTS = ("site.yaml", "content", "data", "static")
THEME = "double11"
EDITED_PAGE = "content/explainer.fr.md"
EDITED_STYLESHEET = f"themes/{THEME}/static/css/site.css"
EXPLAINER = "/fr/double-11-explique/"
MISSING = "/fr/page-introuvable-banc-d-essai/"
PAGES = (
    "/fr/",
    "/en/",
    EXPLAINER,
    "/en/double-11-explained/",
    "/fr/produits/cedrat-eau-parfum/",
    "/css/site.css",
)
STYLESHEET_EVERY = 5
"""The stylesheet is saved on every fifth edit of the page."""
REBUILT = re.compile(r": rendered \d+, .* changed in ")
FAILED = "The site does not build"

LUA = r"""
-- Rotates among the URLs given after "--"; the last one is the missing page.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  requests = {}
  for index, path in ipairs(args) do
    local headers = {Host = wrk.headers["Host"], Accept = "text/html,text/css,*/*"}
    if index == #args then
      headers["Connection"] = "close"
    end
    requests[index] = wrk.format("GET", path, headers)
  end
  explainer_path = args[EXPLAINER_INDEX]
  counter = 0
  ok = 0
  missing_404 = 0
  missing_other = 0
  unexpected = 0
  statuses = ""
  html = 0
  html_whole = 0
  css = 0
  css_whole = 0
  explainer = 0
  explainer_whole = 0
end

function request()
  counter = counter + 1
  return requests[(counter - 1) % #requests + 1]
end

local function note(status)
  if #statuses < 200 then
    statuses = statuses .. " " .. status
  end
end

local function header(headers, name)
  for key, value in pairs(headers) do
    if string.lower(key) == name then
      return value
    end
  end
  return nil
end

local function whole(headers, body, ending)
  local length = tonumber(header(headers, "content-length"))
  return length == #body and string.match(string.sub(body, -40), ending .. "%s*$") ~= nil
end

function response(status, headers, body)
  local kind = header(headers, "content-type") or ""
  local closing = string.lower(header(headers, "connection") or "") == "close"
  if closing then
    if status == 404 and whole(headers, body, "</html>") then
      missing_404 = missing_404 + 1
    else
      missing_other = missing_other + 1
      note(status)
    end
    return
  end
  if status ~= 200 then
    unexpected = unexpected + 1
    note(status)
    return
  end
  ok = ok + 1
  if string.find(kind, "text/html", 1, true) then
    html = html + 1
    local is_whole = whole(headers, body, "</html>")
    if is_whole then
      html_whole = html_whole + 1
    end
    local canonical = string.match(body, '<link rel="canonical" href="([^"]*)"') or ""
    if string.sub(canonical, -#explainer_path) == explainer_path then
      explainer = explainer + 1
      if is_whole then
        explainer_whole = explainer_whole + 1
      end
    end
  elseif string.find(kind, "text/css", 1, true) then
    css = css + 1
    if whole(headers, body, "}") then
      css_whole = css_whole + 1
    end
  end
end

local COUNTS = {"ok", "missing_404", "missing_other", "unexpected", "html", "html_whole",
                "css", "css_whole", "explainer", "explainer_whole"}

function done(summary, latency, requests)
  local totals = {}
  local all_statuses = ""
  for _, name in ipairs(COUNTS) do
    totals[name] = 0
  end
  for _, thread in ipairs(threads) do
    for _, name in ipairs(COUNTS) do
      totals[name] = totals[name] + thread:get(name)
    end
    all_statuses = all_statuses .. thread:get("statuses")
  end
  for _, name in ipairs(COUNTS) do
    io.write(string.format("result %s %d\n", name, totals[name]))
  end
  io.write(string.format("result statuses %s\n", all_statuses))
  io.write(string.format("result requests %d\n", summary.requests))
  io.write(string.format("result duration_us %d\n", summary.duration))
  for _, name in ipairs({"connect", "read", "write", "timeout"}) do
    io.write(string.format("result socket_%s %d\n", name, summary.errors[name]))
  end
  io.write(string.format("result p50_us %d\n", math.floor(latency:percentile(50.0))))
  io.write(string.format("result p99_us %d\n", math.floor(latency:percentile(99.0))))
  io.write(string.format("result max_us %d\n", math.floor(latency.max)))
end
"""


def install_wrk() -> str:
    """wrk from Debian (apt-get), as scripts/test installs chromium."""
    found = shutil.which("wrk")
    if found:
        return found
    print("serve_load: installing Debian's wrk", file=sys.stderr)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=environment)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env=environment,
        stdout=subprocess.DEVNULL,
    )
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("serve_load: wrk is not installed")
    return found


def copy_example(site: Path) -> Path:
    """The example site, with its theme in themes/ (it overrides the bundled one)."""
    site.mkdir(parents=True)
    for part in EXAMPLE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, site / part)
        else:
            shutil.copy2(source, site / part)
    shutil.copytree(BUNDLED_THEMES / THEME, site / "themes" / THEME)
    return site


class Server:
    """A running `sitegen serve`, and the lines it prints."""

    def __init__(self, site: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", str(site), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.url = ""
        self.rebuilds = 0
        self.failures = 0
        self.problems: list[str] = []
        self.ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if not self.ready.wait(timeout=300):
            self.stop()
            raise RuntimeError("sitegen serve did not start")

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            found = re.search(r"Serving at (\S+)", line)
            if found:
                self.url = found.group(1).rstrip("/")
                self.ready.set()
            elif REBUILT.search(line):
                self.rebuilds += 1
            elif FAILED in line:
                self.failures += 1
            elif re.search(r"Traceback|ERROR|Exception", line):
                self.problems.append(line.rstrip())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._reader.join(timeout=5)


class Editor(threading.Thread):
    """Saves the French explainer every `every` seconds (one more paragraph), and
    the stylesheet (one more rule) every fifth time, until stopped."""

    def __init__(self, site: Path, every: float) -> None:
        super().__init__(daemon=True)
        self.every = every
        self.page = site / EDITED_PAGE
        self.stylesheet = site / EDITED_STYLESHEET
        self.edits = 0
        self.stylesheet_edits = 0
        self.last_marker = ""
        self.finished = threading.Event()

    def run(self) -> None:
        text = self.page.read_text("utf-8")
        css = self.stylesheet.read_text("utf-8")
        while self.every > 0 and not self.finished.wait(self.every):
            self.edits += 1
            marker = f"Paragraphe de charge {self.edits} ({os.getpid()})"
            text += f"\n\n{marker}.\n"
            self.page.write_text(text, "utf-8")
            self.last_marker = marker
            if self.edits % STYLESHEET_EVERY == 0:
                self.stylesheet_edits += 1
                css += f"\n.bench-load-{self.stylesheet_edits} {{\n  color: inherit;\n}}\n"
                self.stylesheet.write_text(css, "utf-8")

    def stop(self) -> None:
        self.finished.set()
        self.join()


def run_wrk(wrk: str, url: str, seconds: int, connections: int) -> dict[str, str]:
    urls = [*PAGES, MISSING]
    lua = LUA.replace("EXPLAINER_INDEX", str(urls.index(EXPLAINER) + 1))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        result = subprocess.run(
            [
                wrk, "--threads", "2", "--connections", str(connections),
                "--duration", f"{seconds}s", "--timeout", "10s",
                "--script", script.name, url + "/", "--", *urls,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 120,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr}{result.stdout}")
    values = {}
    for line in result.stdout.splitlines():
        if line.startswith("result "):
            _, name, *rest = line.split(" ", 2)
            values[name] = rest[0].strip() if rest else ""
    return values


def served_page(url: str) -> str:
    with urllib.request.urlopen(url + EXPLAINER, timeout=30) as answer:
        return str(answer.read().decode("utf-8"))


def _statuses(seen: str) -> str:
    """The statuses the Lua script noted (the first ones), counted, or nothing."""
    counts = Counter(seen.split())
    shown = ", ".join(f"{status}: {count}" for status, count in sorted(counts.items()))
    return f" (first seen: {shown})" if shown else ""


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--seconds", type=int, default=20)
    arguments.add_argument("--connections", type=int, default=32)
    arguments.add_argument(
        "--edit-every",
        type=float,
        default=0.5,
        metavar="SECONDS",
        help="seconds between saves (default: 0.5; 0: no edits, the server under load alone)",
    )
    options = arguments.parse_args()
    wrk = install_wrk()
    version = subprocess.run([wrk, "--version"], capture_output=True, text=True).stdout
    with tempfile.TemporaryDirectory(prefix="sitegen-load-") as scratch:
        site = copy_example(Path(scratch) / "site")
        server = Server(site)
        try:
            built_before = server.rebuilds
            editor = Editor(site, options.edit_every)
            editor.start()
            try:
                values = run_wrk(wrk, server.url, options.seconds, options.connections)
            finally:
                editor.stop()
            time.sleep(1.0)  # the last save's rebuild
            rebuilds = server.rebuilds - built_before
            page = served_page(server.url)
            last_served = editor.last_marker in page and page.rstrip().endswith("</html>")
            editing = options.edit_every > 0
        finally:
            server.stop()

    number = {name: int(value) for name, value in values.items() if value.isdigit()}
    seconds = number["duration_us"] / 1e6
    socket_errors = sum(number[f"socket_{kind}"] for kind in ("connect", "read", "write"))
    socket_errors += number["socket_timeout"]
    unexpected = number["unexpected"] + number["missing_other"]
    broken_html = number["html"] - number["html_whole"]
    broken_css = number["css"] - number["css_whole"]
    milliseconds = [f"{number[key] / 1000:.1f} ms" for key in ("p50_us", "p99_us", "max_us")]
    rows = [
        ("duration, connections", f"{seconds:.1f} s, {options.connections} (2 wrk threads)"),
        ("requests served", f"{number['requests']:,}"),
        ("requests/s", f"{number['requests'] / seconds:,.0f}"),
        ("latency p50 / p99 / max", " / ".join(milliseconds)),
        (
            "socket errors (connect, read, write, timeout)",
            f"{socket_errors} ({number['socket_connect']}, {number['socket_read']}, "
            f"{number['socket_write']}, {number['socket_timeout']})",
        ),
        (
            "statuses other than 200 (404 for the missing page)",
            f"{unexpected}{_statuses(values.get('statuses', ''))}",
        ),
        ("404s for the missing page (expected)", f"{number['missing_404']:,}"),
        (
            "edits saved (page, stylesheet)",
            f"{editor.edits} ({editor.edits - editor.stylesheet_edits}"
            f" + {editor.stylesheet_edits} with the stylesheet)",
        ),
        ("rebuilds printed by serve (failed)", f"{rebuilds} ({server.failures})"),
        ("HTML pages whole", f"{number['html_whole']:,} of {number['html']:,}"),
        (
            f"{EXPLAINER} (edited) whole",
            f"{number['explainer_whole']:,} of {number['explainer']:,}",
        ),
        ("stylesheets whole", f"{number['css_whole']:,} of {number['css']:,}"),
        ("last edit served after the load", "yes" if last_served else "NO"),
    ]
    print("| measure | value |")
    print("|---|---:|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    print(f"\n{version.splitlines()[0] if version else 'wrk'}; {os.cpu_count()} CPUs.")
    for line in server.problems[:20]:
        print(f"serve: {line}", file=sys.stderr)
    failed = (
        socket_errors
        or unexpected
        or broken_html
        or broken_css
        or server.failures
        or server.problems
        or (editing and rebuilds == 0)
        or number["explainer"] == 0
        or number["missing_404"] == 0
        or not last_served
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
