"""Feeds in data/: names, CSV and YAML together, notes, and the per-language view
(reading a CSV file is tests/test_spreadsheets.py's)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sitegen.base.errors import Problem, SiteError
from sitegen.settings.config import SiteConfig, load_config
from sitegen.sources.data import DataSet, load_data

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def config(tmp_path: Path) -> SiteConfig:
    (tmp_path / "site.yaml").write_text(
        "title: Soldes\n"
        "base_url: https://shop.example.com/\n"
        "languages: [fr, en, de]\n"
        "default_language: fr\n"
        "timezone: Europe/Paris\n",
        encoding="utf-8",
    )
    return load_config(tmp_path)


def write_data(config: SiteConfig, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = config.root / "data" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def data_problems(config: SiteConfig, files: dict[str, str]) -> tuple[Problem, ...]:
    write_data(config, files)
    with pytest.raises(SiteError) as caught:
        load_data(config)
    return caught.value.problems


# --- load_data -------------------------------------------------------------------------


def test_yaml_and_csv_feeds_under_their_stem(config: SiteConfig) -> None:
    write_data(
        config,
        {
            "products.csv": "sku,price\nA1,19.90\n",
            "stats.yaml": "gmv: 268.4\nshare: 0.25\n",
            "merchants.yml": "- name: Maison A\n",
        },
    )
    data = load_data(config)
    assert set(data.feeds) == {"products", "stats", "merchants"}
    assert data.feeds["products"] == [{"sku": "A1", "price": Decimal("19.90")}]
    assert data.feeds["stats"] == {"gmv": Decimal("268.4"), "share": Decimal("0.25")}
    assert data.feeds["merchants"] == [{"name": "Maison A"}]
    assert data.sources["stats"] == config.root / "data" / "stats.yaml"


def test_nested_folder_becomes_a_dotted_name(config: SiteConfig) -> None:
    write_data(config, {"feeds/x.csv": "a\n1\n"})
    data = load_data(config)
    assert data.feeds == {"feeds": {"x": [{"a": 1}]}}
    assert data.sources == {"feeds.x": config.root / "data" / "feeds" / "x.csv"}


def test_no_data_folder(config: SiteConfig) -> None:
    data = load_data(config)
    assert data.feeds == {}
    assert data.sources == {}


def test_other_files_are_ignored(config: SiteConfig) -> None:
    write_data(config, {"notes.txt": "x", "a.csv": "n\n1\n"})
    assert set(load_data(config).feeds) == {"a"}


def test_same_stem_twice_is_an_error(config: SiteConfig) -> None:
    problems = data_problems(config, {"products.yaml": "- a: 1\n", "products.csv": "a\n1\n"})
    assert len(problems) == 1
    assert problems[0].message == "data.products is defined twice"
    assert problems[0].hint is not None
    assert "products." in problems[0].hint


def test_file_and_folder_of_the_same_name_is_an_error(config: SiteConfig) -> None:
    problems = data_problems(config, {"feeds.csv": "a\n1\n", "feeds/x.csv": "a\n2\n"})
    assert len(problems) == 1
    assert "data.feeds" in problems[0].message


def test_bad_file_name_is_an_error_with_hint(config: SiteConfig) -> None:
    (problem,) = data_problems(config, {"my-feed.csv": "a\n1\n"})
    assert problem.path == config.root / "data" / "my-feed.csv"
    assert "'my-feed'" in problem.message
    assert problem.hint is not None
    assert "underscores" in problem.hint


def test_problems_of_all_feeds_are_collected(config: SiteConfig) -> None:
    problems = data_problems(
        config, {"a.yaml": "k: 1\nk: 2\n", "b.csv": "x,y\n1\n", "bad-name.yaml": "k: 1\n"}
    )
    assert sorted((p.path.name, p.line) for p in problems if p.path) == [
        ("a.yaml", 2),
        ("b.csv", 2),
        ("bad-name.yaml", None),
    ]


def test_a_csv_file_read_as_windows_1252_leaves_a_note(config: SiteConfig) -> None:
    write_data(config, {"stats.yaml": "share: 0.25\n"})
    (config.root / "data" / "products.csv").write_bytes("sku;name\nA1;Thé\n".encode("cp1252"))
    data = load_data(config)
    assert data.feeds["products"] == [{"sku": "A1", "name": "Thé"}]
    (note,) = data.notes
    assert note.path == config.root / "data" / "products.csv"
    assert note.message.startswith("the file is not UTF-8: read as Windows-1252")


def test_naive_datetimes_are_made_aware(config: SiteConfig) -> None:
    write_data(
        config,
        {"campaign.yaml": "start: 2026-11-11 00:00:00\nend: 2026-11-12T00:00:00+08:00\n"},
    )
    feed = load_data(config).feeds["campaign"]
    assert feed["start"] == dt.datetime(2026, 11, 11, tzinfo=PARIS)
    assert feed["start"].tzinfo is not None
    assert feed["end"].utcoffset() == dt.timedelta(hours=8)


def test_localized_csv_columns_with_a_site_language(config: SiteConfig) -> None:
    write_data(config, {"p.csv": "name.fr,name.de,name.xx\nSac,Tasche,?\n"})
    assert load_data(config).feeds["p"] == [{"name": {"fr": "Sac", "de": "Tasche"}, "name.xx": "?"}]


# --- DataSet.for_language ----------------------------------------------------------------


def test_for_language_resolves_localized_fields(config: SiteConfig) -> None:
    write_data(
        config,
        {
            "products.csv": "sku,name.fr,name.en\nA,Sac,Bag\nB,Thé,\n",
            "stats.yaml": "gmv:\n  fr: 268,4 milliards\n  en: 268.4 billion\ncount: 3\n",
        },
    )
    data = load_data(config)
    assert data.for_language("en", config) == {
        "products": [{"sku": "A", "name": "Bag"}, {"sku": "B", "name": "Thé"}],
        "stats": {"gmv": "268.4 billion", "count": 3},
    }
    assert data.for_language("fr", config)["stats"]["gmv"] == "268,4 milliards"


def test_for_language_falls_back_to_the_default(config: SiteConfig) -> None:
    data = DataSet(feeds={"x": {"label": {"fr": "Un", "en": "One"}}}, sources={})
    assert data.for_language("de", config) == {"x": {"label": "Un"}}


def test_for_language_keeps_the_feeds_unchanged(config: SiteConfig) -> None:
    feeds = {"x": [{"label": {"fr": "Un", "en": "One"}}]}
    data = DataSet(feeds=feeds, sources={})
    data.for_language("en", config)
    assert feeds == {"x": [{"label": {"fr": "Un", "en": "One"}}]}
