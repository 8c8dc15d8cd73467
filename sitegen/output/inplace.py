"""Writing the built site into the output folder itself, file by file, through a
journal (`journal`): for a build of a large site after a small change.
"""

from __future__ import annotations

import contextlib
from pathlib import Path, PurePosixPath

from sitegen.output.journal import (
    apply_journal,
    finish_interrupted_update,
    journal_path,
    write_journal,
)
from sitegen.output.manifest import digest, manifest_files
from sitegen.output.staged import StagedOutput
from sitegen.output.writing import writing_into


class InPlaceOutput(StagedOutput):
    """The output folder brought up to date file by file: for a build of a large site
    after a small change, where making a whole new folder (a link per file, then the
    old folder removed) would cost more than the build. The build cache must have
    checked that the folder is as the last build left it.

    New and changed files are written to the staging folder; files with the bytes the
    output already has are not touched. `commit` lists the moves and removals in a
    journal beside the output, then makes them, each file replaced in one step. A build
    killed while moving leaves the journal; the next build into the folder finishes the
    moves before anything else. Until then each file is whole, some old, some new.
    A failed build changes nothing, as with StagedOutput."""

    def __init__(self, output: Path, locked: bool = False) -> None:
        super().__init__(output, locked)
        self._previous = manifest_files(self.output)
        """The digest of each file of the output as it is."""

    @property
    def files_written(self) -> int:
        """Only new and changed files are written."""
        return len(self._staged)

    def store(self, relative: PurePosixPath | str, content: bytes) -> object:
        known = digest(content)
        if self._previous.get(str(relative)) == known:
            return known, False
        self._stage(relative, content)
        return known, True

    def keep(self, relative: PurePosixPath | str) -> None:
        known = self._previous.get(str(relative))
        if known is None:
            with writing_into(self.output):
                known = digest((self.output / relative).read_bytes())
        self._files[str(relative)] = known

    def commit(self) -> tuple[str, ...]:
        """Move the new files in and remove those gone; returns the paths changed."""
        removed = sorted(set(self._previous) - set(self._files))
        journal = {
            "staging": str(self.folder),
            "moves": sorted(self._staged),
            "removals": removed,
            "files": dict(sorted(self._files.items())),
        }
        with writing_into(self.output):
            write_journal(self.output, journal)
            apply_journal(self.output, journal)
        return (*journal["moves"], *removed)

    def __exit__(self, *exc_info: object) -> None:
        """Ctrl-C while the files were moved in ends as UpdateFinished once `discard`
        has finished the moves: the output is the new site, not the previous one."""
        error = exc_info[1]
        moving = journal_path(self.output).exists()
        self.discard()
        finished = moving and not journal_path(self.output).exists()
        if finished and isinstance(error, KeyboardInterrupt):
            raise UpdateFinished from error

    def discard(self) -> None:
        """Once the journal is written the update is decided: an apply stopped by an
        exception (Ctrl-C) is finished here, or by the next build if even that fails;
        the staging folder it moves from is kept until then."""
        if journal_path(self.output).exists():
            with contextlib.suppress(OSError):
                finish_interrupted_update(self.output)
        if journal_path(self.output).exists():
            self._unlock()
        else:
            super().discard()


class UpdateFinished(KeyboardInterrupt):
    """Ctrl-C came while an in-place update moved the new files in; the moves were
    finished: the output holds the new site."""
