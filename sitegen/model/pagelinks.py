"""Links between pages: `other.md` or `../x.en.md`, written in a page's Markdown,
turned into the URL of the page they name (in the linking page's language when the
link names no language), or a LinkError saying why there is none."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from sitegen.base.layout import CONTENT_DIR
from sitegen.base.messages import _
from sitegen.model.site import Page
from sitegen.settings.config import SiteConfig
from sitegen.sources.markdown import LinkError


class PageLinkResolver:
    """Turns `other.md`, `../x.en.md` written in one page into the target's URL."""

    def __init__(
        self,
        config: SiteConfig,
        page: Page,
        by_source: Mapping[Path, Page],
        by_group_lang: Mapping[tuple[str, str], Page],
        hidden: Mapping[Path, str],
    ) -> None:
        self.config = config
        self.page = page
        self.by_source = by_source
        self.by_group_lang = by_group_lang
        self.hidden = hidden

    def __call__(self, written: str) -> str:
        folder = (
            PurePosixPath()
            if written.startswith("/")
            else PurePosixPath(self.page.source.key).parent
        )
        target = _normalize(folder / written.lstrip("/"))
        if target is None:
            raise LinkError(_("the link '%(link)s' points outside content/") % {"link": written})
        path = self.config.root / CONTENT_DIR / target
        direct = self.by_source.get(path)
        if direct is not None:
            return direct.url
        # Written without a language: the same page in the linking page's language,
        # else (missing_translation: omit) the page in the language it exists in.
        versions = [
            found
            for code in (self.config.default_language, *self.config.language_codes)
            if (found := self.by_source.get(path.with_suffix(f".{code}.md")))
        ]
        for found in versions:
            translated = self.by_group_lang.get((found.group, self.page.lang))
            if translated:
                return translated.url
        if versions:
            return versions[0].url
        raise LinkError(*self._why_missing(written, path))

    def _why_missing(self, written: str, path: Path) -> tuple[str, str | None]:
        codes = (self.page.lang, *self.config.language_codes)
        candidates = [path, *(path.with_suffix(f".{code}.md") for code in codes)]
        for candidate in candidates:
            if candidate in self.hidden:
                return (
                    _("the link '%(link)s' points to a page that %(reason)s")
                    % {"link": written, "reason": self.hidden[candidate]},
                    _("publish that page, or build with --drafts / --future to preview"),
                )
        return _("the link '%(link)s' points to a page that does not exist") % {
            "link": written
        }, None


def _normalize(path: PurePosixPath) -> PurePosixPath | None:
    """`..` resolved, or None when it climbs out (a relative path: PurePosixPath has
    already dropped every `.` and doubled `/`)."""
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return PurePosixPath(*parts)
