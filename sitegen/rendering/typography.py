"""French typography for rendered pages: the no-break spaces French needs, in text only.

Why: French sets a space before the "double" punctuation marks `; : ! ?`, before `»`
and after `«`, and that space must never break (a line starting with `!` or `»` is a
classic typesetting fault). The Imprimerie nationale's *Lexique des règles
typographiques* asks for a thin no-break space there (and a word-wide one before the
colon); on screen, most French publishers now use the narrow no-break space U+202F
for all of them, and so do we, for one consistent look. Numbers follow CLDR's `fr`
data, the same data Babel uses in `sitegen.rendering.formatting`: U+202F groups thousands
(`1 299`) and precedes `%`, U+00A0 ties a number to its unit or currency (`89,90 €`,
`24 heures`, `11 novembre`) so that a line never ends with a bare number, and
holds a measure's sign between its numbers (`90 × 90 cm`).

Authors type none of these characters: they type a plain space, or nothing. Fixing
that by hand in every Markdown file and data file does not scale, so the rendered
page is fixed as a whole, once, at the end.

Why text nodes only: everything else in a page is not French prose. Attribute values
hold URLs and query strings (`?q=1`), CSS and JavaScript are full of `a ? b : c` and
`a:hover`, `<code>` and `<pre>` show text that must be copied exactly, JSON-LD is
parsed by machines, and `translate="no"` is HTML's own way of saying "not natural
language here". Inserting a U+202F into any of those breaks something, so they are
copied byte for byte.

How: one regex splits the document into markup (tags, comments, CDATA, doctype, and
whole raw-text elements such as `<script>`) and the text between; start and end tags
of the protected element we are in are counted by name, so nesting works. Each text
node goes through one compiled regex that only stops on the characters that matter
(marks, guillemets, digits, `&`); the spaces before a mark are found by stepping back
from it, and URL-like tokens are only looked for around `://`, `www.`, `@` and `/`.
No HTML parser, no backtracking-prone patterns: the cost is linear in the page size
(a few milliseconds for 100 KB). Character references stay as written (`&amp;` is
opaque text, its `;` no semicolon); only a no-break space written as a reference
(`&nbsp;`, `&#160;`) counts as a typed space, so `Bonjour&nbsp;!` is fixed like
`Bonjour !`.

Why by the language of the text, not of the page: a French page shows English text
(a language's name in the switcher, an untranslated paragraph marked `lang="en"`), and
an English page French text (a French fallback, a product name with no English
version). HTML says which with `lang`, and so does the typesetter: on a French page,
an element whose `lang` is another language is copied unchanged, like `translate="no"`;
on another page, `french_islands` applies the French rules inside the elements whose
`lang` is French (`fr`, `fr-CA`...) and nowhere else. The limit: on a French page, a
French element inside an English one is left as it is (the outer English element
protects all it holds).

Choices the rules leave open: a mark glued to an inline element's text gets its space
(`<b>Note</b>:`), not one after a block, `<br>` or code; a mark that starts a line
keeps it; emoticons (`:)`, `;-)`, `:D`) and a space before them are left alone, as is
a `:` or `;` followed by a letter or digit (`12:30`, `a:hover`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

__all__ = ["NBSP", "NNBSP", "french_islands", "french_text", "french_typography"]

NNBSP: Final = "\u202f"
"""Narrow no-break space: before `; : ! ? »`, after `«`, before `%`, between digit groups."""
NBSP: Final = "\u00a0"
"""No-break space: between a number and its unit, currency or counted word."""

# --- Text rules -----------------------------------------------------------------------

# Horizontal spaces an author may have typed before a mark (or that an earlier run of
# this module put there: keeping U+202F in the set is what makes the function idempotent).
_SPACE_CHARS = " \t\u00a0\u2009\u202f"
# A no-break space written as a character reference: read as a space in HTML text.
_NBSP_REFS = ("&nbsp;", "&NonBreakingSpace;", "&#160;", "&#xa0;", "&#xA0;", "&#Xa0;", "&#XA0;")
_NBSP_REF = "(?:" + "|".join(_NBSP_REFS) + ")"
# Closing quotes and brackets: a mark right after one is glued to it, as after a word.
_CLOSER_CHARS = ")]}\u201d\u2019\"'"  # and the closing curly quotes, double and single
_CLOSERS = re.escape(_CLOSER_CHARS)  # the same, for a character class
_GLUES_TO_MARK = _CLOSER_CHARS + "»"  # and letters, digits: `Oui!`, `(oui)!`, `«Oui»!`
_GLUES_TO_CLOSE = _CLOSER_CHARS + ".!?…"  # and letters, digits: `Oui»`, `Oui !»`
# Words and signs that belong to the number before them (whole words only).
_UNITS = "|".join(
    [
        r"%|€|\$|£|¥|°C|°",
        r"[A-Z]{3}",  # currency codes: EUR, USD, CNY...
        r"km²|m²|cm²|m³|km|cm|mm|ms|min|m|kg|g|h|s|ml|cl|l|Mo|Go|Ko|kW|W",
        r"jours?|heures?|minutes?|secondes?|ans?|mois|semaines|pays",
        r"millions?|milliards?|euros?|yuans|dollars|produits?|marchands|marques",
        r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre",
    ]
)
# After a unit: no letter (`10 mois` is no `10 m`), no elision (`2019 l'entreprise`).
_UNIT = rf"(?:{_UNITS})(?![^\W_]|['\u2019])"
# `:)`, `;-)`, `:D`... are left alone, and so is the space before them.
_NOT_EMOTICON_TAIL = r"(?!'?-?[()DPp](?![^\W_]))"


def _text_pattern(html: bool) -> re.Pattern[str]:
    """The one regex of the text rules; `html` adds character references.

    Every alternative starts on a character that is rare in prose (a mark, a guillemet,
    a digit, `&`), and a lookahead on that set comes first: the scan skips the rest
    in a tight loop. Spaces are found from the mark, by `_space_run`.
    """
    if html:
        space = rf"(?:[{_SPACE_CHARS}]|{_NBSP_REF})"
        follow = rf"(?=[\s;:!?«»{_CLOSERS}]|{_NBSP_REF}|\Z)"
        trigger = r"(?=[&«»;:!?0-9])"
        # Any character reference is opaque: its `;` is no semicolon.
        reference = r"(?P<ref>&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);)|"
    else:
        space = rf"[{_SPACE_CHARS}]"
        follow = rf"(?=[\s;:!?«»{_CLOSERS}]|\Z)"
        trigger = r"(?=[«»;:!?0-9])"
        reference = ""
    alternatives = (
        reference
        # `;:!?` followed by a space, the end, a closer or another mark (so not `12:30`,
        # `?q=1`, `:hover`), and `»`: `_apply` looks at the spaces or the word before.
        + rf"(?P<mark>[!?]{follow}|[;:]{_NOT_EMOTICON_TAIL}{follow}|»)"
        # After `«`: the typed spaces, or none before a word.
        + rf"|(?P<open>«(?:{space}+|(?=[^\W_]|[(\[\u201c\u2018\"'…])))"
        # A number: digit groups of three (1 299), then maybe the space before its unit;
        # or any number (10, 1er) whose unit follows.
        + r"|(?P<number>(?:(?P<digits>[0-9](?<![\w.,][0-9])[0-9]{0,2}"
        + r"(?:[ \u00a0\u202f][0-9]{3})+(?![0-9]))"
        + rf"|[0-9](?:er|re)?(?= +{_UNIT}))(?P<gap> +(?={_UNIT}))?)"
        # A measure's sign between two numbers (90 × 90 cm): kept on the line with both.
        + r"|(?P<times>[0-9][ \u00a0\u202f]*×[ \u00a0\u202f]*(?=[0-9]))"
    )
    return re.compile(trigger + "(?:" + alternatives + ")")


_TEXT_RULES: Final = _text_pattern(html=False)
_HTML_TEXT_RULES: Final = _text_pattern(html=True)
_URL_HINT: Final = re.compile(r"://|www\.|@|/")
_TOKEN_REST: Final = re.compile(r"\S*")
_HTML_TOKEN_REST: Final = re.compile(rf"(?:(?!{_NBSP_REF})\S)*")


def _nbsp_ref_before(source: str, floor: int, end: int) -> int:
    """The length of the no-break-space reference ending at `end`, or 0."""
    if source[end - 1 : end] == ";":
        for ref in _NBSP_REFS:
            if source.endswith(ref, floor, end):
                return len(ref)
    return 0


def _space_run(source: str, end: int, floor: int, html: bool) -> int:
    """Where the run of spaces ending at `end` starts (never before `floor`)."""
    start = end
    while start > floor:
        if source[start - 1] in _SPACE_CHARS:
            start -= 1
        elif html and (length := _nbsp_ref_before(source, floor, start)):
            start -= length
        else:
            break
    return start


def _url_spans(source: str, start: int, html: bool) -> list[tuple[int, int]]:
    """The whitespace-delimited tokens that are URLs, e-mail addresses or paths."""
    spans: list[tuple[int, int]] = []
    floor = position = start
    rest = _HTML_TOKEN_REST if html else _TOKEN_REST
    while hint := _URL_HINT.search(source, position):
        found = hint.start()
        token = found
        if hint.group() == "/":  # a path only when the token starts with it
            before = source[token - 1 : token]
            if before and not before.isspace() and not _nbsp_ref_before(source, 0, token):
                position = found + 1
                continue
        else:
            while token > floor and not source[token - 1].isspace():
                if html and _nbsp_ref_before(source, floor, token):
                    break
                token -= 1
        token_end = rest.match(source, found)
        end = token_end.end() if token_end else found
        spans.append((token, end))
        floor = position = max(end, found + 1)
    return spans


def _glues(char: str, mark: str) -> bool:
    """Whether `mark`, typed right after `char`, gets a space inserted before it."""
    return char.isalnum() or (
        char != "" and char in (_GLUES_TO_CLOSE if mark == "»" else _GLUES_TO_MARK)
    )


def _apply(rules: re.Pattern[str], text: str, before: str = "", html: bool = False) -> str:
    """Run the text rules over `text`; `before` is the visible character just before it."""
    source = before + text
    last = len(before)  # everything before `last` is settled
    spans = _url_spans(source, last, html) if ("/" in text or "@" in text or "www." in text) else []
    span = 0
    pieces: list[str] = []
    for match in rules.finditer(source, last):
        kind = match.lastgroup
        if kind == "ref":
            continue
        start, end = match.span()
        while span < len(spans) and spans[span][1] <= start:
            span += 1
        if span < len(spans) and spans[span][0] < end:
            continue  # inside a URL, an e-mail address or a path
        if kind == "mark":
            mark = match.group()
            run = _space_run(source, start, last, html)
            if run < start:
                if source[run - 1 : run] in ("\n", "\r"):
                    continue  # the mark starts a line: the author's choice
            elif not _glues(source[start - 1 : start], mark):
                continue  # after a space we cannot see, another mark, an opaque reference
            replacement, start = NNBSP + mark, run
        elif kind == "open":
            replacement = "«" + NNBSP
        elif kind == "times":
            replacement = source[start] + NBSP + "×" + NBSP
        else:  # a number
            gap = match.start("gap")
            number = match.group() if gap < 0 else source[start:gap]
            if match.group("digits") is not None:
                number = number.replace(" ", NNBSP)
            if gap >= 0:
                number += NNBSP if source.startswith("%", end) else NBSP
            replacement = number
        pieces.append(source[last:start])
        pieces.append(replacement)
        last = end
    if not pieces:
        return text
    pieces.append(source[last:])
    return "".join(pieces)


def french_text(text: str) -> str:
    """French spaces in plain text (no HTML): before `; : ! ? »`, after `«`, in numbers.

    `Prix : 1 299,00 € !` becomes `Prix\u202f: 1\u202f299,00\u00a0€\u202f!`. Idempotent.
    """
    return _apply(_TEXT_RULES, text)


# --- HTML -----------------------------------------------------------------------------

# Elements whose content is code or sample text (script, style, textarea: raw text).
_PROTECTED: Final = frozenset({"pre", "code", "kbd", "samp", "var"})
_RAW_TEXT = "script|style|textarea|xmp|iframe|noembed|noframes"
_VOID: Final = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input"}
    | {"link", "meta", "param", "source", "track", "wbr"}
)
# A mark may be glued to the word before it across these tags: `<b>Note</b>:`.
_INLINE = "a|abbr|b|bdi|bdo|cite|data|del|dfn|em|i|ins|mark|q|s|small|span|strong|sub|sup|time|u"

_NAME_END = r"(?![^\s/>])"
# Attributes up to the end of a tag: `>` inside a quoted value does not end it.
_ATTRIBUTES = r"""[^>=]*+(?:=\s*+(?:"[^"]*+"?|'[^']*+'?|[^\s>]*+)[^>=]*+)*+"""


def _markup_pattern(opt_out: bool) -> re.Pattern[str]:
    """Tags, comments, CDATA, doctype and whole raw-text elements, with the whitespace
    after them when only another tag follows (a text node that needs nothing).

    With `opt_out`, every start tag is reported (as `start`) for `_protects` to read
    its attributes; without, only those of `pre`, `code`... (as `guard`).
    """
    any_start = r"|(?P<start>[A-Za-z][^\s/>]*+)" if opt_out else ""
    return re.compile(
        r"<(?:"
        r"!--.*?(?:-->|\Z)"
        r"|!\[CDATA\[.*?(?:\]\]>|\Z)"
        r"|[!?][^>]*>?"  # doctype, processing instruction, bogus comment
        # Raw-text elements in one piece: their content is not HTML, `<` in it is no tag.
        rf"|(?P<raw>(?i:{_RAW_TEXT})){_NAME_END}{_ATTRIBUTES}"
        rf"(?:>.*?(?:</(?i:(?P=raw)){_NAME_END}[^>]*>|\Z))?"
        # Start tags that may protect their content: `_protects` decides.
        rf"|(?:(?P<guard>(?i:pre|code|kbd|samp|var)){_NAME_END}{any_start})"
        rf"{_ATTRIBUTES}>?"
        rf"|/?[A-Za-z][^\s/>]*+{_ATTRIBUTES}>?"
        r")(?:\s++(?=<))?",
        re.DOTALL,
    )


_MARKUP: Final = _markup_pattern(opt_out=False)
_MARKUP_OPT_OUT: Final = _markup_pattern(opt_out=True)


def _may_opt_out(html: str) -> bool:
    """Whether any tag may carry `translate="no"` or class `no-typography` (a quick test)."""
    return any(word in html for word in ("translate", "no-typography", "TRANSLATE", "Translate"))


_TAG_NAME: Final = re.compile(r"</?([A-Za-z][^\s/>]*)")
_INLINE_TAGS: Final = re.compile(rf"(?:</?(?:{_INLINE}){_NAME_END}{_ATTRIBUTES}>)*", re.IGNORECASE)
_ATTRIBUTE: Final = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_OPT_OUT_HINT: Final = re.compile(r"translate|no-typography", re.IGNORECASE)
_OPT_OUT_CLASSES: Final = frozenset({"notranslate", "no-typography"})
_CONTEXT_MARKS: Final = frozenset(";:!?")
_TRIGGER: Final = re.compile(r"[&«»;:!?0-9]")
"""What every text rule starts on: a text node without any is left as it is."""


def _protects(tag: str, name: str) -> bool:
    """Whether a start tag opens an element whose content must not change."""
    if tag.endswith("/>") or name in _VOID:
        return False
    if name in _PROTECTED:
        return True
    if _OPT_OUT_HINT.search(tag) is None:
        return False
    for attribute in _ATTRIBUTE.finditer(tag, 1 + len(name)):
        key = attribute.group(1).lower()
        value = attribute.group(2) or attribute.group(3) or attribute.group(4) or ""
        if key == "translate" and value.strip().lower() == "no":
            return True
        if key == "class" and not _OPT_OUT_CLASSES.isdisjoint(value.split()):
            return True
    return False


# A `lang` attribute, found by its literal name (fast to scan for: case-sensitive, as
# the templates write it), naming French or another language (`fr`, `fr-CA`, `FR`...:
# BCP 47 tags are case-insensitive).
_FRENCH_LANG: Final = re.compile(r"""lang\s*+=\s*+["']?+(?i:fr)(?:[-_][^"'\s>]*)?(?=["'\s/>])""")
_OTHER_LANG: Final = re.compile(r"""lang\s*+=\s*+["']?+(?!(?i:fr)(?:[-_][^"'\s>]*)?["'\s/>])""")


def _tags_with(attribute: re.Pattern[str], html: str) -> Iterator[int]:
    """Where the start tags holding a match of `attribute` begin (`hreflang=`,
    `xml:lang=` and text that only looks like an attribute are not matches)."""
    for found in attribute.finditer(html):
        start = html.rfind("<", 0, found.start())
        if (
            start >= 0
            and html[found.start() - 1].isspace()
            and ">" not in html[start : found.start()]
        ):
            yield start


def _tag_name(tag: str) -> str:
    match = _TAG_NAME.match(tag)
    return match.group(1).lower() if match else ""


def french_typography(html: str) -> str:
    """Apply `french_text` to the text nodes of an HTML document or fragment.

    Tags, attribute values, comments, CDATA, the doctype and the content of `script`,
    `style`, `textarea`, `pre`, `code`, `kbd`, `samp`, `var` and of any element with
    `translate="no"`, class `notranslate` / `no-typography` or a `lang` of another
    language than French are copied unchanged;
    character references stay as written (`&nbsp;` before a mark becomes U+202F).
    Idempotent.
    """
    pieces: list[str] = []
    copied = 0  # html[:copied] is in `pieces`
    guarded = ""  # name of the protected element we are inside, if any
    depth = 0  # how many of those are open
    previous_text = -1  # end of the last text node we fixed, -1 after protected content
    position = 0
    markup_pattern = _MARKUP_OPT_OUT if _may_opt_out(html) else _MARKUP
    other_language = set(_tags_with(_OTHER_LANG, html))  # where the start tags are
    # `<!---->`: an empty comment after the document ends its last text node.
    for markup in markup_pattern.finditer(html + "<!---->"):
        start = markup.start()
        if start > position and not guarded:
            text = html[position:start]
            if not text.isspace():
                if _TRIGGER.search(text):
                    glued = ""
                    if text[0] in _CONTEXT_MARKS and previous_text > 0:
                        char = html[previous_text - 1]
                        if _glues(char, text[0]) and _INLINE_TAGS.fullmatch(
                            html, previous_text, position
                        ):
                            glued = char
                    fixed = _apply(_HTML_TEXT_RULES, text, glued, html=True)
                    if fixed is not text:
                        pieces.append(html[copied:position])
                        pieces.append(fixed)
                        copied = start
                previous_text = start
        position = markup.end()
        if guarded:
            tag = markup.group().rstrip()
            if tag[1] in "!?" or markup.lastgroup == "raw" or _tag_name(tag) != guarded:
                continue
            if tag[1] == "/":
                depth -= 1
                if depth == 0:
                    guarded = ""
            elif not tag.endswith("/>"):
                depth += 1
        elif markup.lastgroup in ("guard", "start") or start in other_language:
            tag = markup.group().rstrip()
            name = _tag_name(tag)
            if _protects(tag, name) or (
                start in other_language and name not in _VOID and not tag.endswith("/>")
            ):
                guarded, depth, previous_text = name, 1, -1
    if not pieces:
        return html
    pieces.append(html[copied:])
    return "".join(pieces)


def french_islands(html: str) -> str:
    """Apply `french_typography` inside the elements of a non-French page whose `lang`
    is French (`<p lang="fr">`), and nowhere else; a void element has no text to fix."""
    pieces: list[str] = []
    copied = 0  # html[:copied] is in `pieces`
    for start in _tags_with(_FRENCH_LANG, html):
        name = _tag_name(html[start : start + 64])
        if start < copied or not name or name in _VOID:
            continue
        end = _element_end(html, start, name)
        island = html[start:end]
        fixed = french_typography(island) if _TRIGGER.search(island) else island
        if fixed is not island:
            pieces.append(html[copied:start])
            pieces.append(fixed)
            copied = end
    if not pieces:
        return html
    pieces.append(html[copied:])
    return "".join(pieces)


def _element_end(html: str, position: int, name: str) -> int:
    """Where the element named `name` whose start tag begins at `position` ends: after
    its end tag (same-name elements inside it counted), or at the end of the document."""
    depth = 0
    tags = re.compile(rf"<(/?){re.escape(name)}{_NAME_END}{_ATTRIBUTES}>", re.IGNORECASE)
    opened = html.find(">", position) + 1
    if opened == 0 or html[opened - 2] == "/":
        return len(html) if opened == 0 else opened
    for tag in tags.finditer(html, opened):
        if tag.group(1):
            if depth == 0:
                return tag.end()
            depth -= 1
        elif not tag.group().endswith("/>"):
            depth += 1
    return len(html)
