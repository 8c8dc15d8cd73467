"""`sitegen i18n extract`: every UI string of the templates of a site and of its theme
chain, read with Babel's extractor (Jinja's `babel_extract`), into `i18n/messages.pot`.

Extraction matches rendering. The renderer installs gettext "newstyle", so
`{% trans %}50% off{% endtrans %}` is looked up as `50%% off`; extraction uses the
same `newstyle_gettext` option, or such a msgid would never match its catalog
entry. A template that does not parse is an error at its line (Jinja's `silent`
option off) rather than skipped, since skipping it would make `update` turn all its
strings obsolete.

Reproducible files. The POT's creation date comes from `SOURCE_DATE_EPOCH`, and is
the Unix epoch (1970-01-01 00:00 UTC) when that is not set; entries are sorted by
msgid, locations are relative to the site (to the theme with `--theme`), so the
same templates always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS
from babel.messages.extract import extract as babel_extract
from babel.messages.pofile import write_po

from sitegen.base.errors import Problem, SiteError, read_source
from sitegen.base.layout import CATALOG_DIR
from sitegen.base.messages import _
from sitegen.building.buildcontract import source_date
from sitegen.commands.i18n_files import project_name, shown, write_file
from sitegen.rendering.catalogs import (
    CATALOG_NAME,
)
from sitegen.rendering.environments import EXTENSIONS
from sitegen.settings.config import SiteConfig, load_config
from sitegen.settings.themes import (
    TEMPLATE_SUFFIXES,
    load_theme_chain,
)

TEMPLATE_FILE = f"{CATALOG_NAME}.pot"
EXTRACT_METHOD = "jinja2.ext.babel_extract"
KEYWORDS: Mapping[str, Any] = {
    **DEFAULT_KEYWORDS,
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
}
COMMENT_TAGS = ("Translators:",)
EXTRACT_OPTIONS = {
    # The renderer's extensions (rendering/environments.py), so that every tag of a theme parses.
    "extensions": ",".join(
        extension if isinstance(extension, str) else f"{extension.__module__}.{extension.__name__}"
        for extension in EXTENSIONS
    ),
    # As rendering/environments.py installs gettext: msgids must be the ones it looks up.
    "newstyle_gettext": "true",
    # A template that does not parse is an error, not a template without strings.
    "silent": "false",
}
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
PO_WIDTH = 76


@dataclass(frozen=True)
class Extraction:
    """The UI strings of some templates, as a Babel catalog without translations."""

    catalog: Catalog
    templates: tuple[Path, ...]

    @property
    def messages(self) -> list[Message]:
        return [message for message in self.catalog if message.id]


def creation_date(source_date_epoch: str | None) -> dt.datetime:
    """The POT's creation date: `SOURCE_DATE_EPOCH` when set, else the Unix epoch.

    Never the clock: the same templates must give the same bytes.
    """
    return source_date(source_date_epoch) or EPOCH


def template_files(template_dirs: Iterable[Path]) -> list[Path]:
    """The templates of each folder, folders in the order given, files sorted."""
    found: list[Path] = []
    for folder in template_dirs:
        found.extend(
            sorted(
                path
                for path in folder.rglob("*")
                if path.suffix in TEMPLATE_SUFFIXES and path.is_file()
            )
        )
    return found


def extract_messages(
    template_dirs: Iterable[Path], root: Path, project: str, created: dt.datetime
) -> Extraction:
    """Every UI string of the templates, with locations relative to `root`."""
    catalog = Catalog(
        project=project,
        header_comment=f"# UI strings of {project}.\n"
        "# Written by 'sitegen i18n' from the templates: edit those, not this.\n#",
        creation_date=created,
        charset="utf-8",
    )
    files = template_files(template_dirs)
    problems: list[Problem] = []
    for path in files:
        try:
            found = list(
                babel_extract(
                    EXTRACT_METHOD,
                    io.BytesIO(read_source(path).encode("utf-8")),
                    KEYWORDS,
                    COMMENT_TAGS,
                    EXTRACT_OPTIONS,
                )
            )
        except SiteError as error:
            problems.extend(error.problems)
            continue
        except jinja2.TemplateSyntaxError as exc:
            told = _("template syntax error: %(error)s") % {"error": exc.message}
            problems.append(Problem(path, exc.lineno, told))
            continue
        where = shown(path, root)
        for lineno, message, comments, context in found:
            catalog.add(message, None, [(where, lineno)], auto_comments=comments, context=context)
    if problems:
        raise SiteError(problems)
    return Extraction(catalog=catalog, templates=tuple(files))


def site_extraction(config: SiteConfig, created: dt.datetime = EPOCH) -> Extraction:
    """The strings of the site's templates and of every theme of its chain."""
    chain = load_theme_chain(config)
    return extract_messages(chain.template_dirs, config.root, project_name(config), created)


@dataclass(frozen=True)
class ExtractResult:
    path: Path
    shown: str
    strings: int
    templates: int


def extract(site_root: Path, created: dt.datetime = EPOCH) -> ExtractResult:
    """`sitegen i18n extract`: write SITE/i18n/messages.pot."""
    config = load_config(site_root)
    extraction = site_extraction(config, created)
    path = config.root / CATALOG_DIR / TEMPLATE_FILE
    write_file(path, po_bytes(extraction.catalog))
    return ExtractResult(
        path=path,
        shown=shown(path, config.root),
        strings=len(extraction.messages),
        templates=len(extraction.templates),
    )


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=PO_WIDTH, sort_output=True)
    return out.getvalue()
