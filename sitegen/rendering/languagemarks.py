"""UI strings shown in another language than the page's, marked with `lang`.

A page in German whose catalog lacks a string shows its fallback's text (English, or
French if site.yaml says so): a screen reader must read it with that language's voice,
so it needs `lang`. gettext returns plain text, which a template puts anywhere: in an
element, in an attribute, in `<title>`, in JSON. Only the first can hold markup. So a
string found in another language comes out of gettext wrapped in marks (`marked`), and
once the page is rendered `mark_languages` turns the marks into `<span lang dir>` where
an element may stand, and drops them where none may (inside a tag: attributes such as
aria-label; in `<title>`, `<script>`, `<style>`, `<textarea>`, `<option>`), as
`unmarked` does in files that are not HTML. What is left unmarked that way is said in
the localization guide, and `sitegen i18n status` lists the strings a language lacks.

The marks are characters of Unicode's private use area, which no text of a site holds;
a page without them (every string in its own language) is not scanned.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from sitegen.base.localized import lang_of

OPEN = "\ue000"
"""Starts a mark, followed by the language's code and SEPARATOR."""
SEPARATOR = "\ue001"
CLOSE = "\ue002"
"""Ends the text of a mark."""

_MARKS = re.compile(
    "\ue000[^\ue001]*\ue001|\ue002"
    # the same in JSON (`tojson` writes them as \\u escapes)
    r"|\\ue000(?:(?!\\ue001).)*\\ue001|\\ue002"
)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*>|<!--.*?-->", re.DOTALL)
_OPENING = re.compile("\ue000([^\ue001]*)\ue001")
_NO_MARKUP = frozenset({"title", "script", "style", "textarea", "option"})
"""Elements whose content is text only: a mark inside them is dropped."""


def lang_attributes(value: Any, directions: Mapping[str, str]) -> Markup:
    """`lang_attrs(value)` in templates: ` lang="fr" dir="ltr"` for an element that
    holds only `value` when it is a feed's text in another language than the page's
    (sitegen.base.localized.InLanguage), nothing otherwise."""
    lang = lang_of(value)
    if lang is None:
        return Markup("")
    return Markup(' lang="{}" dir="{}"').format(lang, directions.get(lang, "auto"))


def marked(text: str, lang: str) -> str:
    """`text`, in `lang`, marked for `mark_languages`."""
    return f"{OPEN}{lang}{SEPARATOR}{text}{CLOSE}"


def has_marks(text: str) -> bool:
    return OPEN in text or "\\ue000" in text


def unmarked(text: str) -> str:
    """`text` without its marks: what a file that is not HTML shows."""
    return _MARKS.sub("", text) if has_marks(text) else text


def mark_languages(html: str, directions: Mapping[str, str]) -> str:
    """The page with each marked text in a `<span lang dir>` where markup may stand,
    and unmarked elsewhere; `directions` gives each language's ('ltr' or 'rtl')."""
    if not has_marks(html):
        return html
    parts: list[str] = []
    text_only: str | None = None
    """The element of _NO_MARKUP the scan is in, if any."""
    position = 0
    for tag in _TAG.finditer(html):
        parts.append(_text(html[position : tag.start()], directions, text_only is None))
        parts.append(unmarked(tag.group()))
        name = (tag.group(2) or "").lower()
        if text_only is None and not tag.group(1) and name in _NO_MARKUP:
            text_only = name
        elif tag.group(1) and name == text_only:
            text_only = None
        position = tag.end()
    parts.append(_text(html[position:], directions, text_only is None))
    return "".join(parts)


def _text(text: str, directions: Mapping[str, str], markup: bool) -> str:
    if not markup:
        return unmarked(text)
    if OPEN not in text and CLOSE not in text:
        return text

    def span(found: re.Match[str]) -> str:
        lang = found.group(1)
        return f'<span lang="{lang}" dir="{directions.get(lang, "auto")}">'

    return _OPENING.sub(span, text).replace(CLOSE, "</span>")
