"""Problems as values: how they are shown, how user files are read, how hints are found."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.base.errors import (
    Problem,
    SiteError,
    did_you_mean,
    format_problem,
    quoted,
    read_source,
)

SOURCE = "one\ntwo\nthree: x\nfour\nfive\nsix\n"


@pytest.fixture
def source_file(tmp_path: Path) -> Path:
    path = tmp_path / "page.yaml"
    path.write_text(SOURCE, encoding="utf-8")
    return path


def read_error(path: Path) -> Problem:
    with pytest.raises(SiteError) as caught:
        read_source(path)
    assert len(caught.value.problems) == 1
    return caught.value.problems[0]


# --- format_problem --------------------------------------------------------------


def test_first_line_names_the_place_and_message(source_file: Path) -> None:
    text = format_problem(Problem(source_file, 3, "bad thing", column=8))
    assert text.splitlines()[0] == f"error: {source_file}:3:8: bad thing"


def test_place_is_relative_to_the_site(source_file: Path) -> None:
    text = format_problem(Problem(source_file, 3, "bad thing", column=8), source_file.parent)
    assert text.splitlines()[0] == "error: page.yaml:3:8: bad thing"


def test_place_without_column(source_file: Path) -> None:
    text = format_problem(Problem(source_file, 3, "bad thing"), source_file.parent)
    assert text.splitlines()[0] == "error: page.yaml:3: bad thing"


def test_problem_without_a_place() -> None:
    assert format_problem(Problem(None, None, "no site here")) == "error: no site here"


def test_excerpt_marks_the_line_with_greater_than(source_file: Path) -> None:
    lines = format_problem(Problem(source_file, 3, "bad", column=8)).splitlines()
    marked = [line for line in lines if line.startswith("  > ")]
    assert marked == ["  > 3 | three: x"]
    assert "  1 | one" in lines[1]
    assert lines[1].startswith("    ")


def test_excerpt_shows_two_lines_each_side(source_file: Path) -> None:
    lines = format_problem(Problem(source_file, 3, "bad")).splitlines()
    numbers = [line.split("|")[0].strip(" >") for line in lines[1:]]
    assert numbers == ["1", "2", "3", "4", "5"]


def test_caret_sits_under_the_column(source_file: Path) -> None:
    lines = format_problem(Problem(source_file, 3, "bad", column=8)).splitlines()
    marked = lines.index("  > 3 | three: x")
    caret_line = lines[marked + 1]
    assert caret_line == "      |        ^"
    assert caret_line.index("^") == lines[marked].index("x")


def test_a_csv_cell_puts_its_caret_under_the_cell_not_under_its_number(tmp_path: Path) -> None:
    path = tmp_path / "products.csv"
    path.write_text("id;price\nsac;douze\n", encoding="utf-8")
    lines = format_problem(Problem(path, 2, "bad", column=2, caret=4)).splitlines()
    assert lines[0] == f"error: {path}:2:2: bad"
    assert lines[lines.index("  > 2 | sac;douze") + 1] == "      |     ^"


def test_the_caret_keeps_the_tabs_of_its_line(tmp_path: Path) -> None:
    path = tmp_path / "products.tsv"
    path.write_text("id\tprice\nsac\tdouze\n", encoding="utf-8")
    lines = format_problem(Problem(path, 2, "bad", column=2, caret=4)).splitlines()
    assert lines[lines.index("  > 2 | sac\tdouze") + 1] == "      |    \t^"


def test_a_note_is_labelled_as_one(source_file: Path) -> None:
    note = Problem(source_file, None, "read as Windows-1252", hint="save it as UTF-8")
    assert format_problem(note, source_file.parent, label="note").splitlines() == [
        "note: page.yaml: read as Windows-1252",
        "  hint: save it as UTF-8",
    ]


def test_no_caret_without_column(source_file: Path) -> None:
    text = format_problem(Problem(source_file, 3, "bad"))
    assert "^" not in text


def test_hint_is_the_last_line(source_file: Path) -> None:
    text = format_problem(Problem(source_file, 3, "bad", hint="did you mean 'three'?"))
    assert text.splitlines()[-1] == "  hint: did you mean 'three'?"


def test_no_excerpt_for_a_missing_file(tmp_path: Path) -> None:
    text = format_problem(Problem(tmp_path / "gone.yaml", 3, "bad", hint="h"))
    assert text.splitlines() == [f"error: {tmp_path / 'gone.yaml'}:3: bad", "  hint: h"]


def test_excerpt_near_the_end_of_the_file_is_clipped(tmp_path: Path) -> None:
    path = tmp_path / "short.md"
    path.write_text("a\nb", encoding="utf-8")
    lines = format_problem(Problem(path, 2, "bad")).splitlines()
    assert lines[1:] == ["    1 | a", "  > 2 | b"]


def test_site_error_sorts_problems_by_place() -> None:
    error = SiteError(
        [
            Problem(Path("b.md"), 1, "third"),
            Problem(Path("a.md"), 9, "second"),
            Problem(Path("a.md"), 2, "first"),
        ]
    )
    assert [p.message for p in error.problems] == ["first", "second", "third"]


# --- quoted ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("lumon", "'lumon'"),
        ("1\u00a0299,00 €", "'1<no-break space>299,00 €'"),
        ("1\u202f299", "'1<narrow no-break space>299'"),
        ("EUR\u200b", "'EUR<zero-width space>'"),
        ("\ufeffid", "'<byte order mark>id'"),
        ("a\tb", "'a<tab>b'"),
        ("a\u2028b", "'a<line separator>b'"),
        ("Thé « vert »", "'Thé « vert »'"),
        (12, "12"),
    ],
)
def test_quoted_names_invisible_characters_in_words(value: object, shown: str) -> None:
    assert quoted(value) == shown


# --- read_source -------------------------------------------------------------------


def test_bom_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes("\ufefftitle: Thé\n".encode())
    assert read_source(path) == "title: Thé\n"


def test_crlf_becomes_lf(tmp_path: Path) -> None:
    path = tmp_path / "crlf.md"
    path.write_bytes(b"a\r\nb\r\nc")
    assert read_source(path) == "a\nb\nc"


def test_lone_cr_becomes_lf(tmp_path: Path) -> None:
    path = tmp_path / "cr.md"
    path.write_bytes(b"a\rb\r")
    assert read_source(path) == "a\nb\n"


def test_windows_1252_is_an_error_with_file_line_and_hint(tmp_path: Path) -> None:
    path = tmp_path / "products.csv"
    path.write_bytes("sku,name\nA1,Café\n".encode("cp1252"))
    problem = read_error(path)
    assert problem.path == path
    assert problem.line == 2
    assert "UTF-8" in problem.message
    assert problem.hint is not None
    assert "UTF-8" in problem.hint


def test_nul_byte_is_an_error_with_line(tmp_path: Path) -> None:
    path = tmp_path / "image.md"
    path.write_bytes(b"a\nb\nc\x00d\n")
    problem = read_error(path)
    assert problem.path == path
    assert problem.line == 3
    assert "NUL" in problem.message


def test_missing_file_is_an_error_naming_it(tmp_path: Path) -> None:
    problem = read_error(tmp_path / "gone.md")
    assert problem.path == tmp_path / "gone.md"
    assert problem.message.startswith("cannot read the file")


# --- did_you_mean ---------------------------------------------------------------------


def test_did_you_mean_names_the_closest_word() -> None:
    assert did_you_mean("langauges", ["title", "languages", "timezone"]) == (
        "did you mean 'languages'?"
    )


def test_did_you_mean_is_none_when_nothing_is_close() -> None:
    assert did_you_mean("zzz", ["title", "languages"]) is None


def test_did_you_mean_with_no_choices() -> None:
    assert did_you_mean("title", []) is None
