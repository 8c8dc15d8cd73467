"""Making the site: every visible page placed in every language (URLs decided,
translations linked, long listings split into pages), page links resolved, bodies
rendered; and what a session keeps of it for the next build (`SiteCache`). Nothing
here knows about templates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from sitegen.base.errors import Problem, SiteError, raise_if_any
from sitegen.base.messages import N_
from sitegen.base.parallel import map_in_processes
from sitegen.base.progress import NO_PROGRESS, Progress
from sitegen.base.textfile import StoredText, TextFile
from sitegen.model.clashes import url_clashes
from sitegen.model.pagelinks import PageLinkResolver
from sitegen.model.paging import Paginates, never, with_pager_pages
from sitegen.model.site import HOME, INDEX, PAGE, SECTION, Page, Site, Visibility
from sitegen.model.translations import (
    missing_translation_problem,
    missing_translations,
    translation_clashes,
    translation_group,
)
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
    links: Callable[[Page], PageLinkResolver]


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
    problems = translation_clashes(config, visible)
    raise_if_any(problems)
    placements = _Placements(config, visible)
    placed = [placements.place(page, page.lang) for page in visible]
    missing = missing_translations(config, visible)
    if config.missing_translation == "error":
        raise_if_any(
            [missing_translation_problem(config, source, lang) for source, lang in missing]
        )
    if config.missing_translation == "fallback":
        placed.extend(placements.place(source, lang) for source, lang in missing)
    problems = url_clashes(config, placed)
    raise_if_any(problems)
    by_source = {p.source.path: p for p in placed if not p.is_fallback}
    by_group_lang = {(p.group, p.lang): p for p in placed}

    def links(page: Page) -> PageLinkResolver:
        return PageLinkResolver(config, page, by_source, by_group_lang, hidden)

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

    progress.stage(N_("markdown"), len(unrendered), N_("page bodies"))
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
    raise_if_any(url_clashes(config, pages))
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
            if source.name == INDEX and source.slug
        }

    def place(self, source: SourcePage, lang: str) -> Page:
        """The page (in `lang`'s part of the site) with its URL decided, body not rendered."""
        name = source.name
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


def _folder(source: SourcePage) -> str:
    """The folder a page lives in, or, for an index page, the folder it stands for
    (source keys are POSIX paths without '.' or '..' parts)."""
    return source.key.rpartition("/")[0]


def _parent_folder(folder: str) -> str:
    return folder.rpartition("/")[0]
