"""The one place that runs the pipeline: config → pages + data → model → render → output.

Everything is loaded and checked before anything is written; pages are then
rendered into a staging folder that replaces the output only when the whole
site rendered without a problem.

A build with the cache first asks whether anything changed since the last one (its
inputs' and outputs' stamps, the time window it was made in); only when something
did are the modules that make and render pages loaded (sitegen.building.builder): a build
with nothing to do costs the start-up of Python and a `stat` of each file.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace
from pathlib import Path

from sitegen.base.errors import SiteError
from sitegen.base.timeutil import as_instant
from sitegen.building.buildcache import (
    BuildCache,
    Index,
    Stamps,
    collector_paused,
    input_stamps,
    outputs_unchanged,
)
from sitegen.building.buildcontract import DEFAULT_OUTPUT, BuildOptions, BuildResult
from sitegen.output.lock import held_lock
from sitegen.output.manifest import check_output_folder
from sitegen.output.staged import StagedOutput
from sitegen.settings.config import SiteConfig, load_config
from sitegen.settings.themes import ThemeChain, load_theme_chain


def build(options: BuildOptions) -> BuildResult:
    """Build the site; raises SiteError (with every problem found) and leaves output as it was."""
    started = time.perf_counter()
    config = load_config(options.site_root)
    output = options.output if options.output is not None else options.site_root / DEFAULT_OUTPUT
    check_output_folder(output, options.site_root)
    now = as_instant(options.now or dt.datetime.now(dt.UTC), config.timezone)
    options = replace(options, now=now)  # one instant for the cache's checks and the build
    with collector_paused():  # resumed here, it would walk every object the build made
        if not options.cache:
            from sitegen.building.builder import Builder

            with StagedOutput(output) as staged:
                return Builder(options).build(staged, output, config)
        with held_lock(output):
            return _cached_build(options, config, output, now, started)


def _cached_build(
    options: BuildOptions, config: SiteConfig, output: Path, now: dt.datetime, started: float
) -> BuildResult:
    """`build` with the build cache, under the output's lock."""
    cache = BuildCache(options.site_root, _asked(options, output))
    index = cache.index(config)
    inputs = input_stamps(config, _theme_chain(config))  # before reading any of them
    if index is not None and _up_to_date(index, inputs, output, now):
        return replace(
            index.summary,
            files_written=0,
            rendered=(),
            changed=(),
            seconds=time.perf_counter() - started,
            now=now,
            up_to_date=True,
        )
    from sitegen.building.builder import build_with_cache  # only now: see the module's docstring

    return build_with_cache(options, config, output, now, cache, inputs)


def _asked(options: BuildOptions, output: Path) -> dict[str, object]:
    """What a cache is valid for, beyond the config: the options that change the output."""
    return {
        "output": str(output.resolve()),
        "drafts": options.drafts,
        "future": options.future,
        "optimize": options.optimize,
        "source_date_epoch": options.source_date_epoch,
    }


def _theme_chain(config: SiteConfig) -> ThemeChain | None:
    try:
        return load_theme_chain(config)
    except SiteError:
        return None  # the build reports it


def _up_to_date(index: Index, inputs: Stamps, output: Path, now: dt.datetime) -> bool:
    """Whether the output is what a build would make now: no input changed, the output
    was not touched, no page appears or goes and the campaign is in the same phase at
    `now`, and no page shows the clock itself unless built at the same instant."""
    return (
        index.clock in (None, now)
        and index.window.holds(now)
        and index.inputs == inputs
        and outputs_unchanged(output, index.outputs)
    )
