"""`sitegen new`: a starter site that builds as it is, in every phase of its campaign,
and never writes into a folder that holds something."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from bs4 import BeautifulSoup

from sitegen.commands import scaffold
from tests.conftest import (
    THEME,
    assert_legal_pages_in_every_footer,
    broken_links,
    hreflang_problems,
    parse_html,
    run_sitegen,
    snapshot,
)

PARIS = ZoneInfo("Europe/Paris")
BEIJING = ZoneInfo("Asia/Shanghai")
LANGUAGES = ("fr", "en")
ARTICLES = {"fr": "fr/coulisses/index.html", "en": "en/behind-the-scenes/index.html"}


def ok(*args: str | Path, cwd: Path | None = None) -> str:
    result = run_sitegen(*args, cwd=cwd)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == "", result.stderr  # no warnings either
    return result.stdout


def campaign_ends(site: Path) -> dt.datetime:
    settings = yaml.safe_load((site / "site.yaml").read_text("utf-8"))
    return dt.datetime.fromisoformat(str(settings["campaign"]["ends"])).replace(tzinfo=BEIJING)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("new") / "demo"
    ok("new", folder)
    return folder


@pytest.fixture(scope="module")
def output(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The new site built at the clock's now, as a user would right after `new`."""
    folder = tmp_path_factory.mktemp("built") / "output"
    summary = ok("build", site, "--output", folder)
    assert summary.startswith("Built 8 pages (4 fr, 4 en)")
    return folder


def main_of(output: Path, relative: str) -> BeautifulSoup:
    main = parse_html(output / relative).find("main")
    assert main is not None, relative
    return main


# ---------------------------------------------------------------- the new site builds


@pytest.mark.parametrize("lang", LANGUAGES)
def test_landing_page_has_countdown_spotlight_and_product_grid(output: Path, lang: str) -> None:
    main = main_of(output, f"{lang}/index.html")
    countdown = main.select_one("section.countdown[data-countdown]")
    assert countdown is not None
    assert countdown.find("time", datetime=True) is not None
    # Placed from Markdown only: the layout's own countdown and deals are turned off.
    assert len(main.select("section.countdown")) == 1
    merchants = main.select("section.spotlight .merchant-card")
    assert len(merchants) == 2
    products = main.select("section.products .product-card")
    assert len(products) == 6
    assert main.select_one("#products-inline") is not None  # the hero's button leads there


def test_prices_are_written_the_way_each_language_writes_them(output: Path) -> None:
    french = main_of(output, "fr/index.html").get_text(" ")
    english = main_of(output, "en/index.html").get_text(" ")
    assert re.search(r"4,90\u00a0€", french)
    assert "€4.90" in english


def test_the_legal_notice_and_privacy_policy_are_in_every_footer(output: Path) -> None:
    assert_legal_pages_in_every_footer(output)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_article_exists_in_both_languages(output: Path, lang: str) -> None:
    soup = parse_html(output / ARTICLES[lang])
    assert soup.html["lang"] == lang
    assert soup.select_one("main article.article h1") is not None
    other = "en" if lang == "fr" else "fr"
    other_url = "/" + ARTICLES[other].removesuffix("index.html")
    assert soup.find("a", hreflang=other, href=other_url) is not None
    assert soup.find("script", type="application/ld+json") is not None


def test_hreflang_alternates_and_links(output: Path) -> None:
    assert hreflang_problems(output, "https://example.com/") == []
    assert broken_links(output) == []


def test_sitegen_check_finds_nothing_to_mend_in_a_new_site(site: Path) -> None:
    """The first command a careful user runs before publishing: the starter's shop
    links live on other hosts than the site's own, so none is taken for a page."""
    result = run_sitegen("check", site)
    assert result.returncode == 0, result.stderr
    assert "no problems" in result.stdout


def test_every_page_has_one_h1_and_images_have_alt_text(output: Path) -> None:
    for path in sorted(output.rglob("*.html")):
        soup = parse_html(path)
        assert len(soup.find_all("h1")) == 1, path
        for image in soup.find_all("img"):
            assert image.has_attr("alt"), (path, image)


PHASES = {
    "before": (1, 5, 12),
    "teaser": (10, 25, 12),
    "live": (11, 11, 12),
    "after": (11, 20, 12),
}


@pytest.mark.parametrize("phase", PHASES)
def test_it_builds_in_every_phase_of_its_campaign(site: Path, tmp_path: Path, phase: str) -> None:
    month, day, hour = PHASES[phase]
    now = dt.datetime(campaign_ends(site).year, month, day, hour, tzinfo=BEIJING)
    ok("build", site, "--output", tmp_path / "out", "--now", now.isoformat())
    for lang in LANGUAGES:
        countdown = main_of(tmp_path / "out", f"{lang}/index.html").select_one("section.countdown")
        assert countdown is not None
        shown = countdown.select(".countdown__head:not([hidden])")
        assert [head["class"][-1] for head in shown] == [f"countdown__head--{phase}"]


def test_translations_are_complete_and_stamped(site: Path) -> None:
    result = run_sitegen("i18n", "status", site, "--min", "100")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "not stamped" not in result.stdout
    # The starter's stamps match its originals: stamping again changes nothing.
    stamped = ok("i18n", "stamp", site, "--all")
    assert stamped.count("already stamped") == 4, stamped


def test_what_it_wrote(site: Path) -> None:
    files = snapshot(site)
    assert {"site.yaml", ".gitignore", "data/products.csv", "data/merchants.yaml"} <= set(files)
    assert {"content/index.fr.md", "content/index.en.md"} <= set(files)
    ignored = files[".gitignore"].decode().split()
    assert {"output/", ".sitegen-cache/"} <= set(ignored)
    for name, data in files.items():
        assert b"__YEAR__" not in data and b"__TODAY__" not in data, name
    products = files["data/products.csv"].decode().strip().splitlines()
    assert len(products) - 1 == 6
    assert "name.fr" in products[0] and "name.en" in products[0]


def test_the_campaign_is_the_next_double_11(site: Path) -> None:
    ends = campaign_ends(site)
    assert (ends.month, ends.day, ends.hour) == (11, 12, 0)
    assert ends.year == scaffold.campaign_year(dt.datetime.now(dt.UTC))
    assert ends > dt.datetime.now(dt.UTC)
    settings = yaml.safe_load((site / "site.yaml").read_text("utf-8"))
    assert settings["timezone"] == "Europe/Paris"
    assert settings["campaign"]["timezone"] == "Asia/Shanghai"
    assert settings["theme"] == "double11"
    assert [language["code"] for language in settings["languages"]] == ["fr", "en"]
    assert settings["default_language"] == "fr"


def test_it_says_what_to_run_next(tmp_path: Path) -> None:
    result = run_sitegen("new", "my site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert "cd 'my site'" in lines
    assert any(line.startswith("sitegen serve") for line in lines)
    assert "sitegen build" in result.stdout
    assert (tmp_path / "my site" / "site.yaml").is_file()


# ---------------------------------------------------------------- where it may write


def test_an_existing_empty_folder_is_fine(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    ok("new", "empty", cwd=tmp_path)
    assert (tmp_path / "empty" / "site.yaml").is_file()


def test_missing_parent_folders_are_made(tmp_path: Path) -> None:
    ok("new", tmp_path / "a" / "b" / "site")
    assert (tmp_path / "a" / "b" / "site" / "content" / "index.fr.md").is_file()


def test_a_folder_that_is_not_empty_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", "utf-8")
    (folder / ".hidden").mkdir()
    before = snapshot(folder)
    result = run_sitegen("new", "taken", cwd=tmp_path)
    assert result.returncode == 1
    assert "taken: this folder is not empty" in result.stderr
    assert "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert snapshot(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == [".hidden", "notes.txt"]


def test_a_file_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "site"
    file.write_text("not a folder", "utf-8")
    result = run_sitegen("new", file)
    assert result.returncode == 1
    assert f"{file}: this is a file, not a folder" in result.stderr
    assert file.read_text("utf-8") == "not a folder"
    assert sorted(tmp_path.iterdir()) == [file]


def test_new_needs_a_name() -> None:
    result = run_sitegen("new")
    assert result.returncode == 2
    assert "NAME" in result.stderr


# ---------------------------------------------------------------- the campaign's year


@pytest.mark.parametrize(
    ("now", "year"),
    [
        (dt.datetime(2026, 11, 28, 9, 0, tzinfo=PARIS), 2027),
        (dt.datetime(2027, 1, 5, 12, 0, tzinfo=PARIS), 2027),
        # On the day itself the campaign is still on: it is this year's.
        (dt.datetime(2027, 11, 11, 0, 0, tzinfo=BEIJING), 2027),
        (dt.datetime(2027, 11, 11, 12, 0, tzinfo=PARIS), 2027),
        (dt.datetime(2027, 11, 11, 23, 59, tzinfo=BEIJING), 2027),
        # It ends at 00:00 on 12 November in Beijing: 17:00 on the 11th in Paris.
        (dt.datetime(2027, 11, 12, 0, 0, tzinfo=BEIJING), 2028),
        (dt.datetime(2027, 11, 11, 17, 0, tzinfo=PARIS), 2028),
        (dt.datetime(2027, 12, 31, 23, 0, tzinfo=PARIS), 2028),
    ],
)
def test_campaign_year_is_that_of_the_next_double_11_not_yet_over(
    now: dt.datetime, year: int
) -> None:
    assert scaffold.campaign_year(now) == year


def test_campaign_year_needs_an_aware_instant() -> None:
    with pytest.raises(ValueError):
        scaffold.campaign_year(dt.datetime(2027, 1, 5))


def test_the_year_and_the_day_are_filled_in(tmp_path: Path) -> None:
    now = dt.datetime(2027, 11, 28, 9, 0, tzinfo=PARIS)
    made = scaffold.create_site(tmp_path / "site", now)
    assert made.year == 2028
    assert "ends: 2028-11-12 00:00" in (made.root / "site.yaml").read_text("utf-8")
    assert "2028-11-12T00:00+08:00" in (made.root / "data" / "products.csv").read_text("utf-8")
    article = (made.root / "content" / "getting-ready.fr.md").read_text("utf-8")
    assert "\ndate: 2027-11-28\n" in article
    assert set(made.files) == set(snapshot(made.root))


# ---------------------------------------------------------------- the bundled theme


def test_the_new_site_uses_the_theme_bundled_with_sitegen(site: Path, output: Path) -> None:
    assert not (site / "themes").exists()
    assert (output / "css" / "site.css").read_bytes() == (
        THEME / "static" / "css" / "site.css"
    ).read_bytes()


def test_a_site_theme_folder_overrides_the_bundled_theme(site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    copy.mkdir()
    for relative, data in snapshot(site).items():
        (copy / relative).parent.mkdir(parents=True, exist_ok=True)
        (copy / relative).write_bytes(data)
    local = copy / "themes" / "double11"
    for relative, data in snapshot(THEME).items():
        (local / relative).parent.mkdir(parents=True, exist_ok=True)
        (local / relative).write_bytes(data)
    footer = local / "templates" / "partials" / "footer.html"
    footer.write_text('<footer class="local-theme">{{ site.title }}</footer>\n', "utf-8")
    ok("build", copy, "--output", tmp_path / "out")
    assert parse_html(tmp_path / "out" / "fr" / "index.html").select_one("footer.local-theme")

    # A template of the site's own templates/ wins over both.
    templates = copy / "templates" / "partials"
    templates.mkdir(parents=True)
    (templates / "footer.html").write_text('<footer class="site-own"></footer>\n', "utf-8")
    ok("build", copy, "--output", tmp_path / "out")
    home = parse_html(tmp_path / "out" / "fr" / "index.html")
    assert home.select_one("footer.site-own") is not None
    assert home.select_one("footer.local-theme") is None
