"""Making the site: every visible page placed in every language (URLs decided,
translations linked, long listings split into pages), page links resolved, bodies
rendered. Nothing here knows about templates."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path, PurePosixPath

from sitegen.base.errors import Problem, SiteError, raise_if_any
from sitegen.base.layout import CONTENT_DIR
from sitegen.base.parallel import map_in_processes
from sitegen.base.progress import NO_PROGRESS, Progress
from sitegen.base.texts import StoredText, TextFile
from sitegen.model.paging import Paginates, never, with_pager_pages
from sitegen.model.site import HOME, INDEX, PAGE, SECTION, Page, Redirect, Site, Visibility
from sitegen.settings.config import SiteConfig
from sitegen.sources.content import SourcePage
from sitegen.sources.data import DataSet
from sitegen.sources.markdown import NO_BODY, LinkError, LinkResolver, MarkdownRenderer
from sitegen.sources.markdown import RenderedMarkdown as Rendered

_Body = tuple[SourcePage, list[tuple[str, str]], str | None, Rendered]
"""The source a body was rendered from, the links it resolved (as written, as URL), the
campaign's phase then (phase blocks show or not), the result."""
_Rendering = tuple[list[tuple[str, str]], Rendered | None, list[Problem]]
"""A body rendered: the links it resolved, the result, or the problems found instead."""


@dataclass(frozen=True)
class _Built:
    """A site as build_site made it, with what it needs to redo a body."""

    config: SiteConfig
    visibility: Visibility
    data: DataSet
    sources: list[SourcePage]
    site: Site
    links: Callable[[Page], _LinkResolver]


class SiteCache:
    """What earlier builds of one session (`sitegen serve`) made of the pages.

    A page's body is rendered again only when its text changed or one of its page
    links now leads elsewhere; when no page appeared, went or moved (same files, same
    slugs, translation keys, drafts and dates of publication, same config), no page
    is placed again either. Only valid for one config and one `now`.
    """

    def __init__(self, texts: TextFile | None = None) -> None:
        self._bodies: dict[str, _Body] = {}
        """By page (a data file makes many pages)."""
        self._last: _Built | None = None
        self.texts = texts
        """Where the bodies' HTML is kept (the build cache), instead of in memory."""

    def known_body(self, page: Page, resolver: LinkResolver, phase: str | None) -> Rendered | None:
        """The page's body as an earlier build rendered it, if still right."""
        known = self._bodies.get(page.id)
        if (
            known
            and known[2] == phase
            and _same_body(known[0], page.source)
            and _same_links(known[1], resolver)
        ):
            return known[3]
        return None

    def store_body(
        self, page: Page, links: list[tuple[str, str]], phase: str | None, rendered: Rendered
    ) -> Rendered:
        """Remember a body just rendered; returns it, its HTML in `texts` if given."""
        if self.texts is not None and isinstance(rendered.html, str):
            rendered = replace(rendered, html=self.texts.add(rendered.html))
        self._bodies[page.id] = (page.source, links, phase, rendered)
        return rendered

    def stored_size(self) -> int:
        """How many bytes of `texts` the bodies remembered use."""
        return sum(
            body[3].html.length
            for body in self._bodies.values()
            if isinstance(body[3].html, StoredText)
        )

    def body(
        self,
        page: Page,
        resolver: LinkResolver,
        phase: str | None,
        render: Callable[[LinkResolver], Rendered],
    ) -> Rendered:
        if page.source.body == "":  # a page made from data
            return NO_BODY
        known = self.known_body(page, resolver, phase)
        if known is not None:
            return known
        links, rendered, problems = _render_noting_links(render, resolver)
        raise_if_any(problems)
        assert rendered is not None
        return self.store_body(page, links, phase, rendered)

    def __getstate__(self) -> dict[str, object]:
        """Pickled (the build cache), it keeps the bodies: the last site is only valid
        for the `now` it was made for."""
        return {"_bodies": self._bodies, "_last": None, "texts": self.texts}

    def remember(self, built: _Built) -> None:
        self._last = built

    def with_new_sources(
        self,
        config: SiteConfig,
        sources: list[SourcePage],
        data: DataSet,
        visibility: Visibility,
        render: Callable[[Page, LinkResolver], Rendered],
        paginates: Paginates,
    ) -> Site | None:
        """The last site with the pages whose source changed made again (bodies
        rendered again where they changed), when no page appeared, went or moved;
        else None. Long listings are split again (a feed's edit may change them)."""
        last = self._last
        if (
            last is None
            or len(sources) != len(last.sources)
            or visibility != last.visibility
            or config != last.config
        ):
            return None
        changed = {}
        for new, old in zip(sources, last.sources, strict=True):
            if new is not old:
                if _placed_by(new) != _placed_by(old):
                    return None
                changed[id(old)] = new
        pages = [page for page in last.site.pages if page.number == 1]
        problems: list[Problem] = []
        for index, page in enumerate(pages):
            source = changed.get(id(page.source))
            if source is None:
                continue
            moved = replace(page, source=source)
            try:
                phase = _phase(config, visibility)
                rendered = self.body(moved, last.links(page), phase, partial(render, moved))
            except SiteError as error:
                problems.extend(error.problems)
                continue
            pages[index] = _with_body(moved, rendered)
        raise_if_any(problems)
        site = _site(config, visibility, data, pages, paginates)
        self._last = replace(last, sources=sources, data=data, site=site)
        return site


def _phase(config: SiteConfig, visibility: Visibility) -> str | None:
    return config.campaign.phase_at(visibility.now) if config.campaign else None


def _render_noting_links(
    render: Callable[[LinkResolver], Rendered], resolver: LinkResolver
) -> _Rendering:
    """Render a body, noting each page link it resolved; problems are returned, not
    raised, so that a body rendered in another process brings them back as values."""
    links: list[tuple[str, str]] = []

    def resolve(written: str) -> str:
        url = resolver(written)
        links.append((written, url))
        return url

    try:
        return links, render(resolve), []
    except SiteError as error:
        return links, None, list(error.problems)


def _placed_by(source: SourcePage) -> tuple[object, ...]:
    """What decides whether and where a page is placed, and what it is a translation
    of (with the config and the build's visibility)."""
    return (
        source.path,
        source.key,
        source.lang,
        source.slug,
        source.translation_key,
        source.draft,
        source.publish,
        source.expires,
    )


def _same_body(known: SourcePage, source: SourcePage) -> bool:
    return known.body == source.body and known.body_line == source.body_line


def _same_links(links: list[tuple[str, str]], resolver: LinkResolver) -> bool:
    try:
        return all(resolver(written) == url for written, url in links)
    except LinkError:
        return False


def build_site(
    config: SiteConfig,
    sources: list[SourcePage],
    data: DataSet,
    visibility: Visibility,
    markdown: MarkdownRenderer,
    cache: SiteCache | None = None,
    jobs: int = 1,
    progress: Progress = NO_PROGRESS,
    paginates: Paginates = never,
) -> Site:
    """Place every visible page, link translations and resolve page links, and split
    the listings of layouts that show a pager (`paginates`) into pages; the bodies
    are rendered by up to `jobs` processes.

    Raises SiteError with every problem found: URL clashes, translation clashes,
    links to missing pages.
    """

    def render(page: Page, resolve: LinkResolver) -> Rendered:
        source = page.source
        return markdown.render(
            source.markdown(),
            path=source.path,
            first_line=source.body_line,
            resolve_link=resolve,
            campaign=config.campaign,
            now=visibility.now,
        )

    if cache is not None:
        reused = cache.with_new_sources(config, sources, data, visibility, render, paginates)
        if reused is not None:
            return reused
    hidden = {page.path: reason for page in sources if (reason := visibility.why_hidden(page))}
    visible = [page for page in sources if page.path not in hidden]
    problems = _translation_clashes(config, visible)
    raise_if_any(problems)
    placements = _Placements(config, visible)
    placed = [placements.place(page, page.lang) for page in visible]
    missing = missing_translations(config, visible)
    if config.missing_translation == "error":
        raise_if_any([_missing_problem(config, source, lang) for source, lang in missing])
    if config.missing_translation == "fallback":
        placed.extend(placements.place(source, lang) for source, lang in missing)
    problems = _clashes(config, placed)
    raise_if_any(problems)
    by_source = {p.source.path: p for p in placed if not p.is_fallback}
    by_group_lang = {(p.group, p.lang): p for p in placed}

    def links(page: Page) -> _LinkResolver:
        return _LinkResolver(config, page, by_source, by_group_lang, hidden)

    phase = _phase(config, visibility)
    bodies: list[Rendered | None] = [
        NO_BODY
        if page.source.body == ""  # a page made from data: nothing to render or keep
        else cache.known_body(page, links(page), phase)
        if cache is not None
        else None
        for page in placed
    ]
    unrendered = [index for index, body in enumerate(bodies) if body is None]

    def render_body(index: int) -> _Rendering:
        page = placed[unrendered[index]]
        return _render_noting_links(partial(render, page), links(page))

    progress.stage("markdown", len(unrendered), "page bodies")
    renderings = map_in_processes(render_body, len(unrendered), jobs)
    for index, (found, rendered, body_problems) in zip(unrendered, renderings, strict=True):
        progress.advance()
        problems.extend(body_problems)
        if rendered is not None and cache is not None:
            rendered = cache.store_body(placed[index], found, phase, rendered)
        bodies[index] = rendered
    pages = [
        _with_body(page, body)
        for page, body in zip(placed, bodies, strict=True)
        if body is not None
    ]
    raise_if_any(problems)
    site = _site(config, visibility, data, pages, paginates)
    if cache is not None:
        cache.remember(_Built(config, visibility, data, sources, site, links))
    return site


def _with_body(page: Page, body: Rendered) -> Page:
    return replace(
        page, content=body.html, toc=body.toc, components=body.components, images=body.images
    )


def _site(
    config: SiteConfig,
    visibility: Visibility,
    data: DataSet,
    pages: list[Page],
    paginates: Paginates,
) -> Site:
    """The site of these pages, with the further pages of their long listings."""
    pages = with_pager_pages(config, data, pages, visibility.now, paginates)
    raise_if_any(_clashes(config, pages))
    pages.sort(key=lambda page: (page.url, page.lang))
    return Site(config=config, now=visibility.now, pages=tuple(pages), data=data)


class _Placements:
    """Decides URLs. A folder's segment is the slug of its index page in that language,
    so `content/merchants/lumen.fr.md` lands at /fr/marchands/lumen/ when
    `merchants/index.fr.md` says `slug: marchands`."""

    def __init__(self, config: SiteConfig, sources: list[SourcePage]) -> None:
        self.config = config
        self.folder_slugs = {
            (_folder(source), source.lang): source.slug
            for source in sources
            if _name(source) == INDEX and source.slug
        }

    def place(self, source: SourcePage, lang: str) -> Page:
        """The page (in `lang`'s part of the site) with its URL decided, body not rendered."""
        name = _name(source)
        folder = _folder(source)
        if name == INDEX:
            kind = HOME if not folder else SECTION
            listed_in = None if kind == HOME else _parent_folder(folder)
            segments = self._folder_segments(folder, lang)
            if source.slug and segments:
                segments[-1] = source.slug
        else:
            kind = PAGE
            listed_in = folder
            segments = [*self._folder_segments(folder, lang), source.slug or name]
        path = "/".join([lang, *segments])
        return Page(
            source=source,
            lang=lang,
            kind=kind,
            url=f"{self.config.base_path}{path}/",
            output_path=f"{path}/index.html",
            group=translation_group(source),
            folder=folder,
            listed_in=listed_in,
        )

    def _folder_segments(self, folder: str, lang: str) -> list[str]:
        if not folder:
            return []
        parts = folder.split("/")
        return [
            self.folder_slugs.get(("/".join(parts[: depth + 1]), lang)) or part
            for depth, part in enumerate(parts)
        ]


def _name(source: SourcePage) -> str:
    """The file's name without language and extension: 'lumen', 'index'."""
    return source.key.rpartition("/")[2]


def _folder(source: SourcePage) -> str:
    """The folder a page lives in, or, for an index page, the folder it stands for
    (source keys are POSIX paths without '.' or '..' parts)."""
    return source.key.rpartition("/")[0]


def translation_group(source: SourcePage) -> str:
    """Pages of one group are translations of each other."""
    return source.translation_key or source.key


def missing_translations(
    config: SiteConfig, sources: list[SourcePage]
) -> list[tuple[SourcePage, str]]:
    """(the version to show, language without its own) for every untranslated page.

    The version shown is the default language's, or the first language that has one.
    """
    groups: dict[str, dict[str, SourcePage]] = {}
    for source in sources:
        groups.setdefault(translation_group(source), {})[source.lang] = source
    missing: list[tuple[SourcePage, str]] = []
    for versions in groups.values():
        order = (config.default_language, *config.language_codes)
        shown = next(versions[code] for code in order if code in versions)
        missing.extend((shown, code) for code in config.language_codes if code not in versions)
    return missing


def _missing_problem(config: SiteConfig, source: SourcePage, lang: str) -> Problem:
    name = config.language(lang).name
    return Problem(
        source.path,
        None,
        f"this page has no {name} ('{lang}') version",
        hint=f"write {_relative(translated_file(source, lang), config)}, "
        "or set 'missing_translation: fallback' or 'omit' in site.yaml",
    )


def translated_file(source: SourcePage, lang: str) -> Path:
    """The file that would hold `source` in `lang`: content/join.fr.md → content/join.en.md."""
    return source.path.with_name(f"{_name(source)}.{lang}.md")


def _parent_folder(folder: str) -> str:
    return folder.rpartition("/")[0]


def _clashes(config: SiteConfig, placed: list[Page]) -> list[Problem]:
    """Two pages on one URL. Real pages come first in `placed`, so a fallback that lands
    on a real page is reported at the real page; two fallbacks only clash when their
    originals do, which is reported already."""
    first_at: dict[str, Page] = {}
    problems = []
    for page in placed:
        other = first_at.setdefault(page.output_path, page)
        if other is not page and not (page.is_fallback and other.is_fallback):
            problems.append(
                Problem(
                    page.source.path,
                    page.source.line_of("slug") if page.source.slug else None,
                    f"this page and {_relative(other.source.path, config)} "
                    f"would both be written to {page.url}",
                    hint="give one of them another 'slug' or file name",
                )
            )
    return problems


def alias_problems(site: Site, written: Collection[str]) -> list[Problem]:
    """Aliases whose redirect page would replace a page, another alias, or another file
    of the output (`written`: the root page, 404 pages, feeds, static files...), or
    would need a folder where the output has a file, or the reverse."""
    problems = []
    files = set(written)
    folders = {parent for path in files for parent in _parents(path)}
    first_at: dict[str, Redirect] = {}
    for redirect in site.redirects:
        source = redirect.page.source
        path, output = redirect.path, redirect.output_path
        page = site.page_by_id(output)
        other = first_at.setdefault(output, redirect)
        in_the_way = next((parent for parent in _parents(output) if parent in files), None)
        hint = "an alias is an old address that no page has any more"
        if page is not None:
            whose = (
                "this page"
                if page.source is source
                else f"the page {_relative(page.source.path, site.config)}"
            )
            message = f"the alias '{path}' is the address of {whose}"
        elif other is not redirect:
            where = (
                f"line {other.line}"
                if other.page.source is source
                else f"{_relative(other.page.source.path, site.config)}:{other.line}"
            )
            message = f"the alias '{path}' is already an alias ({where})"
            hint = "an old address can lead to one page only"
        elif output in files:
            message = f"the alias '{path}' would replace {output}, which the build writes"
        elif in_the_way is not None:
            message = (
                f"the alias '{path}' would need a folder {in_the_way}/ "
                "where the build writes a file"
            )
        elif output in folders:
            message = f"the alias '{path}' would replace the folder {output}/ of the output"
        else:
            files.add(output)
            folders.update(_parents(output))
            continue
        problems.append(Problem(source.path, redirect.line, message, hint=hint))
    return problems


def _parents(path: str) -> list[str]:
    """'fr/old/index.html' → ['fr', 'fr/old']."""
    parts = path.split("/")
    return ["/".join(parts[:depth]) for depth in range(1, len(parts))]


def _translation_clashes(config: SiteConfig, sources: list[SourcePage]) -> list[Problem]:
    first_at: dict[tuple[str, str], SourcePage] = {}
    problems = []
    for source in sources:
        other = first_at.setdefault((translation_group(source), source.lang), source)
        if other is not source:
            problems.append(
                Problem(
                    source.path,
                    source.line_of("translation_key"),
                    f"this page and {_relative(other.path, config)} are both "
                    f"the '{source.lang}' version of '{translation_group(source)}'",
                    hint="each page may have one translation per language; check translation_key",
                )
            )
    return problems


def _relative(path: Path, config: SiteConfig) -> str:
    return path.relative_to(config.root).as_posix()


class _LinkResolver:
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
            raise LinkError(f"the link '{written}' points outside content/")
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
                    f"the link '{written}' points to a page that {self.hidden[candidate]}",
                    "publish that page, or build with --drafts / --future to preview",
                )
        return f"the link '{written}' points to a page that does not exist", None


def _normalize(path: PurePosixPath) -> PurePosixPath | None:
    parts: list[str] = []
    for part in path.parts:
        if part in ("/", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return PurePosixPath(*parts)
