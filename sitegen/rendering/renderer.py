"""Pages to HTML bytes with Jinja2: pure per page.

Rendering a page depends only on the page, the templates, the data, the config, the
language and the time window it is built in; template mistakes become problems with
the template's file and line. What templates see comes from the views (pages, the
site), the lookups (indexes of pages and items), the template API (assets, images,
links) and each language's environment (filters, UI strings).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import Environment
from markupsafe import Markup

from sitegen.base.dependencies import Key, Recorder
from sitegen.base.errors import Problem, SiteError
from sitegen.base.layout import CONTENT_DIR
from sitegen.base.messages import _
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
from sitegen.rendering.languagemarks import lang_attributes, mark_languages, unmarked
from sitegen.rendering.loaders import NOT_FOUND_TEMPLATE, ROOT_TEMPLATE, template_loader
from sitegen.rendering.lookups import LookupFailure, LookupInput, Lookups
from sitegen.rendering.plurals import category_numbers
from sitegen.rendering.sitewidefiles import (
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
    StaticFolders,
    StaticInput,
    TemplateApi,
    TemplateFailure,
)
from sitegen.rendering.templatechecks import SHORTCODES_DIR, TemplateChecks
from sitegen.rendering.templateproblems import runtime_problem, syntax_problem
from sitegen.rendering.typography import french_islands, french_text, french_typography
from sitegen.rendering.viewinputs import CLOCK, ViewInput
from sitegen.rendering.views import Views
from sitegen.settings.themes import ThemeChain
from sitegen.sources.markdown import IMAGE_PLACEHOLDER, MarkdownImage, MarkdownRenderer

NOT_FOUND_PAGE = "404.html"
"""Written at the root and in each language's folder, for static hosts and `sitegen serve`."""


class Renderer:
    def __init__(
        self,
        site: Site,
        chain: ThemeChain,
        markdown: MarkdownRenderer,
        static_files: dict[str, Path],
        template_cache: TemplateCache | None = None,
        fixed_time: dt.datetime | None = None,
        assets: Assets | None = None,
        images: Images | None = None,
    ) -> None:
        """`static_files`: the files published as they are, by output path (static/
        and the images of page folders that Markdown shows, sitegen.model.markdownimages).
        `fixed_time`: the time written where no content gives one (SOURCE_DATE_EPOCH);
        None means the build's `now`. `assets`: publish what `asset()` names under
        hashed names (sitegen build); None keeps the static files' own names (serve).
        `images`: where `image()` gets sizes and variants (kept across builds)."""
        self.site = site
        self.fixed_time = fixed_time.astimezone(site.config.timezone) if fixed_time else site.now
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
        # French spacing for pages whose interface language is French, unless turned off;
        # on the others, for the elements marked as French (`french_islands`).
        self._french_typography = {
            language.code: config.french_typography and language.is_french
            for language in config.languages
        }
        self._french_islands = config.french_typography
        self._directions = {language.code: language.direction for language in config.languages}
        """Each language's, for the UI strings shown in another (languagemarks)."""
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
        tests = self.api.template_tests()
        env.tests.update({name: never_folded(test) for name, test in tests.items()})
        views = self.views
        env.globals.update(
            site=views.site_view(lang),
            lang=config.language(lang),
            data=RecordedData(views.data(lang), self.recorder, lang),
            now=self.site.now,
            pages=Computed(partial(views.pages_in, lang)),
            campaign=views.campaign,
            menu=Computed(partial(self.lookups.menu, lang)),
            feed_url=self.feed_url(lang),
            lang_attrs=partial(lang_attributes, directions=self._directions),
            plural_numbers=category_numbers(config.language(lang).locale),
        )
        env.globals.update(self.lookups.template_functions(lang))
        env.globals.update(self.api.template_functions())

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
        """Every template compiled, every layout and component found (SiteError if not);
        the environments are made here, before the rendering processes fork."""
        TemplateChecks(self.environments, self.site).check()

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
                    _("%(error)s (component '%(name)s')") % {"error": exc, "name": call.name},
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
            lambda: {"feed": self.views.feed(lang, permalink, self.fixed_time, FEED_LIMIT)},
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
            raise SiteError([syntax_problem(exc)]) from None
        except DamagedText:  # the build cache's, not the template's: the build starts again
            raise
        except SiteError:  # a mistake of the page's own (a component's), already placed
            raise
        except Exception as exc:  # a template's runtime mistake, shown at its line
            shown = source.relative_to(self.site.config.root).as_posix() if source else None
            raise SiteError([runtime_problem(exc, source, shown, self.chain)]) from None
        if name.endswith(".html"):
            html = mark_languages(html, self._directions)
            if self._french_typography[lang]:
                html = french_typography(html)
            elif self._french_islands:
                html = french_islands(html)
        else:
            html = unmarked(html)
        return html.encode("utf-8")


def _json_value(value: Any) -> Any:
    """`tojson` for what feeds hold: exact decimals as text ("89.90", as schema.org
    allows for prices), dates and instants in ISO 8601."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be written as JSON")
