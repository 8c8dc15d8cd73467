"""The folders of a site, as the user's contract (DESIGN.md) names them. Whatever lists
a site's inputs (the build cache's stamps, the refusal to build into an input folder,
the dev server's watch) takes them from here."""

CONFIG_FILE = "site.yaml"
CONTENT_DIR = "content"
DATA_DIR = "data"
TEMPLATES_DIR = "templates"
STATIC_DIR = "static"
CATALOG_DIR = "i18n"
THEMES_DIR = "themes"
INPUT_FOLDERS = (CONTENT_DIR, DATA_DIR, TEMPLATES_DIR, STATIC_DIR, CATALOG_DIR, THEMES_DIR)
"""The folders of a site that hold what it is built from (site.yaml aside)."""
