"""Two things at one place of the output: pages on one URL, and aliases whose
redirect page would replace a page, another alias or another file of the output."""

from __future__ import annotations

from collections.abc import Collection

from sitegen.base.errors import Problem
from sitegen.base.messages import _
from sitegen.model.site import Page, Redirect, Site
from sitegen.settings.config import SiteConfig


def url_clashes(config: SiteConfig, placed: list[Page]) -> list[Problem]:
    """Two pages on one URL. Real pages come first in `placed`, so a fallback that lands
    on a real page is reported at the real page; two fallbacks only clash when their
    originals do, which is reported already."""
    first_at: dict[str, Page] = {}
    problems = []
    for page in placed:
        other = first_at.setdefault(page.output_path, page)
        if other is not page and not (page.is_fallback and other.is_fallback):
            problems.append(
                Problem(
                    page.source.path,
                    page.source.line_of("slug") if page.source.slug else None,
                    _("this page and %(other)s would both be written to %(url)s")
                    % {"other": config.shown_path(other.source.path), "url": page.url},
                    hint=_("give one of them another 'slug' or file name"),
                )
            )
    return problems


def alias_problems(site: Site, written: Collection[str]) -> list[Problem]:
    """Aliases whose redirect page would replace a page, another alias, or another file
    of the output (`written`: the root page, 404 pages, feeds, static files...), or
    would need a folder where the output has a file, or the reverse."""
    problems = []
    files = set(written)
    folders = {parent for path in files for parent in _parents(path)}
    first_at: dict[str, Redirect] = {}
    for redirect in site.redirects:
        source = redirect.page.source
        path, output = redirect.path, redirect.output_path
        page = site.page_by_id(output)
        other = first_at.setdefault(output, redirect)
        in_the_way = next((parent for parent in _parents(output) if parent in files), None)
        hint = _("an alias is an old address that no page has any more")
        values = {"alias": path, "output": output, "folder": in_the_way}
        if page is not None:
            if page.source is source:
                message = _("the alias '%(alias)s' is the address of this page") % values
            else:
                message = _("the alias '%(alias)s' is the address of the page %(page)s") % {
                    **values,
                    "page": site.config.shown_path(page.source.path),
                }
        elif other is not redirect:
            if other.page.source is source:
                message = _("the alias '%(alias)s' is already an alias (line %(line)s)") % {
                    **values,
                    "line": other.line,
                }
            else:
                message = _("the alias '%(alias)s' is already an alias (%(place)s)") % {
                    **values,
                    "place": f"{site.config.shown_path(other.page.source.path)}:{other.line}",
                }
            hint = _("an old address can lead to one page only")
        elif output in files:
            message = _("the alias '%(alias)s' would replace %(output)s, which the build writes")
            message %= values
        elif in_the_way is not None:
            message = _(
                "the alias '%(alias)s' would need a folder %(folder)s/ "
                "where the build writes a file"
            )
            message %= values
        elif output in folders:
            message = _("the alias '%(alias)s' would replace the folder %(output)s/ of the output")
            message %= values
        else:
            files.add(output)
            folders.update(_parents(output))
            continue
        problems.append(Problem(source.path, redirect.line, message, hint=hint))
    return problems


def _parents(path: str) -> list[str]:
    """'fr/old/index.html' → ['fr', 'fr/old']."""
    parts = path.split("/")
    return ["/".join(parts[:depth]) for depth in range(1, len(parts))]
