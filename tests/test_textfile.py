"""Texts kept in a file (sitegen.base.textfile): read back as stored, equal by their bytes,
and never trusted once the file no longer holds what was stored."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
from markupsafe import Markup

from sitegen.base.textfile import DamagedText, StoredText, TextFile


def test_texts_read_back_as_stored(tmp_path: Path) -> None:
    texts = TextFile(tmp_path / "cache" / "bodies")
    first = texts.add("<p>Première page, « guillemets » et 11.11 !</p>")
    empty = texts.add("")
    second = texts.add("<p>Second</p>")
    assert isinstance(first, StoredText) and isinstance(second, StoredText)
    assert str(first) == "<p>Première page, « guillemets » et 11.11 !</p>"
    assert str(empty) == "" and str(second) == "<p>Second</p>"
    assert Markup(first) == Markup("<p>Première page, « guillemets » et 11.11 !</p>")


def test_texts_are_equal_when_their_bytes_are(tmp_path: Path) -> None:
    texts = TextFile(tmp_path / "bodies")
    one, same, other = texts.add("<p>a</p>"), texts.add("<p>a</p>"), texts.add("<p>b</p>")
    assert one == same and hash(one) == hash(same)
    assert one != other
    assert one != "<p>a</p>"  # a text in memory is another kind of value


def test_a_pickled_file_goes_on_appending(tmp_path: Path) -> None:
    """The build cache pickles the file with the bodies; the next build adds to it."""
    texts = TextFile(tmp_path / "bodies")
    kept = texts.add("<p>avant</p>")
    loaded_texts, loaded = pickle.loads(pickle.dumps((texts, kept)))
    added = loaded_texts.add("<p>après</p>")
    assert (str(loaded), str(added)) == ("<p>avant</p>", "<p>après</p>")
    assert added.offset == len("<p>avant</p>")


@pytest.mark.parametrize("damage", ["flipped byte", "truncated", "removed", "replaced"])
def test_a_damaged_file_is_not_trusted(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "bodies"
    texts = TextFile(path)
    texts.add("<p>un</p>")
    stored = texts.add("<p>deux</p>")
    data = path.read_bytes()
    if damage == "flipped byte":
        path.write_bytes(data[:-2] + bytes([data[-2] ^ 1]) + data[-1:])
    elif damage == "truncated":
        path.write_bytes(data[:-3])
    elif damage == "removed":
        path.unlink()
    else:
        path.write_bytes(b"<p>un</p><p>DEUX</p>")
    with pytest.raises(DamagedText):
        str(stored)


def test_a_file_that_cannot_be_written_keeps_texts_in_memory(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the folder would be", "utf-8")
    texts = TextFile(tmp_path / "cache" / "bodies")
    assert texts.add("<p>gardé</p>") == "<p>gardé</p>"
    assert texts.add("<p>aussi</p>") == "<p>aussi</p>"


def test_a_forked_process_reads_what_was_added_before(tmp_path: Path) -> None:
    texts = TextFile(tmp_path / "bodies")
    stored = texts.add("<p>partagé</p>")
    assert str(stored) == "<p>partagé</p>"  # the reader is open before the fork
    later = texts.add("<p>ajouté ensuite</p>")
    child = os.fork()
    if child == 0:
        os._exit(
            0 if (str(stored), str(later)) == ("<p>partagé</p>", "<p>ajouté ensuite</p>") else 1
        )
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
