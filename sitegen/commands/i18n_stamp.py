"""`sitegen i18n stamp`: records in a translation's front matter which version of its
original it was made from (`translated_from`; i18n_status.py tells how the status
compares it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from sitegen.base.errors import Problem, SiteError
from sitegen.base.messages import _
from sitegen.base.yamlsource import load_yaml
from sitegen.commands.i18n_files import shown, write_file
from sitegen.settings.config import SiteConfig, load_config
from sitegen.sources.content import SourcePage, fingerprint, load_pages
from sitegen.sources.frontmatter import closing_fence, split_front_matter


@dataclass(frozen=True)
class Stamped:
    shown: str
    original: str
    fingerprint: str
    changed: bool


_STAMP_KEY = re.compile(r"translated_from[ \t]*:")


def stamp_front_matter(text: str, value: str) -> str:
    """`text` with `translated_from: "<value>"` in its front matter, the rest untouched.

    An existing line is replaced; otherwise the line goes just before the closing
    `---`; a file without front matter gets one. The value is quoted: a fingerprint
    such as `1234e5678901` would otherwise be read as a number.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    entry = f'translated_from: "{value}"'
    lines = body.split("\n")
    end = closing_fence(lines)  # ValueError when never closed
    if end is None:
        newline = "\r\n" if "\r\n" in body else "\n"
        return f"{bom}---{newline}{entry}{newline}---{newline}{body}"
    for index in range(1, end):
        if _STAMP_KEY.match(lines[index]):
            stop = index + 1
            while stop < end and lines[stop][:1] in (" ", "\t"):  # the old value's next lines
                stop += 1
            carriage = "\r" if lines[stop - 1].endswith("\r") else ""
            lines[index:stop] = [entry + carriage]
            return bom + "\n".join(lines)
    carriage = "\r" if lines[end].endswith("\r") else ""
    lines.insert(end, entry + carriage)
    return bom + "\n".join(lines)


def stamp(site_root: Path, files: Sequence[Path], every: bool = False) -> list[Stamped]:
    """`sitegen i18n stamp`: nothing is written unless every file can be stamped."""
    config = load_config(site_root)
    pages = load_pages(config)
    originals = {
        page.translation_key or page.key: page
        for page in pages
        if page.lang == config.default_language
    }
    problems: list[Problem] = []
    targets: list[tuple[SourcePage, SourcePage]] = []
    if every:
        for page in pages:
            original = originals.get(page.translation_key or page.key)
            if page.lang != config.default_language and original is not None:
                targets.append((page, original))
    else:
        by_path = {page.path.resolve(): page for page in pages}
        for file in files:
            try:
                page = _page_of(config, file, by_path)
            except SiteError as error:
                problems.extend(error.problems)
                continue
            original = originals.get(page.translation_key or page.key)
            if page.lang == config.default_language:
                problems.append(
                    Problem(
                        page.path,
                        None,
                        _(
                            "this page is in the default language (%(code)s): "
                            "it is an original, not a translation"
                        )
                        % {"code": page.lang},
                        hint=_("stamp its translations instead"),
                    )
                )
            elif original is None:
                name = f"{PurePosixPath(page.key).name}.{config.default_language}.md"
                problems.append(
                    Problem(
                        page.path,
                        None,
                        _(
                            "this translation has no original in the default language "
                            "(%(code)s) to take a fingerprint from"
                        )
                        % {"code": config.default_language},
                        hint=_("write %(file)s, or give it the translation_key of its original")
                        % {"file": shown(page.path.with_name(name), config.root)},
                    )
                )
            else:
                targets.append((page, original))
    if problems:
        raise SiteError(problems)
    writes: list[tuple[Path, bytes]] = []
    results: list[Stamped] = []
    for page, original in targets:
        value = fingerprint(original)
        raw = _read_bytes(page.path)
        new = _stamped_bytes(page.path, raw, value)
        if new != raw:
            writes.append((page.path, new))
        results.append(
            Stamped(
                shown=shown(page.path, config.root),
                original=shown(original.path, config.root),
                fingerprint=value,
                changed=new != raw,
            )
        )
    for path, data in writes:
        write_file(path, data)
    return results


def _page_of(config: SiteConfig, file: Path, by_path: Mapping[Path, SourcePage]) -> SourcePage:
    """The page a path names, relative to the current folder or to the site."""
    candidates = [file] if file.is_absolute() else [file, config.root / file]
    existing = [path for path in candidates if path.is_file()]
    for path in existing:
        page = by_path.get(path.resolve())
        if page is not None:
            return page
    if not existing:
        raise SiteError([Problem(file, None, _("no such file"))])
    raise SiteError(
        [
            Problem(
                existing[0],
                None,
                _("this file is not a page of the site in %(site)s") % {"site": config.root},
                hint=_(
                    "translations are the Markdown files below content/, such as content/join.en.md"
                ),
            )
        ]
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        message = _("cannot read the file: %(error)s") % {"error": exc.strerror}
        raise SiteError([Problem(path, None, message)]) from None


def _front(text: str, path: Path) -> tuple[dict[Any, Any], str]:
    normalized = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    front_text, body, _line = split_front_matter(normalized, path)
    front = load_yaml(front_text, path, first_line=2) if front_text is not None else None
    return (dict(front) if isinstance(front, Mapping) else {}), body


def _stamped_bytes(path: Path, raw: bytes, value: str) -> bytes:
    """The new file, checked: it must read back with the stamp and nothing else changed."""
    text = raw.decode("utf-8")  # load_pages read it already: it is UTF-8
    failure = Problem(
        path,
        None,
        _("could not write 'translated_from' into this front matter safely"),
        hint=_('add the line translated_from: "%(value)s" to the front matter by hand')
        % {"value": value},
    )
    try:
        new = stamp_front_matter(text, value)
        before, body_before = _front(text, path)
        after, body_after = _front(new, path)
    except (ValueError, SiteError):
        raise SiteError([failure]) from None
    before.pop("translated_from", None)
    if after.pop("translated_from", None) != value or before != after or body_before != body_after:
        raise SiteError([failure])
    return new.encode("utf-8")
