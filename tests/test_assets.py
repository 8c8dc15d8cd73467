"""sitegen.rendering.assets: hashed names, minified stylesheets, scripts and pages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from sitegen.building.buildcontract import BuildOptions
from sitegen.building.pipeline import build
from sitegen.rendering.assets import (
    ASSETS_FOLDER,
    AssetProblem,
    Assets,
    hashed_name,
    minify_html,
    site_absolute_urls,
)
from tests.conftest import page, parse_html, run_sitegen, write_tree

HASHED = re.compile(rf"^{ASSETS_FOLDER}/css/site\.[0-9a-f]{{10}}\.css$")


def test_hashed_names_keep_the_folder_and_take_a_suffix() -> None:
    assert hashed_name("css/site.css", "0123456789abcdef") == "_assets/css/site.0123456789.css"
    assert hashed_name("logo.svg", "fedcba9876543210") == "_assets/logo.fedcba9876.svg"
    assert (
        hashed_name("img/a.photo.jpg", "00aa11bb22cc", ".640w.webp")
        == "_assets/img/a.photo.00aa11bb22.640w.webp"
    )


@pytest.mark.parametrize(
    ("css", "expected"),
    [
        ("a{background:url(bg.png)}", "a{background:url(/css/bg.png)}"),
        ("a{background:url('../img/x.svg')}", "a{background:url('/img/x.svg')}"),
        ('a{background:url( "./f/y.woff2?v=1#x" )}', 'a{background:url( "/css/f/y.woff2?v=1#x" )}'),
        ("a{background:url(/img/x.svg)}", "a{background:url(/img/x.svg)}"),
        (
            "a{background:url(data:image/png;base64,AAAA)}",
            "a{background:url(data:image/png;base64,AAAA)}",
        ),
        (
            "a{background:url(https://cdn.example/x.png)}",
            "a{background:url(https://cdn.example/x.png)}",
        ),
        ("a{fill:url(#gradient)}", "a{fill:url(#gradient)}"),
        ('@import "print.css";', '@import "/css/print.css";'),
        ("a{background:url(../../../x.png)}", "a{background:url(/x.png)}"),
    ],
)
def test_a_stylesheets_relative_urls_become_site_absolute(css: str, expected: str) -> None:
    assert site_absolute_urls(css, "css/site.css", "/") == expected


def test_site_absolute_urls_follow_the_base_path() -> None:
    assert site_absolute_urls("a{b:url(x.png)}", "site.css", "/shop/") == "a{b:url(/shop/x.png)}"


def test_minified_pages_keep_quotes_end_tags_and_text() -> None:
    page = (
        b'<!DOCTYPE html>\n<html lang="fr">\n<head>\n  <title>Prix</title>\n</head>\n<body>\n'
        b'  <!-- a comment -->\n  <p class="price">62,90\xc2\xa0\xe2\x82\xac</p>\n'
        b"  <pre>  kept\n    as is</pre>\n</body>\n</html>\n"
    )
    minified = minify_html(page)
    assert len(minified) < len(page)
    assert b"a comment" not in minified
    assert b'<p class="price">62,90\xc2\xa0\xe2\x82\xac</p>' in minified
    assert b"</body></html>" in minified
    assert BeautifulSoup(minified, "html.parser").pre.string == "  kept\n    as is"


def test_a_page_with_a_nul_character_is_left_whole() -> None:
    page = b"<p>before\x00after</p>\n<p>next</p>\n"
    assert minify_html(page) == page


def _static(tmp_path: Path, relative: str, content: bytes) -> Path:
    path = tmp_path / "static" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def test_a_stylesheet_is_published_minified_under_a_name_that_follows_its_content(
    tmp_path: Path,
) -> None:
    source = _static(tmp_path, "css/site.css", b"/* theme */\nbody {\n  color: #ff0000;\n}\n")
    assets = Assets()
    first = assets.publish("css/site.css", source, "/")
    assert HASHED.match(first.path)
    assert first.content == b"body{color:red}"
    assert assets.publish("css/site.css", source, "/") is first  # made once
    source.write_bytes(b"body { color: blue }\n")
    second = assets.publish("css/site.css", source, "/")
    assert second.path != first.path
    assert HASHED.match(second.path)


def test_a_script_is_minified_and_other_files_are_published_as_they_are(tmp_path: Path) -> None:
    script = _static(
        tmp_path, "js/app.js", b"function add(first, second) {\n  return first + second;\n}\n"
    )
    published = Assets().publish("js/app.js", script, "/")
    assert published.path.startswith(f"{ASSETS_FOLDER}/js/app.")
    assert published.content.startswith(b"function add(")
    assert len(published.content) < script.stat().st_size
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>\n'
    image = _static(tmp_path, "img/dot.svg", svg)
    assert Assets().publish("img/dot.svg", image, "/").content == svg


def test_a_script_that_does_not_parse_is_a_problem_at_its_line(tmp_path: Path) -> None:
    script = _static(tmp_path, "js/broken.js", b"const ok = 1;\nconst broken = ;\n")
    with pytest.raises(AssetProblem) as caught:
        Assets().publish("js/broken.js", script, "/")
    problem = caught.value.problem
    assert (problem.path, problem.line, problem.column) == (script, 2, 16)
    assert problem.message.startswith("cannot minify: unexpected ;")


def test_a_stylesheet_that_is_not_utf8_is_a_problem_at_its_line(tmp_path: Path) -> None:
    sheet = _static(tmp_path, "css/old.css", b"a { color: red }\n/* caf\xe9 */\n")
    with pytest.raises(AssetProblem) as caught:
        Assets().publish("css/old.css", sheet, "/")
    assert (caught.value.problem.path, caught.value.problem.line) == (sheet, 2)
    assert "UTF-8" in caught.value.problem.message


# ---------------------------------------------------------------- in a build

GALLERY = """<!doctype html>
<html lang="{{ lang.code }}"><head><meta charset="utf-8"><title>{{ page.title }}</title>
  <link rel="stylesheet" href="{{ asset('css/site.css') }}">
</head>
<body>
  <main>
    {{ image("img/photo.jpg", "Lanterns <at> night", sizes="50vw") }}
    {{ image("img/photo.jpg", "", widths=[2000, 5000], lazy=false, fetchpriority="high") }}
    {{ image("img/icon.svg", "Icon", class='a"b') }}
  </main>
</body></html>
"""
ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48.4 24">\n</svg>\n'


def gallery_site(root: Path) -> Path:
    write_tree(
        root,
        {
            "site.yaml": "title: Gallery\nbase_url: https://gallery.example/\n"
            "languages: [en]\ntimezone: UTC\n",
            "content/index.md": page("Gallery"),
            "templates/home.html": GALLERY,
            "static/css/site.css": "main {\n  background: url(../img/icon.svg);\n}\n",
            "static/img/icon.svg": ICON,
        },
    )
    Image.new("RGB", (1000, 500), (200, 30, 40)).save(root / "static" / "img" / "photo.jpg")
    return root


def images_of(output: Path) -> list[dict[str, str]]:
    soup = parse_html(output / "en" / "index.html")
    return [dict(img.attrs) for img in soup.find_all("img")]


def test_image_gives_sizes_and_webp_variants_and_asset_a_hashed_minified_copy(
    tmp_path: Path,
) -> None:
    site = gallery_site(tmp_path / "site")
    assert run_sitegen("build", site).returncode == 0
    output = site / "output"
    photo, hero, icon = images_of(output)
    variants = [entry.split() for entry in photo["srcset"].split(", ")]
    assert [width for _, width in variants] == ["320w", "640w", "960w"]  # none wider than 1000
    assert photo["src"] == variants[-1][0]
    assert (photo["width"], photo["height"], photo["sizes"]) == ("960", "480", "50vw")
    assert (photo["alt"], photo["loading"], photo["decoding"]) == (
        "Lanterns <at> night",
        "lazy",
        "async",
    )
    for url, width in variants:
        assert re.fullmatch(r"/_assets/img/photo\.[0-9a-f]{10}\.\d+w\.webp", url)
        with Image.open(output / url.lstrip("/")) as variant:
            assert (variant.format, variant.width) == ("WEBP", int(width.removesuffix("w")))
            assert variant.height == variant.width // 2
    # a photo narrower than every width asked for: one variant at its own width
    assert hero["srcset"].endswith(" 1000w") and "," not in hero["srcset"]
    assert "loading" not in hero and hero["fetchpriority"] == "high" and hero["alt"] == ""
    # an SVG: not resized, its viewBox's size, attributes escaped
    assert "srcset" not in icon and "sizes" not in icon
    assert (icon["width"], icon["height"], icon["class"]) == ("48", "24", ['a"b'])
    assert (output / icon["src"].lstrip("/")).read_text() == ICON
    assert "\n  " not in (output / "en" / "index.html").read_text()  # minified
    stylesheet = parse_html(output / "en" / "index.html").find("link", rel="stylesheet")["href"]
    assert (output / stylesheet.lstrip("/")).read_text() == "main{background:url(/img/icon.svg)}"
    assert (output / "css" / "site.css").exists()  # the original too, as it is
    headers = (output / "_headers").read_text()
    assert "/_assets/*\n  Cache-Control: public, max-age=31536000, immutable" in headers


def test_variants_come_from_the_cache_once_made(tmp_path: Path) -> None:
    site = gallery_site(tmp_path / "site")
    assert run_sitegen("build", site).returncode == 0
    cache = site / ".sitegen-cache" / "images"
    made = {path.name: path.stat().st_mtime_ns for path in cache.iterdir()}
    assert len(made) == 4  # 320, 640, 960 and 1000 wide
    shutil.rmtree(site / "output")
    assert run_sitegen("build", site).returncode == 0
    assert {path.name: path.stat().st_mtime_ns for path in cache.iterdir()} == made
    assert len(list((site / "output" / "_assets" / "img").glob("photo.*.webp"))) == 4


def test_serve_builds_keep_plain_names_and_readable_pages(tmp_path: Path) -> None:
    site = gallery_site(tmp_path / "site")
    build(BuildOptions(site_root=site, output=tmp_path / "out", optimize=False))
    html = (tmp_path / "out" / "en" / "index.html").read_text()
    assert '<link rel="stylesheet" href="/css/site.css">' in html
    assert "\n  <main>" in html
    assert 'class="a&#34;b"' in html and 'alt="Lanterns &lt;at&gt; night"' in html
    photo, _, icon = images_of(tmp_path / "out")
    assert icon["src"] == "/img/icon.svg"
    assert photo["srcset"].count("webp") == 3  # variants as in a build


@pytest.mark.parametrize(
    ("change", "place", "message"),
    [
        ({"static/img/photo.jpg": "not a photo"}, "static/img/photo.jpg", "cannot use this image"),
        ({"static/img/icon.svg": "<svg></svg>"}, "static/img/icon.svg", "cannot use this image"),
        (
            {"templates/home.html": '{{ image("img/none.png", "") }}'},
            "templates/home.html:1",
            "no such file",
        ),
        (
            {"static/css/site.css": "a{}", "static/_assets/x.css": "a{}"},
            "static/_assets/x.css",
            "_assets/",
        ),
    ],
)
def test_a_bad_image_or_asset_is_an_error_at_its_place(
    tmp_path: Path, change: dict[str, str], place: str, message: str
) -> None:
    site = gallery_site(tmp_path / "site")
    write_tree(site, change)
    result = run_sitegen("build", site)
    assert result.returncode == 1
    assert place in result.stderr and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (site / "output").exists()
