"""Issue 16's targets, checked against the rows of one perf.py run: each printed with
what the run measured and whether it is met."""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable

from measure import Row

SMALL, LARGE = 1000, 10000
"""The catalogue sizes the targets name (products)."""


def _find(rows: list[Row], tool: str, case: str) -> Row | None:
    return next((row for row in rows if row.tool == tool and row.case == case and row.walls), None)


def _wall(row: Row | None) -> float | None:
    return statistics.median(row.walls) if row else None


def _memory(row: Row | None) -> float | None:
    return statistics.median(row.rss) if row and row.rss else None


def print_targets(rows: list[Row], options: argparse.Namespace) -> None:
    print("| target | measured | met |")
    print("|---|---|---|")

    def line(target: str, measured: float | None, show: Callable[[float], str], ok: bool) -> None:
        if measured is None:
            print(f"| {target} | not measured | — |")
        else:
            print(f"| {target} | {show(measured)} | {'yes' if ok else 'no'} |")

    def seconds(value: float) -> str:
        return f"{value:.2f} s"

    def times(value: float) -> str:
        return f"{value:.2f} x"

    def at_most(
        target: str, value: float | None, limit: float, show: Callable[[float], str]
    ) -> None:
        line(target, value, show, value is not None and value <= limit)

    example_cold = _wall(_find(rows, "sitegen", "example: cold (image variants cached)"))
    example_warm = _wall(_find(rows, "sitegen", "example: nothing changed"))
    at_most("example: cold ≤ 1.0 s", example_cold, 1.0, seconds)
    at_most("example: nothing changed ≤ 0.3 s", example_warm, 0.3, seconds)

    small_cold = _find(rows, "sitegen", f"{SMALL:,} products: cold")
    at_most(f"{SMALL:,} products, cold ≤ 4 s", _wall(small_cold), 4.0, seconds)
    at_most(f"{SMALL:,} products, cold: peak memory ≤ 300 MB", _memory(small_cold), 300, _mb)
    if small_cold is not None:
        print(
            f"| {SMALL:,} products: ≥ 2,000 pages | {small_cold.pages:,} pages | "
            f"{'yes' if small_cold.pages >= 2000 else 'no'} |"
        )
        at_most(
            f"{SMALL:,} products: a product page ≤ 30 KB of HTML on average",
            small_cold.product_kb,
            30,
            lambda kb: f"{kb:.1f} KB",
        )
    for case, limit in (("nothing changed", 0.3), ("one price changed", 1.0)):
        at_most(
            f"{SMALL:,} products, {case} ≤ {limit} s",
            _wall(_find(rows, "sitegen", f"{SMALL:,} products: {case}")),
            limit,
            seconds,
        )
    for case, limit in (("one price edited", 0.5), ("one page edited", 0.3)):
        at_most(
            f"sitegen serve, {SMALL:,} products, {case}, until served ≤ {limit} s",
            _wall(_find(rows, "sitegen serve", f"{SMALL:,} products: {case}")),
            limit,
            seconds,
        )
    large_cold = _find(rows, "sitegen", f"{LARGE:,} products: cold")
    at_most(f"{LARGE:,} products, cold ≤ 25 s", _wall(large_cold), 25.0, seconds)
    at_most(f"{LARGE:,} products, cold: peak memory ≤ 1 GB", _memory(large_cold), 1024, _mb)
    if large_cold is not None and small_cold is not None:
        for what, measure in (("time", _wall), ("memory", _memory)):
            large, small = measure(large_cold), measure(small_cold)
            if large is None or small is None:
                continue
            per_page = (large / large_cold.pages) / (small / small_cold.pages)
            at_most(
                f"{LARGE:,} products: {what} per page within 1.3 x of {SMALL:,}",
                per_page,
                1.3,
                times,
            )
    hugo_small = _wall(_find(rows, "Hugo", f"{SMALL:,} products: cold"))
    if hugo_small and small_cold is not None:
        ratio = (_wall(small_cold) or 0) / hugo_small
        print(f"| {SMALL:,} products: sitegen / Hugo, cold (reported) | {ratio:.2f} x | — |")
    for n in options.sizes:
        tiny_row = next(
            (
                r
                for r in rows
                if r.group == f"corpus-{n}" and r.case == "cold (no output, no cache)"
            ),
            None,
        )
        themed_row = next(
            (
                r
                for r in rows
                if r.group == f"corpus-{n}" and r.case.startswith("cold, bundled theme")
            ),
            None,
        )
        floor_row = next(  # markdown-it-py's CommonMark preset and Jinja2, the first
            (r for r in rows if r.group == f"corpus-{n}" and r.tool == "floor"), None
        )
        tiny = _wall(tiny_row)
        themed = _wall(themed_row)
        floor = _wall(floor_row)
        if tiny and themed:
            at_most(f"corpus {n:,}: bundled theme ≤ 2 x tiny layout", themed / tiny, 2.0, times)
            at_most(f"corpus {n:,}: bundled theme ≤ 1 GB", _memory(themed_row), 1024, _mb)
        if tiny and floor:
            at_most(f"corpus {n:,}: tiny layout ≤ 1.25 x the floor", tiny / floor, 1.25, times)


def _mb(value: float) -> str:
    return f"{value:.0f} MB"
