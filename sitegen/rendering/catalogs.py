"""UI strings through gettext: `.po` catalogs read directly, no compile step by hand.

Catalogs live at `i18n/<lang>/LC_MESSAGES/messages.po` in the site and in each
theme. The site's strings win over the theme's, a child theme's over its
parent's. A string nobody translated shows its source text. Each catalog keeps
its own plural rule (`Plural-Forms`; its language's when it has none, see
plurals.py), so a theme's plurals stay right even when the site's catalog was
written with another rule.

Looked up form by form. A plural entry with some forms left empty gives the forms
it has; a number whose form is empty is asked of the next catalog of the chain
(the theme's, the default language's), then shown in the source text, as a string
no catalog translates. `sitegen i18n status` lists such entries.
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
    paths = catalog_paths(catalog_dirs, lang)
    if not paths:
        return NullTranslations()
    # A chain of fallbacks rather than one merged catalog: each message keeps the
    # plural rule of the catalog it comes from.
    catalogs = [CatalogTranslations(read_catalog(path, locale)) for path in paths]
    for catalog, fallback in itertools.pairwise(catalogs):
        catalog.add_fallback(fallback)
    return catalogs[0]


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
        raise SiteError(
            [Problem(path, exc.lineno + 1, f"invalid gettext catalog: {exc}")]
        ) from None
    except (ValueError, UnknownLocaleError) as exc:
        raise SiteError([Problem(path, None, f"invalid gettext catalog: {exc}")]) from None
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
    """The strings of `lang`; a string it lacks comes from the default language, then
    the source text. Templates are written in `source_language`, so that language
    needs no catalog and never borrows another language's strings."""
    translations = load_translations(catalog_dirs, lang, config.language(lang).locale)
    default = config.default_language
    if lang not in (default, config.source_language):
        translations.add_fallback(
            load_translations(catalog_dirs, default, config.language(default).locale)
        )
    return translations
