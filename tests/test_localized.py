"""Localized values: recognising `{fr: ..., en: ...}` and picking the reader's language."""

from __future__ import annotations

from sitegen.base.localized import is_localized, pick, resolve

CODES = ("fr", "en", "de")


def test_mapping_of_site_languages_is_localized() -> None:
    assert is_localized({"fr": "Sac", "en": "Bag"}, CODES) is True


def test_one_language_is_enough() -> None:
    assert is_localized({"en": "Bag"}, CODES) is True


def test_other_keys_make_it_plain_data() -> None:
    assert is_localized({"fr": "Sac", "price": 12}, CODES) is False


def test_empty_mapping_is_not_localized() -> None:
    assert is_localized({}, CODES) is False


def test_non_mappings_are_not_localized() -> None:
    assert is_localized("fr", CODES) is False
    assert is_localized(["fr", "en"], CODES) is False
    assert is_localized(None, CODES) is False


def test_non_text_keys_are_not_localized() -> None:
    assert is_localized({1: "x"}, CODES) is False


def test_pick_prefers_the_page_language() -> None:
    assert pick({"fr": "Sac", "en": "Bag", "de": "Tasche"}, "de", "fr", CODES) == "Tasche"


def test_pick_falls_back_to_the_default() -> None:
    assert pick({"fr": "Sac", "en": "Bag"}, "de", "fr", CODES) == "Sac"


def test_pick_then_follows_site_order() -> None:
    assert pick({"de": "Tasche", "en": "Bag"}, "xx", "fr", CODES) == "Bag"
    assert pick({"de": "Tasche"}, "en", "fr", CODES) == "Tasche"


def test_pick_skips_none_values() -> None:
    assert pick({"fr": "Sac", "en": None}, "en", "fr", CODES) == "Sac"


def test_pick_keeps_falsy_but_present_values() -> None:
    assert pick({"fr": "Sac", "en": ""}, "en", "fr", CODES) == ""
    assert pick({"fr": 5, "en": 0}, "en", "fr", CODES) == 0


def test_pick_with_nothing_gives_none() -> None:
    assert pick({"fr": None}, "en", "fr", CODES) is None


def test_resolve_plain_values_unchanged() -> None:
    assert resolve(12, "en", "fr", CODES) == 12
    assert resolve("x", "en", "fr", CODES) == "x"


def test_resolve_through_lists_and_mappings() -> None:
    value = {
        "title": {"fr": "Soldes", "en": "Sales"},
        "items": [{"name": {"fr": "Sac", "en": "Bag"}, "price": 12}, {"name": {"fr": "Thé"}}],
    }
    assert resolve(value, "en", "fr", CODES) == {
        "title": "Sales",
        "items": [{"name": "Bag", "price": 12}, {"name": "Thé"}],
    }


def test_resolve_inside_a_localized_value() -> None:
    value = {"fr": ["un", "deux"], "en": [{"de": "eins", "en": "one"}]}
    assert resolve(value, "en", "fr", CODES) == ["one"]


def test_resolve_tuple_becomes_list() -> None:
    assert resolve(({"fr": "a", "en": "b"},), "en", "fr", CODES) == ["b"]
