"""French typography for rendered pages: the spaces French needs, where only a human could type them.

Why: French sets a space before the "double" punctuation marks `; : ! ?`, before `»`
and after `«`, and that space must never break (a line starting with `!` or `»` is a
classic typesetting fault). The Imprimerie nationale's *Lexique des règles
typographiques* asks for a thin no-break space there (and a word-wide one before the
colon); on screen, most French publishers now use the narrow no-break space U+202F
for all of them, and so do we, for one consistent look. Numbers follow CLDR's `fr`
data, the same data Babel uses in `sitegen.formatting`: U+202F groups thousands
(`1 299`) and precedes `%`, U+00A0 ties a number to its unit or currency (`89,90 €`,
`24 heures`, `11 novembre`) so that a line never ends with a bare number.

Authors type none of these characters: they type a plain space, or nothing. Fixing
that by hand in every Markdown file and data file does not scale, so the rendered
page is fixed as a whole, once, at the end.

Why text nodes only: everything else in a page is not French prose. Attribute values
hold URLs and query strings (`?q=1`), CSS and JavaScript are full of `a ? b : c` and
`a:hover`, `<code>` and `<pre>` show text that must be copied exactly, JSON-LD is
parsed by machines, and `translate="no"` is HTML's own way of saying "not natural
language here". Inserting a U+202F into any of those breaks something, so they are
copied byte for byte.

How: one regex splits the document into markup (tags, comments, CDATA, doctype,
and whole raw-text elements such as `<script>`) and the text between; open and close
tags of protected elements are counted by name; each text node goes through one
compiled regex whose alternatives are tried left to right in a single scan. No HTML
parser, no backtracking-prone patterns: the cost is linear in the page size. Character
references stay as they are (`&amp;` is opaque text); only a no-break space written as
a reference (`&nbsp;`, `&#160;`) is read as a space, so that `Bonjour&nbsp;!` gets the
right narrow space like `Bonjour !` does.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["NBSP", "NNBSP", "french_text", "french_typography"]

NNBSP: Final = "\u202f"
"""Narrow no-break space: before `; : ! ? »`, after `«`, before `%`, between digit groups."""
NBSP: Final = "\u00a0"
"""No-break space: between a number and its unit, currency or counted word."""

# --- Text rules -----------------------------------------------------------------------

# Horizontal spaces an author may have typed before a mark (or that an earlier run of
# this module put there: keeping U+202F in the set is what makes the function idempotent).
_SPACE_CHARS = " \t\u00a0\u2009\u202f"
_NBSP_REF = r"&(?:nbsp|NonBreakingSpace|#0*160|#[xX]0*[aA]0);"
# A closing quote or bracket; `_CLOSERS` is the same as the contents of a character class.
_CLOSER_CHARS = ")]}”’\"'"
_CLOSERS = re.escape(_CLOSER_CHARS)
# Words and signs that belong to the number before them.
_UNITS = "|".join(
    [
        r"%",
        r"€",
        r"\$",
        r"£",
        r"¥",
        r"°C",
        r"°",
        r"[A-Z]{3}",  # currency codes: EUR, USD, CNY...
        r"km²|m²|cm²|m³",
        r"km|cm|mm|ms|min|m|kg|g|h|s|ml|cl|l|Mo|Go|Ko|kW|W",
        r"jours?|heures?|minutes?|secondes?|ans?|mois|semaines|pays",
        r"millions?|milliards?|euros?|yuans|dollars|produits?|marchands|marques",
        r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre",
    ]
)
# `:)`, `;-)`, `:D`... are left alone, and so is the space before them.
_EMOTICON_TAIL = r"(?!'?-?[()DPp](?![^\W_]))"
_NOT_EMOTICON = rf"(?![:;]{_EMOTICON_TAIL[3:-1]})"


def _text_pattern(html: bool) -> re.Pattern[str]:
    """The one regex of the text rules; `html` adds character references."""
    if html:
        space = rf"(?:[{_SPACE_CHARS}]|{_NBSP_REF})"
        space_start = rf"(?:[{_SPACE_CHARS}](?<![{_SPACE_CHARS}\n\r].)|&(?<![{_SPACE_CHARS}\n\r]&){_NBSP_REF[1:]})"
        follow = rf"(?=[\s;:!?«»{_CLOSERS}]|{_NBSP_REF}|\Z)"
        token_char = rf"(?:(?!{_NBSP_REF})\S)"
        token_start = r"(?:(?<!\S)|(?<=&nbsp;)|(?<=&#160;)|(?<=&#xa0;)|(?<=&#xA0;))"
        reference = r"|(?P<ref>&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);)"
    else:
        space = rf"[{_SPACE_CHARS}]"
        space_start = rf"[{_SPACE_CHARS}](?<![{_SPACE_CHARS}\n\r].)"
        follow = rf"(?=[\s;:!?«»{_CLOSERS}]|\Z)"
        token_char = r"\S"
        token_start = r"(?<!\S)"
        reference = ""
    # Every alternative starts by consuming one character of `trigger`, and that
    # lookahead comes first: the scan skips everything else in a tight loop.
    trigger = rf"(?=[{_SPACE_CHARS}{'&' if html else ''}«»;:!?0-9])"
    alternatives = (
        # Spaces typed before a mark: one narrow no-break space instead. A run that
        # starts a line is the author's choice and stays.
        rf"(?P<space>{space_start}{space}*(?=[;:!?]{follow}|»){_NOT_EMOTICON})"
        # Any other character reference: opaque (its `;` is not a semicolon).
        rf"{reference}"
        # After `«`: the typed spaces, or none before a word.
        rf"|(?P<open>«(?:{space}+|(?=[^\W_]|[(\[“‘\"'…])))"
        # Digit groups of three: 1 299 -> 1\u202f299.
        r"|(?P<digits>[0-9](?<![\w.,][0-9])[0-9]{0,2}(?:[ \u00a0\u202f][0-9]{3})+(?![0-9]))"
        # The space between a number (or 1er) and its unit.
        r"|(?P<unit> (?:(?<=[0-9] )|(?<=[0-9]er )|(?<=[0-9]re )) *"
        rf"(?=(?P<unit_name>{_UNITS})(?![^\W_]|['’])))"
        # A mark glued to a word: insert the space, then leave `!!`, `?!` alone.
        rf"|(?P<mark>(?:[!?]|[;:]{_EMOTICON_TAIL})"
        rf"(?:(?<=[^\W_].)|(?<=[{_CLOSERS}»].)){follow})"
        rf"|(?P<close>»(?:(?<=[^\W_]»)|(?<=[{_CLOSERS}.!?…]»)))"
    )
    return re.compile(rf"{trigger}(?:{alternatives})")


_TEXT_RULES: Final = _text_pattern(html=False)
_HTML_TEXT_RULES: Final = _text_pattern(html=True)


def _apply(rules: re.Pattern[str], text: str, before: str = "") -> str:
    """Run the text rules over `text`; `before` is the visible character just before it."""
    source = before + text
    last = len(before)
    pieces: list[str] = []
    for match in rules.finditer(source, last):
        kind = match.lastgroup
        if kind == "space":
            replacement = NNBSP
        elif kind == "open":
            replacement = "«" + NNBSP
        elif kind == "digits":
            replacement = match.group().replace(" ", NNBSP)
        elif kind == "unit":
            replacement = NNBSP if match.group("unit_name") == "%" else NBSP
        elif kind in ("mark", "close"):
            replacement = NNBSP + match.group()
        else:  # a URL or a character reference: copied as is
            continue
        pieces.append(source[last : match.start()])
        pieces.append(replacement)
        last = match.end()
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

# Attributes up to the end of a tag: `>` inside a quoted value does not end it.
_ATTRIBUTES = r"""(?:[^>=]|=\s*(?:"[^"]*"?|'[^']*'?|[^\s>]*))*+"""
_MARKUP: Final = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    r"|<[!?][^>]*>?"  # doctype, processing instruction, bogus comment
    # Raw-text elements in one piece: their content is not HTML, `<` in it is no tag.
    r"|<(?P<raw>script|style|textarea|xmp|iframe|noembed|noframes)(?![^\s/>])"
    rf"{_ATTRIBUTES}(?:>.*?(?:</(?P=raw)(?![^\s/>])[^>]*>|\Z))?"
    rf"|</?(?P<name>[A-Za-z][^\s/>]*){_ATTRIBUTES}>?",
    re.DOTALL | re.IGNORECASE,
)
_ATTRIBUTE: Final = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_OPT_OUT_HINT: Final = re.compile(r"translate|no-typography", re.IGNORECASE)
_OPT_OUT_CLASSES: Final = frozenset({"notranslate", "no-typography"})

# Elements whose content is code or sample text (script, style, textarea are raw text).
_PROTECTED: Final = frozenset({"pre", "code", "kbd", "samp", "var"})
_VOID: Final = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
# A mark may be glued to the word before it across these tags: `<b>Note</b>:`.
_INLINE: Final = frozenset(
    "a abbr b bdi bdo cite data del dfn em i ins mark q s small span strong sub sup time u".split()
)
_CONTEXT_MARKS: Final = frozenset(";:!?")


def _opts_out(tag: str, name: str) -> bool:
    """Whether a start tag carries `translate="no"` or class `notranslate`/`no-typography`."""
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


def _last_visible(text: str) -> str:
    """The character a mark at the start of the next text node would be glued to, if any."""
    char = text[-1:]
    return char if char.isalnum() or (char and char in _CLOSER_CHARS + "»") else ""


def _text_node(pieces: list[str], text: str, before: str, guarded: str) -> str:
    """Append a text node, fixed unless protected; return the new `before`."""
    if guarded:
        pieces.append(text)
        return ""
    glued = before if text[0] in _CONTEXT_MARKS else ""
    pieces.append(_apply(_HTML_TEXT_RULES, text, glued))
    return _last_visible(text)


def french_typography(html: str) -> str:
    """Apply `french_text` to the text nodes of an HTML document or fragment.

    Tags, attribute values, comments, CDATA, the doctype and the content of `script`,
    `style`, `textarea`, `pre`, `code`, `kbd`, `samp`, `var` and of any element with
    `translate="no"` or class `notranslate` / `no-typography` are copied unchanged;
    character references stay as written (`&nbsp;` before a mark becomes U+202F).
    Idempotent.
    """
    pieces: list[str] = []
    guarded = ""  # name of the protected element we are inside, if any
    depth = 0  # how many of those are open
    before = ""  # last visible character, when only inline tags follow it
    position = 0
    for markup in _MARKUP.finditer(html):
        start = markup.start()
        if start > position:
            before = _text_node(pieces, html[position:start], before, guarded)
        tag = markup.group()
        pieces.append(tag)
        position = markup.end()
        name = markup.group("name")
        if name is None:  # comment, doctype, CDATA, whole script/style element
            before = ""
            continue
        name = name.lower()
        is_end = tag[1] == "/"
        opens = not is_end and not tag.endswith("/>")
        if guarded:
            if name == guarded and opens:
                depth += 1
            elif name == guarded and is_end:
                depth -= 1
                if depth == 0:
                    guarded = ""
            before = ""
        elif opens and name not in _VOID and (name in _PROTECTED or _opts_out(tag, name)):
            guarded, depth, before = name, 1, ""
        elif name not in _INLINE:
            before = ""
    if position < len(html):
        _text_node(pieces, html[position:], before, guarded)
    return "".join(pieces)
