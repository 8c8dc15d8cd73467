"""Values that differ per language: `{fr: ..., en: ...}` in YAML, `name.fr` in CSV.

A mapping whose keys are all language codes of the site is a localized value.
Resolving picks the page's language, then the default language, then the first
site language that has a value, so a page never shows a Python `dict`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def is_localized(value: Any, codes: Sequence[str]) -> bool:
    return (
        isinstance(value, Mapping)
        and bool(value)
        and all(isinstance(key, str) and key in codes for key in value)
    )


def resolve(value: Any, lang: str, default: str, codes: Sequence[str]) -> Any:
    """The value as a reader of `lang` sees it, through lists and mappings."""
    if isinstance(value, Mapping):
        if is_localized(value, codes):
            return resolve(pick(value, lang, default, codes), lang, default, codes)
        return {key: resolve(item, lang, default, codes) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [resolve(item, lang, default, codes) for item in value]
    return value


def pick(translations: Mapping[str, Any], lang: str, default: str, codes: Sequence[str]) -> Any:
    for code in (lang, default, *codes):
        if translations.get(code) is not None:
            return translations[code]
    return None
