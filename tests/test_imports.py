"""Imports flow one way through the pipeline (DESIGN.md): nothing calls back up the chain."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "sitegen"

# Each module may import only modules of a lower layer.
LAYERS = [
    {"atomicfiles"},
    {
        "errors",
        "localized",
        "timeutil",
        "dependencies",
        "watch",
        "mediatypes",
        "parallel",
        "texts",
        "layout",
    },
    {"progress"},
    {"buildcontract"},
    {"yamlsource", "assets", "images", "sitefiles"},
    {"campaign", "links", "spreadsheets"},
    {"config"},
    {"content", "data", "markdown", "formatting", "offers"},
    {"datapages", "feeds", "site"},
    {"paging", "markdownimages"},
    {"model", "themes", "catalogs", "typography"},
    {"views", "publishing"},
    {"loaders", "lookups"},
    {"environments", "templateapi"},
    {"pagers", "render", "output", "buildcache"},
    {"builder"},
    {"build"},
    {"i18n", "schedule", "scaffold", "serve", "deploy", "check"},
    {"cli"},
    {"__main__"},
]


def _layer(module: str) -> int:
    return next(index for index, layer in enumerate(LAYERS) if module in layer)


def _sitegen_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sitegen"):
            found.add(node.module.removeprefix("sitegen").lstrip(".") or "__init__")
        elif isinstance(node, ast.Import):
            found.update(
                alias.name.removeprefix("sitegen.")
                for alias in node.names
                if alias.name.startswith("sitegen.")
            )
    return found - {"__init__"}


def test_every_module_has_a_layer() -> None:
    modules = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__"}
    assert modules == set().union(*LAYERS)


def test_imports_only_reach_lower_layers() -> None:
    wrong = []
    for path in sorted(PACKAGE.glob("*.py")):
        if path.stem == "__init__":
            continue
        for imported in _sitegen_imports(path):
            if _layer(imported) >= _layer(path.stem):
                wrong.append(f"{path.stem} imports {imported}")
    assert wrong == []
