"""Values that differ per language: `{fr: ..., en: ...}` in YAML, `name.fr` in CSV.

A mapping whose keys are all language codes of the site is a localized value.
Resolving picks the page's language, then its fallback languages (site.yaml's
`fallback`, the default language unless it says otherwise), then the first site
language that has a value, so a page never shows a Python `dict`. A text picked in
another language than the page's says which (`InLanguage`), so that the theme can
mark it with `lang`: a screen reader then reads it with the right voice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

_PLAIN: frozenset[type] = frozenset(
    {str, int, float, bool, Decimal, type(None), dt.date, dt.datetime, dt.time}
)
"""The types of the cells and scalars feeds hold, which resolve to themselves: checking
the exact type first spares them the `Mapping` test (an ABC, slow), as a 10,000-item
feed resolves hundreds of thousands of them per build."""


class InLanguage(str):
    """A text resolved in another language than the page's: `lang` is its code.
    A str, so it is shown, compared and formatted as the text it is; what makes
    another text of it (`upper`, `truncate`) is a plain str again, of no known
    language."""

    lang: str

    def __new__(cls, text: str, lang: str) -> InLanguage:
        made = super().__new__(cls, text)
        made.lang = lang
        return made

    def __reduce__(self) -> tuple[type[InLanguage], tuple[str, str]]:
        return (InLanguage, (str(self), self.lang))


def lang_of(value: Any) -> str | None:
    """The language of a value picked in another language than the page's; None for
    the page's own and for a plain value, whose language nobody said."""
    return value.lang if isinstance(value, InLanguage) else None


def is_localized(value: Any, codes: Sequence[str]) -> bool:
    return isinstance(value, Mapping) and _has_only_codes(value, codes)


def _has_only_codes(value: Mapping[Any, Any], codes: Sequence[str]) -> bool:
    """A plain loop: `all()` over a generator costs twice as much, for every mapping of
    every feed item."""
    if not value:
        return False
    for key in value:  # noqa: SIM110 - see the docstring
        if not (isinstance(key, str) and key in codes):
            return False
    return True


def resolve(value: Any, order: Sequence[str], codes: Sequence[str]) -> Any:
    """The value as a reader of `order[0]` sees it, through lists and mappings;
    `order` is that language, then its fallbacks (SiteConfig.fallback_order)."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Mapping):
        if _has_only_codes(value, codes):
            code, picked = _picked(value, order, codes)
            if type(picked) is str and code != order[0]:
                return InLanguage(picked, code)
            return picked if type(picked) in _PLAIN else resolve(picked, order, codes)
        return {
            key: item if type(item) in _PLAIN else resolve(item, order, codes)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [item if type(item) in _PLAIN else resolve(item, order, codes) for item in value]
    return value


def pick(translations: Mapping[str, Any], order: Sequence[str], codes: Sequence[str]) -> Any:
    """The value of the first language of `order`, then of `codes`, that has one."""
    return _picked(translations, order, codes)[1]


def _picked(
    translations: Mapping[str, Any], order: Sequence[str], codes: Sequence[str]
) -> tuple[str, Any]:
    """`pick`, with the language picked ("" when none has a value)."""
    for code in (*order, *codes):
        if translations.get(code) is not None:
            return code, translations[code]
    return "", None
