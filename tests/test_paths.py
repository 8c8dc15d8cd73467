"""Nothing a site's files say can make a build write outside its output folder: each
such value is an error at its place (issue: hardening, paths)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import page, run_sitegen, write_tree

TEMPLATE = (
    "<html>{{ page.title }}{% for p in data.get('products') or [] %}{{ p.id }}{% endfor %}</html>"
)
PRODUCTS_CONFIG = """\
title: Shop
base_url: https://shop.example/
languages: [fr]
timezone: UTC
data_pages:
  - {data: products, path: produits, layout: page, title: name}
"""


def site_with(root: Path, files: dict[str, str]) -> Path:
    return write_tree(
        root,
        {
            "content/index.md": page("Accueil"),
            "templates/home.html": TEMPLATE,
            "templates/page.html": TEMPLATE,
            **files,
        },
    )


CASES = {
    "slug ..": ({"content/a.md": page("A", slug="'..'")}, "content/a.md:3"),
    "slug with a separator": ({"content/a.md": page("A", slug="'../../x'")}, "content/a.md:3"),
    "slug encoded": ({"content/a.md": page("A", slug="'%2e%2e'")}, "content/a.md:3"),
    "slug backslash": ({"content/a.md": page("A", slug="'..\\\\x'")}, "content/a.md:3"),
    "alias up": ({"content/a.md": page("A", aliases="['/../../x/']")}, "content/a.md:3"),
    "alias absolute URL": (
        {"content/a.md": page("A", aliases="['//evil.example/']")},
        "content/a.md:3",
    ),
    "alias encoded": ({"content/a.md": page("A", aliases="['/%2e%2e/x/']")}, "content/a.md:3"),
    "file name encoded": ({"content/%2e%2e.md": page("A")}, "content/%2e%2e.md: '%2e%2e'"),
    "file name dot": ({"content/..md": page("A")}, "content/..md: '.'"),
    "file name query": ({"content/a?b.fr.md": page("A")}, "content/a?b.fr.md: 'a?b.fr'"),
    "folder name space": ({"content/sub dir/x.md": page("A")}, "content/sub dir/x.md: 'sub dir'"),
    "theme up": (
        {
            "site.yaml": "title: T\nbase_url: https://t.example/\nlanguages: [fr]\n"
            "timezone: UTC\ntheme: ../../etc\n"
        },
        "site.yaml:5",
    ),
    "theme absolute": (
        {
            "site.yaml": "title: T\nbase_url: https://t.example/\nlanguages: [fr]\n"
            "timezone: UTC\ntheme: /etc\n"
        },
        "site.yaml:5",
    ),
    "data id up": (
        {"site.yaml": PRODUCTS_CONFIG, "data/products.yaml": "- id: ../../evil\n  name: x\n"},
        "data/products.yaml:1",
    ),
    "data id absolute": (
        {"site.yaml": PRODUCTS_CONFIG, "data/products.yaml": "- id: /etc/x\n  name: x\n"},
        "data/products.yaml:1",
    ),
    "data image up": (
        {
            "data/products.yaml": "- id: a\n  name: x\n  price: 1\n  currency: EUR\n"
            "  image: ../../../etc/passwd\n  merchant: m\n",
            "data/merchants.yaml": "- id: m\n  name: M\n",
        },
        "data/products.yaml:5",
    ),
}


@pytest.mark.parametrize("files, place", CASES.values(), ids=CASES.keys())
def test_a_value_leading_out_of_the_output_is_an_error_at_its_place(
    tmp_path: Path, files: dict[str, str], place: str
) -> None:
    site = site_with(tmp_path / "site", files)
    result = run_sitegen("build", site, cwd=site)
    assert result.returncode == 1, result.stdout
    assert place in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (site / "output").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]  # nothing beside it
