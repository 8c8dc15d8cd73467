"""Long listings split into pages, as Hugo's paginators split them.

A home or section lists the pages of its folder; a page made from data may list the
items of another feed that name it (`lists` in its data_pages entry: a merchant's
products). When its layout shows `pager` (see `sitegen.rendering.pagers`), a listing longer
than `per_page` gets a page per `per_page` entries: the first at the page's own URL,
the others at `<url><path>/<number>/` (/fr/produits/page/2/, `path` from site.yaml's
`pagination`, by language). Each of those pages has its own URL, canonical link,
hreflang alternates (page 2 in French and page 2 in English are translations) and
sitemap entry; it is the same page otherwise, made from the same source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from sitegen.base.errors import Problem, raise_if_any
from sitegen.base.messages import _
from sitegen.model.site import PAGE, Page, Site, page_count
from sitegen.settings.config import SiteConfig
from sitegen.sources.data import DataSet
from sitegen.sources.frontmatter import PER_PAGE_KEY

Paginates = Callable[[str, str], bool]
"""Whether pages of a layout show a pager, given (language, layout)."""


def never(lang: str, layout: str) -> bool:
    """No layout shows a pager (a site made without templates)."""
    return False


def with_pager_pages(
    config: SiteConfig,
    data: DataSet,
    pages: list[Page],
    now: dt.datetime,
    paginates: Paginates,
) -> list[Page]:
    """`pages` followed by the further pages of every listing longer than a page whose
    layout shows a pager; raises SiteError for a `per_page` that is no number."""
    unsplit = Site(config=config, now=now, pages=tuple(pages), data=data)
    raise_if_any([_per_page_problem(page) for page in pages if _bad_per_page(page)])
    further: list[Page] = []
    for page in pages:
        total = unsplit.listing_size(page)
        if total is None:
            continue
        count = page_count(total, unsplit.per_page(page))
        if count > 1 and paginates(page.lang, page.layout):
            further.extend(_numbered(config, page, number) for number in range(2, count + 1))
    return [*pages, *further]


def _numbered(config: SiteConfig, page: Page, number: int) -> Page:
    """Page `number` of `page`'s listing."""
    segment = config.pagination.path_in(page.lang)
    folder = page.output_path.removesuffix("index.html")
    return replace(
        page,
        url=f"{page.url}{segment}/{number}/",
        output_path=f"{folder}{segment}/{number}/index.html",
        listed_in=None,
        number=number,
    )


def _bad_per_page(page: Page) -> bool:
    value = page.source.params.get(PER_PAGE_KEY)
    if value is None or page.kind == PAGE or page.is_fallback:
        return False
    return isinstance(value, bool) or not isinstance(value, int) or value < 1


def _per_page_problem(page: Page) -> Problem:
    value = page.source.params.get(PER_PAGE_KEY)
    return Problem(
        page.source.path,
        page.source.line_of(PER_PAGE_KEY),
        _("'%(key)s' must be a whole number of at least 1, not %(value)s")
        % {"key": PER_PAGE_KEY, "value": repr(value)},
        hint=_("how many of the pages it lists a page of this listing shows"),
    )
