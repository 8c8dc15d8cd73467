"""Files of `sitegen i18n`: paths shown as the user knows them, files replaced at
once, and what counts as translated text.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Message

from sitegen.base.atomicfiles import replace_file
from sitegen.base.errors import Problem, SiteError
from sitegen.base.messages import _
from sitegen.rendering.catalogs import (
    translation_forms,
)
from sitegen.settings.config import SiteConfig
from sitegen.settings.themes import (
    BUNDLED_THEMES,
)

PACKAGE_PARENT = BUNDLED_THEMES.parents[2]
"""The folder holding the sitegen package: bundled files are shown relative to it."""


def has_text(message: Message) -> bool:
    """Whether a catalog entry has a translation (any of its plural forms)."""
    return any(translation_forms(message))


def project_name(config: SiteConfig) -> str:
    """The name written in a catalog's header: the site's title in its default language."""
    return config.titles.get(config.default_language) or "the site"


def shown(path: Path, root: Path) -> str:
    """A path as the user knows it: relative to the site (or theme) when inside it.

    A file of a bundled theme is shown from the package (`sitegen/bundled/themes/...`),
    not as an absolute path, so that a POT lists the same locations on every machine.
    """
    if path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    resolved = path.resolve()
    for base in (root.resolve(), PACKAGE_PARENT):
        if resolved.is_relative_to(base):
            return resolved.relative_to(base).as_posix()
    return path.as_posix()


def write_file(path: Path, data: bytes) -> None:
    """Replace `path` at once (a temporary file renamed over it), keeping its mode."""
    try:
        replace_file(path, data, path.stat().st_mode & 0o7777 if path.exists() else None)
    except OSError as exc:
        message = _("cannot write the file: %(error)s") % {"error": exc.strerror}
        raise SiteError([Problem(path, None, message)]) from None
