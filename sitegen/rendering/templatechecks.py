"""Template mistakes found before anything is written: every template compiled once
(a syntax error anywhere), every page's layout found, and every component a
Markdown page places known, with the arguments it is given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from jinja2 import TemplateNotFound

from sitegen.base.errors import Problem, SiteError, did_you_mean
from sitegen.base.messages import _
from sitegen.model.site import Page, Site
from sitegen.rendering.environments import Environments
from sitegen.rendering.templateproblems import syntax_problem
from sitegen.settings.themes import TEMPLATE_SUFFIXES

SHORTCODES_DIR = "shortcodes"
"""Where components placed from Markdown live: `::: products` is the macro `products`
of `shortcodes/products.html`."""


class TemplateChecks:
    """The checks of a site's templates against its pages, in every language."""

    def __init__(self, environments: Environments, site: Site) -> None:
        self.environments = environments
        self.site = site

    def check(self) -> None:
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
            _source, filename, _uptodate = env.loader.get_source(env, name)
            if filename in compiled and filename is not None:
                continue
            compiled.add(filename)
            try:
                env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                problems.append(syntax_problem(exc))
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
            _(
                "no template for layout '%(layout)s' (looked for %(layout)s.%(lang)s.html "
                "and %(layout)s.html)"
            )
            % {"layout": wanted, "lang": page.lang},
            hint=did_you_mean(wanted, known)
            or _("layouts available: %(layouts)s") % {"layouts": ", ".join(known)},
        )

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
                        _("unknown component '%(name)s'") % {"name": call.name},
                        hint=did_you_mean(call.name, available)
                        or _("components: %(names)s")
                        % {"names": ", ".join(available) or _("none in this theme")},
                    )
                )
                continue
            for key, _value in call.arguments:
                if key not in macro.arguments:
                    problems.append(
                        Problem(
                            page.source.path,
                            call.line,
                            _("component '%(name)s' has no argument '%(key)s'")
                            % {"name": call.name, "key": key},
                            hint=did_you_mean(key, macro.arguments)
                            or _("its arguments: %(names)s")
                            % {"names": ", ".join(macro.arguments) or _("none")},
                        )
                    )
        return problems
