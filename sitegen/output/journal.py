"""The journal of an in-place update (InPlaceOutput): its moves and removals, written
beside the output before the first of them is made, so that an update killed half-way
is finished by the next build into the folder.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from sitegen.output.manifest import write_manifest
from sitegen.output.writing import json_bytes, remove_from, replace_in

JOURNAL_SUFFIX = ".sitegen-journal"


def journal_path(output: Path) -> Path:
    """Beside the output, like the lock."""
    return output.parent / f".{output.name}{JOURNAL_SUFFIX}"


def write_journal(output: Path, journal: dict[str, Any]) -> None:
    """Write the journal whole: from then on the update is decided."""
    replace_in(output.parent, journal_path(output).name, json_bytes(journal))


def finish_interrupted_update(output: Path) -> None:
    """Make the moves of an InPlaceOutput commit that was killed half-way, if any."""
    path = journal_path(output)
    try:
        journal = json.loads(path.read_bytes())
    except FileNotFoundError:
        return
    except ValueError:  # cannot be: the journal is written whole, then renamed
        path.unlink()
        return
    apply_journal(output, journal)


def apply_journal(output: Path, journal: dict[str, Any]) -> None:
    """Make a journal's moves and removals and write its manifest; each step can be
    made again, so an interrupted apply is finished by applying the journal again."""
    staging = Path(journal["staging"])
    for relative in journal["moves"]:
        source = staging / relative
        if source.exists():  # else moved before the interruption
            target = output / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    for relative in journal["removals"]:
        remove_from(output, relative)
    write_manifest(output, journal["files"])
    journal_path(output).unlink()
    shutil.rmtree(staging, ignore_errors=True)
