"""The output of `sitegen serve`: a folder brought up to date in place after each build."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from sitegen.output.manifest import digest, write_manifest
from sitegen.output.writing import remove_from, replace_in


class LiveOutput:
    """A folder brought up to date in place after each build (`sitegen serve`'s):
    changed files are replaced one by one, atomically, files gone are removed, and
    files whose bytes did not change are not touched."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.files: dict[str, str] = {}
        """Digest of every file of the last committed build, by path."""

    def update(self) -> LiveUpdate:
        return LiveUpdate(self)


class LiveUpdate:
    """One build's changes to a LiveOutput, held until `commit` (a failed build
    changes nothing)."""

    def __init__(self, live: LiveOutput) -> None:
        self.live = live
        self._pending: dict[str, bytes | Path] = {}
        self._kept: set[str] = set()

    def __enter__(self) -> LiveUpdate:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.discard()

    @property
    def files_written(self) -> int:
        return len(self._pending)

    def write(self, relative: PurePosixPath | str, content: bytes) -> None:
        self._pending[str(relative)] = content

    def store(self, relative: PurePosixPath | str, content: bytes) -> object:
        """Nothing is written before `commit`: the bytes go back to `record`."""
        return content

    def record(self, relative: PurePosixPath | str, stored: object) -> None:
        assert isinstance(stored, bytes)
        self.write(relative, stored)

    def copy(self, relative: PurePosixPath | str, source: Path) -> None:
        self._pending[str(relative)] = source

    def keep(self, relative: PurePosixPath | str) -> None:
        if str(relative) not in self.live.files:
            raise ValueError(f"cannot keep {relative}: the last build did not write it")
        self._kept.add(str(relative))

    def has(self, relative: PurePosixPath | str) -> bool:
        return str(relative) in self._pending or str(relative) in self._kept

    def commit(self) -> tuple[str, ...]:
        """Apply the build; returns the paths whose bytes changed, appeared or went."""
        folder = self.live.folder
        previous = self.live.files
        files = {relative: previous[relative] for relative in self._kept}
        changed = []
        for relative, pending in sorted(self._pending.items()):
            content = pending.read_bytes() if isinstance(pending, Path) else pending
            files[relative] = known = digest(content)
            if previous.get(relative) != known:
                replace_in(folder, relative, content)
                changed.append(relative)
        for relative in sorted(set(previous) - set(files)):
            remove_from(folder, relative)
            changed.append(relative)
        write_manifest(folder, files)
        self.live.files = files
        self.discard()
        return tuple(changed)

    def discard(self) -> None:
        self._pending.clear()
        self._kept.clear()
