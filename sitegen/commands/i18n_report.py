"""The translation status as `sitegen i18n status` prints it: text for people, JSON
for scripts.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal

from sitegen.commands.i18n_status import LanguageStatus, MissingString, StatusReport


def format_percent(value: Decimal) -> str:
    return format_decimal(value, "0.0", locale="en")


def status_json(report: StatusReport, minimum: Decimal = Decimal(0)) -> dict[str, Any]:
    """The status as JSON-ready data (dump it with sorted keys). Its shape:

    ```
    {
      "default_language": "fr", "source_language": "en",
      "language_codes": ["fr", "en"],   # site.yaml order
      "min": 50.0,                      # --min, in percent
      "below_min": ["en"],              # languages under it, in site.yaml order
      "languages": {                    # by language code
        "en": {
          "code": "en", "name": "English", "locale": "en_GB",
          "done": 9, "total": 12,       # pages + UI strings + data fields
          "percent": 75.0,              # done / total, rounded down to a tenth
          "pages": {
            "done": 2, "total": 4,      # translation groups with a current page here
            "missing": [{"group": "join", "existing": "content/join.fr.md",
                         "expected": "content/join.en.md"}],
            "out_of_date": [{"file": "content/x.en.md", "original": "content/x.fr.md",
                             "translated_from": "0123456789ab",
                             "fingerprint": "ba9876543210"}],
            "not_stamped": [{"file": "content/y.en.md", "original": "content/y.fr.md",
                             "fingerprint": "..."}]
          },
          "ui_strings": {
            "done": 3, "total": 3, "source_language": true,
            "catalogs": ["i18n/en/LC_MESSAGES/messages.po"],  # site's, then themes'
            "fallbacks": [],            # where missing strings come from, in order
                                        # (["en"], ["fr", "en"]: en is the source text)
            "missing": [{"msgid": "...", "plural": null, "context": null,
                         "locations": ["templates/page.html:4"], "fuzzy": false,
                         "empty_forms": [             # plural entries half filled
                           {"file": "i18n/fr/LC_MESSAGES/messages.po", "line": 12,
                            "forms": [2], "numbers": ["2, 3, 4…"]}]}]
          },
          "data_fields": {
            "done": 4, "total": 5,
            "missing": [{"file": "data/products.csv", "line": 3, "path": "products[1].name"}]
          }
        },
        "fr": {...}
      }
    }
    ```

    Lists are sorted (pages by group, then by file; strings by msgid and context);
    data fields keep their order in the feeds, files sorted by name.
    """
    return {
        "default_language": report.default_language,
        "source_language": report.source_language,
        "language_codes": [s.language.code for s in report.languages],
        "min": float(minimum),
        "below_min": [s.language.code for s in report.languages if s.below(minimum)],
        "languages": {s.language.code: _language_json(s) for s in report.languages},
    }


def _language_json(state: LanguageStatus) -> dict[str, Any]:
    pages, strings, fields = state.pages, state.strings, state.fields
    return {
        "code": state.language.code,
        "name": state.language.name,
        "locale": state.language.locale,
        "done": state.done,
        "total": state.total,
        "percent": float(state.percent),
        "pages": {
            "done": pages.done,
            "total": pages.total,
            "missing": [vars(item) for item in pages.missing],
            "out_of_date": [vars(item) for item in pages.out_of_date],
            "not_stamped": [vars(item) for item in pages.not_stamped],
        },
        "ui_strings": {
            "done": strings.done,
            "total": strings.total,
            "source_language": strings.source_language,
            "catalogs": list(strings.catalogs),
            "fallbacks": list(strings.fallbacks),
            "missing": [
                asdict(item)
                for item in sorted(strings.missing, key=lambda m: (m.msgid, m.context or ""))
            ],
        },
        "data_fields": {
            "done": fields.done,
            "total": fields.total,
            "missing": [vars(item) for item in fields.missing],
        },
    }


def status_text(report: StatusReport) -> str:
    """One line per language, then what is left for each language below 100 %."""
    lines = [_summary_line(state) for state in report.languages]
    for state in report.languages:
        details = _details(state)
        if details:
            lines.extend(["", *details])
    return "\n".join(lines)


def _summary_line(state: LanguageStatus) -> str:
    source = " (source language)" if state.strings.source_language else ""
    return (
        f"{state.language.code} ({state.language.name}): {format_percent(state.percent)}% "
        f"({state.done}/{state.total}): pages {state.pages.done}/{state.pages.total}, "
        f"UI strings {state.strings.done}/{state.strings.total}{source}, "
        f"data fields {state.fields.done}/{state.fields.total}"
    )


def _details(state: LanguageStatus) -> list[str]:
    """Everything left for an incomplete language; for a complete one, only the
    translations still to stamp (they are done, but status cannot vouch for them)."""
    pages, strings, fields = state.pages, state.strings, state.fields
    sections: list[tuple[str, list[str]]] = []
    if not state.complete:
        sections += [
            (
                "missing pages",
                [f"{m.expected} (translation of {m.existing})" for m in pages.missing],
            ),
            (
                "out of date (the original changed since it was translated)",
                [
                    f"{m.file}: {m.original} is now {m.fingerprint}, "
                    f"translated from {m.translated_from}"
                    for m in pages.out_of_date
                ],
            ),
        ]
    sections.append(("not stamped", [f"{m.file} (from {m.original})" for m in pages.not_stamped]))
    if not state.complete:
        missing = sorted(strings.missing, key=lambda m: (m.msgid, m.context or ""))
        if not strings.source_language and not strings.catalogs:
            sections.append(("no catalog", [f"every UI string shown in {_fallback_text(state)}"]))
        sections += [
            ("missing UI strings", [_string_line(m) for m in missing if not m.empty_forms]),
            (
                "UI strings with plural forms left empty",
                [line for m in missing for line in _empty_forms_lines(m)],
            ),
            (
                "missing data fields",
                [
                    f"{m.file}:{m.line}: {m.path}" if m.line else f"{m.file}: {m.path}"
                    for m in fields.missing
                ],
            ),
        ]
    shown_sections = [(title, items) for title, items in sections if items]
    if not shown_sections:
        return []
    name = f"{state.language.code} ({state.language.name})"
    lines = [f"{name}, {format_percent(state.percent)}%:"]
    for title, items in shown_sections:
        lines.append(f"  {title} ({len(items)}):")
        lines.extend(f"    {item}" for item in items)
        if title == "not stamped":
            lines.append(
                "    hint: once a translation matches its original, run "
                "'sitegen i18n stamp FILE' (or --all)"
            )
        elif title == "missing UI strings":
            lines.append(f"    shown instead in: {_fallback_text(state)}")
        elif title.startswith("out of date"):
            lines.append("    hint: bring the translation up to date, then 'sitegen i18n stamp' it")
    return lines


def _fallback_text(state: LanguageStatus) -> str:
    """The languages a missing string is shown in, in order: "en (source text)"."""
    *chain, source = state.strings.fallbacks
    return ", then ".join([*chain, f"{source} (source text)"])


def _string_line(missing: MissingString) -> str:
    text = _msgid(missing)
    if missing.locations:
        text += f" at {', '.join(missing.locations)}"
    if missing.fuzzy:
        text += " [fuzzy: check it and remove the fuzzy flag]"
    return text


def _msgid(missing: MissingString) -> str:
    text = f'"{missing.msgid}"'
    if missing.plural is not None:
        text += f' / "{missing.plural}"'
    if missing.context is not None:
        text += f" (context: {missing.context})"
    return text


def _empty_forms_lines(missing: MissingString) -> list[str]:
    """A line for each catalog entry of the string that leaves forms empty, at its place."""
    lines = []
    for entry in missing.empty_forms:
        place = f"{entry.file}:{entry.line}" if entry.line else entry.file
        forms = ", ".join(
            f"msgstr[{form}] (for {numbers})"
            for form, numbers in zip(entry.forms, entry.numbers, strict=True)
        )
        lines.append(f"{place}: {_msgid(missing)}: {forms} empty")
    return lines
