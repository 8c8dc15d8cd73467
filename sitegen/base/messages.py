"""sitegen's own messages (problems, hints, summaries, progress, `--help`) in the
language of the person who runs it: English, or French from a French terminal.

The language is chosen once per process, the first time a message is asked for:
`sitegen --lang` (through `use_language`) or the SITEGEN_LANG variable, or else the
environment in the order GNU gettext reads it (LANGUAGE, then the locale: LC_ALL,
LC_MESSAGES, LANG; a "C" or "POSIX" locale means English, whatever LANGUAGE says,
as gettext has it). It is a process's setting, like its terminal's locale, not a
build's: a problem is worded deep in every stage, and threading a language through
each of them would change every signature for no gain.

The French catalog is `sitegen/locale/fr/LC_MESSAGES/sitegen.po` (written with
Babel's tools: docs/contributing.md, "sitegen's own messages"), read here compiled
(`sitegen.mo`, beside it) by the standard library's gettext, which costs well under
a millisecond; English needs no catalog and loads nothing. What scripts read stays
the same in every language: exit codes, the `file:line:column:` of a problem, the
keys of `--format json`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from babel.numbers import format_decimal

if TYPE_CHECKING:  # a Protocol class costs a few hundred microseconds to make at import
    from typing import Protocol

    class _Translations(Protocol):
        def gettext(self, message: str, /) -> str: ...

        def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


LANGUAGES = ("en", "fr")
"""The languages sitegen speaks; the first one is the language of its source."""
LANGUAGE_VARIABLE = "SITEGEN_LANG"
"""The environment variable that chooses the language as `sitegen --lang` does."""
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
"""The variables that give the locale, the first one set winning (POSIX)."""
CATALOGS = Path(__file__).parents[1] / "locale"
DOMAIN = "sitegen"


class _English:
    """The source language: messages as they are written, with English plurals."""

    def gettext(self, message: str, /) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        return singular if n == 1 else plural


_chosen: tuple[str, _Translations] | None = None


def language_from(environ: Mapping[str, str]) -> str:
    """The language the environment asks for, among LANGUAGES (English when none)."""
    forced = _language_of(environ.get(LANGUAGE_VARIABLE, ""))
    if forced:
        return forced
    locale = next((environ[name] for name in LOCALE_VARIABLES if environ.get(name)), "")
    if locale.partition(".")[0] in {"C", "POSIX"}:
        return LANGUAGES[0]
    for wanted in environ.get("LANGUAGE", "").split(":"):
        if _language_of(wanted):
            return _language_of(wanted) or LANGUAGES[0]
    return _language_of(locale) or LANGUAGES[0]


def _language_of(value: str) -> str | None:
    """ "fr_FR.UTF-8@euro", "fr-CA", "fr" -> "fr"; None for a language sitegen lacks."""
    code = value.partition(".")[0].partition("@")[0].replace("-", "_").partition("_")[0]
    return code.lower() if code.lower() in LANGUAGES else None


def use_language(code: str | None = None) -> str:
    """Speak `code` (a language of LANGUAGES) from now on, or the environment's
    language when None; returns the language chosen."""
    return _choose(code)[0]


def _choose(code: str | None) -> tuple[str, _Translations]:
    global _chosen
    language = code if code in LANGUAGES else language_from(os.environ)
    _chosen = (language, _load(language))
    return _chosen


def _load(language: str) -> _Translations:
    if language == LANGUAGES[0]:
        return _English()
    import gettext  # only for a translated language: English loads no catalog

    with (CATALOGS / language / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as catalog:
        return gettext.GNUTranslations(catalog)


def _active() -> tuple[str, _Translations]:
    return _chosen or _choose(None)


def language() -> str:
    """The language sitegen speaks in this process ("en", "fr")."""
    return _active()[0]


def _(message: str) -> str:
    """`message` in the language sitegen speaks."""
    return _active()[1].gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for the number `n`, in the language sitegen speaks."""
    return _active()[1].ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message to translate later (a constant made at import, before the
    language is chosen): `_(CONSTANT)` translates it where it is shown."""
    return message


def number(value: float, pattern: str = "#,##0") -> str:
    """A number as the language writes it (CLDR): "10,000" and "0.25" in English,
    "10 000" and "0,25" in French."""
    return str(format_decimal(value, pattern, locale=language()))
