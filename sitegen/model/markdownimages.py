"""The files Markdown images name, found before anything is written.

`![alt](path)` follows the feeds' rule for `image` fields: a path without `./` or
`../` (a leading `/` or not) is a file of static/, the site's or a theme's
(`img/products/scarf.jpg`); a path starting with `./` or `../` is a file of the
page's own folder under content/ (`./plan.png` beside `content/guides/intro.fr.md`).
A file of a page's folder is published as a static file would be, at its path
below content/ (`guides/plan.png`): one copy for every language's page, which the
template API then treats as it treats static files (hashed name, size, variants).

Each image whose file is not there is a problem at its Markdown line, found while
the build still checks (sitegen.building.preparation.prepare), so a broken image
fails the build before anything is written, and found again every build, since a
file can go while the page stays the same.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from pathlib import Path

from sitegen.base.errors import Problem, did_you_mean
from sitegen.base.layout import CONTENT_DIR, STATIC_DIR
from sitegen.base.messages import _
from sitegen.model.site import Page
from sitegen.sources.markdown import MarkdownImage

ARTICLE_IMAGE_SIZES = "(min-width: 42rem) 42rem, 100vw"
"""The `sizes` of a Markdown image: shown across a body of text, which themes keep
to a measure of about 42rem (the bundled theme's), and across the screen below it."""
_BESIDE_THE_PAGE = ("./", "../")


def published_path(image: MarkdownImage, page: Path, content: Path) -> str:
    """Where an image's file is published in the output (its name among the static
    files): 'img/photo.jpg' for `img/photo.jpg` or `/img/photo.jpg`, 'guides/plan.png'
    for `./plan.png` on a page of content/guides/ (`content`); it starts with '../'
    when the path leads out of content/."""
    if not image.path.startswith(_BESIDE_THE_PAGE):
        return image.path.lstrip("/")
    folder = page.parent.relative_to(content).as_posix()
    return posixpath.normpath(posixpath.join(folder, image.path))


def page_folder_images(
    pages: Iterable[Page], root: Path, static: Mapping[str, Path]
) -> tuple[dict[str, Path], list[Problem]]:
    """The files of page folders that the pages' Markdown images show, by their
    published path (to publish with the static files), and a problem for each image
    whose file is not there."""
    content = root / CONTENT_DIR
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    checked: set[Path] = set()
    for page in pages:
        source = page.source.path
        if not page.images or source in checked:  # a page shown in several languages
            continue
        checked.add(source)
        for image in page.images:
            published = published_path(image, source, content)
            if image.path.startswith(_BESIDE_THE_PAGE):
                wrong = _beside_problem(image, published, content / published, root, static)
                if wrong is None:
                    files[published] = content / published
            else:
                wrong = _static_problem(image, published, source, static)
            if wrong is not None:
                message, hint = wrong
                problems.append(Problem(source, image.line, message, image.column, hint))
    return files, problems


_Wrong = tuple[str, str | None]
"""A problem's message and hint."""


def _static_problem(
    image: MarkdownImage, published: str, page: Path, static: Mapping[str, Path]
) -> _Wrong | None:
    if published in static:
        return None
    if not image.path:
        return _("this image names no file"), None
    hint = did_you_mean(published, static) or (
        _("a file of that name is beside the page: write './%(file)s'") % {"file": published}
        if (page.parent / published).is_file()
        else _(
            "a path without ./ or ../ is a file of %(static)s/; './' starts from the page's folder"
        )
        % {"static": STATIC_DIR}
    )
    message = _("the image '%(image)s' is not a file of static/ (or of the theme's)")
    return message % {"image": image.path}, hint


def _beside_problem(
    image: MarkdownImage, published: str, file: Path, root: Path, static: Mapping[str, Path]
) -> _Wrong | None:
    if published == ".." or published.startswith("../"):
        return (
            _("the image '%(image)s' is outside %(content)s/")
            % {"image": image.path, "content": CONTENT_DIR},
            _("put it in the page's folder, or in %(static)s/") % {"static": STATIC_DIR},
        )
    if not file.is_file():
        return (
            _("the image '%(image)s' is not a file (there is no %(content)s/%(file)s)")
            % {"image": image.path, "content": CONTENT_DIR, "file": published},
            None,
        )
    if not file.resolve().is_relative_to(root.resolve()):  # sitegen.sources.sitefiles' rule
        return (
            _(
                "the image '%(image)s' is a symbolic link to %(target)s, outside the "
                "site: sitegen does not publish files from outside the site"
            )
            % {"image": image.path, "target": file.resolve()},
            _("copy the file into the site instead of linking to it"),
        )
    if published in static:
        return (
            _(
                "the image '%(image)s' would be published as /%(file)s, like the file "
                "of %(static)s/ of that name"
            )
            % {"image": image.path, "file": published, "static": STATIC_DIR},
            _("rename one of them"),
        )
    return None
