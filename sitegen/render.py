"""Pages to HTML bytes with Jinja2: one environment per language, pure per page.

Rendering a page depends only on the page, the templates, the data, the
config, the language and `now`; template mistakes become problems with the
template's file and line.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from babel import Locale
from jinja2 import BaseLoader, Environment, StrictUndefined, TemplateNotFound
from markupsafe import Markup

from sitegen.assets import ASSETS_FOLDER, AssetProblem, Assets, hashed_name
from sitegen.campaign import phase_attributes, unknown_phases
from sitegen.catalogs import catalog_paths, ui_translations
from sitegen.dependencies import Key, Recorder
from sitegen.errors import Problem, SiteError, did_you_mean
from sitegen.formatting import Formatter
from sitegen.images import ImageError, ImageInfo, Images, variant_height, variant_widths
from sitegen.links import add_tracking
from sitegen.markdown import MarkdownRenderer
from sitegen.model import Page, Redirect, Site
from sitegen.publishing import (
    ALIAS_TEMPLATE,
    ASSET_CACHE_CONTROL,
    DEFAULT_TEMPLATES,
    FEED_FILE,
    FEED_LIMIT,
    FEED_TEMPLATE,
    HEADERS_TEMPLATE,
    IMMUTABLE_CACHE_CONTROL,
    PAGE_CACHE_CONTROL,
    REDIRECTS_TEMPLATE,
    ROBOTS_FILE,
    ROBOTS_TEMPLATE,
    SECURITY_HEADERS,
    SITEMAP_FILE,
    SITEMAP_TEMPLATE,
    TEXT_TEMPLATES,
)
from sitegen.texts import DamagedText
from sitegen.themes import TEMPLATE_SUFFIXES, ThemeChain
from sitegen.typography import french_text, french_typography
from sitegen.views import CLOCK, VIEW_INPUTS, Views

ROOT_TEMPLATE = "root.html"
NOT_FOUND_TEMPLATE = "404.html"
NOT_FOUND_PAGE = "404.html"
"""Written at the root and in each language's folder, for static hosts and `sitegen serve`."""
GENERATING_INPUTS = frozenset({"asset", "image"})
"""Inputs whose readers link to a file under _assets/ (see `Renderer.generated_files`)."""
DEFAULT_IMAGE_WIDTHS = (320, 640, 960, 1280, 1920)
"""The widths `image()` makes of a photo (none wider than the photo): phones at one
device pixel per CSS pixel to wide screens at two."""
DEFAULT_IMAGE_SIZES = "100vw"
"""How wide `image()` says the picture is shown, unless the template says better
(`sizes="(min-width: 48rem) 24rem, 100vw"`)."""
SHORTCODES_DIR = "shortcodes"
"""Where components placed from Markdown live: `::: products` is the macro `products`
of `shortcodes/products.html`."""

_DEFAULT_ROOT = """<!doctype html>
<html lang="{{ lang.code }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ site.title }}</title>
{% for link in switcher %}<link rel="alternate" hreflang="{{ link.lang.code }}" \
href="{{ link.permalink }}">
{% endfor %}<link rel="alternate" hreflang="x-default" href="{{ site.base_url }}">
{% include "partials/language_redirect.html" %}
</head>
<body>
<ul>{% for link in switcher %}
<li><a href="{{ link.url }}" hreflang="{{ link.lang.code }}" lang="{{ link.lang.code }}">\
{{ link.lang.name }}</a></li>{% endfor %}
</ul>
</body>
</html>
"""


LANGUAGE_REDIRECT = "partials/language_redirect.html"

# Sends a visitor of the root chooser to the first of their browser's languages that
# the site has; without JavaScript, or with no match, the chooser's links remain.
_LANGUAGE_REDIRECT = """<script>(function(){var u={{ language_urls | tojson }};\
var l=navigator.languages||[navigator.language||""];for(var i=0;i<l.length;i++){\
var c=String(l[i]).toLowerCase();var b=c.split("-")[0];var t=u[c]||u[b];\
if(t){location.replace(t);return}}})();</script>"""


_DEFAULT_NOT_FOUND = """<!doctype html>
<html lang="{{ lang.code }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>404 · {{ site.title }}</title>
</head>
<body>
<h1>404</h1>
<ul>{% for link in switcher %}
<li><a href="{{ link.url }}" hreflang="{{ link.lang.code }}" lang="{{ link.lang.code }}">\
{{ link.lang.name }}</a></li>{% endfor %}
</ul>
</body>
</html>
"""


class AssetNotFound(Exception):
    pass


class PhaseError(Exception):
    pass


class LanguageLoader(BaseLoader):
    """Prefers `name.<lang>.html` to `name.html`, for every template a page reaches."""

    def __init__(self, inner: BaseLoader, lang: str) -> None:
        self.inner = inner
        self.lang = lang

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        stem, dot, suffix = template.rpartition(".")
        if dot and not stem.endswith(f".{self.lang}"):
            try:
                return self.inner.get_source(environment, f"{stem}.{self.lang}.{suffix}")
            except TemplateNotFound:
                pass
        return self.inner.get_source(environment, template)

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


def template_loader(chain: ThemeChain) -> BaseLoader:
    """Site templates, then the theme chain; `theme:x` and `<theme name>:x` reach past overrides."""
    prefixes: dict[str, BaseLoader] = {
        name: jinja2.FileSystemLoader(folder)
        for name, folder in chain.theme_template_dirs().items()
    }
    theme_dirs = [folder for folder in chain.template_dirs if folder.parent != chain.site_root]
    prefixes["theme"] = jinja2.FileSystemLoader(theme_dirs)
    return jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader(chain.template_dirs),
            jinja2.PrefixLoader(prefixes, delimiter=":"),
            jinja2.DictLoader(
                {
                    ROOT_TEMPLATE: _DEFAULT_ROOT,
                    NOT_FOUND_TEMPLATE: _DEFAULT_NOT_FOUND,
                    LANGUAGE_REDIRECT: _LANGUAGE_REDIRECT,
                    **DEFAULT_TEMPLATES,
                }
            ),
        ]
    )


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory between the builds of one session; a template
    whose source changed is compiled again (Jinja compares the source's checksum)."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


PHASE: Key = ("phase",)
"""The input of every output that shows the campaign (its phase at `now`, and when
the next phase begins): rendered again when a build is made in another phase."""
_TIME_GLOBALS = {"now": CLOCK, "campaign": PHASE}


class _ClockWatchingContext(jinja2.runtime.Context):
    """A template context that notes when a template reads `now` or `campaign`."""

    def resolve_or_missing(self, key: str) -> Any:
        read = _TIME_GLOBALS.get(key)
        if read is not None:
            environment = self.environment
            assert isinstance(environment, _RecordingEnvironment)
            environment.recorder.read(read)
        return super().resolve_or_missing(key)


class _RecordingEnvironment(Environment):
    """Notes every template a render asks for (layouts, parents, includes, imports),
    so that editing one renders again the outputs that used it, and every read of the
    clock."""

    context_class = _ClockWatchingContext

    def __init__(self, recorder: Recorder, lang: str, **options: Any) -> None:
        super().__init__(**options)
        self.recorder = recorder
        self.lang = lang

    def get_template(
        self,
        name: str | jinja2.Template,
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        if isinstance(name, str):
            self.recorder.read(("template", self.lang, self.join_path(name, parent or "")))
        return super().get_template(name, parent, globals)

    def select_template(
        self,
        names: Any,
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        for name in names:
            if isinstance(name, str):
                self.recorder.read(("template", self.lang, self.join_path(name, parent or "")))
        return super().select_template(names, parent, globals)


class _RecordedData(Mapping[str, Any]):
    """`data` in templates: notes which feeds a render reads."""

    def __init__(self, feeds: dict[str, Any], recorder: Recorder, lang: str) -> None:
        self._feeds = feeds
        self._recorder = recorder
        self._lang = lang

    def __getitem__(self, name: str) -> Any:
        self._recorder.read(("data", self._lang, name))
        return self._feeds[name]

    def __iter__(self) -> Iterator[str]:
        self._recorder.read(("data-names", self._lang))
        return iter(self._feeds)

    def __len__(self) -> int:
        self._recorder.read(("data-names", self._lang))
        return len(self._feeds)

    def __contains__(self, name: object) -> bool:
        self._recorder.read(("data-names", self._lang))
        return name in self._feeds


class Renderer:
    def __init__(
        self,
        site: Site,
        chain: ThemeChain,
        markdown: MarkdownRenderer,
        static_files: dict[str, Path],
        template_cache: TemplateCache | None = None,
        stamp: dt.datetime | None = None,
        assets: Assets | None = None,
        images: Images | None = None,
    ) -> None:
        """`stamp`: the time written where no content gives one (SOURCE_DATE_EPOCH);
        None means the build's `now`. `assets`: publish what `asset()` names under
        hashed names (sitegen build); None keeps the static files' own names (serve).
        `images`: where `image()` gets sizes and variants (kept across builds)."""
        self.site = site
        self.stamp = stamp.astimezone(site.config.timezone) if stamp else site.now
        self.chain = chain
        self.recorder = Recorder()
        self.views = Views(site, self.expand_components, self.recorder)
        self._template_cache = template_cache
        home = site.home(site.config.default_language)
        self._root_home = home if site.config.root_page == "default_language" else None
        """The page `/` shows, when it is not a chooser."""
        self._markdown = markdown
        self.static_files = static_files
        self._assets = assets
        self._published_paths: dict[str, str] = {}
        """Each static file's published path, worked out once per build: every page
        asks for the stylesheet, and publishing reads and hashes the file."""
        self._images = images or Images(None)
        config = site.config
        # French spacing for pages whose interface language is French, unless turned off.
        self._french_typography = {
            language.code: config.french_typography
            and Locale.parse(language.locale).language == "fr"
            for language in config.languages
        }
        loader = template_loader(chain)
        self._data = {
            code: site.data.for_language(code, site.config) for code in site.config.language_codes
        }
        self.environments = {
            code: self._environment(loader, code) for code in site.config.language_codes
        }

    def _environment(self, loader: BaseLoader, lang: str) -> Environment:
        config = self.site.config
        env = _RecordingEnvironment(
            self.recorder,
            lang,
            bytecode_cache=self._template_cache,
            loader=LanguageLoader(loader, lang),
            autoescape=_autoescape,
            undefined=StrictUndefined,
            auto_reload=False,
            keep_trailing_newline=True,
            extensions=["jinja2.ext.i18n", "jinja2.ext.do", "jinja2.ext.loopcontrols"],
        )
        env.policies["json.dumps_kwargs"] = {"sort_keys": True, "default": _json_value}
        env.install_gettext_translations(  # type: ignore[attr-defined]
            ui_translations(self.chain.catalog_dirs, lang, config), newstyle=True
        )
        formatter = Formatter(config.language(lang).locale, config.timezone, self.site.now)
        env.filters.update(formatter.filters())
        env.filters["format_relative"] = self._reading_clock(formatter.format_relative)
        env.filters["markdown_inline"] = self._markdown_inline
        env.filters["typeset"] = self._typesetter(lang)
        env.globals.update(
            site=self.views.site_view(lang),
            lang=config.language(lang),
            data=_RecordedData(self._data[lang], self.recorder, lang),
            now=self.site.now,
            pages=_LazyPages(
                lambda: self.recorder.shared(("pages", lang), lambda: self.views.pages_in(lang))
            ),
            asset=self.asset,
            image=self.image,
            url=self.url,
            campaign=self.views.campaign,
            phase_attrs=self.phase_attrs,
            track=self.track,
            fail=_fail,
            feed_url=self.feed_url(lang),
        )
        return env

    def _typesetter(self, lang: str) -> Callable[[Any], Any]:
        """`typeset`: the language's typography on a value that skips the whole-page
        pass (text in a feed); HTML (Markup) stays HTML, text stays text."""
        if not self._french_typography[lang]:
            return lambda value: value
        return lambda value: (
            Markup(french_typography(str(value)))
            if isinstance(value, Markup)
            else french_text(str(value))
        )

    def _reading_clock(self, function: Callable[..., str]) -> Callable[..., str]:
        def read_clock(*args: Any, **kwargs: Any) -> str:
            self.recorder.read(CLOCK)
            return function(*args, **kwargs)

        return read_clock

    def feed_url(self, lang: str) -> str:
        """The site-absolute URL of a language's Atom feed."""
        return self.url(f"/{lang}/{FEED_FILE}")

    def _markdown_inline(self, text: Any) -> Markup:
        return Markup(self._markdown.render_inline(str(text))) if text is not None else Markup("")

    def asset(self, path: str) -> str:
        """`asset("css/site.css")`: the URL of a static file as published (with a hash
        of its content in its name in `sitegen build`)."""
        clean = path.lstrip("/")
        self.recorder.read(("asset", clean))
        if clean not in self.static_files:
            raise AssetNotFound(f"asset('{path}'): no such file in any static/ folder")
        return self.url("/" + self._published_path(clean))

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
        key = ("image", clean, ",".join(str(width) for width in widths))
        self.recorder.read(key)
        if clean not in self.static_files:
            raise AssetNotFound(f"image('{path}'): no such file in any static/ folder")
        info = self._image_info(clean)
        chosen = variant_widths(info, widths)
        shown = {
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
        shown.update(alt=alt, loading="lazy" if lazy else None, decoding="async")
        shown.update(attributes)
        return Markup("<img{}>").format(
            Markup("").join(
                Markup(' {}="{}"').format(name, value)
                for name, value in shown.items()
                if value is not None
            )
        )

    def _image_info(self, clean: str) -> ImageInfo:
        source = self.static_files[clean]
        try:
            return self._images.info(source)
        except ImageError as exc:
            raise AssetProblem(Problem(source, None, f"cannot use this image: {exc}")) from None

    def _variant_path(self, clean: str, width: int) -> str:
        return hashed_name(clean, self._image_info(clean).digest, f".{width}w.webp")

    def _static_fingerprint(self, clean: str, compute: Callable[[str], object]) -> object:
        """What `compute` makes of a static file now: None when it is gone, the problem
        when it cannot be used (the outputs reading it render again and report it)."""
        if clean not in self.static_files:
            return None
        try:
            return compute(clean)
        except AssetProblem as exc:
            return exc.problem

    def generated_files(self, keys: Iterable[Key]) -> dict[str, Callable[[], bytes]]:
        """The files under _assets/ that the outputs reading `keys` link to, by path:
        published static files and image variants."""
        files: dict[str, Callable[[], bytes]] = {}
        for key in keys:
            clean = key[1] if len(key) > 1 else ""
            if clean not in self.static_files:
                continue
            if key[0] == "asset" and self._assets is not None:
                published = self._assets.publish(clean, self.static_files[clean], self.url("/"))
                files[published.path] = partial(_unchanged, published.content)
            elif key[0] == "image":
                source = self.static_files[clean]
                info = self._image_info(clean)
                for width in variant_widths(info, [int(w) for w in key[2].split(",")]):
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
                ", ".join(campaign.phase_names) if campaign else "none: site.yaml has no campaign"
            )
            raise PhaseError(f"phase_attrs{names}: unknown phase (known phases: {known})")
        self.recorder.read(PHASE)
        return Markup(phase_attributes(names, campaign.phase_at(self.site.now)))

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

    def url(self, path: str) -> str:
        return self.site.config.base_path + path.lstrip("/")

    def fingerprint(self, key: Key) -> object:
        """What an input named in a dependency record is now (see sitegen.dependencies)."""
        kind = key[0]
        if kind in VIEW_INPUTS:
            return self.views.fingerprint(key)
        if key == CLOCK:
            return self.site.now
        if key == PHASE:
            campaign = self.site.config.campaign
            return campaign.phase_at(self.site.now) if campaign else None
        if kind == "template":
            env = self.environments[key[1]]
            assert env.loader is not None
            try:
                source, filename, _ = env.loader.get_source(env, key[2])
            except TemplateNotFound:
                return None
            return (filename, source)
        if kind == "data":
            return self._data[key[1]].get(key[2])
        if kind == "data-names":
            return tuple(self._data[key[1]])
        if kind == "asset":
            return self._static_fingerprint(key[1], self._published_path)
        if kind == "image":
            return self._static_fingerprint(key[1], self._image_info)
        if kind == "static-folders":
            return self._static_folders()
        if kind == "catalog":
            return tuple(
                (path, path.read_bytes())
                for code in (key[1], self.site.config.default_language)
                for path in catalog_paths(self.chain.catalog_dirs, code)
            )
        raise ValueError(f"no such input: {key}")

    def check_templates(self) -> None:
        """Compile every template once, so a syntax error anywhere is found before writing."""
        env = self.environments[self.site.config.default_language]
        problems = []
        for name in sorted(set(env.list_templates())):
            if not name.endswith(TEMPLATE_SUFFIXES):
                continue
            try:
                env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                problems.append(_syntax_problem(exc))
        missing_for: set[Path] = set()
        layouts: dict[tuple[str, str], bool] = {}
        for page in self.site.pages:
            found = layouts.get((page.lang, page.layout))
            if found is None:
                found = layouts[page.lang, page.layout] = self._has_layout(page)
            if not found and page.source.path not in missing_for:  # once, not per fallback
                missing_for.add(page.source.path)
                problems.append(self._missing_layout(page))
            if page.components:
                problems.extend(self._component_problems(page))
        if problems:
            raise SiteError(problems)

    def _has_layout(self, page: Page) -> bool:
        try:
            self.environments[page.lang].get_template(f"{page.layout}.html")
        except TemplateNotFound:
            return False
        except jinja2.TemplateSyntaxError:
            pass  # reported above
        return True

    def _template_names(self, lang: str, folder: str = "") -> list[str]:
        """The `.html` templates of a folder of the chain, without language variants."""
        return sorted(
            name.removeprefix(folder).removesuffix(".html")
            for name in self.environments[lang].list_templates()
            if name.startswith(folder)
            and name.endswith(".html")
            and "/" not in name.removeprefix(folder)
            and name.count(".") == 1
        )

    def _missing_layout(self, page: Page) -> Problem:
        wanted = page.layout
        known = self._template_names(page.lang)
        return Problem(
            page.source.path,
            page.source.line_of("layout") if page.source.layout else 1,
            f"no template for layout '{wanted}' (looked for {wanted}.{page.lang}.html "
            f"and {wanted}.html)",
            hint=did_you_mean(wanted, known) or f"layouts available: {', '.join(known)}",
        )

    def render_page(self, page: Page) -> bytes:
        def context() -> dict[str, Any]:
            return {
                "page": self.views.page(page),
                "switcher": self.views.switcher(page, page.lang),
            }

        def render() -> bytes:
            return self._render(page.lang, f"{page.layout}.html", context, page.source.path)

        if page is self._root_home:  # written twice, rendered once
            return self.recorder.shared(("output", page.id), render)
        return render()

    def _component(self, lang: str, name: str) -> Any:
        """The macro `name` of `shortcodes/<name>.html`, or None."""
        try:
            module = self.environments[lang].get_template(f"{SHORTCODES_DIR}/{name}.html").module
        except TemplateNotFound:
            return None
        return getattr(module, name, None)

    def _component_problems(self, page: Page) -> list[Problem]:
        problems = []
        for call in page.components:
            macro = self._component(page.lang, call.name)
            if macro is None:
                available = self._template_names(page.lang, f"{SHORTCODES_DIR}/")
                problems.append(
                    Problem(
                        page.source.path,
                        call.line,
                        f"unknown component '{call.name}'",
                        hint=did_you_mean(call.name, available)
                        or f"components: {', '.join(available) or 'none in this theme'}",
                    )
                )
                continue
            for key, _ in call.arguments:
                if key not in macro.arguments:
                    problems.append(
                        Problem(
                            page.source.path,
                            call.line,
                            f"component '{call.name}' has no argument '{key}'",
                            hint=did_you_mean(key, macro.arguments)
                            or f"its arguments: {', '.join(macro.arguments) or 'none'}",
                        )
                    )
        return problems

    def expand_components(self, page: Page) -> str:
        """The page's body with each Markdown component rendered in place; components
        see the page they are on as `page`."""
        html = str(page.content)
        env = self.environments[page.lang]
        for index, call in enumerate(page.components):
            template = env.get_template(f"{SHORTCODES_DIR}/{call.name}.html")
            module = template.make_module(vars={"page": self.views.page(page)})
            rendered = getattr(module, call.name)(**dict(call.arguments))
            html = html.replace(call.placeholder(index), str(rendered), 1)
        return html

    def render_root(self) -> bytes:
        """`/`: the default language's home (root_page: default_language), or a chooser."""
        config = self.site.config
        if self._root_home is not None:
            return self.render_page(self._root_home)
        switcher = self.views.switcher(None, config.default_language)

        def context() -> dict[str, Any]:
            return {
                "switcher": switcher,
                "language_urls": {link.lang.code: link.url for link in switcher},
            }

        return self._render(config.default_language, ROOT_TEMPLATE, context, None)

    def render_not_found(self, lang: str) -> bytes:
        """The page a host shows for a URL that has no page, in `lang`."""
        switcher = self.views.switcher(None, lang)
        return self._render(lang, NOT_FOUND_TEMPLATE, lambda: {"switcher": switcher}, None)

    def render_sitemap(self) -> bytes:
        """sitemap.xml: every page to index, with its hreflang alternates."""
        return self._render_site_file(SITEMAP_TEMPLATE, lambda: {"entries": self.views.sitemap()})

    def render_robots(self) -> bytes:
        return self._render_site_file(ROBOTS_TEMPLATE, dict)

    def render_feed(self, lang: str) -> bytes:
        """/<lang>/feed.xml: the language's newest articles as an Atom feed."""
        permalink = self.views.permalink(self.feed_url(lang))
        return self._render(
            lang,
            FEED_TEMPLATE,
            lambda: {"feed": self.views.feed(lang, permalink, self.stamp, FEED_LIMIT)},
            None,
        )

    def render_alias(self, redirect: Redirect) -> bytes:
        """The page left at an old address of a page, leading to its new one."""
        page = redirect.page
        return self._render(
            page.lang,
            ALIAS_TEMPLATE,
            lambda: {"page": self.views.redirect(redirect), "alias": redirect.url},
            page.source.path,
        )

    def render_redirects(self) -> bytes:
        """_redirects: every alias as `old new 301` (Netlify, Cloudflare Pages)."""
        return self._render_site_file(
            REDIRECTS_TEMPLATE, lambda: {"redirects": self.views.redirects()}
        )

    def render_headers(self) -> bytes:
        """_headers: security headers for every file, and Cache-Control by kind of file.
        Each path gets Cache-Control from one rule only (hosts join repeated values)."""
        config = self.site.config
        pages = {"/", "/index.html", f"/{NOT_FOUND_PAGE}", f"/{SITEMAP_FILE}", f"/{ROBOTS_FILE}"}
        pages.update(f"/{code}/*" for code in config.language_codes)
        self.recorder.read(("static-folders",))
        assets = [
            f"/{folder}/*"
            for folder in self._static_folders()
            if f"/{folder}/*" not in pages and f"/{folder}" not in pages
        ]
        headers = {
            "security": SECURITY_HEADERS,
            "page_paths": [self.url(path) for path in sorted(pages)],
            "page_cache": PAGE_CACHE_CONTROL,
            "asset_paths": [self.url(path) for path in assets],
            "asset_cache": ASSET_CACHE_CONTROL,
            "hashed_path": self.url(f"/{ASSETS_FOLDER}/*"),
            "hashed_cache": IMMUTABLE_CACHE_CONTROL,
        }
        return self._render_site_file(HEADERS_TEMPLATE, lambda: {"headers": headers})

    def _render_site_file(self, name: str, context: Callable[[], dict[str, Any]]) -> bytes:
        """A file of the whole site (sitemap, robots.txt, host files), in the default
        language and made from no page."""
        return self._render(self.site.config.default_language, name, context, None)

    def _static_folders(self) -> tuple[str, ...]:
        """The top-level folders of the static files: css, img, js..."""
        return tuple(sorted({path.split("/")[0] for path in self.static_files if "/" in path}))

    def _render(
        self,
        lang: str,
        name: str,
        context: Callable[[], dict[str, Any]],
        source: Path | None,
    ) -> bytes:
        """Render one output; `context` is built inside, so that a template mistake met
        while building it (a component in the page's body) is reported at its line.
        French spacing goes into HTML only (a feed's entries are typeset by its template)."""
        env = self.environments[lang]
        self.recorder.read(("catalog", lang))
        try:
            html = env.get_template(name).render(context())
        except AssetProblem as exc:  # the static file's own mistake, at its place
            raise SiteError([exc.problem]) from None
        except jinja2.TemplateSyntaxError as exc:
            raise SiteError([_syntax_problem(exc)]) from None
        except DamagedText:  # the build cache's, not the template's: the build starts again
            raise
        except Exception as exc:  # a template's runtime mistake, shown at its line
            shown = source.relative_to(self.site.config.root).as_posix() if source else None
            raise SiteError([_runtime_problem(exc, source, shown, self.chain)]) from None
        if self._french_typography[lang] and name.endswith(".html"):
            html = french_typography(html)
        return html.encode("utf-8")


class TemplateFailure(Exception):
    pass


def _unchanged(content: bytes) -> bytes:
    return content


def _autoescape(name: str | None) -> bool:
    """HTML and XML templates escape what they show; plain text ones (robots.txt,
    _redirects, _headers) write it as it is."""
    return name not in TEXT_TEMPLATES


def _fail(message: str) -> None:
    """`{{ fail("no stat 'x' in data/stats.yaml") }}`: a theme's own build error,
    reported at the template line that called it."""
    raise TemplateFailure(message)


def _json_value(value: Any) -> Any:
    """`tojson` for what feeds hold: exact decimals as text ("89.90", as schema.org
    allows for prices), dates and instants in ISO 8601."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be written as JSON")


class _LazyPages:
    """`pages` in templates: built on first use, since most layouts never read it."""

    def __init__(self, get: Callable[[], list[Any]]) -> None:
        self._get = get

    def __iter__(self) -> Iterator[Any]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __getitem__(self, index: int) -> Any:
        return self._get()[index]


def _syntax_problem(exc: jinja2.TemplateSyntaxError) -> Problem:
    path = Path(exc.filename) if exc.filename else None
    return Problem(path, exc.lineno, f"template syntax error: {exc.message}")


def _runtime_problem(
    exc: Exception, source: Path | None, shown: str | None, chain: ThemeChain
) -> Problem:
    template_dirs = [str(folder) for folder in chain.template_dirs]
    frame = None
    for candidate in traceback.extract_tb(exc.__traceback__):
        if any(candidate.filename.startswith(folder) for folder in template_dirs):
            frame = candidate
    while_rendering = f" (while rendering {shown})" if shown else ""
    if isinstance(exc, jinja2.UndefinedError):
        message = f"undefined value in template: {exc.message}{while_rendering}"
        hint = "check the spelling, or test optional values with 'is defined' or '| default(...)'"
    elif isinstance(exc, TemplateNotFound):
        message = f"template '{exc.name}' not found{while_rendering}"
        hint = None
    elif isinstance(exc, AssetNotFound | PhaseError | TemplateFailure):
        message = f"{exc}{while_rendering}"
        hint = None
    else:
        message = f"template error: {type(exc).__name__}: {exc}{while_rendering}"
        hint = None
    if frame is None:
        return Problem(source, None, message, hint=hint)
    return Problem(Path(frame.filename), frame.lineno, message, hint=hint)
