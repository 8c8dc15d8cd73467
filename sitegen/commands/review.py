"""`sitegen review`: the site built at each phase of its campaign (or at the instants
given), every page shot in every language at a phone's and a laptop's width, and a
contact sheet to sign it off from.

The builds go to a temporary folder (never to `output/`, and without the build cache),
each served in turn on 127.0.0.1 and shot in Chromium with its clock at the build's
instant. The review folder is written like an output folder: staged beside it and
swapped in whole with a manifest, so a review that fails leaves the last one as it
was, and the next review may replace it. It holds:

```
index.html                          the contact sheet
shots/<moment>/<width>/<page>.png   each page whole, as wide as the window
thumbnails/<moment>/<width>/<page>.jpg
sites/<moment>/                     each build, where the sheet links the pages
```
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sitegen.base.progress import NO_PROGRESS, Progress
from sitegen.base.timeutil import as_instant
from sitegen.building.buildcontract import BuildOptions, BuildResult, BuiltPage
from sitegen.building.pipeline import build
from sitegen.commands.review_plan import (
    DEFAULT_REVIEW,
    DEFAULT_VIEWPORTS,
    Moment,
    Row,
    Viewport,
    moments,
    page_name,
    rows,
    selected,
)
from sitegen.commands.review_sheet import Cell, CellKey, Sheet, contact_sheet
from sitegen.commands.review_shots import (
    Camera,
    Window,
    default_browser,
    served,
    thumbnail,
    unsafe_browser,
)
from sitegen.output.manifest import check_output_folder
from sitegen.output.staged import StagedOutput
from sitegen.settings.config import SiteConfig, load_config

SHEET = "index.html"


class CannotReview(Exception):
    """A review asked for in a way it cannot be done (an unsafe browser, a --page that
    names no page): wrong command-line use."""


@dataclass(frozen=True)
class ReviewOptions:
    site_root: Path
    output: Path | None = None
    """The review folder; None: SITE/review."""
    at: tuple[dt.datetime, ...] = ()
    """The instants to build at (naive: in the site's time zone); none: one per phase."""
    pages: tuple[str, ...] = ()
    """URL patterns of the pages to shoot; none: every page."""
    viewports: tuple[Viewport, ...] = DEFAULT_VIEWPORTS
    browser: Path | None = None
    """The Chromium to run; None: Debian's when installed, else Playwright's."""
    drafts: bool = False
    future: bool = False
    jobs: int = 1
    progress: Progress = NO_PROGRESS


@dataclass(frozen=True)
class ReviewResult:
    sheet: Path
    moments: tuple[Moment, ...]
    pages: int
    """Rows of the sheet: pages, each in every language."""
    shots: int
    seconds: float


@dataclass(frozen=True)
class _Build:
    moment: Moment
    folder: Path
    result: BuildResult


def review(options: ReviewOptions) -> ReviewResult:
    """Build, shoot and write the sheet; raises SiteError (the site does not build, or
    the review folder may not be replaced), CannotReview or CannotShoot, and then
    leaves the review folder as it was."""
    started = time.perf_counter()
    output = options.output or options.site_root / DEFAULT_REVIEW
    executable = options.browser or default_browser()
    if executable is not None:
        folders = {"the site folder": options.site_root, "the review folder": output}
        reason = unsafe_browser(executable, folders)
        if reason is not None:
            raise CannotReview(f"refusing to run the browser {executable}: {reason}")
    config = load_config(options.site_root)
    check_output_folder(output, options.site_root)
    now = as_instant(dt.datetime.now(dt.UTC), config.timezone)
    planned = moments(
        config.campaign, now, [as_instant(instant, config.timezone) for instant in options.at]
    )
    progress = options.progress
    try:
        with (
            tempfile.TemporaryDirectory(prefix="sitegen-review-") as scratch,
            StagedOutput(output) as staged,
        ):
            builds = [_build(options, moment, Path(scratch) / moment.label) for moment in planned]
            chosen, unmatched = selected(
                rows((built.moment, built.result.pages) for built in builds), options.pages
            )
            if unmatched:
                raise CannotReview(f"no page matches --page {', '.join(unmatched)}")
            cells = _shoot(config, options, executable, builds, chosen, staged)
            sheet = Sheet(
                title=config.titles[config.default_language],
                languages=config.language_codes,
                moments=planned,
                viewports=options.viewports,
                rows=chosen,
                cells=cells,
            )
            staged.write(SHEET, contact_sheet(sheet).encode())
            _keep_builds(builds, staged, progress)
            staged.commit()
    except BaseException:
        progress.done(completed=False)
        raise
    progress.done()
    return ReviewResult(
        sheet=output / SHEET,
        moments=planned,
        pages=len(chosen),
        shots=len(cells),
        seconds=time.perf_counter() - started,
    )


def _build(options: ReviewOptions, moment: Moment, folder: Path) -> _Build:
    """The site as at the moment, built into `folder` without the build cache (the
    user's own builds keep theirs)."""
    options.progress.stage(f"building {moment.label}", unit="pages")
    result = build(
        BuildOptions(
            site_root=options.site_root,
            output=folder,
            drafts=options.drafts,
            future=options.future,
            now=moment.instant,
            jobs=options.jobs,
        )
    )
    options.progress.advance(len(result.pages))
    return _Build(moment, folder, result)


def _shoot(
    config: SiteConfig,
    options: ReviewOptions,
    executable: Path | None,
    builds: Sequence[_Build],
    chosen: Sequence[Row],
    staged: StagedOutput,
) -> dict[CellKey, Cell]:
    """Every chosen page of every build in every language at every size, written into
    the review; returns the sheet's cells."""
    wanted = {
        built.moment.label: [
            (lang, pages)
            for lang in config.language_codes
            if (pages := _pages_of(chosen, built.moment, lang))
        ]
        for built in builds
    }
    total = sum(len(pages) for found in wanted.values() for _, pages in found)
    total *= len(options.viewports)
    options.progress.stage("shooting", total, "screenshots")
    cells: dict[CellKey, Cell] = {}
    with Camera(executable) as camera:
        for built in builds:
            with served(built.folder, config.base_path) as origin:
                for lang, pages in wanted[built.moment.label]:
                    locale = config.language(lang).locale.replace("_", "-")
                    instant, zone = built.moment.instant, config.timezone.key
                    with camera.window(origin, instant, locale, zone) as window:
                        cells |= _take(window, built.moment, lang, pages, options, staged)
    return cells


def _take(
    window: Window,
    moment: Moment,
    lang: str,
    pages: Sequence[tuple[Row, BuiltPage]],
    options: ReviewOptions,
    staged: StagedOutput,
) -> dict[CellKey, Cell]:
    """Each page at each size, its shot and thumbnail written into the review."""
    cells: dict[CellKey, Cell] = {}
    for viewport in options.viewports:
        for row, page in pages:
            shot = window.shoot(page.url, viewport)
            name = f"{moment.label}/{viewport.name}/{page_name(page)}"
            small, size = thumbnail(shot.screen)
            staged.write(f"shots/{name}.png", shot.png)
            staged.write(f"thumbnails/{name}.jpg", small)
            cells[row.key, lang, moment.label, viewport.name] = Cell(
                image=f"shots/{name}.png",
                thumbnail=f"thumbnails/{name}.jpg",
                thumbnail_size=size,
                page_file=f"sites/{moment.label}/{page.output_path}",
                url=page.url,
                title=shot.title,
            )
            options.progress.advance()
    return cells


def _pages_of(chosen: Sequence[Row], moment: Moment, lang: str) -> list[tuple[Row, BuiltPage]]:
    """The chosen rows' pages in `lang` that the build at `moment` has."""
    return [
        (row, row.pages[moment.label, lang]) for row in chosen if (moment.label, lang) in row.pages
    ]


def _keep_builds(builds: Sequence[_Build], staged: StagedOutput, progress: Progress) -> None:
    """Each build into the review's sites/, where the sheet links its pages."""
    files = [
        (f"sites/{built.moment.label}/{path.relative_to(built.folder).as_posix()}", path)
        for built in builds
        for path in sorted(built.folder.rglob("*"))
        if path.is_file()
    ]
    progress.stage("copying", len(files), "files")
    for relative, path in files:
        staged.copy(relative, path)
        progress.advance()
