"""`sitegen check`: verify a built site the way visitors and search engines meet it.

The build already refuses a Markdown link to a page that does not exist; this
looks at what was written instead, so it also catches what templates, data feeds
and static files get wrong: every internal `href`, `src` and `srcset` leads to a
file of the output, every `#fragment` names an element of its page, every image
has an `alt` attribute, hreflang alternates exist and list each other back, and
every page meant for search engines has a description, with no title or
description used twice in one language. Nothing outside the site is fetched.

The checks are pure functions of an output folder, the site's base URL and a map
from output files to the source files they were made from, so they can be tested
on a handful of hand-written HTML files; `check_site` builds a site (as
`sitegen build` does) and checks the result.
"""

from __future__ import annotations

import posixpath
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from sitegen.base.errors import Problem
from sitegen.base.messages import N_, _, ngettext
from sitegen.building.buildcontract import BuildOptions, BuildResult
from sitegen.building.pipeline import build
from sitegen.settings.config import load_config

INDEX_FILE = "index.html"
_LINK_ATTRIBUTES = ("href", "src", "srcset")
_TOP_OF_PAGE = ("", "top")
"""Fragments a browser takes to mean the top of the page even with no such id (HTML)."""
_NOUNS = {"a": "link", "area": "link", "img": "image", "source": "media file", "script": "script"}
_LINK_NOUNS = {"stylesheet": "stylesheet", "icon": "icon", "canonical": "canonical URL"}
_THE = {
    "link": N_("the link"),
    "image": N_("the image"),
    "media file": N_("the media file"),
    "script": N_("the script"),
    "stylesheet": N_("the stylesheet"),
    "icon": N_("the icon"),
    "canonical URL": N_("the canonical URL"),
    "linked file": N_("the linked file"),
    "file": N_("the file"),
}
"""A reference's noun with its article, as a finding begins ('the image /a.png ...'):
translated whole, since a language's article depends on the noun."""


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a built page, and the source file to fix it in."""

    page: str
    """The page's URL, site-absolute: '/fr/participer/'."""
    output_path: str
    """Its file in the output folder: 'fr/participer/index.html'."""
    source: Path | None
    """The Markdown file or data feed the page was made from; None for pages made from
    templates alone (the root page, the 404 pages)."""
    message: str

    def as_problem(self) -> Problem:
        """A Problem, so `sitegen check` prints its findings the way the build prints errors."""
        # "page URL:" is part of a finding's head, which scripts read: not translated
        return Problem(self.source, None, f"page {self.page}: {self.message}")


@dataclass(frozen=True)
class CheckReport:
    pages: int
    """HTML files checked."""
    references: int
    """Internal links, images, scripts, stylesheets and alternates followed."""
    findings: tuple[Finding, ...]

    @property
    def pages_with_findings(self) -> int:
        return len({finding.output_path for finding in self.findings})


# ---------------------------------------------------------------- reading pages


@dataclass
class Reference:
    """A URL a page refers to: `what` names it in messages ('link', 'image', ...)."""

    what: str
    url: str


@dataclass
class PageFacts:
    """What the checks need to know about one HTML file."""

    lang: str = ""
    title: str | None = None
    description: str | None = None
    noindex: bool = False
    refresh: str | None = None
    """The target of a `<meta http-equiv="refresh">` (a redirect page), if any."""
    canonical: str | None = None
    base: str | None = None
    alternates: list[tuple[str, str]] = field(default_factory=list)
    """(hreflang, href) of each `<link rel="alternate" hreflang>`."""
    ids: set[str] = field(default_factory=set)
    """Every `id`, and the `name` of every `<a>`: what a #fragment may name."""
    references: list[Reference] = field(default_factory=list)
    images_without_alt: list[str] = field(default_factory=list)
    images_without_src: int = 0

    @property
    def redirects(self) -> bool:
        return self.refresh is not None


class _PageReader(HTMLParser):
    """Collects PageFacts while html.parser walks the file (no dependency needed)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self._title: list[str] | None = None
        self._svg_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        facts = self.facts
        if "id" in attributes:
            facts.ids.add(attributes["id"])
        if tag == "svg":
            self._svg_depth += 1
        elif tag == "html":
            facts.lang = attributes.get("lang", "").strip().lower()
        elif tag == "title" and self._svg_depth == 0 and facts.title is None:
            self._title = []
        elif tag == "meta":
            self._meta(attributes)
        elif tag == "base" and facts.base is None and "href" in attributes:
            facts.base = attributes["href"].strip()
        elif tag == "a" and "name" in attributes:
            facts.ids.add(attributes["name"])
        if tag == "img":
            self._image(attributes)
        if tag == "link":
            self._link(attributes)
        elif tag != "base":
            for name in _LINK_ATTRIBUTES:
                if name in attributes:
                    self._reference(tag, name, attributes[name])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "svg":
            self._svg_depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self._svg_depth:
            self._svg_depth -= 1
        elif tag == "title" and self._title is not None:
            self.facts.title = " ".join("".join(self._title).split())
            self._title = None

    def handle_data(self, data: str) -> None:
        if self._title is not None:
            self._title.append(data)

    def _meta(self, attributes: dict[str, str]) -> None:
        name = attributes.get("name", "").lower()
        content = attributes.get("content", "")
        if name == "description":
            self.facts.description = " ".join(content.split())
        elif name == "robots" and "noindex" in content.lower().replace(",", " ").split():
            self.facts.noindex = True
        elif attributes.get("http-equiv", "").lower() == "refresh":
            _delay, _semicolon, target = content.partition(";")
            target = target.strip()
            if target[:4].lower() == "url=":
                target = target[4:].strip().strip("'\"")
            if target:  # a refresh without a URL reloads the page: no redirect
                self.facts.refresh = target
                self.facts.references.append(Reference("redirect", target))

    def _image(self, attributes: dict[str, str]) -> None:
        if "alt" not in attributes:
            self.facts.images_without_alt.append(attributes.get("src", "").strip())
        if not attributes.get("src", "").strip() and not attributes.get("srcset", "").strip():
            self.facts.images_without_src += 1

    def _link(self, attributes: dict[str, str]) -> None:
        rel = attributes.get("rel", "").lower().split()
        href = attributes.get("href")
        if href is None:
            return
        if "alternate" in rel and "hreflang" in attributes:
            self.facts.alternates.append((attributes["hreflang"].strip().lower(), href.strip()))
            return  # checked, with more to say, by the hreflang rules
        if "canonical" in rel and self.facts.canonical is None:
            self.facts.canonical = href.strip()
        what = next((_LINK_NOUNS[word] for word in rel if word in _LINK_NOUNS), "linked file")
        self.facts.references.append(Reference(what, href.strip()))

    def _reference(self, tag: str, attribute: str, value: str) -> None:
        what = _NOUNS.get(tag, "file")
        if attribute == "srcset":
            self.facts.references.extend(Reference("image", url) for url in srcset_urls(value))
        elif value.strip():
            self.facts.references.append(Reference(what, value.strip()))


def read_page(html: str) -> PageFacts:
    reader = _PageReader()
    reader.feed(html)
    reader.close()
    return reader.facts


def srcset_urls(srcset: str) -> list[str]:
    """The URLs of a `srcset` ('a.webp 480w, b.webp 960w'), following the HTML rules:
    a URL runs to the next white space, and a comma ends a candidate."""
    urls = []
    position, length = 0, len(srcset)
    while position < length:
        while position < length and (srcset[position].isspace() or srcset[position] == ","):
            position += 1
        start = position
        while position < length and not srcset[position].isspace():
            position += 1
        url = srcset[start:position]
        if url.endswith(","):
            url = url.rstrip(",")
        else:  # skip the descriptors, up to the comma that ends this candidate
            depth = 0
            while position < length and (srcset[position] != "," or depth):
                depth += {"(": 1, ")": -1}.get(srcset[position], 0)
                position += 1
        if url:
            urls.append(url)
    return urls


# ---------------------------------------------------------------- the site's URLs


@dataclass(frozen=True)
class _Site:
    """Turns URLs into files of the output folder."""

    base_url: str
    files: frozenset[str]
    """Every file of the output, as a POSIX path relative to it."""

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path or "/"

    def page_url(self, relative: str) -> str:
        """The site-absolute URL a file is served at: folders for index files."""
        if relative == INDEX_FILE or relative.endswith("/" + INDEX_FILE):
            relative = relative.removesuffix(INDEX_FILE)
        return self.base_path + relative

    def internal_path(self, url: str, page: str, base: str | None = None) -> str | None:
        """The site-absolute path (fragment kept) of a URL on this site, seen from the page at
        URL `page`; None when it leads elsewhere (another host, mailto:, data:, ...)."""
        site = urlsplit(self.base_url)
        if base:
            url = urljoin(urljoin(page, base), url)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            if parts.scheme not in ("", "http", "https") or parts.netloc != site.netloc:
                return None
        elif not url.startswith("/"):
            parts = urlsplit(urljoin(page, url))
        fragment = f"#{parts.fragment}" if "#" in url else ""
        return (parts.path or "/") + fragment

    def within(self, path: str) -> bool:
        return (path + "/").startswith(self.base_path)

    def resolve(self, path: str) -> str | None:
        """The output file a site-absolute path (no fragment) is served from, or None."""
        base = self.base_path
        if not self.within(path):
            return None
        relative = unquote(path[len(base) :])
        normal = posixpath.normpath("/" + relative.lstrip("/")).lstrip("/")
        if relative == "" or relative.endswith("/"):
            candidate = posixpath.join(normal, INDEX_FILE) if normal else INDEX_FILE
            return candidate if candidate in self.files else None
        if normal in self.files:
            return normal
        folder_index = posixpath.join(normal, INDEX_FILE)  # a host redirects /fr/x to /fr/x/
        return folder_index if folder_index in self.files else None

    def alternates(self, relative: str, facts: PageFacts) -> dict[str, str | None]:
        """A page's hreflang alternates on this site: hreflang → output file (None: not built).
        Alternates on other sites are left out: they are not fetched."""
        found: dict[str, str | None] = {}
        for hreflang, href in facts.alternates:
            path = self.internal_path(href, self.page_url(relative), facts.base)
            if path is not None:
                found.setdefault(hreflang, self.resolve(path.partition("#")[0]))
        return found


# ---------------------------------------------------------------- the checks


def check_output(
    output: Path, base_url: str, sources: Mapping[str, Path] | None = None
) -> CheckReport:
    """Check every HTML file of `output`; `sources` maps output paths to source files."""
    files = frozenset(
        path.relative_to(output).as_posix() for path in output.rglob("*") if path.is_file()
    )
    site = _Site(base_url if base_url.endswith("/") else base_url + "/", files)
    pages = {
        relative: read_page((output / relative).read_text("utf-8", errors="replace"))
        for relative in sorted(files)
        if relative.endswith((".html", ".htm"))
    }
    sources = sources or {}
    findings: list[tuple[str, str]] = []
    references = 0
    for relative, facts in pages.items():
        found, followed = _page_findings(site, relative, facts, pages)
        references += followed
        findings.extend((relative, message) for message in found)
    findings.extend(_hreflang_findings(site, pages))
    findings.extend(_duplicate_findings(site, pages))
    unique = list(dict.fromkeys(findings))
    order = {relative: index for index, relative in enumerate(pages)}
    unique.sort(key=lambda item: order[item[0]])
    return CheckReport(
        pages=len(pages),
        references=references,
        findings=tuple(
            Finding(site.page_url(relative), relative, sources.get(relative), message)
            for relative, message in unique
        ),
    )


def _page_findings(
    site: _Site, relative: str, facts: PageFacts, pages: Mapping[str, PageFacts]
) -> tuple[list[str], int]:
    """What is wrong inside one page; also returns how many internal references it has."""
    found = []
    page_url = site.page_url(relative)
    followed = 0
    for reference in facts.references:
        path = site.internal_path(reference.url, page_url, facts.base)
        if path is None:
            continue
        followed += 1
        problem = _reference_problem(site, relative, reference, path, pages)
        if problem:
            found.append(problem)
    for src in facts.images_without_alt:
        if src:
            message = _(
                'the image %(src)s has no alt attribute (describe it, or write alt="" '
                "if it is decoration)"
            )
        else:
            message = _(
                'an image has no alt attribute (describe it, or write alt="" if it is decoration)'
            )
        found.append(message % {"src": src} if src else message)
    if facts.images_without_src:
        found.append(_("an image has neither src nor srcset"))
    if not facts.title:
        found.append(_("the page has no <title>"))
    if not facts.description and not facts.noindex and not facts.redirects:
        found.append(_('the page has no description (<meta name="description">)'))
    return found, followed


def _reference_problem(
    site: _Site,
    relative: str,
    reference: Reference,
    path: str,
    pages: Mapping[str, PageFacts],
) -> str | None:
    address, hash_mark, fragment = path.partition("#")
    target = relative if reference.url.startswith("#") else site.resolve(address)
    if target is None:
        values = _reference_values(reference)
        if not site.within(address):
            message = _("%(what)s %(url)s is outside the site's base path %(base)s")
            return message % {**values, "base": site.base_path}
        return _("%(what)s %(url)s leads to no file of the output") % values
    name = unquote(fragment)
    if not hash_mark or name.lower() in _TOP_OF_PAGE or target not in pages:
        return None
    if name in pages[target].ids:
        return None
    values = _reference_values(reference)
    if target == relative:
        return _("%(what)s %(url)s: this page has no element with id '%(id)s'") % {
            **values,
            "id": name,
        }
    return _("%(what)s %(url)s: %(page)s has no element with id '%(id)s'") % {
        **values,
        "page": site.page_url(target),
        "id": name,
    }


def _reference_values(reference: Reference) -> dict[str, str]:
    """A wrong reference's noun, translated (only for a finding: not per reference)."""
    return {"what": _(_THE.get(reference.what, f"the {reference.what}")), "url": reference.url}


def _hreflang_findings(site: _Site, pages: Mapping[str, PageFacts]) -> Iterator[tuple[str, str]]:
    """Alternates lead to built pages in their language, and each lists the page back.

    A page whose canonical URL is another page (a fallback) may carry its original's
    alternates: search engines read them on the canonical page only, so only they
    must exist; and an alternate must not be such a page.
    """
    targets = {relative: site.alternates(relative, facts) for relative, facts in pages.items()}
    for relative, facts in pages.items():
        hreflangs = [hreflang for hreflang, _href in facts.alternates]
        for hreflang in sorted({code for code in hreflangs if hreflangs.count(code) > 1}):
            message = _("it has %(count)s hreflang '%(hreflang)s' alternates")
            yield relative, message % {"count": hreflangs.count(hreflang), "hreflang": hreflang}
        canonical = _canonical(site, relative, facts) in (None, relative)
        for hreflang, target in targets[relative].items():
            if target is None or target not in pages:
                href = next(href for code, href in facts.alternates if code == hreflang)
                message = _("its hreflang '%(hreflang)s' alternate %(url)s was not built")
                yield relative, message % {"hreflang": hreflang, "url": href}
                continue
            shown = site.page_url(target)
            values = {"hreflang": hreflang, "url": shown}
            if _canonical(site, target, pages[target]) not in (None, target):
                message = _("its hreflang '%(hreflang)s' alternate %(url)s is not canonical")
                yield relative, message % values
            if not canonical or hreflang == "x-default" or target == relative:
                continue
            language = pages[target].lang
            if language and language.split("-")[0] != hreflang.split("-")[0]:
                message = _("its hreflang '%(hreflang)s' alternate %(url)s is in '%(language)s'")
                yield relative, message % {**values, "language": language}
            if relative not in targets[target].values():
                message = _(
                    "its hreflang '%(hreflang)s' alternate %(url)s does not list it back "
                    "as an alternate"
                )
                yield relative, message % values


def _duplicate_findings(site: _Site, pages: Mapping[str, PageFacts]) -> Iterator[tuple[str, str]]:
    """No two pages of one language share a title or a description.

    Only pages a search engine lists count: a page marked noindex (the 404 pages), a
    redirect page, and a page whose canonical URL is another page (a fallback showing
    its original's text) are left out. Pages that are hreflang alternates of each
    other (a home and the root page, its x-default) are one page in search results:
    they may share a title.
    """
    listed = [relative for relative, facts in pages.items() if _is_listed(site, relative, facts)]
    alternates = {
        relative: set(site.alternates(relative, pages[relative]).values()) for relative in listed
    }
    labelled = (
        (N_("its title is also the title of %(pages)s"), _title),
        (N_("its description is also the description of %(pages)s"), _description),
    )
    for label, value in labelled:
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for relative in listed:
            text = value(pages[relative])
            if text:
                groups[(pages[relative].lang, text)].append(relative)
        for same in groups.values():
            for relative in same:
                others = [
                    other
                    for other in same
                    if other != relative
                    and other not in alternates[relative]
                    and relative not in alternates[other]
                ]
                if others:
                    shown = ", ".join(site.page_url(other) for other in others)
                    yield relative, _(label) % {"pages": shown}


def _title(facts: PageFacts) -> str | None:
    return facts.title


def _description(facts: PageFacts) -> str | None:
    return facts.description


def _is_listed(site: _Site, relative: str, facts: PageFacts) -> bool:
    if facts.noindex or facts.redirects:
        return False
    return _canonical(site, relative, facts) in (None, relative)


def _canonical(site: _Site, relative: str, facts: PageFacts) -> str | None:
    """The output file of a page's canonical URL; None without one. A canonical URL
    on another site, or one that was not built, names no file: ''."""
    if facts.canonical is None:
        return None
    path = site.internal_path(facts.canonical, site.page_url(relative), facts.base)
    return (site.resolve(path.partition("#")[0]) if path else None) or ""


# ---------------------------------------------------------------- build, then check


def check_site(options: BuildOptions) -> tuple[BuildResult, CheckReport]:
    """Build the site as `sitegen build` does, then check what was written.

    Without an output folder in `options`, the site is built into a temporary folder,
    removed afterwards, so that `output/` stays what the last `sitegen build` made.
    Raises SiteError when the site does not build.
    """
    base_url = load_config(options.site_root).base_url
    if options.output is not None:
        result = build(options)
        return result, check_output(result.output, base_url, result.sources)
    with tempfile.TemporaryDirectory(prefix="sitegen-check-") as folder:
        result = build(replace(options, output=Path(folder) / "output"))
        return result, check_output(result.output, base_url, result.sources)


def check_summary(report: CheckReport) -> str:
    values = {
        "pages": ngettext("%(count)s page", "%(count)s pages", report.pages)
        % {"count": report.pages},
        "references": ngettext(
            "%(count)s internal reference", "%(count)s internal references", report.references
        )
        % {"count": report.references},
    }
    if not report.findings:
        return _("Checked %(pages)s and %(references)s: no problems.") % values
    values["problems"] = ngettext(
        "%(count)s problem", "%(count)s problems", len(report.findings)
    ) % {"count": len(report.findings)}
    values["found_on"] = ngettext(
        "%(count)s page", "%(count)s pages", report.pages_with_findings
    ) % {"count": report.pages_with_findings}
    return _("Checked %(pages)s and %(references)s: %(problems)s on %(found_on)s.") % values
