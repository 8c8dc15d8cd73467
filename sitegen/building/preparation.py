"""Loading and checking everything a render needs: the content files, the feeds and
the pages made from them, the theme chain, the static files; the pages placed and the
`Renderer` made. Every problem found on the way is reported at once. `Caches` is what
a `Builder` keeps of this from one build to the next."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.base.errors import Problem, SiteError, raise_if_any
from sitegen.base.messages import _
from sitegen.base.textfile import TextFile
from sitegen.base.timeutil import FileStamp
from sitegen.building.buildcache import (
    CACHE_DIR,
    installed_templates_folder,
    site_templates_folder,
)
from sitegen.building.buildcontract import BuildOptions
from sitegen.building.renderedfiles import rendered_files_but_redirects
from sitegen.model.clashes import alias_problems
from sitegen.model.markdownimages import page_folder_images
from sitegen.model.placing import SiteCache, build_site
from sitegen.model.site import Site, Visibility
from sitegen.rendering.assets import ASSETS_FOLDER, Assets
from sitegen.rendering.environments import TemplateCache
from sitegen.rendering.images import Images
from sitegen.rendering.pagers import PagerLayouts
from sitegen.rendering.renderer import Renderer
from sitegen.settings.config import SiteConfig
from sitegen.settings.themes import ThemeChain, load_theme_chain
from sitegen.sources.content import SourceCache, SourcePage, front_matter_problems, load_pages
from sitegen.sources.data import DataSet, data_stamps, load_data
from sitegen.sources.datapages import data_page_sources
from sitegen.sources.feedrules import FIELDS, check_feeds
from sitegen.sources.markdown import MarkdownRenderer
from sitegen.sources.sitefiles import files_below

IMAGE_CACHE_DIR = "images"


@dataclass
class _Feeds:
    """The feeds as the last build read them, with what was made of them: the pages
    made from data, and the feeds' problems (checked against the static files and the
    theme's fields in `checked_with`). Used again while no file of data/ changed (by its stamp): an
    edit of one page under `sitegen serve` does not read a catalogue again."""

    stamps: dict[str, FileStamp] = field(default_factory=dict)
    data: DataSet | None = None
    pages: list[SourcePage] = field(default_factory=list)
    page_problems: list[Problem] = field(default_factory=list)
    checked_with: tuple[frozenset[str], tuple[tuple[str, frozenset[str]], ...]] | None = None
    problems: list[Problem] = field(default_factory=list)

    def load(self, config: SiteConfig) -> tuple[DataSet, list[SourcePage], list[Problem]]:
        """The data set, its pages and the problems that kept some from being made;
        raises SiteError as load_data does."""
        stamps = data_stamps(config)
        if self.data is not None and stamps == self.stamps:
            return self.data, self.pages, self.page_problems
        self.data, self.checked_with = None, None
        data = load_data(config)
        pages, problems = data_page_sources(config, data)
        if all(stamp.settled() for stamp in stamps.values()):
            self.stamps, self.data, self.pages, self.page_problems = stamps, data, pages, problems
        return data, pages, problems

    def problems_of(
        self, config: SiteConfig, data: DataSet, static: dict[str, Path], chain: ThemeChain
    ) -> list[Problem]:
        """`check_feeds`, done again only for another data set, other static files or
        other fields read by the theme."""
        declared = {feed: chain.feed_fields(feed) for feed in FIELDS}
        fields = {feed: names for feed, names in declared.items() if names is not None}
        checked_with = (frozenset(static), tuple(sorted(fields.items())))
        if data is not self.data or checked_with != self.checked_with:
            self.problems = check_feeds(config, data, static, fields)
            self.checked_with = checked_with if data is self.data else None
        return self.problems


@dataclass
class Caches:
    """What a Builder keeps from one build to the next; valid for one config only."""

    images: Images
    feeds: _Feeds = field(default_factory=_Feeds)
    sources: SourceCache = field(default_factory=SourceCache)
    pages: SiteCache = field(default_factory=SiteCache)
    templates: TemplateCache = field(default_factory=TemplateCache)
    assets: Assets = field(default_factory=Assets)

    @classmethod
    def for_site(cls, root: Path, texts: TextFile | None = None, keep: bool = False) -> Caches:
        """`texts`: where rendered bodies are kept (else in memory); `keep`: whether the
        build keeps a cache in the site, where its own templates are kept compiled."""
        return cls(
            images=Images(root / CACHE_DIR / IMAGE_CACHE_DIR),
            pages=SiteCache(texts),
            templates=TemplateCache(
                installed=installed_templates_folder(),
                site=site_templates_folder(root) if keep else None,
            ),
        )


def prepare(
    config: SiteConfig,
    options: BuildOptions,
    now: dt.datetime,
    caches: Caches | None = None,
    fixed_time: dt.datetime | None = None,
    advance: Callable[[int], None] | None = None,
) -> tuple[Site, Renderer]:
    """Load and check everything a render needs; raises SiteError with all problems.
    `advance(1)` is called after each content file read."""
    caches = caches or Caches.for_site(config.root)
    problems: list[Problem] = []
    sources, data, chain = [], None, None
    try:
        sources = load_pages(config, caches.sources, advance, options.jobs)
    except SiteError as error:
        problems.extend(error.problems)
    try:
        data, data_pages, page_problems = caches.feeds.load(config)
        sources += data_pages
        problems += page_problems  # the feeds' rules are checked below all the same
    except SiteError as error:
        problems.extend(error.problems)
    try:
        chain = load_theme_chain(config)
    except SiteError as error:
        problems.extend(error.problems)
    static: dict[str, Path] = {}
    beside: list[Problem] = []  # problems that do not stop the pages being placed
    if chain is not None:
        static, beside = static_files(chain)
    if chain is not None:
        beside += front_matter_problems(sources, chain.front_matter_keys)
        if data is not None:
            beside += caches.feeds.problems_of(config, data, static, chain)
    if problems or data is None or chain is None:
        raise SiteError(problems + beside)
    markdown = MarkdownRenderer()
    visibility = Visibility(now=now, drafts=options.drafts, future=options.future)
    try:  # placing the pages finds more problems: all are reported in one go
        site = build_site(
            config,
            sources,
            data,
            visibility,
            markdown,
            caches.pages,
            options.jobs,
            options.progress,
            PagerLayouts(chain),
        )
    except SiteError as error:
        raise SiteError([*error.problems, *beside]) from None
    page_images, image_problems = page_folder_images(site.pages, config.root, static)
    raise_if_any(beside + image_problems + _reserved_static_problems(page_images))
    published = {**static, **page_images}  # the images of page folders too
    assets = caches.assets if options.optimize else None
    renderer = Renderer(
        site, chain, markdown, published, caches.templates, fixed_time, assets, caches.images
    )
    renderer.check_templates()
    if site.redirects:
        written = {
            relative for relative, _file in rendered_files_but_redirects(site, renderer)
        } | set(published)
        raise_if_any(alias_problems(site, written))
    return site, renderer


def static_files(chain: ThemeChain) -> tuple[dict[str, Path], list[Problem]]:
    """Every static file by its output path (the site's own win over the themes'), and
    the problems with them: links are followed only inside the site or theme the folder
    belongs to, and _assets/ is sitegen's."""
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    for folder in reversed(chain.static_dirs):
        found, outside = files_below(folder, folder.parent)
        problems += outside
        files.update((path.relative_to(folder).as_posix(), path) for path in found)
    return files, problems + _reserved_static_problems(files)


def _reserved_static_problems(static: dict[str, Path]) -> list[Problem]:
    """A static file under _assets/ would mix with the files sitegen names by hash."""
    return [
        Problem(
            source,
            None,
            _("%(folder)s/ is where sitegen writes hashed assets") % {"folder": ASSETS_FOLDER},
            hint=_("move this file out of a folder named %(folder)s") % {"folder": ASSETS_FOLDER},
        )
        for relative, source in sorted(static.items())
        if relative.split("/")[0] == ASSETS_FOLDER
    ]
