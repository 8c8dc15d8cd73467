"""`sitegen i18n`: extract the UI strings, keep the catalogs in step, measure what is left.

- `extract` reads every template of the site and of its theme chain with Babel's
  extractor (Jinja's `babel_extract`) and writes `i18n/messages.pot`.
- `update` merges that template into each language's catalog (Babel's
  `Catalog.update`: translations kept, vanished strings kept as obsolete `#~`
  entries), creating the catalogs that do not exist yet. `--theme NAME` does the
  same for a theme's own strings and catalogs, for theme authors.
- `status` counts, per language, what is translated: pages, UI strings and the
  localized fields of the data feeds.
- `stamp` records in a translation which version of its original it was made from.

Out-of-date translations. A translation's front matter holds `translated_from:
"<fingerprint>"`, the `content.fingerprint()` (title, description and body) of
the default-language original it was translated from, and `stamp` writes it;
`status` compares it with the original's current fingerprint: different means the
original changed since, so the translation is out of date and counts as not
done, while a translation without the line is "not stamped", counted as done but
listed. Pages of the default language are originals and never out of date; a
translation with no default-language original has nothing to compare with.
Fingerprints rather than file dates or git history, because dates change on every
checkout and copy, git is not always there, and a hash of the text ignores what
does not need translating again (re-saving, a new `date:`, front-matter edits).

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

import copy
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS
from babel.messages.extract import extract as babel_extract
from babel.messages.pofile import write_po
from babel.numbers import format_decimal

from sitegen.base.atomicfiles import replace_file
from sitegen.base.errors import Problem, SiteError, read_source
from sitegen.base.layout import CATALOG_DIR, TEMPLATES_DIR, THEMES_DIR
from sitegen.base.localized import is_localized
from sitegen.base.yamlsource import line_of, load_yaml
from sitegen.building.buildcontract import source_date
from sitegen.model.translations import missing_translations, translated_file, translation_group
from sitegen.rendering.catalogs import (
    CATALOG_NAME,
    catalog_path,
    catalog_paths,
    is_translated,
    read_catalog,
    translation_forms,
)
from sitegen.rendering.environments import EXTENSIONS
from sitegen.settings.config import SiteConfig, load_config
from sitegen.settings.languages import Language
from sitegen.settings.themes import (
    BUNDLED_THEMES,
    TEMPLATE_SUFFIXES,
    find_theme,
    load_theme_chain,
    theme_hint,
)
from sitegen.sources.content import SourcePage, fingerprint, load_pages
from sitegen.sources.data import DataSet, load_data
from sitegen.sources.frontmatter import closing_fence, split_front_matter

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
    # As the renderer (rendering/renderer.py) installs gettext: msgids must be the ones it looks up.
    "newstyle_gettext": "true",
    # A template that does not parse is an error, not a template without strings.
    "silent": "false",
}
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
PO_WIDTH = 76
_PACKAGE_PARENT = BUNDLED_THEMES.parents[2]
"""The folder holding the sitegen package: bundled files are shown relative to it."""


# ---------------------------------------------------------------- extraction


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
            problems.append(Problem(path, exc.lineno, f"template syntax error: {exc.message}"))
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
    return extract_messages(chain.template_dirs, config.root, _project(config), created)


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


# ---------------------------------------------------------------- catalogs


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=PO_WIDTH, sort_output=True)
    return out.getvalue()


def translated_languages(config: SiteConfig) -> list[Language]:
    """The languages that need catalogs: all but the one the templates are written in."""
    return [language for language in config.languages if language.code != config.source_language]


def _has_text(message: Message) -> bool:
    return any(translation_forms(message))


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


def merge(catalog: Catalog, template: Catalog) -> Catalog:
    """Babel's update, plus what msgmerge also does: a string that comes back gets its
    old translation, and an obsolete entry without a translation (nothing to keep) goes."""
    catalog.update(copy.deepcopy(template))
    _revive_obsolete(catalog)
    for key, old in list(catalog.obsolete.items()):
        if not _has_text(old):
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
        if same_shape and not _has_text(current) and _has_text(old):
            current.string = old.string
            if old.fuzzy:
                current.flags.add("fuzzy")


def _new_catalog(language: Language, project: str) -> Catalog:
    return Catalog(
        locale=language.locale,
        project=project,
        header_comment=f"# {language.name} translations of the UI strings of {project}.\n#",
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
                        f"there is no {CATALOG_DIR}/{TEMPLATE_FILE} to update the catalogs from",
                        hint="run 'sitegen i18n extract' first: it writes it from the templates",
                    )
                ]
            )
        template = read_catalog(template_path, None)
        folder = config.root / CATALOG_DIR
        project = _project(config)
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
    merged: list[tuple[Path, Language, bool, Catalog]] = []
    for language in translated_languages(config):
        path = catalog_path(folder, language.code)
        exists = path.is_file()
        try:
            catalog = (
                read_catalog(path, language.locale) if exists else _new_catalog(language, project)
            )
        except SiteError as error:
            problems.extend(error.problems)
            continue
        merged.append((path, language, not exists, merge(catalog, template)))
    if problems:
        raise SiteError(problems)
    results = []
    for path, language, created_now, catalog in merged:
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
                fuzzy=sum(1 for message in missing if message.fuzzy and _has_text(message)),
                obsolete=len(catalog.obsolete),
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
                f"--theme {name}: there is no theme '{name}' in {THEMES_DIR}/ "
                "or among the themes bundled with sitegen",
                hint=theme_hint(config.root, name),
            )
        ]
    )


# ---------------------------------------------------------------- status


@dataclass(frozen=True)
class MissingPage:
    group: str
    existing: str
    """The version that exists: the default language's when there is one."""
    expected: str


@dataclass(frozen=True)
class OutOfDate:
    file: str
    original: str
    translated_from: str
    fingerprint: str


@dataclass(frozen=True)
class NotStamped:
    file: str
    original: str
    fingerprint: str


@dataclass(frozen=True)
class PageStatus:
    total: int
    missing: tuple[MissingPage, ...] = ()
    out_of_date: tuple[OutOfDate, ...] = ()
    not_stamped: tuple[NotStamped, ...] = ()

    @property
    def done(self) -> int:
        return self.total - len(self.missing) - len(self.out_of_date)


@dataclass(frozen=True)
class MissingString:
    msgid: str
    plural: str | None
    context: str | None
    locations: tuple[str, ...]
    fuzzy: bool
    """A catalog has a text for it, marked fuzzy (not used until someone checks it)."""


@dataclass(frozen=True)
class StringStatus:
    total: int
    missing: tuple[MissingString, ...] = ()
    source_language: bool = False

    @property
    def done(self) -> int:
        return self.total - len(self.missing)


@dataclass(frozen=True)
class MissingField:
    file: str
    line: int | None
    path: str


@dataclass(frozen=True)
class FieldStatus:
    total: int
    missing: tuple[MissingField, ...] = ()

    @property
    def done(self) -> int:
        return self.total - len(self.missing)


@dataclass(frozen=True)
class LanguageStatus:
    language: Language
    pages: PageStatus
    strings: StringStatus
    fields: FieldStatus

    @property
    def done(self) -> int:
        return self.pages.done + self.strings.done + self.fields.done

    @property
    def total(self) -> int:
        return self.pages.total + self.strings.total + self.fields.total

    @property
    def complete(self) -> bool:
        return self.done == self.total

    @property
    def percent(self) -> Decimal:
        """Rounded down to a tenth, so 100.0 is only ever shown for a complete language."""
        if not self.total:
            return Decimal(100)
        return Decimal(self.done * 1000 // self.total).scaleb(-1)

    def below(self, minimum: Decimal) -> bool:
        return self.done * 100 < minimum * self.total


@dataclass(frozen=True)
class StatusReport:
    default_language: str
    source_language: str
    languages: tuple[LanguageStatus, ...]


def page_status(config: SiteConfig, pages: Sequence[SourcePage]) -> dict[str, PageStatus]:
    """Per language: translation groups (translation_key, else the path) that have a page
    in it, out-of-date translations (not done) and unstamped ones (done, but listed)."""
    groups: dict[str, dict[str, SourcePage]] = {}
    for source in pages:
        groups.setdefault(translation_group(source), {})[source.lang] = source
    missing: dict[str, list[MissingPage]] = {code: [] for code in config.language_codes}
    for existing, lang in missing_translations(config, list(pages)):
        missing[lang].append(
            MissingPage(
                group=translation_group(existing),
                existing=shown(existing.path, config.root),
                expected=shown(translated_file(existing, lang), config.root),
            )
        )
    default = config.default_language
    result = {}
    for lang in config.language_codes:
        stale: list[OutOfDate] = []
        unstamped: list[NotStamped] = []
        for _, versions in sorted(groups.items()):
            page = versions.get(lang)
            original = versions.get(default)
            if page is None or lang == default or original is None:
                continue
            current = fingerprint(original)
            if page.translated_from is None:
                unstamped.append(
                    NotStamped(
                        file=shown(page.path, config.root),
                        original=shown(original.path, config.root),
                        fingerprint=current,
                    )
                )
            elif page.translated_from != current:
                stale.append(
                    OutOfDate(
                        file=shown(page.path, config.root),
                        original=shown(original.path, config.root),
                        translated_from=page.translated_from,
                        fingerprint=current,
                    )
                )
        result[lang] = PageStatus(
            len(groups),
            tuple(sorted(missing[lang], key=lambda entry: entry.group)),
            tuple(stale),
            tuple(unstamped),
        )
    return result


def string_status(
    config: SiteConfig,
    messages: Sequence[Message],
    catalogs: Mapping[str, Sequence[Catalog]],
) -> dict[str, StringStatus]:
    """Per language: a string is done when one of its catalogs (site first, then the
    themes) translates it, not fuzzy. The source language needs no catalog."""
    result = {}
    for lang in config.language_codes:
        if lang == config.source_language:
            result[lang] = StringStatus(len(messages), (), source_language=True)
            continue
        missing = []
        for message in messages:
            found = [
                entry
                for catalog in catalogs.get(lang, ())
                if (entry := catalog.get(message.id, context=message.context)) is not None
            ]
            if any(is_translated(entry) for entry in found):
                continue
            ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
            missing.append(
                MissingString(
                    msgid=ids[0],
                    plural=ids[1] if len(ids) > 1 else None,
                    context=message.context,
                    locations=tuple(f"{file}:{line}" for file, line in message.locations),
                    fuzzy=any(entry.fuzzy and _has_text(entry) for entry in found),
                )
            )
        result[lang] = StringStatus(len(messages), tuple(missing))
    return result


@dataclass(frozen=True)
class LocalizedField:
    file: str
    line: int | None
    path: str
    value: Mapping[str, Any]


def localized_fields(config: SiteConfig, dataset: DataSet) -> list[LocalizedField]:
    """Every value by language in the feeds, in file order, then in order within a file."""
    fields = []
    for dotted, source in sorted(dataset.sources.items()):
        value: Any = dataset.feeds
        for part in dotted.split("."):
            value = value[part]
        for path, line, localized in _walk(value, dotted, getattr(value, "line", None), config):
            fields.append(LocalizedField(shown(source, config.root), line, path, localized))
    return fields


def _walk(
    value: Any, path: str, line: int | None, config: SiteConfig
) -> Iterator[tuple[str, int | None, Mapping[str, Any]]]:
    if isinstance(value, Mapping):
        if is_localized(value, config.language_codes):
            yield path, line, value
            return
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}", line_of(value, key, line), config)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]", line_of(value, index, line), config)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def field_status(config: SiteConfig, fields: Sequence[LocalizedField]) -> dict[str, FieldStatus]:
    """Per language: a field misses it when the key is absent, None or empty text."""
    return {
        lang: FieldStatus(
            len(fields),
            tuple(
                MissingField(field.file, field.line, field.path)
                for field in fields
                if _is_empty(field.value.get(lang))
            ),
        )
        for lang in config.language_codes
    }


def status(site_root: Path) -> StatusReport:
    """`sitegen i18n status`: reads everything, writes nothing; all problems at once."""
    config = load_config(site_root)
    problems: list[Problem] = []
    pages: list[SourcePage] = []
    fields: list[LocalizedField] = []
    messages: list[Message] = []
    catalogs: dict[str, list[Catalog]] = {}
    try:
        pages = load_pages(config)
    except SiteError as error:
        problems.extend(error.problems)
    try:
        fields = localized_fields(config, load_data(config))
    except SiteError as error:
        problems.extend(error.problems)
    try:
        chain = load_theme_chain(config)
        messages = extract_messages(
            chain.template_dirs, config.root, _project(config), EPOCH
        ).messages
    except SiteError as error:
        problems.extend(error.problems)
    else:
        for language in config.languages:
            for path in catalog_paths(chain.catalog_dirs, language.code):
                try:
                    catalogs.setdefault(language.code, []).append(
                        read_catalog(path, language.locale)
                    )
                except SiteError as error:
                    problems.extend(error.problems)
    if problems:
        raise SiteError(problems)
    by_page = page_status(config, pages)
    by_string = string_status(config, messages, catalogs)
    by_field = field_status(config, fields)
    return StatusReport(
        default_language=config.default_language,
        source_language=config.source_language,
        languages=tuple(
            LanguageStatus(
                language, by_page[language.code], by_string[language.code], by_field[language.code]
            )
            for language in config.languages
        ),
    )


def format_percent(value: Decimal) -> str:
    return format_decimal(value, "0.0", locale="en")


def status_json(report: StatusReport, minimum: Decimal = Decimal(0)) -> dict[str, Any]:
    """The status as JSON-ready data (dump it with sorted keys). Its shape:

    ```
    {
      "default_language": "fr", "source_language": "en",
      "language_codes": ["fr", "en"],   # site.yaml order
      "min": 50.0,                      # --min, in percent
      "below_min": ["en"],              # languages under it, in site.yaml order
      "languages": {                    # by language code
        "en": {
          "code": "en", "name": "English", "locale": "en_GB",
          "done": 9, "total": 12,       # pages + UI strings + data fields
          "percent": 75.0,              # done / total, rounded down to a tenth
          "pages": {
            "done": 2, "total": 4,      # translation groups with a current page here
            "missing": [{"group": "join", "existing": "content/join.fr.md",
                         "expected": "content/join.en.md"}],
            "out_of_date": [{"file": "content/x.en.md", "original": "content/x.fr.md",
                             "translated_from": "0123456789ab",
                             "fingerprint": "ba9876543210"}],
            "not_stamped": [{"file": "content/y.en.md", "original": "content/y.fr.md",
                             "fingerprint": "..."}]
          },
          "ui_strings": {
            "done": 3, "total": 3, "source_language": true,
            "missing": [{"msgid": "...", "plural": null, "context": null,
                         "locations": ["templates/page.html:4"], "fuzzy": false}]
          },
          "data_fields": {
            "done": 4, "total": 5,
            "missing": [{"file": "data/products.csv", "line": 3, "path": "products[1].name"}]
          }
        },
        "fr": {...}
      }
    }
    ```

    Lists are sorted (pages by group, then by file; strings by msgid and context);
    data fields keep their order in the feeds, files sorted by name.
    """
    return {
        "default_language": report.default_language,
        "source_language": report.source_language,
        "language_codes": [s.language.code for s in report.languages],
        "min": float(minimum),
        "below_min": [s.language.code for s in report.languages if s.below(minimum)],
        "languages": {s.language.code: _language_json(s) for s in report.languages},
    }


def _language_json(state: LanguageStatus) -> dict[str, Any]:
    pages, strings, fields = state.pages, state.strings, state.fields
    return {
        "code": state.language.code,
        "name": state.language.name,
        "locale": state.language.locale,
        "done": state.done,
        "total": state.total,
        "percent": float(state.percent),
        "pages": {
            "done": pages.done,
            "total": pages.total,
            "missing": [vars(item) for item in pages.missing],
            "out_of_date": [vars(item) for item in pages.out_of_date],
            "not_stamped": [vars(item) for item in pages.not_stamped],
        },
        "ui_strings": {
            "done": strings.done,
            "total": strings.total,
            "source_language": strings.source_language,
            "missing": [
                {**vars(item), "locations": list(item.locations)}
                for item in sorted(strings.missing, key=lambda m: (m.msgid, m.context or ""))
            ],
        },
        "data_fields": {
            "done": fields.done,
            "total": fields.total,
            "missing": [vars(item) for item in fields.missing],
        },
    }


def status_text(report: StatusReport) -> str:
    """One line per language, then what is left for each language below 100 %."""
    lines = [_summary_line(state) for state in report.languages]
    for state in report.languages:
        details = _details(state)
        if details:
            lines.extend(["", *details])
    return "\n".join(lines)


def _summary_line(state: LanguageStatus) -> str:
    source = " (source language)" if state.strings.source_language else ""
    return (
        f"{state.language.code} ({state.language.name}): {format_percent(state.percent)}% "
        f"({state.done}/{state.total}): pages {state.pages.done}/{state.pages.total}, "
        f"UI strings {state.strings.done}/{state.strings.total}{source}, "
        f"data fields {state.fields.done}/{state.fields.total}"
    )


def _details(state: LanguageStatus) -> list[str]:
    """Everything left for an incomplete language; for a complete one, only the
    translations still to stamp (they are done, but status cannot vouch for them)."""
    pages, strings, fields = state.pages, state.strings, state.fields
    sections: list[tuple[str, list[str]]] = []
    if not state.complete:
        sections += [
            (
                "missing pages",
                [f"{m.expected} (translation of {m.existing})" for m in pages.missing],
            ),
            (
                "out of date (the original changed since it was translated)",
                [
                    f"{m.file}: {m.original} is now {m.fingerprint}, "
                    f"translated from {m.translated_from}"
                    for m in pages.out_of_date
                ],
            ),
        ]
    sections.append(("not stamped", [f"{m.file} (from {m.original})" for m in pages.not_stamped]))
    if not state.complete:
        sections += [
            (
                "missing UI strings",
                [
                    _string_line(m)
                    for m in sorted(strings.missing, key=lambda m: (m.msgid, m.context or ""))
                ],
            ),
            (
                "missing data fields",
                [
                    f"{m.file}:{m.line}: {m.path}" if m.line else f"{m.file}: {m.path}"
                    for m in fields.missing
                ],
            ),
        ]
    shown_sections = [(title, items) for title, items in sections if items]
    if not shown_sections:
        return []
    name = f"{state.language.code} ({state.language.name})"
    lines = [f"{name}, {format_percent(state.percent)}%:"]
    for title, items in shown_sections:
        lines.append(f"  {title} ({len(items)}):")
        lines.extend(f"    {item}" for item in items)
        if title == "not stamped":
            lines.append(
                "    hint: once a translation matches its original, run "
                "'sitegen i18n stamp FILE' (or --all)"
            )
        elif title.startswith("out of date"):
            lines.append("    hint: bring the translation up to date, then 'sitegen i18n stamp' it")
    return lines


def _string_line(missing: MissingString) -> str:
    text = f'"{missing.msgid}"'
    if missing.plural is not None:
        text += f' / "{missing.plural}"'
    if missing.context is not None:
        text += f" (context: {missing.context})"
    if missing.locations:
        text += f" at {', '.join(missing.locations)}"
    if missing.fuzzy:
        text += " [fuzzy: check it and remove the fuzzy flag]"
    return text


# ---------------------------------------------------------------- stamp


@dataclass(frozen=True)
class Stamped:
    shown: str
    original: str
    fingerprint: str
    changed: bool


_STAMP_KEY = re.compile(r"translated_from[ \t]*:")


def stamp_front_matter(text: str, value: str) -> str:
    """`text` with `translated_from: "<value>"` in its front matter, the rest untouched.

    An existing line is replaced; otherwise the line goes just before the closing
    `---`; a file without front matter gets one. The value is quoted: a fingerprint
    such as `1234e5678901` would otherwise be read as a number.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    entry = f'translated_from: "{value}"'
    lines = body.split("\n")
    end = closing_fence(lines)  # ValueError when never closed
    if end is None:
        newline = "\r\n" if "\r\n" in body else "\n"
        return f"{bom}---{newline}{entry}{newline}---{newline}{body}"
    for index in range(1, end):
        if _STAMP_KEY.match(lines[index]):
            stop = index + 1
            while stop < end and lines[stop][:1] in (" ", "\t"):  # the old value's next lines
                stop += 1
            carriage = "\r" if lines[stop - 1].endswith("\r") else ""
            lines[index:stop] = [entry + carriage]
            return bom + "\n".join(lines)
    carriage = "\r" if lines[end].endswith("\r") else ""
    lines.insert(end, entry + carriage)
    return bom + "\n".join(lines)


def stamp(site_root: Path, files: Sequence[Path], every: bool = False) -> list[Stamped]:
    """`sitegen i18n stamp`: nothing is written unless every file can be stamped."""
    config = load_config(site_root)
    pages = load_pages(config)
    originals = {
        page.translation_key or page.key: page
        for page in pages
        if page.lang == config.default_language
    }
    problems: list[Problem] = []
    targets: list[tuple[SourcePage, SourcePage]] = []
    if every:
        for page in pages:
            original = originals.get(page.translation_key or page.key)
            if page.lang != config.default_language and original is not None:
                targets.append((page, original))
    else:
        by_path = {page.path.resolve(): page for page in pages}
        for file in files:
            try:
                page = _page_of(config, file, by_path)
            except SiteError as error:
                problems.extend(error.problems)
                continue
            original = originals.get(page.translation_key or page.key)
            if page.lang == config.default_language:
                problems.append(
                    Problem(
                        page.path,
                        None,
                        f"this page is in the default language ({page.lang}): "
                        "it is an original, not a translation",
                        hint="stamp its translations instead",
                    )
                )
            elif original is None:
                name = f"{PurePosixPath(page.key).name}.{config.default_language}.md"
                problems.append(
                    Problem(
                        page.path,
                        None,
                        "this translation has no original in the default language "
                        f"({config.default_language}) to take a fingerprint from",
                        hint=f"write {shown(page.path.with_name(name), config.root)}, "
                        "or give it the translation_key of its original",
                    )
                )
            else:
                targets.append((page, original))
    if problems:
        raise SiteError(problems)
    writes: list[tuple[Path, bytes]] = []
    results: list[Stamped] = []
    for page, original in targets:
        value = fingerprint(original)
        raw = _read_bytes(page.path)
        new = _stamped_bytes(page.path, raw, value)
        if new != raw:
            writes.append((page.path, new))
        results.append(
            Stamped(
                shown=shown(page.path, config.root),
                original=shown(original.path, config.root),
                fingerprint=value,
                changed=new != raw,
            )
        )
    for path, data in writes:
        write_file(path, data)
    return results


def _page_of(config: SiteConfig, file: Path, by_path: Mapping[Path, SourcePage]) -> SourcePage:
    """The page a path names, relative to the current folder or to the site."""
    candidates = [file] if file.is_absolute() else [file, config.root / file]
    existing = [path for path in candidates if path.is_file()]
    for path in existing:
        page = by_path.get(path.resolve())
        if page is not None:
            return page
    if not existing:
        raise SiteError([Problem(file, None, "no such file")])
    raise SiteError(
        [
            Problem(
                existing[0],
                None,
                f"this file is not a page of the site in {config.root}",
                hint="translations are the Markdown files below content/, such as "
                "content/join.en.md",
            )
        ]
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SiteError([Problem(path, None, f"cannot read the file: {exc.strerror}")]) from None


def _front(text: str, path: Path) -> tuple[dict[Any, Any], str]:
    normalized = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    front_text, body, _ = split_front_matter(normalized, path)
    front = load_yaml(front_text, path, first_line=2) if front_text is not None else None
    return (dict(front) if isinstance(front, Mapping) else {}), body


def _stamped_bytes(path: Path, raw: bytes, value: str) -> bytes:
    """The new file, checked: it must read back with the stamp and nothing else changed."""
    text = raw.decode("utf-8")  # load_pages read it already: it is UTF-8
    failure = Problem(
        path,
        None,
        "could not write 'translated_from' into this front matter safely",
        hint=f'add the line translated_from: "{value}" to the front matter by hand',
    )
    try:
        new = stamp_front_matter(text, value)
        before, body_before = _front(text, path)
        after, body_after = _front(new, path)
    except (ValueError, SiteError):
        raise SiteError([failure]) from None
    before.pop("translated_from", None)
    if after.pop("translated_from", None) != value or before != after or body_before != body_after:
        raise SiteError([failure])
    return new.encode("utf-8")


# ---------------------------------------------------------------- helpers


def _project(config: SiteConfig) -> str:
    return config.titles.get(config.default_language) or "the site"


def shown(path: Path, root: Path) -> str:
    """A path as the user knows it: relative to the site (or theme) when inside it.

    A file of a bundled theme is shown from the package (`sitegen/bundled/themes/...`),
    not as an absolute path, so that a POT lists the same locations on every machine.
    """
    if path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    resolved = path.resolve()
    for base in (root.resolve(), _PACKAGE_PARENT):
        if resolved.is_relative_to(base):
            return resolved.relative_to(base).as_posix()
    return path.as_posix()


def write_file(path: Path, data: bytes) -> None:
    """Replace `path` at once (a temporary file renamed over it), keeping its mode."""
    try:
        replace_file(path, data, path.stat().st_mode & 0o7777 if path.exists() else None)
    except OSError as exc:
        raise SiteError([Problem(path, None, f"cannot write the file: {exc.strerror}")]) from None
