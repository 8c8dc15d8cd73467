"""The build itself: load and check everything (`preparation`), render what changed
into a staging folder (or the output in place), write the generated and static files,
remember what was read. `Builder`
keeps what it learnt from one build to the next (`sitegen serve` keeps one for its
session; `sitegen build` keeps its memory in the build cache).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sitegen.base.dependencies import Dependencies, Fingerprints, Key
from sitegen.base.errors import Problem, SiteError, raise_if_any
from sitegen.base.messages import N_
from sitegen.base.parallel import ITEMS_PER_JOB, map_in_processes
from sitegen.base.progress import NO_PROGRESS, Progress
from sitegen.base.textfile import DamagedText, TextFile
from sitegen.base.timeutil import FileStamp, as_instant
from sitegen.building.buildcache import (
    BuildCache,
    Index,
    Stamps,
    Window,
    collector_paused,
    outputs_unchanged,
    restamped,
    settled,
)
from sitegen.building.buildcontract import (
    BuildOptions,
    BuildResult,
    BuiltPage,
    OutputTarget,
    source_date,
)
from sitegen.building.preparation import Caches, prepare
from sitegen.building.renderedfiles import rendered_files
from sitegen.model.placing import SiteCache
from sitegen.output.inplace import InPlaceOutput
from sitegen.output.manifest import MANIFEST
from sitegen.output.staged import StagedOutput
from sitegen.rendering.assets import (
    AssetProblem,
    minifier_loaded,
    minify_html,
)
from sitegen.rendering.renderer import Renderer
from sitegen.rendering.templateapi import GeneratingInput, ImageInput
from sitegen.rendering.viewinputs import Clock, Passed
from sitegen.settings.config import SiteConfig, load_config
from sitegen.settings.themes import ThemeChain
from sitegen.sources.content import SourceCache, SourcePage


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
    remembered = cache.state()
    memory = remembered if isinstance(remembered, _Memory) else None  # else another's
    if memory is not None and cache.mostly_stale(memory.pages):
        memory = None  # start again, in a new file of bodies
    intact = memory is not None and outputs_unchanged(output, memory.outputs)
    try:
        builder, result = _build_remembering(options, config, output, cache, memory, intact)
    except DamagedText:  # a body the state names is not on disk as stored
        memory, intact = None, False
        builder, result = _build_remembering(options, config, output, cache, memory, intact)
    cache.forget()
    # In place, only the files changed have new stamps; else every file is new.
    kept = memory.outputs if memory is not None and intact else {}
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
    memory: _Memory | None,
    intact: bool,
) -> tuple[Builder, BuildResult]:
    """A build that starts from what the cache remembers (`memory`), into the output
    in place when it is `intact` (as the last build left it)."""
    texts = memory.pages.texts if memory is not None else None
    builder = Builder(options, texts or cache.new_texts())
    if memory is not None:
        builder.remember(memory, intact)
    target = InPlaceOutput(output, locked=True) if intact else StagedOutput(output, locked=True)
    with target:
        return builder, builder.build(target, output, config)


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
        self._caches = Caches.for_site(options.site_root, texts, options.cache)
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
        self._caches.templates.compiled = memory.templates
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
        fixed_time = source_date(self.options.source_date_epoch)
        if config != self._config:
            self._caches = Caches.for_site(config.root, self.texts, self.options.cache)
            self._dependencies = Dependencies()
            self._static, self._generated = {}, set()
        progress = self.options.progress
        progress.stage(N_("loading"), unit=N_("content files"))
        site, renderer = prepare(
            config, self.options, now, self._caches, fixed_time, progress.advance
        )
        if renderer.chain != self._chain:
            self._dependencies = Dependencies()
        fingerprints = Fingerprints(renderer.fingerprint)
        known = self._dependencies.inputs
        outdated = self._dependencies.outdated(fingerprints)
        rendered: dict[str, set[Key]] = {}
        problems: list[Problem] = []
        outputs = list(rendered_files(site, renderer))
        present = {relative for relative, _ in outputs}
        progress.stage(N_("rendering"), len(outputs), N_("outputs"))
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
            progress.stage(N_("copying"), len(renderer.static_files), N_("static files"))
            static = self._copy_static(target, renderer.static_files, progress)
            files_written = target.files_written
            progress.stage(N_("writing"), unit=N_("files written"))
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
            pages=tuple(
                BuiltPage(page.output_path, page.url, page.lang, page.versions_key)
                for page in site.pages
            ),
            notes=site.data.notes,
        )

    def _write_generated(self, target: OutputTarget, renderer: Renderer) -> set[str]:
        """Write the files under _assets/ that the site's outputs link to; a name carries
        a hash of the content, so one written by the last build is kept as it is.

        The image variants come first: resizing one takes tens of milliseconds, and a
        catalogue's first build makes them on every core, which it can only do before
        publishing an asset loads the minifier in this process (see `_jobs`)."""
        keys = self._dependencies.keys_read(GeneratingInput)
        images = [key for key in keys if isinstance(key, ImageInput)]
        others = [key for key in keys if not isinstance(key, ImageInput)]
        written: set[str] = set()
        # An image variant is worth a process of its own; a published asset is made
        # already (its name is the hash of its content) and only written.
        for group, items_per_job in ((images, 1), (others, ITEMS_PER_JOB)):
            try:
                files = renderer.api.generated_files(group)
            except AssetProblem as exc:
                raise SiteError([exc.problem]) from None
            self._write_missing(target, files, items_per_job)
            written.update(files)
        return written

    def _write_missing(
        self, target: OutputTarget, files: dict[str, Callable[[], bytes]], items_per_job: int
    ) -> None:
        """Write the `files` the last build did not write (made in processes, see
        `map_in_processes`); keep the others."""
        missing = []
        for relative in sorted(files):
            if relative in self._generated:
                target.keep(relative)
            else:
                missing.append(relative)
        made = map_in_processes(
            lambda index: files[missing[index]](), len(missing), self._jobs(), items_per_job
        )
        for relative, content in zip(missing, made, strict=True):
            target.write(relative, content)

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


def _unique(problems: list[Problem]) -> list[Problem]:
    """One template mistake breaks every page using it: report it once."""
    seen: dict[tuple[object, ...], Problem] = {}
    for problem in problems:
        seen.setdefault((problem.path, problem.line, problem.column), problem)
    return list(seen.values())
