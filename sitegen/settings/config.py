"""`site.yaml` read into typed, frozen settings, with every mistake reported at once."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import babel

from sitegen.base.errors import Problem, SiteError, did_you_mean, read_source
from sitegen.base.layout import CONFIG_FILE
from sitegen.base.localized import is_localized
from sitegen.base.timeutil import localize_naive
from sitegen.base.yamlsource import YamlList, YamlMap, load_yaml, unknown_keys
from sitegen.settings.campaign import Campaign, parse_campaign

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Language:
    code: str
    locale: str
    name: str


@dataclass(frozen=True)
class DataList:
    """What a data page lists: the items of another feed that name its item by a
    field (`lists: {data: products, by: merchant}` on merchants: each merchant's page
    lists the products whose `merchant` is its id), paginated."""

    data: str
    """The feed listed: `products`."""
    by: str
    """The listed items' field that holds the id of the page's item: `merchant`."""
    per_page: int | None = None
    """Items a page shows; None: the site's `pagination.per_page`."""


@dataclass(frozen=True)
class DataPages:
    """One page per item of a feed, per language (`data_pages` in site.yaml)."""

    data: str
    """The feed: `products` for data/products.csv."""
    path: str
    """The content folder the pages live in: `products` gives /fr/<its slug>/<id>/."""
    layout: str
    title: str
    """The item's field that holds the page title (localized or not)."""
    description: str | None
    line: int
    lists: DataList | None = None


DEFAULT_PER_PAGE = 24
"""Entries a listing page shows unless the site says otherwise: a whole number of
rows of two, three or four cards."""
DEFAULT_PAGER_PATH = "page"


@dataclass(frozen=True)
class Pagination:
    """How long listings are split into pages (`pagination` in site.yaml)."""

    per_page: int = DEFAULT_PER_PAGE
    path: Mapping[str, str] = field(default_factory=dict)
    """The URL segment before a page's number, by language: /fr/produits/page/2/."""

    def path_in(self, lang: str) -> str:
        return self.path.get(lang, DEFAULT_PAGER_PATH)


REFERENCE_PRICE_MODES = ("optional", "required")
DEFAULT_OFFERS_PHASE = "live"


@dataclass(frozen=True)
class OfferSettings:
    """When products' offers run and what they must say (`offers` in site.yaml)."""

    opens_with: str = DEFAULT_OFFERS_PHASE
    """The campaign phase whose start opens every offer that gives no `offer_starts`
    (the campaign's first phase when it has none of that name)."""
    reference_price_required: bool = False
    """Every product on offer must give its `reference_price`, the lowest price of the
    30 days before the offer (Code de la consommation, art. L112-1-1)."""


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    path: Path
    titles: Mapping[str, str]
    descriptions: Mapping[str, str]
    base_url: str
    languages: tuple[Language, ...]
    default_language: str
    timezone: ZoneInfo
    theme: str | None
    params: Mapping[str, Any] = field(default_factory=dict)
    missing_translation: str = "fallback"
    """What a language without its own version of a page gets: fallback, omit or error."""
    root_page: str = "chooser"
    """What `/` is: a language chooser, or the default language's home."""
    french_typography: bool = True
    source_language: str = "en"
    """The language UI strings are written in inside templates (the gettext msgids)."""
    campaign: Campaign | None = None
    data_pages: tuple[DataPages, ...] = ()
    pagination: Pagination = field(default_factory=Pagination)
    offers: OfferSettings = field(default_factory=OfferSettings)
    tracking: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """utm_source, utm_medium and utm_campaign for outbound links, per language."""
    setting_lines: Mapping[str, int] = field(default_factory=dict)

    @cached_property
    def language_codes(self) -> tuple[str, ...]:
        return tuple(language.code for language in self.languages)

    @cached_property
    def base_path(self) -> str:
        """The path part of base_url ("/" or "/campaign/"), the prefix of every URL."""
        return urlsplit(self.base_url).path or "/"

    def line_of_setting(self, key: str) -> int | None:
        return self.setting_lines.get(key)

    def language(self, code: str) -> Language:
        return next(language for language in self.languages if language.code == code)


class _Reader:
    """Collects problems while checking one YAML mapping against what it may hold."""

    def __init__(self, path: Path, mapping: YamlMap) -> None:
        self.path = path
        self.mapping = mapping
        self.problems: list[Problem] = []

    def problem(self, key: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.path, self.mapping.line_of(key), message, hint=hint))

    def check_keys(self, allowed: set[str], required: set[str], what: str) -> None:
        self.problems.extend(unknown_keys(self.path, self.mapping, allowed, what))
        for key in sorted(required - set(self.mapping)):
            self.problems.append(
                Problem(self.path, self.mapping.line or 1, f"missing required {what} '{key}'")
            )


def load_config(site_root: Path) -> SiteConfig:
    path = site_root / CONFIG_FILE
    if not path.is_file():
        raise SiteError(
            [
                Problem(
                    path,
                    None,
                    f"no {CONFIG_FILE} here: is '{site_root}' a sitegen site?",
                    hint="create one with 'sitegen new NAME', or pass the site's folder",
                )
            ]
        )
    raw = load_yaml(read_source(path), path)
    if raw is None:
        raw = YamlMap()
        raw.line = 1
    if not isinstance(raw, YamlMap):
        raise SiteError([Problem(path, 1, f"{CONFIG_FILE} must be a mapping of settings")])
    return parse_config(site_root, path, raw)


_SETTINGS = {
    "title",
    "description",
    "base_url",
    "languages",
    "default_language",
    "timezone",
    "theme",
    "params",
    "missing_translation",
    "root_page",
    "french_typography",
    "source_language",
    "campaign",
    "data_pages",
    "pagination",
    "offers",
    "tracking",
}

TRACKING_PARAMETERS = ("utm_source", "utm_medium", "utm_campaign")

MISSING_TRANSLATION_MODES = ("fallback", "omit", "error")
ROOT_PAGE_MODES = ("chooser", "default_language")


def parse_config(site_root: Path, path: Path, raw: YamlMap) -> SiteConfig:
    reader = _Reader(path, raw)
    reader.check_keys(_SETTINGS, {"title", "base_url", "languages", "timezone"}, "setting")
    languages = _languages(reader, raw.get("languages"))
    codes = tuple(language.code for language in languages)
    default = _default_language(reader, raw.get("default_language"), codes)
    titles = _localized_text(reader, "title", raw.get("title"), codes, default)
    descriptions = _localized_text(
        reader, "description", raw.get("description", ""), codes, default
    )
    base_url = _base_url(reader, raw.get("base_url"))
    timezone = _timezone(reader, raw.get("timezone"))
    theme = _theme(reader, raw.get("theme"))
    params = raw.get("params") or {}
    if not isinstance(params, Mapping):
        reader.problem("params", "'params' must be a mapping of names to values")
        params = {}
    missing_translation = _choice(reader, raw, "missing_translation", MISSING_TRANSLATION_MODES)
    root_page = _choice(reader, raw, "root_page", ROOT_PAGE_MODES)
    french_typography = raw.get("french_typography", True)
    if not isinstance(french_typography, bool):
        reader.problem("french_typography", "'french_typography' must be true or false")
    source_language = raw.get("source_language", "en")
    if not isinstance(source_language, str) or not _LANGUAGE_CODE.match(source_language):
        reader.problem(
            "source_language",
            "'source_language' must be a language code such as 'en'",
        )
    data_pages = _data_pages(reader, raw.get("data_pages"))
    pagination = _pagination(reader, raw.get("pagination"), codes, default)
    tracking = _tracking(reader, raw.get("tracking"), codes, default)
    campaign = None
    if "campaign" in raw:
        campaign, campaign_problems = parse_campaign(path, raw["campaign"], raw.line_of("campaign"))
        reader.problems.extend(campaign_problems)
    offers = _offers(reader, raw.get("offers"), campaign)
    if reader.problems:
        raise SiteError(reader.problems)
    assert timezone is not None and base_url is not None
    localize_naive(params, timezone)
    return SiteConfig(
        root=site_root,
        path=path,
        titles=titles,
        descriptions=descriptions,
        base_url=base_url,
        languages=languages,
        default_language=default,
        timezone=timezone,
        theme=theme,
        params=params,
        missing_translation=missing_translation,
        root_page=root_page,
        french_typography=french_typography,
        source_language=source_language,
        campaign=campaign,
        data_pages=data_pages,
        pagination=pagination,
        offers=offers,
        tracking=tracking,
        setting_lines=dict(raw.key_lines),
    )


def _choice(reader: _Reader, raw: YamlMap, key: str, choices: tuple[str, ...]) -> str:
    """A setting that takes one of a few words; the first is the default."""
    value = raw.get(key, choices[0])
    if value not in choices:
        reader.problem(
            key,
            f"'{key}' must be one of: {', '.join(choices)}",
            hint=did_you_mean(str(value), choices),
        )
        return choices[0]
    return str(value)


def _languages(reader: _Reader, value: Any) -> tuple[Language, ...]:
    if value is None:
        return ()
    if not isinstance(value, YamlList) or not value:
        reader.problem("languages", "'languages' must be a non-empty list")
        return ()
    languages: list[Language] = []
    for index, item in enumerate(value):
        line = value.line_of(index)
        language = _language(reader, item, line)
        if language is None:
            continue
        if any(known.code == language.code for known in languages):
            reader.problems.append(
                Problem(reader.path, line, f"language '{language.code}' is listed twice")
            )
            continue
        languages.append(language)
    return tuple(languages)


def _language(reader: _Reader, item: Any, line: int) -> Language | None:
    if isinstance(item, str):
        item = {"code": item}
    if not isinstance(item, YamlMap | dict):
        reader.problems.append(
            Problem(reader.path, line, "a language is a code ('fr') or {code, locale, name}")
        )
        return None
    sub = _Reader(reader.path, item) if isinstance(item, YamlMap) else None
    if sub is not None:
        sub.check_keys({"code", "locale", "name"}, {"code"}, "language setting")
        reader.problems.extend(sub.problems)
    code = item.get("code")
    if not isinstance(code, str) or not _LANGUAGE_CODE.match(code):
        if code is not None:
            reader.problems.append(
                Problem(
                    reader.path,
                    line,
                    f"language code {code!r} is not a lowercase code such as 'fr' or 'en'",
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
                f"unknown locale '{locale_name}' for language '{code}'",
                hint="use a CLDR locale such as fr_FR, en_GB or de",
            )
        )
        return None
    name = item.get("name") or _capitalized(locale.get_language_name(locale) or code)
    return Language(code=code, locale=str(locale), name=str(name))


def _default_language(reader: _Reader, value: Any, codes: tuple[str, ...]) -> str:
    if value is None:
        return codes[0] if codes else ""
    if not codes:
        return ""
    if value not in codes:
        hint = did_you_mean(str(value), codes) or f"the languages are: {', '.join(codes)}"
        reader.problem("default_language", f"default_language '{value}' is not in languages", hint)
        return codes[0] if codes else ""
    return str(value)


def _localized_text(
    reader: _Reader, key: str, value: Any, codes: tuple[str, ...], default: str
) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str | int):
        return dict.fromkeys(codes, str(value))
    if isinstance(value, Mapping) and is_localized(value, codes):
        fallback = value.get(default) or next(iter(value.values()))
        return {code: str(value.get(code) or fallback) for code in codes}
    reader.problem(
        key,
        f"'{key}' must be text, or text per language such as {{{', '.join(codes)}}}",
    )
    return {}


def _base_url(reader: _Reader, value: Any) -> str | None:
    if value is None:
        return None
    parts = urlsplit(str(value))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        reader.problem(
            "base_url",
            f"base_url '{value}' is not an absolute http(s) URL",
            hint="for example https://shop.example.com/",
        )
        return None
    return str(value) if str(value).endswith("/") else f"{value}/"


def _timezone(reader: _Reader, value: Any) -> ZoneInfo | None:
    if value is None:
        return None
    try:
        return ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        reader.problem(
            "timezone",
            f"unknown time zone '{value}'",
            hint=_zone_hint(str(value)),
        )
        return None


def _zone_hint(value: str) -> str:
    return did_you_mean(value, available_timezones()) or (
        "use an IANA name such as Europe/Paris or Asia/Shanghai"
    )


def is_theme_name(value: object) -> bool:
    """A plain folder name: no separators, no way out of themes/."""
    return (
        isinstance(value, str)
        and bool(value.strip())
        and "/" not in value
        and "\\" not in value
        and not value.startswith(".")
    )


def _theme(reader: _Reader, value: Any) -> str | None:
    if value is None:
        return None
    if not is_theme_name(value):
        reader.problem(
            "theme", "'theme' must be the name of a theme (a folder of themes/ or a bundled one)"
        )
        return None
    return str(value)


def _capitalized(name: str) -> str:
    return name[:1].upper() + name[1:]


_DATA_PAGE_SETTINGS = {"data", "path", "layout", "title", "description", "lists"}
_DATA_PAGE_TEXTS = ("data", "path", "layout", "title", "description")
_DATA_LIST_SETTINGS = {"data", "by", "per_page"}
_FOLDER = re.compile(r"^[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_-]*)*$")
_SEGMENT = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _data_pages(reader: _Reader, value: Any) -> tuple[DataPages, ...]:
    if value is None:
        return ()
    if not isinstance(value, YamlList):
        reader.problem("data_pages", "'data_pages' must be a list of {data, path, layout, title}")
        return ()
    found = []
    for index, item in enumerate(value):
        line = value.line_of(index)
        if not isinstance(item, YamlMap):
            reader.problems.append(
                Problem(reader.path, line, "a data page entry is {data, path, layout, title}")
            )
            continue
        sub = _Reader(reader.path, item)
        sub.check_keys(
            _DATA_PAGE_SETTINGS, {"data", "path", "layout", "title"}, "data page setting"
        )
        texts = {key: item.get(key) for key in _DATA_PAGE_TEXTS}
        for key, text in texts.items():
            if text is not None and not isinstance(text, str):
                sub.problem(key, f"'{key}' must be text")
        path = texts["path"]
        if isinstance(path, str) and not _FOLDER.match(path):
            sub.problem("path", f"'path' {path!r} must be a folder such as 'products'")
        lists = _data_list(sub, item.get("lists")) if "lists" in item else None
        reader.problems.extend(sub.problems)
        if not sub.problems:
            found.append(
                DataPages(
                    data=str(texts["data"]),
                    path=str(path),
                    layout=str(texts["layout"]),
                    title=str(texts["title"]),
                    description=texts["description"],
                    line=line,
                    lists=lists,
                )
            )
    return tuple(found)


def _data_list(reader: _Reader, value: Any) -> DataList | None:
    """`lists: {data: products, by: merchant, per_page: 12}` of a data_pages entry."""
    if not isinstance(value, YamlMap):
        reader.problem("lists", "'lists' is {data: <feed>, by: <its field naming this item>}")
        return None
    sub = _Reader(reader.path, value)
    sub.check_keys(_DATA_LIST_SETTINGS, {"data", "by"}, "lists setting")
    for key in ("data", "by"):
        if key in value and not isinstance(value[key], str):
            sub.problem(key, f"'{key}' must be text")
    per_page = _per_page(sub, value, "per_page")
    reader.problems.extend(sub.problems)
    if sub.problems:
        return None
    return DataList(data=str(value["data"]), by=str(value["by"]), per_page=per_page)


def _per_page(reader: _Reader, mapping: YamlMap, key: str) -> int | None:
    value = mapping.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        reader.problem(key, f"'{key}' must be a whole number of at least 1, not {value!r}")
        return None
    return value


def _pagination(reader: _Reader, value: Any, codes: tuple[str, ...], default: str) -> Pagination:
    """`pagination: {per_page: 24, path: page}`; `path` may be one per language."""
    if value is None:
        return Pagination()
    if not isinstance(value, YamlMap):
        reader.problem("pagination", "'pagination' is {per_page: <number>, path: <URL segment>}")
        return Pagination()
    sub = _Reader(reader.path, value)
    sub.check_keys({"per_page", "path"}, set(), "pagination setting")
    per_page = _per_page(sub, value, "per_page")
    paths = _localized_text(sub, "path", value.get("path"), codes, default)
    for segment in sorted(set(paths.values())):
        if not _SEGMENT.match(segment):
            sub.problem(
                "path",
                f"'path' {segment!r} must be one URL segment in lowercase, such as 'page'",
            )
    reader.problems.extend(sub.problems)
    return Pagination(per_page=per_page or DEFAULT_PER_PAGE, path=paths)


def _offers(reader: _Reader, value: Any, campaign: Campaign | None) -> OfferSettings:
    """`offers: {opens_with: live, reference_price: required}`."""
    if value is None:
        return OfferSettings()
    if not isinstance(value, YamlMap):
        reader.problem(
            "offers", "'offers' is {opens_with: <campaign phase>, reference_price: required}"
        )
        return OfferSettings()
    sub = _Reader(reader.path, value)
    sub.check_keys({"opens_with", "reference_price"}, set(), "offers setting")
    opens_with = value.get("opens_with", DEFAULT_OFFERS_PHASE)
    phases = [phase.name for phase in campaign.phases] if campaign else []
    if "opens_with" in value and opens_with not in phases:
        sub.problem(
            "opens_with",
            f"'opens_with' must name a phase of the campaign, not {opens_with!r}",
            hint=did_you_mean(str(opens_with), phases)
            or ("known phases: " + ", ".join(phases) if phases else "site.yaml has no campaign"),
        )
    reference = _choice(sub, value, "reference_price", REFERENCE_PRICE_MODES)
    reader.problems.extend(sub.problems)
    return OfferSettings(
        opens_with=str(opens_with), reference_price_required=reference == "required"
    )


def _tracking(
    reader: _Reader, value: Any, codes: tuple[str, ...], default: str
) -> dict[str, dict[str, str]]:
    """{param: {lang: value}}: each parameter may be one value or one per language."""
    if value is None:
        return {}
    if not isinstance(value, YamlMap):
        reader.problem("tracking", "'tracking' must map utm_source, utm_medium, utm_campaign")
        return {}
    sub = _Reader(reader.path, value)
    sub.check_keys(set(TRACKING_PARAMETERS), set(TRACKING_PARAMETERS), "tracking parameter")
    tracking = {
        key: _localized_text(sub, key, value.get(key), codes, default)
        for key in TRACKING_PARAMETERS
        if key in value
    }
    reader.problems.extend(sub.problems)
    return tracking
