"""UI strings through gettext: `.po` catalogs read directly, no compile step by hand.

Catalogs live at `i18n/<lang>/LC_MESSAGES/messages.po` in the site and in each
theme. The site's strings win over the theme's, a child theme's over its
parent's. A string nobody translated shows its source text.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations

from sitegen.errors import Problem, SiteError, read_source

CATALOG_NAME = "messages"

_LINE_IN_MESSAGE = re.compile(r"line (\d+)")


def catalog_paths(catalog_dirs: tuple[Path, ...], lang: str) -> list[Path]:
    """The catalogs of one language, highest priority first."""
    paths = (folder / lang / "LC_MESSAGES" / f"{CATALOG_NAME}.po" for folder in catalog_dirs)
    return [path for path in paths if path.is_file()]


def load_translations(catalog_dirs: tuple[Path, ...], lang: str) -> NullTranslations:
    paths = catalog_paths(catalog_dirs, lang)
    if not paths:
        return NullTranslations()
    merged = Translations()
    for path in reversed(paths):
        merged.merge(_read(path, lang))
    return merged


def _read(path: Path, lang: str) -> Translations:
    try:
        catalog = read_po(io.StringIO(read_source(path)), locale=lang, abort_invalid=True)
    except (PoFileError, ValueError) as exc:
        found = _LINE_IN_MESSAGE.search(str(exc))
        line = int(found.group(1)) if found else None
        raise SiteError([Problem(path, line, f"invalid gettext catalog: {exc}")]) from None
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=CATALOG_NAME)
