"""The vended credentials' session policy (domain/vending.py) as IAM evaluates it
(adapters/aws_models/authorization.py): a session of a role that may do anything
in S3 and KMS, limited by that policy alone, as STS receives it (``packed``).

The attack this stops is the Polaris CVE-2026-42810 kind: a prefix written into
a policy unescaped, whose ``*`` became a wildcard and let a table's credentials
reach other tables' keys. Written as the policy variables ``${*}``, ``${?}`` and
``${$}``, those characters are themselves (POLICY_VARIABLES).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from hypothesis import assume, example, given
from hypothesis import strategies as st

from adapters.aws_models.authorization import Caller, authorize
from domain.account_id import AccountId
from domain.errors import InvalidField
from domain.identity import OrgId
from domain.s3_uri import BucketName
from domain.vending import VendAccess, VendPrefix, key_prefix, packed, session_name, session_policy

_GUIDE = "https://docs.aws.amazon.com/IAM/latest/UserGuide"
POLICY_VARIABLES = f"{_GUIDE}/reference_policies_variables.html#policy-vars-specialchars"
SESSION_POLICIES = f"{_GUIDE}/access_policies.html#policies_session"
# s3:ResourceAccount and s3:prefix.
S3_CONDITION_KEYS = (
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html"
)
# Which keys each S3 action's request holds (ListBucketMultipartUploads: no s3:prefix).
S3_ACTIONS = "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html"
KMS_VIA_SERVICE = (
    "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html"
    "#conditions-kms-via-service"
)

OWNER = "111122223333"
OTHER = "444455556666"
ROLE_ARN = f"arn:aws:iam::{OWNER}:role/bucketlink-access"
BUCKET = BucketName("customer-data")
OBJECTS = f"{BUCKET.arn}/"
REGION = "eu-west-1"
KEY = f"arn:aws:kms:{REGION}:{OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
OTHER_KEY = f"arn:aws:kms:{REGION}:{OWNER}:key/0000abcd-12ab-34cd-56ef-1234567890ab"
VIA_S3 = {"kms:ViaService": f"s3.{REGION}.amazonaws.com"}
CONNECTOR = UUID("5f0c8a52-3b4e-4f7a-9a61-0d2b7c9e1a33")

# What the role itself may do: everything the session policy could name.
ANYTHING = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:*", "kms:*"], "Resource": "*"}],
}
# The policy of a bucket by the same name in another account, letting everyone in.
EVERYONE = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [BUCKET.arn, f"{BUCKET.arn}/*"],
        }
    ],
}
READS = ("s3:GetObject", "s3:GetObjectVersion")
WRITES = (
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:AbortMultipartUpload",
    "s3:ListMultipartUploadParts",
)


def credentials(prefix: str, access: VendAccess = VendAccess.READ, *, kms: bool = False) -> Caller:
    """The vended session: the role's grant, limited by the session policy."""
    policy = session_policy(
        BUCKET,
        AccountId(OWNER),
        prefix,
        access,
        kms_key_arn=KEY if kms else None,
        region=REGION if kms else None,
    )
    return limited_by(json.loads(packed(policy)))


def limited_by(policy: Mapping[str, Any]) -> Caller:
    return Caller.session(
        ROLE_ARN,
        session_name(OrgId(7), CONNECTOR),
        role_id="AROADBQP57FF2AEXAMPLE",
        policies=(ANYTHING,),
        session_policies=(policy,),
    )


def may(caller: Caller, action: str, resource: str, **keys: str) -> bool:
    """May ``caller`` act on the customer's bucket, owned by OWNER?"""
    context = {"s3:ResourceAccount": OWNER, **keys}
    return authorize(caller, action, resource, context).allowed


def may_elsewhere(caller: Caller, action: str, resource: str, **keys: str) -> bool:
    """May ``caller`` act on a bucket of that name that OTHER now owns, whose
    policy lets everyone in?"""
    context = {"s3:ResourceAccount": OTHER, **keys}
    return authorize(
        caller, action, resource, context, resource_policy=EVERYONE, resource_account=OTHER
    ).allowed


def may_list(caller: Caller, sent: str | None) -> bool:
    """ListObjectsV2, with ``prefix=sent`` (None: no prefix parameter, and then
    S3 sets no s3:prefix)."""
    keys = {} if sent is None else {"s3:prefix": sent}
    return may(caller, "s3:ListBucket", BUCKET.arn, **keys)


# ---------------------------------------------------------------- prefixes

# What a policy reads specially, and text beyond ASCII.
SPECIAL = ["*", "?", "$", "${", "}", "${*}", "${aws:userid}", "/", "é", "€", "\U0001f600"]
texts = st.lists(st.sampled_from(SPECIAL) | st.text(max_size=3), max_size=6).map("".join)


def valid_sub(text: str) -> bool:
    try:
        VendPrefix(text)
    except InvalidField:
        return False
    return True


# The full key prefix: a connector's prefix (S3Uri keeps it as given) and a sub-prefix.
prefixes = st.builds(
    lambda connector, sub: key_prefix(connector, VendPrefix(sub)),
    texts.filter(lambda t: "?" not in t),  # S3Uri refuses '?'
    texts.filter(valid_sub),
)
nonempty_prefixes = prefixes.filter(bool)
accesses = st.sampled_from(VendAccess)


# ---------------------------------------------------------------- objects


@given(prefixes, texts, accesses)
def test_the_credentials_read_every_key_under_the_prefix(
    prefix: str, rest: str, access: VendAccess
) -> None:
    caller = credentials(prefix, access)
    assert all(may(caller, action, OBJECTS + prefix + rest) for action in READS)


@given(prefixes, texts)
@example("a*/", "ab/x")
@example("a*/", "a/x")
@example("a?/", "ab/x")
@example("a$/", "ab/x")
@example("${aws:userid}/", f"AROADBQP57FF2AEXAMPLE:{session_name(OrgId(7), CONNECTOR)}/x")
@example("${aws:userid}/", "${aws:userid}/x")
def test_a_key_is_read_exactly_when_it_starts_with_the_literal_prefix(
    prefix: str, key: str
) -> None:
    """POLICY_VARIABLES: ``${*}``, ``${?}`` and ``${$}`` are the characters
    themselves; a bare ``*`` would match anything, and ``${aws:userid}`` would
    be the session's own id."""
    assert may(credentials(prefix), "s3:GetObject", OBJECTS + key) is key.startswith(prefix)


@given(st.data())
def test_a_special_character_of_the_prefix_stands_for_itself_only(data: st.DataObject) -> None:
    """The CVE-2026-42810 attack: another table's key, where the prefix's ``*``
    (or ``?``, or ``$``) is some other text, is refused."""
    prefix = data.draw(prefixes)
    special = [i for i, c in enumerate(prefix) if c in "*?$"]
    assume(special)
    at = data.draw(st.sampled_from(special))
    # Any other text: at least one character (or what follows could put the
    # special one back), and not the special one itself.
    other = data.draw(texts.filter(lambda t: t[:1] not in ("", prefix[at])))
    key = prefix[:at] + other + prefix[at + 1 :] + data.draw(texts)
    assert not may(credentials(prefix), "s3:GetObject", OBJECTS + key)


@given(prefixes, texts)
def test_read_credentials_cannot_write_and_read_write_ones_can(prefix: str, rest: str) -> None:
    key = OBJECTS + prefix + rest
    read, read_write = credentials(prefix), credentials(prefix, VendAccess.READ_WRITE)
    assert not any(may(read, action, key) for action in WRITES)
    assert all(may(read_write, action, key) for action in (*READS, *WRITES))


@given(nonempty_prefixes, texts, accesses)
def test_nothing_outside_the_prefix_or_the_grant_is_allowed(
    prefix: str, key: str, access: VendAccess
) -> None:
    assume(not key.startswith(prefix))
    caller = credentials(prefix, access)
    assert not any(may(caller, action, OBJECTS + key) for action in (*READS, *WRITES))
    inside = OBJECTS + prefix + key
    for action in ("s3:PutObjectAcl", "s3:DeleteObjectVersion", "s3:GetObjectAcl"):
        assert not may(caller, action, inside)
    assert not may(caller, "s3:GetObject", f"arn:aws:s3:::other-bucket/{prefix}{key}")
    assert not may(caller, "s3:PutBucketPolicy", BUCKET.arn)


# ---------------------------------------------------------------- listing


@given(nonempty_prefixes, texts, accesses)
@example("a*/", "ab/", VendAccess.READ)
@example("a?/", "ab/", VendAccess.READ)
def test_a_listing_is_allowed_exactly_when_its_prefix_starts_with_the_prefix(
    prefix: str, sent: str, access: VendAccess
) -> None:
    """S3_CONDITION_KEYS, s3:prefix: the ``prefix`` parameter of the listing."""
    caller = credentials(prefix, access)
    assert may_list(caller, prefix + sent)
    assert may_list(caller, sent) is sent.startswith(prefix)


@given(nonempty_prefixes)
def test_a_listing_without_a_prefix_is_refused_under_a_prefix(prefix: str) -> None:
    """A StringLike on s3:prefix fails when the request has none (S3_CONDITION_KEYS)."""
    assert not may_list(credentials(prefix), None)


@given(texts)
def test_the_whole_bucket_lists_with_any_prefix_or_none(sent: str) -> None:
    caller = credentials("")
    assert may_list(caller, sent)
    assert may_list(caller, None)


@given(prefixes)
def test_the_bucket_region_may_be_asked(prefix: str) -> None:
    assert may(credentials(prefix), "s3:GetBucketLocation", BUCKET.arn)


def test_uploads_in_progress_are_listed_only_for_the_whole_bucket() -> None:
    """S3_ACTIONS: ListBucketMultipartUploads has no s3:prefix key, so under a
    prefix the contract's StringLike on it never holds; for the whole bucket
    there is no such condition."""
    action = "s3:ListBucketMultipartUploads"
    assert may(credentials("", VendAccess.READ_WRITE), action, BUCKET.arn)
    assert not may(credentials("exports/", VendAccess.READ_WRITE), action, BUCKET.arn)
    assert not may(credentials("", VendAccess.READ), action, BUCKET.arn)


# ---------------------------------------------------------------- the bucket owner


def granted(prefix: str) -> list[tuple[str, str, dict[str, str]]]:
    """Every action read_write credentials have on the bucket, with a request
    that would be allowed while OWNER owns it."""
    return [
        *((action, OBJECTS + prefix + "k", {}) for action in (*READS, *WRITES)),
        ("s3:ListBucket", BUCKET.arn, {"s3:prefix": prefix}),
        ("s3:GetBucketLocation", BUCKET.arn, {}),
    ]


@given(prefixes)
def test_the_same_bucket_name_in_another_account_is_refused_whatever_its_policy(
    prefix: str,
) -> None:
    """S3_CONDITION_KEYS, s3:ResourceAccount: the bucket deleted and made again by
    another account, with a policy letting everyone in, is out of reach."""
    caller = credentials(prefix, VendAccess.READ_WRITE)
    for action, resource, keys in granted(prefix):
        assert may(caller, action, resource, **keys)
        assert not may_elsewhere(caller, action, resource, **keys)


def test_without_the_owner_pin_that_bucket_would_be_reached() -> None:
    """The pin is what refuses it: the same policy without s3:ResourceAccount
    lets the credentials in."""
    policy = session_policy(BUCKET, AccountId(OWNER), "exports/", VendAccess.READ_WRITE)
    for statement in policy["Statement"]:
        statement["Condition"].pop("StringEquals")
    unpinned = limited_by(policy)
    for action, resource, keys in granted("exports/"):
        assert may_elsewhere(unpinned, action, resource, **keys)


# ---------------------------------------------------------------- the bucket's KMS key


def may_use_key(caller: Caller, action: str, key: str = KEY, **keys: str) -> bool:
    # S3's request to KMS holds no s3: keys, s3:ResourceAccount among them.
    return authorize(caller, action, key, keys).allowed


def test_s3_may_use_the_buckets_key_for_the_credentials() -> None:
    """KMS_VIA_SERVICE: kms:ViaService names the service calling KMS for the caller."""
    read = credentials("exports/", kms=True)
    read_write = credentials("exports/", VendAccess.READ_WRITE, kms=True)
    assert may_use_key(read, "kms:Decrypt", **VIA_S3)
    assert not may_use_key(read, "kms:GenerateDataKey", **VIA_S3)
    assert may_use_key(read_write, "kms:Decrypt", **VIA_S3)
    assert may_use_key(read_write, "kms:GenerateDataKey", **VIA_S3)


def test_the_key_is_usable_only_through_s3_in_the_buckets_region_and_no_other_key() -> None:
    caller = credentials("exports/", VendAccess.READ_WRITE, kms=True)
    for action in ("kms:Decrypt", "kms:GenerateDataKey"):
        assert not may_use_key(caller, action)  # called directly
        assert not may_use_key(caller, action, **{"kms:ViaService": "s3.us-east-1.amazonaws.com"})
        assert not may_use_key(caller, action, **{"kms:ViaService": "ec2.eu-west-1.amazonaws.com"})
        assert not may_use_key(caller, action, OTHER_KEY, **VIA_S3)
    assert not may_use_key(caller, "kms:Encrypt", **VIA_S3)
    assert not may_use_key(caller, "kms:ReEncryptFrom", **VIA_S3)


def test_without_an_sse_kms_key_no_key_is_usable() -> None:
    caller = credentials("exports/", VendAccess.READ_WRITE)
    assert not may_use_key(caller, "kms:Decrypt", **VIA_S3)
