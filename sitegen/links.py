"""Tracking parameters on outbound links, added without disturbing what is there."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit


def add_tracking(url: str, parameters: Mapping[str, str], own_host: str) -> str:
    """`url` with the utm parameters it does not have yet.

    Only http(s) links to other hosts are touched. The existing query string is kept
    byte for byte (no re-encoding) and the new parameters follow it; a parameter the
    link already carries (say its own utm_campaign) wins; the fragment stays last.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.hostname == own_host:
        return url
    present = {key for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
    added = "&".join(
        f"{key}={quote(value, safe='')}"
        for key, value in parameters.items()
        if key not in present and value
    )
    if not added:
        return url
    query = f"{parts.query}&{added}" if parts.query else added
    return urlunsplit(parts._replace(query=query))


_SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "data"})
_IGNORED_IN_URLS = str.maketrans("", "", "\t\n\r")
_LEADING_IN_URLS = "".join(chr(code) for code in range(0x21))


def runs_script(url: str) -> bool:
    """Whether following `url` would run code instead of opening a page.

    Escaping keeps a link's text from becoming markup, but `href="javascript:..."` is
    valid, escaped HTML: the scheme itself must be refused. Read as browsers read an
    href: leading spaces and control characters dropped, tabs and line breaks ignored
    anywhere, any case (`  Java\\tScript:`); `data:` too, which can hold a page."""
    cleaned = url.translate(_IGNORED_IN_URLS).lstrip(_LEADING_IN_URLS)
    scheme, colon, _ = cleaned.partition(":")
    return bool(colon) and scheme.lower() in _SCRIPT_SCHEMES
