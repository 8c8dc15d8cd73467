"""load_config: site.yaml into a typed, frozen SiteConfig, with every mistake at once."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sitegen.base.errors import Problem, SiteError
from sitegen.settings.config import SiteConfig, load_config
from sitegen.settings.languages import Language

VALID = """\
title: {fr: Soldes du 11.11, en: 11.11 Sales}
base_url: https://shop.example.com/campaign
languages:
  - {code: fr, locale: fr_FR}
  - {code: en, locale: en_GB, name: English (UK)}
timezone: Europe/Paris
theme: double11
params:
  currency: EUR
"""


def write_config(tmp_path: Path, text: str) -> Path:
    (tmp_path / "site.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def config_of(tmp_path: Path, text: str) -> SiteConfig:
    return load_config(write_config(tmp_path, text))


def problems_of(tmp_path: Path, text: str) -> tuple[Problem, ...]:
    with pytest.raises(SiteError) as caught:
        load_config(write_config(tmp_path, text))
    return caught.value.problems


def messages(problems: tuple[Problem, ...]) -> list[str]:
    return [problem.message for problem in problems]


# --- a valid config ------------------------------------------------------------------


def test_valid_config_languages(tmp_path: Path) -> None:
    config = config_of(tmp_path, VALID)
    assert config.languages == (
        Language(code="fr", locale="fr_FR", name="Français"),
        Language(code="en", locale="en_GB", name="English (UK)"),
    )
    assert config.language_codes == ("fr", "en")


def test_default_language_is_the_first(tmp_path: Path) -> None:
    assert config_of(tmp_path, VALID).default_language == "fr"


def test_default_language_can_be_chosen(tmp_path: Path) -> None:
    config = config_of(tmp_path, VALID + "default_language: en\n")
    assert config.default_language == "en"


def test_base_url_gets_a_trailing_slash(tmp_path: Path) -> None:
    config = config_of(tmp_path, VALID)
    assert config.base_url == "https://shop.example.com/campaign/"
    assert config.base_path == "/campaign/"


def test_base_path_of_a_bare_host(tmp_path: Path) -> None:
    config = config_of(tmp_path, VALID.replace("/campaign", ""))
    assert config.base_url == "https://shop.example.com/"
    assert config.base_path == "/"


def test_titles_are_localized(tmp_path: Path) -> None:
    config = config_of(tmp_path, VALID)
    assert dict(config.titles) == {"fr": "Soldes du 11.11", "en": "11.11 Sales"}


def test_plain_title_serves_every_language(tmp_path: Path) -> None:
    config = config_of(tmp_path, VALID.replace("{fr: Soldes du 11.11, en: 11.11 Sales}", "Soldes"))
    assert dict(config.titles) == {"fr": "Soldes", "en": "Soldes"}


def test_missing_title_language_falls_back_to_default(tmp_path: Path) -> None:
    config = config_of(tmp_path, VALID.replace(", en: 11.11 Sales", ""))
    assert dict(config.titles) == {"fr": "Soldes du 11.11", "en": "Soldes du 11.11"}


def test_timezone_is_a_zoneinfo(tmp_path: Path) -> None:
    config = config_of(tmp_path, VALID)
    assert isinstance(config.timezone, ZoneInfo)
    assert config.timezone == ZoneInfo("Europe/Paris")


def test_theme_params_and_setting_lines(tmp_path: Path) -> None:
    config = config_of(tmp_path, VALID)
    assert config.theme == "double11"
    assert dict(config.params) == {"currency": "EUR"}
    assert config.line_of_setting("theme") == 7
    assert config.line_of_setting("timezone") == 6
    assert config.line_of_setting("description") is None


def test_paths(tmp_path: Path) -> None:
    config = config_of(tmp_path, VALID)
    assert config.root == tmp_path
    assert config.path == tmp_path / "site.yaml"


def test_short_language_form_gets_babel_names(tmp_path: Path) -> None:
    config = config_of(
        tmp_path,
        "title: x\nbase_url: https://a.example/\nlanguages: [fr, en]\ntimezone: Europe/Paris\n",
    )
    assert [language.name for language in config.languages] == ["Français", "English"]
    assert [language.code for language in config.languages] == ["fr", "en"]
    assert config.default_language == "fr"


@pytest.mark.parametrize(
    ("locale", "direction"),
    [("fr_FR", "ltr"), ("en_GB", "ltr"), ("zh_Hans_CN", "ltr"), ("ar", "rtl"), ("he", "rtl")],
)
def test_a_language_is_written_the_way_its_locale_is(locale: str, direction: str) -> None:
    """CLDR's character order, for `dir` on the pages in that language."""
    assert Language(code="xx", locale=locale, name="x").direction == direction


def test_config_is_frozen(tmp_path: Path) -> None:
    config = config_of(tmp_path, VALID)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.base_url = "https://evil.example/"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.languages[0].code = "de"  # type: ignore[misc]


# --- mistakes ------------------------------------------------------------------------


def test_unknown_key_with_did_you_mean(tmp_path: Path) -> None:
    problems = problems_of(
        tmp_path,
        "title: x\n"
        "base_url: https://a.example/\n"
        "timezone: Europe/Paris\n"
        "theme: t\n"
        "params: {}\n"
        "description: d\n"
        "langauges: [fr, en]\n",
    )
    unknown = [p for p in problems if p.message == "unknown setting 'langauges'"]
    assert len(unknown) == 1
    assert unknown[0].line == 7
    assert unknown[0].path == tmp_path / "site.yaml"
    assert unknown[0].hint == "did you mean 'languages'?"


def test_unknown_key_without_close_match_lists_known(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, VALID + "colour: red\n")
    assert messages(problems) == ["unknown setting 'colour'"]
    assert problems[0].line == 10
    assert problems[0].hint is not None
    assert "languages" in problems[0].hint


def test_every_mistake_is_reported_at_once(tmp_path: Path) -> None:
    problems = problems_of(
        tmp_path,
        "base_url: ftp://shop.example.com/\n"
        "languages:\n"
        "  - fr\n"
        "  - {code: en, locale: xx_YY}\n"
        "default_language: de\n"
        "timezone: Europe/Pariss\n",
    )
    by_message = {problem.message: problem for problem in problems}
    assert set(by_message) == {
        "base_url 'ftp://shop.example.com/' is not an absolute http(s) URL",
        "unknown locale 'xx_YY' for language 'en'",
        "default_language 'de' is not in languages",
        "unknown time zone 'Europe/Pariss'",
        "missing required setting 'title'",
    }
    assert by_message["base_url 'ftp://shop.example.com/' is not an absolute http(s) URL"].line == 1
    assert by_message["unknown locale 'xx_YY' for language 'en'"].line == 4
    assert by_message["default_language 'de' is not in languages"].line == 5
    zone = by_message["unknown time zone 'Europe/Pariss'"]
    assert zone.line == 6
    assert zone.hint == "did you mean 'Europe/Paris'?"


def test_all_missing_required_settings(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, "theme: t\n")
    assert sorted(messages(problems)) == [
        "missing required setting 'base_url'",
        "missing required setting 'languages'",
        "missing required setting 'timezone'",
        "missing required setting 'title'",
    ]


def test_empty_site_yaml_reports_missing_settings(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, "")
    assert len(problems) == 4
    assert all(p.message.startswith("missing required setting") for p in problems)


def test_unknown_zone_without_close_match_gets_an_example(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, VALID.replace("Europe/Paris", "Mars/Olympus_Mons"))
    assert messages(problems) == ["unknown time zone 'Mars/Olympus_Mons'"]
    assert problems[0].hint is not None
    assert "Europe/Paris" in problems[0].hint


def test_base_url_without_scheme(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, VALID.replace("https://", ""))
    assert messages(problems) == [
        "base_url 'shop.example.com/campaign' is not an absolute http(s) URL"
    ]
    assert problems[0].line == 2


def test_language_listed_twice(tmp_path: Path) -> None:
    problems = problems_of(
        tmp_path, "title: x\nbase_url: https://a.example/\nlanguages: [fr, fr]\ntimezone: UTC\n"
    )
    assert messages(problems) == ["language 'fr' is listed twice"]
    assert problems[0].line == 3


def test_default_language_typo_gets_a_hint(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, VALID + "default_language: en_\n")
    assert messages(problems) == ["default_language 'en_' is not in languages"]
    assert problems[0].line == 10
    assert problems[0].hint == "did you mean 'en'?"


def test_theme_with_slash_is_an_error(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, VALID.replace("theme: double11", "theme: ../other"))
    assert len(problems) == 1
    assert problems[0].line == 7


def test_site_yaml_must_be_a_mapping(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, "- a\n- b\n")
    assert len(problems) == 1
    assert problems[0].line == 1


def test_yaml_syntax_error_in_site_yaml(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, "title: x\ntitle: y\n")
    assert len(problems) == 1
    assert problems[0].line == 2
    assert "duplicate key 'title'" in problems[0].message


def test_missing_site_yaml(tmp_path: Path) -> None:
    with pytest.raises(SiteError) as caught:
        load_config(tmp_path)
    (problem,) = caught.value.problems
    assert problem.path == tmp_path / "site.yaml"
    assert "site.yaml" in problem.message
    assert problem.hint is not None
    assert "sitegen new" in problem.hint


def test_naive_datetimes_in_params_are_read_in_the_site_time_zone(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(
        "title: T\nbase_url: https://x.org/\nlanguages: [fr]\ntimezone: Europe/Paris\n"
        "params:\n  start: 2027-11-10 17:00\n  events: [{at: 2027-11-11T00:00:00+08:00}]\n"
    )
    params = load_config(tmp_path).params
    assert params["start"].isoformat() == "2027-11-10T17:00:00+01:00"
    assert params["events"][0]["at"] == params["start"]


def test_localization_settings_and_their_defaults(tmp_path: Path) -> None:
    base = "title: T\nbase_url: https://x.org/\nlanguages: [fr, en]\ntimezone: UTC\n"
    (tmp_path / "site.yaml").write_text(base)
    config = load_config(tmp_path)
    assert (config.missing_translation, config.root_page) == ("fallback", "chooser")
    assert (config.french_typography, config.source_language) == (True, "en")
    (tmp_path / "site.yaml").write_text(
        base + "missing_translation: omit\nroot_page: default_language\n"
        "french_typography: false\nsource_language: fr\n"
    )
    config = load_config(tmp_path)
    assert (config.missing_translation, config.root_page) == ("omit", "default_language")
    assert (config.french_typography, config.source_language) == (False, "fr")


def test_localization_settings_are_checked(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(
        "title: T\nbase_url: https://x.org/\nlanguages: [fr, en]\ntimezone: UTC\n"
        "missing_translation: fallbak\nroot_page: home\nfrench_typography: yes\n"
    )
    with pytest.raises(SiteError) as caught:
        load_config(tmp_path)
    problems = {problem.line: problem for problem in caught.value.problems}
    assert problems[5].message == "'missing_translation' must be one of: fallback, omit, error"
    assert problems[5].hint == "did you mean 'fallback'?"
    assert "chooser, default_language" in problems[6].message
    assert problems[7].message == "'french_typography' must be true or false"


FALLBACKS = """title: x
base_url: https://a.example/
timezone: UTC
default_language: fr
languages:
  - fr
  - en
  - {code: de, fallback: [en, fr]}
  - {code: ar, fallback: []}
  - zh-hans
"""


def test_each_language_has_its_fallback_chain(tmp_path: Path) -> None:
    """site.yaml's chain, else the default language; the default language has none."""
    config = config_of(tmp_path, FALLBACKS)
    assert config.fallbacks("de") == ("en", "fr")
    assert config.fallbacks("ar") == ()
    assert config.fallbacks("zh-hans") == ("fr",)
    assert config.fallbacks("fr") == ()
    assert config.fallback_order("ar") == ("ar", "fr")
    assert config.fallback_order("de") == ("de", "en", "fr")


def test_fallback_mistakes_are_told_at_their_lines(tmp_path: Path) -> None:
    text = FALLBACKS.replace("[en, fr]", "[en, en, de, es]").replace("fallback: []", "fallback: 3")
    problems = problems_of(tmp_path, text)
    assert sorted(messages(problems)) == [
        "a language's 'fallback' is a list of language codes, such as [en, fr]",
        "fallback language 'en' is listed twice",
        "fallback language 'es' is not in languages",
        "language 'de' cannot fall back to itself",
    ]
    assert {problem.line for problem in problems} == {8, 9}
    hint = next(problem.hint for problem in problems if "'es'" in problem.message)
    assert hint is not None and "en" in hint
