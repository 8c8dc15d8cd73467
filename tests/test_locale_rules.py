"""Nothing user-visible is formatted by hand: dates, numbers and prices go through Babel."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import REPO

HAND_FORMATTING = re.compile(
    r"strftime|strptime"  # dates by hand
    r"|:[-+ ]?[,_]?\.\d+[fe%]\}"  # "{:.2f}", f"{x:,.2f}"
    r"|%[-+ 0#]*\d*\.\d+[fe]"  # "%.2f"
    r"|\|\s*format\s*\("  # Jinja's printf-style filter
)


def sources() -> list[Path]:
    code = sorted((REPO / "sitegen").glob("*.py"))
    templates = sorted((REPO / "sitegen" / "bundled").rglob("*.html"))
    return code + templates


def test_the_pattern_catches_what_it_should() -> None:
    for sample in ['f"{price:.2f}"', '"%.2f" % x', "d.strftime('%d')", "{{ x | format(y) }}"]:
        assert HAND_FORMATTING.search(sample), sample
    assert not HAND_FORMATTING.search('format_currency(x, "EUR")')


def test_no_hand_formatting_in_code_or_themes() -> None:
    found = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in sources()
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if HAND_FORMATTING.search(line)
    ]
    assert found == []
