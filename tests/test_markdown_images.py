"""Markdown images (`![alt](path)`) as good as `image()` in templates: found in static/
or in the page's folder, written with their size, lazy loading and WebP variants, a
missing file an error at its Markdown line that leaves the last output alone, and an
image an input of the pages that show it (a cached build equals a clean one)."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import Tag
from PIL import Image

from sitegen.building.buildcontract import BuildOptions
from sitegen.building.builder import Builder
from sitegen.model.markdownimages import ARTICLE_IMAGE_SIZES
from sitegen.output.live import LiveOutput
from tests.conftest import page, parse_html, run_sitegen, snapshot, write_tree

INTRO = "content/guides/intro.fr.md"
INTRO_BODY = """\
Le quartier en images.

![Les lanternes](img/photo.jpg)

Le plan ![Le plan](./plan.png "Plan du quartier") et le logo ![Logo](/img/logo.svg){.logo}.

![Ailleurs](https://example.org/ailleurs.jpg)
"""
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"></svg>\n'


def _picture(path: Path, size: tuple[int, int], colour: str, kind: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, kind)


def _age(site: Path) -> None:
    """Date every file ten seconds back, so the build cache may trust their stamps."""
    past = time.time() - 10
    for path in site.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A bilingual site whose French guide shows a photo of static/, a picture of its
    own folder, an SVG and an image at a URL; its English version shows the photo
    first, not lazily; a page of layout `compare` shows the photo through image()."""
    root = write_tree(
        tmp_path / "site",
        {
            "content/index.fr.md": page("Accueil"),
            "content/index.en.md": page("Home"),
            INTRO: page("Le quartier", INTRO_BODY),
            "content/guides/intro.en.md": page(
                "The area", "![The lanterns](img/photo.jpg){loading=eager}\n"
            ),
            "content/compare.fr.md": page("Comparer", layout="compare"),
            "templates/home.html": "<title>{{ page.title }}</title>",
            "templates/page.html": "<title>{{ page.title }}</title><main>{{ page.content }}</main>",
            "templates/compare.html": "<title>{{ page.title }}</title><main>"
            f'{{{{ image("img/photo.jpg", "Les lanternes", sizes="{ARTICLE_IMAGE_SIZES}") }}}}'
            "</main>",
            "static/img/logo.svg": SVG,
        },
    )
    _picture(root / "static/img/photo.jpg", (1000, 600), "orange", "JPEG")
    _picture(root / "content/guides/plan.png", (300, 180), "navy", "PNG")
    return root


NOW = "2026-11-05T12:00:00+01:00"


def _build(site: Path, output: Path, *options: str) -> None:
    result = run_sitegen("build", site, "--output", output, "--now", NOW, *options)
    assert result.returncode == 0, result.stderr


def _images(output: Path, relative: str) -> list[Tag]:
    return parse_html(output / relative).select("main img")


def _size(file: Path) -> tuple[int, int]:
    with Image.open(io.BytesIO(file.read_bytes())) as image:
        assert image.format == "WEBP"
        return image.size


def test_a_photo_of_static_is_written_as_image_writes_it(site: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    _build(site, output)
    photo = _images(output, "fr/guides/intro/index.html")[0]
    (from_template,) = _images(output, "fr/compare/index.html")
    assert photo.attrs == from_template.attrs
    assert photo["alt"] == "Les lanternes"
    assert (photo["width"], photo["height"]) == ("960", "576")
    assert (photo["loading"], photo["decoding"]) == ("lazy", "async")
    assert photo["sizes"] == ARTICLE_IMAGE_SIZES
    variants = [entry.split(" ") for entry in photo["srcset"].split(", ")]
    assert [width for _, width in variants] == ["320w", "640w", "960w"]
    for url, width in variants:
        assert url.startswith("/_assets/img/photo.") and url.endswith(f".{width}.webp")
        assert _size(output / url.lstrip("/"))[0] == int(width.removesuffix("w"))
    assert photo["src"] == variants[-1][0]


def test_a_picture_of_the_page_s_folder_is_published_at_its_path_below_content(
    site: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out"
    _build(site, output)
    plan = _images(output, "fr/guides/intro/index.html")[1]
    assert (plan["alt"], plan["title"]) == ("Le plan", "Plan du quartier")
    assert (plan["width"], plan["height"], plan["loading"]) == ("300", "180", "lazy")
    (url, width) = plan["srcset"].split(" ")
    assert width == "300w" and url.startswith("/_assets/guides/plan.")
    assert _size(output / url.lstrip("/")) == (300, 180)
    assert plan["src"] == url
    assert (output / "guides/plan.png").read_bytes() == (
        site / "content/guides/plan.png"
    ).read_bytes()


def test_an_svg_gets_its_size_and_no_variants_and_a_url_stays_as_it_is(
    site: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out"
    _build(site, output)
    logo, remote = _images(output, "fr/guides/intro/index.html")[2:]
    assert logo.attrs == {
        "src": logo["src"],
        "width": "40",
        "height": "30",
        "alt": "Logo",
        "loading": "lazy",
        "decoding": "async",
        "class": ["logo"],
    }
    assert logo["src"].startswith("/_assets/img/logo.") and logo["src"].endswith(".svg")
    assert (output / logo["src"].lstrip("/")).read_text() == SVG
    assert remote.attrs == {"src": "https://example.org/ailleurs.jpg", "alt": "Ailleurs"}


def test_loading_eager_in_braces_is_for_an_image_in_the_first_screenful(
    site: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out"
    _build(site, output)
    (photo,) = _images(output, "en/guides/intro/index.html")
    assert (photo["alt"], photo["loading"], photo["width"]) == ("The lanterns", "eager", "960")


# ---------------------------------------------------------------- errors

ERRORS = {
    "not in static": (
        "Texte.\n\n![Vitrine](affiches/vitrine.webp)\n",
        "error: content/guides/intro.fr.md:6:12: the image 'affiches/vitrine.webp' is not a "
        "file of static/ (or of the theme's)",
        "  hint: a path without ./ or ../ is a file of static/; './' starts from the page's folder",
    ),
    "misspelt": (
        "Texte.\n\nUne ligne, puis\nla photo ![Photo](/img/phot.jpg).\n",
        "error: content/guides/intro.fr.md:7:19: the image '/img/phot.jpg' is not a file "
        "of static/ (or of the theme's)",
        "  hint: did you mean 'img/photo.jpg'?",
    ),
    "beside the page without ./": (
        "![Le plan](plan.png)\n",
        "error: content/guides/intro.fr.md:4:12: the image 'plan.png' is not a file of "
        "static/ (or of the theme's)",
        "  hint: a file of that name is beside the page: write './plan.png'",
    ),
    "not beside the page": (
        "| Quoi | Image |\n|---|---|\n| Plan | ![Le plan](./plans/centre.png) |\n",
        "error: content/guides/intro.fr.md:6:21: the image './plans/centre.png' is not a "
        "file (there is no content/guides/plans/centre.png)",
        None,
    ),
    "out of content": (
        "![Le plan](../../plan.png)\n",
        "error: content/guides/intro.fr.md:4:12: the image '../../plan.png' is outside content/",
        "  hint: put it in the page's folder, or in static/",
    ),
    "a reference": (
        "Voir ![le plan][plan]\net la suite.\n\n[plan]: ./absent.png\n",
        "error: content/guides/intro.fr.md:4: the image './absent.png' is not a file "
        "(there is no content/guides/absent.png)",
        None,
    ),
    "no path": (
        "![Rien]()\n",
        "error: content/guides/intro.fr.md:4:9: this image names no file",
        None,
    ),
}


@pytest.mark.parametrize("body, error, hint", ERRORS.values(), ids=list(ERRORS))
def test_a_missing_image_is_an_error_at_its_line_and_the_output_stays(
    site: Path, tmp_path: Path, body: str, error: str, hint: str | None
) -> None:
    output = tmp_path / "out"
    _build(site, output)
    before = snapshot(output)
    (site / INTRO).write_text(page("Le quartier", body), "utf-8")
    result = run_sitegen("build", site, "--output", output, "--now", NOW, cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert [line for line in lines if line.startswith("error:")] == [error]
    assert [line for line in lines if line.startswith("  hint:")] == ([hint] if hint else [])
    assert snapshot(output) == before


def test_an_image_of_the_page_s_folder_may_not_take_a_static_file_s_place(
    site: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out"
    _build(site, output)
    before = snapshot(output)
    _picture(site / "content/img/photo.jpg", (10, 10), "red", "JPEG")
    (site / "content/photos.fr.md").write_text(page("Photos", "![Rouge](./img/photo.jpg)\n"))
    result = run_sitegen("build", site, "--output", output, "--now", NOW, cwd=site)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "error: content/photos.fr.md:4:10: the image './img/photo.jpg' would be published as "
        "/img/photo.jpg, like the file of static/ of that name"
    )
    assert snapshot(output) == before


# ---------------------------------------------------------------- incremental builds

CHANGES: dict[str, Callable[[Path], object]] = {
    "a photo of static replaced": lambda site: _picture(
        site / "static/img/photo.jpg", (700, 420), "green", "JPEG"
    ),
    "a picture of the page's folder replaced": lambda site: _picture(
        site / "content/guides/plan.png", (200, 150), "green", "PNG"
    ),
    # the same HTML around the placeholders: the page's images must tell the change
    "another image named": lambda site: (site / INTRO).write_text(
        page("Le quartier", INTRO_BODY.replace("img/photo.jpg", "./plan.png")), "utf-8"
    ),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=list(CHANGES))
def test_a_cached_build_after_an_image_change_equals_a_clean_build(
    site: Path, tmp_path: Path, change: Callable[[Path], object]
) -> None:
    _age(site)
    output = tmp_path / "out"
    _build(site, output)
    page_before = (output / "fr/guides/intro/index.html").read_bytes()
    change(site)
    _build(site, output)
    clean = tmp_path / "clean"
    _build(site, clean, "--no-cache", "--jobs", "1")
    assert snapshot(output) == snapshot(clean)
    assert (output / "fr/guides/intro/index.html").read_bytes() != page_before


def test_a_replaced_image_renders_its_pages_again_while_serving(site: Path, tmp_path: Path) -> None:
    live = LiveOutput(tmp_path / "live")
    now = dt.datetime.fromisoformat(NOW)
    builder = Builder(BuildOptions(site_root=site, now=now))
    with live.update() as update:
        builder.build(update, live.folder)
    _picture(site / "content/guides/plan.png", (200, 150), "green", "PNG")
    with live.update() as update:
        result = builder.build(update, live.folder)
    assert "fr/guides/intro/index.html" in result.rendered
    assert "en/guides/intro/index.html" not in result.rendered  # it shows the photo only
    clean = LiveOutput(tmp_path / "clean")
    with clean.update() as update:
        Builder(BuildOptions(site_root=site, now=now)).build(update, clean.folder)
    assert snapshot(live.folder) == snapshot(clean.folder)
