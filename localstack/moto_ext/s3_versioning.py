"""S3 GetBucketVersioning with the root element AWS sends.

moto 5.2.5 serializes GetBucketVersioning from its output shape and names the root
element after the operation (``<GetBucketVersioningResponse>``). S3 answers
``<VersioningConfiguration>``; the AWS CLI does not look at the root's name, but the
AWS SDK for Rust does and refuses the answer. This module answers as S3 does, from the
same stored state (``Status``, absent until versioning was first set; moto keeps no
MFA delete state). Call ``install()`` before the server starts.
"""

from __future__ import annotations

from typing import Any

from moto.s3.responses import S3Response

XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/"


def get_bucket_versioning(self: S3Response) -> Any:
    status = self.backend.get_bucket_versioning(self.bucket_name)
    inner = f"<Status>{status}</Status>" if status else ""
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<VersioningConfiguration xmlns="{XMLNS}">{inner}</VersioningConfiguration>'
    return 200, {"Content-Type": "application/xml"}, body


def install() -> list[str]:
    S3Response.get_bucket_versioning = get_bucket_versioning  # type: ignore[method-assign]
    return ["S3 GetBucketVersioning as <VersioningConfiguration>"]
