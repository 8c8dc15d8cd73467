"""What a build is asked for (`BuildOptions`), where it writes (`OutputTarget`) and
what it reports (`BuildResult`): what the commands and the build share, light enough
to import before knowing whether there is anything to build."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Protocol

from sitegen.base.errors import Problem, SiteError
from sitegen.base.messages import _
from sitegen.base.progress import NO_PROGRESS, Progress
from sitegen.base.timeutil import epoch_instant

DEFAULT_OUTPUT = "output"


@dataclass(frozen=True)
class BuildOptions:
    site_root: Path
    output: Path | None = None
    drafts: bool = False
    future: bool = False
    now: dt.datetime | None = None
    """The instant to build for; naive means in the site's time zone. None: the clock."""
    source_date_epoch: str | None = field(default_factory=lambda: environment_source_date())
    """The time written where no content gives one (a feed without dated pages), in
    seconds since 1970 (reproducible-builds.org); by default the environment's
    SOURCE_DATE_EPOCH. None or empty: the build's `now`."""
    optimize: bool = True
    """Publish for visitors: minified pages, and `asset()` files minified under names
    that carry a hash of their content. `sitegen serve` turns it off: live reload swaps
    a stylesheet by its name, and unminified pages are easier to inspect."""
    cache: bool = False
    """Keep what the build learnt in the site's .sitegen-cache/build/ and start from
    what the last build kept there (sitegen.building.buildcache), and keep the site's
    own templates compiled in .sitegen-cache/templates-*/: `sitegen build` does, unless
    given --no-cache. Image variants are cached either way."""
    jobs: int = 1
    """How many processes render pages (sitegen.base.parallel); the output is the same
    whatever the number. `sitegen build` asks for one per core."""
    progress: Progress = field(default=NO_PROGRESS, compare=False, repr=False)
    """What the build shows while it runs (sitegen.base.progress); by default nothing. It
    is not part of what is built: options that differ only by it are equal."""


@dataclass(frozen=True)
class BuiltPage:
    """A page the build wrote, as a command that looks at the built site needs to know
    it (`sitegen review` shows each page in every language on one row)."""

    output_path: str
    """Its file in the output folder: 'fr/produits/index.html'."""
    url: str
    """Site-absolute, with the base path: '/fr/produits/'."""
    lang: str
    versions_key: tuple[str, int]
    """Shared by the page's versions in every language (its translations and the
    fallbacks shown for want of one): the model's `Page.versions_key`."""


@dataclass(frozen=True)
class BuildResult:
    output: Path
    pages_per_language: dict[str, int]
    fallbacks_per_language: dict[str, int]
    """How many of those pages show another language's text, for want of a translation."""
    files_written: int
    rendered: tuple[str, ...]
    """Outputs rendered by this build (the others had not changed since the last)."""
    changed: tuple[str, ...]
    """Files of the output whose bytes changed, appeared or went."""
    seconds: float
    now: dt.datetime
    sources: dict[str, Path] = field(default_factory=dict)
    """The source file (Markdown page or data feed) of each page, by its output path."""
    pages: tuple[BuiltPage, ...] = ()
    """Every page of the site in every language, in the site's order (the root page,
    the 404 pages and the redirects of aliases aside)."""
    up_to_date: bool = False
    """Nothing changed since the last build (the cache says so): nothing was done."""
    notes: tuple[Problem, ...] = ()
    """What a user should know of how the sources were read, though nothing was wrong
    (a CSV file read as Windows-1252): commands print them with the summary."""


class OutputTarget(Protocol):
    """Where a build writes: a StagedOutput (sitegen build) or a LiveUpdate (sitegen serve)."""

    @property
    def files_written(self) -> int: ...
    def write(self, relative: PurePosixPath | str, content: bytes) -> None: ...
    def store(self, relative: PurePosixPath | str, content: bytes) -> object: ...
    def record(self, relative: PurePosixPath | str, stored: object) -> None: ...
    def copy(self, relative: PurePosixPath | str, source: Path) -> None: ...
    def keep(self, relative: PurePosixPath | str) -> None: ...
    def has(self, relative: PurePosixPath | str) -> bool: ...
    def commit(self) -> tuple[str, ...]: ...


def environment_source_date() -> str | None:
    """SOURCE_DATE_EPOCH as the environment sets it (reproducible-builds.org): the one
    place sitegen reads it. `source_date` says what instant it names."""
    return os.environ.get("SOURCE_DATE_EPOCH")


def source_date(source_date_epoch: str | None) -> dt.datetime | None:
    """The instant SOURCE_DATE_EPOCH names, None when unset; SiteError when not a number."""
    if source_date_epoch is None or not source_date_epoch.strip():
        return None
    try:
        return epoch_instant(source_date_epoch)
    except ValueError:
        raise SiteError(
            [
                Problem(
                    None,
                    None,
                    _("SOURCE_DATE_EPOCH=%(value)s is not a number of seconds")
                    % {"value": repr(source_date_epoch)},
                    hint=_("set it to a Unix time such as 1762819200, or unset it"),
                )
            ]
        ) from None
