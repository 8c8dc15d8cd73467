"""A catalogue ten times larger gives a build that is ten times larger, not a hundred:
its output, what its pages record as read (the incremental build's state) and the
state's file. Sizes are counted, not timed: timings belong to bench/."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import pytest

from sitegen.building.buildcache import BUILD_CACHE_DIR, CACHE_DIR, STATE_FILE
from sitegen.building.buildcontract import BuildOptions
from sitegen.building.pipeline import build
from tests.conftest import catalogue, write_tree

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
SMALL, LARGE = 40, 400
LINEAR = 12
"""Ten times the products may cost a little more than ten times (a few outputs are
the site's own: the homes, the sitemap's head), never the square."""


def _measure(root: Path, products: int) -> dict[str, int]:
    site = write_tree(root / "site", catalogue(products))
    output = root / "output"
    build(BuildOptions(site_root=site, output=output, now=NOW, cache=True, jobs=1))
    state_file = site / CACHE_DIR / BUILD_CACHE_DIR / STATE_FILE
    with state_file.open("rb") as file:
        file.readline()  # the header
        state = pickle.loads(file.read()[:-64])  # the checksum is the last 64 characters
    records = state.dependencies.inputs
    return {
        "pages": sum(1 for _ in output.rglob("index.html")),
        "output bytes": sum(path.stat().st_size for path in output.rglob("*") if path.is_file()),
        "inputs recorded": sum(len(keys) for keys in records.values()),
        "distinct inputs": len({key for keys in records.values() for key in keys}),
        "state bytes": state_file.stat().st_size,
    }


@pytest.mark.no_cover  # builds again and again: see conftest.py
def test_ten_times_the_products_is_ten_times_the_build(tmp_path: Path) -> None:
    small = _measure(tmp_path / "small", SMALL)
    large = _measure(tmp_path / "large", LARGE)
    assert large["pages"] >= 9 * small["pages"]
    for measure in small:
        ratio = large[measure] / small[measure]
        grown = f"{measure}: {small[measure]} → {large[measure]} ({ratio:.1f} times)"
        assert ratio <= LINEAR, grown
