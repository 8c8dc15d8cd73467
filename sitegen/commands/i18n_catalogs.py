"""`sitegen i18n update`: the POT merged into each language's catalog (Babel's
`Catalog.update`: translations kept, vanished strings kept as obsolete `#~`
entries), the catalogs that do not exist yet created. `--theme NAME` does the same
for a theme's own strings and catalogs, for theme authors.

Every catalog is written with its language's plural forms (rendering/plurals.py):
a catalog written with another rule is converted, each number keeping its text. A
created catalog says in its header comment which numbers each `msgstr[n]` is for,
since a translator who does not know the rule fills the forms they expect.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from sitegen.base.errors import Problem, SiteError
from sitegen.base.layout import CATALOG_DIR, TEMPLATES_DIR, THEMES_DIR
from sitegen.base.messages import _
from sitegen.commands.i18n_extract import EPOCH, TEMPLATE_FILE, extract_messages, po_bytes
from sitegen.commands.i18n_files import has_text, project_name, shown, write_file
from sitegen.rendering.catalogs import (
    catalog_path,
    is_translated,
    read_catalog,
)
from sitegen.rendering.plurals import PluralRule, catalog_rule, converted, language_rule
from sitegen.settings.config import SiteConfig, load_config
from sitegen.settings.languages import Language
from sitegen.settings.themes import (
    find_theme,
    theme_hint,
)


def translated_languages(config: SiteConfig) -> list[Language]:
    """The languages that need catalogs: all but the one the templates are written in."""
    return [language for language in config.languages if language.code != config.source_language]


@dataclass(frozen=True)
class CatalogUpdate:
    path: Path
    shown: str
    language: Language
    created: bool
    strings: int
    untranslated: int
    """Strings this catalog does not provide: empty, or fuzzy."""
    fuzzy: int
    """Of those, how many have a text marked fuzzy, waiting for review."""
    obsolete: int
    plural_forms: int
    """The number of plural forms it is written with: its language's."""
    plural_forms_were: int | None = None
    """The number of plural forms it had, when it had another rule."""


def merge(catalog: Catalog, template: Catalog) -> Catalog:
    """Babel's update, plus what msgmerge also does: a string that comes back gets its
    old translation, and an obsolete entry without a translation (nothing to keep) goes."""
    catalog.update(copy.deepcopy(template))
    _revive_obsolete(catalog)
    for key, old in list(catalog.obsolete.items()):
        if not has_text(old):
            del catalog.obsolete[key]
    return catalog


def _revive_obsolete(catalog: Catalog) -> None:
    """A string that comes back takes its old translation from the `#~` entry, which goes:
    an active and an obsolete entry with one msgid make the file invalid for msgfmt."""
    for key, old in list(catalog.obsolete.items()):
        current = catalog.get(old.id, context=old.context)
        if current is None:
            continue
        del catalog.obsolete[key]
        same_shape = isinstance(current.id, list | tuple) == isinstance(old.id, list | tuple)
        if same_shape and not has_text(current) and has_text(old):
            current.string = old.string
            if old.fuzzy:
                current.flags.add("fuzzy")


def _new_catalog(language: Language, project: str, rule: PluralRule) -> Catalog:
    forms = "".join(f"#   {line}\n" for line in rule.guide())
    return Catalog(
        locale=language.locale,
        project=project,
        header_comment=f"# {language.name} translations of the UI strings of {project}.\n#\n"
        f"# Plural forms ({language.locale}, CLDR's rule through Babel), for the numbers:\n"
        f"{forms}#",
        charset="utf-8",
        fuzzy=False,
    )


def update(
    site_root: Path, theme: str | None = None, created: dt.datetime = EPOCH
) -> list[CatalogUpdate]:
    """`sitegen i18n update`: every catalog is read and merged before any is written."""
    config = load_config(site_root)
    if theme is None:
        template_path = config.root / CATALOG_DIR / TEMPLATE_FILE
        if not template_path.is_file():
            raise SiteError(
                [
                    Problem(
                        template_path,
                        None,
                        _("there is no %(file)s to update the catalogs from")
                        % {"file": f"{CATALOG_DIR}/{TEMPLATE_FILE}"},
                        hint=_("run 'sitegen i18n extract' first: it writes it from the templates"),
                    )
                ]
            )
        template = read_catalog(template_path, None)
        folder = config.root / CATALOG_DIR
        project = project_name(config)
    else:
        root = theme_root(config, theme)
        project = f"the {theme} theme"
        template = extract_messages(
            [root / TEMPLATES_DIR] if (root / TEMPLATES_DIR).is_dir() else [],
            root,
            project,
            created,
        ).catalog
        folder = root / CATALOG_DIR
    problems: list[Problem] = []
    merged: list[tuple[Path, Language, bool, Catalog, int | None]] = []
    for language in translated_languages(config):
        path = catalog_path(folder, language.code)
        exists = path.is_file()
        rule = language_rule(language.locale)
        try:
            catalog = (
                read_catalog(path, language.locale)
                if exists
                else _new_catalog(language, project, rule)
            )
        except SiteError as error:
            problems.extend(error.problems)
            continue
        was = catalog_rule(catalog)
        problems.extend(converted(catalog, rule, path, language.locale))
        forms_were = None if was.same_as(rule) else was.count
        merged.append((path, language, not exists, merge(catalog, template), forms_were))
    if problems:
        raise SiteError(problems)
    results = []
    for path, language, created_now, catalog, forms_were in merged:
        write_file(path, po_bytes(catalog))
        messages = [message for message in catalog if message.id]
        missing = [message for message in messages if not is_translated(message)]
        results.append(
            CatalogUpdate(
                path=path,
                shown=shown(path, config.root),
                language=language,
                created=created_now,
                strings=len(messages),
                untranslated=len(missing),
                fuzzy=sum(1 for message in missing if message.fuzzy and has_text(message)),
                obsolete=len(catalog.obsolete),
                plural_forms=catalog.num_plurals,
                plural_forms_were=forms_were,
            )
        )
    return results


def theme_root(config: SiteConfig, name: str) -> Path:
    """The folder `--theme NAME` writes into: the one the build would use, the site's
    themes/NAME when it has one, else the bundled theme of that name."""
    root = find_theme(config.root, name)
    if root is not None:
        return root
    raise SiteError(
        [
            Problem(
                None,
                None,
                _(
                    "--theme %(name)s: there is no theme '%(name)s' in %(folder)s/ "
                    "or among the themes bundled with sitegen"
                )
                % {"name": name, "folder": THEMES_DIR},
                hint=theme_hint(config.root, name),
            )
        ]
    )
