"""The campaign timeline: parsing with places, the phase at an instant, phase blocks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sitegen.base.errors import Problem, SiteError
from sitegen.base.yamlsource import load_yaml
from sitegen.settings.campaign import AFTER, BEFORE, Campaign, parse_campaign, phase_attributes
from sitegen.sources.markdown import MarkdownRenderer

SHANGHAI = ZoneInfo("Asia/Shanghai")
PARIS = ZoneInfo("Europe/Paris")

TIMELINE = """\
campaign:
  timezone: Asia/Shanghai
  phases:
    - {name: teaser, starts: 2027-10-20}
    - {name: live, starts: 2027-11-11 00:00}
  ends: 2027-11-12T00:00:00+08:00
"""


def parse(text: str) -> tuple[Campaign | None, list[Problem]]:
    raw = load_yaml(text, Path("site.yaml"))
    return parse_campaign(Path("site.yaml"), raw["campaign"], raw.line_of("campaign"))


def campaign() -> Campaign:
    parsed, problems = parse(TIMELINE)
    assert problems == [] and parsed is not None
    return parsed


def test_naive_instants_are_read_in_the_campaign_zone() -> None:
    parsed = campaign()
    assert [p.name for p in parsed.phases] == ["teaser", "live"]
    assert parsed.phases[0].starts == dt.datetime(2027, 10, 20, tzinfo=SHANGHAI)
    assert parsed.phases[0].ends == parsed.phases[1].starts
    # midnight in Beijing is 17:00 the day before in Paris
    assert parsed.phases[1].starts == dt.datetime(2027, 11, 10, 17, 0, tzinfo=PARIS)
    assert parsed.ends == dt.datetime(2027, 11, 12, tzinfo=SHANGHAI)
    assert parsed.phase_names == (BEFORE, "teaser", "live", AFTER)


@pytest.mark.parametrize(
    ("paris_time", "phase"),
    [
        # Paris is still on summer time (UTC+2) on 20 October
        ((2027, 10, 19, 17, 59, 59), BEFORE),
        ((2027, 10, 19, 18, 0, 0), "teaser"),
        ((2027, 11, 10, 16, 59, 59), "teaser"),
        ((2027, 11, 10, 17, 0, 0), "live"),
        ((2027, 11, 11, 16, 59, 59), "live"),
        ((2027, 11, 11, 17, 0, 0), AFTER),
    ],
)
def test_phase_at_each_side_of_every_boundary(paris_time: tuple[int, ...], phase: str) -> None:
    assert campaign().phase_at(dt.datetime(*paris_time, tzinfo=PARIS)) == phase


def test_next_change() -> None:
    parsed = campaign()
    live = parsed.phases[1].starts
    assert parsed.next_change(live - dt.timedelta(seconds=1)) == live
    assert parsed.next_change(live) == parsed.ends
    assert parsed.next_change(parsed.ends) is None


def test_an_instant_without_a_zone_is_an_error_with_its_line() -> None:
    _, problems = parse(TIMELINE.replace("  timezone: Asia/Shanghai\n", ""))
    assert [(p.line, p.message) for p in problems] == [
        (3, "the start of phase 'teaser' has no time zone"),
        (4, "the start of phase 'live' has no time zone"),
    ]
    assert problems[0].hint == (
        "add an offset (2027-11-11T00:00:00+08:00) or set campaign.timezone: a time without an "
        "offset is read in the site's timezone, and inside site.yaml's campaign in "
        "campaign.timezone"
    )


def test_a_value_that_is_not_a_date_names_the_rule_for_naive_times() -> None:
    _, problems = parse(TIMELINE.replace("starts: 2027-10-20}", "starts: 20/10/2027}"))
    assert [(p.line, p.message) for p in problems] == [
        (4, "the start of phase 'teaser' must be a date-time such as 2027-11-11 00:00")
    ]
    assert problems[0].hint == (
        "write it year first, or with an offset, 2027-11-11T00:00+08:00: a time without an "
        "offset is read in the site's timezone, and inside site.yaml's campaign in "
        "campaign.timezone (Asia/Shanghai)"
    )


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("teaser, starts", "after, starts"), 4, "phase name 'after' must be a lowercase word"),
        (("live, starts", "teaser, starts"), 5, "phase 'teaser' is listed twice"),
        (("2027-11-11 00:00", "2027-10-01 00:00"), 3, "phase 'live' starts before 'teaser'"),
        (("2027-11-12T00:00:00+08:00", "2027-11-01"), 6, "ends before its last phase starts"),
        (("timezone: Asia/Shanghai", "timezone: Asia/Shangai"), 2, "unknown time zone"),
        (("  ends:", "  end:"), 6, "unknown campaign setting 'end'"),
    ],
)
def test_mistakes_are_reported_with_their_line(
    change: tuple[str, str], line: int, message: str
) -> None:
    _, problems = parse(TIMELINE.replace(*change))
    assert any(p.line == line and message in p.message for p in problems), problems


def test_phase_attributes() -> None:
    assert phase_attributes(("live", "after"), "live") == ' data-phase="live after"'
    assert phase_attributes(("before",), "live") == ' data-phase="before" hidden'


def test_phase_blocks_in_markdown() -> None:
    renderer = MarkdownRenderer()
    now = dt.datetime(2027, 11, 11, 12, 0, tzinfo=SHANGHAI)
    html = renderer.render(
        "::: phase live\nOn **now**.\n:::\n\n::: phase before teaser\nSoon.\n:::\n",
        path=Path("a.md"),
        first_line=4,
        resolve_link=str,
        campaign=campaign(),
        now=now,
    ).html
    assert '<div class="phase" data-phase="live">\n<p>On <strong>now</strong>.</p>' in html
    assert '<div class="phase" data-phase="before teaser" hidden>\n<p>Soon.</p>' in html
    with pytest.raises(SiteError) as caught:
        renderer.render(
            "Intro.\n\n::: phase lvie\nx\n:::\n",
            path=Path("a.md"),
            first_line=4,
            resolve_link=str,
            campaign=campaign(),
            now=now,
        )
    (problem,) = caught.value.problems
    assert (problem.line, problem.message, problem.hint) == (
        6,
        "unknown phase 'lvie'",
        "did you mean 'live'?",
    )
    with pytest.raises(SiteError, match="needs a campaign"):
        renderer.render(
            "::: phase live\nx\n:::\n", path=Path("a.md"), first_line=1, resolve_link=str
        )


SITE_YAML = Path("site.yaml")
TIMEZONE_HINT = "use an IANA name such as Asia/Shanghai"
NO_ZONE_HINT = (
    "add an offset (2027-11-11T00:00:00+08:00) or set campaign.timezone: a time without an "
    "offset is read in the site's timezone, and inside site.yaml's campaign in "
    "campaign.timezone"
)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # each boundary: the same instant twice is no order
        (
            ("2027-11-11 00:00", "2027-10-20 00:00"),
            [(3, "phase 'live' starts before 'teaser'", None)],
        ),
        (
            ("2027-11-12T00:00:00+08:00", "2027-11-11T00:00:00+08:00"),
            [(6, "the campaign ends before its last phase starts", None)],
        ),
        (
            ("{name: live, starts: 2027-11-11 00:00}", "{name: live}"),
            [(5, "phase 'live' needs 'starts'", None)],
        ),
        (
            ("{name: live, starts: 2027-11-11 00:00}", "{name: live, start: 2027-11-11}"),
            [(5, "a phase is {name: ..., starts: ...}", None)],
        ),
        (
            ("{name: live, starts: 2027-11-11 00:00}", "live"),
            [(5, "a phase is {name: ..., starts: ...}", None)],
        ),
        (
            ("name: teaser", "name: Teaser"),
            [
                (
                    4,
                    "phase name 'Teaser' must be a lowercase word other than 'before' and 'after'",
                    None,
                )
            ],
        ),
        (
            ("name: teaser", "name: before"),
            [
                (
                    4,
                    "phase name 'before' must be a lowercase word other than 'before' and 'after'",
                    None,
                )
            ],
        ),
        (("live, starts", "teaser, starts"), [(5, "phase 'teaser' is listed twice", None)]),
        (
            ("timezone: Asia/Shanghai", "timezone: Asia/Shangai"),
            [
                (2, "unknown time zone 'Asia/Shangai'", TIMEZONE_HINT),
                (4, "the start of phase 'teaser' has no time zone", NO_ZONE_HINT),
                (5, "the start of phase 'live' has no time zone", NO_ZONE_HINT),
            ],
        ),
    ],
)
def test_each_mistake_is_one_problem_at_its_place(
    change: tuple[str, str], expected: list[tuple[int, str, str | None]]
) -> None:
    """The whole problem, exactly: its file, line, message and hint (issue 22)."""
    parsed, problems = parse(TIMELINE.replace(*change))
    assert parsed is None
    assert [(p.path, p.line, p.message, p.hint) for p in problems] == [
        (SITE_YAML, line, message, hint) for line, message, hint in expected
    ]


def test_a_campaign_without_phases_or_an_end(tmp_path: Path) -> None:
    _, problems = parse("campaign:\n  timezone: Asia/Shanghai\n  phases: []\n")
    assert [(p.path, p.line, p.message) for p in problems] == [
        (SITE_YAML, 3, "'campaign.phases' must be a non-empty list"),
        (SITE_YAML, 2, "'campaign' needs 'ends', the end of the event"),
    ]
    _, problems = parse("campaign: soon\n")
    assert [(p.path, p.line, p.message) for p in problems] == [
        (SITE_YAML, 1, "'campaign' must be a mapping: timezone, phases, ends")
    ]


def test_phases_a_second_apart_are_in_order() -> None:
    parsed, problems = parse(
        TIMELINE.replace("2027-11-11 00:00", "2027-10-20 00:00:01").replace(
            "2027-11-12T00:00:00+08:00", "2027-10-20T00:00:02+08:00"
        )
    )
    assert problems == [] and parsed is not None
    assert [phase.name for phase in parsed.phases] == ["teaser", "live"]
    assert parsed.ends == dt.datetime(2027, 10, 20, 0, 0, 2, tzinfo=SHANGHAI)
