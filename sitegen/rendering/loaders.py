"""Where templates come from: the site's own, then its theme chain's (with `theme:x`
and `<theme name>:x` reaching past overrides), then the built-in ones; and for each
language, `name.<lang>.html` before `name.html`."""

from __future__ import annotations

from collections.abc import Callable

import jinja2
from jinja2 import BaseLoader, Environment, TemplateNotFound

from sitegen.rendering.sitewidefiles import BUILT_IN_TEMPLATES
from sitegen.settings.themes import ThemeChain

ROOT_TEMPLATE = "root.html"
NOT_FOUND_TEMPLATE = "404.html"


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
            jinja2.FileSystemLoader(BUILT_IN_TEMPLATES),
        ]
    )
