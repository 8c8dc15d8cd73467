"""Pages to HTML bytes with Jinja2: pure per page.

Rendering a page depends only on the page, the templates, the data, the config, the
language and the time window it is built in; template mistakes become problems with
the template's file and line. What templates see comes from the views (pages, the
site), the lookups (indexes of pages and items), the template API (assets, images,
links) and each language's environment (filters, UI strings).
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale
from jinja2 import Environment, TemplateNotFound
from markupsafe import Markup

from sitegen.base.dependencies import Key, Recorder
from sitegen.base.errors import Problem, SiteError, did_you_mean
from sitegen.base.layout import CONTENT_DIR
from sitegen.base.textfile import DamagedText
from sitegen.model.markdownimages import ARTICLE_IMAGE_SIZES, published_path
from sitegen.model.site import Page, Redirect, Site
from sitegen.rendering.assets import ASSETS_FOLDER, AssetProblem, Assets
from sitegen.rendering.environments import (
    CatalogInput,
    Computed,
    EnvironmentInput,
    Environments,
    RecordedData,
    TemplateCache,
    never_folded,
    released_contexts,
)
from sitegen.rendering.formatting import Formatter
from sitegen.rendering.images import Images
from sitegen.rendering.loaders import NOT_FOUND_TEMPLATE, ROOT_TEMPLATE, template_loader
from sitegen.rendering.lookups import LookupFailure, LookupInput, Lookups
from sitegen.rendering.publishing import (
    ALIAS_TEMPLATE,
    ASSET_CACHE_CONTROL,
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
)
from sitegen.rendering.templateapi import (
    AssetNotFound,
    OfferStateError,
    PhaseError,
    StaticFolders,
    StaticInput,
    TemplateApi,
    TemplateFailure,
    fail,
)
from sitegen.rendering.typography import french_text, french_typography
from sitegen.rendering.views import CLOCK, ViewInput, Views
from sitegen.settings.themes import TEMPLATE_SUFFIXES, ThemeChain
from sitegen.sources.markdown import IMAGE_PLACEHOLDER, MarkdownImage, MarkdownRenderer

NOT_FOUND_PAGE = "404.html"
"""Written at the root and in each language's folder, for static hosts and `sitegen serve`."""
SHORTCODES_DIR = "shortcodes"
"""Where components placed from Markdown live: `::: products` is the macro `products`
of `shortcodes/products.html`."""


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
        """`static_files`: the files published as they are, by output path (static/
        and the images of page folders that Markdown shows, sitegen.model.markdownimages).
        `stamp`: the time written where no content gives one (SOURCE_DATE_EPOCH);
        None means the build's `now`. `assets`: publish what `asset()` names under
        hashed names (sitegen build); None keeps the static files' own names (serve).
        `images`: where `image()` gets sizes and variants (kept across builds)."""
        self.site = site
        self.stamp = stamp.astimezone(site.config.timezone) if stamp else site.now
        self.chain = chain
        self.recorder = Recorder()
        self.views = Views(site, self.expand_body, self.recorder)
        self.lookups = Lookups(self.views)
        self.api = TemplateApi(site, self.recorder, static_files, assets, images or Images(None))
        self.static_files = static_files
        home = site.home(site.config.default_language)
        self._root_home = home if site.config.root_page == "default_language" else None
        """The page `/` shows, when it is not a chooser."""
        self._markdown = markdown
        config = site.config
        # French spacing for pages whose interface language is French, unless turned off.
        self._french_typography = {
            language.code: config.french_typography
            and Locale.parse(language.locale).language == "fr"
            for language in config.languages
        }
        self.environments = Environments(
            config,
            template_loader(chain),
            chain.catalog_dirs,
            self.recorder,
            template_cache,
            self._setup,
        )
        self._families: tuple[tuple[type[Key], object], ...] = (
            (ViewInput, self.views),
            (LookupInput, self.lookups),
            (EnvironmentInput, self.environments),
            (StaticInput, self.api),
        )
        self._context_of: dict[type[Key], object] = {}
        """The object that fingerprints each kind of input (by its family)."""

    def _setup(self, env: Environment, lang: str) -> None:
        """The filters, tests and globals of `lang`'s environment."""
        config = self.site.config
        env.policies["json.dumps_kwargs"] = {"sort_keys": True, "default": _json_value}
        formatter = Formatter(config.language(lang).locale, config.timezone, self.site.now)
        filters: dict[str, Callable[..., Any]] = dict(formatter.filters())
        filters["format_relative"] = self._reading_clock(formatter.format_relative)
        filters["markdown_inline"] = self._markdown_inline
        filters["typeset"] = self._typesetter(lang)
        env.filters.update({name: never_folded(function) for name, function in filters.items()})
        env.tests.update(
            past=never_folded(self.api.is_past), future=never_folded(self.api.is_future)
        )
        views, lookups, api = self.views, self.lookups, self.api
        env.globals.update(
            site=views.site_view(lang),
            lang=config.language(lang),
            data=RecordedData(views.data(lang), self.recorder, lang),
            now=self.site.now,
            pages=Computed(partial(views.pages_in, lang)),
            campaign=views.campaign,
            menu=Computed(partial(lookups.menu, lang)),
            get_page=partial(lookups.get_page, lang),
            data_page=partial(lookups.data_page, lang),
            pages_with=partial(lookups.pages_with, lang),
            items=partial(lookups.items, lang),
            item=partial(lookups.item, lang),
            count_items=partial(lookups.count_items, lang),
            asset=api.asset,
            image=api.image,
            url=api.url,
            phase_attrs=api.phase_attrs,
            offer=api.offer,
            offer_attrs=api.offer_attrs,
            track=api.track,
            fail=fail,
            feed_url=self.feed_url(lang),
        )

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
        return self.api.url(f"/{lang}/{FEED_FILE}")

    def _markdown_inline(self, text: Any) -> Markup:
        return Markup(self._markdown.render_inline(str(text))) if text is not None else Markup("")

    def fingerprint(self, key: Key) -> object:
        """What an input named in a dependency record is now (see sitegen.base.dependencies)."""
        kind = type(key)
        context = self._context_of.get(kind)
        if context is None:
            context = next(
                (context for family, context in self._families if issubclass(kind, family)), None
            )
            if context is None:
                raise ValueError(f"no such input: {key!r}")
            self._context_of[kind] = context
        return key.fingerprint(context)

    def check_templates(self) -> None:
        """Compile every template file once, so a syntax error anywhere is found before
        writing (a file reached by several names, `theme:page.html` and `page.html`,
        is compiled under its first)."""
        config = self.site.config
        for lang in config.language_codes:  # made here, before the rendering processes fork
            self.environments[lang]
        env = self.environments[config.default_language]
        assert env.loader is not None
        problems = []
        compiled: set[str | None] = set()
        for name in sorted(set(env.list_templates()), key=lambda name: (":" in name, name)):
            if not name.endswith(TEMPLATE_SUFFIXES):
                continue
            _, filename, _ = env.loader.get_source(env, name)
            if filename in compiled and filename is not None:
                continue
            compiled.add(filename)
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
            if page.components and page.number == 1:
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
                "pager": Computed(partial(self.lookups.pager, page)),
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

    def expand_body(self, page: Page) -> str:
        """The page's body with its Markdown images written as `image()` writes them and
        each Markdown component rendered in place; components see the page they are on
        as `page`. Images first: a component's HTML is not the Markdown's."""
        html = str(page.content)
        if page.images:
            content = self.site.config.root / CONTENT_DIR
            shown = [
                self._markdown_image(image, page.source.path, content) for image in page.images
            ]
            html = IMAGE_PLACEHOLDER.sub(lambda found: shown[int(found[1])], html)
        env = self.environments[page.lang]
        for index, call in enumerate(page.components):
            template = env.get_template(f"{SHORTCODES_DIR}/{call.name}.html")
            module = template.make_module(vars={"page": self.views.page(page)})
            try:
                rendered = getattr(module, call.name)(**dict(call.arguments))
            except (LookupFailure, TemplateFailure) as exc:  # the Markdown's mistake
                problem = Problem(
                    page.source.path,
                    call.line,
                    f"{exc} (component '{call.name}')",
                    hint=getattr(exc, "hint", None),
                )
                raise SiteError([problem]) from None
            html = html.replace(call.placeholder(index), str(rendered), 1)
        return html

    def _markdown_image(self, image: MarkdownImage, page: Path, content: Path) -> Markup:
        attributes: dict[str, Any] = dict(image.attributes)
        path = published_path(image, page, content)
        return self.api.image(path, image.alt, sizes=ARTICLE_IMAGE_SIZES, **attributes)

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
        self.recorder.read(StaticFolders())
        assets = [
            f"/{folder}/*"
            for folder in self.api.static_folders()
            if f"/{folder}/*" not in pages and f"/{folder}" not in pages
        ]
        headers = {
            "security": SECURITY_HEADERS,
            "page_paths": [self.api.url(path) for path in sorted(pages)],
            "page_cache": PAGE_CACHE_CONTROL,
            "asset_paths": [self.api.url(path) for path in assets],
            "asset_cache": ASSET_CACHE_CONTROL,
            "hashed_path": self.api.url(f"/{ASSETS_FOLDER}/*"),
            "hashed_cache": IMMUTABLE_CACHE_CONTROL,
        }
        return self._render_site_file(HEADERS_TEMPLATE, lambda: {"headers": headers})

    def _render_site_file(self, name: str, context: Callable[[], dict[str, Any]]) -> bytes:
        """A file of the whole site (sitemap, robots.txt, host files), in the default
        language and made from no page."""
        return self._render(self.site.config.default_language, name, context, None)

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
        self.recorder.read(CatalogInput(lang))
        try:
            with released_contexts(env):
                html = env.get_template(name).render(context())
        except AssetProblem as exc:  # the static file's own mistake, at its place
            raise SiteError([exc.problem]) from None
        except jinja2.TemplateSyntaxError as exc:
            raise SiteError([_syntax_problem(exc)]) from None
        except DamagedText:  # the build cache's, not the template's: the build starts again
            raise
        except SiteError:  # a mistake of the page's own (a component's), already placed
            raise
        except Exception as exc:  # a template's runtime mistake, shown at its line
            shown = source.relative_to(self.site.config.root).as_posix() if source else None
            raise SiteError([_runtime_problem(exc, source, shown, self.chain)]) from None
        if self._french_typography[lang] and name.endswith(".html"):
            html = french_typography(html)
        return html.encode("utf-8")


def _json_value(value: Any) -> Any:
    """`tojson` for what feeds hold: exact decimals as text ("89.90", as schema.org
    allows for prices), dates and instants in ISO 8601."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be written as JSON")


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
    elif isinstance(
        exc, AssetNotFound | PhaseError | OfferStateError | TemplateFailure | LookupFailure
    ):
        message = f"{exc}{while_rendering}"
        hint = getattr(exc, "hint", None)
    else:
        message = f"template error: {type(exc).__name__}: {exc}{while_rendering}"
        hint = None
    if frame is None:
        return Problem(source, None, message, hint=hint)
    return Problem(Path(frame.filename), frame.lineno, message, hint=hint)
