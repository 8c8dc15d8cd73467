"""Markdown source files: where they are, which language they speak, what their front matter
says."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sitegen.base.errors import Problem, SiteError, did_you_mean, read_source
from sitegen.base.layout import CONTENT_DIR
from sitegen.base.parallel import map_in_processes
from sitegen.base.texts import digest as digest_of
from sitegen.base.timeutil import FileStamp, as_instant, localize_naive, naive_time_rule
from sitegen.base.yamlsource import YamlMap, line_of, load_yaml
from sitegen.settings.config import SiteConfig
from sitegen.sources.links import script_link_problems
from sitegen.sources.sitefiles import file_names_below

_FRONT_MATTER_FENCE = re.compile(r"---[ \t]*\r?")
_FRONT_MATTER_END = re.compile(r"(?:---|\.\.\.)[ \t]*\r?")
_LANGUAGE_LIKE = re.compile(r"^[a-z]{2}$")
_FINGERPRINT = re.compile(r"^[0-9a-f]{12}$")
_BAD_SEGMENT = re.compile(r"[/\\\x00-\x1f?#%]")
_SPACE = re.compile(r"\s")
KNOWN_FRONT_MATTER = {
    "title",
    "description",
    "layout",
    "slug",
    "translation_key",
    "date",
    "publish",
    "expires",
    "draft",
    "image",
    "translated_from",
    "aliases",
}
"""Front-matter keys that are fields of every page."""
PARAMS_KEY = "params"
"""Front matter: a mapping of the page's own keys, which templates read as page.params
and no check knows."""
MENU_KEY = "menu"
"""Front matter: the page's weight in the site's menu (lower first)."""
MENU_TITLE_KEY = "menu_title"
"""Front matter: the page's name in the menu, when shorter than its title."""
PER_PAGE_KEY = "per_page"
"""Front matter of a home or section: how many of its listed pages a page shows."""
UPDATED_KEY = "updated"
"""Front matter: when an article was last changed (its Atom entry's `updated`)."""
AUTHOR_KEY = "author"
"""Front matter: an article's author (its Atom entry's `author`)."""
ENGINE_PARAMS = frozenset({MENU_KEY, MENU_TITLE_KEY, PER_PAGE_KEY, UPDATED_KEY, AUTHOR_KEY})
"""Keys of page.params that sitegen itself reads."""

ALIAS_PAGE_SUFFIXES = (".html", ".htm")
"""An alias ending in one of these is written as that file; any other as a folder's
index.html (`/fr/old/` and `/fr/old` are both fr/old/index.html)."""
_ALIAS_ENCODED_SEPARATOR = re.compile(r"%(?:2f|5c|2e|[01][0-9a-f]|7f)", re.IGNORECASE)
_ALIAS_FORBIDDEN = re.compile(r"[\\\x00-\x20\x7f?#]")


@dataclass(frozen=True)
class SourcePage:
    """One Markdown file, read and checked, not yet placed in the site."""

    path: Path
    key: str
    """Path below content/ without language suffix and extension: 'explainer', 'merchants/index'."""
    lang: str
    title: str
    description: str
    layout: str | None
    slug: str | None
    translation_key: str | None
    date: dt.datetime | None
    publish: dt.datetime | None
    expires: dt.datetime | None
    draft: bool
    image: str | None
    translated_from: str | None
    """Fingerprint of the original this translation was written from (`sitegen i18n stamp`)."""
    params: Mapping[str, Any]
    front_matter: YamlMap
    body: str | SourceBody
    """The Markdown after the front matter (read with `markdown()`)."""
    body_line: int
    """Line of the file on which the Markdown body starts."""
    item: Mapping[str, Any] | None = None
    """For a page made from a data feed (`data_pages`), the feed's item."""
    feed: str | None = None
    """For a page made from a data feed, the feed's name: `products`."""
    aliases: tuple[str, ...] = ()
    """Old addresses of the page, below the site's base URL, as written: '/fr/ancienne-page/'."""

    def markdown(self) -> str:
        """The Markdown body."""
        return self.body if isinstance(self.body, str) else self.body.text()

    def line_of(self, key: str) -> int:
        return self.front_matter.line_of(key) if key in self.front_matter else 1

    def alias_line(self, index: int) -> int:
        """The line of the `index`th alias (of `aliases:` when it is not a list)."""
        return line_of(self.front_matter.get("aliases"), index, self.line_of("aliases")) or 1


class SourceBody:
    """The Markdown body of a content file, read from the file again when it is
    rendered: the build's processes and its cache carry a digest of every page's
    text, not the text. Equal to another when their texts are."""

    __slots__ = ("digest", "path")

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.digest = digest_of(text.encode("utf-8"))

    def text(self) -> str:
        """The body as it was read; SiteError when the file has changed since."""
        _, body, _ = split_front_matter(read_source(self.path), self.path)
        if digest_of(body.encode("utf-8")) != self.digest:
            raise SiteError(
                [
                    Problem(
                        self.path,
                        None,
                        "the file changed while sitegen was building the site",
                        hint="build again",
                    )
                ]
            )
        return body

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SourceBody):
            return NotImplemented
        return self.digest == other.digest

    def __hash__(self) -> int:
        return hash(self.digest)

    def __getstate__(self) -> tuple[Path, bytes]:
        return (self.path, self.digest)

    def __setstate__(self, state: tuple[Path, bytes]) -> None:
        self.path, self.digest = state


def discover(config: SiteConfig) -> tuple[list[str], list[Problem]]:
    """Every Markdown file below content/, sorted; links are followed only inside the
    site (a link out of it is a problem)."""
    files, problems = file_names_below(config.root / CONTENT_DIR, config.root)
    return [name for name in files if name.endswith(".md")], problems


def load_pages(
    config: SiteConfig,
    cache: SourceCache | None = None,
    advance: Callable[[int], None] | None = None,
    jobs: int = 1,
) -> list[SourcePage]:
    """Read every Markdown file, in up to `jobs` processes; all problems of all files
    are raised together, in the order of the files.

    With a cache, a file that did not change since the last call is not read again.
    `advance(1)` is called after each file (the build's progress)."""
    cache = cache or SourceCache()
    paths, problems = discover(config)
    known = {path: cache.known(path) for path in paths}
    unread = [path for path in paths if known[path] is None]

    def read(index: int) -> tuple[FileStamp | None, SourcePage | None, list[Problem]]:
        path = unread[index]
        try:
            stamp = FileStamp.of(path)  # before reading: a change while read is seen next time
        except OSError:
            stamp = None
        try:
            return stamp, load_page(config, Path(path)), []
        except SiteError as error:
            return None, None, list(error.problems)

    advance = advance or (lambda _: None)
    read_now = {}
    for path, result in zip(unread, map_in_processes(read, len(unread), jobs), strict=True):
        read_now[path] = result
        advance(1)
    pages: list[SourcePage] = []
    for path in paths:
        found = read_now.get(path)
        if found is None:
            page = known[path]
            assert page is not None
            pages.append(page)
            advance(1)
        else:
            stamp, page, page_problems = found
            problems.extend(page_problems)
            if page is not None:
                pages.append(cache.store(path, stamp, page))
    cache.forget_all_but(paths)
    if problems:
        raise SiteError(problems)
    return pages


class SourceCache:
    """Pages read by earlier builds of one session (`sitegen serve`), by file.

    A file is read again when its size, modification time, inode or change time
    differ; a file modified in the last two seconds is always read again (its next
    change might keep the same time stamp), and gives back the same page object
    when it reads the same. Errors are never cached. Only valid for one config.
    """

    def __init__(self) -> None:
        self._pages: dict[str, tuple[FileStamp, SourcePage]] = {}

    def known(self, path: str) -> SourcePage | None:
        """The page read from `path` earlier, if the file has not changed since."""
        known = self._pages.get(path)
        if known is None:
            return None
        try:
            stamp = FileStamp.of(path)
        except OSError:
            return None
        return known[1] if known[0] == stamp and stamp.settled() else None

    def store(self, path: str, stamp: FileStamp | None, page: SourcePage) -> SourcePage:
        """Remember a page just read (`stamp`: the file's before reading); returns the
        page object read earlier when it reads the same."""
        known = self._pages.get(path)
        if known is not None and known[1] == page:
            page = known[1]
        if stamp is not None:
            self._pages[path] = (stamp, page)
        return page

    def pages(self) -> list[SourcePage]:
        return [page for _, page in self._pages.values()]

    def forget_all_but(self, paths: list[str]) -> None:
        """Drop the files that are gone."""
        if len(self._pages) > len(paths):
            kept = set(paths)
            self._pages = {path: known for path, known in self._pages.items() if path in kept}


def split_name(config: SiteConfig, path: Path) -> tuple[str, str]:
    """('explainer', 'fr') for content/explainer.fr.md; no suffix means the default language."""
    relative = path.relative_to(config.root / CONTENT_DIR).as_posix()
    stem = relative[: -len(".md")]
    _check_url_segments(path, stem)
    base, dot, suffix = stem.rpartition(".")
    if dot and "/" not in suffix:
        if suffix in config.language_codes:
            return base, suffix
        if _LANGUAGE_LIKE.match(suffix):
            raise SiteError(
                [
                    Problem(
                        path,
                        None,
                        f"the file name says language '{suffix}', which is not in site.yaml",
                        hint=did_you_mean(suffix, config.language_codes)
                        or f"the site's languages are: {', '.join(config.language_codes)}",
                    )
                ]
            )
    return stem, config.default_language


def _check_url_segments(path: Path, stem: str) -> None:
    """The folders and name of a content file become its URL: each must be one plain
    segment (no `..`, no `%`, `?`, `#`, spaces or control characters)."""
    for segment in stem.split("/"):
        if segment.strip(".") == "" or _BAD_SEGMENT.search(segment) or _SPACE.search(segment):
            raise SiteError(
                [
                    Problem(
                        path,
                        None,
                        f"'{segment}' in this file's path cannot be part of a web address",
                        hint="rename it with letters, digits and dashes: 'spring-sale.fr.md'",
                    )
                ]
            )


def closing_fence(lines: Sequence[str]) -> int | None:
    """Where the front matter that `lines` open ends: the index of its closing `---`
    (or `...`); None when the first line opens none; ValueError when nothing closes it.
    A line may keep the carriage return of a CRLF file (`sitegen i18n stamp` edits
    files as they are)."""
    if not lines or not _FRONT_MATTER_FENCE.fullmatch(lines[0]):
        return None
    for index in range(1, len(lines)):
        if _FRONT_MATTER_END.fullmatch(lines[index]):
            return index
    raise ValueError("the front matter is never closed")


def split_front_matter(text: str, path: Path) -> tuple[str | None, str, int]:
    """(front matter text or None, body, line where the body starts)."""
    lines = text.split("\n")
    try:
        end = closing_fence(lines)
    except ValueError:
        raise SiteError(
            [
                Problem(
                    path,
                    1,
                    "the front matter that starts here is never closed",
                    hint="end it with a line holding only '---'",
                )
            ]
        ) from None
    if end is None:
        return None, text, 1
    return "\n".join(lines[1:end]), "\n".join(lines[end + 1 :]), end + 2


def load_page(config: SiteConfig, path: Path) -> SourcePage:
    key, lang = split_name(config, path)
    front_text, body, body_line = split_front_matter(read_source(path), path)
    front = load_yaml(front_text, path, first_line=2) if front_text is not None else None
    if front is None:
        front = YamlMap()
        front.line = 1
    if not isinstance(front, YamlMap):
        raise SiteError([Problem(path, 2, "the front matter must be a mapping of 'key: value'")])
    localize_naive(front, config.timezone)
    checker = _FrontMatter(path, front, config)
    page = SourcePage(
        path=path,
        key=key,
        lang=lang,
        title=checker.text("title", required=True) or "",
        description=checker.text("description") or "",
        layout=checker.text("layout"),
        slug=checker.slug(),
        translation_key=checker.text("translation_key"),
        date=checker.instant("date"),
        publish=checker.instant("publish"),
        expires=checker.instant("expires"),
        draft=checker.flag("draft"),
        image=checker.text("image"),
        translated_from=checker.fingerprint("translated_from"),
        params=checker.params(),
        front_matter=front,
        body=SourceBody(path, body),
        body_line=body_line,
        aliases=checker.aliases(),
    )
    checker.problems += script_link_problems(front, path, front.line)
    if checker.problems:
        raise SiteError(checker.problems)
    return page


def front_matter_problems(pages: Iterable[SourcePage], theme_keys: frozenset[str]) -> list[Problem]:
    """A problem for each front-matter key that neither sitegen nor the theme reads:
    a typo such as `drfat: true` would otherwise publish a draft without a word."""
    known = KNOWN_FRONT_MATTER | ENGINE_PARAMS | theme_keys | {PARAMS_KEY}
    problems = []
    for page in pages:
        if page.item is not None:  # made from a feed's item, not from front matter
            continue
        for key in page.front_matter:
            if key in known:
                continue
            problems.append(
                Problem(
                    page.path,
                    page.line_of(key),
                    f"unknown front matter key '{key}'",
                    hint=did_you_mean(str(key), known)
                    or f"put a key of your own under '{PARAMS_KEY}:' (page.params.{key} in "
                    "templates), or declare it in the theme's theme.yaml (front_matter)",
                )
            )
    return problems


class _FrontMatter:
    def __init__(self, path: Path, front: YamlMap, config: SiteConfig) -> None:
        self.path = path
        self.front = front
        self.config = config
        self.problems: list[Problem] = []

    def _problem(self, key: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.path, self.front.line_of(key), message, hint=hint))

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.front.get(key)
        if value is None:
            if required:
                self.problems.append(
                    Problem(
                        self.path,
                        1,
                        f"the page has no '{key}'",
                        hint=f"add '{key}: ...' to the front matter between the '---' lines",
                    )
                )
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self._problem(key, f"'{key}' must be text, not {_kind(value)}")
            return None
        return str(value)

    def fingerprint(self, key: str) -> str | None:
        """A fingerprint written by `sitegen i18n stamp`: 12 hexadecimal digits, as text
        (unquoted, `1234e5678901` would be read as a number)."""
        value = self.front.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not _FINGERPRINT.match(value):
            self._problem(
                key,
                f"'{key}' must be the fingerprint written by 'sitegen i18n stamp', in quotes",
                hint="run 'sitegen i18n stamp' on this file again",
            )
            return None
        return value

    def slug(self) -> str | None:
        slug = self.text("slug")
        if slug is not None and (
            not slug.strip() or slug in (".", "..") or _BAD_SEGMENT.search(slug)
        ):
            self._problem(
                "slug",
                f"slug {slug!r} is not a single URL segment",
                hint="use letters, digits and dashes, such as 'double-11-explained'",
            )
            return None
        return slug

    def instant(self, key: str) -> dt.datetime | None:
        value = self.front.get(key)
        if value is None:
            return None
        if not isinstance(value, dt.date):
            self._problem(
                key,
                f"'{key}' must be a date such as 2026-11-11 or 2026-11-11T09:00:00+01:00",
                hint="a date alone means the start of that day; "
                + naive_time_rule(site=self.config.timezone.key),
            )
            return None
        return as_instant(value, self.config.timezone)

    def aliases(self) -> tuple[str, ...]:
        """Old addresses of the page (`aliases: [/fr/ancienne-page/]`), each checked to
        name a place inside the output: a redirect page is written there."""
        value = self.front.get("aliases")
        if value is None:
            return ()
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            self._problem("aliases", "'aliases' must be a list of paths such as /fr/old-page/")
            return ()
        found = []
        for index, alias in enumerate(items):
            reason = alias_problem(alias)
            if reason is None:
                found.append(alias)
                continue
            line = line_of(value, index, self.front.line_of("aliases")) or 1
            self.problems.append(
                Problem(
                    self.path,
                    line,
                    f"alias {alias!r} {reason}",
                    hint="write an old address of this page below the site's base URL, "
                    "such as /fr/ancienne-page/",
                )
            )
        return tuple(found)

    def params(self) -> dict[str, Any]:
        """page.params: the keys that are not page fields, and those under `params:`."""
        own = self.front.get(PARAMS_KEY, {})
        if not isinstance(own, Mapping):
            self._problem(PARAMS_KEY, "'params' must be a mapping of your own keys and values")
            own = {}
        outside = {
            name: value
            for name, value in self.front.items()
            if name not in KNOWN_FRONT_MATTER and name != PARAMS_KEY
        }
        return {**outside, **own}

    def flag(self, key: str) -> bool:
        value = self.front.get(key, False)
        if not isinstance(value, bool):
            self._problem(key, f"'{key}' must be true or false")
            return False
        return value


def alias_problem(alias: object) -> str | None:
    """Why an alias cannot be a redirect page inside the output, or None.

    An alias is a URL path: it must start with `/`, and may not climb out of the
    output (`..`), hide a separator or a dot behind a percent sign (`%2F`, `%2e`),
    name another host (`//host/`), hold a query, fragment, space or backslash, or be
    a file system path in disguise (`C:\\`)."""
    if not isinstance(alias, str):
        return f"must be a path such as /fr/old-page/, not {_kind(alias)}"
    if not alias.startswith("/") or alias.startswith("//"):
        return "must be a path that starts with a single '/'"
    if _ALIAS_FORBIDDEN.search(alias):
        return "may not hold spaces, backslashes, control characters, '?' or '#'"
    if _ALIAS_ENCODED_SEPARATOR.search(alias):
        return "may not hold an encoded separator, dot or control character (%2F, %5C, %2E...)"
    try:
        decoded = unquote(alias, errors="strict")
    except UnicodeDecodeError:
        return "holds percent-escapes that are not UTF-8"
    segments = decoded[1:].split("/")
    if decoded.endswith("/"):
        segments.pop()
    if any(segment in ("", ".", "..") for segment in segments):
        return "may not hold empty, '.' or '..' segments: it must stay inside the site"
    return None


def alias_output_path(alias: str) -> str:
    """Where the redirect page of a valid alias is written in the output."""
    decoded = unquote(alias)[1:]
    if decoded.endswith(ALIAS_PAGE_SUFFIXES):
        return decoded
    return f"{decoded.rstrip('/')}/index.html" if decoded.strip("/") else "index.html"


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    return type(value).__name__


def fingerprint(page: SourcePage) -> str:
    """What a translation is made from: title, description and body, as a short hash.

    A translation records the fingerprint of its original in `translated_from`; when
    the original's text changes, the two differ and the translation is out of date.
    Trailing spaces and line endings do not count, so re-saving a file changes nothing.
    """
    text = "\n".join([page.title, page.description, page.markdown()])
    normalized = "\n".join(line.rstrip() for line in text.strip().split("\n"))
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:12]
