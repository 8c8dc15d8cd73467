"""CSV feeds as spreadsheets save them: separators, encodings, French amounts, and
problems that name their cell, from `read_csv` up to a build of the example."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

from sitegen.base.errors import Problem, SiteError, format_problem
from sitegen.base.yamlsource import YamlList, YamlMap
from sitegen.sources.spreadsheets import french_amount, read_csv, read_spreadsheet, separator_of
from tests.conftest import copy_example, parse_html, run_sitegen, snapshot, write_tree

CSV = Path("data/products.csv")
LANGS = ("fr", "en")
NOW = "2027-11-11T12:00:00+08:00"
WINDOWS_1252_NOTE = (
    "note: data/products.csv: the file is not UTF-8: read as Windows-1252 "
    '(Excel\'s "CSV" export)\n'
    '  hint: save it as "CSV UTF-8" to be sure\n'
)


def csv_problems(text: str) -> tuple[Problem, ...]:
    with pytest.raises(SiteError) as caught:
        read_csv(text, CSV, LANGS)
    return caught.value.problems


# --- cells typed -----------------------------------------------------------------------


def test_cells_are_typed() -> None:
    rows = read_csv("sku,stock,price,code,note\nA1,12,19.90,007,\n", CSV, LANGS)
    assert rows == [
        {"sku": "A1", "stock": 12, "price": Decimal("19.90"), "code": "007", "note": None}
    ]
    row = rows[0]
    assert type(row["stock"]) is int
    assert isinstance(row["price"], Decimal)
    assert str(row["price"]) == "19.90"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("-3", -3), ("0", 0), ("-2.50", Decimal("-2.50")), ("00", "00"), ("1e3", "1e3"), (" ", None)],
)
def test_cell_typing_edge_cases(cell: str, expected: object) -> None:
    assert read_csv(f"a,b\n{cell},x\n", CSV, LANGS)[0]["a"] == expected


def test_localized_columns_are_joined() -> None:
    rows = read_csv("sku,name.fr,name.en\nA1,Sac,Bag\n", CSV, LANGS)
    assert rows[0] == {"sku": "A1", "name": {"fr": "Sac", "en": "Bag"}}


def test_suffix_that_is_not_a_site_language_stays_literal() -> None:
    rows = read_csv("sku,size.xl,name.de\nA1,big,Tasche\n", CSV, LANGS)
    assert rows[0] == {"sku": "A1", "size.xl": "big", "name.de": "Tasche"}


def test_quoted_comma_stays_in_the_cell() -> None:
    rows = read_csv('sku,name\nA1,"Thé, vert"\n', CSV, LANGS)
    assert rows[0]["name"] == "Thé, vert"


def test_rows_are_yaml_types_with_lines() -> None:
    rows = read_csv("sku,name\nA1,x\n\nB2,y\n", CSV, LANGS)
    assert isinstance(rows, YamlList)
    assert isinstance(rows[0], YamlMap)
    assert [rows.line_of(0), rows.line_of(1)] == [2, 4]
    assert rows[1].line == 4
    assert rows[1].line_of("name") == 4


def test_blank_lines_are_skipped() -> None:
    rows = read_csv("sku\nA\n\n,\nB\n", CSV, LANGS)
    assert [row["sku"] for row in rows] == ["A", "B"]


def test_empty_file_is_an_empty_list() -> None:
    assert read_csv("", CSV, LANGS) == []


def test_wrong_cell_count_is_an_error_at_the_row() -> None:
    (problem,) = csv_problems("sku,name,price\nA1,x,1\nB2,Thé, vert,2\n")
    assert problem.path == CSV
    assert problem.line == 3
    assert problem.message == "this row has 4 cells but the header has 3"
    assert problem.hint is not None
    assert "double quotes" in problem.hint


def test_duplicate_header_name() -> None:
    (problem,) = csv_problems("sku,name,sku\nA,b,c\n")
    assert problem.line == 1
    assert problem.message == "column 'sku' appears twice in the header row"


def test_empty_header_name() -> None:
    (problem,) = csv_problems("sku,,price\nA,b,1\n")
    assert problem.line == 1
    assert problem.message == "column 2 has no name in the header row"


def test_unclosed_quote_is_an_error_at_its_cell() -> None:
    (problem,) = csv_problems('sku,name\nA,"open\n')
    assert (problem.path, problem.line, problem.column, problem.caret) == (CSV, 2, 2, 2)
    assert problem.message == "the quote that opens this cell is never closed"
    assert problem.hint == 'a quote inside a quoted cell is written twice: ""'


def test_text_after_a_closing_quote_is_an_error_where_it_starts() -> None:
    (problem,) = csv_problems('sku,name\nA,"Thé" vert,1\n')
    assert (problem.line, problem.column, problem.caret) == (2, 2, 7)
    assert problem.message == "a quoted cell must end at its closing quote"


# --- separators and cells --------------------------------------------------------------


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_the_separator_is_the_one_the_header_uses(separator: str) -> None:
    text = f"id{separator}name.fr{separator}price\nA1{separator}Sac{separator}19.90\n"
    assert separator_of(text) == separator
    assert read_csv(text, CSV, LANGS) == [
        {"id": "A1", "name": {"fr": "Sac"}, "price": Decimal("19.90")}
    ]


def test_a_header_without_a_separator_is_one_comma_separated_column() -> None:
    assert separator_of("id\nA1\n") == ","


def test_a_separator_inside_a_quoted_header_name_does_not_count() -> None:
    assert separator_of('"a;b";c;d\n') == ";"
    assert separator_of('"a,b,c";d\n') == ";"


def test_in_a_semicolon_file_a_comma_is_text() -> None:
    (row,) = read_csv("id;name;weight\nA1;Thé, vert;1,5\n", CSV, LANGS)
    assert row == {"id": "A1", "name": "Thé, vert", "weight": "1,5"}


def test_each_field_knows_its_line_cell_and_where_the_cell_starts() -> None:
    text = 'id;description;price\nA1;"Sur deux\nlignes; oui";29,90 €\nB2;x;3\n'
    first, second = read_csv(text, CSV, LANGS)
    assert first["description"] == "Sur deux\nlignes; oui"
    assert first.line == 2
    assert [first.line_of(key) for key in ("id", "description", "price")] == [2, 2, 3]
    assert [first.column_of(key) for key in ("id", "description", "price")] == [1, 2, 3]
    assert [first.offset_of(key) for key in ("id", "description", "price")] == [0, 3, 13]
    assert (second.line, second.offset_of("price")) == (4, 5)


def test_wrong_cell_count_names_the_separator_and_points_at_the_first_extra_cell() -> None:
    (problem,) = csv_problems("id;name;price\nA1;Thé; vert;2\n")
    assert (problem.line, problem.column, problem.caret) == (2, 4, 13)
    assert problem.message == "this row has 4 cells but the header has 3"
    assert problem.hint == "a cell that contains a semicolon must be put in double quotes"


def test_every_row_with_a_problem_is_reported() -> None:
    problems = csv_problems("id,when\nA,2027-02-30\nB,1,2\nC,2027-13-01\n")
    assert [(p.line, p.column, p.message) for p in problems] == [
        (2, 2, "'2027-02-30' is not a valid date: day is out of range for month"),
        (3, 3, "this row has 3 cells but the header has 2"),
        (4, 2, "'2027-13-01' is not a valid date: month must be in 1..12"),
    ]


# --- French amounts --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        ("1\u00a0299,00\u00a0€", "1299.00"),  # Excel: no-break spaces
        ("1\u202f299,00\u202f€", "1299.00"),  # CLDR's French: narrow no-break spaces
        ("1 299,00 €", "1299.00"),  # typed by hand
        ("29,90", "29.90"),
        ("29,90 €", "29.90"),
        ("29,90€", "29.90"),
        ("1 299", "1299"),
        ("89.90", "89.90"),  # the dot form stays valid
        ("29.90 €", "29.90"),
        ("12", "12"),
    ],
)
def test_amounts_written_the_french_way_are_exact_decimals(cell: str, amount: str) -> None:
    (row,) = read_csv(f"id;price;sale_price\nA1;{cell};{cell}\n", CSV, LANGS)
    assert row["price"] == row["sale_price"] == Decimal(amount)
    assert str(row["price"]) == amount


@pytest.mark.parametrize(
    "cell", ["1,299.00", "1.299,00", "12 34,50 €", "1e3", "NaN", "€29,90", "29,90 $", "-", "1 2 3"]
)
def test_what_is_not_a_french_amount_stays_text(cell: str) -> None:
    assert french_amount(cell) is None
    (row,) = read_csv(f"id;price\nA1;{cell}\n", CSV, LANGS)
    assert row["price"] == cell


def test_only_amount_columns_read_the_french_form() -> None:
    (row,) = read_csv("id;weight;price;reference_price\nA1;1,5;1,5;2,5\n", CSV, LANGS)
    assert row == {
        "id": "A1",
        "weight": "1,5",
        "price": Decimal("1.5"),
        "reference_price": Decimal("2.5"),
    }


# --- encodings -------------------------------------------------------------------------


def test_utf8_with_a_bom_is_read_without_a_note(tmp_path: Path) -> None:
    path = tmp_path / "products.csv"
    path.write_bytes("\ufeffid;name\r\nA1;Thé\r\n".encode())
    assert read_spreadsheet(path) == ("id;name\nA1;Thé\n", None)


def test_windows_1252_is_read_with_a_note_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "products.csv"
    path.write_bytes("id;name;price\r\nA1;Thé;1\u00a0299,00 €\r\n".encode("cp1252"))
    text, note = read_spreadsheet(path)
    assert text == "id;name;price\nA1;Thé;1\u00a0299,00 €\n"
    assert note == Problem(
        path,
        None,
        'the file is not UTF-8: read as Windows-1252 (Excel\'s "CSV" export)',
        hint='save it as "CSV UTF-8" to be sure',
    )


@pytest.mark.parametrize(
    "raw",
    [
        b"id;name\nA1;\x81\n",  # a byte Windows-1252 does not define
        b"\xef\xbb\xbfid;name\nA1;Th\xe9\n",  # a BOM says UTF-8: no guess
    ],
)
def test_a_file_that_is_neither_is_an_error_at_its_line(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "products.csv"
    path.write_bytes(raw)
    with pytest.raises(SiteError) as caught:
        read_spreadsheet(path)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.message) == (
        path,
        2,
        "the file is not valid UTF-8 text",
    )


def test_the_excerpt_of_a_windows_1252_file_shows_its_accents(tmp_path: Path) -> None:
    path = tmp_path / "products.csv"
    path.write_bytes("id;name;price\nA1;Thé;gratuit\n".encode("cp1252"))
    shown = format_problem(Problem(path, 2, "bad", column=3, caret=7)).splitlines()
    marked = shown.index("  > 2 | A1;Thé;gratuit")
    assert shown[marked + 1] == "      |        ^"


# --- a site with a spreadsheet export --------------------------------------------------

SITE = """\
title: {fr: Boutique, en: Shop}
base_url: https://shop.example/
languages: [fr, en]
timezone: Europe/Paris
data_pages:
  - {data: products, path: products, layout: product, title: name}
"""
HEADER = ["id", "merchant", "name.fr", "name.en", "price", "currency", "sale_price", "offer_ends"]
ROWS = [
    ["sac", "lumen", "Sac", "Bag", "1\u00a0299,00\u00a0€", "EUR", "999,00 €", "2027-11-12 00:00"],
    ["etole", "lumen", "Étole", "Stole", "89,90", "EUR", "", ""],
    ["savon", "lumen", "Savon", "Soap", "5.50", "EUR", "", ""],
]


def spreadsheet(rows: list[list[str]], encoding: str = "cp1252") -> bytes:
    """The bytes of Excel's "CSV (séparateur : point-virgule)" export of `rows` (none of
    their cells needs quotes, unless a test means it to)."""
    return "".join(f"{';'.join(row)}\r\n" for row in [HEADER, *rows]).encode(encoding)


def shop(root: Path) -> Path:
    """A bilingual shop whose products.csv is an Excel export, with a page per product."""
    write_tree(
        root,
        {
            "site.yaml": SITE,
            "content/index.fr.md": "---\ntitle: Accueil\n---\n",
            "content/index.en.md": "---\ntitle: Home\n---\n",
            "data/merchants.yaml": "- {id: lumen, name: Atelier Lumen}\n",
            "templates/home.html": "<title>{{ page.title }}</title>",
            "templates/page.html": "<title>{{ page.title }}</title>",
            "templates/product.html": "<title>{{ page.title }}</title>"
            "<p class=price>{{ page.item.price | format_currency(page.item.currency) }}</p>",
        },
    )
    (root / "data" / "products.csv").write_bytes(spreadsheet(ROWS))
    return root


def test_an_excel_export_builds_with_its_prices(tmp_path: Path) -> None:
    site = shop(tmp_path / "shop")
    result = run_sitegen("build", site, "--now", NOW, cwd=site)
    assert result.returncode == 0, result.stderr
    assert result.stderr == WINDOWS_1252_NOTE

    def price(path: str) -> str:
        return parse_html(site / "output" / path / "index.html").select_one(".price").text

    assert price("fr/products/sac") == "1\u202f299,00\u00a0€"
    assert price("en/products/sac") == "€1,299.00"
    assert price("fr/products/etole") == "89,90\u00a0€"
    assert price("en/products/savon") == "€5.50"


def caret_target(stderr: str) -> str:
    """The text of the marked source line from the caret on."""
    lines = stderr.splitlines()
    marked = next(index for index, line in enumerate(lines) if line.startswith("  > "))
    source = lines[marked].partition(" | ")[2]
    caret = lines[marked + 1].partition(" | ")[2].index("^")
    return source[caret:]


@pytest.mark.parametrize(
    ("change", "place", "message", "hint", "under_caret"),
    [
        pytest.param(
            (1, 7, "2027-11-11"),
            "data/products.csv:3:8",
            "'offer_ends' must be a date and time, not the date 2027-11-11 (a time is needed too)",
            "write it year first with a time, 2027-11-11 00:00, or with an offset, "
            "2027-11-11T00:00+08:00: a time without an offset is read in the site's timezone "
            "(Europe/Paris), and inside site.yaml's campaign in campaign.timezone",
            "2027-11-11",
            id="date only",
        ),
        pytest.param(
            (1, 7, "11/11/2027"),
            "data/products.csv:3:8",
            "'offer_ends' must be a date and time, not '11/11/2027'",
            "write it year first with a time, 2027-11-11 00:00, or with an offset, "
            "2027-11-11T00:00+08:00: a time without an offset is read in the site's timezone "
            "(Europe/Paris), and inside site.yaml's campaign in campaign.timezone",
            "11/11/2027",
            id="day/month/year",
        ),
        pytest.param(
            (0, 7, "2027-02-30 00:00"),
            "data/products.csv:2:8",
            "'2027-02-30 00:00' is not a valid date: day is out of range for month",
            None,
            "2027-02-30 00:00",
            id="no such day",
        ),
        pytest.param(
            (2, 4, "12\u00a034,50 €"),
            "data/products.csv:4:5",
            "'price' must be a positive amount such as 89.90, not '12<no-break space>34,50 €'",
            "write it as 1299.00 or the French way, 1 299,00 € (in a CSV file)",
            "12\u00a034,50 €",
            id="thousands in the wrong place",
        ),
        pytest.param(
            (2, 0, "etole"),
            "data/products.csv:4:1",
            "id 'etole' is used twice (first on line 3)",
            None,
            "etole",
            id="duplicate id",
        ),
        pytest.param(
            (0, 3, "Bag; silk"),
            "data/products.csv:2:9",
            "this row has 9 cells but the header has 8",
            "a cell that contains a semicolon must be put in double quotes",
            "2027-11-12 00:00",
            id="separator in a cell",
        ),
    ],
)
def test_a_mistake_in_an_excel_export_is_reported_at_its_cell(
    tmp_path: Path,
    change: tuple[int, int, str],
    place: str,
    message: str,
    hint: str | None,
    under_caret: str,
) -> None:
    site = shop(tmp_path / "shop")
    assert run_sitegen("build", site, "--now", NOW, cwd=site).returncode == 0
    before = snapshot(site / "output")
    rows = [list(row) for row in ROWS]
    row, cell, text = change
    rows[row][cell] = text
    (site / "data" / "products.csv").write_bytes(spreadsheet(rows))
    result = run_sitegen("build", site, "--now", NOW, cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    reported = re.findall(r"^error: (\S+): (.*)$", result.stderr, flags=re.MULTILINE)
    assert reported == [(place, message)], result.stderr
    hints = re.findall(r"^  hint: (.*)$", result.stderr, flags=re.MULTILINE)
    assert hints == ([hint] if hint else [])
    assert caret_target(result.stderr).startswith(under_caret)
    assert snapshot(site / "output") == before


def test_an_invisible_character_is_named_in_words(tmp_path: Path) -> None:
    site = shop(tmp_path / "shop")
    rows = [list(row) for row in ROWS]
    rows[1][5] = "EUR\u200b"  # pasted from a web page: not in Windows-1252
    (site / "data" / "products.csv").write_bytes(spreadsheet(rows, "utf-8"))
    result = run_sitegen("build", site, "--now", NOW, cwd=site)
    assert result.returncode == 1
    assert re.findall(r"^error: (\S+): (.*)$", result.stderr, flags=re.MULTILINE) == [
        ("data/products.csv:3:6", "'EUR<zero-width space>' is not an ISO 4217 currency code")
    ]
    assert "  hint: did you mean 'EUR'?" in result.stderr
    assert "\\u200b" not in result.stderr


# --- the example, saved the Excel way --------------------------------------------------


def french(amount: str) -> str:
    """An amount as French Excel shows it: `1299.00` → `1 299,00 €`, no-break spaces."""
    whole, _, cents = f"{Decimal(amount):.2f}".partition(".")
    return f"{int(whole):,}".replace(",", "\u00a0") + f",{cents}\u00a0€"


def excel_export(path: Path, changes: dict[str, dict[str, str]]) -> None:
    """Save a UTF-8 comma-separated feed again as Excel's French "CSV" does: `;`,
    Windows-1252 (a character it lacks becomes `?`), prices shown the French way;
    `changes` sets cells of some rows (by id and column) first."""
    header, *rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    prices = [index for index, name in enumerate(header) if name.endswith("price")]
    for row in rows:
        for column, value in changes.get(row[0], {}).items():
            row[header.index(column)] = value
        for index in prices:
            row[index] = french(row[index]) if row[index] else ""
    text = io.StringIO()
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(text.getvalue().encode("cp1252", errors="replace"))


def test_the_example_saved_by_excel_builds_with_french_prices(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "example")
    feed = site / "data" / "products.csv"
    excel_export(
        feed,
        {
            "lumen-etole": {
                "price": "1299.00",
                "sale_price": "1099.00",
                "reference_price": "1199.00",
            }
        },
    )
    assert (
        "1\u00a0299,00\u00a0€;EUR;1\u00a0099,00\u00a0€;1\u00a0199,00\u00a0€".encode("cp1252")
        in feed.read_bytes()
    )
    result = run_sitegen("build", site, "--now", NOW, cwd=site)
    assert result.returncode == 0, result.stderr
    assert result.stderr == WINDOWS_1252_NOTE

    def prices(path: str) -> tuple[list[str], str]:
        """(the offer's prices, the regular price shown outside it) of a product page."""
        page = parse_html(site / "output" / path / "index.html")
        offer, regular = page.select(".product-page__price .price")
        shown = [part.text.split(":")[-1].strip() for part in offer.select(".price__now, s")]
        return shown, regular.select_one(".price__now").text.strip()

    assert prices("fr/produits/lumen-etole") == (
        ["1\u202f099,00\u00a0€", "1\u202f199,00\u00a0€"],
        "1\u202f299,00\u00a0€",
    )
    assert prices("en/products/lumen-etole") == (["€1,099.00", "€1,199.00"], "€1,299.00")
    assert prices("fr/produits/sel-mariniere") == (["44,00\u00a0€", "59,00\u00a0€"], "59,00\u00a0€")
    title = parse_html(site / "output/fr/produits/lumen-carre-rhone/index.html").select_one("h1")
    assert title.text.replace("\u202f", " ") == "Carré de soie « Rhône »"  # French spacing
