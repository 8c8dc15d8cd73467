"""Values that differ per language: `{fr: ..., en: ...}` in YAML, `name.fr` in CSV.

A mapping whose keys are all language codes of the site is a localized value.
Resolving picks the page's language, then the default language, then the first
site language that has a value, so a page never shows a Python `dict`.
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


def resolve(value: Any, lang: str, default: str, codes: Sequence[str]) -> Any:
    """The value as a reader of `lang` sees it, through lists and mappings."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Mapping):
        if _has_only_codes(value, codes):
            picked = pick(value, lang, default, codes)
            return picked if type(picked) in _PLAIN else resolve(picked, lang, default, codes)
        return {
            key: item if type(item) in _PLAIN else resolve(item, lang, default, codes)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [
            item if type(item) in _PLAIN else resolve(item, lang, default, codes) for item in value
        ]
    return value


def pick(translations: Mapping[str, Any], lang: str, default: str, codes: Sequence[str]) -> Any:
    for code in (lang, default, *codes):
        if translations.get(code) is not None:
            return translations[code]
    return None
