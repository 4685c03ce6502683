"""The permissions an S3 request needs, as AWS's authorization decides: a table of
operations citing the AWS page that defines each mapping, addressing, copy
sources and DeleteObjects bodies, the condition keys, what fails closed, what
boto3 really sends, and properties over arbitrary input."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.aws_models.policy_evaluation import Decision, identity_decision
from adapters.aws_models.s3_requests import (
    MAX_DELETE_KEYS,
    UNRECOGNISED_ACTION,
    UNRECOGNISED_OPERATION,
    S3Access,
    S3Request,
    s3_request,
    s3_target,
)

ENDPOINT = "127.0.0.1:4566"
PERMISSIONS = (
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html"
)
ACTIONS_PAGE = (
    "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html"
)
CONDITIONAL_WRITES = (
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes-enforce.html"
)


def api(operation: str) -> str:
    """The operation's page in the S3 API Reference (its "Permissions" section)."""
    return f"https://docs.aws.amazon.com/AmazonS3/latest/API/API_{operation}.html"


def send(
    method: str,
    target: str,
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
    host: str = ENDPOINT,
) -> S3Request:
    """``target`` is the raw path and query, as they arrive: ``/b/k?acl``."""
    path, _, raw_query = target.partition("?")
    bucket, key = s3_target(host, path, ENDPOINT)
    query = parse_qs(raw_query, keep_blank_values=True)
    return s3_request(method, bucket, key, query, headers or {}, body)


def arn(resource: str) -> str:
    return resource if resource == "*" else f"arn:aws:s3:::{resource}"


def pairs(request: S3Request) -> list[tuple[str, str]]:
    return [(access.action, access.resource) for access in request.accesses]


def refused(request: S3Request) -> bool:
    return request == S3Request(
        UNRECOGNISED_OPERATION, (S3Access(UNRECOGNISED_ACTION, "*", None, None),), {}
    )


def delete_body(*objects: tuple[str, str | None], namespace: bool = True) -> bytes:
    xmlns = ' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"' if namespace else ""
    entries = "".join(
        f"<Object><Key>{key}</Key>" + (f"<VersionId>{v}</VersionId>" if v else "") + "</Object>"
        for key, v in objects
    )
    return f"<Delete{xmlns}>{entries}<Quiet>true</Quiet></Delete>".encode()


@dataclass(frozen=True)
class Case:
    method: str
    target: str
    operation: str
    # (action, resource): "b" stands for the bucket's ARN, "b/k" the object's.
    accesses: tuple[tuple[str, str], ...]
    doc: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


def case(
    request: str,
    operation: str,
    *accesses: str,
    doc: str | None = None,
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
) -> Any:
    """``case("GET /b/k", "GetObject", "s3:GetObject b/k")``; the page that says so
    is the operation's API Reference page unless ``doc`` names another."""
    method, target = request.split(" ", 1)
    needed = tuple((access.partition(" ")[0], access.partition(" ")[2]) for access in accesses)
    return pytest.param(
        Case(method, target, operation, needed, doc or api(operation), headers or {}, body),
        id=f"{request} {' '.join(sorted(headers or {}))}".strip(),
    )


LOCK_HEADERS = {
    "x-amz-object-lock-mode": "GOVERNANCE",
    "x-amz-object-lock-retain-until-date": "2030-01-01T00:00:00Z",
}

CASES = [
    # --- the service and buckets ---
    case("GET /", "ListBuckets", "s3:ListAllMyBuckets *"),
    case("PUT /b", "CreateBucket", "s3:CreateBucket b"),
    case(
        "PUT /b",
        "CreateBucket",
        "s3:CreateBucket b",
        "s3:PutBucketOwnershipControls b",
        headers={"x-amz-object-ownership": "ObjectWriter"},
    ),
    case(
        "PUT /b",
        "CreateBucket",
        "s3:CreateBucket b",
        "s3:PutBucketAcl b",
        headers={"x-amz-acl": "public-read"},
    ),
    # "if you set the ACL to private ... only the s3:CreateBucket permission is required"
    case("PUT /b", "CreateBucket", "s3:CreateBucket b", headers={"x-amz-acl": "private"}),
    case(
        "PUT /b",
        "CreateBucket",
        "s3:CreateBucket b",
        "s3:PutBucketAcl b",
        headers={"x-amz-grant-read": 'uri="http://acs.amazonaws.com/groups/global/AllUsers"'},
    ),
    case(
        "PUT /b",
        "CreateBucket",
        "s3:CreateBucket b",
        "s3:PutBucketObjectLockConfiguration b",
        "s3:PutBucketVersioning b",
        headers={"x-amz-bucket-object-lock-enabled": "True"},
    ),
    case("DELETE /b", "DeleteBucket", "s3:DeleteBucket b", doc=PERMISSIONS),
    case("HEAD /b", "HeadBucket", "s3:ListBucket b"),
    case("GET /b", "ListObjects", "s3:ListBucket b", doc=PERMISSIONS),
    case("GET /b/", "ListObjects", "s3:ListBucket b", doc=PERMISSIONS),
    case(
        "GET /b?list-type=2&prefix=a%2F&delimiter=%2F&max-keys=5&encoding-type=url",
        "ListObjectsV2",
        "s3:ListBucket b",
    ),
    case("GET /b?versions&encoding-type=url", "ListObjectVersions", "s3:ListBucketVersions b"),
    case(
        "GET /b?uploads", "ListMultipartUploads", "s3:ListBucketMultipartUploads b", doc=PERMISSIONS
    ),
    case("GET /b?location", "GetBucketLocation", "s3:GetBucketLocation b", doc=PERMISSIONS),
    case("GET /b?policy", "GetBucketPolicy", "s3:GetBucketPolicy b"),
    case("PUT /b?policy", "PutBucketPolicy", "s3:PutBucketPolicy b"),
    case("DELETE /b?policy", "DeleteBucketPolicy", "s3:DeleteBucketPolicy b"),
    case("GET /b?policyStatus", "GetBucketPolicyStatus", "s3:GetBucketPolicyStatus b"),
    case(
        "GET /b?ownershipControls", "GetBucketOwnershipControls", "s3:GetBucketOwnershipControls b"
    ),
    case(
        "PUT /b?ownershipControls", "PutBucketOwnershipControls", "s3:PutBucketOwnershipControls b"
    ),
    case(
        "DELETE /b?ownershipControls",
        "DeleteBucketOwnershipControls",
        "s3:PutBucketOwnershipControls b",
    ),
    case("GET /b?publicAccessBlock", "GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock b"),
    case("PUT /b?publicAccessBlock", "PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock b"),
    case(
        "DELETE /b?publicAccessBlock", "DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock b"
    ),
    case("GET /b?encryption", "GetBucketEncryption", "s3:GetEncryptionConfiguration b"),
    case("PUT /b?encryption", "PutBucketEncryption", "s3:PutEncryptionConfiguration b"),
    case("DELETE /b?encryption", "DeleteBucketEncryption", "s3:PutEncryptionConfiguration b"),
    case("GET /b?tagging", "GetBucketTagging", "s3:GetBucketTagging b"),
    case("PUT /b?tagging", "PutBucketTagging", "s3:PutBucketTagging b"),
    case("DELETE /b?tagging", "DeleteBucketTagging", "s3:PutBucketTagging b"),
    case("GET /b?versioning", "GetBucketVersioning", "s3:GetBucketVersioning b", doc=PERMISSIONS),
    case("PUT /b?versioning", "PutBucketVersioning", "s3:PutBucketVersioning b", doc=PERMISSIONS),
    case("GET /b?acl", "GetBucketAcl", "s3:GetBucketAcl b", doc=PERMISSIONS),
    case("PUT /b?acl", "PutBucketAcl", "s3:PutBucketAcl b", doc=PERMISSIONS),
    case("GET /b?cors", "GetBucketCors", "s3:GetBucketCORS b"),
    case("PUT /b?cors", "PutBucketCors", "s3:PutBucketCORS b"),
    case("DELETE /b?cors", "DeleteBucketCors", "s3:PutBucketCORS b"),
    case("GET /b?lifecycle", "GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration b"),
    case("PUT /b?lifecycle", "PutBucketLifecycleConfiguration", "s3:PutLifecycleConfiguration b"),
    case("DELETE /b?lifecycle", "DeleteBucketLifecycle", "s3:PutLifecycleConfiguration b"),
    case("GET /b?website", "GetBucketWebsite", "s3:GetBucketWebsite b", doc=PERMISSIONS),
    case("PUT /b?website", "PutBucketWebsite", "s3:PutBucketWebsite b", doc=PERMISSIONS),
    case("DELETE /b?website", "DeleteBucketWebsite", "s3:DeleteBucketWebsite b", doc=ACTIONS_PAGE),
    case("GET /b?logging", "GetBucketLogging", "s3:GetBucketLogging b", doc=PERMISSIONS),
    case("PUT /b?logging", "PutBucketLogging", "s3:PutBucketLogging b", doc=PERMISSIONS),
    case("GET /b?notification", "GetBucketNotificationConfiguration", "s3:GetBucketNotification b"),
    case("PUT /b?notification", "PutBucketNotificationConfiguration", "s3:PutBucketNotification b"),
    case("GET /b?replication", "GetBucketReplication", "s3:GetReplicationConfiguration b"),
    case("PUT /b?replication", "PutBucketReplication", "s3:PutReplicationConfiguration b"),
    case("DELETE /b?replication", "DeleteBucketReplication", "s3:PutReplicationConfiguration b"),
    case(
        "GET /b?object-lock",
        "GetObjectLockConfiguration",
        "s3:GetBucketObjectLockConfiguration b",
        doc=PERMISSIONS,
    ),
    case(
        "PUT /b?object-lock",
        "PutObjectLockConfiguration",
        "s3:PutBucketObjectLockConfiguration b",
        doc=PERMISSIONS,
    ),
    case(
        "GET /b?accelerate", "GetBucketAccelerateConfiguration", "s3:GetAccelerateConfiguration b"
    ),
    case(
        "PUT /b?inventory&id=i", "PutBucketInventoryConfiguration", "s3:PutInventoryConfiguration b"
    ),
    # --- objects ---
    case("GET /b/k", "GetObject", "s3:GetObject b/k"),
    # "The s3:GetObject permission is not required in this scenario."
    case("GET /b/k?versionId=v1", "GetObject", "s3:GetObjectVersion b/k"),
    case("GET /b/k?partNumber=2", "GetObject", "s3:GetObject b/k"),
    case("GET /b/k?response-content-type=text%2Fplain", "GetObject", "s3:GetObject b/k"),
    case("HEAD /b/k", "HeadObject", "s3:GetObject b/k"),
    case("HEAD /b/k?versionId=v1", "HeadObject", "s3:GetObjectVersion b/k"),
    case("PUT /b/k", "PutObject", "s3:PutObject b/k"),
    case(
        "PUT /b/k",
        "PutObject",
        "s3:PutObject b/k",
        "s3:PutObjectTagging b/k",
        headers={"x-amz-tagging": "a=1&b=2"},
    ),
    case(
        "PUT /b/k",
        "PutObject",
        "s3:PutObject b/k",
        "s3:PutObjectAcl b/k",
        headers={"X-Amz-Acl": "public-read"},
    ),
    case(
        "PUT /b/k",
        "PutObject",
        "s3:PutObject b/k",
        "s3:PutObjectAcl b/k",
        headers={"x-amz-grant-full-control": "id=abc"},
    ),
    case(
        "PUT /b/k",
        "PutObject",
        "s3:PutObject b/k",
        "s3:PutObjectRetention b/k",
        headers=LOCK_HEADERS,
        doc=api("PutObjectRetention"),
    ),
    case(
        "PUT /b/k",
        "PutObject",
        "s3:PutObject b/k",
        "s3:PutObjectLegalHold b/k",
        headers={"x-amz-object-lock-legal-hold": "ON"},
        doc=api("PutObjectLegalHold"),
    ),
    case(
        "PUT /b/k",
        "CopyObject",
        "s3:PutObject b/k",
        "s3:GetObject src/s",
        headers={"x-amz-copy-source": "src/s"},
    ),
    case(
        "PUT /b/k",
        "CopyObject",
        "s3:PutObject b/k",
        "s3:GetObjectVersion src/s",
        headers={"x-amz-copy-source": "/src/s?versionId=v1"},
        doc=api("GetObject"),
    ),
    case(
        "PUT /b/k",
        "CopyObject",
        "s3:PutObject b/k",
        "s3:PutObjectTagging b/k",
        "s3:GetObject src/s",
        headers={"x-amz-copy-source": "src/s", "x-amz-tagging": "a=1"},
    ),
    case("DELETE /b/k", "DeleteObject", "s3:DeleteObject b/k"),
    # "you must always have the s3:DeleteObject permission"
    case(
        "DELETE /b/k?versionId=v1",
        "DeleteObject",
        "s3:DeleteObject b/k",
        "s3:DeleteObjectVersion b/k",
    ),
    case(
        "DELETE /b/k?versionId=v1",
        "DeleteObject",
        "s3:DeleteObject b/k",
        "s3:DeleteObjectVersion b/k",
        "s3:BypassGovernanceRetention b/k",
        headers={"x-amz-bypass-governance-retention": "true"},
        doc=ACTIONS_PAGE,
    ),
    case(
        "POST /b?delete",
        "DeleteObjects",
        "s3:DeleteObject b/a",
        "s3:DeleteObject b/c",
        "s3:DeleteObjectVersion b/c",
        body=delete_body(("a", None), ("c", "v3")),
    ),
    case("GET /b/k?tagging", "GetObjectTagging", "s3:GetObjectTagging b/k"),
    # "You also need permission for the s3:GetObjectVersionTagging action."
    case(
        "GET /b/k?tagging&versionId=v1",
        "GetObjectTagging",
        "s3:GetObjectTagging b/k",
        "s3:GetObjectVersionTagging b/k",
    ),
    case("PUT /b/k?tagging", "PutObjectTagging", "s3:PutObjectTagging b/k"),
    case(
        "PUT /b/k?tagging&versionId=v1",
        "PutObjectTagging",
        "s3:PutObjectTagging b/k",
        "s3:PutObjectVersionTagging b/k",
    ),
    case("DELETE /b/k?tagging", "DeleteObjectTagging", "s3:DeleteObjectTagging b/k"),
    case(
        "DELETE /b/k?tagging&versionId=v1",
        "DeleteObjectTagging",
        "s3:DeleteObjectTagging b/k",
        "s3:DeleteObjectVersionTagging b/k",
    ),
    case("GET /b/k?acl", "GetObjectAcl", "s3:GetObjectAcl b/k"),
    case(
        "GET /b/k?acl&versionId=v1",
        "GetObjectAcl",
        "s3:GetObjectAcl b/k",
        "s3:GetObjectVersionAcl b/k",
        doc=ACTIONS_PAGE,
    ),
    case("PUT /b/k?acl", "PutObjectAcl", "s3:PutObjectAcl b/k", doc=PERMISSIONS),
    case(
        "PUT /b/k?acl&versionId=v1",
        "PutObjectAcl",
        "s3:PutObjectAcl b/k",
        "s3:PutObjectVersionAcl b/k",
        doc=ACTIONS_PAGE,
    ),
    case("PUT /b/k?retention", "PutObjectRetention", "s3:PutObjectRetention b/k"),
    case(
        "PUT /b/k?retention&versionId=v1",
        "PutObjectRetention",
        "s3:PutObjectRetention b/k",
        "s3:BypassGovernanceRetention b/k",
        headers={"x-amz-bypass-governance-retention": "true"},
    ),
    case("GET /b/k?legal-hold", "GetObjectLegalHold", "s3:GetObjectLegalHold b/k", doc=PERMISSIONS),
    case("PUT /b/k?legal-hold", "PutObjectLegalHold", "s3:PutObjectLegalHold b/k", doc=PERMISSIONS),
    # "you need the s3:GetObject and s3:GetObjectAttributes permissions"
    case(
        "GET /b/k?attributes",
        "GetObjectAttributes",
        "s3:GetObject b/k",
        "s3:GetObjectAttributes b/k",
    ),
    case(
        "GET /b/k?attributes&versionId=v1",
        "GetObjectAttributes",
        "s3:GetObjectVersion b/k",
        "s3:GetObjectVersionAttributes b/k",
    ),
    case("POST /b/k?restore", "RestoreObject", "s3:RestoreObject b/k"),
    case("POST /b/k?select&select-type=2", "SelectObjectContent", "s3:GetObject b/k"),
    # --- multipart uploads ---
    case("POST /b/k?uploads", "CreateMultipartUpload", "s3:PutObject b/k", doc=PERMISSIONS),
    case(
        "POST /b/k?uploads",
        "CreateMultipartUpload",
        "s3:PutObject b/k",
        "s3:PutObjectTagging b/k",
        headers={"x-amz-tagging": "a=1"},
        doc=PERMISSIONS,
    ),
    case("PUT /b/k?partNumber=1&uploadId=u", "UploadPart", "s3:PutObject b/k"),
    case(
        "PUT /b/k?partNumber=1&uploadId=u",
        "UploadPartCopy",
        "s3:PutObject b/k",
        "s3:GetObject src/s",
        headers={"x-amz-copy-source": "src/s"},
    ),
    case("POST /b/k?uploadId=u", "CompleteMultipartUpload", "s3:PutObject b/k", doc=PERMISSIONS),
    case(
        "DELETE /b/k?uploadId=u",
        "AbortMultipartUpload",
        "s3:AbortMultipartUpload b/k",
        doc=PERMISSIONS,
    ),
    case(
        "GET /b/k?uploadId=u&max-parts=10",
        "ListParts",
        "s3:ListMultipartUploadParts b/k",
        doc=PERMISSIONS,
    ),
]


@pytest.mark.parametrize("given_case", CASES)
def test_each_operation_needs_what_its_aws_page_says(given_case: Case) -> None:
    request = send(given_case.method, given_case.target, given_case.headers, given_case.body)
    assert request.operation == given_case.operation, given_case.doc
    assert pairs(request) == [(action, arn(res)) for action, res in given_case.accesses]


# --- addressing --------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "path", "target"),
    [
        ("127.0.0.1:4566", "/b/dir/k", ("b", "dir/k")),
        ("127.0.0.1:4566", "/b", ("b", None)),
        ("127.0.0.1:4566", "/b/", ("b", None)),
        ("127.0.0.1:4566", "/", (None, None)),
        ("127.0.0.1:4566", "", (None, None)),
        ("localhost:4566", "/b/k", ("b", "k")),
        ("[::1]:4566", "/b/k", ("b", "k")),
        ("b.127.0.0.1:4566", "/dir/k", ("b", "dir/k")),
        ("b.127.0.0.1:4566", "/", ("b", None)),
        ("B.LocalHost:4566", "/k", ("b", "k")),
        ("my.dotted.bucket.s3.amazonaws.com", "/k", ("my.dotted.bucket", "k")),
        ("b.localhost", "//k", ("b", "/k")),
        ("b.s3.amazonaws.com", "/k", ("b", "k")),
        ("b.s3.eu-west-1.amazonaws.com", "/k", ("b", "k")),
        ("b.s3-eu-west-1.amazonaws.com", "/k", ("b", "k")),
        ("b.s3.dualstack.eu-west-1.amazonaws.com:443", "/k", ("b", "k")),
        ("s3.eu-west-1.amazonaws.com", "/b/k", ("b", "k")),
        # Hosts the emulator also reads as path-style: an address, a name with no dot.
        ("10.0.0.5:4566", "/b/k", ("b", "k")),
        ("bucketlink:4566", "/b/k", ("b", "k")),
        ("", "/b/k", ("b", "k")),
    ],
)
def test_path_style_and_virtual_hosted_addresses(
    host: str, path: str, target: tuple[str | None, str | None]
) -> None:
    assert s3_target(host, path, ENDPOINT) == target


@pytest.mark.parametrize(
    ("host", "path"),
    [
        # An access point names no bucket; S3's address for it is not served here.
        ("ap-111122223333.s3-accesspoint.eu-west-1.amazonaws.com", "/k"),
        ("ap-111122223333.s3-accesspoint.eu-west-1.amazonaws.com", "/"),
        # The emulator would read the first label of these as the bucket.
        ("other.example:4566", "/b/k"),
        ("my.dotted.bucket.localhost:4566", "/k"),
        ("127.0.0.1:4566", "//k"),
        ("127.0.0.1:4566", "/b/k?acl"),
        ("127.0.0.1:4566", "/b/k#x"),
    ],
)
def test_an_address_s3_would_not_serve_is_refused(host: str, path: str) -> None:
    bucket, key = s3_target(host, path, ENDPOINT)
    assert bucket is None and key
    assert refused(s3_request("GET", bucket, key, {}, {}))


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("a%20b", "a b"),
        ("a+b", "a+b"),  # a plus in a path is a plus, not a space
        ("a%2Bb", "a+b"),
        ("dir%2Fk", "dir/k"),
        ("%C3%BC%E2%82%AC", "ü€"),
        ("%25", "%"),
        ("a%3Fb%23c", "a?b#c"),
        ("..%2F..%2Fetc", "../../etc"),  # S3 keys keep dot segments as they are
    ],
)
def test_keys_are_percent_decoded(raw: str, key: str) -> None:
    for host, path in ((ENDPOINT, f"/b/{raw}"), ("b.localhost:4566", f"/{raw}")):
        request = send("GET", path, host=host)
        assert s3_target(host, path, ENDPOINT) == ("b", key)
        assert pairs(request) == [("s3:GetObject", f"arn:aws:s3:::b/{key}")]


def test_a_key_that_is_not_utf8_is_refused() -> None:
    assert refused(send("GET", "/b/%FF"))


@pytest.mark.parametrize("bucket", ["a%2Fb", "a:b", "a*", "", "a" * 256])
def test_a_bucket_name_that_could_bend_an_arn_is_refused(bucket: str) -> None:
    assert refused(s3_request("GET", bucket, "k", {}, {}))
    assert refused(s3_request("GET", bucket, None, {}, {}))


def test_a_key_longer_than_s3_allows_is_refused() -> None:
    assert refused(send("GET", "/b/" + "k" * 1025))
    assert send("GET", "/b/" + "k" * 1024).recognised


# --- copy sources ------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "action", "resource"),
    [
        ("src/dir/s", "s3:GetObject", "src/dir/s"),
        ("/src/dir/s", "s3:GetObject", "src/dir/s"),
        ("src/a%20b/%C3%BC%2B%3F", "s3:GetObject", "src/a b/ü+?"),
        ("src/s?versionId=v1", "s3:GetObjectVersion", "src/s"),
        ("/src/s?versionId=v+1/x", "s3:GetObjectVersion", "src/s"),  # boto3 leaves it raw
    ],
)
def test_the_copy_source_is_read_from_its_header(source: str, action: str, resource: str) -> None:
    request = send("PUT", "/b/k", {"x-amz-copy-source": source})
    assert request.operation == "CopyObject"
    assert pairs(request) == [("s3:PutObject", "arn:aws:s3:::b/k"), (action, arn(resource))]
    assert request.context["s3:x-amz-copy-source"] == resource


def test_each_side_of_a_copy_has_its_own_expected_owner() -> None:
    request = send(
        "PUT",
        "/b/k",
        {
            "x-amz-copy-source": "src/s",
            "x-amz-expected-bucket-owner": "111122223333",
            "x-amz-source-expected-bucket-owner": "444455556666",
        },
    )
    assert request.accesses == (
        S3Access("s3:PutObject", "arn:aws:s3:::b/k", "b", "111122223333"),
        S3Access("s3:GetObject", "arn:aws:s3:::src/s", "src", "444455556666"),
    )


@pytest.mark.parametrize(
    "source",
    [
        "src",  # no key
        "src/",
        "/",
        "//src/s",  # an empty bucket, as urlparse would read a netloc
        "src%2Fx/s",  # a slash inside the bucket
        "arn:aws:s3:eu-west-1:111122223333:accesspoint/ap/object/s",
        "src/s#frag",  # the emulator's urlparse would drop the fragment...
        "src/s;params",  # ... and these parameters ...
        "src/s\tx",  # ... and this tab, and copy another object
        "src/a b",
        "src/s?versionId=",
        "src/s?versionId",
        "src/s?other=1",
        "src/s?versionId=v1&versionId=v2",
        "src/%FF",
    ],
)
def test_a_copy_source_that_could_name_another_object_fails_closed(source: str) -> None:
    assert refused(send("PUT", "/b/k", {"x-amz-copy-source": source}))
    assert refused(send("PUT", "/b/k?partNumber=1&uploadId=u", {"x-amz-copy-source": source}))


# --- DeleteObjects -----------------------------------------------------------


def test_delete_objects_needs_each_key_and_version() -> None:
    body = delete_body(
        ("a&amp;&lt;b", None), (" spaced ", None), ("c", "v3"), ("a&amp;&lt;b", None)
    )
    request = send("POST", "/b?delete", {"x-amz-expected-bucket-owner": "111122223333"}, body)
    assert request.accesses == tuple(
        S3Access(action, f"arn:aws:s3:::b/{key}", "b", "111122223333")
        for action, key in [
            ("s3:DeleteObject", "a&<b"),
            ("s3:DeleteObject", " spaced "),
            ("s3:DeleteObject", "c"),
            ("s3:DeleteObjectVersion", "c"),
        ]
    )


def test_delete_objects_reads_a_body_without_the_namespace() -> None:
    request = send("POST", "/b?delete", body=delete_body(("a", None), namespace=False))
    assert pairs(request) == [("s3:DeleteObject", "arn:aws:s3:::b/a")]


def test_delete_objects_bypassing_governance_needs_it_for_each_key() -> None:
    body = delete_body(("a", None), ("c", "v"))
    request = send("POST", "/b?delete", {"x-amz-bypass-governance-retention": "true"}, body)
    assert ("s3:BypassGovernanceRetention", "arn:aws:s3:::b/a") in pairs(request)
    assert ("s3:BypassGovernanceRetention", "arn:aws:s3:::b/c") in pairs(request)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not xml",
        b"<Delete><Object><Key>a</Key></Object>",  # unclosed
        b"<Remove><Object><Key>a</Key></Object></Remove>",
        b"<Delete><Quiet>true</Quiet></Delete>",  # no object: MalformedXML
        b"<Delete><Object><Key></Key></Object></Delete>",
        b"<Delete><Object><VersionId>v</VersionId></Object></Delete>",
        b"<Delete><Object><Key>a</Key><VersionId></VersionId></Object></Delete>",
        b"<Delete><Object><Key>a</Key><Key>b</Key></Object></Delete>",
        b"<Delete><Object><Key>a<b>c</b></Key></Object></Delete>",
        b"<Delete><Object><Key>a</Key><Unknown/></Object></Delete>",
        b"<Delete><Objects><Key>a</Key></Objects></Delete>",
        b'<!DOCTYPE d [<!ENTITY e "secret">]><Delete><Object><Key>&e;</Key></Object></Delete>',
        b"<Delete><Object><Key>\xff</Key></Object></Delete>",
        delete_body(*[(f"k{i}", None) for i in range(MAX_DELETE_KEYS + 1)]),
    ],
)
def test_a_malformed_delete_objects_body_fails_closed(body: bytes) -> None:
    assert refused(send("POST", "/b?delete", body=body))


def test_delete_objects_takes_up_to_a_thousand_keys() -> None:
    body = delete_body(*[(f"k{i}", None) for i in range(MAX_DELETE_KEYS)])
    assert len(send("POST", "/b?delete", body=body).accesses) == MAX_DELETE_KEYS


# --- condition keys ----------------------------------------------------------

SIGNED = {
    "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, "
    "SignedHeaders=host, Signature=abc",
    "X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD",
}


def test_listing_keys_are_the_ones_sent() -> None:
    request = send("GET", "/b?list-type=2&prefix=home%2Falice%2F&delimiter=%2F&max-keys=5", SIGNED)
    assert request.context == {
        "s3:authType": "REST-HEADER",
        "s3:signatureversion": "AWS4-HMAC-SHA256",
        "s3:x-amz-content-sha256": "UNSIGNED-PAYLOAD",
        "s3:prefix": "home/alice/",
        "s3:delimiter": "/",
        "s3:max-keys": "5",
    }
    assert "s3:prefix" not in send("GET", "/b").context
    assert send("GET", "/b?versions&prefix=").context["s3:prefix"] == ""
    # HeadBucket is authorised as s3:ListBucket, but S3 gives it no s3:prefix.
    assert "s3:prefix" not in send("HEAD", "/b?prefix=public%2F").context


def test_a_presigned_request_is_a_query_string_one() -> None:
    query = (
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fs3"
        "%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=3600"
        "&X-Amz-SignedHeaders=host&X-Amz-Security-Token=TOKEN&X-Amz-Signature=abc&x-id=GetObject"
    )
    request = send("GET", f"/b/k?versionId=v1&{query}")
    assert pairs(request) == [("s3:GetObjectVersion", "arn:aws:s3:::b/k")]
    assert request.context == {
        "s3:authType": "REST-QUERY-STRING",
        "s3:signatureversion": "AWS4-HMAC-SHA256",
        "s3:VersionId": "v1",
    }


def test_an_unsigned_request_has_no_auth_keys() -> None:
    assert send("GET", "/b/k").context == {}


def test_write_headers_are_condition_keys() -> None:
    headers = {
        **SIGNED,
        "x-amz-acl": "bucket-owner-full-control",
        "x-amz-server-side-encryption": "aws:kms",
        "x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:eu-west-1:1:key/k",
        "x-amz-storage-class": "STANDARD_IA",
        "x-amz-metadata-directive": "REPLACE",
        "x-amz-copy-source": "/src/a%20b",
        "x-amz-tagging": "project=blue&tier=",
        "If-None-Match": "*",
        **LOCK_HEADERS,
    }
    context = send("PUT", "/b/k", headers).context
    assert context == {
        "s3:authType": "REST-HEADER",
        "s3:signatureversion": "AWS4-HMAC-SHA256",
        "s3:x-amz-content-sha256": "UNSIGNED-PAYLOAD",
        "s3:x-amz-acl": "bucket-owner-full-control",
        "s3:x-amz-server-side-encryption": "aws:kms",
        "s3:x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:eu-west-1:1:key/k",
        "s3:x-amz-storage-class": "STANDARD_IA",
        "s3:x-amz-metadata-directive": "REPLACE",
        "s3:x-amz-copy-source": "src/a b",
        "s3:RequestObjectTag/project": "blue",
        "s3:RequestObjectTag/tier": "",
        "s3:if-none-match": "*",  # CONDITIONAL_WRITES
        "s3:object-lock-mode": "GOVERNANCE",
        "s3:object-lock-retain-until-date": "2030-01-01T00:00:00Z",
    }


def test_a_header_only_counts_for_the_actions_that_read_it() -> None:
    # s3:x-amz-acl is a key of PutObject and PutObjectAcl, not of GetObject.
    assert "s3:x-amz-acl" not in send("GET", "/b/k", {"x-amz-acl": "public-read"}).context
    assert send("PUT", "/b/k?acl", {"x-amz-acl": "private"}).context == {"s3:x-amz-acl": "private"}


def test_create_bucket_keys() -> None:
    body = (
        b'<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
        b"<LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>"
    )
    headers = {"x-amz-object-ownership": "BucketOwnerPreferred", "x-amz-acl": "private"}
    assert send("PUT", "/b", headers, body).context == {
        "s3:locationconstraint": "eu-west-1",
        "s3:x-amz-object-ownership": "BucketOwnerPreferred",
        "s3:x-amz-acl": "private",
    }
    assert refused(send("PUT", "/b", body=b"<CreateBucketConfiguration>"))


def test_no_identity_or_transport_keys() -> None:
    context = send("GET", "/b/k", {**SIGNED, "x-amz-expected-bucket-owner": "1"}).context
    assert not any(key.startswith("aws:") for key in context)
    assert "s3:ResourceAccount" not in context and "s3:TlsVersion" not in context


@pytest.mark.parametrize("tagging", ["a=1&a=2", "novalue", "a=1&&"])
def test_a_malformed_tag_header_fails_closed(tagging: str) -> None:
    assert refused(send("PUT", "/b/k", {"x-amz-tagging": tagging}))


# --- failing closed ----------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "target"),
    [
        ("GET", "/b?unknownSubresource"),
        ("GET", "/b/k?unknownSubresource"),
        ("GET", "/?acl"),
        ("PUT", "/"),
        ("PATCH", "/b/k"),
        ("get", "/b/k"),
        ("OPTIONS", "/b/k"),  # a CORS preflight: S3 authorises none
        ("POST", "/b"),  # a browser POST upload, s3:authType POST
        ("POST", "/b/k"),
        ("GET", "/b?acl&policy"),  # two subresources: the emulator picks one
        ("GET", "/b/k?uploadId=u&acl"),
        ("POST", "/b/k?uploads&uploadId=u"),
        ("GET", "/b/k?acl&acl"),
        ("GET", "/b/k?versionId=v1&versionId=v2"),
        ("GET", "/b?prefix=a&prefix=b"),
        ("GET", "/b/k?versionId="),  # S3: "Version id cannot be the empty string"
        ("DELETE", "/b/k?uploadId="),  # an upload id naming no upload
        ("GET", "/b/k?uploadId="),
        ("PUT", "/b/k?versionId=v1"),  # PutObject takes no versionId
        ("GET", "/b?versionId=v1"),
        ("PUT", "/b/k?uploadId=u"),  # UploadPart without partNumber
        ("PUT", "/b/k?uploadId=u&partNumber=0"),
        ("PUT", "/b/k?uploadId=u&partNumber=10001"),
        ("PUT", "/b/k?uploadId=u&partNumber=%C2%B2"),
        ("GET", "/b/k?partNumber=x"),
        ("DELETE", "/b/k?partNumber=1"),
        ("GET", "/b?list-type=1"),
        ("PUT", "/b?list-type=2"),
        ("POST", "/b/k?select"),
        ("HEAD", "/b/k?acl"),
        ("GET", "/b/k?versionid=v1"),  # names are case-sensitive
        ("PUT", "/b/k?x-amz-acl=public-read"),  # a header in the query (SigV2 presigned)
        ("GET", "/b/k?AWSAccessKeyId=AKID&Signature=abc&Expires=1"),  # SigV2 presigned
        # Not routed by the emulator as S3 routes them (the module notes).
        ("GET", "/b/k?retention"),
        ("GET", "/b/k?torrent"),
        ("GET", "/b?requestPayment"),
        ("PUT", "/b?requestPayment"),
        ("PUT", "/b?analytics&id=a"),
        ("DELETE", "/b?analytics&id=a"),
        ("DELETE", "/b?inventory&id=i"),
        ("GET", "/b?metrics&id=m"),
        ("PUT", "/b?intelligent-tiering&id=t"),
        ("DELETE", "/b?versioning"),
        ("GET", "/b?session"),
    ],
)
def test_what_cannot_be_mapped_with_certainty_fails_closed(method: str, target: str) -> None:
    assert refused(send(method, target))


@pytest.mark.parametrize("method", ["GET", "HEAD", "DELETE"])
def test_a_body_on_a_request_that_takes_none_fails_closed(method: str) -> None:
    # moto reads versionId from a JSON body: it would act on a version never named.
    assert refused(send(method, "/b/k", body=b'{"versionId": "v1"}'))


def test_two_ways_of_authenticating_fail_closed() -> None:
    assert refused(send("GET", "/b/k?X-Amz-Signature=abc", SIGNED))


def test_one_header_in_two_cases_with_two_values_fails_closed() -> None:
    assert refused(send("PUT", "/b/k", {"x-amz-acl": "private", "X-Amz-Acl": "public-read"}))
    assert send("PUT", "/b/k", {"x-amz-acl": "private", "X-Amz-Acl": "private"}).recognised


def test_bypass_is_required_whenever_the_header_is_sent() -> None:
    # moto bypasses governance retention for any value, "false" included.
    request = send("DELETE", "/b/k", {"x-amz-bypass-governance-retention": "false"})
    assert ("s3:BypassGovernanceRetention", "arn:aws:s3:::b/k") in pairs(request)


ALLOWING = ["s3:Get*", "s3:Put*", "s3:List*", "s3:Delete*", "s3:*Object", "s3:GetObject"]


@pytest.mark.parametrize("pattern", ALLOWING)
def test_only_a_star_grants_the_unrecognised_action(pattern: str) -> None:
    def allows(action: str) -> bool:
        policy = {"Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]}
        decided = identity_decision([policy], UNRECOGNISED_ACTION, "*", {})
        return decided is Decision.ALLOW

    assert not allows(pattern)
    assert allows("s3:*") and allows("*")


# --- what boto3 sends --------------------------------------------------------

KEY = "dir/a b+c%ü?.txt"
UPLOAD = {"UploadId": "u"}
TAGS = {"TagSet": [{"Key": "k", "Value": "v"}]}
BOTO3_CALLS: dict[str, dict[str, Any]] = {
    "ListBuckets": {},
    "CreateBucket": {"ObjectOwnership": "BucketOwnerEnforced"},
    "DeleteBucket": {},
    "HeadBucket": {},
    "ListObjects": {"Prefix": "a/"},
    "ListObjectsV2": {"Prefix": "a/", "Delimiter": "/"},
    "ListObjectVersions": {},
    "ListMultipartUploads": {},
    "GetBucketLocation": {},
    "GetBucketPolicy": {},
    "PutBucketPolicy": {"Policy": "{}"},
    "DeleteBucketPolicy": {},
    "GetBucketPolicyStatus": {},
    "GetBucketOwnershipControls": {},
    "PutBucketOwnershipControls": {
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    },
    "DeleteBucketOwnershipControls": {},
    "GetPublicAccessBlock": {},
    "PutPublicAccessBlock": {"PublicAccessBlockConfiguration": {"BlockPublicAcls": True}},
    "DeletePublicAccessBlock": {},
    "GetBucketEncryption": {},
    "PutBucketEncryption": {
        "ServerSideEncryptionConfiguration": {
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        }
    },
    "DeleteBucketEncryption": {},
    "GetBucketTagging": {},
    "PutBucketTagging": {"Tagging": TAGS},
    "DeleteBucketTagging": {},
    "GetBucketVersioning": {},
    "PutBucketVersioning": {"VersioningConfiguration": {"Status": "Enabled"}},
    "GetBucketAcl": {},
    "PutBucketAcl": {"ACL": "private"},
    "GetBucketCors": {},
    "PutBucketCors": {
        "CORSConfiguration": {"CORSRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"]}]}
    },
    "DeleteBucketCors": {},
    "GetBucketLifecycleConfiguration": {},
    "PutBucketLifecycleConfiguration": {
        "LifecycleConfiguration": {
            "Rules": [{"Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 1}}]
        }
    },
    "DeleteBucketLifecycle": {},
    "GetBucketWebsite": {},
    "PutBucketWebsite": {"WebsiteConfiguration": {"IndexDocument": {"Suffix": "index.html"}}},
    "DeleteBucketWebsite": {},
    "GetBucketLogging": {},
    "PutBucketLogging": {"BucketLoggingStatus": {}},
    "GetBucketNotificationConfiguration": {},
    "PutBucketNotificationConfiguration": {"NotificationConfiguration": {}},
    "GetBucketReplication": {},
    "DeleteBucketReplication": {},
    "GetObjectLockConfiguration": {},
    "PutObjectLockConfiguration": {"ObjectLockConfiguration": {"ObjectLockEnabled": "Enabled"}},
    "GetBucketAccelerateConfiguration": {},
    "PutBucketAccelerateConfiguration": {"AccelerateConfiguration": {"Status": "Enabled"}},
    "GetBucketInventoryConfiguration": {"Id": "i"},
    "GetObject": {"Key": KEY, "VersionId": "v1"},
    "HeadObject": {"Key": KEY},
    "PutObject": {"Key": KEY, "Body": b"x", "Tagging": "a=1", "ACL": "private"},
    "CopyObject": {"Key": KEY, "CopySource": {"Bucket": "src", "Key": KEY, "VersionId": "v+1"}},
    "DeleteObject": {"Key": KEY, "VersionId": "v1", "BypassGovernanceRetention": True},
    "DeleteObjects": {"Delete": {"Objects": [{"Key": KEY}, {"Key": "c", "VersionId": "v"}]}},
    "GetObjectTagging": {"Key": KEY},
    "PutObjectTagging": {"Key": KEY, "Tagging": TAGS, "VersionId": "v1"},
    "DeleteObjectTagging": {"Key": KEY},
    "GetObjectAcl": {"Key": KEY},
    "PutObjectAcl": {"Key": KEY, "ACL": "private"},
    "PutObjectRetention": {"Key": KEY, "Retention": {"Mode": "GOVERNANCE"}},
    "GetObjectLegalHold": {"Key": KEY},
    "PutObjectLegalHold": {"Key": KEY, "LegalHold": {"Status": "ON"}},
    "GetObjectAttributes": {"Key": KEY, "ObjectAttributes": ["ETag"]},
    "RestoreObject": {"Key": KEY, "RestoreRequest": {"Days": 1}},
    "SelectObjectContent": {
        "Key": KEY,
        "Expression": "select * from s3object",
        "ExpressionType": "SQL",
        "InputSerialization": {"CSV": {}},
        "OutputSerialization": {"CSV": {}},
    },
    "CreateMultipartUpload": {"Key": KEY},
    "UploadPart": {"Key": KEY, "PartNumber": 1, "Body": b"x", **UPLOAD},
    "UploadPartCopy": {"Key": KEY, "PartNumber": 1, "CopySource": "src/s", **UPLOAD},
    "CompleteMultipartUpload": {
        "Key": KEY,
        "MultipartUpload": {"Parts": [{"PartNumber": 1, "ETag": "e"}]},
        **UPLOAD,
    },
    "AbortMultipartUpload": {"Key": KEY, **UPLOAD},
    "ListParts": {"Key": KEY, **UPLOAD},
}


@dataclass
class Sent:
    method: str
    host: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


def boto3_sends(endpoint: str, style: str, operation: str, params: dict[str, Any]) -> Sent:
    """What boto3 puts on the wire for one call (answered locally, never sent)."""
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=Config(s3={"addressing_style": style}, retries={"max_attempts": 0}),
    )
    seen: list[Any] = []

    def capture(request: Any, **_: Any) -> AWSResponse:
        seen.append(request)
        return AWSResponse(request.url, 200, {}, None)

    client.meta.events.register(f"before-send.s3.{operation}", capture)
    if operation != "ListBuckets":
        params = {"Bucket": "data-bucket", **params}
    with contextlib.suppress(Exception):  # the empty answer may not parse
        getattr(client, _snake(operation))(**params)
    (request,) = seen
    host, _, rest = request.url.partition("://")[2].partition("/")
    path, _, query = f"/{rest}".partition("?")
    body = request.body.read() if hasattr(request.body, "read") else request.body or b""
    headers = {
        name: value.decode() if isinstance(value, bytes) else value
        for name, value in request.headers.items()
    }
    return Sent(request.method, host, path, query, headers, body)


def _snake(operation: str) -> str:
    from botocore import xform_name

    return str(xform_name(operation))


@pytest.mark.parametrize(
    ("endpoint", "style", "host"),
    [
        ("http://127.0.0.1:4566", "path", "127.0.0.1:4566"),
        ("http://localhost:4566", "virtual", "data-bucket.localhost:4566"),
    ],
)
@pytest.mark.parametrize("operation", sorted(BOTO3_CALLS))
def test_what_boto3_sends_maps_to_the_operation_it_calls(
    endpoint: str, style: str, host: str, operation: str
) -> None:
    sent = boto3_sends(endpoint, style, operation, BOTO3_CALLS[operation])
    # botocore sends GetBucketLocation path-style whatever the addressing style.
    if operation not in {"ListBuckets", "GetBucketLocation"}:
        assert sent.host == host
    bucket, key = s3_target(sent.host, sent.path, endpoint.partition("://")[2])
    query = parse_qs(sent.query, keep_blank_values=True)
    request = s3_request(sent.method, bucket, key, query, sent.headers, sent.body)
    assert request.operation == operation
    if "Key" in BOTO3_CALLS[operation]:
        assert key == KEY
        assert request.accesses[0].resource == f"arn:aws:s3:::data-bucket/{KEY}"
    assert request.context.get("s3:authType") == "REST-HEADER"


# --- properties --------------------------------------------------------------

keys = st.text(st.characters(exclude_categories=["Cs"]), min_size=1).filter(
    lambda text: len(text.encode()) <= 1024
)


@given(key=keys)
def test_any_key_round_trips_through_its_encoded_path(key: str) -> None:
    for host, path in ((ENDPOINT, f"/b/{quote(key)}"), ("b.localhost:4566", f"/{quote(key)}")):
        bucket, parsed = s3_target(host, path, ENDPOINT)
        assert (bucket, parsed) == ("b", key)
        request = s3_request("GET", bucket, parsed, {}, {})
        assert request.operation == "GetObject"
        assert request.accesses == (S3Access("s3:GetObject", f"arn:aws:s3:::b/{key}", "b", None),)


KNOWN_NAMES = [
    "acl",
    "tagging",
    "versionId",
    "uploadId",
    "partNumber",
    "uploads",
    "delete",
    "versions",
    "list-type",
    "prefix",
    "policy",
    "x-id",
    "X-Amz-Signature",
    "select",
    "select-type",
    "attributes",
    "restore",
    "retention",
]
names = st.one_of(st.sampled_from(KNOWN_NAMES), st.text(max_size=12))
value = st.one_of(st.sampled_from(["", "2", "1", "v1", "u"]), st.text(max_size=8))
# Mostly one value per name, as requests send them; sometimes none or several.
values = st.one_of(value.map(lambda v: [v]), value.map(lambda v: [v]), st.lists(value))
queries = st.dictionaries(names, values, max_size=3)
header_names = st.one_of(
    st.sampled_from(
        [
            "x-amz-copy-source",
            "X-Amz-Copy-Source",
            "x-amz-tagging",
            "x-amz-acl",
            "Authorization",
            "x-amz-bypass-governance-retention",
            "x-amz-bucket-object-lock-enabled",
            "x-amz-grant-read",
        ]
    ),
    st.text(max_size=12),
)
header_values = st.one_of(st.sampled_from(["src/s", "/src/s?versionId=v", "a=1"]), st.text())
headers = st.dictionaries(header_names, header_values, max_size=3)
methods = st.one_of(st.sampled_from(["GET", "HEAD", "PUT", "POST", "DELETE"]), st.text(max_size=7))
buckets = st.one_of(st.none(), st.sampled_from(["b", "a.b-c"]), st.text(max_size=8))
object_keys = st.one_of(st.none(), st.sampled_from(["k", "dir/k"]), st.text(max_size=8))
bodies = st.one_of(
    st.just(b""),
    st.just(b""),
    st.binary(max_size=64),
    st.builds(
        lambda ks: delete_body(*[(k, None) for k in ks]),
        st.lists(st.text(max_size=6), max_size=3),
    ),
)

# Every action the module may name, each a row of the Actions table (ACTIONS_PAGE).
REAL_ACTIONS = frozenset(
    f"s3:{name}"
    for name in (
        "AbortMultipartUpload",
        "BypassGovernanceRetention",
        "CreateBucket",
        "DeleteBucket",
        "DeleteBucketPolicy",
        "DeleteBucketWebsite",
        "DeleteObject",
        "DeleteObjectTagging",
        "DeleteObjectVersion",
        "DeleteObjectVersionTagging",
        "GetAccelerateConfiguration",
        "GetBucketAcl",
        "GetBucketCORS",
        "GetBucketLocation",
        "GetBucketLogging",
        "GetBucketNotification",
        "GetBucketObjectLockConfiguration",
        "GetBucketOwnershipControls",
        "GetBucketPolicy",
        "GetBucketPolicyStatus",
        "GetBucketPublicAccessBlock",
        "GetBucketTagging",
        "GetBucketVersioning",
        "GetBucketWebsite",
        "GetEncryptionConfiguration",
        "GetInventoryConfiguration",
        "GetLifecycleConfiguration",
        "GetObject",
        "GetObjectAcl",
        "GetObjectAttributes",
        "GetObjectLegalHold",
        "GetObjectTagging",
        "GetObjectVersion",
        "GetObjectVersionAcl",
        "GetObjectVersionAttributes",
        "GetObjectVersionTagging",
        "GetReplicationConfiguration",
        "ListAllMyBuckets",
        "ListBucket",
        "ListBucketMultipartUploads",
        "ListBucketVersions",
        "ListMultipartUploadParts",
        "PutAccelerateConfiguration",
        "PutBucketAcl",
        "PutBucketCORS",
        "PutBucketLogging",
        "PutBucketNotification",
        "PutBucketObjectLockConfiguration",
        "PutBucketOwnershipControls",
        "PutBucketPolicy",
        "PutBucketPublicAccessBlock",
        "PutBucketTagging",
        "PutBucketVersioning",
        "PutBucketWebsite",
        "PutEncryptionConfiguration",
        "PutInventoryConfiguration",
        "PutLifecycleConfiguration",
        "PutObject",
        "PutObjectAcl",
        "PutObjectLegalHold",
        "PutObjectRetention",
        "PutObjectTagging",
        "PutObjectVersionAcl",
        "PutObjectVersionTagging",
        "PutReplicationConfiguration",
        "RestoreObject",
    )
)


def test_the_table_names_only_real_actions() -> None:
    named = {action for param in CASES for action, _ in param.values[0].accesses}
    assert named <= REAL_ACTIONS


@settings(max_examples=400)
@given(method=methods, bucket=buckets, key=object_keys, query=queries, sent=headers, body=bodies)
def test_no_input_raises_and_every_action_is_a_real_one(
    method: str,
    bucket: str | None,
    key: str | None,
    query: dict[str, list[str]],
    sent: dict[str, str],
    body: bytes,
) -> None:
    request = s3_request(method, bucket, key, query, sent, body)
    assert request.accesses
    if request.recognised:
        assert {access.action for access in request.accesses} <= REAL_ACTIONS
    else:
        assert refused(request)


ALL_SUBRESOURCES = {
    "acl", "tagging", "versionId", "uploadId", "partNumber", "uploads", "delete", "versions",
    "list-type", "location", "policy", "policyStatus", "ownershipControls", "publicAccessBlock",
    "encryption", "versioning", "cors", "lifecycle", "website", "logging", "notification",
    "replication", "object-lock", "accelerate", "inventory", "retention", "legal-hold",
    "attributes", "restore", "select",
}  # fmt: skip


# Near-valid requests, to reach the operations rather than the refusals.
plausible_queries = st.dictionaries(
    st.sampled_from(sorted(ALL_SUBRESOURCES | {"versionId", "partNumber", "prefix", "x-id"})),
    st.sampled_from(["", "2", "1", "v1", "u"]).map(lambda v: [v]),
    max_size=2,
)
plausible_headers = st.dictionaries(
    st.sampled_from(
        [
            "x-amz-copy-source",
            "x-amz-tagging",
            "x-amz-acl",
            "x-amz-grant-read",
            "x-amz-object-lock-mode",
            "x-amz-object-lock-legal-hold",
            "x-amz-bypass-governance-retention",
            "x-amz-bucket-object-lock-enabled",
            "x-amz-object-ownership",
            "x-amz-expected-bucket-owner",
            "x-amz-source-expected-bucket-owner",
        ]
    ),
    st.sampled_from(["src/s", "/src/dir/s?versionId=v", "a=1", "true", "111122223333"]),
    max_size=3,
)


@settings(max_examples=400)
@given(
    method=st.sampled_from(["GET", "HEAD", "PUT", "POST", "DELETE"]),
    target=st.sampled_from([(None, None), ("b", None), ("b", "k"), ("b", "dir/k")]),
    query=plausible_queries,
    sent=plausible_headers,
    body=st.one_of(st.just(b""), st.just(delete_body(("a", None), ("c", "v")))),
)
def test_accesses_name_only_the_addressed_bucket_or_the_copy_source(
    method: str,
    target: tuple[str | None, str | None],
    query: dict[str, list[str]],
    sent: dict[str, str],
    body: bytes,
) -> None:
    bucket, key = target
    request = s3_request(method, bucket, key, query, sent, body)
    for access in request.accesses:
        assert access.action in REAL_ACTIONS or refused(request)
        if access.bucket == "src":
            assert access.resource.startswith("arn:aws:s3:::src/")
            assert access.expected_owner == sent.get("x-amz-source-expected-bucket-owner")
        elif access.bucket is not None:
            assert access.bucket == bucket
            assert access.resource.startswith(f"arn:aws:s3:::{bucket}")
            assert access.expected_owner == sent.get("x-amz-expected-bucket-owner")


@given(host=st.text(max_size=30), path=st.text(max_size=30), endpoint=st.text(max_size=15))
def test_s3_target_never_raises(host: str, path: str, endpoint: str) -> None:
    bucket, key = s3_target(host, path, endpoint)
    assert bucket is None or key is None or isinstance(key, str)


@given(
    name=st.text(min_size=1, max_size=20).filter(lambda n: n not in ALL_SUBRESOURCES),
    value=st.sampled_from(["", "1", "2", "v"]),
    method=st.sampled_from(["GET", "HEAD", "PUT", "POST", "DELETE"]),
    target=st.sampled_from([("b", None), ("b", "k")]),
)
def test_an_unknown_subresource_never_maps_to_a_real_action(
    name: str, value: str, method: str, target: tuple[str, str | None]
) -> None:
    bucket, key = target
    request = s3_request(method, bucket, key, {name: [value]}, {})
    known_modifier = request.recognised
    # Only the parameters an operation reads beside its subresource may pass.
    if known_modifier:
        assert name in {
            "prefix", "delimiter", "marker", "max-keys", "encoding-type", "continuation-token",
            "fetch-owner", "start-after", "key-marker", "version-id-marker", "upload-id-marker",
            "max-uploads", "id", "max-parts", "part-number-marker", "select-type", "x-id",
            "response-cache-control", "response-content-disposition", "response-content-encoding",
            "response-content-language", "response-content-type", "response-expires",
            "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
            "X-Amz-SignedHeaders", "X-Amz-Security-Token",
        }  # fmt: skip
    else:
        assert refused(request)
