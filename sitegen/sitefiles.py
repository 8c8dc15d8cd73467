"""The files below a site's folders (content/, data/, static/), and the one rule for
symbolic links among them: a link is followed only while it leads somewhere inside
the site. A link out of it would publish whatever it points to (a file of another
project, a system file) without anyone seeing that in the site's folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from sitegen.errors import Problem


def files_below(folder: Path, boundary: Path) -> tuple[list[Path], list[Problem]]:
    """Every file below `folder`, sorted, following symbolic links that stay inside
    `boundary`; each link leading out of it, or back to a folder already walked (a
    loop), is a problem instead."""
    if not folder.is_dir():
        return [], []
    inside = boundary.resolve()
    files: list[Path] = []
    problems: list[Problem] = []
    walked = {folder.resolve()}
    for top, folders, names in os.walk(folder, followlinks=True):
        here = Path(top)
        for name in list(folders):
            path = here / name
            if path.is_symlink():
                real = path.resolve()
                problem = _link_problem(path, real, inside) or (
                    Problem(path, None, "a link to a folder that contains it (a loop)")
                    if real in walked
                    else None
                )
                if problem:
                    problems.append(problem)
                    folders.remove(name)
                    continue
                walked.add(real)
        for name in names:
            path = here / name
            problem = _link_problem(path, path.resolve(), inside) if path.is_symlink() else None
            if problem:
                problems.append(problem)
            elif path.is_file():
                files.append(path)
    files.sort()
    return files, problems


def _link_problem(path: Path, real: Path, inside: Path) -> Problem | None:
    if real.is_relative_to(inside):
        return None
    return Problem(
        path,
        None,
        f"a symbolic link to {real}, outside the site: sitegen does not publish files "
        "from outside the site",
        hint="copy the file into the site instead of linking to it",
    )
