"""`sitegen check`: the checks on hand-written output folders, then the real command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitegen.commands.check import Finding, check_output, check_summary, read_page, srcset_urls
from tests.conftest import page, run_sitegen, snapshot, write_tree

BASE = "https://example.org/"


def html(
    title: str = "Page",
    description: str | None = "A page",
    body: str = "",
    head: str = "",
    lang: str = "fr",
) -> str:
    meta = f'<meta name="description" content="{description}">' if description else ""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><title>{title}</title>{meta}{head}</head>'
        f'<body><main id="main">{body}</main></body></html>'
    )


def alternates(**links: str) -> str:
    """<link rel=alternate hreflang> for each language: alternates(fr="/fr/", en="/en/")."""
    return "".join(
        f'<link rel="alternate" hreflang="{code.replace("_", "-")}" href="{BASE.rstrip("/")}{url}">'
        for code, url in links.items()
    )


def write_output(folder: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def messages(output: Path, base_url: str = BASE) -> list[str]:
    return [
        f"{finding.page}: {finding.message}" for finding in check_output(output, base_url).findings
    ]


# ---------------------------------------------------------------- links and anchors


def test_a_clean_output_has_no_findings(tmp_path: Path) -> None:
    output = write_output(
        tmp_path,
        {
            "fr/index.html": html(
                "Accueil",
                body='<a href="/fr/a/">a</a> <a href="a/#part">part</a> <a href="#main">top</a>'
                ' <a href="#">up</a> <a href="#top">up</a> <a href="/fr/a">no slash</a>'
                ' <a href="https://example.org/fr/a/?utm=x#part">own site</a>'
                ' <a href="https://elsewhere.example/x">other site</a>'
                ' <a href="mailto:a@example.org">mail</a> <a href="tel:+33100000000">phone</a>'
                ' <img src="/img/a.png" alt=""> <script src="/js/x.js"></script>',
                head='<link rel="stylesheet" href="/css/site.css">',
            ),
            "fr/a/index.html": html(
                "A", "Page A", body='<h2 id="part">Part</h2><a name="legacy"></a>'
            ),
            "img/a.png": "png",
            "js/x.js": "",
            "css/site.css": "",
        },
    )
    report = check_output(output, BASE)
    assert report.findings == ()
    assert report.pages == 2
    assert report.references == 10  # not the other site, mail and phone
    assert check_summary(report) == "Checked 2 pages and 10 internal references: no problems."


def test_a_link_to_a_missing_page_names_the_page_and_its_source(tmp_path: Path) -> None:
    output = write_output(
        tmp_path / "out",
        {"fr/index.html": html(body='<a href="/fr/missing/">x</a> <a href="../nope.pdf">y</a>')},
    )
    source = tmp_path / "content" / "index.fr.md"
    report = check_output(output, BASE, {"fr/index.html": source})
    assert report.findings == (
        Finding(
            "/fr/",
            "fr/index.html",
            source,
            "the link /fr/missing/ leads to no file of the output",
        ),
        Finding(
            "/fr/", "fr/index.html", source, "the link ../nope.pdf leads to no file of the output"
        ),
    )
    problem = report.findings[0].as_problem()
    assert problem.path == source
    assert problem.message == "page /fr/: the link /fr/missing/ leads to no file of the output"
    assert check_summary(report) == (
        "Checked 1 page and 2 internal references: 2 problems on 1 page."
    )


def test_links_to_the_site_own_address_are_internal(tmp_path: Path) -> None:
    output = write_output(
        tmp_path,
        {
            "fr/index.html": html(
                body='<a href="https://example.org/fr/gone/">x</a>'
                '<a href="//example.org/img/gone.png">y</a>'
            )
        },
    )
    assert messages(output) == [
        "/fr/: the link https://example.org/fr/gone/ leads to no file of the output",
        "/fr/: the link //example.org/img/gone.png leads to no file of the output",
    ]


def test_missing_anchors_on_the_same_page_and_on_another(tmp_path: Path) -> None:
    output = write_output(
        tmp_path,
        {
            "fr/index.html": html(
                body='<a href="#nowhere">x</a> <a href="/fr/a/#figures">y</a>'
                ' <a href="/fr/a/#part">ok</a> <a href="/fr/a/#caf%C3%A9">ok</a>'
            ),
            "fr/a/index.html": html("A", "Page A", body='<p id="part"></p><p id="café"></p>'),
        },
    )
    assert messages(output) == [
        "/fr/: the link #nowhere: this page has no element with id 'nowhere'",
        "/fr/: the link /fr/a/#figures: /fr/a/ has no element with id 'figures'",
    ]


def test_one_finding_per_broken_link_and_page(tmp_path: Path) -> None:
    output = write_output(
        tmp_path,
        {"fr/index.html": html(body='<a href="/x/">1</a><a href="/x/">2</a><a href="/x/">3</a>')},
    )
    assert messages(output) == ["/fr/: the link /x/ leads to no file of the output"]


def test_a_base_path_prefixes_every_internal_url(tmp_path: Path) -> None:
    base = "https://example.github.io/campaign/"
    output = write_output(
        tmp_path,
        {
            "fr/index.html": html(
                body='<a href="/campaign/fr/a/">ok</a> <a href="/fr/a/">outside</a>'
                ' <a href="https://example.github.io/campaign/">root</a>'
                ' <a href="https://example.github.io/other/">another project</a>'
            ),
            "fr/a/index.html": html("A", "Page A"),
            "index.html": html("Root", "Chooser"),
        },
    )
    assert messages(output, base) == [
        "/campaign/fr/: the link /fr/a/ is outside the site's base path /campaign/",
        "/campaign/fr/: the link https://example.github.io/other/ is outside the site's "
        "base path /campaign/",
    ]


def test_redirect_pages_lead_somewhere(tmp_path: Path) -> None:
    redirect = '<meta http-equiv="refresh" content="0; url=/fr/moved/">'
    output = write_output(
        tmp_path,
        {
            "fr/old/index.html": html("Redirect", None, head=redirect),
            "fr/older/index.html": html(
                "Redirect", None, head='<meta http-equiv="refresh" content="0; url=/fr/">'
            ),
            "fr/index.html": html(),
        },
    )
    assert messages(output) == ["/fr/old/: the redirect /fr/moved/ leads to no file of the output"]


# ---------------------------------------------------------------- images


def test_images_need_an_alt_attribute_and_a_file(tmp_path: Path) -> None:
    output = write_output(
        tmp_path,
        {
            "fr/index.html": html(
                body='<img src="/img/a.png"> <img src="/img/a.png" alt="">'
                ' <img src="/img/gone.png" alt="Gone"> <img alt="No source">'
                ' <picture><source srcset="/img/a.webp 1x, /img/b.webp 2x">'
                '<img src="/img/a.png" srcset="/img/a.png 480w, /img/c.png 960w" alt="A"></picture>'
                " <svg><title>Not the page title</title></svg>"
            ),
            "img/a.png": "",
            "img/a.webp": "",
        },
    )
    assert messages(output) == [
        "/fr/: the image /img/gone.png leads to no file of the output",
        "/fr/: the image /img/b.webp leads to no file of the output",
        "/fr/: the image /img/c.png leads to no file of the output",
        '/fr/: the image /img/a.png has no alt attribute (describe it, or write alt="" if it '
        "is decoration)",
        "/fr/: an image has neither src nor srcset",
    ]


def test_srcset_urls() -> None:
    assert srcset_urls("a.webp 480w, b.webp 960w") == ["a.webp", "b.webp"]
    assert srcset_urls("a.png, b.png 2x") == ["a.png", "b.png"]
    assert srcset_urls("a.png,b.png 2x") == ["a.png,b.png"]  # a URL runs to white space
    assert srcset_urls(" /x,y.png 1x ,  /z.png") == ["/x,y.png", "/z.png"]
    assert srcset_urls("") == []


def test_read_page_takes_the_document_title_not_an_svg_one() -> None:
    facts = read_page(
        "<html lang=EN><head><title> Two\n words </title>"
        '<meta name="ROBOTS" content="noindex, follow"></head>'
        "<body><svg><title>Icon</title></svg><title>late</title></body></html>"
    )
    assert (facts.lang, facts.title, facts.noindex, facts.description) == (
        "en",
        "Two words",
        True,
        None,
    )
    assert not read_page('<meta http-equiv="refresh" content="30">').redirects
    assert read_page("<meta http-equiv=refresh content=\"0; URL='/fr/'\">").refresh == "/fr/"


# ---------------------------------------------------------------- titles and descriptions


def test_pages_need_a_description_unless_search_engines_skip_them(tmp_path: Path) -> None:
    output = write_output(
        tmp_path,
        {
            "fr/index.html": html(description=None),
            "fr/404.html": html("Introuvable", None, head='<meta name="robots" content="noindex">'),
            "fr/untitled/index.html": html("", "Sans titre"),
        },
    )
    assert messages(output) == [
        '/fr/: the page has no description (<meta name="description">)',
        "/fr/untitled/: the page has no <title>",
    ]


def test_no_two_pages_of_one_language_share_a_title_or_description(tmp_path: Path) -> None:
    output = write_output(
        tmp_path,
        {
            "fr/a/index.html": html("Soldes", "Les soldes"),
            "fr/b/index.html": html("Soldes", "Autre"),
            "fr/c/index.html": html("Autre", "Les soldes"),
            "en/a/index.html": html("Soldes", "Les soldes", lang="en"),
            "404.html": html("Soldes", "Les soldes", head='<meta name="robots" content="noindex">'),
        },
    )
    assert messages(output) == [
        "/fr/a/: its title is also the title of /fr/b/",
        "/fr/a/: its description is also the description of /fr/c/",
        "/fr/b/: its title is also the title of /fr/a/",
        "/fr/c/: its description is also the description of /fr/a/",
    ]


def test_fallbacks_and_alternates_may_share_a_title(tmp_path: Path) -> None:
    """A fallback's canonical URL is its original; the root page is its home's x-default."""
    home_alternates = alternates(fr="/fr/", x_default="/")
    output = write_output(
        tmp_path,
        {
            "index.html": html("Accueil", "Bienvenue", head=home_alternates),
            "fr/index.html": html("Accueil", "Bienvenue", head=home_alternates),
            "fr/a/index.html": html("Texte", "Original"),
            "fr/b/index.html": html(
                "Texte", "Original", head=f'<link rel="canonical" href="{BASE}fr/a/">'
            ),
        },
    )
    assert messages(output) == []


# ---------------------------------------------------------------- hreflang alternates


def test_hreflang_alternates_are_built_reciprocal_and_in_their_language(tmp_path: Path) -> None:
    output = write_output(
        tmp_path,
        {
            "fr/a/index.html": html("A", "a", head=alternates(fr="/fr/a/", en="/en/a/")),
            "en/a/index.html": html("A", "a", head=alternates(en="/en/a/"), lang="en"),
            "fr/b/index.html": html("B", "b", head=alternates(fr="/fr/b/", en="/en/gone/")),
            "fr/c/index.html": html("C", "c", head=alternates(fr="/fr/c/", en="/fr/d/")),
            "fr/d/index.html": html("D", "d", head=alternates(fr="/fr/d/", en="/fr/c/")),
            "fr/e/index.html": html(
                "E", "e", head=alternates(fr="/fr/e/") + alternates(fr="/fr/a/")
            ),
        },
    )
    assert messages(output) == [
        "/fr/a/: its hreflang 'en' alternate /en/a/ does not list it back as an alternate",
        "/fr/b/: its hreflang 'en' alternate https://example.org/en/gone/ was not built",
        "/fr/c/: its hreflang 'en' alternate /fr/d/ is in 'fr'",
        "/fr/d/: its hreflang 'en' alternate /fr/c/ is in 'fr'",
        "/fr/e/: it has 2 hreflang 'fr' alternates",
    ]


def test_a_fallback_may_carry_its_original_alternates_but_is_no_alternate(
    tmp_path: Path,
) -> None:
    """Search engines read hreflang on canonical pages only, and want canonical targets."""
    original = alternates(fr="/fr/a/", x_default="/fr/a/")
    fallback = f'<link rel="canonical" href="{BASE}fr/a/">' + original
    output = write_output(
        tmp_path,
        {
            "fr/a/index.html": html("A", "a", head=original),
            "en/a/index.html": html("A", "a", head=fallback, lang="en"),
            "fr/b/index.html": html("B", "b", head=alternates(fr="/fr/b/", en="/en/a/")),
        },
    )
    assert messages(output) == [
        "/fr/b/: its hreflang 'en' alternate /en/a/ is not canonical",
        "/fr/b/: its hreflang 'en' alternate /en/a/ does not list it back as an alternate",
    ]


def test_alternates_on_another_site_are_not_fetched(tmp_path: Path) -> None:
    head = '<link rel="alternate" hreflang="de" href="https://example.de/">'
    output = write_output(tmp_path, {"fr/index.html": html(head=head)})
    assert messages(output) == []


# ---------------------------------------------------------------- the command


def test_the_example_site_passes(example_site: Path) -> None:
    before = snapshot(example_site / "output") if (example_site / "output").is_dir() else None
    result = run_sitegen("check", example_site, "--now", "2027-11-11T12:00:00+08:00")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert re.fullmatch(
        r"Built 86 pages in a temporary folder in \d+\.\d\d s\.\n"
        r"Checked \d+ pages and \d+ internal references: no problems\.\n",
        result.stdout,
    )
    after = snapshot(example_site / "output") if (example_site / "output").is_dir() else None
    assert before == after, "sitegen check without --output leaves output/ alone"


def _broken_site(root: Path) -> Path:
    return write_tree(
        root,
        {
            "site.yaml": "title: {fr: Site, en: Site}\n"
            "base_url: https://example.org/\nlanguages: [fr, en]\ntimezone: Europe/Paris\n"
            "theme: double11\n",
            "content/index.fr.md": page(
                "Accueil", "[La page](page.md#nulle-part)\n", description="Bienvenue"
            ),
            "content/index.en.md": page("Home", description="Welcome"),
            # the build refuses a missing file of the site, not an address on the site
            "content/page.fr.md": page(
                "Page", "![](https://example.org/img/absente.png)\n", description="Texte"
            ),
            "content/page.en.md": page("Page", description="Text"),
            "content/other.fr.md": page("Autre", description="Texte"),
            "content/other.en.md": page("Other"),
        },
    )


def test_problems_name_the_page_and_its_source_file_and_exit_1(tmp_path: Path) -> None:
    site = _broken_site(tmp_path / "site")
    result = run_sitegen("check", site, "--output", tmp_path / "out", cwd=site)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        "error: content/other.en.md: page /en/other/: the page has no description "
        '(<meta name="description">)',
        "error: content/index.fr.md: page /fr/: the link /fr/page/#nulle-part: /fr/page/ has "
        "no element with id 'nulle-part'",
        "error: content/other.fr.md: page /fr/other/: its description is also the "
        "description of /fr/page/",
        "error: content/page.fr.md: page /fr/page/: the image "
        "https://example.org/img/absente.png leads to no file of the output",
        "error: content/page.fr.md: page /fr/page/: its description is also the "
        "description of /fr/other/",
        # the language chooser is made from templates, with site.yaml's description
        'error: page /: the page has no description (<meta name="description">)',
    ]
    lines = result.stdout.splitlines()
    assert re.fullmatch(
        r"Built 6 pages \(3 fr, 3 en\), \d+ files written to \S+ in \S+ s\.", lines[0]
    )
    assert re.fullmatch(
        r"Checked 10 pages and \d+ internal references: 6 problems on 5 pages\.", lines[1]
    )
    assert (tmp_path / "out" / "fr" / "index.html").is_file(), "--output keeps the build"


def test_a_missing_markdown_image_is_the_build_s_error_alone(tmp_path: Path) -> None:
    site = write_tree(
        tmp_path / "site",
        {
            "content/index.fr.md": page("Accueil", "Texte.\n\n![Photo](img/absente.png)\n"),
            "templates/home.html": "<title>{{ page.title }}</title>{{ page.content }}",
        },
    )
    result = run_sitegen("check", site, cwd=site)
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if line.startswith("error:")] == [
        "error: content/index.fr.md:6:10: the image 'img/absente.png' is not a file of "
        "static/ (or of the theme's)"
    ]
    assert "the site was not built (1 problem); nothing was checked." in result.stderr


def test_a_site_that_does_not_build_is_not_checked(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", {"content/index.md": "---\ntitle: [\n---\n"})
    result = run_sitegen("check", site)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert (
        "sitegen check: the site was not built (1 problem); nothing was checked." in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (site / "output").exists()


def test_help_and_wrong_usage() -> None:
    result = run_sitegen("check", "--help")
    assert result.returncode == 0
    assert "usage: sitegen check" in result.stdout
    assert "--output" in result.stdout and "--now" in result.stdout
    assert run_sitegen("check", "--now", "soon").returncode == 2


@pytest.mark.parametrize("name", ["index.html", "fr/index.html"])
def test_page_urls_of_index_files(tmp_path: Path, name: str) -> None:
    output = write_output(tmp_path, {name: html(description=None)})
    (finding,) = check_output(output, BASE).findings
    assert finding.page == "/" + name.removesuffix("index.html")
