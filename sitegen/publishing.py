"""What search engines, feed readers and static hosts read besides the pages: the
sitemap, robots.txt, an Atom feed per language, redirect pages for `aliases:`, and the
`_redirects` and `_headers` files of Netlify and Cloudflare Pages.

Each is rendered from a template that a theme or a site may override (the names
below); the defaults are here. XML templates are escaped like HTML ones; the plain
text ones (`TEXT_TEMPLATES`) are not, since `&` in a URL must stay `&` there.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from sitegen.assets import ASSETS_FOLDER

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


# ---------------------------------------------------------------- default templates

# sitemaps.org 0.9 with Google's hreflang extension: every element of <url> in the
# schema's order (loc, lastmod), then the xhtml:link alternates.
DEFAULT_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" \
xmlns:xhtml="http://www.w3.org/1999/xhtml">
{%- for entry in entries %}
  <url>
    <loc>{{ entry.loc }}</loc>
    {%- if entry.lastmod %}
    <lastmod>{{ entry.lastmod.isoformat() }}</lastmod>
    {%- endif %}
    {%- for alternate in entry.alternates %}
    <xhtml:link rel="alternate" hreflang="{{ alternate.hreflang }}" \
href="{{ alternate.href }}"/>
    {%- endfor %}
  </url>
{%- endfor %}
</urlset>
"""

DEFAULT_ROBOTS = """User-agent: *
Allow: /

Sitemap: {{ site.base_url }}sitemap.xml
"""

# Atom (RFC 4287). The body is HTML, escaped once (`forceescape`, since it is marked
# safe for pages); xml:base resolves its site-absolute links against the page.
DEFAULT_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{{ lang.code }}">
  <title>{{ site.title | typeset }}</title>
  {%- if site.description %}
  <subtitle>{{ site.description | typeset }}</subtitle>
  {%- endif %}
  <id>{{ feed.permalink }}</id>
  <link rel="self" type="application/atom+xml" href="{{ feed.permalink }}"/>
  {%- if feed.home %}
  <link rel="alternate" type="text/html" hreflang="{{ lang.code }}" href="{{ feed.home }}"/>
  {%- endif %}
  <updated>{{ feed.updated.isoformat() }}</updated>
  <author><name>{{ site.title }}</name></author>
  <generator>sitegen</generator>
{%- for entry in feed.entries %}
{%- set page = entry.page %}
  <entry>
    <title>{{ page.title | typeset }}</title>
    <link rel="alternate" type="text/html" href="{{ page.permalink }}"/>
    <id>{{ page.permalink }}</id>
    <published>{{ entry.published.isoformat() }}</published>
    <updated>{{ entry.updated.isoformat() }}</updated>
    {%- if page.params.get("author") is string %}
    <author><name>{{ page.params.get("author") }}</name></author>
    {%- endif %}
    {%- if page.description %}
    <summary>{{ page.description | typeset }}</summary>
    {%- endif %}
    <content type="html" xml:base="{{ page.permalink }}">\
{{ page.content | typeset | forceescape }}</content>
  </entry>
{%- endfor %}
</feed>
"""

# The page left at an alias: search engines follow the canonical link and drop the
# old address (noindex); browsers follow the refresh, and anyone the link.
DEFAULT_ALIAS = """<!doctype html>
<html lang="{{ lang.code }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{ page.title }}</title>
<link rel="canonical" href="{{ page.canonical }}">
<meta http-equiv="refresh" content="0; url={{ page.url }}">
</head>
<body>
<p><a href="{{ page.url }}">{{ page.title }}</a></p>
</body>
</html>
"""

# Netlify and Cloudflare Pages: `from to status`, one per line.
DEFAULT_REDIRECTS = """# Old addresses of moved pages (aliases: in their front matter), \
for Netlify and Cloudflare Pages.
{% for redirect in redirects -%}
{{ redirect.source }} {{ redirect.target }} {{ redirect.status }}
{% endfor -%}
"""

# Netlify and Cloudflare Pages both join the values of a header set by several rules
# that match one path, so each header is set by one rule per path: the security
# headers for all, Cache-Control by kind of file.
DEFAULT_HEADERS = """# HTTP headers for Netlify and Cloudflare Pages (see sitegen's README).
/*
{%- for name, value in headers.security %}
  {{ name }}: {{ value }}
{%- endfor %}

# Pages, feeds, the sitemap: checked for a newer version on every visit.
{%- for path in headers.page_paths %}
{{ path }}
  Cache-Control: {{ headers.page_cache }}
{%- endfor %}
{%- if headers.asset_paths %}

# Static files under their own names.
{%- for path in headers.asset_paths %}
{{ path }}
  Cache-Control: {{ headers.asset_cache }}
{%- endfor %}
{%- endif %}

# Files named by a hash of their content (asset(), image()): a new version has a new name.
{{ headers.hashed_path }}
  Cache-Control: {{ headers.hashed_cache }}
"""

DEFAULT_TEMPLATES = {
    SITEMAP_TEMPLATE: DEFAULT_SITEMAP,
    ROBOTS_TEMPLATE: DEFAULT_ROBOTS,
    FEED_TEMPLATE: DEFAULT_FEED,
    ALIAS_TEMPLATE: DEFAULT_ALIAS,
    REDIRECTS_TEMPLATE: DEFAULT_REDIRECTS,
    HEADERS_TEMPLATE: DEFAULT_HEADERS,
}
