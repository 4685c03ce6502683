"""AWS that takes 100 ms per call: every request a session's clients send is
answered, after a blocking sleep, with a canned answer. HeadBucket and
ListObjectsV2 succeed; AssumeRole succeeds only with the external id the
customer's role is bound to, and is denied without it (the binding check's two
attempts), as a correctly set-up role answers. The probe adapter itself is the
real one; only the wire is faked, so its threads, client construction and
response parsing are all measured."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import boto3
from botocore.awsrequest import AWSResponse

_ASSUMED = """<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<AssumeRoleResult><Credentials>
<AccessKeyId>ASIABENCHMARKKEY0001</AccessKeyId>
<SecretAccessKey>benchmark/secret/access/key/0000000000000</SecretAccessKey>
<SessionToken>benchmark-session-token</SessionToken>
<Expiration>{expiration}</Expiration>
</Credentials>
<AssumedRoleUser><AssumedRoleId>AROABENCH:bench</AssumedRoleId>
<Arn>arn:aws:sts::111122223333:assumed-role/bucketlink-access/bench</Arn></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata>
</AssumeRoleResponse>"""

_LISTED = """<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
<Name>bench</Name><Prefix></Prefix><KeyCount>0</KeyCount><MaxKeys>1</MaxKeys>
<IsTruncated>false</IsTruncated></ListBucketResult>"""


class _Body:
    def __init__(self, content: bytes) -> None:
        self._content = content

    def stream(self, **_: Any) -> Any:
        yield self._content


_DENIED = """<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<Error><Type>Sender</Type><Code>AccessDenied</Code><Message>bench</Message></Error>
<RequestId>bench</RequestId></ErrorResponse>"""


def _answer(event_name: str, request: Any, trusted_external_id: str, **_: Any) -> AWSResponse:
    operation = event_name.rsplit(".", 1)[-1]
    if operation == "AssumeRole" and _external_id(request) != trusted_external_id:
        return AWSResponse(request.url, 403, {}, _Body(_DENIED.encode()))
    if operation == "AssumeRole":
        expiration = (datetime.now(UTC) + timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = _ASSUMED.format(expiration=expiration)
    elif operation == "ListObjectsV2":
        body = _LISTED
    else:  # HeadBucket and anything else: 200 with no body
        body = ""
    return AWSResponse(request.url, 200, {}, _Body(body.encode()))


def _external_id(request: Any) -> str | None:
    body = request.body.decode() if isinstance(request.body, bytes) else str(request.body or "")
    return parse_qs(body).get("ExternalId", [None])[0]


def slow_down(session: boto3.Session, trusted_external_id: str, seconds: float = 0.1) -> None:
    """Answer every call of clients built from ``session`` after ``seconds``,
    as a customer whose role is bound to ``trusted_external_id``."""

    def delayed(**kwargs: Any) -> AWSResponse:
        time.sleep(seconds)  # blocking on purpose: boto3 blocks its thread like this
        return _answer(trusted_external_id=trusted_external_id, **kwargs)

    session.events.register("before-send", delayed)
