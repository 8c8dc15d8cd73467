"""Spreading a build's rendering over the machine's cores.

The work is done by processes forked once the site is loaded: each starts with the
whole site in its memory (shared with this process until written to), so nothing but
an index goes to a worker and only results come back. Results arrive in the order of
the work, whatever the number of processes, so a build writes the same bytes with one
job or many.

Each process is dealt a run of neighbouring work (the pages of one language, one
section): what it renders once for a page (a product card, any `{% cache %}` block)
then serves the pages next to it, instead of being rendered again by every process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import itertools
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

ITEMS_PER_JOB = 16
"""Fewer items than this per process, and forking costs more than it saves."""
CHUNKS_PER_JOB = 8
"""Work is handed out in this many pieces per process, so that one slow piece (a long
page) does not leave the other processes idle at the end."""

COLLECT_EVERY = 512
"""The garbage is collected after every this many items a process did. The build
pauses the automatic collector (its passes over a large loaded site cost more than
they free). Rendering an output no longer leaves reference cycles (the renderer
empties its Jinja contexts, rendering.environments.released_contexts); this pass
frees what a template may still leave (a module imported without context in a
render that adds globals of its own), which, left alone before that fix, grew each
worker of a 10,000-product build to about 600 MB."""

_uncollected = 0
"""Items done in this process since its last collection."""
_work: Callable[[int], object] | None = None
"""What the forked processes run: set before they are forked, so they inherit it."""


def default_jobs() -> int:
    """The cores this process may run on (fewer than the machine's under a CPU quota
    set with affinity, as containers and CI runners do)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def map_in_processes(
    work: Callable[[int], T], count: int, jobs: int, items_per_job: int = ITEMS_PER_JOB
) -> Iterator[T]:
    """`work(0)`, …, `work(count - 1)`, in that order, computed by up to `jobs` forked
    processes; in this process when one job is asked for or the work is too small to
    share: fewer than `items_per_job` items per process (an item that takes tens of
    milliseconds, such as resizing an image, is worth a process of its own).
    `work` must return picklable values; an exception it raises is raised here."""
    jobs = min(jobs, count // items_per_job)
    # The objects alive now (the site, which the work only reads) are set aside for the
    # collector: its passes after every few items then only look at what the work
    # made, and a forked process does not write to (and so copy) each page of memory
    # the site is in.
    gc.freeze()
    try:
        if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
            yield from _collecting(work, range(count))
        else:
            yield from _in_processes(work, count, jobs)
    finally:
        gc.unfreeze()


def _in_processes(work: Callable[[int], T], count: int, jobs: int) -> Iterator[T]:
    global _work
    _work = work
    size = max(1, count // (jobs * CHUNKS_PER_JOB))
    chunks = [range(start, min(start + size, count)) for start in range(0, count, size)]
    dealt = _dealt(chunks, jobs)
    waiting: dict[int, list[Any]] = {}
    following = 0  # the start of the next chunk to give back
    try:
        with multiprocessing.get_context("fork").Pool(
            jobs, initializer=_die_with_parent, initargs=(os.getpid(),)
        ) as pool:
            for chunk, results in zip(dealt, pool.imap(_run_chunk, dealt), strict=True):
                waiting[chunk.start] = results
                while following in waiting:
                    done = waiting.pop(following)
                    following += len(done)
                    yield from done
    finally:
        _work = None


def _dealt(chunks: list[range], jobs: int) -> list[range]:
    """The chunks in the order they are handed out: the first of each of `jobs` runs of
    neighbouring chunks, then the second of each... Processes ask for work in turn, so
    each tends to be given one run."""
    runs = [chunks[k * len(chunks) // jobs : (k + 1) * len(chunks) // jobs] for k in range(jobs)]
    return [chunk for turn in itertools.zip_longest(*runs) for chunk in turn if chunk is not None]


def _run_chunk(indices: range) -> list[Any]:
    assert _work is not None
    return list(_collecting(_work, indices))


def _collecting(work: Callable[[int], T], indices: range) -> Iterator[T]:
    """`work(index)` for each index, the garbage collected after every COLLECT_EVERY
    items this process did (over the chunks it is given)."""
    global _uncollected
    for index in indices:
        yield work(index)
        _uncollected += 1
        if _uncollected >= COLLECT_EVERY:
            gc.collect()
            # What survived (the caches this process fills) is set aside too: the
            # next collection looks only at what the items after this one make.
            gc.freeze()
            _uncollected = 0


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """A worker whose build is killed stops too, instead of waiting for work forever
    with the output's lock, which it inherited, still held: the next build would wait
    for it in vain (Linux prctl; elsewhere the pool's own clean-up is all there is).
    A build killed while its workers start may die before this asks to be told: the
    worker has then been handed to another parent, and ends at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    name = ctypes.util.find_library("c")
    if name is None:  # pragma: no cover - no C library found
        return
    prctl = getattr(ctypes.CDLL(name, use_errno=True), "prctl", None)
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)
