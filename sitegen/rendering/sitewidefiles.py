"""What search engines, feed readers and static hosts read besides the pages: the
sitemap, robots.txt, an Atom feed per language, redirect pages for `aliases:`, and the
`_redirects` and `_headers` files of Netlify and Cloudflare Pages.

Each is rendered from a template that a theme or a site may override (the names
below); the defaults are here. XML templates are escaped like HTML ones; the plain
text ones (`TEXT_TEMPLATES`) are not, since `&` in a URL must stay `&` there.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from sitegen.rendering.assets import ASSETS_FOLDER

SITEMAP_FILE = "sitemap.xml"
ROBOTS_FILE = "robots.txt"
FEED_FILE = "feed.xml"
"""Each language's Atom feed: /<lang>/feed.xml."""
FEED_LIMIT = 20
"""How many articles a feed lists, the newest: feed readers poll the whole file, and
a body edit of an older article then leaves the feed as it is."""
REDIRECTS_FILE = "_redirects"
HEADERS_FILE = "_headers"
HOST_FILES = (ROBOTS_FILE, REDIRECTS_FILE, HEADERS_FILE)
"""Written at the root unless a static/ folder has a file of that name, which wins:
a site that keeps its own robots.txt or _redirects keeps it."""

SITEMAP_TEMPLATE = "sitemap.xml"
ROBOTS_TEMPLATE = "robots.txt"
FEED_TEMPLATE = "feed.xml"
ALIAS_TEMPLATE = "alias.html"
REDIRECTS_TEMPLATE = "_redirects.txt"
HEADERS_TEMPLATE = "_headers.txt"
TEXT_TEMPLATES = frozenset({ROBOTS_TEMPLATE, REDIRECTS_TEMPLATE, HEADERS_TEMPLATE})
"""Plain text: rendered without HTML escaping."""

# ---------------------------------------------------------------- HTTP headers

SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    (
        "Permissions-Policy",
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=()",
    ),
)
"""Sent with every file. The Permissions-Policy names only features every current
browser knows (an unknown one is logged as an error in the console)."""

PAGE_CACHE_CONTROL = "public, max-age=0, must-revalidate"
"""Pages, feeds, the sitemap: a browser or CDN may keep them but asks each time
whether they changed, so a rebuild at a phase boundary is seen at once."""
ASSET_CACHE_CONTROL = "public, max-age=600"
"""Static files under their own names (`css/site.css`): ten minutes, so that a new
version reaches visitors soon."""
IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable"
"""Files under _assets/, whose names carry a hash of their content: a year, never
revalidated (a new version has a new name)."""
_PAGE_SUFFIXES = ("", ".html", ".htm", ".xml", ".txt")


def cache_control(path: str) -> str:
    """The Cache-Control a file of the output is served with, wherever it is published:
    hashed assets kept a year; pages, feeds and host files revalidated; other static
    files ten minutes."""
    relative = PurePosixPath(path.lstrip("/"))
    if relative.parts[:1] == (ASSETS_FOLDER,):
        return IMMUTABLE_CACHE_CONTROL
    if relative.suffix in _PAGE_SUFFIXES:
        return PAGE_CACHE_CONTROL
    return ASSET_CACHE_CONTROL


# ---------------------------------------------------------------- built-in templates

BUILT_IN_TEMPLATES = Path(__file__).resolve().parents[1] / "bundled" / "templates"
"""The templates a site and its themes may leave out, each a file of this folder:
- sitemap.xml: sitemaps.org 0.9 with Google's hreflang extension, every element of
  <url> in the schema's order (loc, lastmod), then the xhtml:link alternates;
- robots.txt: everything allowed, and where the sitemap is;
- feed.xml: Atom (RFC 4287); the body is HTML escaped once (`forceescape`, since it
  is marked safe for pages), and xml:base resolves its site-absolute links;
- alias.html: the page left at an old address: search engines follow the canonical
  link and drop it (noindex), browsers the refresh, anyone the link;
- _redirects.txt: Netlify's and Cloudflare Pages' `from to status`, one per line;
- _headers.txt: their headers; both join the values of a header set by several rules
  matching one path, so each header is set by one rule per path (the security headers
  for all, Cache-Control by kind of file);
- root.html: the language chooser at `/`, whose partials/language_redirect.html sends
  a visitor to the first of their browser's languages that the site has (without
  JavaScript, or with no match, the chooser's links remain);
- 404.html: "page not found", linking to every language's home."""
