"""The build itself: load and check everything, place the pages, render what changed
into a staging folder (or the output in place), remember what was read. `Builder`
keeps what it learnt from one build to the next (`sitegen serve` keeps one for its
session; `sitegen build` keeps its memory in the build cache).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from sitegen.base.dependencies import Dependencies, Fingerprints, Key
from sitegen.base.errors import Problem, SiteError, raise_if_any
from sitegen.base.parallel import map_in_processes
from sitegen.base.progress import NO_PROGRESS, Progress
from sitegen.base.texts import DamagedText, TextFile
from sitegen.base.timeutil import FileStamp, as_instant
from sitegen.building.buildcache import (
    CACHE_DIR,
    BuildCache,
    Index,
    Stamps,
    Window,
    collector_paused,
    installed_templates_folder,
    outputs_unchanged,
    restamped,
    settled,
)
from sitegen.building.buildcontract import BuildOptions, BuildResult, OutputTarget, source_date
from sitegen.model.markdownimages import page_folder_images
from sitegen.model.placing import SiteCache, alias_problems, build_site
from sitegen.model.site import Site, Visibility
from sitegen.output.inplace import InPlaceOutput
from sitegen.output.manifest import MANIFEST
from sitegen.output.staged import StagedOutput
from sitegen.rendering.assets import (
    ASSETS_FOLDER,
    AssetProblem,
    Assets,
    minifier_loaded,
    minify_html,
)
from sitegen.rendering.environments import TemplateCache
from sitegen.rendering.images import Images
from sitegen.rendering.pagers import PagerLayouts
from sitegen.rendering.publishing import (
    FEED_FILE,
    HEADERS_FILE,
    HOST_FILES,
    REDIRECTS_FILE,
    ROBOTS_FILE,
    SITEMAP_FILE,
)
from sitegen.rendering.renderer import NOT_FOUND_PAGE, Renderer
from sitegen.rendering.templateapi import GeneratingInput
from sitegen.rendering.views import Clock, Passed
from sitegen.settings.config import SiteConfig, load_config
from sitegen.settings.themes import ThemeChain, load_theme_chain
from sitegen.sources.content import SourceCache, SourcePage, front_matter_problems, load_pages
from sitegen.sources.data import DataSet, data_stamps, load_data
from sitegen.sources.datapages import data_page_sources
from sitegen.sources.feeds import FIELDS, check_feeds
from sitegen.sources.markdown import MarkdownRenderer
from sitegen.sources.sitefiles import files_below

DEFAULT_OUTPUT = "output"
IMAGE_CACHE_DIR = "images"


def build_with_cache(
    options: BuildOptions,
    config: SiteConfig,
    output: Path,
    now: dt.datetime,
    cache: BuildCache,
    inputs: Stamps,
) -> BuildResult:
    """A build that starts from what the build cache remembers and leaves what it
    learnt there, under the output's lock (sitegen.building.pipeline found something to do)."""
    memory = cache.state()
    if isinstance(memory, _Memory) and cache.mostly_stale(memory.pages):
        memory = None  # start again, in a new file of bodies
    intact = isinstance(memory, _Memory) and outputs_unchanged(output, memory.outputs)
    try:
        builder, result = _build_remembering(options, config, output, cache, memory, intact)
    except DamagedText:  # a body the state names is not on disk as stored
        memory, intact = None, False
        builder, result = _build_remembering(options, config, output, cache, memory, intact)
    cache.forget()
    # In place, only the files changed have new stamps; else every file is new.
    kept = memory.outputs if isinstance(memory, _Memory) and intact else {}
    outputs = restamped(kept, output, [*result.changed, MANIFEST])
    index = None
    if settled(inputs):  # else a change in the same tick as the last read could hide
        instants = [key.at for key in builder.dependencies.keys_read(Passed)]
        window = Window.around(now, builder.sources(), config.campaign, instants)
        clock = now if builder.dependencies.keys_read(Clock) else None
        index = Index(config, inputs, outputs, window, clock, result)
    cache.save(index, builder.memory(outputs), builder.texts)
    return result


def _build_remembering(
    options: BuildOptions,
    config: SiteConfig,
    output: Path,
    cache: BuildCache,
    memory: object,
    intact: bool,
) -> tuple[Builder, BuildResult]:
    """A build that starts from what the cache remembers (`memory`, when it is a
    Builder's), into the output in place when it is `intact` (as the last build left it)."""
    texts = memory.pages.texts if isinstance(memory, _Memory) else None
    builder = Builder(options, texts or cache.new_texts())
    if isinstance(memory, _Memory):
        builder.remember(memory, intact)
    target = InPlaceOutput(output, locked=True) if intact else StagedOutput(output, locked=True)
    with target:
        return builder, builder.build(target, output, config)


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
class _Caches:
    """What a Builder keeps from one build to the next; valid for one config only."""

    images: Images
    feeds: _Feeds = field(default_factory=_Feeds)
    sources: SourceCache = field(default_factory=SourceCache)
    pages: SiteCache = field(default_factory=SiteCache)
    templates: TemplateCache = field(default_factory=TemplateCache)
    assets: Assets = field(default_factory=Assets)

    @classmethod
    def for_site(cls, root: Path, texts: TextFile | None = None) -> _Caches:
        """`texts`: where rendered bodies are kept (else in memory)."""
        return cls(
            images=Images(root / CACHE_DIR / IMAGE_CACHE_DIR),
            pages=SiteCache(texts),
            templates=TemplateCache(installed=installed_templates_folder()),
        )


@dataclass(frozen=True)
class _Memory:
    """What a Builder knows after a build, as the build cache keeps it."""

    config: SiteConfig
    chain: ThemeChain | None
    sources: SourceCache
    pages: SiteCache
    dependencies: Dependencies
    static: dict[str, tuple[Path, FileStamp]]
    generated: set[str]
    outputs: Stamps
    """The stamp of each file of the output after the build (changed since: the
    output is not trusted)."""
    templates: dict[str, bytes]
    """The compiled templates (TemplateCache.compiled)."""


class Builder:
    """Builds one site again and again, rendering only the outputs whose inputs changed.

    Each output's inputs (its source, every template of its chain, the data, catalogs,
    pages and listings it read) are recorded while it renders; the next build renders
    it again only if one of them now differs. `sitegen build` uses a fresh Builder, so
    everything renders; `sitegen serve` keeps one for the session. Either way the files
    written are exactly those of a clean build. `now` stays the same for the Builder's
    life (the clock when it was made, unless the options give one).
    """

    def __init__(self, options: BuildOptions, texts: TextFile | None = None) -> None:
        """`texts`: a file to keep rendered bodies in, instead of memory (the build cache)."""
        self.options = options
        self._clock = dt.datetime.now(dt.UTC)
        self._caches = _Caches.for_site(options.site_root, texts)
        self._config: SiteConfig | None = None
        self._chain: ThemeChain | None = None
        self._dependencies = Dependencies()
        self._static: dict[str, tuple[Path, FileStamp]] = {}
        self._generated: set[str] = set()

    @property
    def texts(self) -> TextFile | None:
        """Where this Builder keeps the bodies it rendered (the build cache's file)."""
        return self._caches.pages.texts

    @property
    def dependencies(self) -> Dependencies:
        return self._dependencies

    def sources(self) -> list[SourcePage]:
        """The content pages read by the last build."""
        return self._caches.sources.pages()

    def memory(self, outputs: Stamps) -> _Memory:
        """What this Builder knows, for the build cache; `outputs`: the stamps of the
        output it built."""
        return _Memory(
            self._config or load_config(self.options.site_root),
            self._chain,
            self._caches.sources,
            self._caches.pages,
            self._dependencies,
            self._static,
            self._generated,
            outputs,
            self._caches.templates.compiled,
        )

    def remember(self, memory: _Memory, output_intact: bool) -> None:
        """Start from what an earlier Builder knew (the build cache). What was read and
        rendered is kept; what was written only when the output is still as it was
        left (`output_intact`), since outputs found unchanged are kept from there."""
        self._caches.sources = memory.sources
        self._caches.pages = memory.pages
        self._caches.templates = TemplateCache(memory.templates, installed_templates_folder())
        self._config, self._chain = memory.config, memory.chain
        if output_intact:
            self._dependencies = memory.dependencies
            self._static, self._generated = memory.static, memory.generated

    def build(
        self, target: OutputTarget, output: Path, config: SiteConfig | None = None
    ) -> BuildResult:
        """Build into `target` and commit it; raises SiteError (with every problem found),
        leaving the target uncommitted."""
        started = time.perf_counter()
        config = config or load_config(self.options.site_root)
        progress = self.options.progress
        try:
            with collector_paused():  # a build makes many objects and frees few
                result = self._build(target, output, config, started)
        except BaseException:
            progress.done(completed=False)
            raise
        progress.done()
        return result

    def _build(
        self, target: OutputTarget, output: Path, config: SiteConfig, started: float
    ) -> BuildResult:
        now = as_instant(self.options.now or self._clock, config.timezone)
        stamp = source_date(self.options.source_date_epoch)
        if config != self._config:
            self._caches = _Caches.for_site(config.root, self.texts)
            self._dependencies = Dependencies()
            self._static, self._generated = {}, set()
        progress = self.options.progress
        progress.stage("loading", unit="content files")
        site, renderer = prepare(config, self.options, now, self._caches, stamp, progress.advance)
        if renderer.chain != self._chain:
            self._dependencies = Dependencies()
        fingerprints = Fingerprints(renderer.fingerprint)
        known = self._dependencies.inputs
        outdated = self._dependencies.outdated(fingerprints)
        rendered: dict[str, set[Key]] = {}
        problems: list[Problem] = []
        outputs = list(_outputs(site, renderer))
        present = {relative for relative, _ in outputs}
        progress.stage("rendering", len(outputs), "outputs")
        due = []
        for relative, render in outputs:
            if relative in known and relative not in outdated:
                target.keep(relative)
                progress.advance()
            else:
                due.append((relative, render))
        optimize = self.options.optimize

        def render_due(index: int) -> _Rendered:
            relative, render = due[index]
            try:
                with renderer.recorder.frame() as keys:
                    content = render()
            except SiteError as error:
                return None, keys, list(error.problems)
            if optimize and relative.endswith(".html"):
                content = minify_html(content)
            return target.store(relative, content), keys, []

        for (relative, _), (stored, keys, found) in zip(
            due, map_in_processes(render_due, len(due), self._jobs()), strict=True
        ):
            progress.advance()
            problems.extend(found)
            if stored is not None:
                target.record(relative, stored)
                rendered[relative] = keys
                for key in keys:  # now, while the other processes render
                    fingerprints(key)
        if problems:
            raise SiteError(_unique(problems))
        self._dependencies.update(rendered, present, fingerprints)
        try:
            generated = self._write_generated(target, renderer)
            progress.stage("copying", len(renderer.static_files), "static files")
            static = self._copy_static(target, renderer.static_files, progress)
            files_written = target.files_written
            progress.stage("writing", unit="files written")
            changed = target.commit()
            progress.advance(files_written)
        except BaseException:
            self._dependencies = Dependencies()  # not committed: render everything next time
            raise
        self._config, self._chain = config, renderer.chain
        self._static, self._generated = static, generated
        counts = Counter(page.lang for page in site.pages)
        fallbacks = Counter(page.lang for page in site.pages if page.is_fallback)
        return BuildResult(
            output=output,
            pages_per_language={code: counts[code] for code in config.language_codes},
            fallbacks_per_language={code: fallbacks[code] for code in config.language_codes},
            files_written=files_written,
            rendered=tuple(rendered),
            changed=changed,
            seconds=time.perf_counter() - started,
            now=now,
            sources={page.id: page.source.path for page in site.pages},
            notes=site.data.notes,
        )

    def _write_generated(self, target: OutputTarget, renderer: Renderer) -> set[str]:
        """Write the files under _assets/ that the site's outputs link to; a name carries
        a hash of the content, so one written by the last build is kept as it is."""
        keys = self._dependencies.keys_read(GeneratingInput)
        try:
            files = renderer.api.generated_files(keys)
        except AssetProblem as exc:
            raise SiteError([exc.problem]) from None
        missing = []
        for relative in sorted(files):
            if relative in self._generated:
                target.keep(relative)
            else:
                missing.append(relative)
        # Resizing an image takes tens of milliseconds: a catalogue's first build makes
        # its variants on every core.
        made = map_in_processes(lambda index: files[missing[index]](), len(missing), self._jobs())
        for relative, content in zip(missing, made, strict=True):
            target.write(relative, content)
        return set(files)

    def _jobs(self) -> int:
        """The processes to work in. The minifier is a Go library, whose runtime does
        not survive a fork once it is loaded: after this process used it (a second
        build in one process), the work is done here."""
        return 1 if self.options.optimize and minifier_loaded() else self.options.jobs

    def _copy_static(
        self, target: OutputTarget, files: dict[str, Path], progress: Progress = NO_PROGRESS
    ) -> dict[str, tuple[Path, FileStamp]]:
        """Copy the static files that changed; raises SiteError if one would replace a page."""
        problems = []
        copied = {}
        for relative, source in sorted(files.items()):
            if target.has(relative):
                problems.append(
                    Problem(source, None, f"this static file would overwrite the page /{relative}")
                )
                continue
            copied[relative] = known = (source, FileStamp.of(source))
            if self._static.get(relative) == known and known[1].settled():
                target.keep(relative)
            else:
                target.copy(relative, source)
            progress.advance()
        raise_if_any(problems)
        return copied


_Rendered = tuple[object | None, set[Key], list[Problem]]
"""An output rendered and stored (OutputTarget.store) with the inputs it read, or the
problems found instead."""


def _outputs(site: Site, renderer: Renderer) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """Every file rendered from templates, by its path in the output."""
    yield from _site_outputs(site, renderer)
    for redirect in site.redirects:
        yield redirect.output_path, partial(renderer.render_alias, redirect)


def _site_outputs(site: Site, renderer: Renderer) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """The outputs that are not redirect pages of aliases (which may not replace them)."""
    for page in site.pages:
        yield page.id, partial(renderer.render_page, page)
    yield "index.html", renderer.render_root
    config = site.config
    for lang in config.language_codes:
        yield f"{lang}/{NOT_FOUND_PAGE}", partial(renderer.render_not_found, lang)
    yield NOT_FOUND_PAGE, partial(renderer.render_not_found, config.default_language)
    yield SITEMAP_FILE, renderer.render_sitemap
    for lang in config.language_codes:
        yield f"{lang}/{FEED_FILE}", partial(renderer.render_feed, lang)
    host_files = {
        ROBOTS_FILE: renderer.render_robots,
        REDIRECTS_FILE: renderer.render_redirects,
        HEADERS_FILE: renderer.render_headers,
    }
    for name in HOST_FILES:
        if name not in renderer.static_files:  # the site's own wins
            yield name, host_files[name]


def prepare(
    config: SiteConfig,
    options: BuildOptions,
    now: dt.datetime,
    caches: _Caches | None = None,
    stamp: dt.datetime | None = None,
    advance: Callable[[int], None] | None = None,
) -> tuple[Site, Renderer]:
    """Load and check everything a render needs; raises SiteError with all problems.
    `advance(1)` is called after each content file read."""
    caches = caches or _Caches.for_site(config.root)
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
        site, chain, markdown, published, caches.templates, stamp, assets, caches.images
    )
    renderer.check_templates()
    if site.redirects:
        written = {relative for relative, _ in _site_outputs(site, renderer)} | set(published)
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
            f"{ASSETS_FOLDER}/ is where sitegen writes hashed assets",
            hint=f"move this file out of a folder named {ASSETS_FOLDER}",
        )
        for relative, source in sorted(static.items())
        if relative.split("/")[0] == ASSETS_FOLDER
    ]


def _unique(problems: list[Problem]) -> list[Problem]:
    """One template mistake breaks every page using it: report it once."""
    seen: dict[tuple[object, ...], Problem] = {}
    for problem in problems:
        seen.setdefault((problem.path, problem.line, problem.column), problem)
    return list(seen.values())
