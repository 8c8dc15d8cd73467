"""sitegen's own messages in English or French (sitegen.base.messages): the language
chosen from the environment or forced, one message of each kind in both languages,
the forms scripts read unchanged, and the French catalog complete and up to date."""

from __future__ import annotations

import re
import runpy
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.base import messages
from sitegen.base.messages import _, language_from, ngettext, use_language
from tests.conftest import REPO, run_sitegen

FRENCH = {"LANG": "fr_FR.UTF-8"}
ENGLISH = {"LANG": "en_US.UTF-8"}
NNBSP = "\u202f"
"""The narrow no-break space French puts before : ; ? ! (the catalog's convention)."""


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "fr"}, "fr"),
        ({"LANG": "fr_CA.UTF-8@euro"}, "fr"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "C.UTF-8", "LANGUAGE": "fr"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "fr_FR.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
        ({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LANGUAGE": "fr_FR:en"}, "fr"),
        ({"LANG": "fr_FR.UTF-8", "LANGUAGE": "de:en"}, "en"),
        ({"LANG": "fr_FR.UTF-8", "LANGUAGE": ""}, "fr"),
        ({"LANG": "C", "SITEGEN_LANG": "fr"}, "fr"),
        ({"LANG": "fr_FR.UTF-8", "SITEGEN_LANG": "en"}, "en"),
        ({"LANG": "fr_FR.UTF-8", "SITEGEN_LANG": "de"}, "fr"),
    ],
)
def test_the_language_follows_the_environment_as_gettext_reads_it(
    environ: dict[str, str], language: str
) -> None:
    """LANGUAGE, then LC_ALL, LC_MESSAGES, LANG; a C locale is English whatever
    LANGUAGE says; SITEGEN_LANG before all of them."""
    assert language_from(environ) == language


@pytest.fixture
def french() -> Iterator[None]:
    use_language("fr")
    yield
    use_language("en")


def test_the_french_catalog_translates_in_this_process(french: None) -> None:
    assert messages.language() == "fr"
    assert _("the file is not valid UTF-8 text") == "le fichier n’est pas du texte UTF-8 valide"
    assert ngettext("%(count)s problem", "%(count)s problems", 1) == "%(count)s problème"
    assert ngettext("%(count)s problem", "%(count)s problems", 3) == "%(count)s problèmes"
    assert messages.number(10000) == f"10{NNBSP}000"
    assert _("a message no catalog has") == "a message no catalog has"


def test_english_is_the_source() -> None:
    use_language("en")
    assert _("the file is not valid UTF-8 text") == "the file is not valid UTF-8 text"
    assert ngettext("%(count)s problem", "%(count)s problems", 0) == "%(count)s problems"
    assert messages.number(10000) == "10,000"


def test_the_french_catalog_is_complete_and_up_to_date(capsys: pytest.CaptureFixture[str]) -> None:
    """Every marked message has its French (every plural form, none fuzzy, the same
    placeholders), and the template, the catalog and its compiled form are what
    ./scripts/messages writes from the code as it is."""
    script = runpy.run_path(str(REPO / "scripts" / "messages"))
    assert script["main"](check=True) == 0, capsys.readouterr().err


def broken(site: Path) -> Path:
    """A page saved as Windows-1252 by a word processor: an error with a hint."""
    (site / "content" / "broken.md").write_bytes("---\ntitle: Été\n---\nCafé\n".encode("cp1252"))
    return site


ERROR_HEAD = re.compile(r"^error: (?P<place>\S+:\d+(?::\d+)?): (?P<message>.*)$", re.MULTILINE)


@pytest.mark.parametrize(
    ("environ", "error", "hint", "not_built"),
    [
        (
            ENGLISH,
            "the file is not valid UTF-8 text",
            "  hint: save it again as UTF-8 (spreadsheets: 'CSV UTF-8')",
            "sitegen: the site was not built (1 problem); output was left as it was.",
        ),
        (
            FRENCH,
            "le fichier n’est pas du texte UTF-8 valide",
            f"  conseil{NNBSP}: enregistrez-le de nouveau en UTF-8 "
            f"(tableurs{NNBSP}: «{NNBSP}CSV UTF-8{NNBSP}»)",
            f"sitegen: le site n’a pas été construit (1 problème){NNBSP}; "
            "output est resté tel quel.",
        ),
    ],
)
def test_a_broken_site_is_told_in_the_users_language(
    minimal: Path, environ: dict[str, str], error: str, hint: str, not_built: str
) -> None:
    result = run_sitegen("build", cwd=broken(minimal), language=environ)
    assert result.returncode == 1
    head = ERROR_HEAD.search(result.stderr)
    assert head is not None, result.stderr
    assert (head["place"], head["message"]) == ("content/broken.md:2", error)
    assert hint in result.stderr.splitlines()
    assert not_built in result.stderr.splitlines()


def test_scripts_read_the_same_exit_codes_and_places_in_both_languages(minimal: Path) -> None:
    site = broken(minimal)
    english = run_sitegen("build", cwd=site, language=ENGLISH)
    french = run_sitegen("build", cwd=site, language=FRENCH)
    assert english.returncode == french.returncode == 1
    places = [[m["place"] for m in ERROR_HEAD.finditer(r.stderr)] for r in (english, french)]
    assert places[0] == places[1] == ["content/broken.md:2"]
    wrong = [run_sitegen("build", "--jobs", "x", language=e) for e in (ENGLISH, FRENCH)]
    assert [r.returncode for r in wrong] == [2, 2]
    assert "error: argument --jobs/-j: 'x' is not a number of processes" in wrong[0].stderr
    assert (
        f"erreur{NNBSP}: argument --jobs/-j{NNBSP}: «{NNBSP}x{NNBSP}» n’est pas un nombre"
        in wrong[1].stderr
    )


@pytest.mark.parametrize(
    ("environ", "summary", "stage", "help_text", "usage"),
    [
        (
            ENGLISH,
            re.compile(r"^Built 2 pages \(2 en\), \d+ files written to \S+ in \d+\.\d\d s\.$"),
            re.compile(r"^loading: 2 content files in \d+\.\d\d s$"),
            "show sitegen's version and exit",
            "usage: sitegen",
        ),
        (
            FRENCH,
            re.compile(
                r"^2 pages construites \(2 en\), \d+ fichiers écrits dans \S+ en \d+,\d\d s\.$"
            ),
            re.compile(rf"^chargement{NNBSP}: 2 fichiers de contenu en \d+,\d\d s$"),
            "affiche la version de sitegen et s’arrête",
            f"utilisation{NNBSP}: sitegen",
        ),
    ],
)
def test_one_message_of_each_kind_in_both_languages(
    minimal: Path,
    environ: dict[str, str],
    summary: re.Pattern[str],
    stage: re.Pattern[str],
    help_text: str,
    usage: str,
) -> None:
    """A summary, a progress stage line (--verbose) and a --help text; the error and
    the hint are test_a_broken_site_is_told_in_the_users_language's."""
    built = run_sitegen("build", "--verbose", cwd=minimal, language=environ)
    assert built.returncode == 0, built.stderr
    assert any(summary.match(line) for line in built.stdout.splitlines()), built.stdout
    assert any(stage.match(line) for line in built.stderr.splitlines()), built.stderr
    shown = run_sitegen("--help", language=environ)
    assert shown.returncode == 0
    assert shown.stdout.startswith(usage)
    assert help_text in shown.stdout


def test_the_flag_forces_the_language_over_the_environment(minimal: Path) -> None:
    site = broken(minimal)
    english = run_sitegen("--lang", "en", "build", cwd=site, language=FRENCH)
    assert "the file is not valid UTF-8 text" in english.stderr
    french = run_sitegen("--lang=fr", "build", cwd=site, language={"LANG": "C"})
    assert "le fichier n’est pas du texte UTF-8 valide" in french.stderr
    variable = run_sitegen("build", cwd=site, language={"LANG": "C", "SITEGEN_LANG": "fr"})
    assert "le fichier n’est pas du texte UTF-8 valide" in variable.stderr
    assert english.returncode == french.returncode == variable.returncode == 1


def test_a_c_locale_is_english_and_a_wrong_flag_is_a_usage_error(minimal: Path) -> None:
    plain = run_sitegen("build", cwd=broken(minimal), language={"LANG": "C", "LANGUAGE": "fr"})
    assert "the file is not valid UTF-8 text" in plain.stderr
    wrong = run_sitegen("--lang", "de", "build", cwd=minimal)
    assert wrong.returncode == 2
    assert "argument --lang: invalid choice: 'de'" in wrong.stderr


def problems_of(stderr: str) -> list[tuple[str, str]]:
    return [(m["place"], m["message"]) for m in ERROR_HEAD.finditer(stderr)]


@pytest.mark.parametrize(
    ("site", "files", "english", "french"),
    [
        (
            "minimal",
            {"content/offres.md": "---\ntitle: Offres\ndrfat: true\n---\nTexte.\n"},
            ("content/offres.md:3", "unknown front matter key 'drfat'"),
            ("content/offres.md:3", f"clé d’en-tête inconnue{NNBSP}: «{NNBSP}drfat{NNBSP}»"),
        ),
        (
            "minimal",
            {"content/offres.md": "---\ntitle: Offres\ndate: demain\n---\nTexte.\n"},
            (
                "content/offres.md:3",
                "'date' must be a date such as 2026-11-11 or 2026-11-11T09:00:00+01:00",
            ),
            (
                "content/offres.md:3",
                f"«{NNBSP}date{NNBSP}» doit être une date comme 2026-11-11 "
                "ou 2026-11-11T09:00:00+01:00",
            ),
        ),
        (
            "minimal",
            {
                "site.yaml": "title: Minimal\nbase_url: https://minimal.example/\n"
                "languages: [en, {code: fr, fallback: [de]}]\ntimezone: UTC\n"
            },
            ("site.yaml:3", "fallback language 'de' is not in languages"),
            ("site.yaml:3", f"la langue de repli «{NNBSP}de{NNBSP}» n’est pas dans languages"),
        ),
        (
            "invalid/missing-link",
            {},
            ("content/about.md:6:18", "the link 'prices.md' points to a page that does not exist"),
            (
                "content/about.md:6:18",
                f"le lien «{NNBSP}prices.md{NNBSP}» mène à une page qui n’existe pas",
            ),
        ),
        (
            "invalid/undefined-variable",
            {},
            (
                "templates/page.html:4",
                "undefined value in template: 'dict object' has no attribute 'subtitle' "
                "(while rendering content/about.md)",
            ),
            (
                "templates/page.html:4",
                f"valeur non définie dans le gabarit{NNBSP}: 'dict object' has no attribute "
                "'subtitle' (pendant le rendu de content/about.md)",
            ),
        ),
        (
            "invalid/product-feed",
            {},
            ("data/products.csv:5:5", "the sale price 120 is not below the price 100"),
            ("data/products.csv:5:5", "le prix soldé 120 n’est pas inférieur au prix 100"),
        ),
    ],
)
def test_the_problems_a_marketer_meets_most_in_both_languages(
    copy_site,  # type: ignore[no-untyped-def]
    site: str,
    files: dict[str, str],
    english: tuple[str, str],
    french: tuple[str, str],
) -> None:
    """Front matter, site.yaml, links, templates and feeds, in the same
    place in both languages."""
    root = copy_site(site)
    for relative, text in files.items():
        (root / relative).write_text(text, encoding="utf-8")
    told = [run_sitegen("build", cwd=root, language=e) for e in (ENGLISH, FRENCH)]
    assert [r.returncode for r in told] == [1, 1]
    assert english in problems_of(told[0].stderr), told[0].stderr
    assert french in problems_of(told[1].stderr), told[1].stderr


def test_a_check_finding_and_the_summary_in_both_languages(minimal: Path) -> None:
    """A finding keeps its head ('error: FILE: page URL:') in both languages."""
    (minimal / "content" / "about.md").write_text(
        "---\ntitle: About\ndescription: A page.\n---\nSee [x](/nowhere/).\n", encoding="utf-8"
    )
    english = run_sitegen("check", cwd=minimal, language=ENGLISH)
    french = run_sitegen("check", cwd=minimal, language=FRENCH)
    assert english.returncode == french.returncode == 1
    head = "error: content/about.md: page /en/about/: "
    assert f"{head}the link /nowhere/ leads to no file of the output" in english.stderr
    assert f"{head}le lien /nowhere/ ne mène à aucun fichier de la sortie" in french.stderr
    assert re.search(r"^Checked \d+ pages and \d+ internal references: ", english.stdout, re.M)
    assert re.search(
        rf"^\d+ pages et \d+ références internes vérifiées{NNBSP}: ", french.stdout, re.M
    )


def test_an_output_refused_in_both_languages(minimal: Path) -> None:
    (minimal / "afile").write_text("x", encoding="utf-8")
    told = [
        run_sitegen("build", "--output", "afile", cwd=minimal, language=e)
        for e in (ENGLISH, FRENCH)
    ]
    assert [r.returncode for r in told] == [1, 1]
    assert "refusing to build into afile: it is a file" in told[0].stderr
    assert f"refus de construire dans afile{NNBSP}: c’est un fichier" in told[1].stderr


def test_a_deploy_refusal_in_both_languages(minimal: Path) -> None:
    (minimal / "afile").write_text("x", encoding="utf-8")
    told = [run_sitegen("deploy", "./afile", cwd=minimal, language=e) for e in (ENGLISH, FRENCH)]
    assert [r.returncode for r in told] == [1, 1]
    target = minimal / "afile"
    assert f"error: refusing to deploy to {target}: it is a file" in told[0].stderr
    assert "sitegen deploy: 1 problem; nothing was deployed." in told[0].stderr
    assert f"error: refus de déployer vers {target}{NNBSP}: c’est un fichier" in told[1].stderr
    assert f"sitegen deploy: 1 problème{NNBSP}; rien n’a été déployé." in told[1].stderr


def test_the_schedule_in_both_languages(minimal: Path) -> None:
    now = "2030-01-01T00:00:00+00:00"
    told = [
        run_sitegen("schedule", "--now", now, cwd=minimal, language=e) for e in (ENGLISH, FRENCH)
    ]
    assert [r.returncode for r in told] == [0, 0]
    assert told[0].stdout == f"No change is scheduled after {now}.\n"
    assert told[1].stdout == f"Aucun changement n’est prévu après {now}.\n"
