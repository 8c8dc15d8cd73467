"""What type of content a file of the built site is, as HTTP says it (`Content-Type`).

One table for the dev server and for deploys, so a file is sent the same way by
both; text is UTF-8, as sitegen writes it.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".map": "application/json",
    ".xml": "application/xml",
    ".atom": "application/atom+xml",
    ".rss": "application/rss+xml",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".webmanifest": "application/manifest+json",
    ".pdf": "application/pdf",
}
_TEXT_TYPES = ("application/json", "application/xml", "application/manifest+json", "image/svg+xml")
_BUILT_IN_TYPES = mimetypes.MimeTypes()
"""Python's own table only: the machine's /etc/mime.types must not change what is sent."""


def content_type(path: str) -> str:
    """The Content-Type a file is served with; text is UTF-8, as sitegen writes it."""
    suffix = PurePosixPath(path).suffix.lower()
    name = PurePosixPath(path).name
    if name in ("_headers", "_redirects"):
        kind = "text/plain"
    else:
        guessed = _TYPES.get(suffix) or _BUILT_IN_TYPES.guess_type(name)[0]
        kind = guessed or "application/octet-stream"
    if kind.startswith("text/") or kind.endswith("+xml") or kind in _TEXT_TYPES:
        return f"{kind}; charset=utf-8"
    return kind
