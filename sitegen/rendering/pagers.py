"""Which layouts show a pager, as found in their templates: a listing is split into
pages (see `sitegen.model.paging`) only where its layout reads `pager`, in the layout itself
or in a template it extends, includes or imports; elsewhere the listing stays one page
and no further page repeats it. As Hugo makes pager pages only for the templates that
call `.Paginate`.

The templates are read as tokens, not compiled (a millisecond or two each), and only
for a layout whose listing is longer than a page.
"""

from __future__ import annotations

import jinja2
from jinja2 import BaseLoader, TemplateNotFound

from sitegen.rendering.environments import EXTENSIONS
from sitegen.rendering.loaders import LanguageLoader, template_loader
from sitegen.settings.themes import ThemeChain

PAGER = "pager"
_REFERENCING = frozenset({"extends", "include", "import", "from"})


class PagerLayouts:
    """`(lang, layout) -> bool`: whether pages of a layout show a pager."""

    def __init__(self, chain: ThemeChain) -> None:
        self._loader = template_loader(chain)
        self._lexer = jinja2.Environment(extensions=EXTENSIONS)
        self._known: dict[tuple[str, str], bool] = {}

    def __call__(self, lang: str, layout: str) -> bool:
        known = self._known.get((lang, layout))
        if known is None:
            loader = LanguageLoader(self._loader, lang)
            known = self._known[lang, layout] = self._reaches(loader, f"{layout}.html", set())
        return known

    def _reaches(self, loader: BaseLoader, name: str, seen: set[str]) -> bool:
        """Whether template `name`, or one it names, reads `pager`."""
        if name in seen:
            return False
        seen.add(name)
        try:
            source, _, _ = loader.get_source(self._lexer, name)
            uses, named = _scan(self._lexer, source)
        except (TemplateNotFound, jinja2.TemplateSyntaxError):
            return False  # the build reports it where the template is used
        return uses or any(self._reaches(loader, other, seen) for other in named)


def _scan(lexer: jinja2.Environment, source: str) -> tuple[bool, list[str]]:
    """Whether the source reads the variable `pager`, and the templates it names in
    `extends`, `include`, `import` and `from` tags (names given as text)."""
    uses = False
    named: list[str] = []
    referencing = False
    previous = ""
    for token in lexer.lexer.tokenize(source):
        if token.type == "block_begin":
            referencing = False
        elif token.type == "name" and token.value in _REFERENCING and previous == "block_begin":
            referencing = True
        elif token.type == "string" and referencing:
            named.append(token.value)
        elif token.type == "name" and token.value == PAGER and previous != "dot":
            uses = True
        previous = token.type
    return uses, named
