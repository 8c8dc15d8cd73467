"""Search and sharing: sitemap.xml, robots.txt, Atom feeds, aliases (redirect pages and
_redirects), _headers, JSON-LD and social tags, and SOURCE_DATE_EPOCH. XML is read
with xml.etree, HTML with a real parser."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.conftest import (
    REPO,
    copy_example,
    page,
    parse_html,
    run_sitegen,
    snapshot,
    write_tree,
)

BASE = "https://example.org/"
NOW = "2027-06-01T12:00:00+02:00"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"

PAGE_TEMPLATE = """<!doctype html>
<html lang="{{ lang.code }}"><head><meta charset="utf-8"><title>{{ page.title }}</title>
<link rel="canonical" href="{{ page.canonical }}">
{% for a in page.alternates %}<link rel="alternate" hreflang="{{ a.hreflang }}" \
href="{{ a.href }}">
{% endfor %}<link rel="alternate" type="application/atom+xml" href="{{ feed_url }}">
</head><body><main><h1>{{ page.title }}</h1>{{ page.content }}</main></body></html>
"""

SITE = {
    "templates/home.html": PAGE_TEMPLATE,
    "templates/section.html": PAGE_TEMPLATE,
    "templates/page.html": PAGE_TEMPLATE,
    "templates/article.html": PAGE_TEMPLATE,
    "content/index.fr.md": page("Accueil"),
    "content/index.en.md": page("Home"),
    # French only: the English version is a fallback, which no sitemap or feed lists
    "content/about.fr.md": page("À propos", "Seulement en français."),
    "content/news/index.fr.md": page("Actualités", slug="actualites"),
    "content/news/index.en.md": page("News"),
    "content/news/first.fr.md": page(
        "Premier article", "Le *premier* : 1 299 €.", date="2027-01-02", layout="article"
    ),
    "content/news/first.en.md": page("First story", "The *first*.", date="2027-01-02"),
    "content/news/second.fr.md": page(
        "Second article",
        "Le second.",
        date="2027-03-01",
        updated="2027-04-01",
        description="Résumé du second",
    ),
    "content/news/second.en.md": page("Second story", "The second.", date="2027-03-01"),
    # English only, dated: the French fallback is no article of the French feed
    "content/news/third.en.md": page("Third story", "Only in English.", date="2027-05-05"),
    # Dated, but a section: not an article
    "content/archive/index.fr.md": page("Archives", date="2026-01-01"),
    "static/css/site.css": "body{}\n",
}


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = write_tree(tmp_path_factory.mktemp("seo") / "site", SITE)
    result = run_sitegen("build", site, "--now", NOW)
    assert result.returncode == 0, result.stderr
    return site / "output"


def _sitemap(output: Path) -> dict[str, tuple[str | None, dict[str, str]]]:
    """loc → (lastmod, {hreflang: href}); checks the order the schema requires and
    that no <loc> is listed twice."""
    root = ET.parse(output / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    entries: dict[str, tuple[str | None, dict[str, str]]] = {}
    for url in root:
        assert url.tag == f"{SITEMAP}url"
        children = list(url)
        assert children[0].tag == f"{SITEMAP}loc"
        loc = children[0].text
        assert loc and loc.startswith(BASE) and len(loc) < 2048
        lastmod = None
        rest = children[1:]
        if rest and rest[0].tag == f"{SITEMAP}lastmod":
            lastmod = rest[0].text
            rest = rest[1:]
        alternates = {}
        for link in rest:
            assert link.tag == f"{XHTML}link"
            assert link.get("rel") == "alternate"
            alternates[link.get("hreflang")] = link.get("href")
        assert loc not in entries, f"{loc} listed twice"
        entries[loc] = (lastmod, alternates)
    return entries


def test_sitemap_lists_every_real_page_once_and_no_fallback(output: Path) -> None:
    entries = _sitemap(output)
    pages = {}
    for path in sorted(output.glob("*/**/index.html")):
        soup = parse_html(path)
        url = BASE + path.parent.relative_to(output).as_posix() + "/"
        pages[url] = soup.find("link", rel="canonical")["href"]
    real = {url for url, canonical in pages.items() if canonical == url}
    fallbacks = set(pages) - real
    assert fallbacks == {f"{BASE}en/about/", f"{BASE}en/archive/", f"{BASE}fr/actualites/third/"}
    assert set(entries) == real | {BASE}  # the root chooser is the homes' x-default


def test_sitemap_alternates_are_reciprocal_with_x_default(output: Path) -> None:
    entries = _sitemap(output)
    for loc, (_, alternates) in entries.items():
        assert "x-default" in alternates, loc
        assert loc in alternates.values(), f"{loc} is not among its own alternates"
        for hreflang, href in alternates.items():
            if hreflang != "x-default":
                assert href in entries, f"{loc}: {href} is not in the sitemap"
                assert entries[href][1] == alternates, f"{loc} and {href} disagree"
    assert entries[f"{BASE}fr/"][1] == {
        "fr": f"{BASE}fr/",
        "en": f"{BASE}en/",
        "x-default": BASE,
    }
    assert entries[f"{BASE}fr/about/"][1] == {
        "fr": f"{BASE}fr/about/",
        "x-default": (f"{BASE}fr/about/"),
    }


def test_sitemap_alternates_match_each_page_head(output: Path) -> None:
    for loc, (_, alternates) in _sitemap(output).items():
        if loc == BASE:
            continue
        soup = parse_html(output / loc.removeprefix(BASE) / "index.html")
        head = {
            link["hreflang"]: link["href"]
            for link in soup.find_all("link", rel="alternate", hreflang=True)
        }
        assert head == alternates, loc


def test_sitemap_lastmod_is_the_page_date(output: Path) -> None:
    entries = _sitemap(output)
    assert entries[f"{BASE}fr/actualites/first/"][0] == "2027-01-02T00:00:00+01:00"
    assert entries[f"{BASE}fr/archive/"][0] == "2026-01-01T00:00:00+01:00"
    assert entries[f"{BASE}fr/about/"][0] is None
    for _, (lastmod, _) in entries.items():
        if lastmod is not None:
            assert dt.datetime.fromisoformat(lastmod).tzinfo is not None


def test_robots_txt_points_to_the_sitemap(output: Path) -> None:
    assert (output / "robots.txt").read_text("utf-8") == (
        f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"
    )


def _feed(output: Path, lang: str, base: str = BASE) -> ET.Element:
    feed = ET.parse(output / lang / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None
    assert self_link.get("href") == f"{base}{lang}/feed.xml"
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "published", "content"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None
        assert link.get("href") == entry.findtext(f"{ATOM}id")
    return feed


def _entries(feed: ET.Element) -> list[tuple[str | None, str | None]]:
    """(title, link) of each entry, in the feed's order."""
    entries = []
    for entry in feed.findall(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None
        entries.append((entry.findtext(f"{ATOM}title"), link.get("href")))
    return entries


def test_each_language_has_an_atom_feed_of_its_articles_newest_first(output: Path) -> None:
    french = _feed(output, "fr")
    assert _entries(french) == [
        ("Second article", f"{BASE}fr/actualites/second/"),
        ("Premier article", f"{BASE}fr/actualites/first/"),
    ]
    english = _feed(output, "en")
    assert _entries(english) == [
        ("Third story", f"{BASE}en/news/third/"),
        ("Second story", f"{BASE}en/news/second/"),
        ("First story", f"{BASE}en/news/first/"),
    ]
    # the feed is as new as its newest entry; an entry's `updated:` counts when later
    assert french.findtext(f"{ATOM}updated") == "2027-04-01T00:00:00+02:00"
    second = french.find(f"{ATOM}entry")
    assert second is not None
    assert second.findtext(f"{ATOM}published") == "2027-03-01T00:00:00+01:00"
    assert second.findtext(f"{ATOM}updated") == "2027-04-01T00:00:00+02:00"
    assert second.findtext(f"{ATOM}summary") == "Résumé du second"
    assert english.findtext(f"{ATOM}updated") == "2027-05-05T00:00:00+02:00"


def test_feed_content_is_the_body_html_escaped_once_with_french_typography(
    output: Path,
) -> None:
    first = _feed(output, "fr").findall(f"{ATOM}entry")[1]
    content = first.find(f"{ATOM}content")
    assert content is not None
    assert content.get("type") == "html"
    assert content.get("{http://www.w3.org/XML/1998/namespace}base") == (
        f"{BASE}fr/actualites/first/"
    )
    body = BeautifulSoup(content.text or "", "html.parser")
    assert body.find("em").get_text() == "premier"
    assert body.find("p").get_text() == "Le premier\u202f: 1\u202f299\u00a0€."


def test_a_feed_lists_the_twenty_newest_articles(tmp_path: Path) -> None:
    stories = {
        f"content/news/{n:02d}.md": page(f"Story {n}", date=f"2027-01-{n:02d}")
        for n in range(1, 26)
    }
    site = write_tree(
        tmp_path / "site",
        {
            "site.yaml": "title: News\nbase_url: https://example.org/\nlanguages: [en]\n"
            "timezone: UTC\n",
            "templates/page.html": "{{ page.title }}",
            **stories,
        },
    )
    assert run_sitegen("build", site, "--now", NOW).returncode == 0
    titles = [title for title, _ in _entries(_feed(site / "output", "en"))]
    assert titles == [f"Story {n}" for n in range(25, 5, -1)]


def test_every_page_links_to_its_language_feed(output: Path) -> None:
    for lang in ("fr", "en"):
        for path in sorted((output / lang).rglob("index.html")):
            link = parse_html(path).find("link", type="application/atom+xml")
            assert link["href"] == f"/{lang}/feed.xml", path


def test_a_site_without_dated_pages_has_empty_feeds_dated_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    site = write_tree(
        tmp_path / "site",
        {"templates/home.html": "{{ page.title }}", "content/index.fr.md": page("Accueil")},
    )
    assert run_sitegen("build", site, "--now", NOW).returncode == 0
    feed = _feed(site / "output", "en")
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.findtext(f"{ATOM}updated") == "2027-06-01T12:00:00+02:00"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert run_sitegen("build", site, "--now", NOW).returncode == 0
    feed = _feed(site / "output", "en")
    assert feed.findtext(f"{ATOM}updated") == "2027-01-15T09:00:00+01:00"  # 08:00 UTC


# ---------------------------------------------------------------- aliases


def _alias_site(root: Path, **extra: str) -> Path:
    return write_tree(
        root,
        {
            "templates/home.html": PAGE_TEMPLATE,
            "templates/page.html": PAGE_TEMPLATE,
            "content/index.fr.md": page("Accueil"),
            "content/index.en.md": page("Home"),
            "content/join.fr.md": (
                "---\ntitle: Participer\nslug: participer\n"
                "aliases:\n  - /fr/ancienne-page/\n  - /fr/vieux&neuf.html\n  - /inscription\n"
                "---\nTexte.\n"
            ),
            "content/join.en.md": page("Join"),
            "static/legacy.html/note.txt": "A static folder whose name ends in .html.\n",
            **extra,
        },
    )


def test_aliases_write_redirect_pages_and_redirects(tmp_path: Path) -> None:
    site = _alias_site(tmp_path / "site")
    result = run_sitegen("build", site, "--now", NOW)
    assert result.returncode == 0, result.stderr
    output = site / "output"
    for path in ("fr/ancienne-page/index.html", "fr/vieux&neuf.html", "inscription/index.html"):
        soup = parse_html(output / path)
        assert soup.html["lang"] == "fr"
        refresh = soup.find("meta", attrs={"http-equiv": "refresh"})
        assert refresh["content"] == "0; url=/fr/participer/", path
        assert soup.find("link", rel="canonical")["href"] == f"{BASE}fr/participer/"
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert soup.find("a")["href"] == "/fr/participer/"
    lines = (output / "_redirects").read_text("utf-8").splitlines()
    assert [line for line in lines if not line.startswith("#")] == [
        "/fr/ancienne-page/ /fr/participer/ 301",
        "/fr/vieux&neuf.html /fr/participer/ 301",  # plain text: no HTML escaping
        "/inscription /fr/participer/ 301",
    ]
    assert set(_sitemap(output)) == {BASE, f"{BASE}fr/", f"{BASE}en/"} | {
        f"{BASE}fr/participer/",
        f"{BASE}en/join/",
    }


def test_aliases_follow_the_base_path(tmp_path: Path) -> None:
    site = _alias_site(tmp_path / "site")
    config = (site / "site.yaml").read_text("utf-8")
    (site / "site.yaml").write_text(config.replace(BASE, f"{BASE}campaign/"), "utf-8")
    assert run_sitegen("build", site, "--now", NOW).returncode == 0
    output = site / "output"
    lines = (output / "_redirects").read_text("utf-8").splitlines()
    assert "/campaign/fr/ancienne-page/ /campaign/fr/participer/ 301" in lines
    refresh = parse_html(output / "fr/ancienne-page/index.html").find(
        "meta", attrs={"http-equiv": "refresh"}
    )
    assert refresh["content"] == "0; url=/campaign/fr/participer/"


ALIAS_ERRORS = {
    # alias (in content/story.fr.md, line 3) → what the error says
    "/fr/participer/": "is the address of the page content/join.fr.md",
    "/fr/story/": "is the address of this page",
    "/fr/ancienne-page/": "is already an alias (content/join.fr.md:5)",
    "/": "would replace index.html, which the build writes",
    "/fr/404.html": "would replace fr/404.html, which the build writes",
    "/legacy.html/note.txt/": "would need a folder legacy.html/note.txt/ where the build",
    "/sitemap.xml": "would need a folder sitemap.xml/ where the build writes a file",
    "/fr/participer/index.html/": "would need a folder fr/participer/index.html/",
    "/legacy.html": "would replace the folder legacy.html/ of the output",
    "/fr/../../etc/": "may not hold empty, '.' or '..' segments",
    "/fr/%2e%2e/%2e%2e/x/": "may not hold an encoded separator",
    "/fr/a%2Fb/": "may not hold an encoded separator",
    "fr/relative/": "must be a path that starts with a single '/'",
    "//evil.example/x/": "must be a path that starts with a single '/'",
    "'C:\\\\Windows\\\\'": "must be a path that starts with a single '/'",
    "/fr/a\\\\b/": "may not hold spaces, backslashes",
    "/fr/page?x=1": "may not hold spaces, backslashes, control characters, '?' or '#'",
    "'/fr/with space/'": "may not hold spaces",
    "[/x/]": "must be a path such as /fr/old-page/, not a list",
}


@pytest.mark.parametrize("alias", sorted(ALIAS_ERRORS))
def test_a_bad_alias_is_an_error_with_its_file_and_line(alias: str, tmp_path: Path) -> None:
    story = f"---\ntitle: Histoire\naliases:\n  - {alias}\n---\nTexte.\n"
    site = _alias_site(tmp_path / "site", **{"content/story.fr.md": story})
    result = run_sitegen("build", site, "--now", NOW, cwd=site)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert re.search(
        r"error: content/story\.fr\.md:4: .*" + re.escape(ALIAS_ERRORS[alias]), result.stderr
    ), result.stderr
    assert not (site / "output").exists()


def test_two_pages_with_one_alias_are_both_named(tmp_path: Path) -> None:
    story = "---\ntitle: Histoire\naliases: /fr/ancienne-page\n---\n"  # one, not a list
    site = _alias_site(tmp_path / "site", **{"content/story.fr.md": story})
    result = run_sitegen("build", site, "--now", NOW, cwd=site)
    assert result.returncode == 1
    # the later file is reported, naming the first (the same output path, written
    # with and without its final slash)
    assert (
        "error: content/story.fr.md:3: the alias '/fr/ancienne-page' is already an alias "
        "(content/join.fr.md:5)" in result.stderr
    )


# ---------------------------------------------------------------- _headers


def _header_rules(path: Path) -> dict[str, dict[str, str]]:
    rules: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith((" ", "\t")):
            assert current is not None, line
            name, _, value = line.strip().partition(": ")
            assert name not in current
            current[name] = value
        else:
            assert line not in rules, f"{line} twice"
            current = rules[line] = {}
    return rules


def test_headers_set_security_headers_everywhere_and_cache_by_kind(output: Path) -> None:
    rules = _header_rules(output / "_headers")
    everything = rules.pop("/*")
    assert everything["X-Content-Type-Options"] == "nosniff"
    assert everything["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in everything["Permissions-Policy"]
    # hosts join the values of a header set by two matching rules: /* sets none of
    # those the other rules set
    assert all(set(headers).isdisjoint(everything) for headers in rules.values())
    html = "public, max-age=0, must-revalidate"
    for path in ("/", "/index.html", "/404.html", "/fr/*", "/en/*", "/sitemap.xml"):
        assert rules[path] == {"Cache-Control": html}, path
    assert rules["/css/*"] == {"Cache-Control": "public, max-age=600"}


def test_a_static_robots_txt_or_redirects_file_wins(tmp_path: Path) -> None:
    site = _alias_site(
        tmp_path / "site",
        **{"static/robots.txt": "User-agent: *\nDisallow: /\n", "static/_redirects": "/a /b 302\n"},
    )
    assert run_sitegen("build", site, "--now", NOW).returncode == 0
    assert (site / "output/robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    assert (site / "output/_redirects").read_text() == "/a /b 302\n"
    assert (site / "output/fr/ancienne-page/index.html").is_file()


# ---------------------------------------------------------------- the bundled theme


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory, example_site: Path) -> Path:
    folder = tmp_path_factory.mktemp("example") / "output"
    result = run_sitegen(
        "build", example_site, "--output", folder, "--now", "2026-11-01T12:00:00+01:00"
    )
    assert result.returncode == 0, result.stderr
    return folder


def _json_ld(path: Path) -> list[dict[str, object]]:
    soup = parse_html(path)
    return [
        json.loads(script.string) for script in soup.find_all("script", type="application/ld+json")
    ]


def _graph(path: Path) -> dict[str, dict[str, object]]:
    (data,) = _json_ld(path)
    assert data["@context"] == "https://schema.org"
    return {node["@type"]: node for node in data["@graph"]}  # type: ignore[index, union-attr]


def test_homes_describe_the_organization_the_website_and_the_event(example: Path) -> None:
    config = yaml.safe_load((REPO / "site.yaml").read_text("utf-8"))
    campaign = config["campaign"]
    for lang, locale in (("fr", "fr-FR"), ("en", "en-GB")):
        graph = _graph(example / lang / "index.html")
        organization, website, event = graph["Organization"], graph["WebSite"], graph["Event"]
        assert organization["name"] == config["title"][lang]
        assert organization["url"] == "https://double11.example.com/"
        logo = organization["logo"].removeprefix("https://double11.example.com/")
        assert re.fullmatch(r"_assets/img/logo\.[0-9a-f]{10}\.svg", logo)
        assert (example / logo).is_file()
        assert website["inLanguage"] == locale
        assert website["url"] == f"https://double11.example.com/{lang}/"
        assert event["name"] == config["params"]["event_name"][lang]
        zone = dt.timezone(dt.timedelta(hours=8))  # campaign.timezone: Asia/Shanghai
        starts = dt.datetime.fromisoformat(str(campaign["phases"][0]["starts"]))
        ends = dt.datetime.fromisoformat(str(campaign["ends"]))
        assert event["startDate"] == starts.replace(tzinfo=zone).isoformat()
        assert event["endDate"] == ends.replace(tzinfo=zone).isoformat()
        assert (event["startDate"], event["endDate"]) == (
            "2027-10-20T00:00:00+08:00",
            "2027-11-12T00:00:00+08:00",
        )
        assert event["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
        assert event["eventStatus"] == "https://schema.org/EventScheduled"
        assert event["location"] == {
            "@type": "VirtualLocation",
            "url": f"https://double11.example.com/{lang}/",
        }
        assert event["organizer"] == organization


def test_social_tags_follow_the_page(example: Path) -> None:
    home = parse_html(example / "fr" / "index.html")
    assert home.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"
    assert home.find("meta", attrs={"name": "twitter:title"})["content"]
    explainer = parse_html(example / "fr" / "double-11-explique" / "index.html")
    assert explainer.find("meta", attrs={"name": "twitter:card"})["content"] == (
        "summary_large_image"
    )
    photo = explainer.find("meta", property="og:image")["content"]
    assert re.fullmatch(
        r"https://double11\.example\.com/_assets/img/photos/lanterns\.\w{10}\.jpg", photo
    )
    description = explainer.find("meta", attrs={"name": "description"})["content"]
    assert explainer.find("meta", attrs={"name": "twitter:description"})["content"] == (description)
    assert explainer.find("meta", property="og:locale")["content"] == "fr_FR"
    assert explainer.find("meta", property="og:locale:alternate")["content"] == "en_GB"


def test_the_example_feeds_list_the_explainer(example: Path) -> None:
    for lang, slug in (("fr", "double-11-explique"), ("en", "double-11-explained")):
        feed = _feed(example, lang, "https://double11.example.com/")
        links = [
            link.get("href") for link in feed.iter(f"{ATOM}link") if link.get("rel") == "alternate"
        ]
        assert f"https://double11.example.com/{lang}/{slug}/" in links


def test_a_title_cannot_close_the_json_ld_script(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    config = (site / "site.yaml").read_text("utf-8")
    hostile = 'Soldes </script><script>alert(1)</script> & <!-- "quotes"'
    config, count = re.subn(r"(?m)^(title:\n  fr: ).*$", rf"\g<1>{json.dumps(hostile)}", config)
    assert count == 1
    (site / "site.yaml").write_text(config, "utf-8")
    result = run_sitegen("build", site, "--now", "2026-11-01T12:00:00+01:00")
    assert result.returncode == 0, result.stderr
    home = site / "output" / "fr" / "index.html"
    soup = parse_html(home)
    # no script element was opened by the title: the page's inline scripts are data
    inline = [script for script in soup.find_all("script") if not script.get("src")]
    assert {script.get("type") for script in inline} == {"application/ld+json", "application/json"}
    assert _graph(home)["Organization"]["name"] == hostile
    text = home.read_text("utf-8")
    script = text.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and ">" not in script and "&" not in script


def test_two_builds_with_the_same_source_date_epoch_are_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No page has a date, so the feeds' time can only come from SOURCE_DATE_EPOCH or
    # the build's now: two builds at different instants must still agree.
    site = write_tree(
        tmp_path / "site",
        {
            "templates/home.html": PAGE_TEMPLATE,
            "templates/page.html": PAGE_TEMPLATE,
            "content/index.fr.md": page("Accueil"),
            "content/index.en.md": page("Home"),
        },
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    first, second = "2026-01-01T00:00:00+00:00", "2026-06-01T00:00:00+00:00"
    assert run_sitegen("build", site, "-o", tmp_path / "a", "--now", first).returncode == 0
    assert run_sitegen("build", site, "-o", tmp_path / "b", "--now", second).returncode == 0
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_an_svg_picture_makes_a_small_card(tmp_path: Path) -> None:
    """Networks do not show an SVG as a large picture."""
    site = copy_example(tmp_path / "site")
    explainer = site / "content" / "explainer.fr.md"
    text = explainer.read_text("utf-8")
    explainer.write_text(text.replace("img/photos/lanterns.jpg", "img/hero-11-11.svg"), "utf-8")
    assert run_sitegen("build", site).returncode == 0
    page = parse_html(site / "output" / "fr" / "double-11-explique" / "index.html")
    assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"
    assert page.find("meta", property="og:image")["content"].endswith(".svg")
