"""The contact sheet of `sitegen review`: one static HTML file, opened from the disk in
any browser, with no script and nothing fetched from elsewhere.

Pages are the rows; the columns are each language, then each moment (a phase, or an
instant given), then each window size, so that a page's versions sit side by side.
Every cell shows the first screen of its shot, linked to the whole shot, with a link
to the built page under it. The cells carry their language, moment and window size
as `data-` attributes, for the tests and for whoever scripts around the sheet.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from sitegen.commands.review_plan import Moment, Row, Viewport

CellKey = tuple[tuple[str, int], str, str, str]
"""(the row's key, language, moment's label, window size's name)."""


@dataclass(frozen=True)
class Cell:
    """One shot, its files given relative to the sheet."""

    image: str
    thumbnail: str
    thumbnail_size: tuple[int, int]
    page_file: str
    """The built page's file."""
    url: str
    """The page's address on the site, shown under the shot."""
    title: str


@dataclass(frozen=True)
class Sheet:
    title: str
    languages: Sequence[str]
    moments: Sequence[Moment]
    viewports: Sequence[Viewport]
    rows: Sequence[Row]
    cells: Mapping[CellKey, Cell]


_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:1rem;color:#1a1a1a;background:#fff}
h1{font-size:1.4rem;margin:0 0 .25rem}
table{border-collapse:collapse}
th,td{border:1px solid #ccc;padding:.4rem;vertical-align:top;text-align:left}
thead th{background:#f3f3f3;white-space:nowrap}
th[scope=row]{position:sticky;left:0;background:#fff;min-width:10rem;max-width:16rem;
overflow-wrap:anywhere;font-weight:normal;z-index:1}
th[scope=row] strong{display:block;margin-bottom:.25rem}
figure{margin:0}
img{display:block;border:1px solid #ddd}
figcaption{margin-top:.25rem;max-width:240px;overflow-wrap:anywhere}
td.missing{color:#666;font-style:italic;min-width:8rem}
"""


def contact_sheet(sheet: Sheet) -> str:
    """The sheet's HTML."""
    moments_shown = ", ".join(
        f"{html.escape(moment.label)} ({_time(moment)})" for moment in sheet.moments
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Review · {html.escape(sheet.title)}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>Review · {html.escape(sheet.title)}</h1>
<p>{len(sheet.rows)} {"page" if len(sheet.rows) == 1 else "pages"} as built at
{moments_shown}. Each shot links to the whole page as Chromium drew it; the
address under it to the built page (its styles and images load when its folder
under <code>sites/</code> is served, e.g. with <code>python -m http.server</code>).</p>
<table>
<thead>
{_headings(sheet)}
</thead>
<tbody>
{"".join(_row(sheet, row) for row in sheet.rows)}</tbody>
</table>
</body>
</html>
"""


def _headings(sheet: Sheet) -> str:
    per_moment = len(sheet.viewports)
    per_language = per_moment * len(sheet.moments)
    languages = "".join(
        f'<th colspan="{per_language}" scope="colgroup">{html.escape(lang)}</th>'
        for lang in sheet.languages
    )
    moments = "".join(
        f'<th colspan="{per_moment}" scope="colgroup">{html.escape(moment.label)}<br>'
        f"{_time(moment)}</th>"
        for _ in sheet.languages
        for moment in sheet.moments
    )
    sizes = "".join(
        f'<th scope="col">{html.escape(viewport.shown)}</th>'
        for _ in sheet.languages
        for _ in sheet.moments
        for viewport in sheet.viewports
    )
    return (
        f'<tr><th rowspan="3" scope="col">page</th>{languages}</tr>\n'
        f"<tr>{moments}</tr>\n<tr>{sizes}</tr>"
    )


def _time(moment: Moment) -> str:
    shown = moment.instant.isoformat(sep=" ", timespec="minutes")
    return f'<time datetime="{moment.instant.isoformat()}">{html.escape(shown)}</time>'


def _row(sheet: Sheet, row: Row) -> str:
    urls = "<br>".join(html.escape(row.urls[lang]) for lang in sheet.languages if lang in row.urls)
    found = [
        (sheet.cells.get((row.key, lang, moment.label, viewport.name)), lang, moment, viewport)
        for lang in sheet.languages
        for moment in sheet.moments
        for viewport in sheet.viewports
    ]
    title = next((cell.title for cell, *_ in found if cell is not None), "")
    cells = "".join(_cell(*where) for where in found)
    return f'<tr><th scope="row"><strong>{html.escape(title)}</strong>{urls}</th>{cells}</tr>\n'


def _cell(cell: Cell | None, lang: str, moment: Moment, viewport: Viewport) -> str:
    where = (
        f'data-lang="{html.escape(lang)}" data-moment="{html.escape(moment.label)}" '
        f'data-viewport="{viewport.name}"'
    )
    if cell is None:
        absent = "in this phase" if moment.phase is not None else "at this instant"
        return f'<td class="missing" {where}>No such page {absent}.</td>'
    width, height = cell.thumbnail_size
    return (
        f'<td class="shot" {where}><figure><a href="{_href(cell.image)}">'
        f'<img src="{_href(cell.thumbnail)}" width="{width}" height="{height}" '
        f'alt="{html.escape(cell.title)}" loading="lazy"></a>'
        f'<figcaption><a href="{_href(cell.page_file)}">{html.escape(cell.url)}</a>'
        "</figcaption></figure></td>"
    )


def _href(relative: str) -> str:
    return html.escape(quote(relative))
