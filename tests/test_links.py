"""Tracking parameters on outbound links."""

from __future__ import annotations

from pathlib import Path

from sitegen.sources.links import add_tracking
from tests.conftest import BILINGUAL_CONFIG, page, run_sitegen, write_tree

UTM = {"utm_source": "site", "utm_medium": "referral", "utm_campaign": "d11 2027"}


def test_parameters_follow_the_existing_query_untouched() -> None:
    assert add_tracking("https://shop.example/p?ref=a%20b&x=1#top", UTM, "me.example") == (
        "https://shop.example/p?ref=a%20b&x=1"
        "&utm_source=site&utm_medium=referral&utm_campaign=d11%202027#top"
    )


def test_existing_utm_parameters_win() -> None:
    assert add_tracking("https://shop.example/?utm_campaign=own", UTM, "me.example") == (
        "https://shop.example/?utm_campaign=own&utm_source=site&utm_medium=referral"
    )


def test_only_outbound_http_links_are_touched() -> None:
    for url in ["/fr/", "mailto:a@b.c", "https://me.example/fr/", "#top", "tel:+33"]:
        assert add_tracking(url, UTM, "me.example") == url


def test_track_in_templates_per_language_and_page(tmp_path: Path) -> None:
    site = write_tree(
        tmp_path,
        {
            "site.yaml": BILINGUAL_CONFIG
            + "tracking:\n  utm_source: d11\n  utm_medium: referral\n"
            + "  utm_campaign: {fr: d11-fr, en: d11-en}\n",
            "content/offer.fr.md": page("Offre"),
            "content/offer.en.md": page("Offer"),
            "templates/page.html": "<a href=\"{{ track('https://shop.example/?a=1') }}\">x</a>",
        },
    )
    assert run_sitegen("build", site).returncode == 0
    french = (site / "output" / "fr" / "offer" / "index.html").read_text()
    english = (site / "output" / "en" / "offer" / "index.html").read_text()
    base = "https://shop.example/?a=1&amp;utm_source=d11&amp;utm_medium=referral"
    assert f'href="{base}&amp;utm_campaign=d11-fr&amp;utm_content=offer"' in french
    assert f'href="{base}&amp;utm_campaign=d11-en&amp;utm_content=offer"' in english
