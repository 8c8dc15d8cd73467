"""load_yaml: a core-schema-like reader that remembers lines and refuses surprises."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from sitegen.base.errors import Problem, SiteError
from sitegen.base.yamlsource import YamlList, YamlMap, line_of, load_yaml

PATH = Path("data/feed.yaml")


def value(scalar: str) -> object:
    return load_yaml(f"a: {scalar}\n", PATH)["a"]


def only_problem(text: str, first_line: int = 1) -> Problem:
    with pytest.raises(SiteError) as caught:
        load_yaml(text, PATH, first_line)
    assert len(caught.value.problems) == 1
    return caught.value.problems[0]


# --- scalars: YAML 1.1 surprises are avoided ---------------------------------


@pytest.mark.parametrize("scalar", ["no", "yes", "on", "off", "No", "Y"])
def test_yaml11_booleans_stay_text(scalar: str) -> None:
    assert value(scalar) == scalar


def test_leading_zero_stays_text() -> None:
    assert value("010") == "010"


def test_sexagesimal_stays_text() -> None:
    assert value("12:30") == "12:30"


def test_exponent_is_a_decimal() -> None:
    result = value("1e3")
    assert isinstance(result, Decimal)
    assert result == Decimal(1000)


def test_decimal_keeps_trailing_zero() -> None:
    result = value("19.90")
    assert isinstance(result, Decimal)
    assert str(result) == "19.90"


@pytest.mark.parametrize(("scalar", "expected"), [("true", True), ("false", False)])
def test_true_and_false_are_booleans(scalar: str, expected: bool) -> None:
    assert value(scalar) is expected


def test_hex_integer() -> None:
    result = value("0x1F")
    assert result == 31
    assert type(result) is int


def test_plain_integer_with_underscores() -> None:
    assert value("1_000") == 1000


@pytest.mark.parametrize("scalar", ["~", "null", ""])
def test_null_forms(scalar: str) -> None:
    assert value(scalar) is None


def test_empty_document_is_none() -> None:
    assert load_yaml("", PATH) is None


# --- dates ----------------------------------------------------------------


def test_date() -> None:
    assert value("2026-11-11") == dt.date(2026, 11, 11)
    assert not isinstance(value("2026-11-11"), dt.datetime)


def test_datetime_without_offset_is_naive() -> None:
    result = value("2026-11-11 09:00:00")
    assert result == dt.datetime(2026, 11, 11, 9, 0)
    assert result.tzinfo is None


def test_datetime_with_offset_is_aware() -> None:
    result = value("2026-11-11T09:00:00+08:00")
    assert result.utcoffset() == dt.timedelta(hours=8)
    assert result == dt.datetime(2026, 11, 11, 1, 0, tzinfo=dt.UTC)


def test_datetime_with_z_is_utc() -> None:
    result = value("2026-11-11T09:00:00Z")
    assert result.utcoffset() == dt.timedelta(0)
    assert result.hour == 9


def test_impossible_date_is_an_error_with_line() -> None:
    problem = only_problem("ok: 1\nwhen: 2026-13-40\n")
    assert problem.line == 2
    assert "date" in problem.message


# --- errors ------------------------------------------------------------------


def test_duplicate_key_is_an_error_on_its_line() -> None:
    problem = only_problem("a: 1\nb: 2\na: 3\n")
    assert problem.path == PATH
    assert problem.line == 3
    assert "duplicate key 'a'" in problem.message
    assert "line 1" in problem.message


def test_duplicate_key_lines_count_first_line() -> None:
    problem = only_problem("a: 1\nb: 2\na: 3\n", first_line=5)
    assert problem.line == 7
    assert "first written on line 5" in problem.message


def test_duplicate_key_in_nested_mapping() -> None:
    problem = only_problem("outer:\n  x: 1\n  x: 2\n")
    assert problem.line == 3
    assert "'x'" in problem.message


def test_tab_indentation_gets_a_tab_hint() -> None:
    problem = only_problem("a:\n\tb: 1\n")
    assert problem.line == 2
    assert problem.message.startswith("invalid YAML")
    assert problem.hint is not None
    assert "tabs" in problem.hint


def test_unquoted_colon_gets_the_quoting_hint() -> None:
    problem = only_problem("title: x\na: b: c\n")
    assert problem.line == 2
    assert problem.column == 5
    assert problem.hint == "a value that contains ': ' must be put in quotes"


def test_syntax_error_line_counts_first_line() -> None:
    problem = only_problem("title: x\na: b: c\n", first_line=2)
    assert problem.line == 3


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object:os.system x\n",
        "a: !!python/object/apply:os.system [ls]\n",
        "a: !custom x\n",
    ],
)
def test_unsupported_tags_are_errors(text: str) -> None:
    problem = only_problem(text)
    assert problem.line == 1
    assert problem.message.startswith("unsupported YAML tag")


def test_multi_document_input_is_an_error_with_line() -> None:
    problem = only_problem("a: 1\n---\nb: 2\n")
    assert problem.line == 2
    assert "document" in problem.message


def test_multi_document_line_counts_first_line() -> None:
    problem = only_problem("a: 1\n---\nb: 2\n", first_line=3)
    assert problem.line == 4


def test_list_as_key_is_an_error() -> None:
    problem = only_problem("? [a, b]\n: 1\n")
    assert problem.line == 1
    assert "key" in problem.message


# --- lines of keys, values and items ---------------------------------------------

DOCUMENT = """\
title: Soldes
items:
  - first
  - second
nested:
  key: value
long:
  folded text
"""


def test_containers_are_yaml_types() -> None:
    data = load_yaml(DOCUMENT, PATH)
    assert isinstance(data, YamlMap)
    assert isinstance(data, dict)
    assert isinstance(data["items"], YamlList)
    assert isinstance(data["items"], list)
    assert isinstance(data["nested"], YamlMap)


def test_map_line_of_keys() -> None:
    data = load_yaml(DOCUMENT, PATH)
    assert data.line == 1
    assert [data.line_of(key) for key in ("title", "items", "nested", "long")] == [1, 2, 5, 7]


def test_unknown_key_falls_back_to_the_mapping_line() -> None:
    data = load_yaml(DOCUMENT, PATH)
    assert data["nested"].line_of("missing") == 6


def test_list_line_of_items() -> None:
    items = load_yaml(DOCUMENT, PATH)["items"]
    assert items.line == 3
    assert [items.line_of(0), items.line_of(1)] == [3, 4]
    assert items.line_of(5) == 3


def test_map_lines_count_first_line() -> None:
    data = load_yaml(DOCUMENT, PATH, first_line=10)
    assert data.line == 10
    assert data.line_of("title") == 10
    assert data.line_of("items") == 11
    assert data.line_of("long") == 16
    assert data["nested"].line_of("key") == 15


def test_list_lines_count_first_line() -> None:
    items = load_yaml(DOCUMENT, PATH, first_line=10)["items"]
    assert items.line == 12
    assert [items.line_of(0), items.line_of(1)] == [12, 13]


def test_line_of_helper() -> None:
    data = load_yaml(DOCUMENT, PATH)
    assert line_of(data, "nested") == 5
    assert line_of(data["items"], 1) == 4
    assert line_of({"plain": 1}, "plain", 42) == 42
    assert line_of(data["items"], "not-an-index") is None


def test_nesting_deeper_than_the_limit_is_a_problem_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    deep = "top:\n" + "".join("  " * depth + "- \n" for depth in range(1, 60))
    with pytest.raises(SiteError) as caught:
        load_yaml(deep, path)
    (problem,) = caught.value.problems
    assert problem.path == path and problem.line is not None and problem.line > 40
    assert "nested more than 50 levels" in problem.message
    assert load_yaml("a: [[[[1]]]]\n", path) == {"a": [[[[1]]]]}
