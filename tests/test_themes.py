"""Theme chains: site first, then each theme child before parent; mistakes point at a line."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config import SiteConfig, load_config
from sitegen.errors import Problem, SiteError
from sitegen.themes import Theme, load_theme_chain

BASE_CONFIG = (
    "title: Soldes\n"
    "base_url: https://shop.example.com/\n"
    "languages: [fr, en]\n"
    "timezone: Europe/Paris\n"
)


def make_site(root: Path, theme: str | None, files: dict[str, str]) -> SiteConfig:
    """Write site.yaml (theme on line 5) and files; a name ending in '/' is a folder."""
    text = BASE_CONFIG + (f"theme: {theme}\n" if theme is not None else "")
    (root / "site.yaml").write_text(text, encoding="utf-8")
    for name, content in files.items():
        path = root / name
        if name.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    return load_config(root)


def chain_problem(config: SiteConfig) -> Problem:
    with pytest.raises(SiteError) as caught:
        load_theme_chain(config)
    assert len(caught.value.problems) == 1
    return caught.value.problems[0]


FULL_CHAIN = {
    "templates/": "",
    "static/": "",
    "i18n/": "",
    "themes/child/theme.yaml": "name: child\nextends: parent\n",
    "themes/child/templates/": "",
    "themes/child/static/": "",
    "themes/child/i18n/": "",
    "themes/parent/theme.yaml": "name: parent\ndescription: The base theme\n",
    "themes/parent/templates/": "",
    "themes/parent/static/": "",
    "themes/parent/i18n/": "",
}


def test_no_theme_means_only_the_site(tmp_path: Path) -> None:
    config = make_site(tmp_path, None, {"templates/": ""})
    chain = load_theme_chain(config)
    assert chain.themes == ()
    assert chain.template_dirs == (tmp_path / "templates",)
    assert chain.static_dirs == ()


def test_missing_theme_points_at_the_theme_line(tmp_path: Path) -> None:
    config = make_site(tmp_path, "doubel11", {"themes/double11/": "", "themes/plain/": ""})
    problem = chain_problem(config)
    assert problem.path == tmp_path / "site.yaml"
    assert problem.line == 5
    assert problem.message == "theme 'doubel11' not found in themes/"
    assert problem.hint == "did you mean 'double11'?"


def test_missing_theme_lists_available_when_nothing_is_close(tmp_path: Path) -> None:
    config = make_site(tmp_path, "zzz", {"themes/double11/": "", "themes/base/": ""})
    assert chain_problem(config).hint == "available themes: base, double11"


def test_missing_themes_folder(tmp_path: Path) -> None:
    problem = chain_problem(make_site(tmp_path, "double11", {}))
    assert problem.line == 5
    assert problem.message == "theme 'double11' not found in themes/"


def test_chain_order_is_site_child_parent(tmp_path: Path) -> None:
    chain = load_theme_chain(make_site(tmp_path, "child", FULL_CHAIN))
    assert chain.themes == (
        Theme("child", tmp_path / "themes" / "child"),
        Theme("parent", tmp_path / "themes" / "parent"),
    )
    child, parent = tmp_path / "themes" / "child", tmp_path / "themes" / "parent"
    assert chain.template_dirs == (
        tmp_path / "templates",
        child / "templates",
        parent / "templates",
    )
    assert chain.static_dirs == (tmp_path / "static", child / "static", parent / "static")
    assert chain.catalog_dirs == (tmp_path / "i18n", child / "i18n", parent / "i18n")


def test_missing_folders_are_skipped(tmp_path: Path) -> None:
    files = {
        "themes/child/theme.yaml": "extends: parent\n",
        "themes/child/static/": "",
        "themes/parent/templates/": "",
    }
    chain = load_theme_chain(make_site(tmp_path, "child", files))
    assert chain.template_dirs == (tmp_path / "themes" / "parent" / "templates",)
    assert chain.static_dirs == (tmp_path / "themes" / "child" / "static",)
    assert chain.catalog_dirs == ()


def test_theme_template_dirs_by_name(tmp_path: Path) -> None:
    chain = load_theme_chain(make_site(tmp_path, "child", FULL_CHAIN))
    assert chain.theme_template_dirs() == {
        "child": tmp_path / "themes" / "child" / "templates",
        "parent": tmp_path / "themes" / "parent" / "templates",
    }


def test_missing_parent_points_at_extends_line(tmp_path: Path) -> None:
    config = make_site(tmp_path, "child", {"themes/child/theme.yaml": "name: c\nextends: prent\n"})
    (tmp_path / "themes" / "parent").mkdir()
    problem = chain_problem(config)
    assert problem.path == tmp_path / "themes" / "child" / "theme.yaml"
    assert problem.line == 2
    assert problem.hint == "did you mean 'parent'?"


def test_extends_loop_is_an_error(tmp_path: Path) -> None:
    config = make_site(
        tmp_path,
        "a",
        {"themes/a/theme.yaml": "extends: b\n", "themes/b/theme.yaml": "name: b\nextends: a\n"},
    )
    problem = chain_problem(config)
    assert problem.path == tmp_path / "themes" / "b" / "theme.yaml"
    assert problem.line == 2
    assert problem.message == "themes extend each other in a loop: a → b → a"


def test_theme_extending_itself_is_a_loop(tmp_path: Path) -> None:
    problem = chain_problem(make_site(tmp_path, "a", {"themes/a/theme.yaml": "extends: a\n"}))
    assert "loop" in problem.message
    assert problem.line == 1


def test_unknown_theme_setting_is_an_error(tmp_path: Path) -> None:
    config = make_site(tmp_path, "a", {"themes/a/theme.yaml": "name: a\nextend: b\n"})
    problem = chain_problem(config)
    assert problem.path == tmp_path / "themes" / "a" / "theme.yaml"
    assert problem.line == 2
    assert problem.message == "unknown theme setting 'extend'"
    assert problem.hint == "did you mean 'extends'?"


def test_extends_must_be_a_name(tmp_path: Path) -> None:
    config = make_site(tmp_path, "a", {"themes/a/theme.yaml": "name: a\nextends: [b]\n"})
    problem = chain_problem(config)
    assert problem.line == 2
    assert problem.message == "'extends' must be the name of another folder in themes/"


def test_theme_yaml_must_be_a_mapping(tmp_path: Path) -> None:
    problem = chain_problem(make_site(tmp_path, "a", {"themes/a/theme.yaml": "- a\n"}))
    assert problem.line == 1
    assert "theme.yaml" in problem.message


def test_empty_theme_yaml_is_fine(tmp_path: Path) -> None:
    chain = load_theme_chain(make_site(tmp_path, "a", {"themes/a/theme.yaml": ""}))
    assert [theme.name for theme in chain.themes] == ["a"]


def test_extends_outside_themes_folder_is_an_error(tmp_path: Path) -> None:
    config = make_site(
        tmp_path,
        "a",
        {"themes/a/theme.yaml": "name: a\nextends: ../templates\n", "templates/": ""},
    )
    problem = chain_problem(config)
    assert problem.path == tmp_path / "themes" / "a" / "theme.yaml"
    assert problem.line == 2
