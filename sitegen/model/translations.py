"""Translations: the pages that are versions of one another (a translation group),
the languages a page has no version in, and two pages claiming one language of a
group."""

from __future__ import annotations

from pathlib import Path

from sitegen.base.errors import Problem
from sitegen.base.messages import _
from sitegen.settings.config import SiteConfig
from sitegen.sources.content import SourcePage


def translation_group(source: SourcePage) -> str:
    """Pages of one group are translations of each other."""
    return source.translation_key or source.key


def missing_translations(
    config: SiteConfig, sources: list[SourcePage]
) -> list[tuple[SourcePage, str]]:
    """(the version to show, language without its own) for every untranslated page.

    The version shown is the first of the language's fallback order that has one (its
    `fallback` languages, then the default language), else of the site's languages.
    """
    groups: dict[str, dict[str, SourcePage]] = {}
    for source in sources:
        groups.setdefault(translation_group(source), {})[source.lang] = source
    missing: list[tuple[SourcePage, str]] = []
    for versions in groups.values():
        for lang in config.language_codes:
            if lang not in versions:
                order = (*config.fallback_order(lang), *config.language_codes)
                missing.append((next(versions[code] for code in order if code in versions), lang))
    return missing


def missing_translation_problem(config: SiteConfig, source: SourcePage, lang: str) -> Problem:
    """The problem of a page without a version in `lang` (`missing_translation: error`)."""
    name = config.language(lang).name
    return Problem(
        source.path,
        None,
        _("this page has no %(name)s ('%(code)s') version") % {"name": name, "code": lang},
        hint=_("write %(file)s, or set 'missing_translation: fallback' or 'omit' in site.yaml")
        % {"file": config.shown_path(translated_file(source, lang))},
    )


def translated_file(source: SourcePage, lang: str) -> Path:
    """The file that would hold `source` in `lang`: content/join.fr.md → content/join.en.md."""
    return source.path.with_name(f"{source.name}.{lang}.md")


def translation_clashes(config: SiteConfig, sources: list[SourcePage]) -> list[Problem]:
    """Two pages that are both the version of one group in one language."""
    first_at: dict[tuple[str, str], SourcePage] = {}
    problems = []
    for source in sources:
        other = first_at.setdefault((translation_group(source), source.lang), source)
        if other is not source:
            problems.append(
                Problem(
                    source.path,
                    source.line_of("translation_key"),
                    _("this page and %(other)s are both the '%(code)s' version of '%(group)s'")
                    % {
                        "other": config.shown_path(other.path),
                        "code": source.lang,
                        "group": translation_group(source),
                    },
                    hint=_(
                        "each page may have one translation per language; check translation_key"
                    ),
                )
            )
    return problems
