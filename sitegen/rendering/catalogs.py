"""UI strings through gettext: `.po` catalogs read directly, no compile step by hand.

Catalogs live at `i18n/<lang>/LC_MESSAGES/messages.po` in the site and in each
theme. The site's strings win over the theme's, a child theme's over its
parent's. A string nobody translated shows its source text. Each catalog keeps
its own plural rule (`Plural-Forms`; its language's when it has none, see
plurals.py), so a theme's plurals stay right even when the site's catalog was
written with another rule.

Looked up form by form. A plural entry with some forms left empty gives the forms
it has; a number whose form is empty is asked of the next catalog of the chain
(the theme's, then those of the language's fallbacks), then shown in the source
text, as a string no catalog translates. `sitegen i18n status` lists such entries.

A string found in another language than the page's (a fallback's, or the source
text) is marked with its language (languagemarks.py), for the page to say it.
"""

from __future__ import annotations

import io
import itertools
from gettext import NullTranslations
from pathlib import Path

from babel import UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po

from sitegen.base.errors import Problem, SiteError, raise_if_any, read_source
from sitegen.base.messages import _
from sitegen.rendering.languagemarks import marked
from sitegen.rendering.plurals import catalog_rule, is_plural, plural_problems
from sitegen.settings.config import SiteConfig

CATALOG_NAME = "messages"


def catalog_path(folder: Path, lang: str) -> Path:
    return folder / lang / "LC_MESSAGES" / f"{CATALOG_NAME}.po"


def catalog_paths(catalog_dirs: tuple[Path, ...], lang: str) -> list[Path]:
    """The catalogs of one language, highest priority first."""
    paths = (catalog_path(folder, lang) for folder in catalog_dirs)
    return [path for path in paths if path.is_file()]


def load_translations(catalog_dirs: tuple[Path, ...], lang: str, locale: str) -> NullTranslations:
    """The catalogs of `lang` chained, highest priority first; `locale` (Babel's,
    "fr_FR") gives the plural rule of a catalog without a `Plural-Forms` header."""
    catalogs = load_catalogs(catalog_dirs, lang, locale)
    if not catalogs:
        return NullTranslations()
    for catalog, fallback in itertools.pairwise(catalogs):
        catalog.add_fallback(fallback)
    return catalogs[0]


def load_catalogs(
    catalog_dirs: tuple[Path, ...], lang: str, locale: str
) -> list[CatalogTranslations]:
    """The catalogs of `lang`, highest priority first. Several rather than one merged
    catalog: each message keeps the plural rule of the catalog it comes from."""
    return [
        CatalogTranslations(read_catalog(path, locale))
        for path in catalog_paths(catalog_dirs, lang)
    ]


def read_catalog(path: Path, locale: str | None) -> Catalog:
    """A `.po` or `.pot` file, or SiteError with its line. A catalog of a language
    (`locale` given) has its plural forms checked (plurals.py)."""
    text = read_source(path)
    try:
        catalog = read_po(io.StringIO(text), locale=locale, abort_invalid=True)
    except PoFileError as exc:
        # Babel stops at an entry with more forms than its rule: told as the others are.
        _check_plurals(exc.catalog, text, path, locale)
        # Babel counts lines from 0.
        message = _("invalid gettext catalog: %(error)s") % {"error": exc}
        raise SiteError([Problem(path, exc.lineno + 1, message)]) from None
    except (ValueError, UnknownLocaleError) as exc:
        message = _("invalid gettext catalog: %(error)s") % {"error": exc}
        raise SiteError([Problem(path, None, message)]) from None
    _check_plurals(catalog, text, path, locale)
    return catalog


def _check_plurals(catalog: Catalog, text: str, path: Path, locale: str | None) -> None:
    if locale is not None:
        raise_if_any(plural_problems(catalog_rule(catalog), text, path, locale))


def translation_forms(message: Message) -> tuple[str, ...]:
    """The translated text of a message: one form, or one per plural form."""
    string = message.string
    if isinstance(string, list | tuple):
        return tuple(str(form or "") for form in string)
    return (str(string or ""),)


def is_translated(message: Message) -> bool:
    """Some text in every form, and not fuzzy: a translation nothing is left to do in."""
    forms = translation_forms(message)
    return not message.fuzzy and bool(forms) and all(forms)


def empty_forms(message: Message, count: int) -> tuple[int, ...]:
    """The forms left empty of a plural entry that has text in others (and is not
    fuzzy), `count` being its catalog's number of forms: what status flags."""
    forms = translation_forms(message)
    if message.fuzzy or not is_plural(message) or not any(forms):
        return ()
    return tuple(form for form in range(count) if form >= len(forms) or not forms[form])


class CatalogTranslations(NullTranslations):
    """One catalog as gettext uses it, looked up form by form (module docstring): an
    empty form, an empty string and a fuzzy entry are asked of the fallback.

    Not Babel's compiled catalog: it gives an empty form as an empty string, which
    would have made a half-filled entry hide the next catalog's text for every number.
    """

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self._form = catalog_rule(catalog).form
        self._texts: dict[tuple[str | None, str, int | None], str] = {}
        """(context, msgid, form: None for a string without plural) -> its text."""
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            if is_plural(message):
                for form, text in enumerate(translation_forms(message)):
                    if text:
                        self._texts[(message.context, message.id[0], form)] = text
            elif message.string:
                self._texts[(message.context, str(message.id), None)] = str(message.string)

    def find(self, context: str | None, msgid: str, number: int | None) -> str | None:
        """This catalog's own text of a string (for `number`, of a plural one), if any."""
        form = None if number is None else self._form(number)
        return self._texts.get((context, msgid, form))

    def gettext(self, message: str) -> str:
        return self._texts.get((None, message, None)) or super().gettext(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        found = self._texts.get((None, msgid1, self._form(n)))
        return found or super().ngettext(msgid1, msgid2, n)

    def pgettext(self, context: str, message: str) -> str:
        return self._texts.get((context, message, None)) or super().pgettext(context, message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        found = self._texts.get((context, msgid1, self._form(n)))
        return found or super().npgettext(context, msgid1, msgid2, n)


def ui_translations(
    catalog_dirs: tuple[Path, ...], lang: str, config: SiteConfig
) -> NullTranslations:
    """The strings of `lang`; a string it lacks comes from its fallbacks (site.yaml's
    `fallback`, the default language by default), then the source text, marked with
    the language it is in. Templates are written in `source_language`, so that
    language needs no catalog and never borrows another language's strings."""
    codes = (lang, *config.fallbacks(lang))
    if config.source_language in codes:  # its catalogs, then the source text: its own
        codes = codes[: codes.index(config.source_language) + 1]
    chain = [
        (code, catalog)
        for code in codes
        for catalog in load_catalogs(catalog_dirs, code, config.language(code).locale)
    ]
    return UiStrings(lang, chain, config.source_language)


class UiStrings(NullTranslations):
    """A page language's UI strings through its chain of languages (`ui_translations`):
    the first catalog that has a text gives it, and the source text comes last. A
    text in another language than the page's is `marked` with it."""

    def __init__(
        self, lang: str, chain: list[tuple[str, CatalogTranslations]], source_language: str
    ) -> None:
        super().__init__()
        self._lang = lang
        self._chain = chain
        self._source_language = source_language

    def _text(self, context: str | None, msgid: str, number: int | None, source: str) -> str:
        for code, catalog in self._chain:
            found = catalog.find(context, msgid, number)
            if found:
                return found if code == self._lang else marked(found, code)
        if self._lang == self._source_language:
            return source
        return marked(source, self._source_language)

    def gettext(self, message: str) -> str:
        return self._text(None, message, None, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self._text(None, msgid1, n, msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return self._text(context, message, None, message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self._text(context, msgid1, n, msgid1 if n == 1 else msgid2)
