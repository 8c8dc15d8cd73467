"""Markdown source files: where they are, which language they speak, what their front matter
says (read and checked by `frontmatter`), what a translation is made from."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.base.errors import Problem, SiteError, did_you_mean, read_source
from sitegen.base.layout import CONTENT_DIR
from sitegen.base.messages import _
from sitegen.base.parallel import map_in_processes
from sitegen.base.textfile import digest as digest_of
from sitegen.base.timeutil import FileStamp, localize_naive
from sitegen.base.yamlsource import YamlMap, line_of, load_yaml
from sitegen.settings.config import SiteConfig
from sitegen.sources.frontmatter import (
    BAD_SEGMENT,
    ENGINE_PARAMS,
    KNOWN_FRONT_MATTER,
    PARAMS_KEY,
    FrontMatter,
    split_front_matter,
)
from sitegen.sources.links import script_link_problems
from sitegen.sources.sitefiles import file_names_below

_LANGUAGE_LIKE = re.compile(r"^[a-z]{2}$")
_SPACE = re.compile(r"\s")


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

    @property
    def name(self) -> str:
        """The file's name without language and extension: 'lumen', 'index'."""
        return self.key.rpartition("/")[2]

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
        _front, body, _line = split_front_matter(read_source(self.path), self.path)
        if digest_of(body.encode("utf-8")) != self.digest:
            raise SiteError(
                [
                    Problem(
                        self.path,
                        None,
                        _("the file changed while sitegen was building the site"),
                        hint=_("build again"),
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

    advance = advance or (lambda _path: None)
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
        return [page for _stamp, page in self._pages.values()]

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
                        _("the file name says language '%(code)s', which is not in site.yaml")
                        % {"code": suffix},
                        hint=did_you_mean(suffix, config.language_codes)
                        or _("the site's languages are: %(codes)s")
                        % {"codes": ", ".join(config.language_codes)},
                    )
                ]
            )
    return stem, config.default_language


def _check_url_segments(path: Path, stem: str) -> None:
    """The folders and name of a content file become its URL: each must be one plain
    segment (no `..`, no `%`, `?`, `#`, spaces or control characters)."""
    for segment in stem.split("/"):
        if segment.strip(".") == "" or BAD_SEGMENT.search(segment) or _SPACE.search(segment):
            raise SiteError(
                [
                    Problem(
                        path,
                        None,
                        _("'%(segment)s' in this file's path cannot be part of a web address")
                        % {"segment": segment},
                        hint=_("rename it with letters, digits and dashes: 'spring-sale.fr.md'"),
                    )
                ]
            )


def load_page(config: SiteConfig, path: Path) -> SourcePage:
    key, lang = split_name(config, path)
    front_text, body, body_line = split_front_matter(read_source(path), path)
    front = load_yaml(front_text, path, first_line=2) if front_text is not None else None
    if front is None:
        front = YamlMap()
        front.line = 1
    if not isinstance(front, YamlMap):
        message = _("the front matter must be a mapping of 'key: value'")
        raise SiteError([Problem(path, 2, message)])
    localize_naive(front, config.timezone)
    checker = FrontMatter(path, front, config)
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
                    _("unknown front matter key '%(key)s'") % {"key": key},
                    hint=did_you_mean(str(key), known)
                    or _(
                        "put a key of your own under '%(params)s:' (page.params.%(key)s in "
                        "templates), or declare it in the theme's theme.yaml (front_matter)"
                    )
                    % {"params": PARAMS_KEY, "key": key},
                )
            )
    return problems


def fingerprint(page: SourcePage) -> str:
    """What a translation is made from: title, description and body, as a short hash.

    A translation records the fingerprint of its original in `translated_from`; when
    the original's text changes, the two differ and the translation is out of date.
    Trailing spaces and line endings do not count, so re-saving a file changes nothing.
    """
    text = "\n".join([page.title, page.description, page.markdown()])
    normalized = "\n".join(line.rstrip() for line in text.strip().split("\n"))
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:12]
