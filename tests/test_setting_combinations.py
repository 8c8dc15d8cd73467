"""Settings that interact, built together with the bundled theme and checked by
`sitegen check` (links, canonical URLs, hreflang, the sitemap, descriptions): the
root page, missing translations, French typography, pagination and the languages
(issue 22). Each combination is a small site with a paginated section and pages
left untranslated."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import page, run_sitegen, write_tree

COMBINATIONS = [
    # root_page, missing_translation, french_typography, per_page, languages
    ("chooser", "fallback", True, 2, "[fr, en]"),
    ("chooser", "omit", False, 24, "[fr, en]"),
    ("default_language", "fallback", False, 2, "[fr, en]"),
    ("default_language", "omit", True, 2, "[fr, en, de]"),
    ("chooser", "fallback", True, 24, "[fr, en, de]"),
    ("default_language", "fallback", True, 24, "[fr, en, de]"),
]


def combined_site(root: Path, combination: tuple[str, str, bool, int, str]) -> Path:
    root_page, missing, typography, per_page, languages = combination
    german = "de" in languages
    title = "{fr: Boutique, en: Shop, de: Laden}" if german else "{fr: Boutique, en: Shop}"
    described = "{fr: Une boutique, en: A shop" + (", de: Ein Laden}" if german else "}")
    config = (
        f"title: {title}\n"
        f"description: {described}\n"
        "base_url: https://shop.example/\n"
        f"languages: {languages}\n"
        "default_language: fr\n"
        "timezone: Europe/Paris\n"
        "theme: double11\n"
        f"root_page: {root_page}\n"
        f"missing_translation: {missing}\n"
        f"french_typography: {str(typography).lower()}\n"
        f"pagination: {{per_page: {per_page}}}\n"
    )
    files = {
        "site.yaml": config,
        "content/index.fr.md": page("Accueil", "Bonjour : la boutique !", description="Bienvenue"),
        "content/index.en.md": page("Home", "Hello: the shop!", description="Welcome"),
        "content/news/index.fr.md": page("Actualités", description="Les nouvelles", slug="actu"),
        "content/news/index.en.md": page("News", description="The news"),
    }
    if german:
        files["content/index.de.md"] = page("Start", "Hallo: der Laden!", description="Willkommen")
    for number in range(1, 6):
        files[f"content/news/n{number}.fr.md"] = page(
            f"Nouvelle {number}",
            f"Texte {number} : court.",
            description=f"La nouvelle {number}",
            date=f"2026-11-0{number}",
        )
    files["content/news/n1.en.md"] = page(
        "News 1", "Text.", description="News one", date="2026-11-01"
    )
    return write_tree(root, files)


@pytest.mark.parametrize("combination", COMBINATIONS, ids=lambda c: "-".join(map(str, c)))
def test_every_combination_builds_a_site_sitegen_check_passes(
    tmp_path: Path, combination: tuple[str, str, bool, int, str]
) -> None:
    site = combined_site(tmp_path / "site", combination)
    output = tmp_path / "output"
    result = run_sitegen("check", site, "--output", output)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problems" in result.stdout
    root_page, missing, typography, per_page, _ = combination
    untranslated = output / "en" / "news" / "n2" / "index.html"
    assert untranslated.exists() == (missing == "fallback")
    assert (output / "fr" / "actu" / "page" / "3" / "index.html").exists() == (per_page == 2)
    root = (output / "index.html").read_text("utf-8")
    home = (output / "fr" / "index.html").read_text("utf-8")
    assert (root == home) == (root_page == "default_language")
    assert ("Bonjour\u202f:" in home) == typography
