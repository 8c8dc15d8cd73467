"""sitegen.sources.sitefiles: symbolic links are followed only while they stay inside the site."""

from __future__ import annotations

from pathlib import Path

from sitegen.sources.sitefiles import files_below
from tests.conftest import page, run_sitegen, write_tree


def test_links_inside_are_followed_and_links_out_are_problems(tmp_path: Path) -> None:
    site, outside = tmp_path / "site", tmp_path / "outside"
    write_tree(outside, {"secret.md": "secret", "folder/other.md": "other"})
    write_tree(site, {"content/a.md": "a", "shared/b.md": "b"})
    content = site / "content"
    (content / "b.md").symlink_to(site / "shared" / "b.md")  # inside: followed
    (content / "shared").symlink_to(site / "shared")  # a folder inside: followed
    (content / "secret.md").symlink_to(outside / "secret.md")
    (content / "folder").symlink_to(outside / "folder")
    (content / "loop").symlink_to(content)
    (content / "dangling.md").symlink_to(site / "gone.md")
    files, problems = files_below(content, site)
    assert [path.relative_to(content).as_posix() for path in files] == [
        "a.md",
        "b.md",
        "shared/b.md",
    ]
    assert sorted(problem.path.name for problem in problems if problem.path) == [
        "folder",
        "loop",
        "secret.md",
    ]
    secret = next(
        problem for problem in problems if problem.path and problem.path.name == "secret.md"
    )
    assert "outside the site" in secret.message and str(outside / "secret.md") in secret.message


def test_a_build_refuses_content_data_and_static_linked_from_outside(tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "outside", {"secret.md": page("Secret"), "key.txt": "k"})
    site = write_tree(
        tmp_path / "site",
        {
            "content/index.md": page("Home"),
            "templates/home.html": "<html>{{ page.title }}</html>",
            "templates/page.html": "<html>{{ page.title }}</html>",
        },
    )
    (site / "content" / "secret.md").symlink_to(outside / "secret.md")
    (site / "static").mkdir()
    (site / "static" / "key.txt").symlink_to(outside / "key.txt")
    (site / "data").mkdir()
    (site / "data" / "feed.yaml").symlink_to(outside / "site.yaml")
    result = run_sitegen("build", site)
    assert result.returncode == 1
    for place in ("content/secret.md", "data/feed.yaml", "static/key.txt"):  # in one build
        assert f"{place}: a symbolic link to" in result.stderr, result.stderr
        (site / place).unlink()
    assert "Traceback" not in result.stderr
    assert not (site / "output").exists()
    assert run_sitegen("build", site).returncode == 0
