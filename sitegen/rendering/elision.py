"""French elision where a translated string meets a name: "Les produits de %(name)s"
gives "Les produits d'Atelier Lumen" and "Les produits de Houle Atlantique".

French elides the vowel of `de`, `que`, `le`, `la` (and `jusque`, `lorsque`,
`puisque`) before a word that begins with a vowel sound: a vowel, a mute h, or a y
before a consonant (d'Yves); not before an aspirated h (de Houle: la houle), nor
before a y followed by a vowel (de Yokohama). Whether an h is aspirated belongs to
the word, not to a rule of spelling: the dictionaries mark it (Académie française,
Dictionnaire, 9th edition, where an aspirated h is starred; Office québécois de la
langue française, Banque de dépannage linguistique, « H aspiré et h muet »).
`ASPIRATED_H` lists the common words that begin with one; a name that begins with
such a word keeps its `de`. For a name no rule can tell (a foreign brand, a word the
list does not hold), site.yaml says which it takes:

    elision:
      Huawei: false      # de Huawei
      Hermès: true       # d'Hermès

Translators write the full word (`de %(name)s`) as French grammar books do; the
elision is made when the page is rendered, from the name shown.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import partial
from gettext import NullTranslations
from typing import Any, Final

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

APOSTROPHE: Final = "\u2019"
"""The typographic apostrophe, as the bundled theme's French catalog writes it."""

ELIDING_WORDS: Final = {
    "de": "d",
    "que": "qu",
    "le": "l",
    "la": "l",
    "jusque": "jusqu",
    "lorsque": "lorsqu",
    "puisque": "puisqu",
}

_ASPIRATED_H_WORDS: Final = """
    hache haie haillon haine hair halage hall halle halte hamac hameau hamburger hampe
    hanche handball handicap hangar hanneton hanter happer harangue haras harceler
    hardi harem hareng hargne haricot harnais harpe harpon hasard hate hausse haut
    haute hauteur havre hennir herisson hernie heron heros herse hetre heurt hibou hic
    hideux hideuse hierarchie hippie hisser hobby hockey hold hollande homard hongrie
    honte hoquet horde hors hotte houblon houle houppe housse houx hublot huche huer
    huit huitieme humer hurler hussard hutte hyene
"""
ASPIRATED_H: Final = frozenset(_ASPIRATED_H_WORDS.split())
"""Common words with an aspirated h, unaccented (see the module's docstring)."""

_VOWELS: Final = frozenset("aeiouœæ")
_SEAM: Final = re.compile(r"\b(" + "|".join(ELIDING_WORDS) + r") (%\((\w+)\)s)", re.IGNORECASE)


def _plain(text: str) -> str:
    """Lower case, without accents: "Hêtre" -> "hetre"."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def elides(name: str, decided: Mapping[str, bool]) -> bool:
    """Whether a French word before `name` loses its vowel (see the module's docstring).
    `decided`: site.yaml's `elision`, for names no rule can tell."""
    name = name.strip()
    if name in decided:
        return decided[name]
    word = _plain(name.split(maxsplit=1)[0]) if name else ""
    if not word or not word[0].isalpha():
        return False
    if word[0] in _VOWELS:
        return True
    if word[0] == "h":
        first = word.split("-")[0]  # Hauts-de-France: hauts
        singular = first[:-1] if first.endswith(("s", "x")) else first
        return ASPIRATED_H.isdisjoint({first, singular})
    if word[0] == "y":
        return len(word) > 1 and word[1] not in _VOWELS and word[1] != "y"
    return False


def with_elisions(translated: str, values: Mapping[str, Any], decided: Mapping[str, bool]) -> str:
    """`translated` with each eliding word elided before a value that calls for it:
    "de %(name)s" -> "d'%(name)s" when `values["name"]` begins with a vowel sound."""

    if "%(" not in translated:  # most UI strings: nothing to look at
        return translated

    def seam(match: re.Match[str]) -> str:
        word, placeholder, key = match.groups()
        value = values.get(key)
        if not isinstance(value, str) or not elides(value, decided):
            return match.group()
        elided = ELIDING_WORDS[word.lower()]
        if word[0].isupper():
            elided = elided.capitalize()
        return f"{elided}{APOSTROPHE}{placeholder}"

    return _SEAM.sub(seam, translated)


def elided(word: str, name: str, decided: Mapping[str, bool]) -> str:
    """`elided("de", "Atelier Lumen")`: "d'Atelier Lumen" (with APOSTROPHE);
    `elided("de", "Houle Atlantique")`: "de Houle Atlantique"."""
    short = ELIDING_WORDS.get(word.lower())
    if short is None or not elides(name, decided):
        return f"{word} {name}"
    if word[0].isupper():
        short = short.capitalize()
    return f"{short}{APOSTROPHE}{name}"


def elision_globals(
    translations: NullTranslations, french: bool, decided: Mapping[str, bool]
) -> dict[str, Callable[..., str]]:
    """What a language's environment adds to Jinja's i18n globals: `elided(word,
    name)`, and on a French page `gettext` and `ngettext` in Jinja's "newstyle" (the
    steps of jinja2.ext's, repeated) that elide before the values they are given."""
    if not french:
        return {"elided": lambda word, name: f"{word} {name}"}

    @pass_context
    def eliding_gettext(context: Context, string: str, /, **variables: Any) -> str:
        translated = translations.gettext(string)
        return _formatted(context, with_elisions(translated, variables, decided), variables)

    @pass_context
    def eliding_ngettext(
        context: Context, singular: str, plural: str, num: int, /, **variables: Any
    ) -> str:
        variables.setdefault("num", num)
        translated = translations.ngettext(singular, plural, num)
        return _formatted(context, with_elisions(translated, variables, decided), variables)

    return {
        "gettext": eliding_gettext,
        "ngettext": eliding_ngettext,
        "elided": partial(elided, decided=decided),
    }


def _formatted(context: Context, translated: str, variables: Mapping[str, Any]) -> str:
    """As Jinja's newstyle gettext: always a format string, escaped when autoescaping."""
    if context.eval_ctx.autoescape:
        return Markup(translated) % variables
    return translated % variables
