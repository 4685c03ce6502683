"""Which IAM permissions an S3 REST request needs, as S3's authorization decides.

``s3_target`` finds the bucket and key a request addresses; ``s3_request`` names
the S3 operation, every access that must be allowed (action, resource, the bucket
whose policy and owner apply, the ``ExpectedBucketOwner`` for that access) and the
request-specific condition keys. Sources, cited again case by case in
``tests/aws/test_s3_requests.py``:

* Required permissions for Amazon S3 API operations,
  https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
* Actions, resources, and condition keys for Amazon S3,
  https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
* each operation's "Permissions" section in the S3 API Reference.

Versioned requests: where an operation's page says the unversioned action is not
needed for a version (GetObject; HeadObject's "read object (or version)";
GetObjectAttributes) the version action replaces it. Everywhere else both are
required: DeleteObject "must always have the s3:DeleteObject permission", the
tagging pages "also need" the version action, and the ACL pages say nothing
either way, so the stricter reading.

Fail closed: a request this module cannot map with certainty (an unknown method
or query parameter, two subresources, a repeated parameter, an empty versionId,
a malformed DeleteObjects body or copy source, a body on a GET, HEAD or DELETE)
gets one access to ``UNRECOGNISED_ACTION`` on ``"*"`` naming no bucket. No AWS
action has that name, so only ``s3:*`` or ``*`` on every resource in an identity
policy allows it; no bucket policy can, and a gateway cannot take it for a
request on a bucket that does not exist. ``s3_request`` never raises.

Left out on purpose, so they fail closed: subresources the emulator behind the
gateway (moto 5.2) does not route as S3 does. It serves GET ``?retention`` and
``?torrent`` as GetObject, PUT ``?requestPayment``/``?analytics``/``?metrics``/
``?intelligent-tiering`` as CreateBucket and DELETE ``?inventory``/``?analytics``
as DeleteBucket, so mapping them as S3 does would authorise one operation and run
another. Browser POST uploads (``s3:authType`` ``POST``), SigV2 presigned URLs,
access points and OPTIONS preflights fail closed too.

Not covered (the gateway's, or needing state): ``s3:ExistingObjectTag``,
``s3:signatureAge``, ``s3:object-lock-remaining-retention-days``, the multi-valued
``s3:RequestObjectTagKeys``, condition keys carried in XML bodies other than
CreateBucket's ``s3:locationconstraint``, and KMS permissions for SSE-KMS.

What boto3 sends (botocore 1.44, ``before-send`` hooks): header names in mixed
case (``X-Amz-Content-SHA256``); virtual-hosted addressing only for DNS-safe
bucket names, never for an IP endpoint, and never for GetBucketLocation; the copy
source percent-encoded except ``/`` but its ``versionId`` left raw
(``src/a%20b?versionId=v+1/x``); DeleteObjects with a CRC32 checksum header, not
Content-MD5; no ``x-id`` parameter (other SDKs add one); and, a surprise,
presigned URLs signed with SigV2 unless ``signature_version="s3v4"``, with the
``x-amz-*`` headers moved into the query string (SigV4 keeps them headers).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal
from urllib.parse import parse_qsl, unquote

UNRECOGNISED_ACTION = "s3:UnrecognisedOperation"
UNRECOGNISED_OPERATION = "Unrecognised"
# DeleteObjects names at most 1000 keys (S3 API Reference, DeleteObjects).
MAX_DELETE_KEYS = 1000
_MAX_KEY_BYTES = 1024  # S3's limit on a key's UTF-8 length


@dataclass(frozen=True, slots=True)
class S3Access:
    """One permission a request needs."""

    action: str
    # arn:aws:s3:::bucket/key, arn:aws:s3:::bucket, or "*" (ListAllMyBuckets).
    resource: str
    # Whose bucket policy and owner apply; None when no bucket is involved.
    bucket: str | None
    # ExpectedBucketOwner for this access (the copy source has its own header).
    expected_owner: str | None


@dataclass(frozen=True, slots=True)
class S3Request:
    """An S3 request as authorization sees it: every access must be allowed."""

    operation: str
    accesses: tuple[S3Access, ...]
    # Request-specific condition keys; the caller's identity and transport keys
    # (aws:SecureTransport, s3:ResourceAccount, ...) are the gateway's to add.
    context: Mapping[str, str]

    @property
    def recognised(self) -> bool:
        return self.operation != UNRECOGNISED_OPERATION


_REFUSED = S3Request(
    UNRECOGNISED_OPERATION,
    (S3Access(UNRECOGNISED_ACTION, "*", None, None),),
    MappingProxyType({}),  # shared by every refusal: read-only
)


class _Unrecognised(Exception):
    """Raised inside the module, caught by ``s3_request``: fail closed."""


# --- addressing --------------------------------------------------------------

# bucket.s3.amazonaws.com, bucket.s3.eu-west-1.amazonaws.com, bucket.s3-eu-west-1...,
# bucket.s3.dualstack.eu-west-1... ; access points and other amazonaws.com hosts
# do not match and are refused.
_AWS_S3_HOST = re.compile(
    r"(?:(?P<bucket>.+)\.)?s3(?:[.-](?:dualstack\.|fips\.)?[a-z0-9-]+)?\.amazonaws\.com"
)


def s3_target(host: str, path: str, endpoint_host: str) -> tuple[str | None, str | None]:
    """(bucket, key) of a path-style (``127.0.0.1:4566/bucket/key``) or
    virtual-hosted (``bucket.127.0.0.1:4566/key``, ``bucket.localhost:4566``,
    ``bucket.s3.amazonaws.com``) request. ``path`` is the raw, percent-encoded
    path; the key comes back percent-decoded (``+`` stays a plus, ``%2F`` is a
    slash), the bucket as sent.

    Path-style hosts: the endpoint, ``localhost``, an IP address, a name without
    a dot, ``s3[.region].amazonaws.com``. Never raises: an address this module
    will not vouch for comes back as a key with no bucket, ``(None, key)``, which
    ``s3_request`` refuses. That is any other host (the emulator would read its
    first label as a bucket), a dotted bucket under the endpoint (the emulator
    would read only its first label), an access point or other amazonaws.com
    host, an empty bucket segment, a path holding ``?`` or ``#``. A key that is
    not UTF-8 comes back with surrogate escapes, which ``s3_request`` refuses too.
    """
    style, hosted = _host_style(_hostname(host), _hostname(endpoint_host))
    if style == "refused" or "?" in path or "#" in path:
        return None, path or "/"
    raw = path[1:] if path.startswith("/") else path
    if style == "virtual":
        return hosted, _decode(raw) or None
    bucket, _, raw_key = raw.partition("/")
    if not bucket:
        return (None, _decode(raw_key)) if raw_key else (None, None)
    return bucket, _decode(raw_key) or None


_IP_ADDRESS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}|\[[0-9a-f:.]*\]")
_Style = Literal["path", "virtual", "refused"]


def _host_style(name: str, endpoint: str) -> tuple[_Style, str | None]:
    """How ``name`` addresses a bucket, and the bucket when it names one."""
    aws = _AWS_S3_HOST.fullmatch(name)
    if aws is not None:
        return ("virtual", aws.group("bucket")) if aws.group("bucket") else ("path", None)
    if name.endswith(".amazonaws.com"):
        return "refused", None  # an access point or Object Lambda: not a bucket
    if name in (endpoint, "localhost") or "." not in name or _IP_ADDRESS.fullmatch(name):
        return "path", None
    for base in (endpoint, "localhost"):
        if base and name.endswith(f".{base}"):
            bucket = name[: -len(base) - 1]
            return ("refused", None) if "." in bucket else ("virtual", bucket)
    return "refused", None


def _hostname(host: str) -> str:
    """The host without its port, lower-cased (DNS names ignore case)."""
    host = host.strip().lower()
    if host.startswith("["):  # an IPv6 literal, [::1]:4566
        end = host.find("]")
        return host[: end + 1] if end >= 0 else host
    name, colon, port = host.rpartition(":")
    return name if colon and (port.isdigit() or not port) else host


def _decode(raw: str) -> str:
    # surrogateescape keeps bytes that are not UTF-8 visible to _valid_key.
    return unquote(raw, errors="surrogateescape")


# --- what a request sends ----------------------------------------------------

# Signature parameters of a SigV4 presigned URL, and the operation name the SDKs
# add for their own logs: neither says which operation the request is.
_IGNORED_PARAMS = frozenset(
    {
        "x-id",
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-SignedHeaders",
        "X-Amz-Signature",
        "X-Amz-Security-Token",
    }
)
_SERVICE_PARAMS = frozenset({"max-buckets", "continuation-token", "prefix", "bucket-region"})
_BUCKET_PARAMS = frozenset(
    {
        "prefix",
        "delimiter",
        "marker",
        "max-keys",
        "encoding-type",
        "continuation-token",
        "fetch-owner",
        "start-after",
        "key-marker",
        "version-id-marker",
        "upload-id-marker",
        "max-uploads",
        "id",
    }
)
_OBJECT_PARAMS = frozenset(
    {
        "versionId",
        "partNumber",
        "max-parts",
        "part-number-marker",
        "select-type",
        "response-cache-control",
        "response-content-disposition",
        "response-content-encoding",
        "response-content-language",
        "response-content-type",
        "response-expires",
    }
)
_BODILESS_METHODS = frozenset({"GET", "HEAD", "DELETE"})


@dataclass(frozen=True, slots=True)
class _Sent:
    """A request's parts, checked: one value per parameter, header names lower-case."""

    method: str
    bucket: str | None
    key: str | None
    params: Mapping[str, str]
    headers: Mapping[str, str]
    body: bytes
    auth: Mapping[str, str]  # s3:authType, s3:signatureversion, s3:x-amz-content-sha256

    @property
    def version_id(self) -> str | None:
        return self.params.get("versionId")

    def access(self, action: str, key: str | None = None) -> S3Access:
        """``action`` on this request's bucket, on ``key`` (default: its own key)."""
        return _access(action, self.bucket, key or self.key, self.expected_owner)

    @property
    def expected_owner(self) -> str | None:
        return self.headers.get("x-amz-expected-bucket-owner")


def _access(action: str, bucket: str | None, key: str | None, owner: str | None) -> S3Access:
    resource = f"arn:aws:s3:::{bucket}" + (f"/{key}" if key is not None else "")
    return S3Access(action, resource, bucket, owner)


def _sent(
    method: str,
    bucket: str | None,
    key: str | None,
    query: Mapping[str, Sequence[str]],
    headers: Mapping[str, str],
    body: bytes,
) -> _Sent:
    key = key or None  # "/bucket/" addresses the bucket
    if bucket is None and key is not None:
        raise _Unrecognised("a key with no bucket")
    if bucket is not None and not _valid_bucket(bucket):
        raise _Unrecognised("not a bucket name")
    if key is not None and not _valid_key(key):
        raise _Unrecognised("not a key")
    if method in _BODILESS_METHODS and body:
        # moto reads parameters such as versionId from a JSON body
        # (BaseResponse._get_param): it could act on a version never named here.
        raise _Unrecognised("a body S3 does not read")
    lowered = _lowered(headers)
    auth = _auth_context(lowered, query)
    return _Sent(method, bucket, key, _params(query), lowered, body, auth)


_BUCKET_NAME = re.compile(r"[A-Za-z0-9._-]{1,255}")  # legacy names included


def _valid_bucket(bucket: str) -> bool:
    # No ':', '/', '*' or '?', which would change how an ARN is read.
    return _BUCKET_NAME.fullmatch(bucket) is not None


def _valid_key(key: str) -> bool:
    try:
        encoded = key.encode("utf-8")
    except UnicodeEncodeError:  # surrogates: the path was not UTF-8
        return False
    return 0 < len(encoded) <= _MAX_KEY_BYTES


def _lowered(headers: Mapping[str, str]) -> dict[str, str]:
    lowered: dict[str, str] = {}
    for name, value in headers.items():
        name = name.lower()
        if lowered.get(name, value) != value:
            raise _Unrecognised("one header sent twice with two values")
        lowered[name] = value
    return lowered


def _params(query: Mapping[str, Sequence[str]]) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, values in query.items():
        if len(values) != 1:
            # Which of two values would the emulator use? Not worth guessing.
            raise _Unrecognised(f"{name} sent {len(values)} times")
        if name in _IGNORED_PARAMS:
            continue
        if name.lower().startswith("x-amz-"):
            # S3 reads x-amz-* query parameters as headers (SigV2 presigned URLs
            # carry x-amz-acl so); whether the emulator does is not settled.
            raise _Unrecognised("a header sent in the query")
        params[name] = values[0]
    return params


def _auth_context(headers: Mapping[str, str], query: Mapping[str, Sequence[str]]) -> dict[str, str]:
    authorization = headers.get("authorization")
    presigned = "X-Amz-Signature" in query
    if authorization is not None and presigned:
        raise _Unrecognised("two ways of authenticating")  # S3 refuses it too
    context: dict[str, str] = {}
    if authorization is not None:
        context["s3:authType"] = "REST-HEADER"
        scheme = authorization.strip().split(" ", 1)[0]
        version = {"AWS4-HMAC-SHA256": "AWS4-HMAC-SHA256", "AWS": "AWS"}.get(scheme)
    elif presigned:
        context["s3:authType"] = "REST-QUERY-STRING"
        algorithm = query.get("X-Amz-Algorithm", [""])
        version = "AWS4-HMAC-SHA256" if list(algorithm) == ["AWS4-HMAC-SHA256"] else None
    else:
        version = None
    if version is not None:
        context["s3:signatureversion"] = version
    if "x-amz-content-sha256" in headers:
        context["s3:x-amz-content-sha256"] = headers["x-amz-content-sha256"]
    return context


# --- the operations, as data -------------------------------------------------

_ACL_KEYS: Mapping[str, str] = {
    header: f"s3:{header}"
    for header in (
        "x-amz-acl",
        "x-amz-grant-read",
        "x-amz-grant-write",
        "x-amz-grant-read-acp",
        "x-amz-grant-write-acp",
        "x-amz-grant-full-control",
    )
}
# Condition keys of s3:PutObject that a header carries (x-amz-copy-source is
# added decoded, by _copy_context).
_WRITE_KEYS: Mapping[str, str] = {
    **_ACL_KEYS,
    **{
        header: f"s3:{header}"
        for header in (
            "x-amz-metadata-directive",
            "x-amz-server-side-encryption",
            "x-amz-server-side-encryption-aws-kms-key-id",
            "x-amz-server-side-encryption-customer-algorithm",
            "x-amz-storage-class",
            "x-amz-website-redirect-location",
        )
    },
    "x-amz-object-lock-mode": "s3:object-lock-mode",
    "x-amz-object-lock-retain-until-date": "s3:object-lock-retain-until-date",
    "x-amz-object-lock-legal-hold": "s3:object-lock-legal-hold",
    # Conditional writes: https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes-enforce.html
    "if-match": "s3:if-match",
    "if-none-match": "s3:if-none-match",
}
_CREATE_BUCKET_KEYS: Mapping[str, str] = {
    **_ACL_KEYS,
    "x-amz-object-ownership": "s3:x-amz-object-ownership",
}
_LIST_KEYS = {"prefix": "s3:prefix", "delimiter": "s3:delimiter", "max-keys": "s3:max-keys"}
_BYPASS = "x-amz-bypass-governance-retention"
_COPY_SOURCE = "x-amz-copy-source"

_Extra = Callable[[_Sent], Iterator[S3Access]]
_PartNumber = Literal["refused", "allowed", "required"]


@dataclass(frozen=True, slots=True)
class _Op:
    name: str
    actions: tuple[str, ...]
    # The actions when versionId is sent; None: the operation takes no versionId.
    versioned: tuple[str, ...] | None = None
    part_number: _PartNumber = "refused"
    keys: Mapping[str, str] = field(default_factory=dict)  # header -> condition key
    # An s3:PutObject: s3:PutObject's header-borne condition keys apply, and the
    # tags and copy source it names.
    writes: bool = False
    listing: bool = False  # s3:prefix, s3:delimiter, s3:max-keys apply
    extra: _Extra | None = None

    @property
    def condition_headers(self) -> Mapping[str, str]:
        return _WRITE_KEYS if self.writes else self.keys


def _write_extras(sent: _Sent) -> Iterator[S3Access]:
    """What a PUT, copy or multipart start must also be allowed for what it sets."""
    headers = sent.headers
    if any(header in headers for header in _ACL_KEYS):  # x-amz-acl or a grant
        yield sent.access("s3:PutObjectAcl")
    if "x-amz-tagging" in headers:
        yield sent.access("s3:PutObjectTagging")
    # Not on the PutObject page: these headers set what PutObjectRetention and
    # PutObjectLegalHold set, so those are required too (the stricter reading).
    if "x-amz-object-lock-mode" in headers or "x-amz-object-lock-retain-until-date" in headers:
        yield sent.access("s3:PutObjectRetention")
    if "x-amz-object-lock-legal-hold" in headers:
        yield sent.access("s3:PutObjectLegalHold")


def _bypass_extras(sent: _Sent) -> Iterator[S3Access]:
    # Required whenever the header is sent, even as "false": moto bypasses
    # governance retention for any value it is given.
    if _BYPASS in sent.headers:
        yield sent.access("s3:BypassGovernanceRetention")


def _create_bucket_extras(sent: _Sent) -> Iterator[S3Access]:
    headers = sent.headers
    # "if you set the ACL to private, or if you don't specify any ACLs, only the
    # s3:CreateBucket permission is required" (API Reference, CreateBucket).
    acl = headers.get("x-amz-acl")
    grants = any(header in headers for header in _ACL_KEYS if header != "x-amz-acl")
    if grants or (acl is not None and acl.strip() != "private"):
        yield sent.access("s3:PutBucketAcl")
    if "x-amz-object-ownership" in headers:
        yield sent.access("s3:PutBucketOwnershipControls")
    if headers.get("x-amz-bucket-object-lock-enabled", "").strip().lower() == "true":
        yield sent.access("s3:PutBucketObjectLockConfiguration")
        yield sent.access("s3:PutBucketVersioning")


def _source_extras(sent: _Sent) -> Iterator[S3Access]:
    bucket, key, version = _copy_source(sent.headers[_COPY_SOURCE])
    # Reading the source is a GetObject, so a version is GetObjectVersion alone.
    action = "s3:GetObjectVersion" if version is not None else "s3:GetObject"
    yield _access(action, bucket, key, sent.headers.get("x-amz-source-expected-bucket-owner"))


def _copy_extras(sent: _Sent) -> Iterator[S3Access]:
    yield from _write_extras(sent)
    yield from _source_extras(sent)


def _delete_objects(sent: _Sent) -> Iterator[S3Access]:
    bypass = _BYPASS in sent.headers
    for key, version in _delete_objects_body(sent.body):
        # "you must always specify the s3:DeleteObject permission" (DeleteObjects).
        yield sent.access("s3:DeleteObject", key)
        if version is not None:
            yield sent.access("s3:DeleteObjectVersion", key)
        if bypass:
            yield sent.access("s3:BypassGovernanceRetention", key)


_LIST_BUCKETS = _Op("ListBuckets", ("s3:ListAllMyBuckets",))

# Bucket configuration: (subresource, method, operation, action), one action each.
_BUCKET_CONFIGURATION: tuple[tuple[str, str, str, str], ...] = (
    ("location", "GET", "GetBucketLocation", "s3:GetBucketLocation"),
    ("acl", "GET", "GetBucketAcl", "s3:GetBucketAcl"),
    ("policy", "GET", "GetBucketPolicy", "s3:GetBucketPolicy"),
    ("policy", "PUT", "PutBucketPolicy", "s3:PutBucketPolicy"),
    ("policy", "DELETE", "DeleteBucketPolicy", "s3:DeleteBucketPolicy"),
    ("policyStatus", "GET", "GetBucketPolicyStatus", "s3:GetBucketPolicyStatus"),
    ("ownershipControls", "GET", "GetBucketOwnershipControls", "s3:GetBucketOwnershipControls"),
    ("ownershipControls", "PUT", "PutBucketOwnershipControls", "s3:PutBucketOwnershipControls"),
    (
        "ownershipControls",
        "DELETE",
        "DeleteBucketOwnershipControls",
        "s3:PutBucketOwnershipControls",
    ),
    ("publicAccessBlock", "GET", "GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
    ("publicAccessBlock", "PUT", "PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
    ("publicAccessBlock", "DELETE", "DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
    ("encryption", "GET", "GetBucketEncryption", "s3:GetEncryptionConfiguration"),
    ("encryption", "PUT", "PutBucketEncryption", "s3:PutEncryptionConfiguration"),
    ("encryption", "DELETE", "DeleteBucketEncryption", "s3:PutEncryptionConfiguration"),
    ("tagging", "GET", "GetBucketTagging", "s3:GetBucketTagging"),
    ("tagging", "PUT", "PutBucketTagging", "s3:PutBucketTagging"),
    ("tagging", "DELETE", "DeleteBucketTagging", "s3:PutBucketTagging"),
    ("versioning", "GET", "GetBucketVersioning", "s3:GetBucketVersioning"),
    ("versioning", "PUT", "PutBucketVersioning", "s3:PutBucketVersioning"),
    ("cors", "GET", "GetBucketCors", "s3:GetBucketCORS"),
    ("cors", "PUT", "PutBucketCors", "s3:PutBucketCORS"),
    ("cors", "DELETE", "DeleteBucketCors", "s3:PutBucketCORS"),
    ("lifecycle", "GET", "GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"),
    ("lifecycle", "PUT", "PutBucketLifecycleConfiguration", "s3:PutLifecycleConfiguration"),
    ("lifecycle", "DELETE", "DeleteBucketLifecycle", "s3:PutLifecycleConfiguration"),
    ("website", "GET", "GetBucketWebsite", "s3:GetBucketWebsite"),
    ("website", "PUT", "PutBucketWebsite", "s3:PutBucketWebsite"),
    ("website", "DELETE", "DeleteBucketWebsite", "s3:DeleteBucketWebsite"),
    ("logging", "GET", "GetBucketLogging", "s3:GetBucketLogging"),
    ("logging", "PUT", "PutBucketLogging", "s3:PutBucketLogging"),
    ("notification", "GET", "GetBucketNotificationConfiguration", "s3:GetBucketNotification"),
    ("notification", "PUT", "PutBucketNotificationConfiguration", "s3:PutBucketNotification"),
    ("replication", "GET", "GetBucketReplication", "s3:GetReplicationConfiguration"),
    ("replication", "PUT", "PutBucketReplication", "s3:PutReplicationConfiguration"),
    ("replication", "DELETE", "DeleteBucketReplication", "s3:PutReplicationConfiguration"),
    ("object-lock", "GET", "GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"),
    ("object-lock", "PUT", "PutObjectLockConfiguration", "s3:PutBucketObjectLockConfiguration"),
    ("accelerate", "GET", "GetBucketAccelerateConfiguration", "s3:GetAccelerateConfiguration"),
    ("accelerate", "PUT", "PutBucketAccelerateConfiguration", "s3:PutAccelerateConfiguration"),
    ("inventory", "GET", "GetBucketInventoryConfiguration", "s3:GetInventoryConfiguration"),
    ("inventory", "PUT", "PutBucketInventoryConfiguration", "s3:PutInventoryConfiguration"),
)

# (subresource, method) -> operation, for a request naming a bucket and no key.
_BUCKET_OPS: Mapping[tuple[str | None, str], _Op] = {
    (None, "GET"): _Op("ListObjects", ("s3:ListBucket",), listing=True),
    ("list-type", "GET"): _Op("ListObjectsV2", ("s3:ListBucket",), listing=True),
    ("versions", "GET"): _Op("ListObjectVersions", ("s3:ListBucketVersions",), listing=True),
    ("uploads", "GET"): _Op("ListMultipartUploads", ("s3:ListBucketMultipartUploads",)),
    (None, "HEAD"): _Op("HeadBucket", ("s3:ListBucket",)),
    (None, "PUT"): _Op(
        "CreateBucket", ("s3:CreateBucket",), keys=_CREATE_BUCKET_KEYS, extra=_create_bucket_extras
    ),
    (None, "DELETE"): _Op("DeleteBucket", ("s3:DeleteBucket",)),
    ("delete", "POST"): _Op("DeleteObjects", (), extra=_delete_objects),
    ("acl", "PUT"): _Op("PutBucketAcl", ("s3:PutBucketAcl",), keys=_ACL_KEYS),
    **{(sub, method): _Op(name, (action,)) for sub, method, name, action in _BUCKET_CONFIGURATION},
}

_GET_OBJECT = ("s3:GetObject",)
_GET_VERSION = ("s3:GetObjectVersion",)

# (subresource, method) -> operation, for a request naming a key. ``versioned``
# follows the module notes: the version action alone only where S3 says so.
_OBJECT_OPS: Mapping[tuple[str | None, str], _Op] = {
    (None, "GET"): _Op("GetObject", _GET_OBJECT, _GET_VERSION, part_number="allowed"),
    (None, "HEAD"): _Op("HeadObject", _GET_OBJECT, _GET_VERSION, part_number="allowed"),
    (None, "PUT"): _Op("PutObject", ("s3:PutObject",), writes=True, extra=_write_extras),
    (None, "DELETE"): _Op(
        "DeleteObject",
        ("s3:DeleteObject",),
        ("s3:DeleteObject", "s3:DeleteObjectVersion"),
        extra=_bypass_extras,
    ),
    ("acl", "GET"): _Op(
        "GetObjectAcl", ("s3:GetObjectAcl",), ("s3:GetObjectAcl", "s3:GetObjectVersionAcl")
    ),
    ("acl", "PUT"): _Op(
        "PutObjectAcl",
        ("s3:PutObjectAcl",),
        ("s3:PutObjectAcl", "s3:PutObjectVersionAcl"),
        keys=_ACL_KEYS,
    ),
    ("tagging", "GET"): _Op(
        "GetObjectTagging",
        ("s3:GetObjectTagging",),
        ("s3:GetObjectTagging", "s3:GetObjectVersionTagging"),
    ),
    ("tagging", "PUT"): _Op(
        "PutObjectTagging",
        ("s3:PutObjectTagging",),
        ("s3:PutObjectTagging", "s3:PutObjectVersionTagging"),
    ),
    ("tagging", "DELETE"): _Op(
        "DeleteObjectTagging",
        ("s3:DeleteObjectTagging",),
        ("s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging"),
    ),
    ("retention", "PUT"): _Op(
        "PutObjectRetention",
        ("s3:PutObjectRetention",),
        ("s3:PutObjectRetention",),
        extra=_bypass_extras,
    ),
    ("legal-hold", "GET"): _Op(
        "GetObjectLegalHold", ("s3:GetObjectLegalHold",), ("s3:GetObjectLegalHold",)
    ),
    ("legal-hold", "PUT"): _Op(
        "PutObjectLegalHold", ("s3:PutObjectLegalHold",), ("s3:PutObjectLegalHold",)
    ),
    ("attributes", "GET"): _Op(
        "GetObjectAttributes",
        ("s3:GetObject", "s3:GetObjectAttributes"),
        ("s3:GetObjectVersion", "s3:GetObjectVersionAttributes"),
    ),
    ("restore", "POST"): _Op("RestoreObject", ("s3:RestoreObject",), ("s3:RestoreObject",)),
    ("select", "POST"): _Op("SelectObjectContent", _GET_OBJECT),
    ("uploads", "POST"): _Op(
        "CreateMultipartUpload", ("s3:PutObject",), writes=True, extra=_write_extras
    ),
    ("uploadId", "PUT"): _Op("UploadPart", ("s3:PutObject",), part_number="required", writes=True),
    ("uploadId", "POST"): _Op("CompleteMultipartUpload", ("s3:PutObject",), writes=True),
    ("uploadId", "DELETE"): _Op("AbortMultipartUpload", ("s3:AbortMultipartUpload",)),
    ("uploadId", "GET"): _Op("ListParts", ("s3:ListMultipartUploadParts",)),
}

# A PUT carrying x-amz-copy-source copies instead of uploading.
_COPIES: Mapping[str, _Op] = {
    "PutObject": _Op("CopyObject", ("s3:PutObject",), writes=True, extra=_copy_extras),
    "UploadPart": _Op(
        "UploadPartCopy",
        ("s3:PutObject",),
        part_number="required",
        writes=True,
        extra=_source_extras,
    ),
}

_BUCKET_SUBRESOURCES = frozenset(sub for sub, _ in _BUCKET_OPS if sub is not None)
_OBJECT_SUBRESOURCES = frozenset(sub for sub, _ in _OBJECT_OPS if sub is not None)
# Subresources whose value matters; the others are a name alone (?acl, ?tagging).
_REQUIRED_VALUES = {"list-type": "2"}
_NON_EMPTY = frozenset({"uploadId", "versionId"})


# --- resolving a request -----------------------------------------------------


def s3_request(
    method: str,
    bucket: str | None,
    key: str | None,
    query: Mapping[str, Sequence[str]],
    headers: Mapping[str, str],
    body: bytes = b"",
) -> S3Request:
    """The operation a request is, the accesses it needs and its condition keys.

    ``query`` maps each parameter to its values (``urllib.parse.parse_qs`` with
    ``keep_blank_values=True``); header names may be in any case. Never raises:
    a request it cannot map with certainty fails closed (see the module notes).
    """
    try:
        sent = _sent(method, bucket, key, query, headers, body)
        op = _operation(sent)
        accesses = _accesses(op, sent)
        return S3Request(op.name, accesses, _context(op, sent))
    except _Unrecognised:
        return _REFUSED


def _operation(sent: _Sent) -> _Op:
    if sent.bucket is None:
        if sent.method != "GET" or not set(sent.params) <= _SERVICE_PARAMS:
            raise _Unrecognised("not ListBuckets")
        return _LIST_BUCKETS
    if sent.key is None:
        op = _lookup(_BUCKET_OPS, _BUCKET_SUBRESOURCES, _BUCKET_PARAMS, sent)
    else:
        op = _lookup(_OBJECT_OPS, _OBJECT_SUBRESOURCES, _OBJECT_PARAMS, sent)
        if sent.method == "PUT" and _COPY_SOURCE in sent.headers:
            op = _COPIES.get(op.name, op)
    _check_modifiers(op, sent)
    return op


def _lookup(
    table: Mapping[tuple[str | None, str], _Op],
    subresources: frozenset[str],
    modifiers: frozenset[str],
    sent: _Sent,
) -> _Op:
    named = [name for name in sent.params if name in subresources]
    unknown = [name for name in sent.params if name not in subresources | modifiers]
    if unknown or len(named) > 1:
        # An unknown parameter may be a subresource the emulator acts on, and the
        # emulator picks between two subresources in its own order.
        raise _Unrecognised(f"parameters {unknown or named}")
    subresource = named[0] if named else None
    if subresource is not None:
        _check_value(subresource, sent.params[subresource])
    op = table.get((subresource, sent.method))
    if op is None:
        raise _Unrecognised(f"{sent.method} {subresource}")
    if op.name == "SelectObjectContent" and sent.params.get("select-type") != "2":
        raise _Unrecognised("select without select-type=2")
    return op


def _check_value(name: str, value: str) -> None:
    if name in _REQUIRED_VALUES and value != _REQUIRED_VALUES[name]:
        raise _Unrecognised(f"{name}={value}")
    if name in _NON_EMPTY and not value:
        # An empty value names no upload or version: S3 refuses it, and an emulator
        # testing it for truth would take the request for another operation.
        raise _Unrecognised(f"empty {name}")


def _check_modifiers(op: _Op, sent: _Sent) -> None:
    version = sent.version_id
    if version is not None:
        _check_value("versionId", version)  # S3: "Version id cannot be the empty string"
        if op.versioned is None:
            raise _Unrecognised(f"{op.name} takes no versionId")
    part = sent.params.get("partNumber")
    if part is None and op.part_number == "required":
        raise _Unrecognised(f"{op.name} without partNumber")
    if part is not None and (op.part_number == "refused" or not _valid_part(part)):
        raise _Unrecognised(f"partNumber={part}")


def _valid_part(text: str) -> bool:
    return re.fullmatch(r"[0-9]{1,5}", text) is not None and 1 <= int(text) <= 10000


def _accesses(op: _Op, sent: _Sent) -> tuple[S3Access, ...]:
    if op is _LIST_BUCKETS:
        return (S3Access("s3:ListAllMyBuckets", "*", None, None),)
    actions = op.versioned if sent.version_id is not None and op.versioned else op.actions
    accesses = [sent.access(action) for action in actions]
    if op.extra is not None:
        accesses.extend(op.extra(sent))
    if not accesses:
        raise _Unrecognised("no access")
    return tuple(dict.fromkeys(accesses))  # one of each, in order


def _context(op: _Op, sent: _Sent) -> dict[str, str]:
    context = dict(sent.auth)
    for header, condition_key in op.condition_headers.items():
        if header in sent.headers:
            context[condition_key] = sent.headers[header]
    if op.listing:
        for param, condition_key in _LIST_KEYS.items():
            if param in sent.params:
                context[condition_key] = sent.params[param]
    if sent.version_id is not None:
        context["s3:VersionId"] = sent.version_id
    if op.writes:
        context.update(_tag_context(sent.headers))
        context.update(_copy_context(sent.headers))
    if op.name == "CreateBucket":
        context.update(_location_context(sent.body))
    return context


def _tag_context(headers: Mapping[str, str]) -> dict[str, str]:
    if "x-amz-tagging" not in headers:
        return {}
    try:  # x-amz-tagging is URL-query encoded: a=1&b=2
        pairs = parse_qsl(headers["x-amz-tagging"], keep_blank_values=True, strict_parsing=True)
    except ValueError as malformed:
        raise _Unrecognised("x-amz-tagging") from malformed
    tags = {f"s3:RequestObjectTag/{name}": value for name, value in pairs}
    if len(tags) != len(pairs):
        raise _Unrecognised("a tag named twice")
    return tags


def _copy_context(headers: Mapping[str, str]) -> dict[str, str]:
    if _COPY_SOURCE not in headers:
        return {}
    # Decoded and without a leading slash, so no spelling of a source slips past
    # a pattern such as "bucket/private/*".
    bucket, key, _ = _copy_source(headers[_COPY_SOURCE])
    return {"s3:x-amz-copy-source": f"{bucket}/{key}"}


def _location_context(body: bytes) -> dict[str, str]:
    if not body.strip():
        return {}
    root = _xml(body, "CreateBucketConfiguration")
    for child in root:
        if _local(child.tag) == "LocationConstraint" and child.text:
            return {"s3:locationconstraint": child.text}
    return {}


# --- copy sources and DeleteObjects bodies -----------------------------------

# Characters a copy source must send encoded: the emulator's urlparse would cut
# the source at '#' or ';' and drop tabs, so it would copy another object.
_UNSAFE_IN_COPY_SOURCE = re.compile(r"[#;\s\x00-\x1f\x7f]")


def _copy_source(header: str) -> tuple[str, str, str | None]:
    """(bucket, key, versionId) of an ``x-amz-copy-source``, percent-encoded as
    ``bucket/key`` or ``/bucket/key`` with an optional ``?versionId=``. Raises
    ``_Unrecognised`` (caught by ``s3_request``) for anything else, an
    access-point ARN included."""
    if _UNSAFE_IN_COPY_SOURCE.search(header):
        raise _Unrecognised("copy source with raw separators")
    path, question, query = header.partition("?")
    version = _source_version(query) if question else None
    path = path[1:] if path.startswith("/") else path
    raw_bucket, slash, raw_key = path.partition("/")
    bucket, key = _decode(raw_bucket), _decode(raw_key)
    if not slash or not _valid_bucket(bucket) or not _valid_key(key):
        raise _Unrecognised("copy source")
    return bucket, key, version


def _source_version(query: str) -> str:
    name, equals, version = query.partition("=")
    if name != "versionId" or not equals or not version or "&" in version:
        raise _Unrecognised("copy source query")
    return version


_DELETE_FIELDS = frozenset({"Key", "VersionId", "ETag", "LastModifiedTime", "Size"})


def _delete_objects_body(body: bytes) -> list[tuple[str, str | None]]:
    """(key, versionId) for each object a DeleteObjects body names. Raises
    ``_Unrecognised`` (caught by ``s3_request``) for a body S3 would call
    MalformedXML, one naming no object or more than ``MAX_DELETE_KEYS``, or one
    with an element this module does not know."""
    root = _xml(body, "Delete")
    objects = []
    for child in root:
        name = _local(child.tag)
        if name == "Object":
            objects.append(_deleted_object(child))
        elif name != "Quiet":
            raise _Unrecognised(f"<{name}> in Delete")
    if not 1 <= len(objects) <= MAX_DELETE_KEYS:
        raise _Unrecognised(f"{len(objects)} objects to delete")
    return objects


def _deleted_object(element: ET.Element) -> tuple[str, str | None]:
    fields: dict[str, str] = {}
    for child in element:
        name = _local(child.tag)
        if name not in _DELETE_FIELDS or name in fields or len(child):
            raise _Unrecognised(f"<{name}> in Object")
        fields[name] = child.text or ""
    key, version = fields.get("Key", ""), fields.get("VersionId")
    if not _valid_key(key) or version == "":
        raise _Unrecognised("Object without a key, or with an empty version")
    return key, version


def _xml(body: bytes, root_name: str) -> ET.Element:
    try:
        # A DTD could declare entities; S3's bodies never carry one.
        if "<!DOCTYPE" in body.decode("utf-8"):
            raise _Unrecognised("a DTD")
        root = ET.fromstring(body)
    except (ET.ParseError, ValueError, LookupError) as malformed:
        raise _Unrecognised("malformed XML") from malformed
    if _local(root.tag) != root_name:
        raise _Unrecognised(f"<{root.tag}> for <{root_name}>")
    return root


def _local(tag: object) -> str:
    # The emulator reads elements by local name whatever their namespace, so
    # namespaced and plain elements count alike here too.
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""
