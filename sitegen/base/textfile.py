"""Long texts kept in a file rather than in memory: the rendered bodies of a build
that uses the build cache (sitegen.building.buildcache).

A `TextFile` only grows: each text is appended once and named by a `StoredText`
(where it is, how long, and a digest of its bytes), which is small to keep and to
pickle and is read back only when a page shows it. A text read back whose bytes no
longer match its digest (the file damaged, truncated or replaced) raises
`DamagedText`: the cache that pointed at it is not to be trusted.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

DIGEST_SIZE = 16


class DamagedText(Exception):
    """A stored text is missing or is not what was stored."""


class TextFile:
    """An append-only file of UTF-8 texts. Writes go straight to the file, so a
    process forked afterwards reads everything added before."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = 0
        self._fd: int | None = None
        self._failed = False

    def add(self, text: str) -> StoredText | str:
        """The text, stored; or the text itself when the file cannot be written (a
        read-only site, a full disk): then it stays in memory."""
        if self._failed:
            return text
        data = text.encode("utf-8")
        try:
            if self._fd is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
                self.size = os.fstat(self._fd).st_size
            written = 0
            while written < len(data):
                written += os.write(self._fd, data[written:])
        except OSError:
            self._failed = True  # a part may have been written: nothing more is added
            return text
        offset = self.size
        self.size += len(data)
        return StoredText(str(self.path), offset, len(data), digest(data))

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __getstate__(self) -> dict[str, object]:
        """Pickled (the cache's state), it names its file; whoever loads it appends."""
        return {"path": self.path, "size": 0, "_fd": None, "_failed": False}


class StoredText:
    """A text of a TextFile. Equal to another when their bytes are (by digest)."""

    __slots__ = ("digest", "length", "offset", "path")

    def __init__(self, path: str, offset: int, length: int, digest: bytes) -> None:
        self.path = path
        self.offset = offset
        self.length = length
        self.digest = digest

    def __str__(self) -> str:
        data = os.pread(_reader(self.path), self.length, self.offset) if self.length else b""
        if len(data) != self.length or digest(data) != self.digest:
            raise DamagedText(f"{self.path}: the text at {self.offset} is not what was stored")
        return data.decode("utf-8")

    def __html__(self) -> str:
        """Already HTML (markupsafe): shown as it is."""
        return str(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StoredText):
            return NotImplemented
        return self.length == other.length and self.digest == other.digest

    def __hash__(self) -> int:
        return hash(self.digest)

    def __getstate__(self) -> tuple[str, int, int, bytes]:
        return (self.path, self.offset, self.length, self.digest)

    def __setstate__(self, state: tuple[str, int, int, bytes]) -> None:
        self.path, self.offset, self.length, self.digest = state


_readers: dict[str, int] = {}
"""An open descriptor per file read (os.pread does not move it, so processes forked
from this one share it safely); the oldest are closed past MAX_READERS."""
MAX_READERS = 8


def _reader(path: str) -> int:
    fd = _readers.get(path)
    if fd is None:
        if len(_readers) >= MAX_READERS:
            os.close(_readers.pop(next(iter(_readers))))
        try:
            fd = _readers[path] = os.open(path, os.O_RDONLY)
        except OSError as exc:
            raise DamagedText(f"{path}: {exc.strerror}") from None
    return fd


def digest(data: bytes) -> bytes:
    """A short digest of some bytes, to tell whether they are still the same."""
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).digest()
