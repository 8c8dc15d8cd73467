"""`sitegen schedule`: the coming changes of a site, earliest first, as text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import BILINGUAL_CONFIG, page, run_sitegen, write_tree

CAMPAIGN = """\
campaign:
  timezone: Asia/Shanghai
  phases:
    - {name: live, starts: 2027-11-11 00:00}
  ends: 2027-11-12 00:00
"""


def site(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path,
        {
            "site.yaml": BILINGUAL_CONFIG + CAMPAIGN,
            "content/offer.fr.md": page("Offre", publish="2027-11-10 09:00"),
            "content/old.fr.md": page("Ancien", expires="2026-12-01"),
            "content/draft.fr.md": page("Brouillon", draft="true", publish="2027-01-01"),
            "content/past.fr.md": page("Passé", publish="2020-01-01"),
            "data/products.csv": "id,name,available_from,available_until\n"
            "p1,Sac,2027-11-01,\np2,Montre,,2027-11-30T12:00+01:00\n",
        },
    )


def test_json_lists_every_coming_change_in_order(tmp_path: Path) -> None:
    result = run_sitegen(
        "schedule", site(tmp_path), "--now", "2026-11-28T12:00", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["now"] == "2026-11-28T12:00:00+01:00"
    assert report["next"] == "2026-12-01T00:00:00+01:00"
    assert [(c["at"], c["kind"], c["source"], c["line"]) for c in report["changes"]] == [
        ("2026-12-01T00:00:00+01:00", "expires", "content/old.fr.md", 3),
        ("2027-11-01T00:00:00+01:00", "available_from", "data/products.csv", 2),
        ("2027-11-10T09:00:00+01:00", "publish", "content/offer.fr.md", 3),
        ("2027-11-11T00:00:00+08:00", "phase", "site.yaml", 5),
        ("2027-11-12T00:00:00+08:00", "phase", "site.yaml", 5),
        ("2027-11-30T12:00:00+01:00", "available_until", "data/products.csv", 3),
    ]
    assert report["changes"][1]["description"] == "'p1' becomes available"


def test_text_output_and_nothing_left(tmp_path: Path) -> None:
    root = site(tmp_path)
    text = run_sitegen("schedule", root, "--now", "2027-11-11T12:00:00+08:00").stdout
    assert text.splitlines() == [
        "Coming changes after 2027-11-11T12:00:00+08:00 (times in Europe/Paris):",
        "  2027-11-11T17:00:00+01:00  the campaign ends  (site.yaml:5)",
        "  2027-11-30T12:00:00+01:00  'p2' stops being available  (data/products.csv:3)",
        "Next rebuild: 2027-11-11T17:00:00+01:00",
    ]
    late = run_sitegen("schedule", root, "--now", "2028-01-01")
    assert late.stdout == "No change is scheduled after 2028-01-01T00:00:00+01:00.\n"


def test_a_broken_site_reports_its_problems(tmp_path: Path) -> None:
    root = site(tmp_path)
    (root / "content" / "bad.fr.md").write_text("---\ntitle: [\n---\n")
    result = run_sitegen("schedule", root)
    assert result.returncode == 1
    assert "content/bad.fr.md:3:1: invalid YAML" in result.stderr
    assert "Traceback" not in result.stderr
