"""Localized values: recognising `{fr: ..., en: ...}` and picking the reader's language."""

from __future__ import annotations

import pickle

from sitegen.base.localized import InLanguage, is_localized, lang_of, pick, resolve

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
    assert pick({"fr": "Sac", "en": "Bag", "de": "Tasche"}, ("de", "fr"), CODES) == "Tasche"


def test_pick_falls_back_to_the_default() -> None:
    assert pick({"fr": "Sac", "en": "Bag"}, ("de", "fr"), CODES) == "Sac"


def test_pick_then_follows_site_order() -> None:
    assert pick({"de": "Tasche", "en": "Bag"}, ("xx", "fr"), CODES) == "Bag"
    assert pick({"de": "Tasche"}, ("en", "fr"), CODES) == "Tasche"


def test_pick_skips_none_values() -> None:
    assert pick({"fr": "Sac", "en": None}, ("en", "fr"), CODES) == "Sac"


def test_pick_keeps_falsy_but_present_values() -> None:
    assert pick({"fr": "Sac", "en": ""}, ("en", "fr"), CODES) == ""
    assert pick({"fr": 5, "en": 0}, ("en", "fr"), CODES) == 0


def test_pick_with_nothing_gives_none() -> None:
    assert pick({"fr": None}, ("en", "fr"), CODES) is None


def test_resolve_plain_values_unchanged() -> None:
    assert resolve(12, ("en", "fr"), CODES) == 12
    assert resolve("x", ("en", "fr"), CODES) == "x"


def test_resolve_through_lists_and_mappings() -> None:
    value = {
        "title": {"fr": "Soldes", "en": "Sales"},
        "items": [{"name": {"fr": "Sac", "en": "Bag"}, "price": 12}, {"name": {"fr": "Thé"}}],
    }
    assert resolve(value, ("en", "fr"), CODES) == {
        "title": "Sales",
        "items": [{"name": "Bag", "price": 12}, {"name": "Thé"}],
    }


def test_resolve_inside_a_localized_value() -> None:
    value = {"fr": ["un", "deux"], "en": [{"de": "eins", "en": "one"}]}
    assert resolve(value, ("en", "fr"), CODES) == ["one"]


def test_resolve_tuple_becomes_list() -> None:
    assert resolve(({"fr": "a", "en": "b"},), ("en", "fr"), CODES) == ["b"]


def test_a_text_of_another_language_says_which() -> None:
    """A product name with no English version, on an English page, is the French
    text, and says so (the theme marks it with lang="fr")."""
    value = {"name": {"fr": "Sac", "de": "Tasche"}, "tag": {"en": "new"}}
    resolved = resolve(value, ("en", "fr"), CODES)
    assert resolved == {"name": "Sac", "tag": "new"}
    assert lang_of(resolved["name"]) == "fr"
    assert lang_of(resolved["tag"]) is None


def test_the_chain_comes_before_the_other_languages() -> None:
    """de's chain is en: an English text rather than the French of the default."""
    name = resolve({"fr": "Sac", "en": "Bag"}, ("de", "en", "fr"), CODES)
    assert (name, lang_of(name)) == ("Bag", "en")


def test_a_plain_value_has_no_known_language() -> None:
    assert lang_of(resolve("Sac", ("en", "fr"), CODES)) is None
    assert lang_of(resolve({"fr": 12}, ("en", "fr"), CODES)) is None


def test_a_text_in_another_language_survives_pickling() -> None:
    """Pages and feeds go through the build cache and the rendering processes."""
    text = pickle.loads(pickle.dumps(InLanguage("Sac", "fr")))
    assert (text, text.lang, type(text)) == ("Sac", "fr", InLanguage)
