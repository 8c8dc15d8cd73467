"""Product and merchant feeds: every broken rule reported with its file, line and column."""

from __future__ import annotations

import re
from pathlib import Path

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
