"""Product and merchant feeds: every broken rule reported with its file, line and column."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitegen.settings.config import load_config
from sitegen.sources.data import load_data
from sitegen.sources.feedrules import FIELDS, check_feeds
from tests.conftest import copy_example, run_sitegen, snapshot


def test_every_invalid_product_is_reported_with_its_place(copy_site, tmp_path) -> None:
    site = copy_site("invalid/product-feed")
    output = tmp_path / "public"
    assert run_sitegen("build", copy_site("minimal"), "--output", output).returncode == 0
    before = snapshot(output)
    result = run_sitegen("build", site, "--output", output, cwd=site)
    assert result.returncode == 1
    reported = re.findall(r"^error: (\S+): (.*)$", result.stderr, flags=re.MULTILINE)
    assert reported == [
        ("data/merchants.yaml:6", "'example.com/marine' is not an http(s) address"),
        ("data/products.csv:3:1", "id 'bag' is used twice (first on line 2)"),
        ("data/products.csv:4:2", "unknown merchant 'lumon'"),
        ("data/products.csv:5:5", "the sale price 120 is not below the price 100"),
        ("data/products.csv:6:6", "'EURO' is not an ISO 4217 currency code"),
        ("data/products.csv:7:3", "'name' is missing"),
        ("data/products.csv:7:7", "'img/lamp.svg' is not a file of static/ (or of the theme's)"),
        ("data/products.csv:7:8", "'ftp://example.com/lamp' is not an http(s) address"),
        ("data/products.csv:8:4", "'price' must be a positive amount such as 89.90, not 'free'"),
        # the boundary: a sale price equal to the price is no reduction (issue 22)
        ("data/products.csv:9:5", "the sale price 40 is not below the price 40"),
    ]
    assert "hint: did you mean 'lumen'?" in result.stderr
    assert snapshot(output) == before


def test_a_feed_a_static_file_and_a_page_link_are_reported_by_one_build(copy_site) -> None:
    site = copy_site("invalid/product-feed")
    (site / "static" / "_assets").mkdir(parents=True)
    (site / "static" / "_assets" / "old.css").write_text("p {}")
    (site / "content" / "links.md").write_text("---\ntitle: Links\n---\n\n[Gone](gone.md)\n")
    result = run_sitegen("build", site, cwd=site)
    assert result.returncode == 1
    reported = re.findall(r"^error: (\S+): ", result.stderr, flags=re.MULTILINE)
    assert "content/links.md:5:8" in reported, result.stderr  # found while placing pages
    assert "static/_assets/old.css" in reported  # found before
    assert "data/products.csv:4:2" in reported
    assert "Traceback" not in result.stderr


def test_a_yaml_feed_reports_lines(copy_site) -> None:
    site = copy_site("invalid/product-feed")
    (site / "data" / "products.csv").unlink()
    (site / "data" / "products.yaml").write_text(
        "- id: bag\n"
        "  merchant: lumen\n"
        "  name: {en: Bag}\n"
        "  price: 10\n"
        "  currency: eur\n"
        "  image: img/bag.svg\n"
    )
    result = run_sitegen("build", site, cwd=site)
    assert result.returncode == 1
    assert "error: data/products.yaml:5: 'eur' is not an ISO 4217 currency code" in result.stderr
    assert "hint: did you mean 'EUR'?" in result.stderr


def test_a_link_that_runs_a_script_is_refused_in_every_feed(copy_site) -> None:
    """Escaping keeps a feed's text from becoming markup, not `href="javascript:..."`
    from running: a site's own feeds (a partner's export) are checked as products are."""
    site = copy_site("minimal")
    (site / "data").mkdir(exist_ok=True)
    (site / "data" / "deals.yaml").write_text(
        "- title: Coupon\n"
        "  note: 'javascript: a guide'\n"  # text, not a link: kept
        "  url: https://example.com/coupon\n"
        "- title: Trap\n"
        "  links:\n"
        '    - href: "  Java\\tScript:alert(1)"\n'
    )
    (site / "data" / "partners.csv").write_text(
        'id,name,shop_url\nlumen,Lumen,https://lumen.example\nodd,Odd,"data:text/html,x"\n'
    )
    result = run_sitegen("build", site, cwd=site)
    assert result.returncode == 1
    reported = re.findall(r"^error: (\S+): (.*)$", result.stderr, flags=re.MULTILINE)
    assert reported == [
        (
            "data/deals.yaml:6",
            "'href' '  Java<tab>Script:alert(1)' runs a script instead of opening a page",
        ),
        (
            "data/partners.csv:3",
            "'shop_url' 'data:text/html,x' runs a script instead of opening a page",
        ),
    ], result.stderr


def test_a_product_link_that_runs_a_script_is_reported_once(copy_site) -> None:
    site = copy_site("invalid/product-feed")
    feed = site / "data" / "products.csv"
    feed.write_text(feed.read_text().replace("https://example.com/bag", "javascript:alert(1)"))
    result = run_sitegen("build", site, cwd=site)
    assert result.returncode == 1
    assert result.stderr.count("data/products.csv:2") == 1, result.stderr
    assert "'url' 'javascript:alert(1)' runs a script" in result.stderr


def test_an_id_used_twice_does_not_hide_the_feed_rules_and_is_reported_once(
    tmp_path: Path,
) -> None:
    """The example makes a page per product: its pages and its feed rules both need
    unique ids, and both are checked in one build."""
    site = copy_example(tmp_path / "example")
    feed = site / "data" / "products.csv"
    header, first, *rest = feed.read_text("utf-8").splitlines(keepends=True)
    second = rest[0].replace(",atelier-lumen,", ",atelier-lumon,", 1)
    feed.write_text("".join([header, first, first, second, *rest[1:]]), "utf-8")
    result = run_sitegen("build", site, cwd=site)
    assert result.returncode == 1
    reported = re.findall(r"^error: (\S+): (.*)$", result.stderr, flags=re.MULTILINE)
    assert reported == [
        ("data/products.csv:3:1", "id 'lumen-carre-rhone' is used twice (first on line 2)"),
        ("data/products.csv:4:2", "unknown merchant 'atelier-lumon'"),
    ]


def test_a_date_alone_in_a_yaml_product_feed_is_an_error_with_the_rule(copy_site) -> None:
    site = copy_site("invalid/product-feed")
    (site / "data" / "products.csv").unlink()
    (site / "data" / "products.yaml").write_text(
        "- id: bag\n"
        "  merchant: lumen\n"
        "  name: Bag\n"
        "  price: 10\n"
        "  currency: EUR\n"
        "  image: img/bag.svg\n"
        "  offer_ends: 2027-11-11\n"
    )
    result = run_sitegen("build", site, cwd=site)
    assert result.returncode == 1
    assert re.findall(r"^error: data/products.yaml(\S*): (.*)$", result.stderr, re.M) == [
        (
            ":7",
            "'offer_ends' must be a date and time, not the date 2027-11-11 (a time is needed too)",
        )
    ]
    assert (
        "  hint: write it year first with a time, 2027-11-11 00:00, or with an offset, "
        "2027-11-11T00:00+08:00: a time without an offset is read in the site's timezone (UTC), "
        "and inside site.yaml's campaign in campaign.timezone\n"
    ) in result.stderr


# ---------- the rules, in the test process: each boundary (issue 22) ----------

SITE = (
    "title: Soldes\n"
    "base_url: https://shop.example.com/\n"
    "languages: [fr, en]\n"
    "timezone: Europe/Paris\n"
    "campaign:\n"
    "  timezone: Asia/Shanghai\n"
    "  phases: [{name: live, starts: 2027-11-11 00:00}]\n"
    "  ends: 2027-11-12 00:00\n"
)
HEADER = "id,merchant,name,price,sale_price,reference_price,currency,image,url\n"
STATIC = {"img/bag.svg": Path("static/img/bag.svg")}


def feed_problems(
    tmp_path: Path,
    rows: str,
    *,
    merchants: str = "- {id: lumen, name: Lumen}\n",
    site: str = SITE,
    header: str = HEADER,
    theme_fields: dict[str, frozenset[str]] | None = None,
) -> list[tuple[int | None, int | None, str]]:
    """(line, column, message) of each problem of a products.csv holding `rows`."""
    (tmp_path / "site.yaml").write_text(site, encoding="utf-8")
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "merchants.yaml").write_text(merchants, encoding="utf-8")
    (tmp_path / "data" / "products.csv").write_text(header + rows, encoding="utf-8")
    config = load_config(tmp_path)
    problems = check_feeds(config, load_data(config), STATIC, theme_fields or {})
    return [(problem.line, problem.column, problem.message) for problem in problems]


def row(**cells: str) -> str:
    values = {
        "id": "bag",
        "merchant": "lumen",
        "name": "Sac",
        "price": "100",
        "sale_price": "",
        "reference_price": "",
        "currency": "EUR",
        "image": "img/bag.svg",
        "url": "",
    }
    values.update(cells)
    return ",".join(values.values()) + "\n"


def test_a_valid_product_has_no_problem(tmp_path: Path) -> None:
    assert feed_problems(tmp_path, row(sale_price="99.99", reference_price="100")) == []


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"sale_price": "100"}, (5, "the sale price 100 is not below the price 100")),
        ({"sale_price": "100.01"}, (5, "the sale price 100.01 is not below the price 100")),
        (
            {"sale_price": "80", "reference_price": "80"},
            (5, "the sale price 80 is not below the reference price 80"),
        ),
        (
            {"sale_price": "80", "reference_price": "100.01"},
            (6, "the reference price 100.01 is above the price 100"),
        ),
        ({"price": "0"}, (4, "'price' must be a positive amount such as 89.90, not 0")),
        ({"price": "-1"}, (4, "'price' must be a positive amount such as 89.90, not -1")),
        ({"price": ""}, (4, "'price' is missing")),
        ({"currency": "EURO"}, (7, "'EURO' is not an ISO 4217 currency code")),
        ({"currency": ""}, (7, "the product has no currency (such as EUR)")),
        ({"merchant": "lumon"}, (2, "unknown merchant 'lumon'")),
        ({"name": " "}, (3, "'name' is missing")),
        (
            {"image": "img/sac.svg"},
            (8, "'img/sac.svg' is not a file of static/ (or of the theme's)"),
        ),
        ({"url": "example.com/bag"}, (9, "'example.com/bag' is not an http(s) address")),
        (
            {"url": "ftp://example.com/bag"},
            (9, "'ftp://example.com/bag' is not an http(s) address"),
        ),
        ({"url": "https://"}, (9, "'https://' is not an http(s) address")),
    ],
)
def test_each_rule_at_its_boundary(
    tmp_path: Path, cells: dict[str, str], expected: tuple[int, str]
) -> None:
    column, message = expected
    assert feed_problems(tmp_path, row(**cells)) == [(2, column, message)]


def test_just_inside_each_price_boundary_is_accepted(tmp_path: Path) -> None:
    rows = row(id="a", sale_price="99.99") + row(id="b", sale_price="1", reference_price="100")
    rows += row(id="c", price="0.01") + row(id="d", url="http://example.com/d")
    assert feed_problems(tmp_path, rows) == []


def test_a_required_reference_price(tmp_path: Path) -> None:
    site = SITE + "offers: {reference_price: required}\n"
    rows = row(id="a", sale_price="80") + row(id="b", sale_price="80", reference_price="90")
    rows += row(id="c")
    assert feed_problems(tmp_path, rows, site=site) == [
        (2, 5, "this product is on offer but has no 'reference_price'")
    ]
    assert feed_problems(tmp_path, row(sale_price="80")) == []  # not required by default


DATES = (
    "id,merchant,name,price,sale_price,currency,"
    "available_from,available_until,offer_starts,offer_ends\n"
)


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (
            "2027-11-01 00:00,2027-11-01 00:00,,",
            [(2, 8, "the product stops being available before it starts")],
        ),
        ("2027-11-01 00:00,2027-11-01 00:01,,", []),
        (
            ",,2027-11-11 10:00,2027-11-11 10:00",
            [
                (
                    2,
                    10,
                    "the offer ends (2027-11-11T10:00:00+01:00) before it starts "
                    "(2027-11-11T10:00:00+01:00)",
                )
            ],
        ),
        (",,2027-11-11 10:00,2027-11-11 10:01", []),
        (
            ",,2027-11-12 00:00,",  # Paris: after the campaign's end (17:00 on the 11th)
            [
                (
                    2,
                    9,
                    "the offer ends (2027-11-11T17:00:00+01:00) before it starts "
                    "(2027-11-12T00:00:00+01:00)",
                )
            ],
        ),
    ],
)
def test_the_date_rules_at_their_boundaries(
    tmp_path: Path, dates: str, expected: list[tuple[int, int, str]]
) -> None:
    rows = f"bag,lumen,Sac,100,80,EUR,{dates}\n"
    assert feed_problems(tmp_path, rows, header=DATES) == expected


def test_a_date_that_is_no_date_and_time(tmp_path: Path) -> None:
    found = feed_problems(tmp_path, "bag,lumen,Sac,100,80,EUR,,,soon,\n", header=DATES)
    assert found == [(2, 9, "'offer_starts' must be a date and time, not 'soon'")]


def test_a_field_missing_from_every_row_is_said_once(tmp_path: Path) -> None:
    header = "id,merchant,name,price,image\n"
    rows = "a,lumen,A,10,img/bag.svg\nb,lumen,B,10,img/bag.svg\n"
    found = feed_problems(tmp_path, rows, header=header)
    assert len(found) == 1 and "'currency'" in found[0][2], found


def test_fields_no_one_reads_are_typos_when_the_theme_declares_its_own(tmp_path: Path) -> None:
    header = HEADER.replace("url\n", "url,sale price,tags\n")
    rows = row().rstrip("\n") + ",80,soie\n"
    found = feed_problems(
        tmp_path, rows, header=header, theme_fields={"products": frozenset({"tags"})}
    )
    assert len(found) == 1 and "sale price" in found[0][2], found
    assert feed_problems(tmp_path, rows, header=header) == []  # no declaration: no check


def test_merchants_rules(tmp_path: Path) -> None:
    merchants = "- {id: lumen, name: Lumen, url: 'lumen.fr'}\n- {id: onde, name: ''}\n"
    found = feed_problems(tmp_path, row(), merchants=merchants)
    assert [(line, message) for line, _, message in found] == [
        (1, "'lumen.fr' is not an http(s) address"),
        (2, "'name' is missing"),
    ]


def test_each_rule_says_what_to_do(tmp_path: Path) -> None:
    """Every problem's hint, its file and the caret under its cell (issue 22)."""
    rows = (
        row(id="a", sale_price="80", reference_price="120")
        + row(id="b", currency="eur")
        + row(id="c", currency="XYZ")
        + row(id="d", merchant="lumon")
        + row(id="e", merchant="zzz")
        + row(id="f", price="gratuit")
        + row(id="g", price="-1")
    )
    (tmp_path / "site.yaml").write_text(SITE + "offers: {reference_price: required}\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "merchants.yaml").write_text("- {id: lumen, name: Lumen}\n")
    (tmp_path / "data" / "products.csv").write_text(HEADER + rows, encoding="utf-8")
    config = load_config(tmp_path)
    problems = check_feeds(config, load_data(config), STATIC, {})
    csv_path = tmp_path / "data" / "products.csv"
    assert all(problem.path == csv_path and problem.caret is not None for problem in problems)
    hints = [(problem.line, problem.hint) for problem in problems]
    assert hints == [
        (2, "the reference price is the lowest price of the 30 days before the offer"),
        (3, "did you mean 'EUR'?"),
        (4, "use a code such as EUR"),
        (5, "did you mean 'lumen'?"),
        (6, "declare it in data/merchants.yaml"),
        (7, "write it as 1299.00 or the French way, 1 299,00 € (in a CSV file)"),
        (8, None),
    ]


def test_a_date_rule_says_how_to_write_an_instant(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(SITE)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "merchants.yaml").write_text("- {id: lumen, name: Lumen}\n")
    (tmp_path / "data" / "products.csv").write_text(
        DATES + "bag,lumen,Sac,100,80,EUR,demain,,,\n", encoding="utf-8"
    )
    config = load_config(tmp_path)
    (problem,) = check_feeds(config, load_data(config), STATIC, {})
    assert (problem.line, problem.column, problem.message) == (
        2,
        7,
        "'available_from' must be a date and time, not 'demain'",
    )
    assert problem.hint == (
        "write it year first with a time, 2027-11-11 00:00, or with an offset, "
        "2027-11-11T00:00+08:00: a time without an offset is read in the site's timezone "
        "(Europe/Paris), and inside site.yaml's campaign in campaign.timezone"
    )


def test_unknown_fields_are_said_once_each_with_the_fields_read(tmp_path: Path) -> None:
    """At the first row that has each, with its column and a hint (issue 22)."""
    header = "id,merchant,name,price,currency,image,sale price,colour\n"
    rows = "a,lumen,A,10,EUR,img/bag.svg,8,red\nb,lumen,B,10,EUR,img/bag.svg,8,blue\n"
    (tmp_path / "site.yaml").write_text(SITE)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "merchants.yaml").write_text(
        "- {id: lumen, name: Lumen, logo: img/none.svg}\n"
    )
    (tmp_path / "data" / "products.csv").write_text(header + rows, encoding="utf-8")
    config = load_config(tmp_path)
    theme_fields = {"products": frozenset({"tags"}), "merchants": frozenset()}
    problems = check_feeds(config, load_data(config), STATIC, theme_fields)
    found = [(p.path.name if p.path else None, p.line, p.column, p.message) for p in problems]
    assert found == [
        ("products.csv", 2, 7, "unknown field 'sale price'"),
        ("products.csv", 2, 8, "unknown field 'colour'"),
        ("merchants.yaml", 1, None, "'img/none.svg' is not a file of static/ (or of the theme's)"),
    ]
    assert problems[0].hint == "did you mean 'sale_price'?"
    read = sorted(FIELDS["products"] | {"tags"})
    assert problems[1].hint == (
        f"the fields read: {', '.join(read)}; a theme declares the fields its templates "
        "read in theme.yaml (feed_fields)"
    )


def test_a_script_link_in_any_feed_is_refused(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(SITE)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "merchants.yaml").write_text("- {id: lumen, name: Lumen}\n")
    (tmp_path / "data" / "products.csv").write_text(HEADER + row(), encoding="utf-8")
    (tmp_path / "data" / "links.yaml").write_text("- {url: 'javascript:alert(1)'}\n")
    config = load_config(tmp_path)
    problems = check_feeds(config, load_data(config), STATIC, {})
    assert [(p.path.name if p.path else None, p.line) for p in problems] == [("links.yaml", 1)]
    assert "javascript:" in problems[0].message
