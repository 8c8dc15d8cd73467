"""Product and merchant feeds: every broken rule reported with its file, line and column."""

from __future__ import annotations

import re

from tests.conftest import SITES, run_sitegen, snapshot


def test_every_invalid_product_is_reported_with_its_place(copy_site, tmp_path) -> None:
    site = copy_site("invalid/product-feed")
    output = tmp_path / "public"
    assert run_sitegen("build", SITES / "minimal", "--output", output).returncode == 0
    before = snapshot(output)
    result = run_sitegen("build", site, "--output", output, cwd=site)
    assert result.returncode == 1
    reported = re.findall(r"^error: (\S+): (.*)$", result.stderr, flags=re.MULTILINE)
    assert reported == [
        ("data/merchants.yaml:6", "'example.com/marine' is not an http(s) address"),
        ("data/products.csv:3:1", "product id 'bag' is used twice (first on line 2)"),
        ("data/products.csv:4:2", "unknown merchant 'lumon'"),
        ("data/products.csv:5:5", "the sale price 120 is not below the price 100"),
        ("data/products.csv:6:6", "'EURO' is not an ISO 4217 currency code"),
        ("data/products.csv:7:3", "'name' is missing"),
        ("data/products.csv:7:7", "'img/lamp.svg' is not a file of static/ (or of the theme's)"),
        ("data/products.csv:7:8", "'ftp://example.com/lamp' is not an http(s) address"),
        ("data/products.csv:8:4", "'price' must be a positive amount such as 89.90, not 'free'"),
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
            "'href' '  Java\\tScript:alert(1)' runs a script instead of opening a page",
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
