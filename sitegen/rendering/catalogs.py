"""UI strings through gettext: `.po` catalogs read directly, no compile step by hand.

Catalogs live at `i18n/<lang>/LC_MESSAGES/messages.po` in the site and in each
theme. The site's strings win over the theme's, a child theme's over its
parent's. A string nobody translated shows its source text. Each catalog keeps
its own plural rule (`Plural-Forms`), so a theme's plurals stay right even when
the site's catalog was written with another rule.
"""

from __future__ import annotations

import io
import itertools
from pathlib import Path

from babel import UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations

from sitegen.base.errors import Problem, SiteError, read_source
from sitegen.settings.config import SiteConfig

CATALOG_NAME = "messages"


def catalog_path(folder: Path, lang: str) -> Path:
    return folder / lang / "LC_MESSAGES" / f"{CATALOG_NAME}.po"


def catalog_paths(catalog_dirs: tuple[Path, ...], lang: str) -> list[Path]:
    """The catalogs of one language, highest priority first."""
    paths = (catalog_path(folder, lang) for folder in catalog_dirs)
    return [path for path in paths if path.is_file()]


def load_translations(catalog_dirs: tuple[Path, ...], lang: str) -> NullTranslations:
    paths = catalog_paths(catalog_dirs, lang)
    if not paths:
        return NullTranslations()
    # A chain of fallbacks rather than one merged catalog: each message keeps the
    # plural rule of the catalog it comes from.
    catalogs = [_compile(read_catalog(path, lang)) for path in paths]
    for catalog, fallback in itertools.pairwise(catalogs):
        catalog.add_fallback(fallback)
    return catalogs[0]


def read_catalog(path: Path, locale: str | None) -> Catalog:
    """A `.po` or `.pot` file, or SiteError with its line."""
    try:
        return read_po(io.StringIO(read_source(path)), locale=locale, abort_invalid=True)
    except PoFileError as exc:
        # Babel counts lines from 0.
        raise SiteError(
            [Problem(path, exc.lineno + 1, f"invalid gettext catalog: {exc}")]
        ) from None
    except (ValueError, UnknownLocaleError) as exc:
        raise SiteError([Problem(path, None, f"invalid gettext catalog: {exc}")]) from None


def translation_forms(message: Message) -> tuple[str, ...]:
    """The translated text of a message: one form, or one per plural form."""
    string = message.string
    if isinstance(string, list | tuple):
        return tuple(str(form or "") for form in string)
    return (str(string or ""),)


def is_translated(message: Message) -> bool:
    """Some text in every form, and not fuzzy: only such messages are used."""
    forms = translation_forms(message)
    return not message.fuzzy and bool(forms) and all(forms)


def _compile(catalog: Catalog) -> Translations:
    """The catalog as gettext uses it. Messages that are not wholly translated are left
    out, so that the next catalog of the chain (a theme's, the default language's)
    provides them: Babel would compile an empty plural entry as the source text."""
    for message in list(catalog):
        if message.id and not is_translated(message):
            catalog.delete(message.id, context=message.context)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=CATALOG_NAME)


def ui_translations(
    catalog_dirs: tuple[Path, ...], lang: str, config: SiteConfig
) -> NullTranslations:
    """The strings of `lang`; a string it lacks comes from the default language, then
    the source text. Templates are written in `source_language`, so that language
    needs no catalog and never borrows another language's strings."""
    translations = load_translations(catalog_dirs, lang)
    if lang not in (config.default_language, config.source_language):
        translations.add_fallback(load_translations(catalog_dirs, config.default_language))
    return translations
