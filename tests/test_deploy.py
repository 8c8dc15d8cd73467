"""sitegen deploy, for real: a local folder, rsync to a local folder, a bare git
repository, and an S3-compatible server (moto's) on 127.0.0.1. Each target goes
through the same story: a dry run changes nothing, the first deploy sends every
file but the manifest, a second one sends nothing and touches nothing, an edit
sends only the files it changed, and a deleted page is deleted at the target."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from sitegen import __version__
from sitegen.base.mediatypes import content_type
from sitegen.commands.deploy_plan import (
    PartlyDeployed,
    Plan,
    failure,
    last_lines,
    plan,
    published_files,
    refusal,
)
from sitegen.commands.deploy_rsync import _itemized_plan
from sitegen.commands.deploy_targets import (
    FolderTarget,
    GitTarget,
    RsyncTarget,
    S3Target,
    parse_target,
)
from sitegen.output.manifest import MANIFEST
from sitegen.rendering.sitewidefiles import (
    ASSET_CACHE_CONTROL,
    IMMUTABLE_CACHE_CONTROL,
    PAGE_CACHE_CONTROL,
    cache_control,
)
from tests.conftest import run_sitegen, snapshot

EPOCH = "1794355200"  # 2026-11-11T00:00:00Z: builds (and git commits) carry no clock time

Files = dict[str, bytes]


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture
def site(copy_site: Callable[[str], Path]) -> Path:
    return copy_site("bilingual")


def deploy(site: Path, target: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_sitegen("deploy", site, target, *args)


def counts(result: subprocess.CompletedProcess[str]) -> tuple[int, int, int]:
    """(uploaded, deleted, unchanged) from the summary line of a deploy or a dry run."""
    assert result.returncode == 0, result.stderr
    found = re.search(
        r"(\d+) (?:would be )?uploaded, (\d+) deleted, (\d+) unchanged", result.stdout
    )
    assert found, result.stdout
    uploaded, deleted, unchanged = map(int, found.groups())
    return uploaded, deleted, unchanged


def listed(result: subprocess.CompletedProcess[str]) -> dict[str, str]:
    """The changes a dry run lists: path → new / changed / deleted."""
    assert result.returncode == 0, result.stderr
    return {
        match[2]: match[1]
        for match in re.finditer(r"^  (new|changed|deleted) +(\S+)$", result.stdout, re.M)
    }


def published(site: Path) -> Files:
    """What a deploy must publish: the last build's output without its manifest."""
    files = snapshot(site / "output")
    assert MANIFEST in files
    del files[MANIFEST]
    return files


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file's modification time and inode: a file not touched keeps both."""
    return {
        path.relative_to(folder).as_posix(): (path.stat().st_mtime_ns, path.stat().st_ino)
        for path in folder.rglob("*")
        if path.is_file()
    }


def run_story(
    site: Path,
    target: str,
    read: Callable[[], Files],
    touched: Callable[[], dict[str, tuple[int, int]]] | None = None,
) -> None:
    """The same checks for every kind of target."""
    assert read() == {}
    dry = deploy(site, target, "--dry-run")
    first = published(site)
    assert counts(dry) == (len(first), 0, 0)
    assert listed(dry) == dict.fromkeys(first, "new")
    assert read() == {}, "a dry run changed the target"

    assert counts(deploy(site, target)) == (len(first), 0, 0)
    assert read() == first

    before = touched() if touched else {}
    assert counts(deploy(site, target)) == (0, 0, len(first))
    assert read() == first
    if touched:
        assert touched() == before, "a deploy with nothing to send touched files"

    article = site / "content" / "article.fr.md"
    article.write_text(article.read_text("utf-8") + "\nUne phrase de plus.\n", "utf-8")
    dry = deploy(site, target, "--dry-run")
    edited = published(site)
    changed = {path for path in edited if first.get(path) != edited[path]}
    assert "fr/l-article/index.html" in changed
    assert len(changed) < len(edited) / 2
    assert listed(dry) == dict.fromkeys(changed, "changed")
    assert read() == first, "a dry run changed the target"
    assert counts(deploy(site, target)) == (len(changed), 0, len(edited) - len(changed))
    assert read() == edited
    if touched:
        after = touched()
        assert {path for path in after if after[path] != before[path]} == changed

    (site / "content" / "about.md").unlink()
    home = site / "content" / "index.fr.md"
    home.write_text(home.read_text("utf-8").replace(" et [la page](about.md)", ""), "utf-8")
    dry = deploy(site, target, "--dry-run")
    final = published(site)
    gone = set(edited) - set(final)
    assert {"fr/about/index.html", "en/about/index.html"} <= gone
    rewritten = {path for path in final if edited.get(path) != final[path]}
    assert {path for path, change in listed(dry).items() if change == "deleted"} == gone
    assert read() == edited
    result = deploy(site, target)
    assert counts(result) == (len(rewritten), len(gone), len(final) - len(rewritten))
    assert read() == final


# ---------------------------------------------------------------- a local folder


def test_folder_target(site: Path, tmp_path: Path) -> None:
    www = tmp_path / "www"
    run_story(
        site, f"file://{www}", lambda: snapshot(www) if www.exists() else {}, lambda: stamps(www)
    )
    assert not list(tmp_path.glob(".sitegen-deploy-*")), "a staging folder was left behind"


def test_a_plain_path_is_a_folder_too(site: Path, tmp_path: Path) -> None:
    result = run_sitegen("deploy", "bilingual", "./www", cwd=tmp_path)
    assert counts(result)[0] == len(published(site))
    assert snapshot(tmp_path / "www") == published(site)


def test_a_folder_sitegen_did_not_deploy_to_is_refused(site: Path, tmp_path: Path) -> None:
    www = tmp_path / "www"
    www.mkdir()
    (www / "precious.txt").write_text("mine")
    result = deploy(site, f"file://{www}")
    assert result.returncode == 1
    assert "it is not empty and sitegen has not deployed to it" in result.stderr
    assert snapshot(www) == {"precious.txt": b"mine"}
    assert deploy(site, f"file://{site}").returncode == 1
    assert deploy(site, f"file://{site / 'output'}").returncode == 1


def test_a_site_with_problems_is_not_deployed(site: Path, tmp_path: Path) -> None:
    www = tmp_path / "www"
    assert counts(deploy(site, f"file://{www}"))[0] > 0
    before, kept = snapshot(www), stamps(www)
    (site / "content" / "broken.fr.md").write_text(
        "---\ntitle: Cassé\n---\n[lien](nulle-part.md)\n"
    )
    result = deploy(site, f"file://{www}")
    assert result.returncode == 1
    assert "broken.fr.md:4" in result.stderr
    assert "nothing was deployed" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(www) == before
    assert stamps(www) == kept


# ---------------------------------------------------------------- rsync


def test_rsync_to_a_local_folder(site: Path, tmp_path: Path) -> None:
    www = tmp_path / "www"
    run_story(
        site,
        f"rsync+file://{www}",
        lambda: snapshot(www) if www.exists() else {},
        lambda: stamps(www),
    )


def test_missing_rsync_is_said_plainly(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = deploy(site, f"rsync+file://{tmp_path / 'www'}")
    assert result.returncode == 1
    assert "the rsync command is not installed" in result.stderr
    assert not (tmp_path / "www").exists()


# ---------------------------------------------------------------- a git branch


def git(*args: str | Path) -> str:
    return subprocess.run(
        ["git", *map(str, args)], capture_output=True, text=True, check=True
    ).stdout


def test_branch_of_a_bare_git_repository(site: Path, tmp_path: Path) -> None:
    repo = tmp_path / "site.git"
    git("init", "--quiet", "--bare", repo)
    clone = tmp_path / "clone"

    def read() -> Files:
        if not git("--git-dir", repo, "branch", "--list", "gh-pages").strip():
            return {}
        if clone.exists():
            git("-C", clone, "pull", "--quiet", "--ff-only")
        else:
            git("clone", "--quiet", "--branch", "gh-pages", f"file://{repo}", clone)
        return {
            path: data for path, data in snapshot(clone).items() if not path.startswith(".git/")
        }

    run_story(site, f"git+file://{repo}", read)
    # One commit per deploy that changed something: first, edit, deletion.
    log = git("--git-dir", repo, "log", "--format=%at %ct %s", "gh-pages").splitlines()
    assert log == [f"{EPOCH} {EPOCH} Deploy the site with sitegen {__version__}"] * 3


def test_a_named_branch_and_no_commit_when_nothing_changed(site: Path, tmp_path: Path) -> None:
    repo = tmp_path / "site.git"
    git("init", "--quiet", "--bare", repo)
    target = f"git+file://{repo}#pages"
    assert counts(deploy(site, target))[1:] == (0, 0)
    head = git("--git-dir", repo, "rev-parse", "pages")
    assert counts(deploy(site, target))[0] == 0
    assert git("--git-dir", repo, "rev-parse", "pages") == head
    assert git("--git-dir", repo, "branch", "--list").split() == ["pages"]


# ---------------------------------------------------------------- S3


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's S3-compatible server, in a thread of this process, on a free port of 127.0.0.1."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "sitegen-tests")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "sitegen-tests")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    name = f"site-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket=name)
    return name


def s3_objects(endpoint: str, bucket: str, prefix: str) -> dict[str, dict[str, object]]:
    client = boto3.client("s3", endpoint_url=endpoint)
    objects = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            answer = client.get_object(Bucket=bucket, Key=item["Key"])
            objects[item["Key"]] = {
                "body": answer["Body"].read(),
                "type": answer["ContentType"],
                "cache": answer.get("CacheControl"),
                "modified": answer["LastModified"],
            }
    assert all(key.startswith(prefix) for key in objects)
    return objects


def test_s3_compatible_storage(
    site: Path, s3_endpoint: str, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_endpoint)  # the endpoint from the environment

    def read() -> Files:
        objects = s3_objects(s3_endpoint, bucket, "campaign/")
        return {key.removeprefix("campaign/"): item["body"] for key, item in objects.items()}

    run_story(site, f"s3://{bucket}/campaign", read)


def test_s3_headers_and_nothing_sent_twice(site: Path, s3_endpoint: str, bucket: str) -> None:
    target = f"s3://{bucket}"
    assert counts(deploy(site, target, "--endpoint-url", s3_endpoint))[1:] == (0, 0)
    objects = s3_objects(s3_endpoint, bucket, "")
    assert set(objects) == set(published(site))
    assert MANIFEST not in objects
    assert objects["fr/index.html"]["type"] == "text/html; charset=utf-8"
    assert objects["fr/index.html"]["cache"] == PAGE_CACHE_CONTROL
    assert objects["css/site.css"]["type"] == "text/css; charset=utf-8"
    assert objects["css/site.css"]["cache"] == ASSET_CACHE_CONTROL  # as _headers says
    hashed = [key for key in objects if key.startswith("_assets/css/site.")]
    assert hashed  # the stylesheet the pages link to, named by its content
    assert all(objects[key]["cache"] == IMMUTABLE_CACHE_CONTROL for key in hashed)
    again = deploy(site, target, "--endpoint-url", s3_endpoint)
    assert counts(again) == (0, 0, len(objects))
    assert s3_objects(s3_endpoint, bucket, "") == objects


def versions(endpoint: str, bucket: str) -> dict[str, list[str]]:
    """Every version of every key of a versioned bucket: an object written again gets a
    new one, whatever the clock says (S3 versioning, which moto keeps like S3)."""
    client = boto3.client("s3", endpoint_url=endpoint)
    found: dict[str, list[str]] = {}
    for page in client.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for version in page.get("Versions", []):
            found.setdefault(version["Key"], []).append(version["VersionId"])
    return found


def test_s3_leaves_unchanged_objects_untouched(site: Path, s3_endpoint: str, bucket: str) -> None:
    """Unchanged files are not written again: checked by the objects' versions, not by
    their LastModified, which a fast machine may leave on the same second (issue 22)."""
    client = boto3.client("s3", endpoint_url=s3_endpoint)
    client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    target = f"s3://{bucket}"
    deploy(site, target, "--endpoint-url", s3_endpoint)
    first = versions(s3_endpoint, bucket)
    assert first and all(len(ids) == 1 for ids in first.values())
    (site / "content" / "index.fr.md").write_text(
        (site / "content" / "index.fr.md").read_text("utf-8") + "\nUne ligne de plus.\n", "utf-8"
    )
    uploaded, _, unchanged = counts(deploy(site, target, "--endpoint-url", s3_endpoint))
    second = versions(s3_endpoint, bucket)
    rewritten = sorted(key for key, ids in second.items() if ids != first.get(key))
    assert rewritten == ["fr/index.html"] == sorted(set(rewritten)), rewritten
    assert (uploaded, unchanged) == (1, len(first) - 1)


def upload_in_parts(endpoint: str, bucket: str, key: str, body: bytes, sha256: str) -> str:
    """Put `body` as another tool would put a large file: a multipart upload (one part
    here), whose ETag is not the content's MD5 but `<md5 of the parts' MD5s>-1`."""
    client = boto3.client("s3", endpoint_url=endpoint)
    metadata = {"sha256": sha256} if sha256 else {}
    upload = client.create_multipart_upload(Bucket=bucket, Key=key, Metadata=metadata)
    part = client.upload_part(
        Bucket=bucket, Key=key, UploadId=upload["UploadId"], PartNumber=1, Body=body
    )
    client.complete_multipart_upload(
        Bucket=bucket,
        Key=key,
        UploadId=upload["UploadId"],
        MultipartUpload={"Parts": [{"ETag": part["ETag"], "PartNumber": 1}]},
    )
    etag: str = client.head_object(Bucket=bucket, Key=key)["ETag"].strip('"')
    return etag


def test_s3_objects_uploaded_in_parts_are_compared_by_their_sha256(
    site: Path, s3_endpoint: str, bucket: str
) -> None:
    """An ETag that is no MD5 (`...-1`): the object's x-amz-meta-sha256 says whether it
    holds the file; without it, or with another, the file is uploaded (issue 22)."""
    target = f"s3://{bucket}"
    deploy(site, target, "--endpoint-url", s3_endpoint)
    files = published(site)
    digests = published_files(site / "output")
    same, stale, unknown = "css/site.css", "fr/index.html", "en/index.html"
    assert "-" in upload_in_parts(s3_endpoint, bucket, same, files[same], digests[same])
    upload_in_parts(s3_endpoint, bucket, stale, b"<p>old</p>", hashlib_sha256(b"<p>old</p>"))
    upload_in_parts(s3_endpoint, bucket, unknown, files[unknown], "")
    uploaded, deleted, unchanged = counts(deploy(site, target, "--endpoint-url", s3_endpoint))
    assert (uploaded, deleted, unchanged) == (2, 0, len(files) - 2)
    objects = s3_objects(s3_endpoint, bucket, "")
    assert objects[stale]["body"] == files[stale]
    assert objects[unknown]["body"] == files[unknown]
    assert counts(deploy(site, target, "--endpoint-url", s3_endpoint)) == (0, 0, len(files))


def hashlib_sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_missing_boto3_says_what_to_install(site: Path, tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['boto3'] = None; from sitegen.commands.cli import main; "
        f"sys.exit(main(['deploy', {str(site)!r}, 's3://bucket/site']))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 1
    assert "pip install 'sitegen[deploy]'" in result.stderr


# ---------------------------------------------------------------- the command line


def test_wrong_targets_and_options_exit_2(site: Path) -> None:
    for args in (["somewhere"], ["ftp://host/x"], ["git+file:///r.git#bad..name"]):
        result = run_sitegen("deploy", site, *args)
        assert result.returncode == 2, args
        assert "TARGET" in result.stderr
    result = run_sitegen("deploy", site, "./www", "--endpoint-url", "http://127.0.0.1:9")
    assert result.returncode == 2
    assert "s3:// targets only" in result.stderr
    assert "rsync+file://" in run_sitegen("deploy", "--help").stdout


# ---------------------------------------------------------------- planning, headers, targets


def test_plan_compares_fingerprints_and_sends_pages_last() -> None:
    local = {"a/index.html": "1", "css/site.css": "2", "img/new.webp": "3", "same.txt": "4"}
    remote = {"a/index.html": "0", "css/site.css": "2", "old/index.html": "5", "same.txt": "4"}
    result = plan(local, remote)
    assert result == Plan(
        added=("img/new.webp",),
        changed=("a/index.html",),
        deleted=("old/index.html",),
        unchanged=2,
    )
    assert result.uploads == ("img/new.webp", "a/index.html")
    assert not plan(local, local).changes_anything


def test_pages_of_both_suffixes_go_last_in_path_order() -> None:
    local = {"b.htm": "1", "a.html": "1", "z.css": "1", "m/n.HTML": "1", "c.js": "1"}
    assert plan(local, {}).uploads == ("c.js", "m/n.HTML", "z.css", "a.html", "b.htm")


def test_what_a_deploy_says_when_it_stops() -> None:
    """Before the target changed (a refusal) or after (a failure, PartlyDeployed): one
    problem each, with no place, the message and the hint as given (issue 22)."""
    refused = refusal("cannot deploy to x", hint="try y")
    assert [(p.path, p.line, p.message, p.hint) for p in refused.problems] == [
        (None, None, "cannot deploy to x", "try y")
    ]
    failed = failure("S3 deploy to x failed")
    assert isinstance(failed, PartlyDeployed)
    assert [(p.path, p.line, p.message, p.hint) for p in failed.problems] == [
        (None, None, "S3 deploy to x failed", None)
    ]
    errors = "\n".join(f"line {n}" for n in range(1, 8)) + "\n\n  \n"
    assert last_lines(errors) == "line 3 / line 4 / line 5 / line 6 / line 7"
    assert last_lines(errors, 2) == "line 6 / line 7"
    assert last_lines(" \n") == "no message"


def test_a_manifest_in_utf_8_whatever_the_locale(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).write_bytes(
        json.dumps({"files": {"fr/été/index.html": "1"}}, ensure_ascii=False).encode("utf-8")
    )
    assert published_files(tmp_path) == {"fr/été/index.html": "1"}


def test_published_files_leave_out_what_sitegen_keeps_for_itself(tmp_path: Path) -> None:
    files = {
        "index.html": "1",
        MANIFEST: "2",
        ".sitegen-staging-output-1-x/index.html": "3",
        "fr/.index.html.sitegen-tmp": "4",
        "../outside": "5",
    }
    (tmp_path / MANIFEST).write_text(json.dumps({"files": files}))
    assert published_files(tmp_path) == {"index.html": "1"}


def test_cache_control_and_content_types() -> None:
    assert cache_control("_assets/css/site.3f2a9c1b7d.css") == IMMUTABLE_CACHE_CONTROL
    assert cache_control("/_assets/img/photo.0123456789.640w.webp") == IMMUTABLE_CACHE_CONTROL
    for path in ("fr/index.html", "page.3f2a9c1b.html", "sitemap.xml", "_redirects"):
        assert cache_control(path) == PAGE_CACHE_CONTROL, path
    for path in ("css/site.3f2a9c1b7d.css", "img/deadbeef.svg", "fr/_assets/x.css"):
        assert cache_control(path) == ASSET_CACHE_CONTROL, path
    assert content_type("fr/index.html") == "text/html; charset=utf-8"
    assert content_type("js/app.js") == "text/javascript; charset=utf-8"
    assert content_type("img/a.svg") == "image/svg+xml; charset=utf-8"
    assert content_type("img/a.webp") == "image/webp"
    assert content_type("_redirects") == "text/plain; charset=utf-8"
    assert content_type("sitemap.xml") == "application/xml; charset=utf-8"
    assert content_type("fonts/a.woff2") == "font/woff2"
    assert content_type("blob") == "application/octet-stream"


def test_target_syntax() -> None:
    assert parse_target("file:///srv/www") == FolderTarget(Path("/srv/www"), "file:///srv/www")
    assert parse_target("/srv/www").path == Path("/srv/www")
    assert parse_target("rsync+file:///srv/www") == RsyncTarget(
        "/srv/www/", "rsync+file:///srv/www", local=Path("/srv/www")
    )
    assert parse_target("deploy@web1:/srv/www").destination == "deploy@web1:/srv/www"
    ssh = parse_target("ssh://deploy@web1:2222/srv/www")
    assert ssh == RsyncTarget("deploy@web1:/srv/www/", "ssh://deploy@web1:2222/srv/www", 2222)
    assert parse_target("ssh://web1/~/www").destination == "web1:~/www/"
    assert parse_target("rsync://web1/sites/www").destination == "rsync://web1/sites/www/"
    assert parse_target("git+file:///srv/site.git") == GitTarget(
        "file:///srv/site.git", "gh-pages", "git+file:///srv/site.git"
    )
    token = parse_target("git+https://me:s3cret@example.org/site.git#main")
    assert token == GitTarget(
        "https://me:s3cret@example.org/site.git",
        "main",
        "git+https://me:***@example.org/site.git#main",
    )
    assert parse_target("s3://bucket/a/b/") == S3Target("bucket", "a/b", "s3://bucket/a/b/")
    assert parse_target("s3://bucket").prefix == ""
    for wrong in ("www", "file://host/x", "file:///", "s3://", "git+file:///r.git#-x", "ssh://h"):
        with pytest.raises(ValueError):
            parse_target(wrong)


def test_rsync_itemized_changes() -> None:
    itemized = (
        "cd+++++++++ fr/new/\n"
        ">f+++++++++ fr/new/index.html\n"
        ">fcs....... fr/index.html\n"
        "<fc........ en/index.html\n"
        ".f...p..... css/site.css\n"
        "*deleting   fr/old/index.html\n"
        "*deleting   fr/old/\n"
    )
    assert _itemized_plan(itemized, 5) == Plan(
        ("fr/new/index.html",), ("en/index.html", "fr/index.html"), ("fr/old/index.html",), 2
    )
