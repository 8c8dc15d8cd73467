"""Typos stop the build (issue 17): a front-matter key, a feed column or a component's
id that nothing reads is an error at its line, with the closest known name, and the
previous output stays as it was."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import copy_example, page, run_sitegen, snapshot, write_tree

DURING = "2027-11-11T12:00:00+08:00"


@pytest.fixture
def example(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A copy of the example, built once: (site, output, the output's files)."""
    site = copy_example(tmp_path / "site")
    output = tmp_path / "output"
    result = run_sitegen("build", site, "--output", output, "--now", DURING)
    assert result.returncode == 0, result.stderr
    return site, output, snapshot(output)


def errors_of(site: Path, output: Path) -> list[str]:
    """The error and hint lines of a build that must fail, paths made site-relative."""
    result = run_sitegen("build", site, "--output", output, "--now", DURING)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    return [
        line.strip().replace(f"{site}/", "")
        for line in result.stderr.splitlines()
        if line.startswith("error: ") or line.strip().startswith("hint: ")
    ]


def fails_with(example: tuple[Path, Path, dict[str, bytes]], *said: str) -> None:
    site, output, before = example
    assert errors_of(site, output) == list(said)
    assert snapshot(output) == before


# ---------- front matter ----------


def test_front_matter_typos_are_errors_with_the_closest_key(example: tuple) -> None:
    site = example[0]
    (site / "content" / "offres.fr.md").write_text(
        "---\ntitle: Offres\ndrfat: true\npublsh: 2027-11-01\ndescripton: Nos offres\n---\n"
        "Bientôt.\n",
        "utf-8",
    )
    fails_with(
        example,
        "error: content/offres.fr.md:3: unknown front matter key 'drfat'",
        "hint: did you mean 'draft'?",
        "error: content/offres.fr.md:4: unknown front matter key 'publsh'",
        "hint: did you mean 'publish'?",
        "error: content/offres.fr.md:5: unknown front matter key 'descripton'",
        "hint: did you mean 'description'?",
    )


def test_own_keys_go_under_params_or_are_declared_by_the_theme(tmp_path: Path) -> None:
    files = {
        "site.yaml": "title: T\nbase_url: https://x.example/\nlanguages: [fr]\n"
        "timezone: Europe/Paris\ntheme: mine\n",
        "themes/mine/theme.yaml": "name: mine\nfront_matter: [badge]\n",
        "themes/mine/templates/page.html": (
            "<title>{{ page.title }}</title><p>{{ page.params.badge }} {{ page.params.colour }}</p>"
        ),
        "themes/mine/templates/home.html": "<title>{{ page.title }}</title>",
        "content/index.md": page("Accueil"),
        "content/a.md": "---\ntitle: A\nbadge: neuf\nparams:\n  colour: rouge\n---\n",
    }
    site = write_tree(tmp_path / "site", files)
    output = tmp_path / "output"
    result = run_sitegen("build", site, "--output", output)
    assert result.returncode == 0, result.stderr
    assert "<p>neuf rouge</p>" in (output / "fr" / "a" / "index.html").read_text("utf-8")

    (site / "content" / "a.md").write_text("---\ntitle: A\ncolour: rouge\n---\n", "utf-8")
    assert errors_of(site, output) == [
        "error: content/a.md:3: unknown front matter key 'colour'",
        "hint: put a key of your own under 'params:' (page.params.colour in templates), "
        "or declare it in the theme's theme.yaml (front_matter)",
    ]
    (site / "content" / "a.md").write_text("---\ntitle: A\nparams: rouge\n---\n", "utf-8")
    assert errors_of(site, output) == [
        "error: content/a.md:3: 'params' must be a mapping of your own keys and values"
    ]


# ---------- feed columns ----------


def rewrite_products(site: Path, change: Callable[[list[list[str]]], None]) -> None:
    feed = site / "data" / "products.csv"
    rows = list(csv.reader(io.StringIO(feed.read_text("utf-8"))))
    change(rows)
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    feed.write_text(text.getvalue(), "utf-8")


def test_a_misnamed_column_is_one_error_with_the_closest_field(example: tuple) -> None:
    def rename(rows: list[list[str]]) -> None:
        rows[0][rows[0].index("sale_price")] = "sale price"

    rewrite_products(example[0], rename)
    column = 10  # sale_price is the 10th column of the example's feed
    fails_with(
        example,
        f"error: data/products.csv:2:{column}: unknown field 'sale price'",
        "hint: did you mean 'sale_price'?",
    )


def test_a_missing_required_column_is_said_once(example: tuple) -> None:
    def rename(rows: list[list[str]]) -> None:
        header = rows[0]
        header[header.index("name.fr")] = "nom.fr"
        header[header.index("name.en")] = "nom.en"

    rewrite_products(example[0], rename)
    fails_with(
        example,
        "error: data/products.csv:2: no item has a 'name'",
        "hint: a CSV file needs a column 'name' (or 'name.fr', 'name.en'... "
        "for a text in each language)",
        "error: data/products.csv:2:4: unknown field 'nom'",
        "hint: the fields read: available_from, available_until, category, currency, "
        "description, id, image, merchant, name, offer_ends, offer_starts, price, "
        "reference_price, sale_price, tags, url; a theme declares the fields its templates "
        "read in theme.yaml (feed_fields)",
    )


# ---------- components naming items ----------


@pytest.mark.parametrize(
    ("component", "said", "hint"),
    [
        (
            "::: spotlight merchant=atelier-lumon",
            "data.merchants has no item with id 'atelier-lumon' (component 'spotlight')",
            "did you mean 'atelier-lumen'?",
        ),
        (
            "::: products category=fashon limit=3",
            "data.categories has no item with id 'fashon' (component 'products')",
            "did you mean 'fashion'?",
        ),
        (
            "::: stat id=gmv-2019-eux",
            "data.stats has no item with id 'gmv-2019-eux' (component 'stat')",
            "did you mean 'gmv-2019-eur'?",
        ),
    ],
)
def test_a_component_naming_no_item_is_an_error_at_its_line(
    example: tuple, component: str, said: str, hint: str
) -> None:
    site = example[0]
    path = site / "content" / "join.fr.md"
    text = path.read_text("utf-8")
    path.write_text(text + f"\n{component}\n:::\n", "utf-8")
    line = len(text.splitlines()) + 2
    fails_with(example, f"error: content/join.fr.md:{line}: {said}", f"hint: {hint}")
