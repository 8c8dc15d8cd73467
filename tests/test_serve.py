"""`sitegen serve` as a user runs it: the real command in a subprocess, on a copy of the
example site, asked over HTTP and watched in a real browser while the site is edited."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import gettempdir
from typing import IO

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page

from sitegen.building.buildcache import CACHE_DIR
from sitegen.commands.serve import Redirect, host_warning, locate
from tests.conftest import THEME, copy_example, run_sitegen

STARTUP_SECONDS = 60.0
STOP_SECONDS = 10.0
_SERVING = re.compile(r"Serving at (http://\S+/)")
_BUILDING = re.compile(r"Building (.+) into (.+) …$")
# What the injected livereload loader looks like in a served page.
_RELOAD_LOADER = re.compile(rb"<script>[^<]*livereload\.js[^<]*</script>")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    """A running `sitegen serve`, with everything it printed so far."""

    process: subprocess.Popen[str]
    site: Path
    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    url: str = ""
    folder: Path = Path()
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _readers: list[threading.Thread] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1].rstrip("/"))

    def start_reading(self) -> None:
        """Collect stdout and stderr as they come (and keep the pipes from filling)."""
        assert self.process.stdout is not None and self.process.stderr is not None
        for stream, into in ((self.process.stdout, self.lines), (self.process.stderr, self.errors)):
            reader = threading.Thread(target=self._read, args=(stream, into), daemon=True)
            reader.start()
            self._readers.append(reader)

    def _read(self, stream: IO[str], into: list[str]) -> None:
        for line in stream:
            with self._changed:
                into.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(
        self, pattern: re.Pattern[str], lines: list[str] | None = None, timeout: float = 10.0
    ) -> re.Match[str]:
        """The first match of `pattern` in stdout (or `lines`), waiting for it."""
        lines = self.lines if lines is None else lines
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in lines:
                    found = pattern.search(line)
                    if found:
                        return found
                left = deadline - time.monotonic()
                if left <= 0 or (self.process.poll() is not None and not self._readers_alive()):
                    raise AssertionError(
                        f"no {pattern.pattern!r} from sitegen serve "
                        f"(exit code {self.process.poll()}):\n{self.printed()}"
                    )
                self._changed.wait(min(left, 0.1))

    def wait_for_count(self, text: str, count: int, timeout: float = 10.0) -> None:
        """Until `count` lines of stdout hold `text`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while sum(text in line for line in self.lines) < count:
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise AssertionError(f"not {count} times {text!r}:\n{self.printed()}")
                self._changed.wait(min(left, 0.1))

    def _readers_alive(self) -> bool:
        return any(reader.is_alive() for reader in self._readers)

    def printed(self) -> str:
        with self._changed:
            return "\n".join(["stdout:", *self.lines, "stderr:", *self.errors])

    def stop(self, sig: int = signal.SIGINT) -> int:
        """Stop it as Ctrl-C does (killed if it does not stop); its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_SECONDS)
        for reader in self._readers:
            reader.join(timeout=STOP_SECONDS)
        return self.process.returncode


@contextlib.contextmanager
def started(site: Path, port: int | None = None) -> Iterator[Served]:
    """`sitegen serve SITE --port PORT`, stopped afterwards (and its temporary folder
    removed if it was left behind)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", str(site), "--port", str(port or free_port())],
        cwd=site.parent,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    served = Served(process, site)
    try:
        served.start_reading()
        yield served
    finally:
        served.stop()
        folder = served.folder
        if folder.name.startswith("sitegen-serve-") and folder.parent == Path(gettempdir()):
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def serving(site: Path, port: int | None = None) -> Iterator[Served]:
    """`sitegen serve SITE --port PORT` once it says where it serves; stopped afterwards."""
    with started(site, port) as served:
        served.url = served.wait_for(_SERVING, timeout=STARTUP_SECONDS).group(1)
        served.folder = Path(served.wait_for(_BUILDING, timeout=1).group(2))
        yield served


def example_site(root: Path) -> Path:
    site = copy_example(root / "site")
    assert not (site / "output").exists()
    return site


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server for the tests that only read."""
    with serving(example_site(tmp_path_factory.mktemp("serve"))) as server:
        yield server


def get(served: Served, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """A request with the path sent exactly as written; redirects are not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, headers, response.read()
    finally:
        connection.close()


def without_loader(body: bytes) -> bytes:
    return _RELOAD_LOADER.sub(b"", body, count=1)


# ---------------------------------------------------------------- serving


def test_pages_are_served_with_the_livereload_script(served: Served) -> None:
    with urllib.request.urlopen(served.url + "fr/", timeout=30) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        assert response.headers["Cache-Control"] == "no-store"
        body = response.read()
    assert b"livereload.js" in body
    # the served page is the built one, plus the loader
    assert without_loader(body) == (served.folder / "fr" / "index.html").read_bytes()

    stylesheet = BeautifulSoup(body, "html.parser").find("link", rel="stylesheet")
    assert stylesheet is not None
    with urllib.request.urlopen(
        served.url + str(stylesheet["href"]).lstrip("/"), timeout=30
    ) as css:
        assert css.status == 200
        assert css.headers["Content-Type"].startswith("text/css")
        assert css.headers["Cache-Control"] == "no-store"
        assert b"livereload" not in css.read()


def test_a_folder_without_its_slash_is_redirected(served: Served) -> None:
    status, headers, _ = get(served, "/fr")
    assert status in (301, 302, 307, 308)
    assert headers["location"] == "/fr/"
    _, headers, _ = get(served, "/fr?utm_source=mail")
    assert headers["location"] == "/fr/?utm_source=mail"


def test_a_folder_with_doubled_slashes_is_not_redirected_to_another_host(served: Served) -> None:
    # "//fr/" would be a protocol-relative address: http://fr/
    status, headers, _ = get(served, "//fr")
    if status in (301, 302, 307, 308):
        assert not headers["location"].startswith("//")
    else:
        assert status == 404


def test_head_answers_like_get_without_a_body(served: Served) -> None:
    status, headers, body = get(served, "/fr/", method="HEAD")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-store"
    assert body == b""
    status, headers, body = get(served, "/css/site.css", method="HEAD")
    assert (status, body) == (200, b"")
    assert headers["content-type"].startswith("text/css")
    assert int(headers["content-length"]) == (served.folder / "css" / "site.css").stat().st_size


def test_head_content_length_of_a_page_is_the_length_get_sends(served: Served) -> None:
    _, head, _ = get(served, "/fr/", method="HEAD")
    _, _, body = get(served, "/fr/")
    assert int(head["content-length"]) == len(body)


# ---------------------------------------------------------------- nothing outside the folder

TRAVERSALS = [
    "/../site.yaml",
    "/fr/../../site.yaml",
    "/%2e%2e/site.yaml",
    "/%2E%2E/%2E%2E/etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%252e%252e/site.yaml",
    "/..%2fsite.yaml",
    "/fr/%2e%2e%2f%2e%2e%2fsite.yaml",
    "/%00",
    "/site.yaml%00.html",
    "/..\\site.yaml",
    "/..%5csite.yaml",
    "/./../site.yaml",
    "/fr/./index.html",
]


def assert_nothing_leaked(served: Served, body: bytes) -> None:
    assert b"base_url:" not in body  # site.yaml
    assert b"root:x:0:0" not in body  # /etc/passwd


@pytest.mark.parametrize("path", TRAVERSALS)
def test_paths_leading_outside_are_not_found(served: Served, path: str) -> None:
    status, _, body = get(served, path)
    assert status == 404
    assert_nothing_leaked(served, body)


@pytest.mark.parametrize("path", ["/%c0%ae%c0%ae/site.yaml", "/%ff/../site.yaml"])
def test_paths_that_are_not_utf8_are_refused(served: Served, path: str) -> None:
    status, _, body = get(served, path)
    assert status in (400, 404)
    assert_nothing_leaked(served, body)


def test_symbolic_links_leading_outside_are_not_followed(served: Served) -> None:
    links = {
        served.folder / "escape": served.site,
        served.folder / "passwd": Path("/etc/passwd"),
        served.folder / "fr" / "config.yaml": served.site / "site.yaml",
    }
    try:
        for link, target in links.items():
            link.symlink_to(target)
        for path in ("/escape/site.yaml", "/escape", "/escape/", "/passwd", "/fr/config.yaml"):
            status, _, body = get(served, path)
            assert status == 404, path
            assert_nothing_leaked(served, body)
    finally:
        for link in links:
            link.unlink(missing_ok=True)


# ---------------------------------------------------------------- the 404 page


def test_unknown_pages_get_the_404_page_of_their_language(served: Served) -> None:
    status, headers, body = get(served, "/fr/no-such-page/")
    assert status == 404
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert without_loader(body) == (served.folder / "fr" / "404.html").read_bytes()
    soup = BeautifulSoup(body, "html.parser")
    assert soup.html is not None and soup.html["lang"] == "fr"
    assert soup.find("article", class_="not-found") is not None
    assert "Cette page n\u2019existe pas" in soup.get_text()
    assert b"livereload.js" in body  # it too reloads by itself

    status, _, body = get(served, "/en/nothing/")
    assert status == 404
    soup = BeautifulSoup(body, "html.parser")
    assert soup.html is not None and soup.html["lang"] == "en"
    assert "This page does not exist" in soup.get_text()

    status, _, body = get(served, "/nothing")
    assert status == 404
    assert without_loader(body) == (served.folder / "404.html").read_bytes()

    status, _, body = get(served, "/css/nothing.css")
    assert status == 404


# ---------------------------------------------------------------- starting and stopping


def test_a_port_in_use_moves_to_the_next(tmp_path: Path) -> None:
    for _ in range(20):  # a port whose next one is free too
        taken = free_port()
        try:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", taken + 1))
            break
        except OSError:
            continue
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", taken))
        holder.listen()
        with serving(example_site(tmp_path), port=taken) as server:
            moved = server.wait_for(
                re.compile(rf"Port {taken} is in use.*using port (\d+)"), server.errors
            )
            port = int(moved.group(1))
            assert port > taken
            assert server.url == f"http://127.0.0.1:{port}/"
            assert get(server, "/fr/")[0] == 200


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stopping_removes_the_temporary_folder(tmp_path: Path, sig: int) -> None:
    site = example_site(tmp_path)
    before = _site_files(site)
    with serving(site) as server:
        assert (server.folder / "fr" / "index.html").is_file()
        assert not server.folder.resolve().is_relative_to(site.resolve())
        assert get(server, "/fr/")[0] == 200  # up and running
        stopping = time.monotonic()
        assert server.stop(sig) == 0, server.printed()
        assert time.monotonic() - stopping < 5
        assert not server.folder.exists()
    assert "Stopped" in server.lines[-1]
    assert "Traceback" not in server.printed()
    # serve never builds into the site's output/, nor writes anything in the site but
    # its cache (image variants)
    assert not (site / "output").exists()
    assert _site_files(site) == before
    assert list((site / CACHE_DIR).rglob("*.webp"))


def _site_files(site: Path) -> dict[Path, int]:
    """Every file and folder of the site but its cache, with its modification time."""
    return {
        path.relative_to(site): path.stat().st_mtime_ns
        for path in site.rglob("*")
        if path.relative_to(site).parts[0] != CACHE_DIR
    }


def stopped_during_the_first_build(site: Path, sig: int) -> tuple[int, Served]:
    with started(site) as server:
        found = server.wait_for(_BUILDING, timeout=STARTUP_SECONDS)
        server.folder = Path(found.group(2))
        code = server.stop(sig)
        assert not any("Serving at" in line for line in server.lines)  # it was still building
        return code, server


def test_ctrl_c_during_the_first_build_removes_the_temporary_folder(tmp_path: Path) -> None:
    code, server = stopped_during_the_first_build(example_site(tmp_path), signal.SIGINT)
    assert code == 0, server.printed()
    assert not server.folder.exists()


def test_sigterm_during_the_first_build_removes_the_temporary_folder(tmp_path: Path) -> None:
    code, server = stopped_during_the_first_build(example_site(tmp_path), signal.SIGTERM)
    assert (code, server.folder.exists()) == (0, False), server.printed()


def test_a_folder_without_site_yaml_is_refused(tmp_path: Path) -> None:
    result = run_sitegen("serve", tmp_path, "--port", str(free_port()), cwd=tmp_path)
    assert result.returncode == 1
    assert "not a site folder" in result.stderr
    assert "site.yaml" in result.stderr
    assert "Serving" not in result.stdout


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_no_warning_on_this_machine_only(host: str) -> None:
    assert host_warning(host) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20"])
def test_a_warning_when_serving_to_the_network(host: str) -> None:
    warning = host_warning(host)
    assert warning is not None
    assert host in warning
    assert "anyone who can reach this machine" in warning
    assert "127.0.0.1" in warning
    if host in ("0.0.0.0", "::"):
        assert "every network interface" in warning


# ---------------------------------------------------------------- locate


@pytest.fixture
def served_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "served"
    (folder / "fr").mkdir(parents=True)
    (folder / "index.html").write_text("home")
    (folder / "fr" / "index.html").write_text("accueil")
    (folder / "a b.css").write_text("css")
    (tmp_path / "secret.txt").write_text("secret")
    (folder / "out").symlink_to(tmp_path)
    (folder / "secret").symlink_to(tmp_path / "secret.txt")
    (folder / "inside").symlink_to(folder / "fr")
    return folder


def test_locate_finds_files_and_folder_pages(served_folder: Path) -> None:
    folder = served_folder.resolve()
    assert locate(served_folder, "/") == folder / "index.html"
    assert locate(served_folder, "/fr/") == folder / "fr" / "index.html"
    assert locate(served_folder, "/fr/index.html") == folder / "fr" / "index.html"
    assert locate(served_folder, "/a%20b.css") == folder / "a b.css"
    assert locate(served_folder, "/inside/") == folder / "fr" / "index.html"  # stays inside
    assert locate(served_folder, "/nothing") is None
    assert locate(served_folder, "/fr/nothing/") is None


def test_locate_redirects_a_folder_without_its_slash(served_folder: Path) -> None:
    assert locate(served_folder, "/fr") == Redirect("/fr/")
    assert locate(served_folder, "/inside") == Redirect("/inside/")
    # never a protocol-relative address ("//fr/" is http://fr/)
    assert locate(served_folder, "//fr") == Redirect("/fr/")


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/fr/../../secret.txt",
        "/fr/../index.html",  # even one that would stay inside
        "/./index.html",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsecret.txt",
        "/fr/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/%00",
        "/index.html%00",
        "/..\\secret.txt",
        "/fr%5c..%5c..%5csecret.txt",
        "/out/secret.txt",
        "/out",
        "/out/",
        "/secret",
    ],
)
def test_locate_never_leads_outside(served_folder: Path, path: str) -> None:
    assert locate(served_folder, path) is None


# ---------------------------------------------------------------- live reload in a browser

LIVE_RELOAD_CONNECTED = (
    "() => window.LiveReload !== undefined && window.LiveReload.connector !== undefined"
    " && window.LiveReload.connector.protocol > 0"
)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Served]:
    """A server of its own for a test that edits the site; the site has its own copy
    of the theme's stylesheet (which wins over the theme's), to be edited."""
    site = example_site(tmp_path)
    (site / "static" / "css").mkdir(parents=True, exist_ok=True)
    shutil.copy2(THEME / "static" / "css" / "site.css", site / "static" / "css" / "site.css")
    with serving(site) as server:
        yield server


def explainer(site: Path) -> tuple[Path, str]:
    """The French explainer's source and address (an article)."""
    source = site / "content" / "explainer.fr.md"
    front = yaml.safe_load(source.read_text("utf-8").split("---")[1])
    assert front["layout"] == "article"
    return source, f"/fr/{front['slug']}/"


@contextlib.contextmanager
def opened(browser: Browser, url: str) -> Iterator[Page]:
    page = browser.new_page()
    try:
        page.goto(url)
        page.wait_for_function(LIVE_RELOAD_CONNECTED, timeout=10_000)
        yield page
    finally:
        page.close()


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


def write_atomically(path: Path, text: str) -> None:
    """As editors save: a temporary file beside it, renamed over it."""
    temporary = path.with_name(path.name + ".sitegen-tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def within(seconds: float, wait: Callable[[], object]) -> float:
    started = time.monotonic()
    wait()
    elapsed = time.monotonic() - started
    assert elapsed < seconds
    return elapsed


def test_an_edited_page_reloads_by_itself(browser: Browser, live: Served) -> None:
    source, path = explainer(live.site)
    with opened(browser, live.url + path.lstrip("/")) as page:
        marker = f"Marqueur {uuid.uuid4().hex}"
        append(source, f"\n\n{marker}\n")
        within(2, lambda: page.wait_for_selector(f"text={marker}", timeout=2000))

        # as an editor saves: written beside, renamed over
        second = f"Deuxième {uuid.uuid4().hex}"
        write_atomically(source, source.read_text("utf-8") + f"\n\n{second}\n")
        within(2, lambda: page.wait_for_selector(f"text={second}", timeout=2000))
        assert page.get_by_text(marker).count() == 1


def test_a_broken_template_shows_its_problem_until_fixed(browser: Browser, live: Served) -> None:
    source, path = explainer(live.site)
    template = live.site / "templates" / "article.html"
    with opened(browser, live.url + path.lstrip("/")) as page:
        template.parent.mkdir()
        template.write_text(
            '{% extends "theme:article.html" %}'
            "{% block main %}{{ page.no_such_field }}{% endblock %}",
            encoding="utf-8",
        )
        within(5, lambda: page.wait_for_selector("text=templates/article.html", timeout=5000))
        shown = page.inner_text("body")
        assert "does not build" in shown
        assert "undefined" in shown
        assert "no_such_field" in shown
        status, _, _ = get(live, path)
        assert status == 500

        # another change while it is broken: still the problem, which is still there
        marker = f"Marqueur {uuid.uuid4().hex}"
        append(source, f"\n\n{marker}\n")
        live.wait_for_count("The site does not build", 2, timeout=5)
        page.wait_for_selector("text=templates/article.html", timeout=5000)

        template.unlink()
        within(5, lambda: page.wait_for_selector(f"text={marker}", timeout=5000))
        assert "does not build" not in page.inner_text("body")
        assert get(live, path)[0] == 200


def test_an_edited_stylesheet_applies_without_reloading_the_page(
    browser: Browser, live: Served
) -> None:
    _, path = explainer(live.site)
    with opened(browser, live.url + path.lstrip("/")) as page:
        page.evaluate("window.__keep = 42")
        append(
            live.site / "static" / "css" / "site.css",
            "\nbody { outline: 7px solid rgb(1, 2, 3); }\n",
        )
        within(
            3,
            lambda: page.wait_for_function(
                "() => getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'",
                timeout=3000,
            ),
        )
        assert page.evaluate("window.__keep") == 42  # the page was not reloaded
