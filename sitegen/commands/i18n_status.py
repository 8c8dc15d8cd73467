"""`sitegen i18n status`: what is translated, per language: pages, UI strings and the
localized fields of the data feeds.

Out-of-date translations. A translation's front matter holds `translated_from:
"<fingerprint>"`, the `content.fingerprint()` (title, description and body) of
the default-language original it was translated from (`sitegen i18n stamp` writes
it); the status compares it with the original's current fingerprint: different
means the original changed since, so the translation is out of date and counts as
not done, while a translation without the line is "not stamped", counted as done
but listed. Pages of the default language are originals and never out of date; a
translation with no default-language original has nothing to compare with.
Fingerprints rather than file dates or git history, because dates change on every
checkout and copy, git is not always there, and a hash of the text ignores what
does not need translating again (re-saving, a new `date:`, front-matter edits).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message

from sitegen.base.errors import Problem, SiteError
from sitegen.base.localized import is_localized
from sitegen.base.yamlsource import line_of
from sitegen.commands.i18n_extract import EPOCH, extract_messages
from sitegen.commands.i18n_files import has_text, project_name, shown
from sitegen.model.translations import missing_translations, translated_file, translation_group
from sitegen.rendering.catalogs import (
    catalog_paths,
    empty_forms,
    is_translated,
    read_catalog,
)
from sitegen.rendering.plurals import catalog_rule
from sitegen.settings.config import SiteConfig, load_config
from sitegen.settings.languages import Language
from sitegen.settings.themes import (
    load_theme_chain,
)
from sitegen.sources.content import SourcePage, fingerprint, load_pages
from sitegen.sources.data import DataSet, load_data


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
class EmptyForms:
    """A plural entry of a catalog with text in some forms and none in others."""

    file: str
    line: int | None
    """The line of the entry's msgid."""
    forms: tuple[int, ...]
    """The `msgstr[n]` left empty."""
    numbers: tuple[str, ...]
    """The first numbers each of them is for: "2, 3, 4…"."""


@dataclass(frozen=True)
class MissingString:
    msgid: str
    plural: str | None
    context: str | None
    locations: tuple[str, ...]
    fuzzy: bool
    """A catalog has a text for it, marked fuzzy (not used until someone checks it)."""
    empty_forms: tuple[EmptyForms, ...] = ()
    """Its entries that leave some plural forms empty: the numbers those forms are
    for show the next catalog's text, or the source text."""


@dataclass(frozen=True)
class StringStatus:
    total: int
    missing: tuple[MissingString, ...] = ()
    source_language: bool = False
    catalogs: tuple[str, ...] = ()
    """The language's catalogs (the site's, then the themes'): none is a language
    whose every string is shown in another."""
    fallbacks: tuple[str, ...] = ()
    """Where a missing string comes from, in order: its fallback languages, then the
    source language (the source text). Marked with its language in the page's text,
    it cannot be in an attribute (aria-label, alt): a reader hears it in the page's."""

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


@dataclass(frozen=True)
class CatalogFile:
    """A catalog read, with its path as the user knows it: where its entries are."""

    shown: str
    catalog: Catalog


def string_status(
    config: SiteConfig,
    messages: Sequence[Message],
    catalogs: Mapping[str, Sequence[CatalogFile]],
) -> dict[str, StringStatus]:
    """Per language: a string is done when one of its catalogs (site first, then the
    themes) translates it, not fuzzy, and none leaves some of its plural forms empty
    (the numbers of those forms would show another catalog's text, or the source
    text). The source language needs no catalog."""
    result = {}
    for lang in config.language_codes:
        files = tuple(file.shown for file in catalogs.get(lang, ()))
        if lang == config.source_language:
            result[lang] = StringStatus(len(messages), (), True, files)
            continue
        chain = (*config.fallbacks(lang), config.source_language)
        fallbacks = chain[: chain.index(config.source_language) + 1]
        missing = []
        for message in messages:
            found = [
                (file, entry)
                for file in catalogs.get(lang, ())
                if (entry := file.catalog.get(message.id, context=message.context)) is not None
            ]
            partial = tuple(
                empty for file, entry in found if (empty := _empty_forms(file, entry)) is not None
            )
            if not partial and any(is_translated(entry) for _, entry in found):
                continue
            ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
            missing.append(
                MissingString(
                    msgid=ids[0],
                    plural=ids[1] if len(ids) > 1 else None,
                    context=message.context,
                    locations=tuple(f"{file}:{line}" for file, line in message.locations),
                    fuzzy=any(entry.fuzzy and has_text(entry) for _, entry in found),
                    empty_forms=partial,
                )
            )
        result[lang] = StringStatus(len(messages), tuple(missing), False, files, fallbacks)
    return result


def _empty_forms(file: CatalogFile, entry: Message) -> EmptyForms | None:
    rule = catalog_rule(file.catalog)
    forms = empty_forms(entry, rule.count)
    if not forms:
        return None
    return EmptyForms(file.shown, entry.lineno, forms, tuple(rule.examples(form) for form in forms))


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
    catalogs: dict[str, list[CatalogFile]] = {}
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
            chain.template_dirs, config.root, project_name(config), EPOCH
        ).messages
    except SiteError as error:
        problems.extend(error.problems)
    else:
        for language in config.languages:
            for path in catalog_paths(chain.catalog_dirs, language.code):
                try:
                    catalogs.setdefault(language.code, []).append(
                        CatalogFile(shown(path, config.root), read_catalog(path, language.locale))
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
