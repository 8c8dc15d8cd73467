"""Static files and pages as a browser should get them once published: minified, and
named by a hash of their content so that hosts may cache them for a year.

`asset("css/site.css")` in a template names the published copy. `sitegen build` writes
it to `_assets/css/site.<hash>.css`, minified; a new stylesheet gets a new name, so
a visitor never mixes new pages with an old cached stylesheet. The original is still
copied to `css/site.css` for anything that names it directly. `sitegen serve` keeps
the plain names, which live reload swaps stylesheets by.

Minification is tdewolff/minify (the Go library Hugo uses, PyPI `tdewolff-minify`):
one maintained library for HTML, CSS and JS that keeps attribute quotes and end tags
when asked to, and takes about a millisecond for a large page.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sitegen.base.errors import Problem
from sitegen.base.messages import _

if TYPE_CHECKING:
    import minify

ASSETS_FOLDER = "_assets"
"""Every file below it is named by a hash of its content: `_headers` and `sitegen
deploy` give the whole folder a year of caching."""
HASH_LENGTH = 10
"""Hexadecimal digits of SHA-256 in a published name: a collision between two
versions of one file is out of reach (one in a trillion)."""

_MEDIA_TYPES = {
    ".css": "text/css",
    ".js": "application/javascript",
    ".mjs": "application/javascript",
    ".html": "text/html",
}

_CSS_URL = re.compile(r"""url\(\s*(?P<quote>["']?)(?P<url>[^"')]*?)(?P=quote)\s*\)""")
_CSS_IMPORT = re.compile(r"""@import\s+(?P<quote>["'])(?P<url>[^"']*)(?P=quote)""")
_ERROR_PLACE = re.compile(r"on line (\d+) and column (\d+)")


def _minified(media_type: str, text: str) -> str:
    """`text` minified by tdewolff-minify; raises minify.MinifyError."""
    # Imported on first use: loading its Go library costs ~20 ms at start-up, which a
    # command or a build that minifies nothing need not pay.
    import minify

    _configure_minify()
    return str(minify.string(media_type, text))


def minifier_loaded() -> bool:
    """Whether this process has loaded the minifier's Go runtime, which a forked
    process cannot use (its threads are not forked with it)."""
    return "minify" in sys.modules


@functools.cache
def _configure_minify() -> None:
    import minify

    minify.config(
        {
            "html-keep-quotes": True,  # what other tools (and people) reading the HTML expect
            "html-keep-end-tags": True,
            "html-keep-document-tags": True,
            "js-keep-var-names": False,
            "css-precision": 0,  # 0: numbers kept as written
        }
    )


class AssetProblem(Exception):
    """A static file that cannot be published; carries the problem at its place."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True)
class Published:
    """A static file as the output has it under ASSETS_FOLDER."""

    path: str
    """Its path in the output: `_assets/css/site.3f2a9c1b7d.css`."""
    content: bytes


def minify_html(content: bytes) -> bytes:
    """A page without the whitespace, comments and optional characters a browser does
    not need; the markup and text stay equivalent."""
    text = content.decode("utf-8")
    if "\0" in text:  # the library stops at a NUL: leave such a page as it is
        return content
    return _minified(_MEDIA_TYPES[".html"], text).encode("utf-8")


def hashed_name(relative: str, digest: str, suffix: str | None = None) -> str:
    """`css/site.css` → `_assets/css/site.<digest>.css`; `suffix` replaces the file's
    own, for converted files (`.640w.webp`)."""
    path = PurePosixPath(relative)
    shown = path.suffix if suffix is None else suffix
    return f"{ASSETS_FOLDER}/{path.parent / path.stem}.{digest[:HASH_LENGTH]}{shown}"


class Assets:
    """Publishes static files under ASSETS_FOLDER; one per Builder, remembering what it
    made so that an unchanged file is not minified again."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, bytes, str], Published] = {}

    def publish(self, relative: str, source: Path, base_path: str) -> Published:
        """The published form of the static file `relative` (read from `source`);
        raises AssetProblem when a stylesheet or script cannot be minified."""
        raw = source.read_bytes()
        key = (relative, hashlib.sha256(raw).digest(), base_path)
        made = self._made.get(key)
        if made is None:
            content = _optimized(relative, raw, source, base_path)
            digest = hashlib.sha256(content).hexdigest()
            made = self._made[key] = Published(hashed_name(relative, digest), content)
        return made


def _optimized(relative: str, raw: bytes, source: Path, base_path: str) -> bytes:
    suffix = PurePosixPath(relative).suffix.lower()
    media_type = _MEDIA_TYPES.get(suffix)
    if media_type is None or suffix == ".html":
        return raw
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = _("not UTF-8 text: save it as UTF-8")
        raise AssetProblem(Problem(source, line, message)) from None
    if "\0" in text:
        return raw
    if suffix == ".css":
        text = site_absolute_urls(text, relative, base_path)
    import minify  # for MinifyError; see _minified

    try:
        return _minified(media_type, text).encode("utf-8")
    except minify.MinifyError as exc:
        return _not_minified(exc, source)


def _not_minified(exc: minify.MinifyError, source: Path) -> bytes:
    message = str(exc).splitlines()[0]
    place = _ERROR_PLACE.search(message)
    line, column = (int(place[1]), int(place[2])) if place else (None, None)
    message = _ERROR_PLACE.sub("", message).strip()
    message = _("cannot minify: %(error)s") % {"error": message}
    raise AssetProblem(Problem(source, line, message, column=column))


def site_absolute_urls(css: str, relative: str, base_path: str) -> str:
    """A stylesheet's relative `url(...)` and `@import` targets made site-absolute, since
    its published copy lives in another folder than the original."""
    folder = PurePosixPath(relative).parent

    def absolute(match: re.Match[str]) -> str:
        url = match["url"].strip()
        if not url or urlsplit(url).scheme or url.startswith(("/", "#")):
            return match[0]
        resolved = _normalized(folder / url)
        start, end = match.span("url")
        whole_start = match.start()
        return (
            match[0][: start - whole_start] + base_path + resolved + match[0][end - whole_start :]
        )

    return _CSS_IMPORT.sub(absolute, _CSS_URL.sub(absolute, css))


def _normalized(path: PurePosixPath) -> str:
    """`css/../img/a.svg` → `img/a.svg`; a path above the root stays at the root."""
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)
