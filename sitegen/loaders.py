"""Where templates come from: the site's own, then its theme chain's (with `theme:x`
and `<theme name>:x` reaching past overrides), then the built-in ones; and for each
language, `name.<lang>.html` before `name.html`."""

from __future__ import annotations

from collections.abc import Callable

import jinja2
from jinja2 import BaseLoader, Environment, TemplateNotFound

from sitegen.publishing import DEFAULT_TEMPLATES
from sitegen.themes import ThemeChain

ROOT_TEMPLATE = "root.html"
NOT_FOUND_TEMPLATE = "404.html"
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
