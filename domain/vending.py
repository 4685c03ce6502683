"""Vended credentials (contract §10): what a request for them may ask, and the
inline session policy that confines them to one connector's bucket and prefix."""

from __future__ import annotations

import enum
import json
import re
import unicodedata
from dataclasses import dataclass
from uuid import UUID

from domain.account_id import AccountId
from domain.aws_setup import JsonObject
from domain.errors import InvalidField
from domain.identity import OrgId
from domain.s3_uri import BucketName
from domain.unsafe_text import RULE, unsafe_character

MAX_VEND_PREFIX = 512
# AWS caps a role session assumed with role chaining at one hour; 900 is STS's minimum.
MIN_DURATION_SECONDS, MAX_DURATION_SECONDS = 900, 3600
DEFAULT_DURATION_SECONDS = MAX_DURATION_SECONDS
# STS AssumeRole, Policy: "The plaintext that you use for both inline and managed
# session policies can't exceed 2,048 characters"
# (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
MAX_SESSION_POLICY_CHARACTERS = 2048
# Without this version IAM reads ${...} as literal text, not as policy variables
# (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
POLICY_VERSION = "2012-10-17"
SESSION_NAME_PREFIX = "bucketlink-org-"
CONNECTOR_ID_HEX_IN_SESSION_NAME = 12


class VendAccess(enum.StrEnum):
    READ = "read"
    READ_WRITE = "read_write"


_READ_OBJECTS = ("s3:GetObject", "s3:GetObjectVersion")
_OBJECT_ACTIONS = {
    VendAccess.READ: _READ_OBJECTS,
    VendAccess.READ_WRITE: (
        *_READ_OBJECTS,
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts",
    ),
}
_LIST_ACTIONS = {
    VendAccess.READ: ("s3:ListBucket",),
    VendAccess.READ_WRITE: ("s3:ListBucket", "s3:ListBucketMultipartUploads"),
}
_KEY_ACTIONS = {
    VendAccess.READ: ("kms:Decrypt",),
    VendAccess.READ_WRITE: ("kms:Decrypt", "kms:GenerateDataKey"),
}
_OBJECTS_SID = {
    VendAccess.READ: "ReadObjectsUnderPrefix",
    VendAccess.READ_WRITE: "ReadWriteObjectsUnderPrefix",
}
LIST_SID = "ListKeysUnderPrefix"
LOCATION_SID = "GetBucketRegion"
KEY_SID = "UseBucketKeyThroughS3"

# In a policy these are wildcards (* and ?) or begin a variable ($); written as
# the variables ${*}, ${?} and ${$} they are the characters themselves.
_IAM_SPECIAL = frozenset("*?$")
_REGION = re.compile(r"[a-z]{2}(?:-[a-z]+)+-[0-9]+")
_KEY_ARN = re.compile(
    r"arn:aws:kms:(?P<region>[a-z0-9-]+):(?P<account>[0-9]{12}):key/[A-Za-z0-9-]+"
)


def _prefix_problem(value: object) -> str | None:
    if not isinstance(value, str):
        return "must be a string"
    if len(value) > MAX_VEND_PREFIX:
        return f"must be at most {MAX_VEND_PREFIX} characters"
    if value.startswith("/"):
        return "must not start with '/': it is relative to the connector's prefix"
    if ".." in value.split("/"):
        return "must not contain a '..' path segment"
    if unsafe_character(value) is not None:
        return RULE
    if any(unicodedata.category(c) == "Cs" for c in value):
        # Only reachable in process (JSON decoding refuses them): S3 keys are
        # UTF-8, which cannot hold an unpaired surrogate.
        return "must be valid Unicode text (no unpaired surrogates)"
    return None


@dataclass(frozen=True, slots=True)
class VendPrefix:
    """The request's ``prefix``: a sub-prefix inside the connector's prefix,
    relative to it; "" is the connector's whole prefix."""

    value: str = ""

    def __post_init__(self) -> None:
        problem = _prefix_problem(self.value)
        if problem is not None:
            raise InvalidField("prefix", problem)


@dataclass(frozen=True, slots=True)
class VendDuration:
    seconds: int = DEFAULT_DURATION_SECONDS

    def __post_init__(self) -> None:
        if (
            isinstance(self.seconds, bool)
            or not isinstance(self.seconds, int)
            or not MIN_DURATION_SECONDS <= self.seconds <= MAX_DURATION_SECONDS
        ):
            raise InvalidField(
                "duration_seconds",
                f"must be an integer from {MIN_DURATION_SECONDS} to {MAX_DURATION_SECONDS} "
                "(AWS caps a chained role session at one hour)",
            )


@dataclass(frozen=True, slots=True)
class VendRequest:
    access: VendAccess = VendAccess.READ
    prefix: VendPrefix = VendPrefix()
    duration: VendDuration = VendDuration()


def key_prefix(connector_prefix: str, sub: VendPrefix) -> str:
    """The full key prefix the credentials reach: the connector's prefix (as
    ``S3Uri.prefix`` gives it) followed by the sub-prefix. S3 prefixes are text,
    not folders: after a connector prefix without a trailing "/" the sub-prefix
    continues the same key, so the result always lies inside the connector's."""
    return connector_prefix + sub.value


def _literal(text: str) -> str:
    return "".join(f"${{{c}}}" if c in _IAM_SPECIAL else c for c in text)


def _owned_by(owner: AccountId) -> JsonObject:
    # The bucket owner checked at registration, on every call: a bucket of the
    # same name deleted and recreated in another account is out of reach
    # (https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html).
    return {"StringEquals": {"s3:ResourceAccount": owner.value}}


def _listing_condition(owner: AccountId, literal_prefix: str) -> JsonObject:
    condition = _owned_by(owner)
    # S3 sets s3:prefix only when the request sends a prefix, and a StringLike on
    # an absent key fails: "*" would refuse a plain listing of a bucket the
    # credentials reach whole. With no prefix there is nothing to confine.
    if literal_prefix:
        condition["StringLike"] = {"s3:prefix": f"{literal_prefix}*"}
    return condition


def session_policy(
    bucket: BucketName,
    owner: AccountId,
    prefix: str,
    access: VendAccess,
    *,
    kms_key_arn: str | None = None,
    region: str | None = None,
) -> JsonObject:
    """The inline session policy of contract §10: ``access`` to the keys of
    ``bucket`` that start with ``prefix`` (the full key prefix, ``key_prefix``),
    only while ``owner`` owns the bucket; with ``kms_key_arn`` (the bucket's
    SSE-KMS key, a key ARN), that key's use by S3 in ``region``."""
    literal = _literal(prefix)
    statements: list[JsonObject] = [
        {
            "Sid": _OBJECTS_SID[access],
            "Effect": "Allow",
            "Action": list(_OBJECT_ACTIONS[access]),
            "Resource": f"{bucket.arn}/{literal}*",
            "Condition": _owned_by(owner),
        },
        {
            "Sid": LIST_SID,
            "Effect": "Allow",
            "Action": list(_LIST_ACTIONS[access]),
            "Resource": bucket.arn,
            "Condition": _listing_condition(owner, literal),
        },
        {
            "Sid": LOCATION_SID,
            "Effect": "Allow",
            "Action": ["s3:GetBucketLocation"],
            "Resource": bucket.arn,
            "Condition": _owned_by(owner),
        },
    ]
    if kms_key_arn is not None:
        statements.append(_key_statement(kms_key_arn, region, access))
    return {"Version": POLICY_VERSION, "Statement": statements}


def _key_statement(key_arn: str, region: str | None, access: VendAccess) -> JsonObject:
    if region is None:
        raise ValueError("a KMS key needs the bucket's region, for kms:ViaService")
    if not _REGION.fullmatch(region):
        raise ValueError(f"not an AWS region: {region!r}")
    parsed = _KEY_ARN.fullmatch(key_arn)
    if parsed is None:
        # An IAM policy names a KMS key by its key ARN only: an alias, an alias
        # ARN or a bare key id there matches no Decrypt or GenerateDataKey.
        raise ValueError(f"not a KMS key ARN, arn:aws:kms:<region>:<account>:key/<id>: {key_arn!r}")
    if parsed["region"] != region:
        raise ValueError(f"S3 uses only a KMS key of the bucket's region {region}: {key_arn!r}")
    # No s3:ResourceAccount here: S3 makes this call to KMS, whose request holds
    # no s3: keys, and a StringEquals on an absent key never holds; every read
    # of an SSE-KMS object would fail. The owner pin is the Resource itself: a
    # key ARN names its account and a key id no other key ever has.
    return {
        "Sid": KEY_SID,
        "Effect": "Allow",
        "Action": list(_KEY_ACTIONS[access]),
        "Resource": key_arn,
        "Condition": {"StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"}},
    }


def packed(policy: JsonObject) -> str:
    """The policy as sent to STS: compact JSON within STS's length limit."""
    # ASCII only: STS takes tab, LF, CR and U+0020-U+00FF in a policy, so every
    # other character must go as a JSON \u escape. Then characters, bytes and
    # UTF-16 units are one count, however AWS counts.
    text = json.dumps(policy, separators=(",", ":"), ensure_ascii=True)
    if len(text) > MAX_SESSION_POLICY_CHARACTERS:
        raise InvalidField(
            "prefix",
            f"makes the session policy {len(text)} characters long, and AWS allows at most "
            f"{MAX_SESSION_POLICY_CHARACTERS}: choose a shorter prefix (the policy holds it "
            "twice, and writes each '*', '?' or '$' as 4 characters and each one outside "
            "ASCII as 6 or 12)",
        )
    return text


def session_name(org: OrgId, connector_id: UUID) -> str:
    """The ``RoleSessionName``, which the customer's CloudTrail shows: the
    organisation and the connector that acted."""
    # STS allows 2-64 of [\w+=,.@-]: at most 15 + 19 (MAX_ORG_ID) + 1 + 12 = 47.
    hex_id = connector_id.hex[:CONNECTOR_ID_HEX_IN_SESSION_NAME]
    return f"{SESSION_NAME_PREFIX}{org.value}-{hex_id}"
