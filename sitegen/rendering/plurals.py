"""The plural forms of gettext catalogs: each language's rule from one source, CLDR
through Babel, used when a catalog is written and when it is read.

The source. A language's rule is Babel's gettext table,
`babel.messages.plurals.get_plural(locale)`, which since Babel 2.19 is generated
from CLDR 48's plural rules (through the php-gettext/Languages converter: the
categories whole numbers can take, written as the C expressions gettext reads).
It is the table `pybabel init` writes and the data sitegen formats every number
and date with, and it is the rule a catalog without a `Plural-Forms` header
follows. French has three forms there: `one` (0, 1), `many` (1 000 000,
2 000 000...: "1 000 000 de jours") and `other` (2, 3...). The GNU gettext manual
(section "Additional functions for plural forms") and older Babel releases give
French two, `nplurals=2; plural=(n > 1);`: a catalog written that way says so in
its header and is read by that header, which is the only thing that tells what its
`msgstr[1]` means.

Reading. A catalog keeps the rule of its `Plural-Forms` header; one without follows
its language's. A header whose expression gettext cannot evaluate, or that chooses
a form the header does not count, and a plural entry with more or fewer `msgstr[n]`
lines than its rule's forms, are problems at their line: read on, such an entry
would show the English text for some numbers with no word said (Babel pads the
missing forms with empty ones).

Writing. `sitegen i18n update` writes every catalog with its language's rule. A
catalog written with another rule is converted: each new form takes the text the
old rule gave the same numbers, so every number shows what it showed before; an
entry whose new form stands for numbers the old rule translated differently cannot
be converted and is a problem at its line.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural

from sitegen.base.errors import Problem
from sitegen.base.messages import _, ngettext

SAMPLE_NUMBERS = tuple(sorted({*range(1001), *range(10**6, 6 * 10**6, 10**6), 10**6 + 1}))
"""The numbers two rules are compared on, and a form's numbers are told by: every
remainder by 10, 100 and 1000 the rules of the table test, and whole millions
(French, Spanish, Italian and Portuguese give them a form of their own)."""

EXAMPLES = 3
"""How many numbers name a form: "2, 3, 4…"."""


@dataclass(frozen=True)
class PluralRule:
    """A `Plural-Forms` header: how many forms, and the C expression that picks one."""

    count: int
    expression: str

    @cached_property
    def _pick(self) -> Callable[[int], int]:
        return gettext.c2py(self.expression)

    def form(self, number: int) -> int:
        """The index of the `msgstr[n]` that `number` takes."""
        return self._pick(number)

    @property
    def header(self) -> str:
        return f"nplurals={self.count}; plural={self.expression};"

    def invalid(self) -> str | None:
        """Why gettext cannot use this rule, or None."""
        if self.count < 1:
            return f"nplurals={self.count}: a catalog has at least one form"
        try:
            forms = {self.form(number) for number in SAMPLE_NUMBERS}
        except (ValueError, TypeError, ZeroDivisionError, RecursionError) as exc:
            return f"the plural expression '{self.expression}' cannot be evaluated ({exc})"
        outside = sorted(form for form in forms if not 0 <= form < self.count)
        if outside:
            return (
                f"the plural expression picks msgstr[{outside[0]}], "
                f"but nplurals={self.count} counts msgstr[0] to msgstr[{self.count - 1}]"
            )
        return None

    @cached_property
    def numbers(self) -> tuple[tuple[int, ...], ...]:
        """The sample numbers each form stands for, in order."""
        by_form: list[list[int]] = [[] for _form in range(self.count)]
        for number in SAMPLE_NUMBERS:
            by_form[self.form(number)].append(number)
        return tuple(tuple(numbers) for numbers in by_form)

    def examples(self, form: int) -> str:
        """The first numbers that take `form`: "2, 3, 4…"."""
        numbers = self.numbers[form]
        shown = ", ".join(str(number) for number in numbers[:EXAMPLES])
        return shown + "…" if len(numbers) > EXAMPLES else shown

    def guide(self) -> list[str]:
        """What each `msgstr[n]` is for, a line each: "msgstr[2]: 2, 3, 4…"."""
        return [f"msgstr[{form}]: {self.examples(form)}" for form in range(self.count)]

    def same_as(self, other: PluralRule) -> bool:
        """The same forms for the same numbers, however the expressions are written."""
        return self.count == other.count and self.numbers == other.numbers


def language_rule(locale: str) -> PluralRule:
    """The rule of a language (a Babel locale, "fr_FR"): the one source (module docstring)."""
    plural = get_plural(locale)
    return PluralRule(plural.num_plurals, plural.plural_expr)


def catalog_rule(catalog: Catalog) -> PluralRule:
    """The rule a catalog read by Babel has: its header's, else its language's."""
    return PluralRule(catalog.num_plurals, catalog.plural_expr)


def is_plural(message: Message) -> bool:
    return isinstance(message.id, list | tuple)


@dataclass(frozen=True)
class _Layout:
    """What Babel's reader does not keep of a `.po` file."""

    header_line: int | None
    """The line of the `Plural-Forms` header, when there is one."""
    plural_entries: dict[int, tuple[str, int]]
    """The line of each plural entry's msgid: the msgid as written, and the number
    of its `msgstr[n]` lines."""


def _layout(text: str) -> _Layout:
    header_line = None
    entries: dict[int, tuple[str, int]] = {}
    msgids = msgid_line = 0
    msgid = ""
    plural = False
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if line.startswith("msgid "):
            msgids, msgid_line, msgid, plural = msgids + 1, number, line, False
        elif line.startswith("msgid_plural "):
            plural = True
            entries[msgid_line] = (msgid, 0)
        elif line.startswith("msgstr[") and plural:
            entries[msgid_line] = (msgid, entries[msgid_line][1] + 1)
        elif line.startswith('"Plural-Forms:') and msgids == 1 and header_line is None:
            header_line = number
    return _Layout(header_line, entries)


def plural_problems(rule: PluralRule, text: str, path: Path, locale: str) -> list[Problem]:
    """The problems of a catalog's plural forms (module docstring): `rule` is the one
    the catalog was read with, `text` the file."""
    layout = _layout(text)
    reason = rule.invalid()
    if reason is not None:
        return [
            Problem(
                path,
                layout.header_line,
                _("invalid Plural-Forms header: %(reason)s") % {"reason": reason},
                hint=_('the rule of %(locale)s is "%(rule)s"')
                % {"locale": locale, "rule": language_rule(locale).header},
            )
        ]
    if layout.header_line is None:
        hint = _(
            "the catalog has no Plural-Forms header, so it has the forms of %(locale)s's "
            "rule (%(guide)s); give the entry those, or write the rule "
            'the catalog was made with in its header ("Plural-Forms: nplurals=...; '
            'plural=...;\\n")'
        ) % {"locale": locale, "guide": "; ".join(rule.guide())}
    else:
        hint = _(
            'its rule is "%(rule)s" (%(guide)s), from the header at '
            "line %(line)s: give the entry those forms, or correct the header"
        ) % {"rule": rule.header, "guide": "; ".join(rule.guide()), "line": layout.header_line}
    return [
        Problem(
            path,
            line,
            ngettext(
                "%(msgid)s: %(forms)s plural form (msgstr[n] lines) "
                "where its catalog's rule has %(count)s",
                "%(msgid)s: %(forms)s plural forms (msgstr[n] lines) "
                "where its catalog's rule has %(count)s",
                forms,
            )
            % {"msgid": msgid, "forms": forms, "count": rule.count},
            hint=hint,
        )
        for line, (msgid, forms) in sorted(layout.plural_entries.items())
        if forms != rule.count
    ]


def converted(catalog: Catalog, rule: PluralRule, path: Path, locale: str) -> list[Problem]:
    """Give `catalog` the rule `rule`, its plural entries (obsolete ones too) moved to
    it: each new form takes the text the old rule gave its numbers. The problems are
    the entries that cannot be moved (module docstring); the catalog is changed either
    way, and is not to be written when there are problems."""
    old = catalog_rule(catalog)
    problems = []
    if not old.same_as(rule):
        messages: Iterable[Message] = (*catalog, *catalog.obsolete.values())
        for message in messages:
            if not is_plural(message):
                continue
            forms = [str(form or "") for form in message.string or ()]
            forms += [""] * (old.count - len(forms))
            moved: list[str] = []
            for form, numbers in enumerate(rule.numbers):
                texts = {forms[old.form(number)]: number for number in reversed(numbers)}
                texts.pop("", None)
                if len(texts) > 1:
                    problems.append(_clash(message, form, rule, texts, path, locale))
                    break
                moved.append(next(iter(texts), ""))
            else:
                message.string = tuple(moved)
    catalog.mime_headers = [("Plural-Forms", rule.header)]
    return problems


def _clash(
    message: Message, form: int, rule: PluralRule, texts: dict[str, int], path: Path, locale: str
) -> Problem:
    told = ", ".join(
        f'"{text}" for {number}' for text, number in sorted(texts.items(), key=lambda t: t[1])
    )
    return Problem(
        path,
        message.lineno,
        _(
            'the plural forms of "%(msgid)s" cannot be moved to the rule of %(locale)s: '
            "its msgstr[%(form)s] stands for %(examples)s, which this catalog "
            "translates differently (%(told)s)"
        )
        % {
            "msgid": message.id[0],
            "locale": locale,
            "form": form,
            "examples": rule.examples(form),
            "told": told,
        },
        hint=_("give those numbers one text, or empty the entry's forms and translate it again"),
    )


CLDR_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def category_numbers(locale: str, below: int = 1000) -> dict[str, int]:
    """The first whole number below `below` of each CLDR plural category `locale`'s
    numbers take there, in CLDR's order: what a page gives a script that picks a word
    by `Intl.PluralRules` (the countdown's), so that Arabic has its six forms, Chinese
    its one, and French no `many` (1 000 000 days is never counted down)."""
    rule = Locale.parse(locale).plural_form
    found: dict[str, int] = {}
    for number in range(below):
        found.setdefault(rule(number), number)
    return {category: found[category] for category in CLDR_CATEGORIES if category in found}
