"""Markdown sources: file names to (key, language), front matter checked at its lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sitegen.base.errors import Problem, SiteError
from sitegen.settings.config import SiteConfig, load_config
from sitegen.sources.content import SourcePage, load_page, load_pages, split_name
from sitegen.sources.frontmatter import split_front_matter

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def config(tmp_path: Path) -> SiteConfig:
    (tmp_path / "site.yaml").write_text(
        "title: Soldes\n"
        "base_url: https://shop.example.com/\n"
        "languages: [fr, en]\n"
        "timezone: Europe/Paris\n",
        encoding="utf-8",
    )
    (tmp_path / "content").mkdir()
    return load_config(tmp_path)


def write_page(config: SiteConfig, name: str, text: str) -> Path:
    path = config.root / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def page_of(config: SiteConfig, name: str, text: str) -> SourcePage:
    return load_page(config, write_page(config, name, text))


def problems_of(config: SiteConfig, name: str, text: str) -> tuple[Problem, ...]:
    with pytest.raises(SiteError) as caught:
        page_of(config, name, text)
    return caught.value.problems


# --- split_name --------------------------------------------------------------------


def test_split_name_with_language_suffix(config: SiteConfig) -> None:
    assert split_name(config, config.root / "content" / "explainer.en.md") == ("explainer", "en")


def test_split_name_without_suffix_is_default_language(config: SiteConfig) -> None:
    assert split_name(config, config.root / "content" / "explainer.md") == ("explainer", "fr")


def test_split_name_in_a_folder(config: SiteConfig) -> None:
    path = config.root / "content" / "merchants" / "index.en.md"
    assert split_name(config, path) == ("merchants/index", "en")


def test_split_name_keeps_a_dot_that_is_not_a_language(config: SiteConfig) -> None:
    assert split_name(config, config.root / "content" / "v1.2.md") == ("v1.2", "fr")


def test_split_name_unknown_language_is_an_error_with_hint(config: SiteConfig) -> None:
    path = config.root / "content" / "explainer.de.md"
    with pytest.raises(SiteError) as caught:
        split_name(config, path)
    (problem,) = caught.value.problems
    assert problem.path == path
    assert "'de'" in problem.message
    assert problem.hint == "the site's languages are: fr, en"


# --- split_front_matter -----------------------------------------------------------------


def test_split_front_matter() -> None:
    front, body, body_line = split_front_matter("---\ntitle: T\nx: 1\n---\n# Body\n", Path("p.md"))
    assert front == "title: T\nx: 1"
    assert body == "# Body\n"
    assert body_line == 5


def test_split_front_matter_with_dots_end() -> None:
    assert split_front_matter("---\na: 1\n...\nbody", Path("p.md")) == ("a: 1", "body", 4)


def test_split_front_matter_absent() -> None:
    assert split_front_matter("# Just body\n", Path("p.md")) == (None, "# Just body\n", 1)


def test_split_front_matter_unclosed_is_an_error() -> None:
    with pytest.raises(SiteError) as caught:
        split_front_matter("---\ntitle: T\n\nbody\n", Path("p.md"))
    (problem,) = caught.value.problems
    assert problem.path == Path("p.md")
    assert problem.line == 1
    assert "never closed" in problem.message
    assert problem.hint is not None
    assert "---" in problem.hint


# --- load_page ------------------------------------------------------------------------


def test_load_page_fields(config: SiteConfig) -> None:
    page = page_of(
        config,
        "explainer.en.md",
        "---\n"
        "title: Singles' Day explained\n"
        "description: What 11.11 is\n"
        "layout: article\n"
        "slug: singles-day\n"
        "translation_key: explainer\n"
        "draft: true\n"
        "image: /img/a.png\n"
        "---\n"
        "# Body\n",
    )
    assert page.key == "explainer"
    assert page.lang == "en"
    assert page.title == "Singles' Day explained"
    assert page.description == "What 11.11 is"
    assert page.layout == "article"
    assert page.slug == "singles-day"
    assert page.translation_key == "explainer"
    assert page.draft is True
    assert page.image == "/img/a.png"
    assert page.markdown() == "# Body\n"
    assert page.body_line == 10


def test_the_body_is_read_again_from_its_file_when_rendered(config: SiteConfig) -> None:
    """Pages carry a digest of their body, not the text: rendering reads the file
    again, and a file changed since the build read it is a problem, never a mix."""
    text = "---\ntitle: T\n---\r\nLe corps, « lu » deux fois.\r\n"
    page = page_of(config, "a.fr.md", text)
    same = page_of(config, "b.fr.md", text.replace("title: T", "title: Autre"))
    assert page.body == same.body and page.markdown() == "Le corps, « lu » deux fois.\n"
    page.path.write_text(text.replace("deux", "trois"), "utf-8")
    with pytest.raises(SiteError) as caught:
        page.markdown()
    (problem,) = caught.value.problems
    assert problem.path == page.path
    assert problem.message == "the file changed while sitegen was building the site"
    assert page.body != page_of(config, "a.fr.md", text.replace("deux", "trois")).body


def test_title_is_required(config: SiteConfig) -> None:
    (problem,) = problems_of(config, "a.md", "---\ndescription: no title\n---\nbody\n")
    assert problem.message == "the page has no 'title'"
    assert problem.hint is not None
    assert "title:" in problem.hint


def test_page_without_front_matter_has_no_title(config: SiteConfig) -> None:
    (problem,) = problems_of(config, "a.md", "# Body only\n")
    assert problem.message == "the page has no 'title'"


def test_title_as_a_list_is_an_error_at_its_line(config: SiteConfig) -> None:
    (problem,) = problems_of(config, "a.md", "---\ndescription: d\ntitle: [a, b]\n---\n")
    assert problem.message == "'title' must be text, not a list"
    assert problem.line == 3


def test_draft_as_yes_is_an_error_at_its_line(config: SiteConfig) -> None:
    (problem,) = problems_of(config, "a.md", "---\ntitle: T\ndraft: yes\n---\n")
    assert problem.message == "'draft' must be true or false"
    assert problem.line == 3


def test_date_as_tomorrow_is_an_error_at_its_line(config: SiteConfig) -> None:
    (problem,) = problems_of(config, "a.md", "---\ntitle: T\n\ndate: tomorrow\n---\n")
    assert problem.message.startswith("'date' must be a date")
    assert problem.line == 4
    assert problem.hint == (
        "a date alone means the start of that day; a time without an offset is read in the "
        "site's timezone (Europe/Paris), and inside site.yaml's campaign in campaign.timezone"
    )


def test_all_front_matter_mistakes_at_once(config: SiteConfig) -> None:
    problems = problems_of(
        config, "a.md", "---\ntitle: [a, b]\ndraft: yes\ndate: tomorrow\n---\nbody\n"
    )
    assert [(p.line, p.message.split(" must")[0]) for p in problems] == [
        (2, "'title'"),
        (3, "'draft'"),
        (4, "'date'"),
    ]


def test_yaml_error_in_front_matter_has_the_file_line(config: SiteConfig) -> None:
    (problem,) = problems_of(config, "a.md", "---\ntitle: T\ntitle: U\n---\n")
    assert problem.line == 3
    assert "duplicate key 'title'" in problem.message


def test_front_matter_must_be_a_mapping(config: SiteConfig) -> None:
    (problem,) = problems_of(config, "a.md", "---\n- a\n- b\n---\n")
    assert problem.line == 2


def test_naive_date_is_read_in_the_site_timezone(config: SiteConfig) -> None:
    page = page_of(config, "a.md", "---\ntitle: T\ndate: 2026-11-11 09:00:00\n---\n")
    assert page.date == dt.datetime(2026, 11, 11, 9, 0, tzinfo=PARIS)
    assert page.date is not None
    assert page.date.utcoffset() == dt.timedelta(hours=1)


def test_date_only_is_midnight_in_the_site_timezone(config: SiteConfig) -> None:
    page = page_of(config, "a.md", "---\ntitle: T\npublish: 2026-11-01\n---\n")
    assert page.publish == dt.datetime(2026, 11, 1, 0, 0, tzinfo=PARIS)


def test_aware_date_keeps_its_offset(config: SiteConfig) -> None:
    page = page_of(config, "a.md", "---\ntitle: T\nexpires: 2026-11-12T00:00:00+08:00\n---\n")
    assert page.expires is not None
    assert page.expires.utcoffset() == dt.timedelta(hours=8)
    assert page.expires == dt.datetime(2026, 11, 11, 16, 0, tzinfo=dt.UTC)


def test_slug_with_slash_is_rejected(config: SiteConfig) -> None:
    (problem,) = problems_of(config, "a.md", "---\ntitle: T\nslug: a/b\n---\n")
    assert problem.message == "slug 'a/b' is not a single URL segment"
    assert problem.line == 3
    assert problem.hint is not None


@pytest.mark.parametrize("slug", ["..", "'a?b'", "'a#b'", "' '"])
def test_other_bad_slugs_are_rejected(config: SiteConfig, slug: str) -> None:
    (problem,) = problems_of(config, "a.md", f"---\ntitle: T\nslug: {slug}\n---\n")
    assert "slug" in problem.message
    assert problem.line == 3


def test_file_in_a_language_not_in_the_site(config: SiteConfig) -> None:
    (problem,) = problems_of(config, "x.de.md", "---\ntitle: T\n---\n")
    assert problem.path == config.root / "content" / "x.de.md"
    assert "'de'" in problem.message
    assert problem.hint is not None
    assert "fr, en" in problem.hint


def test_extra_keys_land_in_params(config: SiteConfig) -> None:
    page = page_of(
        config, "a.md", "---\ntitle: T\ncampaign: d11\nprice: 19.90\ndraft: false\n---\n"
    )
    assert dict(page.params) == {"campaign": "d11", "price": Decimal("19.90")}
    assert page.draft is False


def test_naive_datetimes_in_params_are_made_aware(config: SiteConfig) -> None:
    page = page_of(config, "a.md", "---\ntitle: T\nstarts: 2026-11-11 00:00:00\n---\n")
    assert page.params["starts"] == dt.datetime(2026, 11, 11, tzinfo=PARIS)
    assert page.params["starts"].tzinfo is not None


def test_body_line_after_front_matter(config: SiteConfig) -> None:
    page = page_of(config, "a.md", "---\ntitle: T\n---\n\nFirst paragraph\n")
    assert page.body_line == 4
    assert page.markdown().split("\n")[1] == "First paragraph"


def test_page_line_of(config: SiteConfig) -> None:
    page = page_of(config, "a.md", "---\ntitle: T\n\ncampaign: x\n---\n")
    assert page.line_of("campaign") == 4
    assert page.line_of("title") == 2
    assert page.line_of("missing") == 1


def test_title_may_be_a_number(config: SiteConfig) -> None:
    assert page_of(config, "a.md", "---\ntitle: 2026\n---\n").title == "2026"


def test_load_pages_reports_every_file(config: SiteConfig) -> None:
    write_page(config, "good.md", "---\ntitle: Good\n---\n")
    write_page(config, "bad1.md", "---\ndraft: yes\ntitle: T\n---\n")
    write_page(config, "sub/bad2.en.md", "body only\n")
    with pytest.raises(SiteError) as caught:
        load_pages(config)
    names = sorted(p.path.name for p in caught.value.problems if p.path is not None)
    assert names == ["bad1.md", "bad2.en.md"]


def test_load_pages_sorted(config: SiteConfig) -> None:
    write_page(config, "b.md", "---\ntitle: B\n---\n")
    write_page(config, "a.en.md", "---\ntitle: A\n---\n")
    write_page(config, "a.fr.md", "---\ntitle: A\n---\n")
    assert [(p.key, p.lang) for p in load_pages(config)] == [
        ("a", "en"),
        ("a", "fr"),
        ("b", "fr"),
    ]
