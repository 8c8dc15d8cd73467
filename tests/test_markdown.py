"""MarkdownRenderer: safe HTML, headings with ids, page links rewritten and checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitegen.base.errors import Problem, SiteError
from sitegen.sources.markdown import (
    Heading,
    LinkError,
    MarkdownImage,
    MarkdownRenderer,
    RenderedMarkdown,
    image_placeholder,
)

PAGE = Path("content/explainer.fr.md")
PAGES = {"explainer.md": "/fr/explainer/", "merchants/index.md": "/fr/marchands/"}


def resolver(target: str) -> str:
    if target in PAGES:
        return PAGES[target]
    raise LinkError(f"no page '{target}'", hint="did you mean 'explainer.md'?")


def render(source: str, first_line: int = 1) -> RenderedMarkdown:
    return MarkdownRenderer().render(
        source, path=PAGE, first_line=first_line, resolve_link=resolver
    )


def soup(source: str) -> BeautifulSoup:
    return BeautifulSoup(render(source).html, "html.parser")


def link_problems(source: str, first_line: int = 1) -> tuple[Problem, ...]:
    with pytest.raises(SiteError) as caught:
        render(source, first_line)
    return caught.value.problems


def test_table() -> None:
    html = soup("| Marchand | Ventes |\n|---|---:|\n| A | 12 |\n")
    assert [th.get_text() for th in html.select("table thead th")] == ["Marchand", "Ventes"]
    assert [td.get_text() for td in html.select("table tbody td")] == ["A", "12"]


def test_footnote() -> None:
    html = soup("Le chiffre[^gmv].\n\n[^gmv]: Selon Alibaba.\n")
    ref = html.select_one("sup.footnote-ref a")
    assert ref is not None
    assert ref["href"] == "#fn1"
    notes = html.select("section.footnotes li")
    assert len(notes) == 1
    assert notes[0].get_text().startswith("Selon Alibaba.")


def test_strikethrough() -> None:
    assert soup("~~199 €~~ 99 €\n").select_one("s").get_text() == "199 €"


def test_heading_ids_for_h2_to_h4_only() -> None:
    html = soup("# Titre\n\n## Les chiffres\n\n### Détail\n\n#### Quatre\n\n##### Cinq\n")
    assert html.select_one("h1").get("id") is None
    assert html.select_one("h2")["id"] == "les-chiffres"
    assert html.select_one("h3")["id"] == "détail"
    assert html.select_one("h4")["id"] == "quatre"
    assert html.select_one("h5").get("id") is None


def test_toc() -> None:
    result = render("# Titre\n\n## Les chiffres\n\n### Sous `code`\n\n##### Cinq\n")
    assert result.toc == (
        Heading(level=2, id="les-chiffres", text="Les chiffres"),
        Heading(level=3, id="sous-code", text="Sous code"),
    )


def test_block_attribute_on_the_line_before() -> None:
    html = soup("{.lead}\nLe 11 novembre.\n\nSuite.\n")
    paragraphs = html.find_all("p")
    assert [p.get("class") for p in paragraphs] == [["lead"], None]
    assert paragraphs[0].get_text() == "Le 11 novembre."


def test_raw_html_is_escaped() -> None:
    result = render("<script>alert(1)</script>\n\nHi <b>x</b>\n")
    html = BeautifulSoup(result.html, "html.parser")
    assert html.find("script") is None
    assert html.find("b") is None
    assert html.find_all("p")[0].get_text() == "<script>alert(1)</script>"
    assert "&lt;script&gt;" in result.html


def test_unsafe_attributes_are_dropped() -> None:
    html = soup('{onclick="alert(1)" style="color:red" .x #intro}\nPara\n')
    paragraph = html.find("p")
    assert paragraph.attrs == {"class": ["x"], "id": "intro"}


def test_inline_unsafe_attributes_are_dropped() -> None:
    html = soup('![chart](https://example.org/c.png){onerror="alert(1)" width=300}\n')
    image = html.find("img")
    assert image["width"] == "300"
    assert "onerror" not in image.attrs
    (recorded,) = render('![chart](/img/c.png){onerror="alert(1)" width=300}\n').images
    assert recorded.attributes == (("width", "300"),)


def test_images_of_the_site_are_recorded_where_written_and_left_as_placeholders() -> None:
    source = (
        "Texte.\n\n"
        '![Une *photo* « ici »](img/photo.jpg "Le titre"){.wide}\n'
        "et ![plan](<./mon plan.png>) ![logo][ref]\n\n"
        "| a | b |\n|---|---|\n| x | ![c](../c.svg) |\n\n"
        "[ref]: /img/logo.svg\n"
    )
    result = render(source, first_line=4)
    assert result.images == (
        MarkdownImage(
            "img/photo.jpg", "Une photo « ici »", (("title", "Le titre"), ("class", "wide")), 6, 24
        ),
        MarkdownImage("./mon plan.png", "plan", (), 7, 13),
        MarkdownImage("/img/logo.svg", "logo", (), 6, None),  # a reference: its paragraph's line
        MarkdownImage("../c.svg", "c", (), 11, 12),
    )
    html = result.html
    assert [html.count(image_placeholder(index)) for index in range(4)] == [1, 1, 1, 1]
    assert "<img" not in html


def test_images_at_a_url_stay_as_they_are() -> None:
    result = render("![a](https://example.org/a.jpg) ![b](//cdn.example.org/b.png)\n")
    assert result.images == ()
    assert [image["src"] for image in soup_of(result).find_all("img")] == [
        "https://example.org/a.jpg",
        "//cdn.example.org/b.png",
    ]
    assert render("![pixel](data:image/png;base64,iVBORw0KGgo=)\n").images == ()


def soup_of(result: RenderedMarkdown) -> BeautifulSoup:
    return BeautifulSoup(str(result.html), "html.parser")


def test_page_links_are_rewritten_keeping_the_fragment() -> None:
    html = soup("[a](explainer.md#figures) and [b](merchants/index.md)\n")
    assert [a["href"] for a in html.find_all("a")] == ["/fr/explainer/#figures", "/fr/marchands/"]


def test_other_links_are_untouched() -> None:
    html = soup(
        "[a](https://example.com/readme.md) [b](#top) [c](/fr/) [d](mailto:x@example.com)"
        " [e](image.png)\n"
    )
    assert [a["href"] for a in html.find_all("a")] == [
        "https://example.com/readme.md",
        "#top",
        "/fr/",
        "mailto:x@example.com",
        "image.png",
    ]


def test_broken_link_has_file_line_and_column() -> None:
    (problem,) = link_problems("Intro.\n\nVoir [la page](missing.md) ici.\n", first_line=6)
    assert problem.path == PAGE
    assert problem.line == 8
    assert problem.column == 16
    assert problem.message == "no page 'missing.md'"
    assert problem.hint == "did you mean 'explainer.md'?"


def test_two_broken_links_give_two_problems() -> None:
    problems = link_problems("[a](missing.md)\n\n* item\n* [b](gone.md#x)\n")
    assert [(p.line, p.column, p.message) for p in problems] == [
        (1, 5, "no page 'missing.md'"),
        (4, 7, "no page 'gone.md'"),
    ]


def test_same_broken_link_twice_in_a_paragraph_gives_both_lines() -> None:
    problems = link_problems("Voir [a](missing.md)\net [b](missing.md).\n", first_line=3)
    assert [(p.line, p.column) for p in problems] == [(3, 10), (4, 8)]


def test_same_broken_link_twice_on_one_line_gives_both_columns() -> None:
    problems = link_problems("[a](missing.md) [b](missing.md)\n")
    assert [(p.line, p.column) for p in problems] == [(1, 5), (1, 21)]


def test_render_inline() -> None:
    assert MarkdownRenderer().render_inline("*11.11* <b>") == "<em>11.11</em> &lt;b&gt;"
