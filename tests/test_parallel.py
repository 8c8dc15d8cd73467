"""Rendering in several processes (`--jobs N`) gives the bytes of a one-process build."""

from __future__ import annotations

import gc
import os
import time
import weakref
from pathlib import Path

import pytest

from sitegen.base import parallel
from sitegen.base.parallel import COLLECT_EVERY, ITEMS_PER_JOB, default_jobs, map_in_processes
from tests.conftest import copy_example, linked_pages, page, run_sitegen, snapshot, write_tree

NOW = "2026-11-05T12:00:00+01:00"


def _pid_and_square(index: int) -> tuple[int, int]:
    time.sleep(0.002)  # long enough that both processes get work
    return os.getpid(), index * index


def test_results_come_back_in_order_from_other_processes() -> None:
    count = ITEMS_PER_JOB * 40
    results = list(map_in_processes(_pid_and_square, count, jobs=2))
    assert [square for _, square in results] == [index * index for index in range(count)]
    workers = {pid for pid, _ in results}
    assert len(workers) == 2 and os.getpid() not in workers


@pytest.mark.parametrize(("count", "jobs"), [(ITEMS_PER_JOB * 40, 1), (ITEMS_PER_JOB, 2), (0, 2)])
def test_one_job_or_little_work_stays_in_this_process(count: int, jobs: int) -> None:
    results = list(map_in_processes(_pid_and_square, count, jobs))
    assert {pid for pid, _ in results} <= {os.getpid()}
    assert [square for _, square in results] == [index * index for index in range(count)]


class _Cycle:
    """An object that refers to itself: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.itself = self


_cycles: weakref.WeakSet[_Cycle] = weakref.WeakSet()


def _leave_a_cycle(index: int) -> int:
    """Leaves one more piece of cyclic garbage; returns how many are still in memory."""
    _cycles.add(_Cycle())
    return len(_cycles)


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_garbage_of_the_work_is_collected_as_it_goes(jobs: int) -> None:
    """Rendering leaves reference cycles that the collector's automatic passes may let
    pile up for the whole build (here it is off, to see only the work's own passes)."""
    count = 4 * COLLECT_EVERY
    gc.disable()
    try:
        alive = list(map_in_processes(_leave_a_cycle, count, jobs))
    finally:
        gc.enable()
        _cycles.clear()
    assert max(alive) <= COLLECT_EVERY + 1
    assert gc.get_freeze_count() == 0  # what was set aside for the work is back


def _fails_at_seven(index: int) -> int:
    if index == 7:
        raise ValueError("seven")
    return index


def test_an_exception_in_a_worker_is_raised_in_the_build() -> None:
    with pytest.raises(ValueError, match="seven"):
        list(map_in_processes(_fails_at_seven, ITEMS_PER_JOB * 4, jobs=2))


@pytest.mark.parametrize(("parent_alive", "exit_code"), [(True, 0), (False, 1)])
def test_a_worker_whose_build_died_as_it_started_ends_at_once(
    parent_alive: bool, exit_code: int
) -> None:
    """A worker forked just before its build is killed must not wait for work forever
    (it holds the output's lock): it ends as soon as it starts if its parent is gone."""
    pid = os.fork()
    if pid == 0:  # the worker: its parent is this test's process, or was a dead one
        try:
            parallel._die_with_parent(os.getppid() if parent_alive else 1 << 22)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == exit_code


def test_the_default_is_one_job_per_usable_core() -> None:
    assert default_jobs() == len(os.sched_getaffinity(0))


def _build(site: Path, output: Path, jobs: int) -> dict[str, bytes]:
    result = run_sitegen("build", site, "--output", output, "--now", NOW, "--jobs", str(jobs))
    assert result.returncode == 0, result.stderr
    return snapshot(output)


def test_the_example_site_is_the_same_with_one_two_or_three_jobs(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    one = _build(site, tmp_path / "one", 1)
    assert len([name for name in one if name.endswith(".html")]) > 2 * ITEMS_PER_JOB
    assert _build(site, tmp_path / "two", 2) == one
    assert _build(site, tmp_path / "three", 3) == one


def test_a_large_site_is_the_same_with_one_or_two_jobs(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", linked_pages(120))
    one = _build(site, tmp_path / "one", 1)
    two = _build(site, tmp_path / "two", 2)
    assert len(one) > 240 and two == one


def test_problems_found_in_other_processes_are_all_reported_in_order(tmp_path: Path) -> None:
    files = linked_pages(120)
    files["content/p017.fr.md"] = page("Cassée", "Voir [rien](manquante.md).\n")
    files["content/p093.en.md"] = page("Broken", "See [nothing](missing.md).\n")
    site = write_tree(tmp_path / "site", files)
    output = tmp_path / "out"
    results = [
        run_sitegen("build", site, "--output", output, "--now", NOW, "--jobs", jobs)
        for jobs in ("1", "2")
    ]
    assert [result.returncode for result in results] == [1, 1]
    assert results[0].stderr == results[1].stderr
    assert "p017.fr.md:4:13" in results[1].stderr and "p093.en.md:4:15" in results[1].stderr
    assert not output.exists()


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(tmp_path: Path, jobs: str) -> None:
    result = run_sitegen("build", tmp_path, "--jobs", jobs)
    assert result.returncode == 2
    assert "not a number of processes" in result.stderr


def test_front_matter_problems_read_in_other_processes_are_the_same(tmp_path: Path) -> None:
    files = linked_pages(120)
    files["content/p011.fr.md"] = "---\ntitle: Sans fin\n\tdate: 2026-10-01\n---\nTexte.\n"
    files["content/p087.en.md"] = "---\ndescription: No title\n---\nText.\n"
    site = write_tree(tmp_path / "site", files)
    results = [
        run_sitegen("build", site, "--output", tmp_path / "out", "--jobs", jobs)
        for jobs in ("1", "2")
    ]
    assert [result.returncode for result in results] == [1, 1]
    assert results[0].stderr == results[1].stderr
    assert results[1].stderr.index("p011.fr.md:3") < results[1].stderr.index("p087.en.md:1")
