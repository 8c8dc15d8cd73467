"""Image sizes and resized WebP variants for responsive `<img srcset>`.

The intrinsic width and height go into the page so the layout does not shift while an
image loads; they are the size as displayed, after the EXIF orientation. Variants are
cached on disk by the content's digest, so a build does not resize an unchanged image again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import math
import re
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.base.atomicfiles import replace_file
from sitegen.base.timeutil import FileStamp

# Pillow costs ~35 ms at start-up: it is imported by the functions that read or resize
# an image, so that a site without images (and `sitegen --help`) does not pay for it.
if TYPE_CHECKING:
    from PIL import Image

QUALITY = 80
_UPRIGHT = {  # EXIF orientation → the Image.Transpose that makes the image upright
    2: "FLIP_LEFT_RIGHT",
    3: "ROTATE_180",
    4: "FLIP_TOP_BOTTOM",
    5: "TRANSPOSE",
    6: "ROTATE_270",
    7: "TRANSVERSE",
    8: "ROTATE_90",
}
_SVG_LENGTH = re.compile(r"\s*(\d*\.?\d+(?:[eE][+-]?\d+)?)\s*(?:px)?\s*")
_TOO_LARGE = re.compile(r"(\d+) pixels")


class ImageError(Exception):
    """A file that cannot be used as an image; str() is one plain sentence for a marketer."""


@dataclass(frozen=True)
class ImageInfo:
    """The size as displayed (after the EXIF orientation), the format in lower case ("jpeg",
    "png", "svg"...) and the first 16 hex digits of the SHA-256 of the file's bytes."""

    width: int
    height: int
    format: str
    digest: str

    @property
    def resizable(self) -> bool:
        """A vector image is sharp at every size: it gets no variants."""
        return self.format != "svg"


def variant_widths(info: ImageInfo, widths: Sequence[int]) -> tuple[int, ...]:
    """The widths to produce for a requested list: never an enlargement, which would only cost
    bytes; an image narrower than every request still gets one variant, at its own width."""
    if not info.resizable:
        return ()
    requested = {width for width in widths if width > 0}
    fitting = tuple(sorted(width for width in requested if width <= info.width))
    return fitting if fitting or not requested else (info.width,)


def variant_height(info: ImageInfo, width: int) -> int:
    return max(1, round(info.height * width / info.width))


class Images:
    """Reads image sizes and makes WebP variants; one per Builder (kept across builds in
    `sitegen serve`). A file is read again when its FileStamp changes or is not settled."""

    def __init__(self, cache_dir: Path | None) -> None:
        self._cache_dir = cache_dir
        self._infos: dict[Path, tuple[FileStamp, ImageInfo]] = {}

    def info(self, path: Path) -> ImageInfo:
        stamp = FileStamp.of(path)
        known = self._infos.get(path)
        if known is not None and known[0] == stamp and stamp.settled():
            return known[1]
        info = _read_info(path.read_bytes(), path.suffix)
        self._infos[path] = (stamp, info)
        return info

    def webp(self, path: Path, width: int) -> bytes:
        """The image resized to `width` (at most its own) as WebP. Not kept in memory: the
        Builder asks only for variants its last build did not write."""
        info = self.info(path)
        if not info.resizable or not 0 < width <= info.width:
            raise ValueError(f"no {width}px variant of {path} ({info.format}, {info.width}px)")
        return self._cached((info.digest, width)) or self._make(path, info, width)

    def _make(self, path: Path, info: ImageInfo, width: int) -> bytes:
        source = path.read_bytes()
        if _digest(source) != info.digest:
            # Its variant would be cached under the old content's digest.
            raise ImageError("it changed while it was being resized; build again")
        data = _encode(source, width, variant_height(info, width))
        self._store((info.digest, width), data)
        return data

    def _cached(self, key: tuple[str, int]) -> bytes | None:
        """A cache entry, unless a build stopped midway or a disk error left it incomplete."""
        if self._cache_dir is None:
            return None
        try:
            data = (self._cache_dir / _cache_name(key)).read_bytes()
        except OSError:
            return None
        return data if _is_complete_webp(data) else None

    def _store(self, key: tuple[str, int], data: bytes) -> None:
        """Atomically, so a reader never sees half an entry; a cache folder that cannot be
        written only costs the next build the same work again."""
        if self._cache_dir is None:
            return
        with contextlib.suppress(OSError):
            replace_file(self._cache_dir / _cache_name(key), data)


def _cache_name(key: tuple[str, int]) -> str:
    digest, width = key
    return f"{digest}-{width}w-q{QUALITY}-{_encoder()}.webp"


@functools.cache
def _encoder() -> str:
    """Another Pillow or libwebp may encode other bytes: its variants are other cache entries."""
    import PIL
    from PIL import features

    return hashlib.sha256(f"{PIL.__version__} {features.version('webp')}".encode()).hexdigest()[:8]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _is_complete_webp(data: bytes) -> bool:
    return (
        data[:4] == b"RIFF"
        and data[8:12] == b"WEBP"
        and int.from_bytes(data[4:8], "little") + 8 == len(data)
    )


def _read_info(data: bytes, suffix: str) -> ImageInfo:
    digest = _digest(data)
    if suffix.lower() == ".svg" or data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(
        (b"<svg", b"<?xml")
    ):
        width, height = _svg_size(data)
        return ImageInfo(width, height, "svg", digest)
    with _opened(data) as image:
        width, height = image.size
        if _orientation(image) >= 5:  # turned a quarter: the stored rows are displayed columns
            width, height = height, width
        kind = str(image.format).lower()
    # A multi-picture JPEG (from many phones) is a JPEG to a browser.
    return ImageInfo(width, height, "jpeg" if kind == "mpo" else kind, digest)


@contextlib.contextmanager
def _opened(data: bytes) -> Iterator[Image.Image]:
    """The image, with every way Pillow refuses a file as one ImageError; a decompression bomb
    (more pixels than Image.MAX_IMAGE_PIXELS) is refused too, not just warned about."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                yield image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        pixels = _TOO_LARGE.search(str(exc))
        raise ImageError(f"too large: {pixels[1]} pixels" if pixels else "too large") from None
    except UnidentifiedImageError:
        raise ImageError("not an image Pillow can read (cannot identify image file)") from None
    except (OSError, ValueError, EOFError) as exc:
        raise ImageError(f"not an image Pillow can read ({exc})") from None


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation stored before the pixels. Image.Image.getexif, not the PNG override,
    which decodes all the pixels to look for an eXIf chunk after them: reading sizes stays
    cheap, and info() and webp() agree on which way is up."""
    from PIL import ExifTags, Image

    value = Image.Image.getexif(image).get(ExifTags.Base.Orientation, 1)
    return value if value in _UPRIGHT else 1


def _encode(source: bytes, width: int, height: int) -> bytes:
    """Upright, first frame only, RGB or RGBA, without EXIF or XMP (privacy and bytes)."""
    from PIL import Image

    with _opened(source) as opened:
        orientation = _orientation(opened)  # before loading: see _orientation
        image = _rgb(opened)
        profile = opened.info.get("icc_profile")
    if orientation in _UPRIGHT:
        image = image.transpose(Image.Transpose[_UPRIGHT[orientation]])
    image = image.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A CMYK or grey profile would misdescribe the RGB pixels: those are left as sRGB.
    rgb_profile = profile if isinstance(profile, bytes) and profile[16:20] == b"RGB " else None
    image.save(out, "WEBP", quality=QUALITY, method=4, icc_profile=rgb_profile)
    return out.getvalue()


def _rgb(image: Image.Image) -> Image.Image:
    """RGBA if any pixel may be transparent, else RGB: the modes WebP holds."""
    mode = "RGBA" if image.has_transparency_data else "RGB"
    if image.mode.startswith("I"):  # 16-bit grey: its white is 65535, which 8 bits would clip
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    return image.convert(mode)


def _svg_size(data: bytes) -> tuple[int, int]:
    """From width/height in px, else the viewBox (scaled to one of them if only one is given)."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        # Entities can expand to gigabytes: an SVG has no use for them.
        raise ImageError("an SVG with a DOCTYPE or entities, which are refused for safety")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ImageError(f"an SVG that is not well-formed XML ({exc})") from None
    if root.tag.rpartition("}")[2] != "svg":
        raise ImageError("an XML file that is not an SVG")
    width, height = _svg_length(root.get("width")), _svg_length(root.get("height"))
    box = _view_box(root.get("viewBox"))
    if width and height:
        size = (width, height)
    elif box and width:
        size = (width, width * box[1] / box[0])
    elif box and height:
        size = (height * box[0] / box[1], height)
    elif box:
        size = box
    else:
        raise ImageError("an SVG without width/height or viewBox")
    if not all(map(math.isfinite, size)):
        raise ImageError("an SVG of an impossible size")
    return max(1, round(size[0])), max(1, round(size[1]))


def _svg_length(value: str | None) -> float | None:
    """A length in px; other units (%, em, cm...) need a context an image size does not have."""
    match = _SVG_LENGTH.fullmatch(value or "")
    return float(match[1]) if match and float(match[1]) > 0 else None


def _view_box(value: str | None) -> tuple[float, float] | None:
    try:
        _, _, width, height = (float(part) for part in re.split(r"[\s,]+", (value or "").strip()))
    except ValueError:
        return None
    return (width, height) if width > 0 and height > 0 else None
