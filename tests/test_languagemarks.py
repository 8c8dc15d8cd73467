"""UI strings in another language than the page's: a `<span lang dir>` where markup
may stand, nothing in attributes, <title>, <script> or JSON, nothing in other files."""

from __future__ import annotations

from sitegen.base.localized import InLanguage
from sitegen.rendering.languagemarks import lang_attributes, mark_languages, marked, unmarked

DIRECTIONS = {"fr": "ltr", "en": "ltr", "ar": "rtl"}


def test_a_marked_text_gets_its_language_in_the_text() -> None:
    html = f"<p>{marked('Choisir la langue', 'fr')}</p>"
    assert mark_languages(html, DIRECTIONS) == (
        '<p><span lang="fr" dir="ltr">Choisir la langue</span></p>'
    )


def test_an_attribute_title_and_script_stay_plain_text() -> None:
    """HTML cannot mark part of an attribute, nor <title>'s or a script's text."""
    label = marked("Choisir la langue", "fr")
    html = (
        f'<title>{label}</title><nav aria-label="{label}"><a href="/">{marked("Home", "en")}'
        f'</a></nav><script>{{"a": "\\ue000fr\\ue001x\\ue002"}}</script>'
    )
    assert mark_languages(html, DIRECTIONS) == (
        '<title>Choisir la langue</title><nav aria-label="Choisir la langue">'
        '<a href="/"><span lang="en" dir="ltr">Home</span></a></nav><script>{"a": "x"}</script>'
    )


def test_a_marked_text_may_hold_markup() -> None:
    html = marked('par <a href="/m/">Lumen</a>', "ar")
    assert mark_languages(html, DIRECTIONS) == (
        '<span lang="ar" dir="rtl">par <a href="/m/">Lumen</a></span>'
    )


def test_a_page_without_marks_is_left_as_it_is() -> None:
    html = "<p>Bonjour</p>"
    assert mark_languages(html, DIRECTIONS) is html


def test_other_files_lose_the_marks() -> None:
    assert unmarked(f"<title>{marked('Accueil', 'fr')}</title>") == "<title>Accueil</title>"


def test_a_feed_value_in_another_language_gets_lang_and_dir() -> None:
    assert lang_attributes(InLanguage("حقيبة", "ar"), DIRECTIONS) == ' lang="ar" dir="rtl"'
    assert lang_attributes("Sac", DIRECTIONS) == ""
