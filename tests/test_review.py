"""`sitegen review`: the site built in every phase, every page shot in every language
at every width in Chromium, and the contact sheet that shows them (tests/sites/review:
two pages in French and English, a campaign of one phase, an offer that expires when
it ends)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import stat
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup, Tag
from PIL import Image

from sitegen.base.progress import DELAY_VARIABLE
from sitegen.building.buildcontract import BuildOptions, BuiltPage
from sitegen.building.pipeline import build
from sitegen.commands import cli
from sitegen.commands.review_plan import (
    DEFAULT_REVIEW,
    Moment,
    Row,
    Viewport,
    moments,
    page_name,
    rows,
    selected,
    viewport,
)
from sitegen.commands.review_sheet import Cell, Sheet, contact_sheet
from sitegen.commands.review_shots import default_browser, thumbnail, unsafe_browser
from sitegen.settings.campaign import Campaign, Phase
from tests.conftest import parse_html, run_sitegen, write_tree

PARIS = ZoneInfo("Europe/Paris")
MOMENTS = {
    "before": dt.datetime(2027, 11, 10, tzinfo=PARIS),
    "live": dt.datetime(2027, 11, 11, 12, tzinfo=PARIS),
    "after": dt.datetime(2027, 11, 13, tzinfo=PARIS),
}
"""The instants the review builds tests/sites/review at: a day before the campaign,
the middle of its one phase, a day after its end."""
BANDS = {"before": (204, 0, 0), "live": (0, 170, 0), "after": (0, 0, 204)}
"""The colour of the band the fixture's template draws at the top, by phase."""
CLOCK_GREEN = (0, 255, 0)
"""The colour of the fixture's clock box when the browser's Date.now() is the build's."""
PAGES = {"home": {"fr": "/shop/fr/", "en": "/shop/en/"}}
OFFER = {"fr": "/shop/fr/offre/", "en": "/shop/en/offer/"}
WIDTHS = {"390x844": 390, "1440x900": 1440}


# ---------------------------------------------------------------- the whole command


class _Recorder(BaseHTTPRequestHandler):
    """A server of another origin that a shot must never reach."""

    def __init__(self, *args: object, seen: list[str], **kwargs: object) -> None:
        self.seen = seen
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        self.seen.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def elsewhere() -> Iterator[tuple[str, list[str]]]:
    """(the URL of a server on another port of this machine, the paths asked of it)."""
    seen: list[str] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Recorder, seen=seen))
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def _sheet(review: Path) -> BeautifulSoup:
    return parse_html(review / "index.html")


def _text(tag: Tag, name: str) -> str:
    value = tag[name]
    assert isinstance(value, str)
    return value


@pytest.mark.browser
def test_the_sheet_has_a_real_shot_of_every_page_in_every_language_phase_and_width(
    copy_site, elsewhere: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = copy_site("review")
    url, seen = elsewhere
    base = site / "templates" / "base.html"
    base.write_text(
        base.read_text("utf-8").replace(
            "</main>",
            f'<img src="{url}/leak.png" alt=""><script>new WebSocket("ws{url[4:]}/ws")</script>'
            "</main>",
        ),
        "utf-8",
    )
    monkeypatch.setenv(DELAY_VARIABLE, "0")
    result = run_sitegen("review", site)
    assert result.returncode == 0, result.stderr
    review = site / DEFAULT_REVIEW
    assert "20 screenshots in" in result.stdout and str(review / "index.html") in result.stdout
    for line in ("building before: 4 pages", "building after: 2 pages", "shooting: 20 screenshots"):
        assert line in result.stderr, result.stderr
    assert seen == []  # the image and the socket of another origin were refused, as was the font

    sheet = _sheet(review)
    cells = sheet.select("td[data-lang]")
    assert len(cells) == 2 * 2 * 3 * 2  # rows × languages × phases × widths
    shot_keys = set()
    for cell in cells:
        lang, moment, width = (_text(cell, f"data-{key}") for key in ("lang", "moment", "viewport"))
        links = cell.select("a")
        if "missing" in cell["class"]:
            assert moment == "after" and not links  # the offer has expired
            assert cell.get_text(strip=True) == "No such page in this phase."
            continue
        image_link, page_link = links
        shot, page_file = _text(image_link, "href"), _text(page_link, "href")
        name = shot.removeprefix(f"shots/{moment}/{width}/").removesuffix(".png")
        assert page_file == f"sites/{moment}/{name}/index.html"
        assert page_link.get_text() in (PAGES["home"][lang], OFFER[lang])
        shot_keys.add((page_link.get_text(), moment, width))
        built = parse_html(review / page_file)
        assert built.html is not None and built.html["lang"] == lang
        assert built.title is not None
        img = image_link.img
        assert img is not None and img["alt"] == built.title.get_text()
        assert (review / _text(img, "src")).is_file()
        with Image.open(review / shot) as png:
            assert png.format == "PNG"
            assert png.width == WIDTHS[width]  # the window's width at a device scale of 1
            pixels = png.convert("RGB")
            assert pixels.getpixel((5, 5)) == BANDS[moment]  # built in that phase
            assert pixels.getpixel((20, 60)) == CLOCK_GREEN  # and shot at its instant
    assert len(shot_keys) == 20

    headings = [" ".join(th.get_text(" ").split()) for th in sheet.select("thead tr")[1]("th")]
    assert headings == 2 * [
        f"{label} {instant.isoformat(sep=' ', timespec='minutes')}"
        for label, instant in MOMENTS.items()
    ]
    # The review folder is no input of the site: a build neither reads nor lists it.
    output = build(BuildOptions(site, output=site / "output", now=MOMENTS["live"])).output
    assert not any("review" in path.relative_to(output).parts for path in output.rglob("*"))


@pytest.mark.browser
def test_at_page_and_width_choose_what_is_shot_and_a_second_review_replaces_the_first(
    copy_site, tmp_path: Path
) -> None:
    site = copy_site("review")
    review = tmp_path / "signed-off"
    result = run_sitegen(
        "review",
        site,
        "--output",
        review,
        "--at",
        "2027-11-11T08:00",
        "--page",
        "/shop/fr/offre",
        "--width",
        "320x640",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Reviewed 1 page at live: 2 screenshots in ")
    cells = _sheet(review).select("td.shot")
    assert [(cell["data-lang"], cell["data-moment"], cell["data-viewport"]) for cell in cells] == [
        ("fr", "live", "320x640"),
        ("en", "live", "320x640"),
    ]
    assert [cell.figcaption.get_text() for cell in cells if cell.figcaption] == [
        OFFER["fr"],
        OFFER["en"],
    ]
    with Image.open(review / "shots/live/320x640/fr/offre.png") as png:
        assert png.width == 320

    again = run_sitegen(
        "review",
        site,
        "-o",
        review,
        "--at",
        "2027-11-13",
        "--page",
        "/shop/*/",
        "--width",
        "320x640",
        "-q",
    )
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    sheet = _sheet(review)
    assert {cell["data-moment"] for cell in sheet.select("td.shot")} == {"after"}
    assert len(sheet.select("td.shot")) == 2  # the home page, in both languages
    assert not (review / "shots" / "live").exists()


@pytest.mark.browser
def test_a_browser_that_does_not_start_is_said_so(copy_site) -> None:
    site = copy_site("review")
    result = run_sitegen("review", site, "--browser", "/bin/false", "--at", "2027-11-11")
    assert result.returncode == 1
    assert "sitegen review: cannot start /bin/false" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site / DEFAULT_REVIEW).exists()


# ---------------------------------------------------------------- refusals, in process


def test_without_playwright_it_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "playwright", None)
    assert cli.main(["review", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        "sitegen review needs Playwright, which is not installed: pip install 'sitegen[review]'\n"
    )


def test_unsafe_review_folders_are_refused(
    copy_site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = copy_site("review")
    assert cli.main(["review", str(site), "--output", str(site)]) == 1
    assert "refusing to build into" in capsys.readouterr().err
    assert cli.main(["review", str(site), "--output", str(site / "content" / "shots")]) == 1
    assert "it is inside content/" in capsys.readouterr().err
    someone_elses = tmp_path / "photos"
    someone_elses.mkdir()
    (someone_elses / "holiday.png").write_bytes(b"mine")
    assert cli.main(["review", str(site), "--output", str(someone_elses)]) == 1
    assert "sitegen did not create it" in capsys.readouterr().err
    assert [path.name for path in someone_elses.iterdir()] == ["holiday.png"]


def _program(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 1\n", "utf-8")
    path.chmod(0o755)
    return path


def test_unsafe_browsers_are_refused_before_anything_is_built(
    copy_site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = copy_site("review")
    review = tmp_path / "shots"
    for browser, reason in [
        ("chromium", "give its absolute path, such as /usr/bin/chromium"),
        (_program(site / "static" / "chromium"), "it is inside the site folder"),
        (_program(review / "chromium"), "it is inside the review folder"),
    ]:
        assert cli.main(["review", str(site), "-o", str(review), "--browser", str(browser)]) == 2
        err = capsys.readouterr().err
        assert err == f"sitegen review: refusing to run the browser {browser}: {reason}\n"
    assert list(review.iterdir()) == [review / "chromium"]


def test_what_makes_a_browser_unsafe(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    folders = {"the site folder": site}
    program = _program(tmp_path / "bin" / "chromium")
    assert unsafe_browser(program, folders) is None
    linked = site / "chromium"
    linked.symlink_to(program)  # a site's files could point it elsewhere later
    assert unsafe_browser(linked, folders) == "it is inside the site folder"
    leading_in = tmp_path / "bin" / "into-site"
    leading_in.symlink_to(_program(site / "bin" / "chrome"))
    assert unsafe_browser(leading_in, folders) == "it is inside the site folder"
    assert unsafe_browser(tmp_path / "bin" / "none", folders) == "no such file"
    assert unsafe_browser(tmp_path / "bin", folders) == "it is not a file"
    program.chmod(0o644)
    assert unsafe_browser(program, folders) == "it is not executable"
    program.chmod(0o757)
    assert unsafe_browser(program, folders) == "anyone may write it"
    assert stat.S_IMODE(os.stat(program).st_mode) == 0o757


def test_default_browser_is_debians_chromium_when_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitegen.commands import review_shots

    chromium = _program(tmp_path / "chromium")
    monkeypatch.setattr(review_shots, "DEBIAN_CHROMIUM", chromium)
    assert default_browser() == chromium
    monkeypatch.setattr(review_shots, "DEBIAN_CHROMIUM", tmp_path / "none")
    assert default_browser() is None  # Playwright's own


def test_a_site_that_does_not_build_is_reported_with_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_tree(
        tmp_path / "site",
        {"content/index.fr.md": "---\ntitle: [oops\n---\n", "templates/home.html": "x"},
    )
    assert cli.main(["review", str(site), "--jobs", "1"]) == 1
    err = capsys.readouterr().err
    assert "content/index.fr.md:3:1: invalid YAML" in err
    assert "Traceback" not in err
    assert not (site / DEFAULT_REVIEW).exists()


def test_a_page_pattern_that_matches_nothing_is_wrong_use(
    copy_site, capsys: pytest.CaptureFixture[str]
) -> None:
    site = copy_site("review")
    assert cli.main(["review", str(site), "--page", "/shop/de/*", "--jobs", "1"]) == 2
    assert capsys.readouterr().err == "sitegen review: no page matches --page /shop/de/*\n"
    assert not (site / DEFAULT_REVIEW).exists()


# ---------------------------------------------------------------- the plan, the sheet


CAMPAIGN = Campaign(
    timezone=ZoneInfo("Asia/Shanghai"),
    phases=(
        Phase(
            "teaser",
            dt.datetime(2027, 10, 20, tzinfo=ZoneInfo("Asia/Shanghai")),
            dt.datetime(2027, 11, 11, tzinfo=ZoneInfo("Asia/Shanghai")),
        ),
        Phase(
            "live",
            dt.datetime(2027, 11, 11, tzinfo=ZoneInfo("Asia/Shanghai")),
            dt.datetime(2027, 11, 12, tzinfo=ZoneInfo("Asia/Shanghai")),
        ),
    ),
)


def test_one_instant_in_each_phase() -> None:
    found = moments(CAMPAIGN, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), [])
    assert [(moment.label, moment.phase, moment.instant.isoformat()) for moment in found] == [
        ("before", "before", "2027-10-19T00:00:00+08:00"),
        ("teaser", "teaser", "2027-10-31T00:00:00+08:00"),
        ("live", "live", "2027-11-11T12:00:00+08:00"),
        ("after", "after", "2027-11-13T00:00:00+08:00"),
    ]


def test_instants_given_are_sorted_and_labelled_by_their_phase() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    given = [dt.datetime(2027, 11, 11, hour, tzinfo=shanghai) for hour in (20, 1, 20)]
    found = moments(CAMPAIGN, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), given)
    assert [(moment.label, moment.instant.hour) for moment in found] == [
        ("live", 1),
        ("live-2", 20),
    ]
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert moments(None, now, []) == (Moment("site", None, now),)


def test_window_sizes() -> None:
    assert viewport("390x844") == Viewport(390, 844)
    assert viewport(" 1440 × 900 ").name == "1440x900"
    for wrong in ("390", "0x844", "390x", "99999x1", "wide"):
        with pytest.raises(Exception, match="is not a window size"):
            viewport(wrong)


def _page(url: str, lang: str, key: str) -> BuiltPage:
    return BuiltPage(url.lstrip("/") + "index.html", url, lang, (key, 1))


def test_rows_gather_a_page_in_every_language_and_patterns_choose_them() -> None:
    live = Moment("live", "live", dt.datetime(2027, 11, 11, tzinfo=dt.UTC))
    after = Moment("after", "after", dt.datetime(2027, 11, 13, tzinfo=dt.UTC))
    home = [_page("/fr/", "fr", "index"), _page("/en/", "en", "index")]
    offer = [_page("/fr/offre/", "fr", "offer"), _page("/en/offer/", "en", "offer")]
    found = rows([(live, [*home, *offer]), (after, home)])
    assert [row.key for row in found] == [("index", 1), ("offer", 1)]
    assert set(found[1].pages) == {("live", "fr"), ("live", "en")}
    assert found[0].urls == {"fr": "/fr/", "en": "/en/"}
    chosen, unmatched = selected(found, ["/en/offer", "/de/*"])
    assert chosen == [found[1]] and unmatched == ["/de/*"]
    assert selected(found, ["/*/"])[0] == found
    assert selected(found, [])[0] == found
    assert page_name(home[0]) == "fr"
    assert page_name(BuiltPage("index.html", "/", "fr", ("", 1))) == "index"


def test_the_sheet_escapes_what_pages_say(tmp_path: Path) -> None:
    moment = Moment("live", "live", dt.datetime(2027, 11, 11, tzinfo=dt.UTC))
    row = Row(("x", 1), {("live", "fr"): _page("/fr/<x>/", "fr", "x")})
    cell = Cell(
        "shots/a b.png", "thumbnails/a.jpg", (240, 500), "sites/live/x.html", "/fr/x/", "<b>"
    )
    html = contact_sheet(
        Sheet(
            "T",
            ["fr", "en"],
            [moment],
            [Viewport(390, 844)],
            [row],
            {(row.key, "fr", "live", "390x844"): cell},
        )
    )
    soup = BeautifulSoup(html, "html.parser")
    assert soup.img is not None and soup.img["alt"] == "<b>"
    assert soup.select_one("td.shot a")["href"] == "shots/a%20b.png"
    assert soup.select_one("td.missing").get_text() == "No such page in this phase."
    assert "<x>" not in html and soup.select_one("th[scope=row]").get_text("|") == "<b>|/fr/<x>/"


def test_a_thumbnail_is_the_first_screen_made_smaller() -> None:
    for width, expected in [(1440, 360), (390, 240), (200, 200)]:
        screen = io.BytesIO()
        Image.new("RGB", (width, 900), "red").save(screen, "JPEG")
        small, size = thumbnail(screen.getvalue())
        with Image.open(io.BytesIO(small)) as image:
            assert image.format == "JPEG" and image.size == size
        assert size[0] == expected
