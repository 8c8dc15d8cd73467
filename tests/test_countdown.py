"""The live countdown of the double11 theme, on the bundled example's campaign.

At build time (JavaScript off) the home pages show the phase of `--now` and the next
boundary, and nothing that goes stale (no time left: a page built at 17:00 would be
wrong a minute later); in headless Chromium, with Playwright's controlled clock,
static/js/countdown.js shows the time left, switches the phase blocks when a boundary
passes, without a reload, and keeps the numbers right (every second, or every minute
under prefers-reduced-motion)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from playwright.sync_api import Browser, Page, Route

from sitegen.rendering.assets import Assets
from tests.conftest import REPO, THEME, parse_html, run_sitegen, serve

SCRIPT = THEME / "static" / "js" / "countdown.js"
COUNTDOWN_SCRIPT = re.compile(r"/_assets/js/countdown\.[0-9a-f]{10}\.js")
"""Where the pages load the script from: its hashed, minified copy."""
LANGUAGES = ("fr", "en")
SECOND = dt.timedelta(seconds=1)
UNITS = ("days", "hours", "minutes")

# ---------- the example's timeline, read from site.yaml on its own ----------


def _instant(value: object, zone: ZoneInfo) -> dt.datetime:
    instant = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return instant if instant.tzinfo else instant.replace(tzinfo=zone)


def boundaries() -> list[tuple[dt.datetime, str]]:
    """(instant, phase that begins then) for every boundary, the end ("after") included."""
    campaign = yaml.safe_load((REPO / "site.yaml").read_text("utf-8"))["campaign"]
    zone = ZoneInfo(campaign["timezone"])
    starts = [(_instant(p["starts"], zone), p["name"]) for p in campaign["phases"]]
    return [*starts, (_instant(campaign["ends"], zone), "after")]


BOUNDARIES = boundaries()
LIVE_START = next(instant for instant, name in BOUNDARIES if name == "live")


def expected_at(now: dt.datetime) -> tuple[str, dt.datetime | None]:
    """The phase at `now` and the next boundary, as the countdown should show them."""
    phase = "before"
    for instant, name in BOUNDARIES:
        if instant <= now:
            phase = name
    upcoming = [instant for instant, _ in BOUNDARIES if instant > now]
    return phase, upcoming[0] if upcoming else None


def left_at(now: dt.datetime, target: dt.datetime | None) -> list[int]:
    """[days, hours, minutes] left to `target`, rounded down; zeros once there is none."""
    if target is None:
        return [0, 0, 0]
    minutes = int((target - now).total_seconds()) // 60
    return [minutes // 1440, minutes // 60 % 24, minutes % 60]


# ---------- the HTML as built ----------


@pytest.fixture(scope="module")
def build(
    tmp_path_factory: pytest.TempPathFactory, example_site: Path
) -> Callable[[dt.datetime], Path]:
    """Build the example as it is at an instant (once per instant), into a scratch folder."""
    built: dict[str, Path] = {}

    def at(now: dt.datetime) -> Path:
        key = now.isoformat()
        if key not in built:
            output = tmp_path_factory.mktemp("countdown") / "output"
            result = run_sitegen("build", example_site, "--output", output, "--now", key)
            assert result.returncode == 0, result.stderr
            built[key] = output
        return built[key]

    return at


def is_hidden(element: Tag) -> bool:
    return element.has_attr("hidden") or any(p.has_attr("hidden") for p in element.parents)


def unit_texts(countdown: Tag) -> list[str]:
    return [countdown.find(attrs={"data-unit": unit}).get_text() for unit in UNITS]


SIDES = [
    pytest.param(instant + offset, id=f"{name}{'-1s' if offset < dt.timedelta(0) else '+1s'}")
    for instant, name in BOUNDARIES
    for offset in (-SECOND, SECOND)
]


@pytest.mark.parametrize("now", SIDES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_homes_show_the_phase_and_next_boundary_of_the_build(
    build: Callable[[dt.datetime], Path], now: dt.datetime, lang: str
) -> None:
    phase, target = expected_at(now)
    home = parse_html(build(now) / lang / "index.html")
    marked = home.select("[data-phase]")
    assert marked, "phase-aware elements are marked with data-phase"
    for element in marked:
        phases = element["data-phase"].split()
        assert element.has_attr("hidden") == (phase not in phases), (phase, element.name, phases)
    # something of this phase is shown, in the Markdown and in the countdown
    assert [b for b in home.select("div.phase[data-phase]") if not is_hidden(b)]
    countdown = home.select_one("[data-countdown]")
    assert countdown is not None
    heads = [h for h in countdown.select("[data-phase] h2") if not is_hidden(h)]
    without_script = [h for h in heads if not h.find_parent(class_="countdown__running")]
    assert len(without_script) == 1 and without_script[0].get_text(strip=True)
    times = [t for t in countdown.find_all("time") if not is_hidden(t)]
    if target is None:
        assert times == []
    else:
        assert len(times) == 1
        assert dt.datetime.fromisoformat(times[0]["datetime"]) == target
    # the time left is the script's: the page holds none, built at any second
    assert unit_texts(countdown) == ["", "", ""]
    assert "countdown__running" in countdown.select_one(".countdown__units")["class"]
    assert countdown.find(attrs={"aria-live": "polite"}) is not None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_target_is_written_in_both_time_zones(
    build: Callable[[dt.datetime], Path], lang: str
) -> None:
    home = parse_html(build(LIVE_START - 60 * SECOND) / lang / "index.html")
    time = next(t for t in home.select("[data-countdown] time") if not is_hidden(t))
    text = time.get_text(" ", strip=True)
    if lang == "fr":
        assert re.search(r"11\s+novembre\s+2027,\s+0\s+h\s+\(heure\s+de\s+Pékin\)", text), text
        assert re.search(r"soit\s+le\s+10\s+novembre\s+2027,\s+17\s+h\s+\(heure\s+de\s+Paris", text)
    else:
        assert re.search(r"11 November 2027, 00:00 \(Beijing time\)", text), text
        assert re.search(r"10 November 2027, 17:00 \(Paris time\)", text), text


def test_the_timeline_is_given_to_the_script_once(build: Callable[[dt.datetime], Path]) -> None:
    output = build(LIVE_START - 60 * SECOND)
    for lang in LANGUAGES:
        home = parse_html(output / lang / "index.html")
        scripts = home.select("script#campaign-timeline")
        assert len(scripts) == 1 and scripts[0]["type"] == "application/json"
        timeline = json.loads(scripts[0].string)
        phases = timeline["phases"]
        got = [(dt.datetime.fromisoformat(p["starts"]), p["name"]) for p in phases]
        assert got == BOUNDARIES[:-1]
        assert [dt.datetime.fromisoformat(p["ends"]) for p in phases] == [
            instant for instant, _ in BOUNDARIES[1:]
        ]
        assert dt.datetime.fromisoformat(timeline["ends"]) == BOUNDARIES[-1][0]
        scripts = home.find_all("script", src=COUNTDOWN_SCRIPT)
        assert len(scripts) == 1 and scripts[0].has_attr("defer")


def test_the_script_stays_small() -> None:
    """As published: minified by the build under its hashed name. 2 KB until the script
    also put the landing page's blocks in the order of the phase (issue 19)."""
    published = Assets().publish("js/countdown.js", SCRIPT, "/")
    assert COUNTDOWN_SCRIPT.fullmatch("/" + published.path)
    assert len(published.content) <= 2304


# ---------- in the browser ----------


@pytest.fixture(scope="module")
def base_url(build: Callable[[dt.datetime], Path]) -> Iterator[str]:
    """The example built one minute before Double 11 starts, served on a free port."""
    output = build(LIVE_START - 60 * SECOND)
    with serve(output) as url:
        yield url


def shown_numbers(page: Page) -> list[int]:
    texts = [
        page.locator(f"[data-countdown] [data-unit='{unit}']").first.text_content() or ""
        for unit in UNITS
    ]
    assert not any(re.match(r"\s*[-\u2212]", text) for text in texts), texts
    assert all(re.fullmatch(r"\d+", text) for text in texts), texts
    return [int(text) for text in texts]


def phase_marks(page: Page) -> list[tuple[list[str], bool]]:
    """(phases, hidden) for every [data-phase] element of the page."""
    marks = page.eval_on_selector_all(
        "[data-phase]", "els => els.map(e => [e.dataset.phase.split(' '), e.hidden])"
    )
    assert marks
    return [(phases, hidden) for phases, hidden in marks]


def assert_phase(page: Page, phase: str) -> None:
    for phases, hidden in phase_marks(page):
        assert hidden == (phase not in phases), (phase, phases)
    head = page.locator(f"[data-countdown] .countdown__head--{phase}")
    assert head.is_visible()


def open_at(page: Page, url: str, instant: dt.datetime) -> None:
    """Open `url` with the page's clock at `instant`, then hold the clock one second
    later. The clock is held from before the page loads and moved on by hand: held
    after the load, a load slower than that second (a busy machine) would ask the
    clock to go back, which Playwright refuses. Installed a few seconds early, so that
    holding it at `instant` is never in its past either."""
    page.clock.install(time=instant - 5 * SECOND)
    page.clock.pause_at(instant)
    page.goto(url)
    page.clock.run_for(1000)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_phase_switches_live_at_the_boundary(
    browser: Browser, base_url: str, lang: str
) -> None:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_at(page, f"{base_url}/{lang}/", LIVE_START - 5 * SECOND)
    page.evaluate("window.notReloaded = true")
    assert_phase(page, "teaser")
    assert shown_numbers(page) == [0, 0, 0]
    live_region = page.locator("[data-countdown] [aria-live='polite']")
    assert live_region.text_content() == "", "nothing is announced on load"

    seen = []
    for _ in range(8):
        page.clock.run_for(1000)
        seen.append(shown_numbers(page))
    assert page.evaluate("window.notReloaded === true")
    assert_phase(page, "live")
    now = LIVE_START + 4 * SECOND
    _, target = expected_at(now)
    assert seen[0] == [0, 0, 0], "the numbers reach zero before the boundary"
    assert seen[-1] == left_at(now, target) == [0, 23, 59], "then count to the end"
    assert page.locator(".hero__status--live").is_visible()
    assert page.locator("a[href='#deals']").is_visible()
    said = " ".join((live_region.text_content() or "").split())
    title = " ".join(page.locator("[data-countdown] .countdown__head--live").inner_text().split())
    # each unit spaced and apart, whatever minifying left between the tags
    units = "0 jour, 23 heures, 59 minutes" if lang == "fr" else "0 days, 23 hours, 59 minutes"
    assert said == f"{title} {units}", said
    assert errors == []
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reduced_motion_still_counts_each_minute(
    browser: Browser, base_url: str, lang: str
) -> None:
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    open_at(page, f"{base_url}/{lang}/", LIVE_START - 210 * SECOND)
    assert page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
    assert shown_numbers(page) == [0, 0, 3]
    page.clock.run_for(30_000)
    assert shown_numbers(page) == [0, 0, 2]
    page.clock.run_for(60_000)
    assert shown_numbers(page) == [0, 0, 1]
    page.clock.run_for(120_000)
    assert_phase(page, "live")
    assert shown_numbers(page) == [0, 23, 59]
    # the "on now" dot does not pulse for those who asked for less motion
    pulse = page.locator("[data-countdown] .countdown__pulse")
    assert pulse.evaluate("e => getComputedStyle(e).animationName") == "none"
    context.close()


def test_the_pulse_moves_only_without_a_reduced_motion_preference(
    browser: Browser, base_url: str
) -> None:
    context = browser.new_context(reduced_motion="no-preference")
    page = context.new_page()
    page.goto(f"{base_url}/en/")
    pulse = page.locator("[data-countdown] .countdown__pulse")
    assert pulse.evaluate("e => getComputedStyle(e).animationName") != "none"
    context.close()


def assert_shows_when_without_the_time_left(page: Page, lang: str) -> None:
    """What a page shows of the countdown without its script: what happens next and
    when, in both time zones, and no figures that would be stale."""
    countdown = page.locator("[data-countdown]")
    assert countdown.get_attribute("data-running") is None
    assert countdown.locator(".countdown__units").is_hidden()
    head = countdown.locator(".countdown__head--teaser")
    assert head.locator(".countdown__static").is_visible()
    assert head.locator(".countdown__running").is_hidden()
    title = head.locator(".countdown__static").inner_text()
    assert title == ("Début du Double 11" if lang == "fr" else "When Double 11 starts")
    when = countdown.locator(".countdown__variant--teaser time").inner_text()
    assert ("Pékin" in when and "Paris" in when) if lang == "fr" else "Beijing" in when


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_javascript_the_build_time_phase_is_shown(
    browser: Browser, base_url: str, lang: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}/{lang}/")
    assert_phase(page, "teaser")
    assert page.locator("[data-countdown] .countdown__head--live").is_hidden()
    assert_shows_when_without_the_time_left(page, lang)
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_with_javascript_the_time_left_replaces_the_date_heading(
    browser: Browser, base_url: str, lang: str
) -> None:
    context = browser.new_context()
    page = context.new_page()
    open_at(page, f"{base_url}/{lang}/", LIVE_START - 90 * SECOND)
    countdown = page.locator("[data-countdown]")
    assert countdown.get_attribute("data-running") == ""
    assert shown_numbers(page) == [0, 0, 1]
    head = countdown.locator(".countdown__head--teaser")
    assert head.locator(".countdown__running").is_visible()
    assert head.locator(".countdown__static").is_hidden()
    context.close()


def test_without_the_timeline_the_page_stays_asbuilt(browser: Browser, base_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def without_timeline(route: Route) -> None:
        response = route.fetch()
        html = BeautifulSoup(response.text(), "html.parser")
        html.select_one("#campaign-timeline").decompose()
        route.fulfill(response=response, body=str(html))

    page.route(f"{base_url}/fr/", without_timeline)
    open_at(page, f"{base_url}/fr/", LIVE_START + 3600 * SECOND)
    page.clock.run_for(5000)
    assert page.locator("#campaign-timeline").count() == 0
    assert_phase(page, "teaser")
    assert_shows_when_without_the_time_left(page, "fr")
    assert errors == []
    context.close()


@pytest.mark.parametrize("width", [320, 390, 1440])
def test_three_digit_days_fit_their_tile(browser: Browser, base_url: str, width: int) -> None:
    """A campaign announced months ahead counts more than 99 days: the number stays
    inside its tile, at the narrowest phone width as on a desktop."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    first_boundary = BOUNDARIES[0][0]
    open_at(page, f"{base_url}/fr/", first_boundary - dt.timedelta(days=888, hours=3))
    assert shown_numbers(page)[0] == 888
    tiles = page.eval_on_selector_all(
        "[data-countdown] .countdown__unit",
        """units => units.filter(u => u.offsetParent !== null).map(u => {
            const n = u.querySelector('.countdown__number');
            const tile = u.getBoundingClientRect(), number = n.getBoundingClientRect();
            const range = document.createRange();
            range.selectNodeContents(n);
            const text = range.getBoundingClientRect();
            return [n.textContent, text.left >= tile.left && text.right <= tile.right
                && number.left >= tile.left && number.right <= tile.right];
        })""",
    )
    assert len(tiles) == 3 and all(inside for _, inside in tiles), tiles
    context.close()


def shown_seconds(page: Page) -> int | None:
    """The seconds the countdown shows, or None while their tile is hidden."""
    seconds = page.locator("[data-countdown] [data-unit='seconds']").first
    if not seconds.is_visible():
        return None
    return int(seconds.text_content() or "")


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_the_last_hour_shows_the_seconds(browser: Browser, base_url: str, motion: str) -> None:
    """With minutes as the smallest unit, the last minute would show 0 / 0 / 0 before
    the event starts: in the last hour the minutes and seconds show, and count each
    second, also for those who asked for less motion (only the numbers change)."""
    context = browser.new_context(reduced_motion=motion)  # type: ignore[arg-type]
    page = context.new_page()
    open_at(page, f"{base_url}/fr/", LIVE_START - dt.timedelta(hours=2))
    assert shown_seconds(page) is None
    assert (
        page.locator("[data-countdown] .countdown__unit").evaluate_all(
            "units => units.filter(u => u.offsetParent !== null).length"
        )
        == 3
    )
    page.close()

    page = context.new_page()
    open_at(page, f"{base_url}/fr/", LIVE_START - 90 * SECOND)
    assert shown_numbers(page) == [0, 0, 1] and shown_seconds(page) == 30
    label = page.locator("[data-countdown] .countdown__unit--seconds .countdown__unit-label")
    assert label.first.text_content() == "secondes"
    page.clock.run_for(10_000)
    assert shown_numbers(page) == [0, 0, 1] and shown_seconds(page) == 19
    page.clock.run_for(28_000)
    assert shown_numbers(page) == [0, 0, 0] and shown_seconds(page) == 51
    tiles = page.locator("[data-countdown] .countdown__unit").evaluate_all(
        "units => units.filter(u => u.offsetParent !== null)"
        ".map(u => [u.querySelector('[data-unit]').dataset.unit, u.getBoundingClientRect().top])"
    )
    assert [unit for unit, _ in tiles] == ["minutes", "seconds"], tiles  # days, hours: 0
    assert len({top for _, top in tiles}) == 1, tiles  # one row
    page.clock.run_for(52_000)
    assert_phase(page, "live")
    assert shown_seconds(page) is None  # a day to go again
    context.close()
