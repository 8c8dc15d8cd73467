"""The one place that runs the pipeline: config → pages + data → model → render → output.

Everything is loaded and checked before anything is written; pages are then
rendered into a staging folder that replaces the output only when the whole
site rendered without a problem.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sitegen.config import SiteConfig, load_config
from sitegen.content import load_pages
from sitegen.data import load_data
from sitegen.datapages import data_page_sources
from sitegen.errors import Problem, SiteError, raise_if_any
from sitegen.feeds import check_feeds
from sitegen.markdown import MarkdownRenderer
from sitegen.model import Site, Visibility, build_site
from sitegen.output import StagedOutput, check_output_folder
from sitegen.render import Renderer
from sitegen.themes import ThemeChain, load_theme_chain
from sitegen.timeutil import as_instant

DEFAULT_OUTPUT = "output"


@dataclass(frozen=True)
class BuildOptions:
    site_root: Path
    output: Path | None = None
    drafts: bool = False
    future: bool = False
    now: dt.datetime | None = None
    """The instant to build for; naive means in the site's time zone. None: the clock."""


@dataclass(frozen=True)
class BuildResult:
    output: Path
    pages_per_language: dict[str, int]
    fallbacks_per_language: dict[str, int]
    """How many of those pages show another language's text, for want of a translation."""
    files_written: int
    seconds: float
    now: dt.datetime


def build(options: BuildOptions) -> BuildResult:
    """Build the site; raises SiteError (with every problem found) and leaves output as it was."""
    started = time.perf_counter()
    site_root = options.site_root
    config = load_config(site_root)
    output = options.output if options.output is not None else site_root / DEFAULT_OUTPUT
    check_output_folder(output, site_root)
    now = as_instant(options.now or dt.datetime.now(dt.UTC), config.timezone)
    site, renderer = prepare(config, options, now)
    with StagedOutput(output) as staged:
        problems: list[Problem] = []
        for page in site.pages:
            try:
                staged.write(page.output_path, renderer.render_page(page))
            except SiteError as error:
                problems.extend(error.problems)
        if problems:
            raise SiteError(_unique(problems))
        staged.write("index.html", renderer.render_root())
        for relative, source in sorted(renderer.static_files.items()):
            if staged.has(relative):
                problems.append(
                    Problem(source, None, f"this static file would overwrite the page /{relative}")
                )
            else:
                staged.copy(relative, source)
        if problems:
            raise SiteError(problems)
        files_written = staged.files_written
        staged.commit()
    counts = Counter(page.lang for page in site.pages)
    fallbacks = Counter(page.lang for page in site.pages if page.is_fallback)
    return BuildResult(
        output=output,
        pages_per_language={code: counts[code] for code in config.language_codes},
        fallbacks_per_language={code: fallbacks[code] for code in config.language_codes},
        files_written=files_written,
        seconds=time.perf_counter() - started,
        now=now,
    )


def prepare(config: SiteConfig, options: BuildOptions, now: dt.datetime) -> tuple[Site, Renderer]:
    """Load and check everything a render needs; raises SiteError with all problems."""
    problems: list[Problem] = []
    sources, data, chain = [], None, None
    try:
        sources = load_pages(config)
    except SiteError as error:
        problems.extend(error.problems)
    try:
        data = load_data(config)
        sources += data_page_sources(config, data)
    except SiteError as error:
        problems.extend(error.problems)
    try:
        chain = load_theme_chain(config)
    except SiteError as error:
        problems.extend(error.problems)
    if problems or data is None or chain is None:
        raise SiteError(problems)
    markdown = MarkdownRenderer()
    visibility = Visibility(now=now, drafts=options.drafts, future=options.future)
    site = build_site(config, sources, data, visibility, markdown)
    static = static_files(chain)
    raise_if_any(check_feeds(config, data, static))
    renderer = Renderer(site, chain, markdown, static)
    renderer.check_templates()
    return site, renderer


def static_files(chain: ThemeChain) -> dict[str, Path]:
    """Every static file by its output path; the site's own win over the themes'."""
    files: dict[str, Path] = {}
    for folder in reversed(chain.static_dirs):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                files[path.relative_to(folder).as_posix()] = path
    return files


def _unique(problems: list[Problem]) -> list[Problem]:
    """One template mistake breaks every page using it: report it once."""
    seen: dict[tuple[object, ...], Problem] = {}
    for problem in problems:
        seen.setdefault((problem.path, problem.line, problem.column), problem)
    return list(seen.values())
