"""Incremental builds (sitegen serve's Builder): after any sequence of edits, deletions
and renames, the folder it keeps up to date holds exactly what a clean build writes,
and an edit renders again only the outputs that read what changed."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from sitegen.base.dependencies import SHARED_WORK_LIMIT, Dependencies, Recent, Recorder
from sitegen.base.errors import SiteError
from sitegen.building.buildcontract import BuildOptions, BuildResult
from sitegen.building.builder import Builder
from sitegen.building.pipeline import build
from sitegen.output.live import LiveOutput
from sitegen.output.staged import StagedOutput
from tests.conftest import copy_example, page, snapshot, write_tree

NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)
SITE_THEME = Path("themes/double11")
"""The copy of the theme inside the test's site (`copy_example(..., with_theme=True)`)."""


class Session:
    """One Builder kept over a series of changes, as `sitegen serve` keeps it."""

    def __init__(self, site: Path, tmp_path: Path, optimize: bool = False) -> None:
        """`optimize` as `sitegen build` does (hashed asset names, minified pages);
        by default as `sitegen serve` does."""
        self.site = site
        self.tmp_path = tmp_path
        self.live = LiveOutput(tmp_path / "live")
        self.optimize = optimize
        self.builder = Builder(BuildOptions(site_root=site, now=NOW, optimize=optimize))
        self.clean_builds = 0

    def rebuild(self) -> BuildResult:
        with self.live.update() as update:
            return self.builder.build(update, self.live.folder)

    def clean(self) -> dict[str, bytes]:
        """What a clean build writes: into a folder of its own, so that it finds no
        state in the build cache to start from; the cache gives it only the site's
        templates compiled (each checked against its source)."""
        self.clean_builds += 1
        output = self.tmp_path / f"clean-{self.clean_builds}"
        options = BuildOptions(
            site_root=self.site, output=output, now=NOW, optimize=self.optimize, cache=True
        )
        assert build(options).rendered != ()  # not "Nothing changed"
        files = snapshot(output)
        shutil.rmtree(output)
        return files

    def edit(self, relative: str, change: Callable[[str], str]) -> None:
        path = self.site / relative
        text = path.read_text("utf-8")
        changed = change(text)
        assert changed != text, f"the edit of {relative} changed nothing"
        path.write_text(changed, "utf-8")


def _session(tmp_path: Path, optimize: bool = False) -> Session:
    site = copy_example(tmp_path / "site", with_theme=True)
    built = Session(site, tmp_path, optimize)
    built.rebuild()
    return built


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return _session(tmp_path)


def _replace(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text, f"{old!r} not found"
        return text.replace(old, new, 1)

    return change


def _append(extra: str) -> Callable[[str], str]:
    return lambda text: text + extra


def _write(site: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_text(text, "utf-8")


def _rename(site: Path, old: str, new: str) -> None:
    (site / old).rename(site / new)


# Each step changes the site the way an author would; after each, the kept folder
# must equal a clean build's output, byte for byte, manifest included.
STEPS: list[tuple[str, Callable[[Session], None]]] = [
    (
        "article body",
        lambda s: s.edit("content/explainer.fr.md", _append("\nUn paragraphe de plus.\n")),
    ),
    (
        "article title",
        lambda s: s.edit("content/explainer.en.md", _replace('title: "', 'title: "Updated, ')),
    ),
    (
        "new page in both languages",
        lambda s: _write(
            s.site,
            {
                "content/faq.fr.md": page("Questions fréquentes", "Tout sur le 11.11."),
                "content/faq.en.md": page("Frequent questions", "All about 11.11."),
            },
        ),
    ),
    ("translation deleted (fallback appears)", lambda s: (s.site / "content/faq.en.md").unlink()),
    (
        "page renamed",
        lambda s: _rename(s.site, "content/faq.fr.md", "content/questions.fr.md"),
    ),
    (
        "link to the renamed page",
        lambda s: s.edit("content/join.fr.md", _append("\nVoir [la FAQ](questions.md).\n")),
    ),
    (
        "theme partial",
        lambda s: s.edit(
            f"{SITE_THEME}/templates/partials/footer.html", _append("<!-- footer edited -->\n")
        ),
    ),
    (
        "site template overriding the theme's",
        lambda s: _write(
            s.site,
            {"templates/partials/footer.html": '<footer class="site-footer">Ours</footer>\n'},
        ),
    ),
    ("site template removed", lambda s: (s.site / "templates/partials/footer.html").unlink()),
    ("product price", lambda s: s.edit("data/products.csv", _replace(",89.90,", ",79.90,"))),
    (
        "catalog string",
        lambda s: s.edit(
            f"{SITE_THEME}/i18n/fr/LC_MESSAGES/messages.po",
            _replace('msgstr "Aller au contenu principal"', 'msgstr "Aller au contenu"'),
        ),
    ),
    (
        "stylesheet",
        lambda s: s.edit(f"{SITE_THEME}/static/css/site.css", _append("\nb{color:red}\n")),
    ),
    ("static file added", lambda s: _write(s.site, {"static/robots.txt": "User-agent: *\n"})),
    ("static file removed", lambda s: (s.site / "static/robots.txt").unlink()),
    ("link removed", lambda s: s.edit("content/join.fr.md", _replace("\nVoir [la FAQ]", "\n["))),
    ("page removed", lambda s: (s.site / "content/questions.fr.md").unlink()),
    (
        "aliases added",
        lambda s: s.edit(
            "content/join.fr.md", _replace("---\n", "---\naliases: [/fr/adhesion/, /rejoindre]\n")
        ),
    ),
    (
        "alias renamed",
        lambda s: s.edit("content/join.fr.md", _replace("/fr/adhesion/", "/fr/inscription/")),
    ),
    (
        "alias moved to another page",
        lambda s: (
            s.edit("content/join.fr.md", _replace(", /rejoindre]", "]")),
            s.edit("content/explainer.fr.md", _replace("---\n", "---\naliases: [/rejoindre]\n")),
        ),
    ),
    (
        "dated article added",
        lambda s: _write(
            s.site,
            {
                "content/bilan.fr.md": page(
                    "Bilan du Double 11", "Les chiffres de l'édition.", date="2027-11-12"
                )
            },
        ),
    ),
    (
        "article date changed",
        lambda s: s.edit("content/bilan.fr.md", _replace("2027-11-12", "2019-11-12")),
    ),
    ("site.yaml", lambda s: s.edit("site.yaml", _replace("Commerçants de France", "Marchands"))),
]


@pytest.mark.no_cover  # builds again and again: see conftest.py
@pytest.mark.parametrize("optimize", [False, True], ids=["as-served", "as-built"])
def test_after_every_change_the_kept_folder_equals_a_clean_build(
    tmp_path: Path, optimize: bool
) -> None:
    session = _session(tmp_path, optimize)
    for name, step in STEPS:
        step(session)
        session.rebuild()
        assert snapshot(session.live.folder) == session.clean(), f"differs after: {name}"


def test_a_failed_rebuild_changes_nothing_and_the_next_good_one_catches_up(
    session: Session,
) -> None:
    before = snapshot(session.live.folder)
    session.edit("content/explainer.fr.md", _append("\nNouveau texte.\n"))
    session.edit("content/join.fr.md", _replace("title:", "title: [unclosed"))
    with pytest.raises(SiteError) as error:
        session.rebuild()
    assert any(
        problem.path and problem.path.name == "join.fr.md" for problem in error.value.problems
    )
    assert snapshot(session.live.folder) == before
    session.edit("content/join.fr.md", _replace("title: [unclosed", "title:"))
    session.rebuild()
    assert snapshot(session.live.folder) == session.clean()


def test_an_article_body_edit_renders_that_article_and_its_feed_only(session: Session) -> None:
    session.edit("content/explainer.fr.md", _append("\nUne phrase ajoutée.\n"))
    result = session.rebuild()
    assert result.rendered == result.changed == ("fr/double-11-explique/index.html", "fr/feed.xml")


def test_nothing_changed_renders_nothing(session: Session) -> None:
    result = session.rebuild()
    assert result.rendered == result.changed == ()


def _product_pages(paths: Iterable[str]) -> set[str]:
    return {
        path
        for path in paths
        if path.startswith(("fr/produits/", "en/products/")) and path.count("/") == 3
    }


def test_a_template_edit_renders_the_pages_that_use_it(session: Session) -> None:
    session.edit(
        f"{SITE_THEME}/templates/product.html",
        _replace("{% block main %}", "{% block main %}<!-- edited -->"),
    )
    result = session.rebuild()
    product_pages = _product_pages(session.live.files)
    assert len(product_pages) == 48
    assert set(result.rendered) == set(result.changed) == product_pages


def test_a_feed_edit_renders_the_pages_that_read_that_feed(session: Session) -> None:
    session.edit("data/products.csv", _replace(",89.90,", ",79.90,"))
    result = session.rebuild()
    assert "fr/produits/lumen-carre-rhone/index.html" in result.changed
    assert "en/products/lumen-carre-rhone/index.html" in result.changed
    assert "fr/participer/index.html" not in result.rendered  # shows no product
    session.edit("data/stats.yaml", _replace("value: 268400000000", "value: 268500000000"))
    result = session.rebuild()
    assert result.rendered and not _product_pages(result.rendered)


def test_one_article_of_many_renders_it_and_its_listings(tmp_path: Path) -> None:
    articles = {
        f"content/news/story-{n:03d}.md": page(f"Story {n}", f"Text {n}.") for n in range(200)
    }
    site = write_tree(
        tmp_path / "site",
        {
            "site.yaml": "title: News\nbase_url: https://news.example/\nlanguages:\n"
            "  - code: en\n    locale: en_GB\ntimezone: UTC\n",
            "content/index.md": page("Home"),
            "content/news/index.md": page("News"),
            "templates/home.html": "{{ page.title }}",
            "templates/section.html": (
                "{% for child in page.children %}{{ child.title }}\n{% endfor %}"
            ),
            "templates/page.html": "{{ page.title }}: {{ page.content }}",
            **articles,
        },
    )
    session = Session(site, tmp_path)
    session.rebuild()
    session.edit("content/news/story-007.md", _append("\nMore text.\n"))
    assert session.rebuild().rendered == ("en/news/story-007/index.html",)
    session.edit("content/news/story-007.md", _replace("Story 7", "Story seven"))
    result = session.rebuild()
    assert (
        set(result.rendered)
        == set(result.changed)
        == {
            "en/news/story-007/index.html",
            "en/news/index.html",
        }
    )
    assert snapshot(session.live.folder) == session.clean()


def test_a_builder_writing_staged_outputs_links_what_did_not_change(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    output = tmp_path / "output"
    builder = Builder(BuildOptions(site_root=site, output=output, now=NOW))
    with StagedOutput(output) as staged:
        builder.build(staged, output)
    (site / "content/explainer.fr.md").write_text(
        (site / "content/explainer.fr.md").read_text("utf-8") + "\nEncore.\n", "utf-8"
    )
    with StagedOutput(output) as staged:
        result = builder.build(staged, output)
    assert result.rendered == ("fr/double-11-explique/index.html", "fr/feed.xml")
    clean = tmp_path / "clean"
    build(BuildOptions(site_root=site, output=clean, now=NOW))
    assert snapshot(output) == snapshot(clean)


def test_dependencies_name_the_outputs_whose_inputs_changed() -> None:
    values: dict[tuple[str, ...], object] = {("a",): 1, ("b",): 1}
    dependencies = Dependencies()
    dependencies.update({"x": {("a",)}, "y": {("a",), ("b",)}}, {"x", "y"}, values.__getitem__)
    assert dependencies.outdated(values.__getitem__) == set()
    values[("b",)] = 2
    assert dependencies.outdated(values.__getitem__) == {"y"}
    dependencies.update({"y": {("a",)}}, {"x", "y"}, values.__getitem__)
    values[("b",)] = 3  # no longer read by anyone
    assert dependencies.outdated(values.__getitem__) == set()
    dependencies.update({}, {"y"}, values.__getitem__)
    assert set(dependencies.inputs) == {"y"}


def test_shared_work_passes_its_inputs_to_every_user() -> None:
    recorder = Recorder()

    def body() -> str:
        recorder.read(("template", "fr", "shortcodes/products.html"))
        return "html"

    with recorder.frame() as first:
        recorder.shared(("content", "p"), body)
    with recorder.frame() as second:
        recorder.shared(("content", "p"), body)
    assert first == second == {("template", "fr", "shortcodes/products.html")}


def test_a_memo_keeps_only_its_latest_entries() -> None:
    memo: Recent[str, int] = Recent(limit=2)
    memo["a"], memo["b"], memo["c"] = 1, 2, 3
    assert list(memo.items()) == [("b", 2), ("c", 3)]


def test_shared_work_forgotten_is_computed_again_with_the_same_inputs() -> None:
    """A process rendering thousands of pages keeps only the latest shared results
    (its memory must not grow with the site); one forgotten is computed again, and
    whoever uses it still depends on what it read."""
    recorder = Recorder()
    computed: list[str] = []

    def body(name: str) -> str:
        def compute() -> str:
            computed.append(name)
            recorder.read(("content", name))
            return f"<p>{name}</p>"

        return recorder.shared(("body", name), compute)

    with recorder.frame() as first:
        assert body("p0") == "<p>p0</p>"
    for number in range(1, SHARED_WORK_LIMIT + 1):
        body(f"p{number}")
    with recorder.frame() as again:
        assert body("p0") == "<p>p0</p>"
    assert computed.count("p0") == 2
    assert first == again == {("content", "p0")}
    with recorder.frame() as remembered:
        body(f"p{SHARED_WORK_LIMIT}")
    assert computed.count(f"p{SHARED_WORK_LIMIT}") == 1 and remembered == {
        ("content", f"p{SHARED_WORK_LIMIT}")
    }
