"""`sitegen serve`: build into a temporary folder, serve it, rebuild on every change.

The site is built by a Builder kept for the session, so a change renders again
only what depends on it (see sitegen.building.pipeline). Browsers are told to reload through
livereload's WebSocket protocol and script (only the stylesheets when only CSS
changed). A request that arrives while a change is being built waits for it, so
no page is ever served stale; while the site does not build, every page request
gets a page listing the problems, and the next good save brings the site back.

Only files inside the served folder are served: no `..`, whether written plainly
or percent-encoded, and no symbolic link leading outside.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import errno
import html
import shutil
import signal
import socket
import sys
import tempfile
import threading
import traceback
import webbrowser
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import unquote

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets

from sitegen.base.errors import Problem, SiteError, format_problem
from sitegen.base.layout import CONFIG_FILE, INPUT_FOLDERS
from sitegen.base.mediatypes import content_type
from sitegen.base.messages import _, ngettext, number
from sitegen.building.buildcontract import BuildOptions, BuildResult
from sitegen.building.builder import Builder
from sitegen.commands.watch import Watcher
from sitegen.output.live import LiveOutput
from sitegen.rendering.renderer import NOT_FOUND_PAGE
from sitegen.settings.config import load_config
from sitegen.settings.themes import ThemeChain, load_theme_chain

DEFAULT_PORT = 8000
PORTS_TRIED = 20
"""How many ports after the one asked for are tried when it is in use."""
LONGEST_REQUEST_WAIT_SECONDS = 30.0
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# Loads livereload.js from this server whatever host name the browser used.
_RELOAD_SCRIPT = (
    b'<script>(function(){var s=document.createElement("script");'
    b's.src="/livereload.js?port="+(location.port||(location.protocol=="https:"?443:80));'
    b"document.head.appendChild(s);})();</script>"
)


@dataclass(frozen=True)
class ServeOptions:
    site_root: Path
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    open_browser: bool = False
    drafts: bool = False
    future: bool = False
    now: dt.datetime | None = None


def host_warning(host: str) -> str | None:
    """What to tell a user who serves beyond this machine."""
    if host in _LOOPBACK:
        return None
    if host in ("0.0.0.0", "::"):
        message = _(
            "serving on %(host)s (every network interface): anyone who can reach this "
            "machine can see the site, drafts included. Use --host 127.0.0.1 to keep it "
            "to yourself."
        )
    else:
        message = _(
            "serving on %(host)s: anyone who can reach this machine can see the site, "
            "drafts included. Use --host 127.0.0.1 to keep it to yourself."
        )
    return "warning: " + message % {"host": host}


@dataclass(frozen=True)
class Redirect:
    location: str


def locate(folder: Path, request_path: str) -> Path | Redirect | None:
    """The file of the served folder a request path names (percent-encoded, as sent),
    a redirect for a folder asked for without its trailing slash, or None when there
    is no such file or the path would lead outside the folder."""
    decoded = unquote(request_path, errors="strict") if "%" in request_path else request_path
    if "\x00" in decoded or "\\" in decoded:
        return None
    segments = decoded.split("/")
    if any(segment in ("..", ".") for segment in segments):
        return None
    root = folder.resolve()
    target = (root / decoded.lstrip("/")).resolve()
    if not target.is_relative_to(root):
        return None  # a symbolic link leading outside
    if target.is_dir():
        if not request_path.endswith("/"):
            return Redirect("/" + request_path.lstrip("/") + "/")  # never "//host/"
        target = target / "index.html"
    return target if target.is_file() else None


def not_found_page(folder: Path, request_path: str) -> bytes:
    """The site's 404 page in the language of the path's first folder, else the root's."""
    first = unquote(request_path).lstrip("/").split("/", 1)[0]
    for candidate in (f"{first}/{NOT_FOUND_PAGE}" if first else "", NOT_FOUND_PAGE):
        page = locate(folder, "/" + candidate) if candidate else None
        if isinstance(page, Path):
            return page.read_bytes()
    return b"<!doctype html><title>Not found</title><h1>Not found</h1>"


def error_page(problems: tuple[Problem, ...], site_root: Path) -> bytes:
    """What every page request gets while the site does not build."""
    sections = "\n".join(
        f"<section><h2>{html.escape(problem.location(site_root) or 'site')}</h2>"
        f"<pre>{html.escape(format_problem(problem, site_root))}</pre></section>"
        for problem in problems
    )
    count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed · sitegen</title>
<style>
body{{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;
color:#1a1a1a;background:#fff}}
h1{{color:#b3001b}} h2{{font-size:1rem;font-family:ui-monospace,monospace}}
pre{{background:#f6f6f6;border-left:4px solid #b3001b;padding:1rem;overflow:auto}}
</style>
</head>
<body>
<h1>The site does not build: {count}</h1>
<p>Fix it and save: this page comes back by itself.</p>
{sections}
</body>
</html>
""".encode()


class _State:
    """What the server knows of the build, shared by the request handlers (on the
    server's thread) and the rebuilds (on the watcher's)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changes_seen = 0
        self._changes_built = 0
        self._building = False
        self.problems: tuple[Problem, ...] = ()

    def change_seen(self) -> None:
        with self._lock:
            self._changes_seen += 1

    def build_starts(self) -> int:
        with self._lock:
            self._building = True
            return self._changes_seen

    def build_ends(self, changes: int, problems: tuple[Problem, ...]) -> None:
        with self._lock:
            self._building = False
            self._changes_built = changes
            self.problems = problems

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._building or self._changes_built != self._changes_seen

    async def settled(self) -> None:
        """Returns once every change seen so far is built (or after a long while)."""
        waited = 0.0
        while self.busy and waited < LONGEST_REQUEST_WAIT_SECONDS:
            await asyncio.sleep(0.01)
            waited += 0.01


class _SiteHandler(web.RequestHandler):
    def initialize(self, server: _Server) -> None:
        self.server = server

    async def get(self, _path: str) -> None:
        await self._respond(include_body=True)

    async def head(self, _path: str) -> None:
        await self._respond(include_body=False)

    async def _respond(self, include_body: bool) -> None:
        await self.server.state.settled()
        folder = self.server.live.folder
        path = self.request.path
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        if self.server.state.problems and self._wants_page(path):
            self._send(500, "text/html; charset=utf-8", self.server.error_page(), include_body)
            return
        try:
            found = locate(folder, path)
        except UnicodeDecodeError:
            found = None
        if isinstance(found, Redirect):
            query = f"?{self.request.query}" if self.request.query else ""
            self.redirect(found.location + query)
        elif found is None:
            self._send(404, "text/html; charset=utf-8", not_found_page(folder, path), include_body)
        else:
            self._send(200, content_type(found.name), found.read_bytes(), include_body)

    def _wants_page(self, path: str) -> bool:
        accepts_html = "text/html" in self.request.headers.get("Accept", "")
        return accepts_html or path.endswith(("/", ".html"))

    def _send(self, status: int, kind: str, body: bytes, include_body: bool) -> None:
        self.set_status(status)
        self.set_header("Content-Type", kind)
        if include_body:
            self.finish(body)
        else:  # what GET would send, the reload script included
            injected = "html" in kind and b"</head>" in body
            self.set_header("Content-Length", str(len(body) + injected * len(_RELOAD_SCRIPT)))
            self.finish()

    def compute_etag(self) -> None:
        return None


def is_site_input(root: Path, path: Path) -> bool:
    """Whether a change to `path` (absolute) matters to the site in `root` (resolved):
    site.yaml, or a file under content/, data/, templates/, static/, i18n/ or themes/,
    or in a theme outside the site (only those folders are watched besides the site)."""
    if not path.is_relative_to(root):
        return True
    parts = path.relative_to(root).parts
    return bool(parts) and (parts == (CONFIG_FILE,) or parts[0] in INPUT_FOLDERS)


class _Server:
    def __init__(self, options: ServeOptions, folder: Path) -> None:
        self.options = options
        self.root = options.site_root.resolve()
        """The site folder as the watcher names the files in it."""
        self.live = LiveOutput(folder)
        self.state = _State()
        self.builder = Builder(
            BuildOptions(
                site_root=options.site_root,
                output=folder,
                drafts=options.drafts,
                future=options.future,
                now=options.now,
                optimize=False,  # live reload swaps stylesheets by their own names
            )
        )
        self.loop: IOLoop | None = None
        self.notes_shown: set[Problem] = set()
        """Notes printed in this session: each once, not after every rebuild."""

    def error_page(self) -> bytes:
        return error_page(self.state.problems, self.options.site_root)

    def build(self, reason: str | None) -> None:
        """Build (on the caller's thread), report it, and tell the browsers."""
        changes = self.state.build_starts()
        had_problems = bool(self.state.problems)
        result: BuildResult | None = None
        problems: tuple[Problem, ...] = ()
        try:
            with self.live.update() as update:
                result = self.builder.build(update, self.live.folder)
        except SiteError as error:
            problems = error.problems or (Problem(None, None, _("the site does not build")),)
        except Exception as error:  # a file gone mid-checkout, or a bug: the server stays up
            traceback.print_exc()
            message = _("the build stopped: %(kind)s: %(error)s") % {
                "kind": type(error).__name__,
                "error": error,
            }
            problems = (Problem(None, None, message),)
        self.state.build_ends(changes, problems)
        if result is not None:
            for note in result.notes:
                if note not in self.notes_shown:
                    print(
                        format_problem(note, self.options.site_root, label="note"), file=sys.stderr
                    )
                    self.notes_shown.add(note)
            _say(_built_line(result, reason))
            reload = list(result.changed)
            if had_problems and not reload:
                reload = ["*"]
        else:
            for problem in problems:
                print(format_problem(problem, self.options.site_root), file=sys.stderr)
            _say(
                ngettext(
                    "The site does not build (%(count)s problem(s)); waiting for a fix.",
                    "The site does not build (%(count)s problem(s)); waiting for a fix.",
                    len(problems),
                )
                % {"count": len(problems)}
            )
            reload = ["*"]
        if reload and self.loop is not None:
            self.loop.add_callback(_reload_browsers, reload)

    def application(self) -> web.Application:
        class Injector(LiveScriptInjector):  # type: ignore[misc]
            script = _RELOAD_SCRIPT

        return web.Application(
            [
                (r"/livereload", LiveReloadHandler),
                (r"/livereload.js", LiveReloadJSHandler),
                (r"/(.*)", _SiteHandler, {"server": self}),
            ],
            transforms=[Injector],
        )


def serve(options: ServeOptions) -> int:
    """Run the server until Ctrl-C (or SIGTERM); the temporary folder is removed."""
    warning = host_warning(options.host)
    if warning:
        print(warning, file=sys.stderr)
    sockets, port = _bind(options.host, options.port)
    # SIGTERM stops the server as Ctrl-C does, from the very start.
    previous_handler = signal.signal(signal.SIGTERM, signal.default_int_handler)
    folder = None
    watcher = None
    try:
        folder = Path(tempfile.mkdtemp(prefix="sitegen-serve-"))
        server = _Server(options, folder)
        _say(
            _("Building %(site)s into %(folder)s …") % {"site": options.site_root, "folder": folder}
        )
        server.build(None)
        watching = Watcher(
            _watched_folders(options.site_root),
            partial(is_site_input, server.root),
            server.state.change_seen,
            lambda paths: server.build(_describe(paths, server.root)),
        )
        try:
            watching.start()
        except OSError as error:  # the system's limit of watched folders, usually
            raise CannotServe(
                _(
                    "cannot watch the site's files: %(error)s"
                    " (on Linux, raise fs.inotify.max_user_watches)"
                )
                % {"error": error.strerror or error}
            ) from None
        watcher = watching  # started: to be stopped
        loop = server.loop = IOLoop.current()
        http = HTTPServer(server.application())
        http.add_sockets(sockets)
        url = f"http://{_url_host(options.host)}:{port}/"
        _say(_("Serving at %(url)s — watching for changes; press Ctrl-C to stop.") % {"url": url})
        if options.open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
        if watcher is not None:
            watcher.stop()
        for sock in sockets:
            sock.close()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    _say(_("Stopped; the temporary build folder was removed."))
    return 0


class CannotServe(Exception):
    """The server cannot start (its ports, its host, watching the files): said plainly."""


def _bind(host: str, port: int) -> tuple[list[socket.socket], int]:
    """Sockets on `port`, or on the next free port (said so) when it is in use."""
    for candidate in range(port, port + PORTS_TRIED):
        try:
            sockets = bind_sockets(candidate, address=host)
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                message = _("cannot serve on %(host)s: %(error)s")
                raise CannotServe(message % {"host": host, "error": error.strerror}) from None
            continue
        if candidate != port:
            print(
                _("Port %(port)s is in use (another server?); using port %(other)s instead.")
                % {"port": port, "other": candidate},
                file=sys.stderr,
            )
        return sockets, sockets[0].getsockname()[1]  # the one the OS chose for port 0
    raise CannotServe(
        _("ports %(first)s to %(last)s are all in use; choose another with --port")
        % {"first": port, "last": port + PORTS_TRIED - 1}
    )


def _watched_folders(site_root: Path) -> list[Path]:
    """The site, and the themes it uses that live elsewhere (the bundled ones)."""
    folders = [site_root]
    try:
        chain: ThemeChain | None = load_theme_chain(load_config(site_root))
    except SiteError:
        chain = None  # the build reports it; site.yaml is watched
    if chain is not None:
        root = site_root.resolve()
        folders.extend(t.root for t in chain.themes if not t.root.resolve().is_relative_to(root))
    return folders


def _reload_browsers(changed: list[str]) -> None:
    """livereload.js reloads only the stylesheets for a CSS path, the page otherwise."""
    paths = changed if all(path.endswith(".css") for path in changed) else ["*"]
    for path in paths:
        message = {"command": "reload", "path": path, "liveCSS": True, "liveImg": True}
        for browser in list(LiveReloadHandler.waiters):
            try:
                browser.write_message(message)
            except Exception:  # a browser that went away
                LiveReloadHandler.waiters.discard(browser)


def _built_line(result: BuildResult, reason: str | None) -> str:
    seconds = number(result.seconds, "0.00")
    if reason is None:
        pages = sum(result.pages_per_language.values())
        return _("Built %(pages)s pages, %(files)s files in %(seconds)s s.") % {
            "pages": pages,
            "files": len(result.changed),
            "seconds": seconds,
        }
    changed = len(result.changed)
    return ngettext(
        "%(reason)s: rendered %(rendered)s, %(files)s file changed in %(seconds)s s.",
        "%(reason)s: rendered %(rendered)s, %(files)s files changed in %(seconds)s s.",
        changed,
    ) % {"reason": reason, "rendered": len(result.rendered), "files": changed, "seconds": seconds}


def _describe(paths: set[Path], root: Path) -> str:
    shown = sorted(
        path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        for path in paths
    )
    if len(shown) == 1:
        return shown[0]
    return _("%(path)s and %(count)s more") % {"path": shown[0], "count": len(shown) - 1}


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def _say(line: str) -> None:
    stamp = dt.datetime.now().time().isoformat(timespec="seconds")
    print(f"{stamp} {line}", flush=True)
