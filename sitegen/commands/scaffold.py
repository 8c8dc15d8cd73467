"""`sitegen new`: a starter site, written from package data, that builds as it is.

The starter is `sitegen/bundled/starter/`: a bilingual Double 11 landing page and a
news-style article for the bundled double11 theme, with a small product feed. Its
text files hold two placeholders, filled in when the site is made, so that a new
site always counts down to a Double 11 still to come:

- `__YEAR__`: the year of the next Double 11 that has not ended (`campaign_year`);
- `__TODAY__`: the day the site was made (the article's date), in the site's zone.

Neither appears in a page's title, description or body, so the `translated_from`
stamps of the English pages, worked out once for the starter, stay right. The
starter's `gitignore` is written as `.gitignore`: packaging tools easily drop a
dotfile from package data.

Nothing is written into a folder that holds anything, or over a file. If writing
fails half-way (a full disk), what was written is removed again.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

from sitegen.base.errors import Problem, SiteError
from sitegen.base.messages import _

STARTER = Path(__file__).resolve().parents[1] / "bundled" / "starter"
EVENT_ZONE = ZoneInfo("Asia/Shanghai")
"""The zone of the starter's campaign: Double 11 runs on Beijing time."""
SITE_ZONE = ZoneInfo("Europe/Paris")
"""The starter's `timezone`, the one its dates are written in."""
YEAR = "__YEAR__"
TODAY = "__TODAY__"
FILLED_SUFFIXES = frozenset({".yaml", ".yml", ".md", ".csv"})
"""Files whose placeholders are filled in; any other file is copied byte for byte."""
RENAMED = {"gitignore": ".gitignore"}


def campaign_year(now: dt.datetime) -> int:
    """The year of the next Double 11 that has not ended at `now`.

    The starter's campaign ends at 00:00 on 12 November, Beijing time, so until that
    instant it is this year's (during 11 November too: the deals are still on), and
    from then on it is next year's. Checked in Beijing time, not by the date where the
    user happens to be: at 17:30 on 11 November in Paris, the event is already over.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    local = now.astimezone(EVENT_ZONE)
    ends = dt.datetime(local.year, 11, 12, tzinfo=EVENT_ZONE)
    return local.year if local < ends else local.year + 1


@dataclass(frozen=True)
class NewSite:
    root: Path
    files: tuple[str, ...]
    """Every file written, relative to `root`, sorted."""
    year: int
    """The year of the campaign in site.yaml."""


def starter_files(year: int, today: dt.date, starter: Path = STARTER) -> dict[str, bytes]:
    """The starter's files (relative path → bytes), placeholders filled in."""
    files: dict[str, bytes] = {}
    for path in sorted(starter.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        relative = PurePosixPath(path.relative_to(starter).as_posix())
        name = RENAMED.get(relative.name, relative.name)
        data = path.read_bytes()
        if path.suffix in FILLED_SUFFIXES:
            text = data.decode("utf-8")
            text = text.replace(YEAR, str(year)).replace(TODAY, today.isoformat())
            data = text.encode("utf-8")
        files[str(relative.with_name(name))] = data
    return files


def refusal(target: Path) -> Problem | None:
    """Why `sitegen new` may not write into `target`, if it may not."""
    if target.is_dir():
        try:
            empty = next(target.iterdir(), None) is None
        except OSError as exc:
            message = _("cannot read this folder: %(error)s") % {"error": exc.strerror}
            return Problem(target, None, message)
        if empty:
            return None
        return Problem(
            target,
            None,
            _("this folder is not empty"),
            hint=_("give the name of a new folder, or of an empty one"),
        )
    if os.path.lexists(target):
        return Problem(
            target,
            None,
            _("this is a file, not a folder"),
            hint=_("give the name of a new folder, or of an empty one"),
        )
    return None


def create_site(target: Path, now: dt.datetime, starter: Path = STARTER) -> NewSite:
    """Write the starter into `target` (new, or an empty folder); raises SiteError."""
    problem = refusal(target)
    if problem is not None:
        raise SiteError([problem])
    year = campaign_year(now)
    files = starter_files(year, now.astimezone(SITE_ZONE).date(), starter)
    _write_all(target, files)
    return NewSite(root=target, files=tuple(sorted(files)), year=year)


def _write_all(target: Path, files: Mapping[str, bytes]) -> None:
    """Write every file, or (on an error) remove what was made and raise SiteError."""
    made: list[Path] = []
    try:
        for folder in [*reversed(target.parents), target]:
            if not folder.exists():
                folder.mkdir()
                made.append(folder)
        for relative, data in files.items():
            path = target / relative
            for folder in [*reversed(path.relative_to(target).parents)][1:]:
                if not (target / folder).exists():
                    (target / folder).mkdir()
                    made.append(target / folder)
            with path.open("xb") as out:
                made.append(path)
                out.write(data)
    except OSError as exc:
        for path in reversed(made):
            try:
                if path.is_dir():
                    path.rmdir()
                else:
                    path.unlink()
            except OSError:
                pass
        where = Path(exc.filename) if exc.filename else target
        raise SiteError(
            [
                Problem(
                    where,
                    None,
                    _("cannot write the new site: %(error)s") % {"error": exc.strerror or exc},
                )
            ]
        ) from None
