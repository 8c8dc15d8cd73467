"""The screenshots of `sitegen review`: a built site served on 127.0.0.1 and shot in
headless Chromium through Playwright (the `review` extra), with the browser's clock
held at the instant the site was built for.

The theme's scripts switch phases and count down from `Date.now()`: with the
machine's clock, a shot of the live phase taken a month before the event would show
the teaser. Every request that does not go to the served site is refused, so that a
shot shows only the site (no third-party fonts or trackers that come and go) and a
review reaches no other machine.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import (
    Browser,
    Page,
    Playwright,
    Route,
    WebSocketRoute,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from sitegen.commands.review_plan import Viewport

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
"""Debian's and Ubuntu's Chromium, used when it is there: no browser to download."""
CHROMIUM_ARGS = (
    "--no-sandbox",  # Debian's Chromium refuses to start as root with its sandbox
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",  # no updates, no safe-browsing lists: nothing
    "--disable-component-update",  # leaves the machine but the site's own requests
    "--disable-sync",
    "--no-first-run",
)
PAGE_TIMEOUT_MS = 30_000
SERVER_POLL = 0.02
"""Seconds between the server's looks at whether it is asked to stop (the standard
library's 0.5 s would be spent after each moment's shots)."""
THUMBNAIL_SHARE = 4
"""The contact sheet shows each shot's first screen a quarter as wide (a laptop's 1440
px in 360)..."""
THUMBNAIL_MIN_WIDTH = 240
"""...and at least this wide (a phone's 390 px in 240), or as wide as the shot."""
_EVERY_URL = re.compile(".*")
_SETTLED = """async () => {
  for (const image of document.images) image.loading = "eager";
  await Promise.all([...document.images].map((image) => image.decode().catch(() => {})));
  await document.fonts.ready;
}"""
"""Every image loaded, the lazy ones too (a full-page shot does not scroll to them),
and the web fonts."""


class CannotShoot(Exception):
    """The browser did not start, or a page did not load: what to tell the user."""


def default_browser() -> Path | None:
    """Debian's Chromium when installed, else None: the one Playwright installed."""
    return DEBIAN_CHROMIUM if DEBIAN_CHROMIUM.is_file() else None


def unsafe_browser(executable: Path, folders: dict[str, Path]) -> str | None:
    """Why `executable` must not be run, None when it may: the program that takes the
    shots must be one the user chose, never one a site's files can provide. `folders`
    names the folders it must be outside of ('the site folder': its path)."""
    if not executable.is_absolute():
        return "give its absolute path, such as /usr/bin/chromium"
    for where in (Path(os.path.normpath(executable)), executable.resolve()):
        for name, folder in folders.items():
            if where.is_relative_to(folder.resolve()):
                return f"it is inside {name}"
    if not executable.is_file():
        return "no such file" if not executable.exists() else "it is not a file"
    if not os.access(executable, os.X_OK):
        return "it is not executable"
    if executable.resolve().stat().st_mode & 0o002:
        return "anyone may write it"
    return None


class _SiteFiles(SimpleHTTPRequestHandler):
    """The built site's files below its base path (/campaign/ for a site published
    there), as its host serves them; nothing else, and nothing printed."""

    def __init__(self, *args: Any, base_path: str, **kwargs: Any) -> None:
        self.base_path = base_path  # before super().__init__, which handles the request
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        inside = path.startswith(self.base_path)
        return super().translate_path("/" + path[len(self.base_path) :] if inside else "/\0")

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def served(folder: Path, base_path: str) -> Iterator[str]:
    """Serve `folder` on a free port of 127.0.0.1 (this machine only); yields the origin,
    'http://127.0.0.1:PORT'."""
    handler = functools.partial(_SiteFiles, directory=str(folder), base_path=base_path)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(SERVER_POLL,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Shot:
    png: bytes
    """The whole page, as wide as the window and as tall as the page."""
    screen: bytes
    """The first screen, as a JPEG: what the thumbnail is made from (decoding the whole
    page's PNG for it took longer than this second shot)."""
    title: str
    """The page's title as the browser has it (document.title)."""


@dataclass(frozen=True)
class Window:
    """A browser window of one language and instant, on one served site."""

    page: Page
    origin: str

    def shoot(self, url: str, viewport: Viewport) -> Shot:
        """Open the page at `url` (site-absolute) at this size, and take it whole once
        loaded (loaded anew at each size: a script may lay it out once, at load)."""
        try:
            self.page.set_viewport_size({"width": viewport.width, "height": viewport.height})
            self.page.goto(self.origin + url, wait_until="load")
            self.page.evaluate(_SETTLED)
            screen = self.page.screenshot(animations="disabled", type="jpeg", quality=90)
            png = self.page.screenshot(full_page=True, animations="disabled", type="png")
            return Shot(png, screen, self.page.title())
        except PlaywrightError as error:
            raise CannotShoot(f"cannot take {url}: {_first_line(error)}") from None


class Camera:
    """Headless Chromium, started once for the whole review."""

    def __init__(self, executable: Path | None) -> None:
        self.executable = executable
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None

    def __enter__(self) -> Camera:
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=self.executable, args=list(CHROMIUM_ARGS)
            )
        except PlaywrightError as error:
            self._playwright.stop()
            which = self.executable or "Playwright's Chromium"
            raise CannotShoot(
                f"cannot start {which}: {_first_line(error)}; give a Chromium with "
                "--browser PATH, or install Playwright's: python -m playwright install chromium"
            ) from None
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()

    @contextlib.contextmanager
    def window(
        self, origin: str, instant: dt.datetime, locale: str, timezone: str
    ) -> Iterator[Window]:
        """A window whose clock stands at `instant` (Date.now() returns it, timers still
        run) and which reaches nothing but `origin`."""
        assert self._browser is not None, "a Camera is used inside its `with` block"
        context = self._browser.new_context(
            device_scale_factor=1,
            locale=locale,
            timezone_id=timezone,
            service_workers="block",
        )
        try:
            context.set_default_timeout(PAGE_TIMEOUT_MS)
            context.clock.set_fixed_time(instant)
            context.route("**/*", functools.partial(_only_from, origin + "/"))
            context.route_web_socket(_EVERY_URL, _refused)  # not routed with the others
            yield Window(context.new_page(), origin)
        finally:
            context.close()


def _only_from(prefix: str, route: Route) -> None:
    if route.request.url.startswith(prefix):
        route.continue_()
    else:
        route.abort("blockedbyclient")


def _refused(socket: WebSocketRoute) -> None:
    socket.close()


def _first_line(error: PlaywrightError) -> str:
    lines = [line.strip() for line in error.message.splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def thumbnail(screen: bytes) -> tuple[bytes, tuple[int, int]]:
    """A shot's first screen made smaller, as a JPEG (a sheet of hundreds of shots stays
    light); returns it with its size."""
    with Image.open(io.BytesIO(screen)) as image:
        width = min(image.width, max(THUMBNAIL_MIN_WIDTH, image.width // THUMBNAIL_SHARE))
        size = (width, max(1, round(image.height * width / image.width)))
        small = image.convert("RGB").resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue(), size
