"""The site's languages (`languages`, `default_language` in site.yaml), and the
settings that may be given once or once per language."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import babel

from sitegen.base.errors import Problem, did_you_mean
from sitegen.base.localized import is_localized
from sitegen.base.messages import N_, _
from sitegen.base.yamlsource import YamlList, YamlMap
from sitegen.settings.settingsreader import SettingsReader

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")
"""A lowercase language code: 'fr', 'en', 'zh-hans'."""


@dataclass(frozen=True)
class Language:
    """One of the site's languages (`languages` in site.yaml)."""

    code: str
    locale: str
    name: str
    fallback: tuple[str, ...] | None = None
    """The languages whose text stands in for what this one lacks (UI strings, pages,
    feed values), in order, as site.yaml's `fallback` gives them; None when it gives
    none (SiteConfig.fallbacks then says the default language)."""

    @property
    def is_french(self) -> bool:
        """Whether its locale is a French one (fr_FR, fr_BE, fr_CA...): French
        typography and elision apply to it."""
        return babel.Locale.parse(self.locale).language == "fr"

    @property
    def direction(self) -> str:
        """'rtl' or 'ltr', the way its script is written (CLDR's character order:
        right to left for ar, he, fa...). Templates put it in `dir` on the page and
        on any text in this language shown on a page of the other direction, which
        the browser would otherwise lay out and mirror the page's way."""
        return babel.Locale.parse(self.locale).text_direction


def read_languages(reader: SettingsReader, value: Any) -> tuple[Language, ...]:
    """`languages: [fr, {code: en, locale: en_GB}]`: each a code, or a mapping."""
    if value is None:
        return ()
    if not isinstance(value, YamlList) or not value:
        reader.problem("languages", _("'languages' must be a non-empty list"))
        return ()
    languages: list[Language] = []
    for index, item in enumerate(value):
        line = value.line_of(index)
        language = _language(reader, item, line)
        if language is None:
            continue
        if any(known.code == language.code for known in languages):
            reader.problems.append(
                Problem(
                    reader.path,
                    line,
                    _("language '%(code)s' is listed twice") % {"code": language.code},
                )
            )
            continue
        languages.append(language)
    codes = tuple(language.code for language in languages)
    for item in value:
        if isinstance(item, YamlMap) and "fallback" in item:
            _check_fallback(reader, item, codes)
    return tuple(languages)


def _check_fallback(reader: SettingsReader, item: YamlMap, codes: tuple[str, ...]) -> None:
    """Each language of a `fallback` is one of the site's, neither the language itself
    nor given twice: told at its line, with the languages there are."""
    fallback = item["fallback"]
    line = item.line_of("fallback")
    if isinstance(fallback, str):
        given = [(fallback, line)]
    elif isinstance(fallback, YamlList):
        given = [(code, fallback.line_of(index) or line) for index, code in enumerate(fallback)]
    else:
        return  # told by _fallback
    seen: set[str] = set()
    for code, where in given:
        if code not in codes:
            hint = did_you_mean(str(code), codes) or _("the languages are: %(codes)s") % {
                "codes": ", ".join(codes)
            }
            message = _("fallback language '%(code)s' is not in languages") % {"code": code}
            reader.problems.append(Problem(reader.path, where, message, hint=hint))
        elif code == item.get("code"):
            message = _("language '%(code)s' cannot fall back to itself") % {"code": code}
            reader.problems.append(Problem(reader.path, where, message))
        elif code in seen:
            message = _("fallback language '%(code)s' is listed twice") % {"code": code}
            reader.problems.append(Problem(reader.path, where, message))
        seen.add(str(code))


def _language(reader: SettingsReader, item: Any, line: int) -> Language | None:
    if isinstance(item, str):
        item = {"code": item}
    if not isinstance(item, YamlMap | dict):
        reader.problems.append(
            Problem(reader.path, line, _("a language is a code ('fr') or {code, locale, name}"))
        )
        return None
    sub = SettingsReader(reader.path, item) if isinstance(item, YamlMap) else None
    if sub is not None:
        sub.check_keys({"code", "locale", "name", "fallback"}, {"code"}, N_("language setting"))
        reader.problems.extend(sub.problems)
    code = item.get("code")
    if not isinstance(code, str) or not LANGUAGE_CODE.match(code):
        if code is not None:
            reader.problems.append(
                Problem(
                    reader.path,
                    line,
                    _("language code %(code)s is not a lowercase code such as 'fr' or 'en'")
                    % {"code": repr(code)},
                )
            )
        return None
    locale_name = item.get("locale", code)
    try:
        locale = babel.Locale.parse(str(locale_name).replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        reader.problems.append(
            Problem(
                reader.path,
                line,
                _("unknown locale '%(locale)s' for language '%(code)s'")
                % {"locale": locale_name, "code": code},
                hint=_("use a CLDR locale such as fr_FR, en_GB or de"),
            )
        )
        return None
    name = item.get("name") or _capitalized(locale.get_language_name(locale) or code)
    fallback = _fallback(reader, item, line)
    return Language(code=code, locale=str(locale), name=str(name), fallback=fallback)


def _fallback(reader: SettingsReader, item: Any, line: int) -> tuple[str, ...] | None:
    """`fallback: [en, fr]` (or one code): the codes as given, checked against the
    site's languages once all are read (_check_fallback)."""
    if "fallback" not in item:
        return None
    value = item["fallback"]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        where = item.line_of("fallback") if isinstance(item, YamlMap) else line
        reader.problems.append(
            Problem(
                reader.path,
                where or line,
                _("a language's 'fallback' is a list of language codes, such as [en, fr]"),
            )
        )
        return None
    return tuple(value)


def read_default_language(reader: SettingsReader, value: Any, codes: tuple[str, ...]) -> str:
    """`default_language`, one of `codes`; the first when not given."""
    if value is None:
        return codes[0] if codes else ""
    if not codes:
        return ""
    if value not in codes:
        hint = did_you_mean(str(value), codes) or _("the languages are: %(codes)s") % {
            "codes": ", ".join(codes)
        }
        message = _("default_language '%(value)s' is not in languages") % {"value": value}
        reader.problem("default_language", message, hint)
        return codes[0] if codes else ""
    return str(value)


def localized_text(
    reader: SettingsReader, key: str, value: Any, codes: tuple[str, ...], default: str
) -> dict[str, str]:
    """A text, or one per language (the default language's standing in for the
    missing ones), by language."""
    if value is None:
        return {}
    if isinstance(value, str | int):
        return dict.fromkeys(codes, str(value))
    if isinstance(value, Mapping) and is_localized(value, codes):
        fallback = value.get(default) or next(iter(value.values()))
        return {code: str(value.get(code) or fallback) for code in codes}
    reader.problem(
        key,
        _("'%(key)s' must be text, or text per language such as {%(codes)s}")
        % {"key": key, "codes": ", ".join(codes)},
    )
    return {}


def _capitalized(name: str) -> str:
    return name[:1].upper() + name[1:]
