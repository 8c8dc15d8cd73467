"""Publishing to the objects of an S3 bucket (or of an S3-compatible service), through
boto3: only the files whose content differs are uploaded.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sitegen.base.mediatypes import content_type
from sitegen.base.messages import _
from sitegen.commands.deploy_plan import LocalSite, Plan, failure, plan, refusal
from sitegen.commands.deploy_targets import S3Target
from sitegen.rendering.sitewidefiles import cache_control

_S3_BATCH = 1000


def publish_s3(target: S3Target, site: LocalSite, dry_run: bool, endpoint: str | None) -> Plan:
    """Upload the files whose MD5 differs from the object's ETag, pages last, then
    delete the keys of files that went. Each object carries its Content-Type, its
    Cache-Control and its SHA-256 (x-amz-meta-sha256), which is what is compared
    when the ETag is not an MD5 (an object uploaded in parts by another tool)."""
    try:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        raise refusal(
            _("cannot deploy to %(target)s: S3 needs boto3, which is not installed")
            % {"target": target.shown},
            hint="pip install 'sitegen[deploy]'",
        ) from None
    md5 = {path: _md5(site.folder / path) for path in site.files}
    try:
        client = boto3.client("s3", endpoint_url=endpoint)
        changes = plan(md5, _s3_state(client, target, site, md5))
    except (BotoCoreError, ClientError, ValueError) as error:
        message = _("cannot deploy to %(target)s: %(error)s")
        raise refusal(message % {"target": target.shown, "error": error}) from None
    if dry_run:
        return changes
    try:
        _s3_apply(client, target, site, md5, changes)
    except (BotoCoreError, ClientError) as error:
        message = _("S3 deploy to %(target)s failed: %(error)s")
        raise failure(message % {"target": target.shown, "error": error}) from None
    return changes


def _md5(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, lambda: hashlib.md5(usedforsecurity=False)).hexdigest()


def _key(target: S3Target, path: str) -> str:
    return f"{target.prefix}/{path}" if target.prefix else path


def _s3_state(
    client: Any, target: S3Target, site: LocalSite, md5: Mapping[str, str]
) -> dict[str, str]:
    """Every object below the prefix, by path, as the MD5 of its content where known."""
    prefix = f"{target.prefix}/" if target.prefix else ""
    state = {}
    for page in client.get_paginator("list_objects_v2").paginate(
        Bucket=target.bucket, Prefix=prefix
    ):
        for item in page.get("Contents", []):
            path = item["Key"][len(prefix) :]
            if not path or path.endswith("/"):
                continue  # a "folder" placeholder of some consoles: not a file of a site
            etag = item["ETag"].strip('"')
            if "-" in etag and path in site.files:
                head = client.head_object(Bucket=target.bucket, Key=item["Key"])
                same = head.get("Metadata", {}).get("sha256") == site.files[path]
                etag = md5[path] if same else f"parts {etag}"
            state[path] = etag
    return state


def _s3_apply(
    client: Any, target: S3Target, site: LocalSite, md5: Mapping[str, str], changes: Plan
) -> None:
    for path in changes.uploads:
        client.put_object(
            Bucket=target.bucket,
            Key=_key(target, path),
            Body=(site.folder / path).read_bytes(),
            ContentType=content_type(path),
            CacheControl=cache_control(path),
            ContentMD5=base64.b64encode(bytes.fromhex(md5[path])).decode("ascii"),
            Metadata={"sha256": site.files[path]},
        )
    for batch in _batches(changes.deleted, _S3_BATCH):
        answer = client.delete_objects(
            Bucket=target.bucket,
            Delete={"Objects": [{"Key": _key(target, path)} for path in batch], "Quiet": True},
        )
        errors = answer.get("Errors", [])
        if errors:
            first = errors[0]
            raise failure(
                _("S3 deploy to %(target)s: %(count)s keys not deleted, such as %(key)s: %(error)s")
                % {
                    "target": target.shown,
                    "count": len(errors),
                    "key": first.get("Key"),
                    "error": first.get("Message"),
                }
            )


def _batches(paths: Sequence[str], size: int) -> list[Sequence[str]]:
    return [paths[start : start + size] for start in range(0, len(paths), size)]
