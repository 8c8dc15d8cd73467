"""Watching a site's files for `sitegen serve`: every change seen, bursts made one.

The operating system reports changes (inotify on Linux, through watchdog): files
written, created, deleted and renamed, including an editor's write-to-a-temporary-
file-then-rename. A burst of them (saving several files, a `git checkout`) is
handed on once it has been quiet for a moment.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from sitegen.base.atomicfiles import TEMPORARY_SUFFIX

QUIET_SECONDS = 0.02
"""How long no change must be seen before a burst is handed on."""
LONGEST_WAIT_SECONDS = 0.5
"""A burst that never goes quiet is handed on after this long anyway."""

_IGNORED_EVENTS = {"opened", "closed_no_write"}
# Files editors and tools write beside the real ones; they never are site inputs.
_EDITOR_FILE_ENDINGS = ("~", ".swp", ".swx", ".swo", ".tmp", TEMPORARY_SUFFIX)
_EDITOR_FILE_STARTS = (".#", ".~")


def is_editor_file(name: str) -> bool:
    """Vim's and Emacs's swap, backup and lock files, and Vim's write test file."""
    return (
        name.endswith(_EDITOR_FILE_ENDINGS)
        or name.startswith(_EDITOR_FILE_STARTS)
        or (name == "4913")
    )


class Watcher:
    """Calls `on_change()` as soon as a relevant file changes, and `on_settled(paths)`
    (on the watcher's own thread) once a burst of changes is over."""

    def __init__(
        self,
        folders: Iterable[Path],
        relevant: Callable[[Path], bool],
        on_change: Callable[[], None],
        on_settled: Callable[[set[Path]], None],
    ) -> None:
        self._folders = sorted({folder.resolve() for folder in folders if folder.is_dir()})
        self._relevant = relevant
        self._on_change = on_change
        self._on_settled = on_settled
        self._observer = Observer()
        self._lock = threading.Condition()
        self._changed: set[Path] = set()
        self._first_at = 0.0
        self._last_at = 0.0
        self._stopped = False
        self._thread = threading.Thread(target=self._hand_on, name="sitegen-watch", daemon=True)

    def start(self) -> None:
        handler = _Events(self._seen)
        for folder in self._folders:
            self._observer.schedule(handler, str(folder), recursive=True)
        self._observer.start()
        self._thread.start()

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._lock.notify_all()
        self._observer.stop()
        self._observer.join(timeout=5)
        self._thread.join(timeout=5)

    def _seen(self, paths: list[Path]) -> None:
        relevant = [
            path for path in paths if not is_editor_file(path.name) and self._relevant(path)
        ]
        if not relevant:
            return
        self._on_change()
        with self._lock:
            now = time.monotonic()
            if not self._changed:
                self._first_at = now
            self._last_at = now
            self._changed.update(relevant)
            self._lock.notify_all()

    def _hand_on(self) -> None:
        while True:
            with self._lock:
                while not self._changed and not self._stopped:
                    self._lock.wait()
                while not self._stopped:
                    now = time.monotonic()
                    ready_at = min(
                        self._last_at + QUIET_SECONDS, self._first_at + LONGEST_WAIT_SECONDS
                    )
                    if now >= ready_at:
                        break
                    self._lock.wait(ready_at - now)
                if self._stopped:
                    return
                changed, self._changed = self._changed, set()
            self._on_settled(changed)


class _Events(FileSystemEventHandler):
    def __init__(self, seen: Callable[[list[Path]], None]) -> None:
        self._seen = seen

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in _IGNORED_EVENTS or (
            event.is_directory and event.event_type == "modified"  # a file in it changed
        ):
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        self._seen([Path(_text(path)) for path in paths if path])


def _text(path: str | bytes) -> str:
    return path.decode() if isinstance(path, bytes) else path
