"""Imports flow one way through the pipeline (DESIGN.md): nothing calls back up the chain.

sitegen's packages are the pipeline's stages, from the bottom up; inside a package,
its modules are in layers too. A module imports only modules of a lower package, or
of a lower layer of its own package.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "sitegen"

PACKAGES: list[tuple[str, list[set[str]]]] = [
    (
        "base",
        [
            {"messages"},
            {"atomicfiles", "dependencies", "errors", "layout", "localized"}
            | {"mediatypes", "parallel", "progress", "textfile", "timeutil"},
            {"yamlsource"},
        ],
    ),
    (
        "settings",
        [
            {"campaign", "settingsreader"},
            {"languages"},
            {"pagesettings"},
            {"config"},
            {"offers", "themes"},
        ],
    ),
    (
        "sources",
        [
            {"frontmatter", "links", "markdown", "sitefiles", "spreadsheets"},
            {"content", "data"},
            {"datapages", "feedrules"},
        ],
    ),
    (
        "model",
        [
            {"site", "translations"},
            {"clashes", "markdownimages", "pagelinks", "paging"},
            {"placing"},
        ],
    ),
    (
        "rendering",
        [
            {"assets", "elision", "formatting", "images", "languagemarks", "plurals", "typography"}
            | {"viewinputs"},
            {"catalogs", "viewobjects"},
            {"views"},
            {"lookups", "sitewidefiles", "templateapi"},
            {"loaders", "templateproblems"},
            {"environments"},
            {"pagers", "templatechecks"},
            {"renderer"},
        ],
    ),
    (
        "output",
        [{"writing"}, {"manifest"}, {"journal", "live"}, {"lock"}, {"staged"}, {"inplace"}],
    ),
    (
        "building",
        [
            {"buildcontract", "renderedfiles"},
            {"buildcache"},
            {"preparation"},
            {"builder"},
            {"pipeline"},
        ],
    ),
    (
        "commands",
        [
            {"check", "cli_shared", "deploy_plan", "deploy_targets", "i18n_files", "scaffold"}
            | {"review_plan", "schedule", "watch"},
            {"deploy_folder", "deploy_git", "deploy_rsync", "deploy_s3", "i18n_extract"}
            | {"i18n_stamp", "review_sheet", "review_shots", "serve"},
            {"deploy", "i18n_catalogs", "i18n_status", "review"},
            {"i18n_report"},
            {"cli_build", "cli_check", "cli_deploy", "cli_i18n", "cli_new", "cli_review"}
            | {"cli_schedule", "cli_serve"},
            {"cli"},
        ],
    ),
]
"""Each package with its layers of modules, both from the bottom up."""
TOP = {"__main__"}
"""Modules of sitegen itself, above every package."""
PACKAGE_NAMES = [name for name, _ in PACKAGES]


def _place(module: str) -> tuple[int, int]:
    """(the package's rank, the module's layer in it); `python -m sitegen` is above all."""
    if module in TOP:
        return len(PACKAGES), 0
    package, _, name = module.partition(".")
    rank = PACKAGE_NAMES.index(package)
    layer = next(index for index, layer in enumerate(PACKAGES[rank][1]) if name in layer)
    return rank, layer


def _modules() -> dict[str, Path]:
    """Every module of sitegen by its dotted name below sitegen ("base.errors")."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "bundled" or path.name == "__init__.py":
            continue
        found[".".join(relative.with_suffix("").parts)] = path
    return found


def _sitegen_imports(path: Path) -> set[str]:
    """The sitegen modules a file imports, by dotted name below sitegen."""
    tree = ast.parse(path.read_text("utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sitegen"):
            module = node.module.removeprefix("sitegen").lstrip(".")
            if module in PACKAGE_NAMES:  # from sitegen.base import errors
                found.update(f"{module}.{alias.name}" for alias in node.names)
            elif module:
                found.add(module)
            else:  # from sitegen import __version__
                found.update(alias.name for alias in node.names if alias.name in PACKAGE_NAMES)
        elif isinstance(node, ast.Import):
            found.update(
                alias.name.removeprefix("sitegen.")
                for alias in node.names
                if alias.name.startswith("sitegen.")
            )
    return found


def test_every_module_has_a_place() -> None:
    placed = {f"{name}.{module}" for name, layers in PACKAGES for module in set().union(*layers)}
    assert set(_modules()) == placed | TOP


def test_imports_only_reach_lower_packages_and_lower_layers() -> None:
    wrong = []
    for module, path in sorted(_modules().items()):
        for imported in _sitegen_imports(path):
            if imported in PACKAGE_NAMES:
                wrong.append(f"{module} imports the package {imported}, not one of its modules")
            elif _place(imported) >= _place(module):
                wrong.append(f"{module} imports {imported}")
    assert wrong == []


def test_packages_are_folders_of_modules() -> None:
    """A package's `__init__.py` is empty: what a module uses is imported from the
    module that defines it, and importing a package costs nothing."""
    inits = [PACKAGE / name / "__init__.py" for name in PACKAGE_NAMES]
    assert [path for path in inits if path.read_text("utf-8").strip()] == []
    folders = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    assert folders == set(PACKAGE_NAMES)
