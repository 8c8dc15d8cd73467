"""Front matter: the YAML between the `---` fences at the top of a Markdown file,
the keys sitegen reads there, and the checks of their values (aliases among them,
with where their redirect pages go)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sitegen.base.errors import Problem, SiteError
from sitegen.base.messages import _
from sitegen.base.timeutil import as_instant, naive_time_rule
from sitegen.base.yamlsource import YamlMap, line_of
from sitegen.settings.config import SiteConfig

_FRONT_MATTER_FENCE = re.compile(r"---[ \t]*\r?")
_FRONT_MATTER_END = re.compile(r"(?:---|\.\.\.)[ \t]*\r?")
_FINGERPRINT = re.compile(r"^[0-9a-f]{12}$")
BAD_SEGMENT = re.compile(r"[/\\\x00-\x1f?#%]")
"""A character a URL segment may not hold."""

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
                    _("the front matter that starts here is never closed"),
                    hint=_("end it with a line holding only '---'"),
                )
            ]
        ) from None
    if end is None:
        return None, text, 1
    return "\n".join(lines[1:end]), "\n".join(lines[end + 1 :]), end + 2


class FrontMatter:
    """Checks the front matter of one page, key by key, collecting every problem."""

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
                        _("the page has no '%(key)s'") % {"key": key},
                        hint=_("add '%(key)s: ...' to the front matter between the '---' lines")
                        % {"key": key},
                    )
                )
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            message = _("'%(key)s' must be text, not %(kind)s") % {"key": key, "kind": _kind(value)}
            self._problem(key, message)
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
                _("'%(key)s' must be the fingerprint written by 'sitegen i18n stamp', in quotes")
                % {"key": key},
                hint=_("run 'sitegen i18n stamp' on this file again"),
            )
            return None
        return value

    def slug(self) -> str | None:
        slug = self.text("slug")
        if slug is not None and (
            not slug.strip() or slug in (".", "..") or BAD_SEGMENT.search(slug)
        ):
            self._problem(
                "slug",
                _("slug %(slug)s is not a single URL segment") % {"slug": repr(slug)},
                hint=_("use letters, digits and dashes, such as 'double-11-explained'"),
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
                _("'%(key)s' must be a date such as 2026-11-11 or 2026-11-11T09:00:00+01:00")
                % {"key": key},
                hint=_("a date alone means the start of that day; %(rule)s")
                % {"rule": naive_time_rule(site=self.config.timezone.key)},
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
            self._problem("aliases", _("'aliases' must be a list of paths such as /fr/old-page/"))
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
                    # Translators: the reason is one of the alias messages ("must be ...").
                    _("alias %(alias)s %(reason)s") % {"alias": repr(alias), "reason": reason},
                    hint=_(
                        "write an old address of this page below the site's base URL, "
                        "such as /fr/ancienne-page/"
                    ),
                )
            )
        return tuple(found)

    def params(self) -> dict[str, Any]:
        """page.params: the keys that are not page fields, and those under `params:`."""
        own = self.front.get(PARAMS_KEY, {})
        if not isinstance(own, Mapping):
            self._problem(PARAMS_KEY, _("'params' must be a mapping of your own keys and values"))
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
            self._problem(key, _("'%(key)s' must be true or false") % {"key": key})
            return False
        return value


def alias_problem(alias: object) -> str | None:
    """Why an alias cannot be a redirect page inside the output, or None.

    An alias is a URL path: it must start with `/`, and may not climb out of the
    output (`..`), hide a separator or a dot behind a percent sign (`%2F`, `%2e`),
    name another host (`//host/`), hold a query, fragment, space or backslash, or be
    a file system path in disguise (`C:\\`)."""
    if not isinstance(alias, str):
        return _("must be a path such as /fr/old-page/, not %(kind)s") % {"kind": _kind(alias)}
    if not alias.startswith("/") or alias.startswith("//"):
        return _("must be a path that starts with a single '/'")
    if _ALIAS_FORBIDDEN.search(alias):
        return _("may not hold spaces, backslashes, control characters, '?' or '#'")
    if _ALIAS_ENCODED_SEPARATOR.search(alias):
        return _("may not hold an encoded separator, dot or control character (%2F, %5C, %2E...)")
    try:
        decoded = unquote(alias, errors="strict")
    except UnicodeDecodeError:
        return _("holds percent-escapes that are not UTF-8")
    segments = decoded[1:].split("/")
    if decoded.endswith("/"):
        segments.pop()
    if any(segment in ("", ".", "..") for segment in segments):
        return _("may not hold empty, '.' or '..' segments: it must stay inside the site")
    return None


def alias_output_path(alias: str) -> str:
    """Where the redirect page of a valid alias is written in the output."""
    decoded = unquote(alias)[1:]
    if decoded.endswith(ALIAS_PAGE_SUFFIXES):
        return decoded
    return f"{decoded.rstrip('/')}/index.html" if decoded.strip("/") else "index.html"


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, bool):
        return _("true/false")
    return type(value).__name__
