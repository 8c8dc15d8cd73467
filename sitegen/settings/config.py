"""`site.yaml` read into typed, frozen settings, with every mistake reported at once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sitegen.base.errors import Problem, SiteError, did_you_mean, read_source
from sitegen.base.layout import CONFIG_FILE
from sitegen.base.messages import N_, _
from sitegen.base.timeutil import localize_naive
from sitegen.base.yamlsource import YamlMap, load_yaml
from sitegen.settings.campaign import Campaign, parse_campaign
from sitegen.settings.languages import (
    LANGUAGE_CODE,
    Language,
    localized_text,
    read_default_language,
    read_languages,
)
from sitegen.settings.pagesettings import DataPages, Pagination, read_data_pages, read_pagination
from sitegen.settings.settingsreader import SettingsReader

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
    elision: Mapping[str, bool] = field(default_factory=dict)
    """Names whose French elision no rule can tell: true for "d'Hermès", false for
    "de Huawei" (sitegen.rendering.elision)."""
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

    def fallbacks(self, code: str) -> tuple[str, ...]:
        """The languages whose UI strings a page in `code` shows where it has none of
        its own, in order: its `fallback` in site.yaml, else the default language;
        after them, the source text."""
        return self._chains[code][0]

    def fallback_order(self, code: str) -> tuple[str, ...]:
        """`code`, its fallbacks, then the default language: the order in which a page
        or a value given per language is looked for (other languages come after, in
        site.yaml's order)."""
        return self._chains[code][1]

    @cached_property
    def _chains(self) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        """By language: (its fallbacks, its fallback order); kept, as resolving the
        feeds asks for them for every localized value."""
        chains = {}
        default = self.default_language
        for language in self.languages:
            chain = language.fallback
            if chain is None:
                chain = () if language.code == default else (default,)
            order = tuple(dict.fromkeys((language.code, *chain, default)))
            chains[language.code] = (chain, order)
        return chains

    def shown_path(self, path: Path) -> str:
        """A file of the site as messages name it: 'content/join.fr.md'."""
        return path.relative_to(self.root).as_posix()


def load_config(site_root: Path) -> SiteConfig:
    path = site_root / CONFIG_FILE
    if not path.is_file():
        raise SiteError(
            [
                Problem(
                    path,
                    None,
                    _("no %(file)s here: is '%(folder)s' a sitegen site?")
                    % {"file": CONFIG_FILE, "folder": site_root},
                    hint=_("create one with 'sitegen new NAME', or pass the site's folder"),
                )
            ]
        )
    raw = load_yaml(read_source(path), path)
    if raw is None:
        raw = YamlMap()
        raw.line = 1
    if not isinstance(raw, YamlMap):
        message = _("%(file)s must be a mapping of settings") % {"file": CONFIG_FILE}
        raise SiteError([Problem(path, 1, message)])
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
    "elision",
}

TRACKING_PARAMETERS = ("utm_source", "utm_medium", "utm_campaign")

MISSING_TRANSLATION_MODES = ("fallback", "omit", "error")
ROOT_PAGE_MODES = ("chooser", "default_language")


def parse_config(site_root: Path, path: Path, raw: YamlMap) -> SiteConfig:
    reader = SettingsReader(path, raw)
    reader.check_keys(_SETTINGS, {"title", "base_url", "languages", "timezone"}, N_("setting"))
    languages = read_languages(reader, raw.get("languages"))
    codes = tuple(language.code for language in languages)
    default = read_default_language(reader, raw.get("default_language"), codes)
    titles = localized_text(reader, "title", raw.get("title"), codes, default)
    descriptions = localized_text(reader, "description", raw.get("description", ""), codes, default)
    base_url = _base_url(reader, raw.get("base_url"))
    timezone = _timezone(reader, raw.get("timezone"))
    theme = _theme(reader, raw.get("theme"))
    params = raw.get("params") or {}
    if not isinstance(params, Mapping):
        reader.problem("params", _("'params' must be a mapping of names to values"))
        params = {}
    missing_translation = _choice(reader, raw, "missing_translation", MISSING_TRANSLATION_MODES)
    root_page = _choice(reader, raw, "root_page", ROOT_PAGE_MODES)
    french_typography = raw.get("french_typography", True)
    if not isinstance(french_typography, bool):
        reader.problem("french_typography", _("'french_typography' must be true or false"))
    source_language = raw.get("source_language", "en")
    if not isinstance(source_language, str) or not LANGUAGE_CODE.match(source_language):
        reader.problem(
            "source_language",
            _("'source_language' must be a language code such as 'en'"),
        )
    data_pages = read_data_pages(reader, raw.get("data_pages"))
    pagination = read_pagination(reader, raw.get("pagination"), codes, default)
    tracking = _tracking(reader, raw.get("tracking"), codes, default)
    campaign = None
    if "campaign" in raw:
        campaign, campaign_problems = parse_campaign(path, raw["campaign"], raw.line_of("campaign"))
        reader.problems.extend(campaign_problems)
    offers = _offers(reader, raw.get("offers"), campaign)
    elision = _elision(reader, raw.get("elision"))
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
        elision=elision,
        setting_lines=dict(raw.key_lines),
    )


def _choice(reader: SettingsReader, raw: YamlMap, key: str, choices: tuple[str, ...]) -> str:
    """A setting that takes one of a few words; the first is the default."""
    value = raw.get(key, choices[0])
    if value not in choices:
        reader.problem(
            key,
            _("'%(key)s' must be one of: %(choices)s")
            % {"key": key, "choices": ", ".join(choices)},
            hint=did_you_mean(str(value), choices),
        )
        return choices[0]
    return str(value)


def _base_url(reader: SettingsReader, value: Any) -> str | None:
    if value is None:
        return None
    parts = urlsplit(str(value))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        reader.problem(
            "base_url",
            _("base_url '%(value)s' is not an absolute http(s) URL") % {"value": value},
            hint=_("for example https://shop.example.com/"),
        )
        return None
    return str(value) if str(value).endswith("/") else f"{value}/"


def _timezone(reader: SettingsReader, value: Any) -> ZoneInfo | None:
    if value is None:
        return None
    try:
        return ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        reader.problem(
            "timezone",
            _("unknown time zone '%(value)s'") % {"value": value},
            hint=_zone_hint(str(value)),
        )
        return None


def _zone_hint(value: str) -> str:
    return did_you_mean(value, available_timezones()) or (
        _("use an IANA name such as Europe/Paris or Asia/Shanghai")
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


def _theme(reader: SettingsReader, value: Any) -> str | None:
    if value is None:
        return None
    if not is_theme_name(value):
        reader.problem(
            "theme", _("'theme' must be the name of a theme (a folder of themes/ or a bundled one)")
        )
        return None
    return str(value)


def _offers(reader: SettingsReader, value: Any, campaign: Campaign | None) -> OfferSettings:
    """`offers: {opens_with: live, reference_price: required}`."""
    if value is None:
        return OfferSettings()
    if not isinstance(value, YamlMap):
        reader.problem(
            "offers", _("'offers' is {opens_with: <campaign phase>, reference_price: required}")
        )
        return OfferSettings()
    sub = SettingsReader(reader.path, value)
    sub.check_keys({"opens_with", "reference_price"}, set(), N_("offers setting"))
    opens_with = value.get("opens_with", DEFAULT_OFFERS_PHASE)
    phases = [phase.name for phase in campaign.phases] if campaign else []
    if "opens_with" in value and opens_with not in phases:
        sub.problem(
            "opens_with",
            _("'opens_with' must name a phase of the campaign, not %(value)r")
            % {"value": opens_with},
            hint=did_you_mean(str(opens_with), phases)
            or (
                _("known phases: %(phases)s") % {"phases": ", ".join(phases)}
                if phases
                else _("site.yaml has no campaign")
            ),
        )
    reference = _choice(sub, value, "reference_price", REFERENCE_PRICE_MODES)
    reader.problems.extend(sub.problems)
    return OfferSettings(
        opens_with=str(opens_with), reference_price_required=reference == "required"
    )


def _tracking(
    reader: SettingsReader, value: Any, codes: tuple[str, ...], default: str
) -> dict[str, dict[str, str]]:
    """{param: {lang: value}}: each parameter may be one value or one per language."""
    if value is None:
        return {}
    if not isinstance(value, YamlMap):
        reader.problem("tracking", _("'tracking' must map utm_source, utm_medium, utm_campaign"))
        return {}
    sub = SettingsReader(reader.path, value)
    sub.check_keys(set(TRACKING_PARAMETERS), set(TRACKING_PARAMETERS), N_("tracking parameter"))
    tracking = {
        key: localized_text(sub, key, value.get(key), codes, default)
        for key in TRACKING_PARAMETERS
        if key in value
    }
    reader.problems.extend(sub.problems)
    return tracking


def _elision(reader: SettingsReader, value: Any) -> dict[str, bool]:
    """`elision: {Hermès: true, Huawei: false}`: names and whether French elides before them."""
    if value is None:
        return {}
    if not isinstance(value, YamlMap) or not all(
        isinstance(name, str) and isinstance(elides, bool) for name, elides in value.items()
    ):
        reader.problem(
            "elision",
            _("'elision' must map names to true (d'Hermès) or false (de Huawei)"),
        )
        return {}
    return {name.strip(): elides for name, elides in value.items()}
