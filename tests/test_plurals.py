"""Each language's plural forms: the rule from CLDR through Babel, a catalog's own rule
checked at its lines, and a catalog moved from one rule to another."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message

from sitegen.rendering.plurals import (
    PluralRule,
    catalog_rule,
    converted,
    language_rule,
    plural_problems,
)

GNU_FRENCH = PluralRule(2, "(n > 1)")
"""French as the GNU gettext manual and Babel before 2.19 write it."""
PATH = Path("i18n/fr/LC_MESSAGES/messages.po")


@pytest.mark.parametrize(
    ("locale", "count", "forms"),
    [
        # (locale, forms, the form of 0, 1, 2, 5, 22, 1000000)
        ("fr_FR", 3, [0, 0, 2, 2, 2, 1]),  # one (0, 1), many (millions), other
        ("en_GB", 2, [1, 0, 1, 1, 1, 1]),
        ("de_DE", 2, [1, 0, 1, 1, 1, 1]),
        ("pl_PL", 3, [2, 0, 1, 2, 1, 2]),  # one, few (2-4, 22-24...), many
        ("ru_RU", 3, [2, 0, 1, 2, 1, 2]),
        ("ja_JP", 1, [0, 0, 0, 0, 0, 0]),
        ("zh_Hans_CN", 1, [0, 0, 0, 0, 0, 0]),
        ("ar", 6, [0, 1, 2, 3, 4, 5]),
    ],
)
def test_each_language_has_cldr_s_rule(locale: str, count: int, forms: list[int]) -> None:
    rule = language_rule(locale)
    assert rule.count == count
    assert [rule.form(n) for n in (0, 1, 2, 5, 22, 1_000_000)] == forms
    assert rule.invalid() is None


def test_what_each_french_form_is_for() -> None:
    rule = language_rule("fr_FR")
    assert rule.header == (
        "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"
    )
    assert rule.guide() == [
        "msgstr[0]: 0, 1",
        "msgstr[1]: 1000000, 2000000, 3000000…",
        "msgstr[2]: 2, 3, 4…",
    ]


def test_rules_are_compared_by_what_they_do() -> None:
    assert PluralRule(2, "n>1").same_as(GNU_FRENCH)
    assert not GNU_FRENCH.same_as(language_rule("fr_FR"))
    assert not GNU_FRENCH.same_as(language_rule("en_GB"))  # 0 differs


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        (PluralRule(2, "(n >"), "cannot be evaluated"),
        (PluralRule(2, "n == 1 ? 0 : n == 2 ? 1 : 2"), "picks msgstr[2], but nplurals=2"),
        (PluralRule(0, "0"), "at least one form"),
    ],
)
def test_a_rule_gettext_cannot_use(rule: PluralRule, reason: str) -> None:
    assert reason in (rule.invalid() or "")


HEADER = 'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Plural-Forms: {rule}\\n"\n\n'


def test_an_invalid_header_is_a_problem_at_its_line() -> None:
    text = HEADER.format(rule="nplurals=2; plural=(n >;")
    (problem,) = plural_problems(PluralRule(2, "(n >"), text, PATH, "fr_FR")
    assert (problem.path, problem.line) == (PATH, 4)
    assert problem.message.startswith("invalid Plural-Forms header: the plural expression")
    assert problem.hint is not None and language_rule("fr_FR").header in problem.hint


def test_entries_with_another_number_of_forms_are_problems_at_their_lines() -> None:
    text = (
        HEADER.format(rule=language_rule("fr_FR").header)
        + 'msgid "day"\nmsgid_plural "days"\nmsgstr[0] "jour"\nmsgstr[1] "jours"\n\n'
        + 'msgid "hour"\nmsgid_plural "hours"\nmsgstr[0] "heure"\nmsgstr[1] ""\n'
        'msgstr[2] "heures"\n\n'
        + '#~ msgid "week"\n#~ msgid_plural "weeks"\n#~ msgstr[0] "semaine"\n'
    )
    (problem,) = plural_problems(language_rule("fr_FR"), text, PATH, "fr_FR")
    assert (problem.line, problem.message) == (
        6,
        'msgid "day": 2 plural forms (msgstr[n] lines) where its catalog\'s rule has 3',
    )
    assert problem.hint is not None and "from the header at line 4" in problem.hint


def test_without_a_header_the_language_s_rule_is_the_catalog_s() -> None:
    text = 'msgid "day"\nmsgid_plural "days"\nmsgstr[0] "jour"\nmsgstr[1] "jours"\n'
    (problem,) = plural_problems(language_rule("fr_FR"), text, PATH, "fr_FR")
    assert problem.line == 1
    assert problem.hint is not None
    assert "no Plural-Forms header, so it has the forms of fr_FR's rule" in problem.hint
    assert "msgstr[2]: 2, 3, 4…" in problem.hint


def _catalog(rule: PluralRule, forms: tuple[str, ...]) -> Catalog:
    catalog = Catalog(locale="fr_FR")
    catalog.mime_headers = [("Plural-Forms", rule.header)]
    catalog.add(("day", "days"), forms, lineno=7)
    catalog.add("Open", "Ouvert")
    catalog.obsolete["week"] = Message(("week", "weeks"), ("semaine", "semaines"))
    return catalog


def test_a_catalog_moved_to_the_language_s_rule_shows_every_number_as_before() -> None:
    catalog = _catalog(GNU_FRENCH, ("jour", "jours"))
    rule = language_rule("fr_FR")
    assert converted(catalog, rule, PATH, "fr_FR") == []
    assert catalog_rule(catalog).same_as(rule)
    assert catalog.get("day").string == ("jour", "jours", "jours")
    assert catalog.obsolete["week"].string == ("semaine", "semaines", "semaines")
    assert catalog.get("Open").string == "Ouvert"


def test_an_empty_form_stays_empty_when_moved() -> None:
    catalog = _catalog(GNU_FRENCH, ("jour", ""))
    assert converted(catalog, language_rule("fr_FR"), PATH, "fr_FR") == []
    assert catalog.get("day").string == ("jour", "", "")


def test_a_form_the_old_rule_translated_two_ways_cannot_be_moved() -> None:
    # zero, one and other: French's msgstr[0] is for 0 and 1, which had two texts
    zero_one_other = PluralRule(3, "n == 0 ? 0 : n == 1 ? 1 : 2")
    catalog = _catalog(zero_one_other, ("aucun jour", "un jour", "%(n)s jours"))
    del catalog.obsolete["week"]
    (problem,) = converted(catalog, language_rule("fr_FR"), PATH, "fr_FR")
    assert (problem.path, problem.line) == (PATH, 7)
    assert problem.message == (
        'the plural forms of "day" cannot be moved to the rule of fr_FR: its msgstr[0] '
        'stands for 0, 1, which this catalog translates differently ("aucun jour" for 0, '
        '"un jour" for 1)'
    )


def test_a_catalog_already_in_the_rule_is_left_as_it_is() -> None:
    rule = language_rule("fr_FR")
    catalog = _catalog(rule, ("jour", "", "jours"))
    assert converted(catalog, rule, PATH, "fr_FR") == []
    assert catalog.get("day").string == ("jour", "", "jours")
