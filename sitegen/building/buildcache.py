"""What `sitegen build` keeps in the site's `.sitegen-cache/build/` between runs, so
that a build after a small change does only that change's work, and a build after
no change does none.

Two files, each replaced whole (written beside, then renamed) and each opening with
a header line: the cache's format, the sitegen and Python versions, what was asked
of the build (drafts, future pages, minification, the output folder) and the
SHA-256 of the rest. A file whose header differs or whose bytes do not match their
checksum is ignored, never trusted; so is one made with another config.

- `index` (small): the stamp (size, times, inode) of every input file and of every
  output file, the span of time in which no page is published or expires and the
  campaign stays in one phase, and whether some output shows the clock itself (a
  countdown). When all of that still holds, the output is already what a build
  would make: there is nothing to do.
- `state`: the Builder's memory (pages read, bodies rendered, what each output read
  and the value of each of those inputs): a build after a change renders only the
  outputs whose inputs changed, as `sitegen serve` does between two saves.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import json
import os
import pickle
import secrets
import shutil
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from sitegen import __version__
from sitegen.base.atomicfiles import replace_file
from sitegen.base.layout import CONFIG_FILE, INPUT_FOLDERS
from sitegen.base.textfile import TextFile
from sitegen.base.timeutil import FileStamp
from sitegen.building.buildcontract import BuildResult

# Types only: a build that finds nothing to do reads the index without loading the
# modules that make and render pages (see sitegen.building.pipeline).
if TYPE_CHECKING:
    from sitegen.model.placing import SiteCache
    from sitegen.settings.campaign import Campaign
    from sitegen.settings.config import SiteConfig
    from sitegen.settings.themes import ThemeChain
    from sitegen.sources.content import SourcePage

CACHE_DIR = ".sitegen-cache"
"""What sitegen keeps in a site between builds; safe to delete (`sitegen clean`)."""
BUILD_CACHE_DIR = "build"
FORMAT = 3
"""Raised whenever what the files hold changes shape."""
INDEX_FILE = "index"
STATE_FILE = "state"
TEXTS_PREFIX = "bodies-"
STALE_TEXTS = 2
"""A file of bodies more than this many times the size of the bodies still used (plus
STALE_TEXTS_SLACK) is started again (by a build that renders every body)."""
STALE_TEXTS_SLACK = 1 << 20
"""Bytes of unused bodies always tolerated: a small site's file is never started
again for a handful of edits."""

Stamps = dict[str, FileStamp]


@dataclass(frozen=True)
class Window:
    """The instants between which nothing a page shows changes with time: no page is
    published or expires, the campaign stays in its phase. None: no such instant."""

    since: dt.datetime | None
    until: dt.datetime | None

    @classmethod
    def around(
        cls,
        now: dt.datetime,
        sources: Iterable[SourcePage],
        campaign: Campaign | None,
        read: Iterable[dt.datetime] = (),
    ) -> Window:
        """`read`: the instants outputs compared with `now` (`is past` in templates)."""
        instants = [
            instant
            for source in sources
            for instant in (source.publish, source.expires)
            if instant is not None
        ]
        instants += read
        if campaign is not None:
            instants += [instant for instant, _ in campaign.boundaries()]
        return cls(
            since=max((instant for instant in instants if instant <= now), default=None),
            until=min((instant for instant in instants if instant > now), default=None),
        )

    def holds(self, now: dt.datetime) -> bool:
        return (self.since is None or self.since <= now) and (
            self.until is None or now < self.until
        )


@dataclass(frozen=True)
class Index:
    """What the last build read and wrote, to tell that nothing changed since."""

    config: SiteConfig
    inputs: Stamps
    outputs: Stamps
    window: Window
    clock: dt.datetime | None
    """The build's `now` when some output shows it (a countdown): only a build at the
    same instant finds such a site up to date. None: no output shows it."""
    summary: BuildResult
    """What the build reported (its BuildResult), to report it again."""


class BuildCache:
    """The cache files of one site, for builds asked for with one set of options."""

    def __init__(self, site_root: Path, asked: dict[str, object]) -> None:
        self.folder = site_root / CACHE_DIR / BUILD_CACHE_DIR
        self.header = {
            "format": FORMAT,
            "sitegen": __version__,
            "code": installed_code_digest(),
            "python": sys.version,
            "asked": asked,
        }

    def index(self, config: SiteConfig) -> Index | None:
        index = self._read(INDEX_FILE)
        if not isinstance(index, Index) or index.config != config:
            return None
        return index

    def state(self) -> object | None:
        return self._read(STATE_FILE)

    def new_texts(self) -> TextFile:
        """A new file for rendered bodies, named so that no other build writes to it."""
        return TextFile(self.folder / f"{TEXTS_PREFIX}{os.getpid()}-{secrets.token_hex(8)}")

    def mostly_stale(self, pages: SiteCache) -> bool:
        """Whether the file of bodies these pages remember holds mostly bodies no
        longer used (each edit adds a body): time to start a new one."""
        if pages.texts is None:
            return False
        try:
            size = pages.texts.path.stat().st_size
        except OSError:
            return True
        return size > STALE_TEXTS * pages.stored_size() + STALE_TEXTS_SLACK

    def save(self, index: Index | None, state: object, texts: TextFile | None = None) -> None:
        """Write the state, and the index when given; a failure to write (a read-only
        site) only costs speed. Files of bodies other than `texts` (the state's) go."""
        if texts is not None:
            texts.close()
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            self._write(STATE_FILE, state)
            if index is not None:
                self._write(INDEX_FILE, index)
            for path in self.folder.glob(f"{TEXTS_PREFIX}*"):
                if texts is None or path != texts.path:
                    path.unlink(missing_ok=True)

    def forget(self) -> None:
        """Remove the index: the output no longer matches it (a failed build may have
        been interrupted half-way through writing the state)."""
        with contextlib.suppress(OSError):
            (self.folder / INDEX_FILE).unlink(missing_ok=True)

    def _read(self, name: str) -> object | None:
        """The object stored in a cache file, or None when the file is missing, from
        another version or format, asked for otherwise, or damaged."""
        try:
            with open(self.folder / name, "rb") as file:
                if json.loads(file.readline()) != self.header:
                    return None
                start = file.tell()
                end = file.seek(-CHECKSUM_LENGTH, os.SEEK_END)
                trailer = file.read()
                file.seek(start)
                if _checksum(file, end - start).encode("ascii") != trailer:
                    return None
                file.seek(start)
                with collector_paused():
                    value: object = pickle.load(file)
            return value
        except Exception:  # any damage means: not trusted; build without it
            return None

    def _write(self, name: str, value: object) -> None:
        """The header line, the pickle streamed (never whole in memory), then the
        SHA-256 of the pickle as the last 64 characters."""

        def write(file: BinaryIO) -> None:
            file.write(json.dumps(self.header).encode("utf-8") + b"\n")
            writer = _HashingWriter(file)
            with collector_paused():
                pickle.dump(value, writer, protocol=pickle.HIGHEST_PROTOCOL)
            file.write(writer.checksum.hexdigest().encode("ascii"))

        replace_file(self.folder / name, write)


CHUNK = 1 << 20
CHECKSUM_LENGTH = 64


def _checksum(file: BinaryIO, size: int) -> str:
    """The SHA-256 of the next `size` bytes of `file`, read a chunk at a time."""
    checksum = hashlib.sha256()
    while size > 0:
        chunk = file.read(min(CHUNK, size))
        if not chunk:
            break
        checksum.update(chunk)
        size -= len(chunk)
    return checksum.hexdigest()


class _HashingWriter:
    """A file that hashes what goes through it."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        self.checksum = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.checksum.update(data)
        return self.file.write(data)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """A build, or loading or saving its cache, makes or walks millions of objects and
    frees few: the garbage collector would walk them again and again for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def code_digest(package: Path = Path(__file__).parents[1]) -> str:
    """Which sitegen wrote a cache, more finely than its version: a changed module
    (an editable install being worked on) makes earlier caches unusable too. Made of
    the modules' bytes, not their times, so that a cache restored on a CI runner
    where the same sitegen was installed again is still used (about 1 ms)."""
    checksum = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        checksum.update(f"{path.relative_to(package).as_posix()}\0".encode())
        checksum.update(hashlib.sha256(path.read_bytes()).digest())
    return checksum.hexdigest()


@functools.cache
def installed_code_digest() -> str:
    """`code_digest` of the sitegen this process runs, read once (every build asks
    twice: the build cache's header and the compiled templates' folder). The modules
    are loaded already, so what was read first is what runs."""
    return code_digest()


INSTALLED_TEMPLATES_PREFIX = "templates-"


def installed_templates_folder() -> Path:
    """Where this installation of sitegen keeps its bundled themes' compiled templates:
    the user's cache ($XDG_CACHE_HOME, else ~/.cache), in a folder of this sitegen's
    code, so that another version never uses them."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(home) / "sitegen" / f"{INSTALLED_TEMPLATES_PREFIX}{installed_code_digest()[:16]}"


def site_templates_folder(site_root: Path) -> Path:
    """Where a site keeps its own templates compiled: its cache, in a folder of this
    sitegen's code (`sitegen clean` removes them with the rest)."""
    return site_root / CACHE_DIR / f"{INSTALLED_TEMPLATES_PREFIX}{installed_code_digest()[:16]}"


def clear_cache(site_root: Path) -> bool:
    """Remove the site's cache folder; False when there was none."""
    folder = site_root / CACHE_DIR
    if not folder.is_dir():
        return False
    shutil.rmtree(folder)
    return True


def input_stamps(config: SiteConfig, chain: ThemeChain | None = None) -> Stamps:
    """The stamp of every file a build of the site may read: site.yaml, content/, data/,
    the site's templates/, static/, i18n/ and themes/, and the folders of its themes
    wherever they are (the bundled one inside sitegen)."""
    root = config.root
    folders = [root / name for name in INPUT_FOLDERS]
    if chain is not None:
        folders += [theme.root for theme in chain.themes]
    stamps = {str(root / CONFIG_FILE): FileStamp.of(root / CONFIG_FILE)}
    seen: set[str] = set()
    for folder in folders:
        for path in _files(folder, seen):
            stamps[path] = FileStamp.of(path)
    return stamps


def outputs_unchanged(output: Path, stamps: Stamps) -> bool:
    """Whether the output folder is as `stamps` (from `restamped`) found it: each path
    stamped again by itself, without listing a folder. Folders are stamped too: a
    file changed by hand changes its own stamp, one added or removed its folder's."""
    if str(output) not in stamps:
        return False
    for path, stamp in stamps.items():
        try:
            if FileStamp.of_stat(os.stat(path, follow_symlinks=False)) != stamp:
                return False
        except OSError:
            return False
    return True


def restamped(stamps: Stamps, output: Path, relatives: Iterable[str]) -> Stamps:
    """`stamps` of an output folder after only `relatives` changed in it (or went),
    with the folders holding them; from no stamps, those of a folder written whole
    (sitegen writes no links there: one `stat` per file and folder)."""
    stamps = dict(stamps)
    paths = {str(output)}
    for relative in relatives:
        parts = relative.split("/")
        paths.update(os.path.join(output, *parts[:depth]) for depth in range(1, len(parts) + 1))
    for path in paths:
        try:
            stamps[path] = FileStamp.of_stat(os.stat(path, follow_symlinks=False))
        except FileNotFoundError:
            stamps.pop(path, None)
    return stamps


def _files(folder: Path, seen: set[str]) -> Iterator[str]:
    """Every file below `folder`, following links to folders once each."""
    for top, folders, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(top)
        if real in seen:
            folders.clear()
            continue
        seen.add(real)
        folders.sort()
        for name in sorted(files):
            yield os.path.join(top, name)


def settled(stamps: Stamps) -> bool:
    """Whether no file changed so recently that a next change could keep its stamp."""
    return all(stamp.settled() for stamp in stamps.values())
