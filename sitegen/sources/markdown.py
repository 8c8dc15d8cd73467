"""Markdown to HTML with markdown-it-py, with links between pages checked.

A link written as the relative path of another Markdown file
(`[the explainer](explainer.md#figures)`) is rewritten to that page's URL in
the linking page's language; a link to a page that does not exist is a problem
with the file, line and column of the link. An image of the site's own files
(`![alt](img/photo.jpg)`) is recorded with its place and left as a placeholder:
the render stage writes it as `image()` does, once the static files and their
sizes are known (sitegen.model.markdownimages). Raw HTML in Markdown is shown as
text, and attributes (`{.lead}`) are limited to a safe list.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from sitegen.base.errors import Problem, SiteError, did_you_mean
from sitegen.base.messages import _
from sitegen.base.textfile import StoredText
from sitegen.settings.campaign import Campaign, phase_attributes, unknown_phases

SAFE_ATTRIBUTES = (
    "id",
    "class",
    "lang",
    "dir",
    "title",
    "width",
    "height",
    "loading",
    "role",
    "rel",
    "hreflang",
)


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str | StoredText
    """A StoredText once the build cache keeps it on disk (sitegen.base.textfile)."""
    toc: tuple[Heading, ...]
    components: tuple[ComponentCall, ...] = ()
    images: tuple[MarkdownImage, ...] = ()


NO_BODY: Final = RenderedMarkdown(html="", toc=())
"""What an empty body renders to."""

FOOTNOTES_START: Final = '<hr class="footnotes-sep"'
"""How markdown-it's footnotes plugin starts the footnotes it writes after the body
(raw HTML is off: no author's text can hold it)."""


def footnotes_apart(html: str) -> tuple[str, str]:
    """(the body, its footnotes): a rendered body cut where its footnotes start."""
    at = html.rfind(FOOTNOTES_START)
    return (html, "") if at < 0 else (html[:at], html[at:])


@dataclass(frozen=True)
class ComponentCall:
    """`::: products category=fashion limit=8` in Markdown: a theme component to render
    where `placeholder` stands in the HTML."""

    name: str
    arguments: tuple[tuple[str, str | int], ...]
    line: int

    def placeholder(self, index: int) -> str:
        return f"<!--sitegen:component {index}-->"


@dataclass(frozen=True)
class MarkdownImage:
    """`![alt](img/photo.jpg "title"){.wide}` in Markdown, naming a file of the site (not
    a URL): written where `image_placeholder(index)` stands in the HTML."""

    path: str
    """As written, %-escapes decoded: 'img/photo.jpg', '/img/photo.jpg', './plan.png'."""
    alt: str
    """The image's text, as plain text."""
    attributes: tuple[tuple[str, str], ...]
    """Its title and the attributes of `{...}`, in their order."""
    line: int
    column: int | None
    """Of the path in the source file (None when it is not written there as such: a
    reference `![alt][ref]`)."""


IMAGE_PLACEHOLDER = re.compile(r"<!--sitegen:image (\d+)-->")
"""What stands for the `index`th MarkdownImage of a body until the render stage; raw
HTML in Markdown is shown as text, so a page cannot write one itself."""


def image_placeholder(index: int) -> str:
    return f"<!--sitegen:image {index}-->"


_IMAGE_INDEX = "sitegen_image"
"""The meta key of an image token that render() recorded as a MarkdownImage."""
_TEXT = RendererHTML()
"""Writes an image's text as its `alt`, as markdown-it does."""


class LinkError(Exception):
    """Raised by a link resolver: the message says why the target is not a page."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


LinkResolver = Callable[[str], str]
"""Maps the path of a linked `.md` file (as written) to a URL, or raises LinkError."""


def create_parser() -> MarkdownIt:
    parser = (
        MarkdownIt("commonmark", {"html": False, "typographer": False})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
        .use(attrs_plugin, allowed=SAFE_ATTRIBUTES)
        .use(attrs_block_plugin, allowed=SAFE_ATTRIBUTES)
        .use(anchors_plugin, min_level=2, max_level=4)
        .use(container_plugin, PHASE_BLOCK, render=_render_phase_block)
        .use(container_plugin, COMPONENT_BLOCK, validate=_is_component, render=_render_component)
    )
    parser.add_render_rule("image", _render_image)
    return parser


def _render_image(
    renderer: Any, tokens: list[Token], index: int, options: Any, env: dict[str, Any]
) -> str:
    """A recorded image's placeholder; any other (a URL, `data:`) as markdown-it writes it."""
    number = tokens[index].meta.get(_IMAGE_INDEX)
    if number is None:
        return str(renderer.image(tokens, index, options, env))
    return image_placeholder(number)


COMPONENT_BLOCK = "component"
_COMPONENT_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _is_component(params: str, markup: str) -> bool:
    words = params.split()
    return bool(words) and words[0] != PHASE_BLOCK and bool(_COMPONENT_NAME.match(words[0]))


def _render_component(
    renderer: Any, tokens: list[Token], index: int, options: Any, env: dict[str, Any]
) -> str:
    token = tokens[index]
    if token.nesting == -1:
        return ""
    number = env["component_tokens"].index(index)
    return f"<!--sitegen:component {number}-->\n"


PHASE_BLOCK = "phase"
"""`::: phase live` … `:::`: Markdown shown only during the phases named."""


def _phase_names(token: Token) -> tuple[str, ...]:
    return tuple(token.info.split()[1:])


def _render_phase_block(
    renderer: Any, tokens: list[Token], index: int, options: Any, env: dict[str, Any]
) -> str:
    token = tokens[index]
    if token.nesting == -1:
        return "</div>\n"
    attributes = phase_attributes(_phase_names(token), env["phase"])
    return f'<div class="phase"{attributes}>\n'


class MarkdownRenderer:
    def __init__(self) -> None:
        self._parser = create_parser()

    def render(
        self,
        source: str,
        *,
        path: Path,
        first_line: int,
        resolve_link: LinkResolver,
        campaign: Campaign | None = None,
        now: dt.datetime | None = None,
    ) -> RenderedMarkdown:
        """Render a page body; raises SiteError listing every broken page link and
        every phase block naming a phase the campaign does not have."""
        if not source:
            # Pages made from data have no body: 20,000 product pages would each pay
            # for parsing nothing (a tenth of a second in all).
            return NO_BODY
        tokens = self._parser.parse(source)
        images = self._record_images(tokens, source, first_line)
        problems = self._rewrite_links(tokens, source, path, first_line, resolve_link)
        problems.extend(_check_phase_blocks(tokens, path, first_line, campaign))
        components, component_problems = _component_calls(tokens, path, first_line)
        problems.extend(component_problems)
        if problems:
            raise SiteError(problems)
        env = {
            "phase": campaign.phase_at(now) if campaign and now else None,
            "component_tokens": [
                index
                for index, token in enumerate(tokens)
                if token.type == f"container_{COMPONENT_BLOCK}_open"
            ],
        }
        html = self._parser.renderer.render(tokens, self._parser.options, env)
        return RenderedMarkdown(
            html=html, toc=_headings(tokens), components=components, images=images
        )

    def render_inline(self, source: str) -> str:
        return str(self._parser.renderInline(source))

    def _rewrite_links(
        self,
        tokens: list[Token],
        source: str,
        path: Path,
        first_line: int,
        resolve_link: LinkResolver,
    ) -> list[Problem]:
        problems: list[Problem] = []
        for cursor, children in _inline_blocks(tokens, source):
            for token in children:
                href = token.attrGet("href") if token.type == "link_open" else None
                target = _page_target(str(href)) if href else None
                if target is None:
                    continue
                page_path, fragment = target
                line, column = cursor.find(f"]({href}")
                try:
                    url = resolve_link(page_path)
                except LinkError as error:
                    problems.append(
                        Problem(path, line + first_line - 1, error.message, column, error.hint)
                    )
                    continue
                token.attrSet("href", url + (f"#{fragment}" if fragment else ""))
        return problems

    def _record_images(
        self, tokens: list[Token], source: str, first_line: int
    ) -> tuple[MarkdownImage, ...]:
        """The images naming a file of the site, in order, each token marked with its
        number: URLs (`https://`, `data:`) are not the site's files and stay as they are."""
        images: list[MarkdownImage] = []
        for cursor, children in _inline_blocks(tokens, source):
            for token in children:
                src = str(token.attrGet("src") or "") if token.type == "image" else None
                if src is None or _is_url(src):
                    continue
                written = unquote(src)
                line, column = _path_place(cursor, src, written)
                alt = _TEXT.renderInlineAsText(token.children or [], self._parser.options, {})
                attributes = tuple(
                    (name, str(value))
                    for name, value in token.attrs.items()
                    if name not in ("src", "alt")
                )
                token.meta[_IMAGE_INDEX] = len(images)
                images.append(
                    MarkdownImage(written, alt, attributes, line + first_line - 1, column)
                )
        return tuple(images)


def _path_place(cursor: _Cursor, src: str, written: str) -> tuple[int, int | None]:
    """Line and column of an image's path, which markdown-it gives %-escaped: found as
    such, decoded, or decoded between <>; else the block's first line (a reference,
    `![alt][ref]`, names its path elsewhere)."""
    for needle, before_path in ((src, 0), (written, 0), (f"<{written}", 1)):
        line, column = cursor.find(f"]({needle}")
        if column is not None:
            return line, column + before_path
    return line, None


def _is_url(src: str) -> bool:
    parts = urlsplit(src)
    return bool(parts.scheme or parts.netloc)


def _page_target(href: str) -> tuple[str, str] | None:
    """(path, fragment) when `href` points at a Markdown file of the site."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
        return None
    return parts.path, parts.fragment


def _inline_blocks(tokens: list[Token], source: str) -> Iterator[tuple[_Cursor, list[Token]]]:
    """Each block's inline tokens (links, images...), with a cursor over its source
    lines that finds where each is written."""
    lines = source.split("\n")
    for block in tokens:
        if block.type == "inline" and block.children:
            yield _Cursor(lines, block.map), block.children


class _Cursor:
    """Finds links in the source lines of one block, in order, so that the same
    link written twice is reported at each of its places."""

    def __init__(self, lines: list[str], block_map: list[int] | None) -> None:
        self.lines = lines
        self.line, self.end = block_map if block_map else (0, len(lines))
        self.start = self.line
        self.column = 0

    def find(self, needle: str) -> tuple[int, int | None]:
        """1-based line and column of the link target after the previous one found."""
        for index in range(self.line, min(self.end, len(self.lines))):
            offset = self.column if index == self.line else 0
            column = self.lines[index].find(needle, offset)
            if column >= 0:
                self.line, self.column = index, column + len(needle)
                return index + 1, column + 3
        return self.start + 1, None


def _headings(tokens: list[Token]) -> tuple[Heading, ...]:
    headings = []
    for index, token in enumerate(tokens):
        anchor = token.attrGet("id") if token.type == "heading_open" else None
        if anchor:
            text = "".join(
                child.content
                for child in tokens[index + 1].children or []
                if child.type in ("text", "code_inline")
            )
            headings.append(Heading(level=int(token.tag[1]), id=str(anchor), text=text))
    return tuple(headings)


def _check_phase_blocks(
    tokens: list[Token], path: Path, first_line: int, campaign: Campaign | None
) -> list[Problem]:
    problems = []
    for token in tokens:
        if token.type != f"container_{PHASE_BLOCK}_open":
            continue
        line = (token.map[0] if token.map else 0) + first_line
        names = _phase_names(token)
        unknown = unknown_phases(names, campaign)
        if campaign is None:
            message = _("a phase block needs a campaign in site.yaml")
            problems.append(Problem(path, line, message))
        elif unknown or not names:
            problems.append(
                Problem(
                    path,
                    line,
                    _("unknown phase '%(phase)s'") % {"phase": unknown[0]}
                    if unknown
                    else _("name the phases of this block"),
                    hint=(did_you_mean(unknown[0], campaign.phase_names) if unknown else None)
                    or _("the phases are: %(phases)s")
                    % {"phases": ", ".join(campaign.phase_names)},
                )
            )
    return problems


def _component_calls(
    tokens: list[Token], path: Path, first_line: int
) -> tuple[tuple[ComponentCall, ...], list[Problem]]:
    """The components a page places, with their arguments: `key=value`, values quoted
    when they hold spaces; whole numbers become numbers."""
    calls = []
    problems = []
    for index, token in enumerate(tokens):
        if token.type != f"container_{COMPONENT_BLOCK}_open":
            continue
        line = (token.map[0] if token.map else 0) + first_line
        if tokens[index + 1].type != f"container_{COMPONENT_BLOCK}_close":
            problems.append(
                Problem(path, line, _("a component block holds no text: close it with ':::'"))
            )
        if not _balanced(token.info):
            message = _("a quote of this component is never closed")
            problems.append(Problem(path, line, message))
            continue
        name, *words = shlex.split(token.info)
        arguments: list[tuple[str, str | int]] = []
        for word in words:
            key, equals, value = word.partition("=")
            if not equals or not _COMPONENT_NAME.match(key):
                problems.append(
                    Problem(
                        path,
                        line,
                        _("'%(word)s' is not an argument such as category=fashion")
                        % {"word": word},
                        hint=_('put values with spaces in quotes: title="Nos offres"'),
                    )
                )
                continue
            arguments.append((key, int(value) if value.isdigit() else value))
        calls.append(ComponentCall(name=name, arguments=tuple(arguments), line=line))
    return tuple(calls), problems


def _balanced(text: str) -> bool:
    try:
        shlex.split(text)
    except ValueError:
        return False
    return True
