"""Image sizes as displayed, SVG sizes, refused files, and the cached WebP variants."""

from __future__ import annotations

import hashlib
import io
import os
import time
from pathlib import Path

import pytest
from PIL import Image, ImageCms, ImageDraw, ImageOps

from sitegen.rendering.images import ImageError, ImageInfo, Images, variant_height, variant_widths

RED, GREEN, BLUE, YELLOW = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0)
SVG = 'xmlns="http://www.w3.org/2000/svg"'


def quadrants(width: int = 40, height: int = 20) -> Image.Image:
    """Four colours, so any turn or flip shows."""
    image = Image.new("RGB", (width, height), RED)
    draw = ImageDraw.Draw(image)
    draw.rectangle((width // 2, 0, width, height // 2), GREEN)
    draw.rectangle((0, height // 2, width // 2, height), BLUE)
    draw.rectangle((width // 2, height // 2, width, height), YELLOW)
    return image


def save(image: Image.Image, path: Path, fmt: str, **params: object) -> Path:
    image.save(path, fmt, **params)
    return path


def encoded(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def pixel(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    value = image.getpixel(xy)
    assert isinstance(value, tuple)
    return value


def close(color: tuple[int, ...], expected: tuple[int, ...]) -> bool:
    """Lossy WebP: a colour within a few steps."""
    return all(abs(a - b) <= 40 for a, b in zip(color, expected, strict=True))


def test_sizes_formats_and_digest(tmp_path: Path) -> None:
    image = quadrants(30, 20)
    for fmt, suffix, mode in [
        ("JPEG", ".jpg", "RGB"),
        ("PNG", ".png", "RGBA"),
        ("GIF", ".gif", "P"),
        ("WEBP", ".webp", "RGB"),
    ]:
        path = save(image.convert(mode), tmp_path / f"a{suffix}", fmt)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        assert Images(None).info(path) == ImageInfo(30, 20, fmt.lower(), digest)


def test_orientation_6_swaps_width_and_height(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6
    path = save(quadrants(40, 20), tmp_path / "portrait.jpg", "JPEG", exif=exif, quality=95)
    images = Images(None)
    info = images.info(path)
    assert (info.width, info.height) == (20, 40)
    variant = decoded(images.webp(path, 10))
    assert variant.size == (10, 20)
    assert close(pixel(variant, (7, 2)), RED)  # stored top left, displayed top right


@pytest.mark.parametrize("orientation", range(1, 9))
def test_variants_are_upright_as_pillow_shows_them(tmp_path: Path, orientation: int) -> None:
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = save(quadrants(40, 20), tmp_path / "photo.png", "PNG", exif=exif)
    images = Images(None)
    info = images.info(path)
    variant = decoded(images.webp(path, info.width))
    upright = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    assert variant.size == upright.size == (info.width, info.height)
    for x in (info.width // 4, info.width * 3 // 4):
        for y in (info.height // 4, info.height * 3 // 4):
            assert close(pixel(variant, (x, y)), pixel(upright, (x, y)))


@pytest.mark.parametrize(
    ("text", "size"),
    [
        (f'<svg {SVG} width="120" height="80"/>', (120, 80)),
        (f'<svg {SVG} width="120px" height=" 80.4px "/>', (120, 80)),
        (f'<svg {SVG} viewBox="0 0 33.6 10.2"/>', (34, 10)),
        (f'<svg {SVG} viewBox="0,0,0.2,0.3"/>', (1, 1)),
        (f'<svg {SVG} width="50%" height="2em" viewBox="0 0 300 150"/>', (300, 150)),
        (f'<svg {SVG} width="600" viewBox="0 0 300 150"/>', (600, 300)),
        (f'<svg {SVG} height="50" viewBox="0 0 300 150"/>', (100, 50)),
    ],
)
def test_svg_size(tmp_path: Path, text: str, size: tuple[int, int]) -> None:
    path = tmp_path / "logo.svg"
    path.write_text(text)
    info = Images(None).info(path)
    assert (info.width, info.height, info.format, info.resizable) == (*size, "svg", False)


def test_svg_is_known_by_its_content(tmp_path: Path) -> None:
    path = tmp_path / "logo.bin"
    path.write_text(f'<?xml version="1.0"?>\n<svg {SVG} width="8" height="4"></svg>')
    assert Images(None).info(path).format == "svg"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"<svg {SVG}/>", "an SVG without width/height or viewBox"),
        (f'<svg {SVG} width="1e999" height="1"/>', "an SVG of an impossible size"),
        ('<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg width="1" height="1">&a;</svg>', "DOCTYPE"),
        ('<svg width="1" height="1">', "not well-formed XML"),
        ('<html width="1" height="1"/>', "not an SVG"),
    ],
)
def test_unusable_svg(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "logo.svg"
    path.write_text(text)
    with pytest.raises(ImageError, match=message):
        Images(None).info(path)


@pytest.mark.parametrize(
    "content", [b"", b"plain text, not a picture", encoded(quadrants(), "PNG")[:20]]
)
def test_not_an_image(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(content)
    with pytest.raises(ImageError, match=r"^not an image Pillow can read"):
        Images(None).info(path)


def test_truncated_pixels_are_refused_when_resized(tmp_path: Path) -> None:
    data = encoded(Image.effect_noise((64, 64), 50).convert("RGB"), "JPEG")
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: len(data) // 2])
    images = Images(None)
    assert images.info(path).width == 64  # the header is whole
    with pytest.raises(ImageError, match="truncated"):
        images.webp(path, 32)


def test_missing_file_is_the_callers_to_report(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        Images(None).info(tmp_path / "gone.png")


@pytest.mark.parametrize("side", [12, 20])  # over the limit (a warning), over twice (an error)
def test_decompression_bomb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, side: int) -> None:
    path = save(Image.new("RGB", (side, side)), tmp_path / "bomb.png", "PNG")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    with pytest.raises(ImageError, match=f"^too large: {side * side} pixels$"):
        Images(None).info(path)


def test_variant_widths() -> None:
    photo = ImageInfo(1000, 500, "jpeg", "0" * 16)
    assert variant_widths(photo, [800, 400, 1600, 400, 0, -5, 1000]) == (400, 800, 1000)
    assert variant_widths(photo, [1200, 2400]) == (1000,)
    assert variant_widths(photo, []) == ()
    assert variant_widths(ImageInfo(100, 100, "svg", "0" * 16), [50]) == ()


def test_variant_height() -> None:
    assert variant_height(ImageInfo(1000, 667, "jpeg", "0" * 16), 400) == 267
    assert variant_height(ImageInfo(1000, 1, "png", "0" * 16), 10) == 1


def test_webp_has_the_asked_size(tmp_path: Path) -> None:
    path = save(quadrants(400, 300), tmp_path / "photo.jpg", "JPEG")
    variant = decoded(Images(None).webp(path, 100))
    assert (variant.format, variant.size) == ("WEBP", (100, 75))


def test_webp_refuses_enlargements_and_svg(tmp_path: Path) -> None:
    path = save(quadrants(40, 20), tmp_path / "photo.png", "PNG")
    svg = tmp_path / "logo.svg"
    svg.write_text(f'<svg {SVG} width="100" height="100"/>')
    images = Images(None)
    for source, width in [(path, 41), (path, 0), (svg, 50)]:
        with pytest.raises(ValueError):
            images.webp(source, width)


def test_transparency_is_kept(tmp_path: Path) -> None:
    """Left half transparent, right half blue: as an RGBA PNG and as a GIF."""
    image = Image.new("RGBA", (40, 20), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((20, 0, 40, 20), (*BLUE, 255))
    png = save(image, tmp_path / "logo.png", "PNG")
    gif = save(image, tmp_path / "logo.gif", "GIF")
    assert Image.open(gif).mode == "P"
    for path in (png, gif):
        variant = decoded(Images(None).webp(path, 20))
        assert variant.mode == "RGBA"
        assert pixel(variant, (2, 5))[3] <= 8
        assert close(pixel(variant, (17, 5)), (*BLUE, 255))


def test_icc_profile_kept_exif_dropped(tmp_path: Path) -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    path = save(quadrants(), tmp_path / "photo.jpg", "JPEG", icc_profile=srgb, exif=exif)
    variant = decoded(Images(None).webp(path, 20))
    assert variant.info.get("icc_profile") == srgb
    assert "exif" not in variant.info
    assert not variant.getexif()


def test_cmyk_and_16_bit_grey_become_rgb(tmp_path: Path) -> None:
    cmyk = save(quadrants().convert("CMYK"), tmp_path / "print.jpg", "JPEG")
    grey = save(Image.new("I;16", (40, 20), 32768), tmp_path / "scan.png", "PNG")
    assert decoded(Images(None).webp(cmyk, 20)).mode == "RGB"
    assert close(pixel(decoded(Images(None).webp(grey, 20)), (5, 5)), (128, 128, 128))


def test_animation_gives_its_first_frame(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (20, 20), color) for color in (RED, BLUE)]
    path = save(frames[0], tmp_path / "a.gif", "GIF", save_all=True, append_images=frames[1:])
    variant = decoded(Images(None).webp(path, 10))
    assert getattr(variant, "n_frames", 1) == 1
    assert close(pixel(variant, (5, 5)), RED)


def test_webp_is_deterministic(tmp_path: Path) -> None:
    path = save(Image.effect_noise((200, 100), 40).convert("RGB"), tmp_path / "n.png", "PNG")
    assert Images(None).webp(path, 120) == Images(None).webp(path, 120)


def test_disk_cache_serves_the_next_instance(tmp_path: Path) -> None:
    path = save(quadrants(), tmp_path / "photo.png", "PNG")
    cache = tmp_path / "cache" / "images"
    Images(cache).webp(path, 20)
    (entry,) = cache.iterdir()
    assert entry.name.startswith(f"{Images(None).info(path).digest}-20w-q80-")
    assert entry.suffix == ".webp"
    planted = encoded(Image.new("RGB", (20, 10), BLUE), "WEBP")
    entry.write_bytes(planted)
    assert Images(cache).webp(path, 20) == planted


def test_no_cache_folder_until_needed(tmp_path: Path) -> None:
    path = save(quadrants(), tmp_path / "photo.png", "PNG")
    cache = tmp_path / "cache"
    images = Images(cache)
    images.info(path)
    assert not cache.exists()
    images.webp(path, 20)
    assert [entry.suffix for entry in cache.iterdir()] == [".webp"]  # no temporary file left


@pytest.mark.parametrize(
    "damage",
    [lambda data: data[:-7], lambda data: b"RIFX" + data[4:], lambda data: b""],
    ids=["truncated", "wrong magic", "empty"],
)
def test_damaged_cache_entry_is_rewritten(tmp_path: Path, damage: object) -> None:
    path = save(quadrants(), tmp_path / "photo.png", "PNG")
    cache = tmp_path / "cache"
    good = Images(cache).webp(path, 20)
    (entry,) = cache.iterdir()
    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    assert Images(cache).webp(path, 20) == good
    assert entry.read_bytes() == good


def test_unwritable_cache_is_only_slower(tmp_path: Path) -> None:
    path = save(quadrants(), tmp_path / "photo.png", "PNG")
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    assert Images(blocked).webp(path, 20) == Images(None).webp(path, 20)


def test_file_changed_while_resizing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = save(quadrants(), tmp_path / "photo.png", "PNG")
    cache = tmp_path / "cache"
    images = Images(cache)
    monkeypatch.setattr(images, "info", lambda _: ImageInfo(40, 20, "png", "0" * 16))
    with pytest.raises(ImageError, match="changed"):
        images.webp(path, 20)
    assert not cache.exists()


def test_info_is_read_again_when_the_file_changes(tmp_path: Path) -> None:
    path = save(quadrants(40, 20), tmp_path / "photo.png", "PNG")
    settled = time.time_ns() - 60_000_000_000
    os.utime(path, ns=(settled, settled))
    images = Images(None)
    first = images.info(path)
    assert images.info(path) is first
    save(quadrants(30, 30), path, "PNG")
    os.utime(path, ns=(settled + 1_000_000_000, settled + 1_000_000_000))
    second = images.info(path)
    assert (second.width, second.height) == (30, 30)
    assert second.digest != first.digest


def test_a_just_written_file_is_read_again(tmp_path: Path) -> None:
    """Its next change might keep the same stamp (coarse file system clocks)."""
    path = save(quadrants(), tmp_path / "photo.png", "PNG")
    images = Images(None)
    first = images.info(path)
    assert images.info(path) == first
    assert images.info(path) is not first
