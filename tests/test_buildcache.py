"""The build cache (.sitegen-cache/build/): a cached build gives the bytes of a clean
one-process build, and a cache that is stale, damaged or from elsewhere is not trusted."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pickle
import time
from dataclasses import replace
from pathlib import Path

import pytest

import sitegen
from sitegen.building.buildcache import (
    BUILD_CACHE_DIR,
    CACHE_DIR,
    INDEX_FILE,
    STATE_FILE,
    TEXTS_PREFIX,
    code_digest,
)
from sitegen.building.buildcontract import BuildOptions, BuildResult
from sitegen.building.pipeline import build
from tests.conftest import (
    SITES,
    copy_example,
    linked_pages,
    page,
    run_sitegen,
    snapshot,
    write_tree,
)

NOW = "2026-11-05T12:00:00+01:00"
AN_HOUR_LATER = "2026-11-05T13:00:00+01:00"
"""The same campaign phase as NOW."""
BEFORE_LIVE = "2027-11-10T16:59:00+01:00"
AFTER_LIVE = "2027-11-10T17:01:00+01:00"
"""The example's live phase begins at midnight in Beijing, 17:00 in Paris."""


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _age(site: Path) -> None:
    """Date every file of the site ten seconds back: stamps the cache may trust (a
    file changed in the last two seconds is always read again)."""
    past = time.time() - 10
    for path in site.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))


def _build(site: Path, output: Path, *options: str) -> str:
    result = run_sitegen("build", site, "--output", output, *options)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def _clean_build(site: Path, folder: Path, *options: str) -> dict[str, bytes]:
    """What a build without any cache, in one process, makes of the site now."""
    _build(site, folder, "--no-cache", "--jobs", "1", *options)
    return snapshot(folder)


def _cache_files(site: Path) -> dict[str, Path]:
    folder = site / CACHE_DIR / BUILD_CACHE_DIR
    return {name: folder / name for name in (INDEX_FILE, STATE_FILE)}


def _blog(tmp_path: Path) -> Path:
    site = write_tree(tmp_path / "site", linked_pages(40))
    _age(site)
    return site


def test_nothing_changed_means_nothing_done(tmp_path: Path) -> None:
    site, output = _blog(tmp_path), tmp_path / "out"
    assert _build(site, output).startswith("Built 82 pages")
    assert set(_cache_files(site)) == {INDEX_FILE, STATE_FILE}
    before = {path: path.stat().st_mtime_ns for path in output.rglob("*")}
    summary = _build(site, output)
    assert summary.startswith("Nothing changed since the last build: 82 pages (41 fr, 41 en)")
    assert {path: path.stat().st_mtime_ns for path in output.rglob("*")} == before
    assert snapshot(output) == _clean_build(site, tmp_path / "clean")


def test_an_edit_renders_only_what_read_it(tmp_path: Path) -> None:
    site, output = _blog(tmp_path), tmp_path / "out"
    options = BuildOptions(site, output, cache=True, jobs=1)
    build(options)
    edited = site / "content" / "p007.fr.md"
    edited.write_text(edited.read_text("utf-8") + "\nUn paragraphe de plus.\n", "utf-8")
    result = build(options)
    assert result.rendered == ("fr/p007/index.html",)
    assert result.files_written == 1 and result.changed == ("fr/p007/index.html",)
    assert snapshot(output) == _clean_build(site, tmp_path / "clean")
    unchanged = output / "fr" / "p008" / "index.html"
    assert unchanged.stat().st_nlink == 1  # linked across, then the old output removed
    inode = unchanged.stat().st_ino
    again = site / "content" / "p009.en.md"
    again.write_text(again.read_text("utf-8") + "\nOne more paragraph.\n", "utf-8")
    result = build(options)  # the output as the last edit left it: again in place
    assert result.files_written == 1 and result.changed == ("en/p009/index.html",)
    assert unchanged.stat().st_ino == inode
    assert snapshot(output) == _clean_build(site, tmp_path / "clean2")


def _edits(site: Path) -> list[tuple[str, dict[str, str | None]]]:
    """Changes to the example, one after the other (None: remove the file)."""
    explainer = (site / "content" / "explainer.fr.md").read_text("utf-8")
    products = (site / "data" / "products.csv").read_text("utf-8")
    stylesheet = site / "themes" / "double11" / "static" / "css" / "site.css"
    return [
        ("body", {"content/explainer.fr.md": explainer + "\nUn paragraphe ajouté.\n"}),
        ("title", {"content/explainer.fr.md": explainer.replace('title: "', 'title: "Neuf : ', 1)}),
        ("new page", {"content/nouvelle.fr.md": page("Nouvelle", "Texte.")}),
        ("price", {"data/products.csv": products.replace(",89.90,EUR,62.90,", ",79.90,EUR,5,")}),
        ("page gone", {"content/nouvelle.fr.md": None}),
        ("stylesheet", {str(stylesheet.relative_to(site)): "body { color: red }\n"}),
    ]


@pytest.mark.no_cover  # builds again and again: see conftest.py
def test_every_cached_build_gives_the_bytes_of_a_clean_build(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site", with_theme=True)
    _age(site)
    output = tmp_path / "out"
    _build(site, output, "--now", NOW)
    for step, (name, changes) in enumerate(_edits(site)):
        for relative, text in changes.items():
            path = site / relative
            if text is None:
                path.unlink()
            else:
                path.write_text(text, "utf-8")
        _build(site, output, "--now", NOW)
        clean = _clean_build(site, tmp_path / f"clean-{step}", "--now", NOW)
        assert snapshot(output) == clean, name


def test_builds_within_one_phase_change_nothing(tmp_path: Path) -> None:
    """The example shows the campaign's phase, never the second it was built at: a
    build an hour later in the same phase finds nothing to do."""
    site = copy_example(tmp_path / "site")
    _age(site)
    output = tmp_path / "out"
    _build(site, output, "--now", NOW)
    assert _build(site, output, "--now", AN_HOUR_LATER).startswith("Nothing changed")
    assert snapshot(output) == _clean_build(site, tmp_path / "clean", "--now", AN_HOUR_LATER)


def test_a_phase_boundary_renders_only_the_pages_that_show_the_phase(tmp_path: Path) -> None:
    """Crossing into the live phase renders again the two homes (countdown, hero, phase
    blocks) and the outputs that show a product whose offer opens then (marked
    `data-offer`), not the other outputs."""
    site = copy_example(tmp_path / "site")
    _age(site)
    output = tmp_path / "out"

    def built(now: str) -> BuildResult:
        options = BuildOptions(site_root=site, output=output, now=_instant(now), cache=True)
        return build(options)

    built(BEFORE_LIVE)
    showing_offers = {  # pages, and the Atom feeds that carry an article's product grid
        path.relative_to(output).as_posix()
        for path in [*output.rglob("*.html"), *output.rglob("*.xml")]
        if "data-offer" in path.read_text("utf-8")
    }
    result = built(AFTER_LIVE)
    assert showing_offers and "fr/participer/index.html" not in showing_offers
    assert set(result.rendered) == {"fr/index.html", "en/index.html"} | showing_offers
    assert snapshot(output) == _clean_build(site, tmp_path / "clean", "--now", AFTER_LIVE)


def test_pages_showing_the_clock_follow_it(tmp_path: Path) -> None:
    """A template that shows `now` itself is rendered again by a build made at another
    instant, and found up to date only at the same one."""
    files = linked_pages(3)
    files["templates/page.html"] = "<title>{{ page.title }}</title><p>{{ now.isoformat() }}</p>"
    site = write_tree(tmp_path / "site", files)
    _age(site)
    output = tmp_path / "out"
    _build(site, output, "--now", NOW)
    assert _build(site, output, "--now", NOW).startswith("Nothing changed")
    assert _build(site, output, "--now", AN_HOUR_LATER).startswith("Built")
    assert snapshot(output) == _clean_build(site, tmp_path / "clean", "--now", AN_HOUR_LATER)


def test_other_options_or_config_do_not_use_the_cache(tmp_path: Path) -> None:
    site, output = _blog(tmp_path), tmp_path / "out"
    draft = site / "content" / "brouillon.fr.md"
    draft.write_text(page("Brouillon", "Pas encore.", draft="true"), "utf-8")
    _age(site)
    _build(site, output)
    assert _build(site, output, "--drafts").startswith("Built 84 pages")
    assert snapshot(output) == _clean_build(site, tmp_path / "clean", "--drafts")
    config = site / "site.yaml"
    config.write_text(config.read_text("utf-8").replace("Site", "Autre site", 1), "utf-8")
    _build(site, output)
    assert snapshot(output) == _clean_build(site, tmp_path / "clean2")


def test_an_output_changed_by_hand_is_not_kept(tmp_path: Path) -> None:
    site, output = _blog(tmp_path), tmp_path / "out"
    _build(site, output)
    (output / "fr" / "p003" / "index.html").write_text("changé à la main", "utf-8")
    assert _build(site, output).startswith("Built")
    assert snapshot(output) == _clean_build(site, tmp_path / "clean")


@pytest.mark.parametrize("where", ["fr/p003/notes.txt", "fr/ajout/index.html", "robots.txt"])
def test_a_file_added_or_removed_by_hand_is_seen(tmp_path: Path, where: str) -> None:
    site, output = _blog(tmp_path), tmp_path / "out"
    _build(site, output)
    added = output / where
    if added.exists():
        added.unlink()
    else:
        added.parent.mkdir(exist_ok=True)
        added.write_text("ajouté à la main", "utf-8")
    assert _build(site, output).startswith("Built")
    assert snapshot(output) == _clean_build(site, tmp_path / "clean")


# ---------------------------------------------------------------- damaged or foreign caches


def _poison(site: Path, header_change: dict[str, object]) -> None:
    """Rewrite the state so that page p005 (fr) has a false body, with a valid checksum
    and the header changed by `header_change`; the index is removed."""
    files = _cache_files(site)
    files[INDEX_FILE].unlink()
    with open(files[STATE_FILE], "rb") as file:
        header = json.loads(file.readline())
        memory = pickle.loads(file.read()[:-64])  # the file ends with the SHA-256
    bodies = memory.pages._bodies
    source, links, phase, rendered = bodies["fr/p005/index.html"]
    bodies["fr/p005/index.html"] = (source, links, phase, replace(rendered, html="<p>POISON</p>"))
    payload = pickle.dumps(memory)
    header.update(header_change)
    checksum = hashlib.sha256(payload).hexdigest().encode()
    files[STATE_FILE].write_bytes(json.dumps(header).encode() + b"\n" + payload + checksum)


def _retitle(site: Path) -> None:
    """A new title for p005 (fr): its page renders again, its body does not change."""
    path = site / "content" / "p005.fr.md"
    path.write_text(path.read_text("utf-8").replace("Page 5", "Page cinq"), "utf-8")


def test_the_poisoned_state_is_used_when_its_header_matches(tmp_path: Path) -> None:
    """The control for the tests below: they would see the poison if it were trusted."""
    site, output = _blog(tmp_path), tmp_path / "out"
    _build(site, output)
    _poison(site, {})
    _retitle(site)
    _build(site, output)
    assert "POISON" in (output / "fr" / "p005" / "index.html").read_text("utf-8")


@pytest.mark.parametrize(
    "header_change",
    [{"sitegen": "0.0.1"}, {"code": "0" * 64}, {"format": 0}, {"python": "2.7"}],
    ids=["other version", "other code", "other format", "other python"],
)
def test_a_cache_from_elsewhere_is_not_trusted(
    tmp_path: Path, header_change: dict[str, object]
) -> None:
    site, output = _blog(tmp_path), tmp_path / "out"
    _build(site, output)
    _poison(site, header_change)
    _retitle(site)
    _build(site, output)
    assert snapshot(output) == _clean_build(site, tmp_path / "clean")


@pytest.mark.parametrize("damage", ["flipped byte", "truncated", "garbage", "empty"])
def test_a_damaged_cache_is_not_trusted(tmp_path: Path, damage: str) -> None:
    site, output = _blog(tmp_path), tmp_path / "out"
    _build(site, output)
    _poison(site, {})
    state = _cache_files(site)[STATE_FILE]
    content = state.read_bytes()
    middle = len(content) // 2  # inside the pickle
    state.write_bytes(
        {
            "flipped byte": content[:middle] + bytes([content[middle] ^ 1]) + content[middle + 1 :],
            "truncated": content[: len(content) // 2],
            "garbage": os.urandom(4096),
            "empty": b"",
        }[damage]
    )
    _retitle(site)
    _build(site, output)
    assert snapshot(output) == _clean_build(site, tmp_path / "clean")


def test_a_damaged_index_is_not_trusted(tmp_path: Path) -> None:
    site, output = _blog(tmp_path), tmp_path / "out"
    _build(site, output)
    index = _cache_files(site)[INDEX_FILE]
    index.write_bytes(index.read_bytes()[:-10] + b"0123456789")
    _retitle(site)
    _age(site)
    assert _build(site, output).startswith("Built")
    assert snapshot(output) == _clean_build(site, tmp_path / "clean")


def _bodies_files(site: Path) -> list[Path]:
    return sorted((site / CACHE_DIR / BUILD_CACHE_DIR).glob(f"{TEXTS_PREFIX}*"))


def _restyle(site: Path) -> None:
    """A change to the page template: every page renders again, from the bodies kept."""
    template = site / "templates" / "page.html"
    template.write_text("<main>" + template.read_text("utf-8") + "</main>", "utf-8")


def test_bodies_are_kept_in_a_file_beside_the_state(tmp_path: Path) -> None:
    site, output = _blog(tmp_path), tmp_path / "out"
    _build(site, output)
    [bodies] = _bodies_files(site)
    assert "Voir <a href" in bodies.read_text("utf-8")
    assert b"Voir <a href" not in _cache_files(site)[STATE_FILE].read_bytes()
    _restyle(site)
    _build(site, output)
    assert _bodies_files(site) == [bodies]
    assert snapshot(output) == _clean_build(site, tmp_path / "clean")
    assert "<main><title>Page 7 fr" in (output / "fr" / "p007" / "index.html").read_text("utf-8")


@pytest.mark.parametrize("damage", ["flipped byte", "truncated", "removed"])
def test_a_damaged_file_of_bodies_is_not_trusted(tmp_path: Path, damage: str) -> None:
    site, output = _blog(tmp_path), tmp_path / "out"
    _build(site, output)
    [bodies] = _bodies_files(site)
    content = bodies.read_bytes()
    at = content.index(b"Titre 7")
    if damage == "flipped byte":
        bodies.write_bytes(content[:at] + b"Titre 8" + content[at + 7 :])
    elif damage == "truncated":
        bodies.write_bytes(content[:at])
    else:
        bodies.unlink()
    _restyle(site)
    assert _build(site, output).startswith("Built 82 pages")
    assert snapshot(output) == _clean_build(site, tmp_path / "clean")
    assert _bodies_files(site) != [bodies]  # started again in a new file


def test_a_file_of_bodies_mostly_stale_is_started_again(tmp_path: Path) -> None:
    """Each edit adds a body to the file; once most of it is bodies no page uses, the
    next build renders every body again into a new file."""
    site, output = _blog(tmp_path), tmp_path / "out"
    _build(site, output)
    [bodies] = _bodies_files(site)
    with open(bodies, "ab") as file:
        file.write(b"<p>stale</p>" * 200_000)  # as if from many earlier edits
    edited = site / "content" / "p007.fr.md"
    edited.write_text(edited.read_text("utf-8") + "\nUn paragraphe de plus.\n", "utf-8")
    result = build(BuildOptions(site, output, cache=True, jobs=1))
    assert {"fr/p008/index.html", "en/p020/index.html"} <= set(result.rendered)
    [renewed] = _bodies_files(site)
    assert renewed != bodies and renewed.stat().st_size < 100_000
    assert snapshot(output) == _clean_build(site, tmp_path / "clean")


# ---------------------------------------------------------------- --no-cache, sitegen clean


def test_no_cache_neither_uses_nor_keeps_one(tmp_path: Path) -> None:
    site, output = _blog(tmp_path), tmp_path / "out"
    _build(site, output, "--no-cache")
    assert not (site / CACHE_DIR).exists()
    _build(site, output)
    assert _build(site, output, "--no-cache").startswith("Built")


def test_clean_removes_the_cache(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", {})
    result = run_sitegen("clean", site)
    assert result.returncode == 0 and "Nothing to remove" in result.stdout
    (site / CACHE_DIR / "images").mkdir(parents=True)
    result = run_sitegen("clean", site)
    assert result.returncode == 0 and "Removed" in result.stdout
    assert not (site / CACHE_DIR).exists()


def test_a_site_that_cannot_keep_a_cache_still_builds(tmp_path: Path) -> None:
    site, output = _blog(tmp_path), tmp_path / "out"
    (site / CACHE_DIR).write_text("a file where the cache folder would be", "utf-8")
    assert _build(site, output).startswith("Built")
    assert _build(site, output).startswith("Built")


def test_the_bilingual_fixture_builds_the_same_with_its_cache(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_tree(site, {})
    for path in (SITES / "bilingual").rglob("*"):
        if path.is_file():
            target = site / path.relative_to(SITES / "bilingual")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    _age(site)
    output = tmp_path / "out"
    _build(site, output, "--now", NOW)
    assert _build(site, output, "--now", NOW).startswith("Nothing changed")
    assert snapshot(output) == _clean_build(site, tmp_path / "clean", "--now", NOW)


def test_the_code_stamp_follows_the_modules_bytes_not_their_times(tmp_path: Path) -> None:
    """A CI runner installs the same sitegen again each run (new file times): a cache
    restored there must still be used; a module changed by one byte must not."""
    installed = Path(sitegen.__file__).parent
    package = tmp_path / "sitegen"
    for module in installed.rglob("*.py"):
        copy = package / module.relative_to(installed)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(module.read_bytes())
    assert code_digest(package) == code_digest()
    for module in package.rglob("*.py"):
        os.utime(module, ns=(1_000_000_000, 1_000_000_000))
    assert code_digest(package) == code_digest()
    build_module = package / "building" / "pipeline.py"  # a module of a subpackage
    build_module.write_bytes(build_module.read_bytes() + b"\n")
    assert code_digest(package) != code_digest()
