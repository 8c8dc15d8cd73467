"""Themes: folders of templates, static files and catalogs that may extend each other.

The chain is searched site first, then the theme, then the theme it extends,
and so on; the first file found wins. That is how a site's `templates/page.html`
overrides the theme's, and `{% extends "double11:page.html" %}` still reaches
the overridden one by naming its theme (or `theme:page.html` for the whole chain).

A theme named N is the site's `themes/N/` when that folder exists, else the theme
of that name shipped inside the package (`sitegen/bundled/themes/N/`), so that an
installed sitegen builds a site that has no themes/ folder at all, and a site
overrides a bundled theme wholesale by copying it into its own themes/.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.base.errors import Problem, SiteError, did_you_mean, read_source
from sitegen.base.layout import CATALOG_DIR, STATIC_DIR, TEMPLATES_DIR, THEMES_DIR
from sitegen.base.messages import N_, _
from sitegen.base.yamlsource import YamlMap, load_yaml, unknown_keys
from sitegen.settings.config import SiteConfig, is_theme_name

BUNDLED_THEMES = Path(__file__).resolve().parents[1] / "bundled" / "themes"
"""The themes shipped with sitegen (package data), used when the site has no folder of
that name in its own themes/."""
THEME_FILE = "theme.yaml"
TEMPLATE_SUFFIXES = (".html", ".xml", ".txt", ".json")
"""Files in templates/ that are Jinja templates (others, such as notes, are ignored)."""

_THEME_SETTINGS = {
    "name",
    "extends",
    "description",
    "author",
    "license",
    "version",
    "front_matter",
    "feed_fields",
}


@dataclass(frozen=True)
class Theme:
    name: str
    root: Path
    front_matter: frozenset[str] = frozenset()
    """Front-matter keys its templates read (`front_matter` in theme.yaml)."""
    feed_fields: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Fields its templates read in the product and merchant feeds, beyond sitegen's
    own (`feed_fields: {products: [...], merchants: [...]}` in theme.yaml)."""


@dataclass(frozen=True)
class ThemeChain:
    """The site's own folders first, then each theme, child before parent."""

    site_root: Path
    themes: tuple[Theme, ...]

    def _folders(self, name: str) -> tuple[Path, ...]:
        roots = (self.site_root, *(theme.root for theme in self.themes))
        return tuple(root / name for root in roots if (root / name).is_dir())

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        return self._folders(TEMPLATES_DIR)

    @property
    def static_dirs(self) -> tuple[Path, ...]:
        return self._folders(STATIC_DIR)

    @property
    def catalog_dirs(self) -> tuple[Path, ...]:
        return self._folders(CATALOG_DIR)

    @property
    def front_matter_keys(self) -> frozenset[str]:
        """The front-matter keys the themes read, every theme of the chain together."""
        return frozenset().union(*(theme.front_matter for theme in self.themes))

    def feed_fields(self, feed: str) -> frozenset[str] | None:
        """The fields of a feed (`products`, `merchants`) the themes read; None when no
        theme says (templates of a site's own may read any)."""
        declared = [theme.feed_fields[feed] for theme in self.themes if feed in theme.feed_fields]
        return frozenset().union(*declared) if declared else None

    def theme_template_dirs(self) -> dict[str, Path]:
        return {
            theme.name: theme.root / TEMPLATES_DIR
            for theme in self.themes
            if (theme.root / TEMPLATES_DIR).is_dir()
        }


def load_theme_chain(config: SiteConfig) -> ThemeChain:
    themes: list[Theme] = []
    name = config.theme
    where = (config.path, config.line_of_setting("theme"))
    while name is not None:
        if any(theme.name == name for theme in themes):
            chain = " → ".join([*(theme.name for theme in themes), name])
            raise SiteError(
                [
                    Problem(
                        where[0],
                        where[1],
                        _("themes extend each other in a loop: %(chain)s") % {"chain": chain},
                    )
                ]
            )
        root = find_theme(config.root, name)
        if root is None:
            raise SiteError(
                [
                    Problem(
                        where[0],
                        where[1],
                        _(
                            "theme '%(name)s' not found in %(folder)s/ "
                            "or among the themes bundled with sitegen"
                        )
                        % {"name": name, "folder": THEMES_DIR},
                        hint=theme_hint(config.root, name),
                    )
                ]
            )
        settings = _settings(root)
        themes.append(
            Theme(
                name=name,
                root=root,
                front_matter=settings.front_matter,
                feed_fields=settings.feed_fields,
            )
        )
        name, where = settings.extends, (settings.path, settings.extends_line)
    return ThemeChain(site_root=config.root, themes=tuple(themes))


def find_theme(site_root: Path, name: str, bundled: Path = BUNDLED_THEMES) -> Path | None:
    """The folder of theme `name`: the site's own first, then the bundled one."""
    if not is_theme_name(name):
        return None
    for folder in (site_root / THEMES_DIR, bundled):
        if (folder / name).is_dir():
            return folder / name
    return None


def available_themes(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def theme_hint(site_root: Path, name: str, bundled: Path = BUNDLED_THEMES) -> str | None:
    """A 'did you mean' over the site's and the bundled themes, else both lists."""
    local = available_themes(site_root / THEMES_DIR)
    shipped = [theme for theme in available_themes(bundled) if theme not in local]
    close = did_you_mean(name, [*local, *shipped])
    if close:
        return close
    lists = []
    if local:
        lists.append(
            _("in %(folder)s/: %(themes)s") % {"folder": THEMES_DIR, "themes": ", ".join(local)}
        )
    if shipped:
        lists.append(_("bundled with sitegen: %(themes)s") % {"themes": ", ".join(shipped)})
    if not lists:
        return None
    # Translators: the lists are "in themes/: ..." and "bundled with sitegen: ...".
    return _("available themes %(lists)s") % {"lists": _("; ").join(lists)}


@dataclass(frozen=True)
class _Settings:
    """What a theme's theme.yaml says, checked."""

    path: Path
    extends: str | None = None
    extends_line: int | None = None
    front_matter: frozenset[str] = frozenset()
    feed_fields: Mapping[str, frozenset[str]] = field(default_factory=dict)


def _settings(root: Path) -> _Settings:
    """The theme.yaml of the theme at `root` (none: a theme that declares nothing)."""
    path = root / THEME_FILE
    if not path.is_file():
        return _Settings(path)
    settings = load_yaml(read_source(path), path)
    if settings is None:
        return _Settings(path)
    if not isinstance(settings, YamlMap):
        message = _("%(file)s must be a mapping of settings") % {"file": THEME_FILE}
        raise SiteError([Problem(path, 1, message)])
    problems = unknown_keys(path, settings, _THEME_SETTINGS, N_("theme setting"))
    parent = settings.get("extends")
    if parent is not None and not is_theme_name(parent):
        problems.append(
            Problem(
                path,
                settings.line_of("extends"),
                _(
                    "'extends' must be the name of another theme "
                    "(a folder of %(folder)s/ or a bundled theme)"
                )
                % {"folder": THEMES_DIR},
            )
        )
    front_matter = _names(path, settings, "front_matter", problems)
    fields: dict[str, frozenset[str]] = {}
    declared = settings.get("feed_fields")
    if isinstance(declared, YamlMap):
        fields = {str(feed): _names(path, declared, feed, problems) for feed in declared}
    elif declared is not None:
        problems.append(
            Problem(
                path,
                settings.line_of("feed_fields"),
                _(
                    "'feed_fields' maps a feed to the fields the theme reads: "
                    "{products: [...], merchants: [...]}"
                ),
            )
        )
    if problems:
        raise SiteError(problems)
    return _Settings(path, parent, settings.line_of("extends"), front_matter, fields)


def _names(path: Path, mapping: YamlMap, key: str, problems: list[Problem]) -> frozenset[str]:
    """A list of names in theme.yaml (front-matter keys, fields)."""
    value = mapping.get(key)
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        message = _("'%(key)s' must be a list of names") % {"key": key}
        problems.append(Problem(path, mapping.line_of(key), message))
        return frozenset()
    return frozenset(value)
