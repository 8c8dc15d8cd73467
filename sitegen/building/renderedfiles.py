"""The files of the output rendered from templates (the pages, the root page, the
404 pages, the sitemap, the feeds, the hosts' files, the aliases' redirect pages), each
by its path in the output with the call that renders it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from sitegen.model.site import Site
from sitegen.rendering.renderer import NOT_FOUND_PAGE, Renderer
from sitegen.rendering.sitewidefiles import (
    FEED_FILE,
    HEADERS_FILE,
    HOST_FILES,
    REDIRECTS_FILE,
    ROBOTS_FILE,
    SITEMAP_FILE,
)

RenderedFile = tuple[str, Callable[[], bytes]]
"""A file's path in the output, and the call that renders it."""


def rendered_files(site: Site, renderer: Renderer) -> Iterator[RenderedFile]:
    """Every file rendered from templates, by its path in the output."""
    yield from rendered_files_but_redirects(site, renderer)
    for redirect in site.redirects:
        yield redirect.output_path, partial(renderer.render_alias, redirect)


def rendered_files_but_redirects(site: Site, renderer: Renderer) -> Iterator[RenderedFile]:
    """The outputs that are not redirect pages of aliases (which may not replace them)."""
    for page in site.pages:
        yield page.id, partial(renderer.render_page, page)
    yield "index.html", renderer.render_root
    config = site.config
    for lang in config.language_codes:
        yield f"{lang}/{NOT_FOUND_PAGE}", partial(renderer.render_not_found, lang)
    yield NOT_FOUND_PAGE, partial(renderer.render_not_found, config.default_language)
    yield SITEMAP_FILE, renderer.render_sitemap
    for lang in config.language_codes:
        yield f"{lang}/{FEED_FILE}", partial(renderer.render_feed, lang)
    host_files = {
        ROBOTS_FILE: renderer.render_robots,
        REDIRECTS_FILE: renderer.render_redirects,
        HEADERS_FILE: renderer.render_headers,
    }
    for name in HOST_FILES:
        if name not in renderer.static_files:  # the site's own wins
            yield name, host_files[name]
