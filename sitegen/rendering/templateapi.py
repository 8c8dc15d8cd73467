"""The functions and tests templates call besides the lookups: `asset()`, `image()`,
`url()`, `track()`, `phase_attrs()`, `offer()`, `offer_attrs()`, `fail()`, and the
tests `is past` / `is future`.
A new template function belongs here (and in `Renderer`'s setup of an environment)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from sitegen.base.dependencies import Input, Recorder
from sitegen.base.errors import Problem
from sitegen.base.messages import _
from sitegen.base.timeutil import as_instant
from sitegen.model.site import Site
from sitegen.rendering.assets import AssetProblem, Assets, hashed_name
from sitegen.rendering.images import ImageError, ImageInfo, Images, variant_height, variant_widths
from sitegen.rendering.viewinputs import PHASE, Passed
from sitegen.settings.campaign import phase_attributes, unknown_phases
from sitegen.settings.offers import OFFER_STATES, RUNNING, Offer, offer_of
from sitegen.sources.links import add_tracking

DEFAULT_IMAGE_WIDTHS = (320, 640, 960, 1280, 1920)
"""The widths `image()` makes of a photo (none wider than the photo): phones at one
device pixel per CSS pixel to wide screens at two."""
DEFAULT_IMAGE_SIZES = "100vw"
"""How wide `image()` says the picture is shown, unless the template says better
(`sizes="(min-width: 48rem) 24rem, 100vw"`)."""


class AssetNotFound(Exception):
    pass


class PhaseError(Exception):
    pass


class TemplateFailure(Exception):
    pass


class OfferStateError(Exception):
    pass


class StaticInput(Input["TemplateApi"]):
    """An input found among the static files."""

    __slots__ = ()


class GeneratingInput(StaticInput):
    """A static file an output links to under _assets/ (see `generated_files`)."""

    __slots__ = ()
    path: str


@dataclass(frozen=True, slots=True)
class AssetInput(GeneratingInput):
    """A static file named by `asset()`: its bytes (its published name and content
    follow from them)."""

    path: str

    def fingerprint(self, api: TemplateApi) -> object:
        source = api.static_files.get(self.path)
        if source is None:
            return None
        try:
            return hashlib.sha256(source.read_bytes()).digest()
        except OSError:
            return None


@dataclass(frozen=True, slots=True)
class ImageInput(GeneratingInput):
    """An image shown by `image()` at some widths: its size and digest."""

    path: str
    widths: str
    """The widths asked for, as '320,640'."""

    def fingerprint(self, api: TemplateApi) -> object:
        if self.path not in api.static_files:
            return None
        try:
            return api.image_info(self.path)
        except AssetProblem as exc:
            return exc.problem


@dataclass(frozen=True, slots=True)
class StaticFolders(StaticInput):
    """The top-level folders of the static files (css, img...): `_headers` names them."""

    def fingerprint(self, api: TemplateApi) -> object:
        return api.static_folders()


class TemplateApi:
    """The template functions of one build."""

    def __init__(
        self,
        site: Site,
        recorder: Recorder,
        static_files: dict[str, Path],
        assets: Assets | None,
        images: Images,
    ) -> None:
        """`assets`: publish what `asset()` names under hashed names (sitegen build);
        None keeps the static files' own names (serve). `images`: where `image()` gets
        sizes and variants (kept across builds)."""
        self.site = site
        self.recorder = recorder
        self.static_files = static_files
        self._assets = assets
        self._images = images
        self._published_paths: dict[str, str] = {}
        """Each static file's published path, worked out once per build: every page
        asks for the stylesheet, and publishing reads and hashes the file."""
        self._image_sources_made: dict[tuple[str, str, str], dict[str, Any]] = {}
        self._asset_inputs: dict[str, AssetInput] = {}
        self._image_inputs: dict[tuple[str, str], ImageInput] = {}
        """The inputs of the files asked for, made once (every page asks for the same)."""
        self._offers: dict[int, tuple[Mapping[str, Any], Offer | None, tuple[Passed, ...]]] = {}
        """Each product's offer and the instants it depends on, by the item (kept, so
        that its id is not reused): every card and page that shows it asks again."""

    def template_functions(self) -> dict[str, Callable[..., Any]]:
        """The functions templates call, by the names they call them: a new template
        function is a method of this class and a line here (and a row of
        docs/reference/template-api.md, which tests/test_docs.py holds to this)."""
        return {
            "asset": self.asset,
            "image": self.image,
            "url": self.url,
            "phase_attrs": self.phase_attrs,
            "offer": self.offer,
            "offer_attrs": self.offer_attrs,
            "track": self.track,
            "fail": fail,
        }

    def template_tests(self) -> dict[str, Callable[..., bool]]:
        """The tests templates use (`is past`, `is future`), by name."""
        return {"past": self.is_past, "future": self.is_future}

    def url(self, path: str) -> str:
        """`url("/fr/")`: a site path with the base path in front."""
        return self.site.config.base_path + path.lstrip("/")

    def asset(self, path: str) -> str:
        """`asset("css/site.css")`: the URL of a static file as published (with a hash
        of its content in its name in `sitegen build`)."""
        clean = path.lstrip("/")
        self.recorder.read(self._asset_input(clean))
        if clean not in self.static_files:
            message = _("asset('%(path)s'): no such file in any static/ folder")
            raise AssetNotFound(message % {"path": path})
        return self.url("/" + self._published_path(clean))

    def _asset_input(self, clean: str) -> AssetInput:
        key = self._asset_inputs.get(clean)
        if key is None:
            key = self._asset_inputs[clean] = AssetInput(clean)
        return key

    def _published_path(self, clean: str) -> str:
        if self._assets is None:
            return clean
        known = self._published_paths.get(clean)
        if known is None:
            published = self._assets.publish(clean, self.static_files[clean], self.url("/"))
            known = self._published_paths[clean] = published.path
        return known

    def image(
        self,
        path: str,
        alt: str,
        sizes: str = DEFAULT_IMAGE_SIZES,
        widths: Sequence[int] = DEFAULT_IMAGE_WIDTHS,
        lazy: bool = True,
        **attributes: Any,
    ) -> Markup:
        """`image("img/photo.jpg", "alt text")`: an <img> with its intrinsic width and
        height (no layout shift) and, for a photo, WebP variants in `srcset` for
        `sizes`; `lazy=false` for an image in the first screenful. Other keywords
        become attributes (`class`, `fetchpriority`...)."""
        clean = path.lstrip("/")
        asked = ",".join(str(width) for width in widths)
        key = self._image_inputs.get((clean, asked))
        if key is None:
            key = self._image_inputs[clean, asked] = ImageInput(clean, asked)
        self.recorder.read(key)
        self.recorder.read(self._asset_input(clean))
        shown = dict(self._image_sources(clean, asked, sizes))
        shown.update(alt=alt, loading="lazy" if lazy else None, decoding="async")
        shown.update(attributes)
        return Markup(
            "<img"
            + "".join(
                f' {name}="{escape(value)}"' for name, value in shown.items() if value is not None
            )
            + ">"
        )

    def _image_sources(self, clean: str, asked: str, sizes: str) -> dict[str, Any]:
        """An image's src, srcset, sizes, width and height, worked out once per build
        for each widths and sizes asked (a product's picture is on many pages)."""
        key = (clean, asked, sizes)
        known = self._image_sources_made.get(key)
        if known is not None:
            return known
        if clean not in self.static_files:
            message = _("image('%(path)s'): no such file in any static/ folder")
            raise AssetNotFound(message % {"path": clean})
        info = self.image_info(clean)
        chosen = variant_widths(info, [int(width) for width in asked.split(",") if width])
        shown: dict[str, Any] = {
            "src": self.asset(clean),
            "srcset": None,
            "sizes": None,
            "width": info.width,
            "height": info.height,
        }
        if chosen:
            srcset = [f"{self.url('/' + self._variant_path(clean, w))} {w}w" for w in chosen]
            widest = chosen[-1]
            shown.update(
                src=srcset[-1].rpartition(" ")[0],
                srcset=", ".join(srcset),
                sizes=sizes,
                width=widest,
                height=variant_height(info, widest),
            )
        self._image_sources_made[key] = shown
        return shown

    def image_info(self, clean: str) -> ImageInfo:
        source = self.static_files[clean]
        try:
            return self._images.info(source)
        except ImageError as exc:
            message = _("cannot use this image: %(error)s") % {"error": exc}
            raise AssetProblem(Problem(source, None, message)) from None

    def _variant_path(self, clean: str, width: int) -> str:
        return hashed_name(clean, self.image_info(clean).digest, f".{width}w.webp")

    def static_folders(self) -> tuple[str, ...]:
        """The top-level folders of the static files: css, img, js..."""
        return tuple(sorted({path.split("/")[0] for path in self.static_files if "/" in path}))

    def generated_files(self, keys: Iterable[GeneratingInput]) -> dict[str, Callable[[], bytes]]:
        """The files under _assets/ that the outputs reading `keys` link to, by path:
        published static files and image variants."""
        files: dict[str, Callable[[], bytes]] = {}
        for key in keys:
            if key.path not in self.static_files:
                continue
            clean = key.path
            if isinstance(key, AssetInput) and self._assets is not None:
                published = self._assets.publish(clean, self.static_files[clean], self.url("/"))
                files[published.path] = partial(_unchanged, published.content)
            elif isinstance(key, ImageInput):
                source = self.static_files[clean]
                info = self.image_info(clean)
                for width in variant_widths(info, [int(w) for w in key.widths.split(",")]):
                    files[self._variant_path(clean, width)] = partial(
                        self._images.webp, source, width
                    )
        return files

    def phase_attrs(self, *names: str) -> Markup:
        """`<section{{ phase_attrs("live") }}>`: shown only while one of these phases is on."""
        campaign = self.site.config.campaign
        unknown = unknown_phases(names, campaign)
        if campaign is None or unknown or not names:
            known = (
                ", ".join(campaign.phase_names)
                if campaign
                else _("none: site.yaml has no campaign")
            )
            message = _("phase_attrs%(names)s: unknown phase (known phases: %(known)s)")
            raise PhaseError(message % {"names": names, "known": known})
        self.recorder.read(PHASE)
        return Markup(phase_attributes(names, campaign.phase_at(self.site.now)))

    def offer(self, item: Any) -> Offer | None:
        """`{% set o = offer(p) %}`: a product's offer as it is at the build's instant
        (None when the product has none). The page then depends on the instants the
        offer starts and ends, not on the clock."""
        if not isinstance(item, Mapping):
            message = _("offer() takes a product of a feed, not %(value)s")
            raise TypeError(message % {"value": repr(item)})
        known = self._offers.get(id(item))
        if known is None or known[0] is not item:
            found = offer_of(item, self.site.config, self.site.now)
            inputs = tuple(Passed(instant) for instant in found.boundaries()) if found else ()
            known = self._offers[id(item)] = (item, found, inputs)
        for key in known[2]:
            self.recorder.read(key)
        return known[1]

    def offer_attrs(self, offer: Offer, *states: str) -> Markup:
        """`<p{{ offer_attrs(o) }}>`: shown only while the offer is in one of these
        states (default: running), at the build's instant and, through the countdown
        script, in the browser when the offer starts or ends."""
        states = states or (RUNNING,)
        unknown = [state for state in states if state not in OFFER_STATES]
        if unknown:
            message = _("offer_attrs: unknown state %(state)s (known: %(known)s)")
            raise OfferStateError(
                message % {"state": repr(unknown[0]), "known": ", ".join(OFFER_STATES)}
            )
        hidden = "" if offer.state in states else " hidden"
        return Markup(f' data-offer="{offer.window}" data-shown="{" ".join(states)}"{hidden}')

    @jinja2.pass_context
    def track(self, context: jinja2.runtime.Context, url: str) -> str:
        """An outbound link with the site's utm parameters for this language, and
        utm_content naming the page the link is on."""
        config = self.site.config
        lang = context["lang"].code
        parameters = {key: values[lang] for key, values in config.tracking.items()}
        page = context.get("page")
        if parameters and page is not None:
            parameters["utm_content"] = page.key
        return add_tracking(url, parameters, urlsplit(config.base_url).hostname or "")

    def is_past(self, value: dt.date | None) -> bool:
        """`{% if offer_ends is past %}`: whether the instant has come at the build's
        `now`. The page then depends on that instant only, not on the clock: it is
        rendered again by the first build after it, not by every build."""
        if value is None:
            return False
        instant = self._instant(value)
        self.recorder.read(Passed(instant))
        return instant <= self.site.now

    def is_future(self, value: dt.date | None) -> bool:
        """`{% if available_from is future %}`: the instant has not come yet."""
        return value is not None and not self.is_past(value)

    def _instant(self, value: dt.date) -> dt.datetime:
        if not isinstance(value, dt.date):
            message = _("'is past' and 'is future' take a date or an instant, not %(value)s")
            raise TypeError(message % {"value": repr(value)})
        return as_instant(value, self.site.config.timezone)


def fail(message: str) -> None:
    """`{{ fail("no stat 'x' in data/stats.yaml") }}`: a theme's own build error,
    reported at the template line that called it."""
    raise TemplateFailure(message)


def _unchanged(content: bytes) -> bytes:
    return content
