"""Vended credentials (contract §10): what a request may ask for, and the session
policy the credentials are confined by, as documents.

How IAM evaluates that policy is tests/aws/test_vending_policy_evaluated.py.
"""

from __future__ import annotations

import json
import re
import string
import unicodedata
from typing import Any
from uuid import UUID

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from domain.account_id import AccountId
from domain.errors import InvalidField
from domain.identity import MAX_ORG_ID, OrgId
from domain.s3_uri import BucketName
from domain.unsafe_text import BIDI_CONTROLS
from domain.vending import (
    VendAccess,
    VendDuration,
    VendPrefix,
    VendRequest,
    key_prefix,
    packed,
    session_name,
    session_policy,
)

from .strategies import account_ids, bucket_names, org_ids, unsafe_chars

# https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html, Policy:
# "can't exceed 2,048 characters", each in [\u0009\u000A\u000D\u0020-\u00FF].
STS_POLICY_LIMIT = 2048
STS_POLICY_CHARACTERS = re.compile("[\t\n\r\x20-\xff]+")
# The same page, RoleSessionName: 2-64 of [\w+=,.@-], \w being Java's (ASCII).
STS_SESSION_NAME = re.compile(r"[A-Za-z0-9_+=,.@-]{2,64}")

BUCKET = BucketName("customer-data")
OWNER = AccountId("111122223333")
REGION = "eu-west-1"
KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
READ_ACTIONS = ["s3:GetObject", "s3:GetObjectVersion"]
WRITE_ACTIONS = [
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:AbortMultipartUpload",
    "s3:ListMultipartUploadParts",
]
OWNED = {"StringEquals": {"s3:ResourceAccount": "111122223333"}}


def policy(
    prefix: str, access: VendAccess, *, kms_key_arn: str | None = None, region: str | None = None
) -> dict[str, Any]:
    return session_policy(BUCKET, OWNER, prefix, access, kms_key_arn=kms_key_arn, region=region)


def document(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def statement(sid: str, actions: list[str], resource: str, condition: Any) -> dict[str, Any]:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Action": actions,
        "Resource": resource,
        "Condition": condition,
    }


LOCATION = statement(
    "GetBucketRegion", ["s3:GetBucketLocation"], "arn:aws:s3:::customer-data", OWNED
)
UNDER_EXPORTS = {**OWNED, "StringLike": {"s3:prefix": "exports/2026/*"}}


def key_use(actions: list[str]) -> dict[str, Any]:
    via_s3 = {"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}}
    return statement("UseBucketKeyThroughS3", actions, KEY, via_s3)


# ---------------------------------------------------------------- the documents

READ = document(
    statement(
        "ReadObjectsUnderPrefix", READ_ACTIONS, "arn:aws:s3:::customer-data/exports/2026/*", OWNED
    ),
    statement(
        "ListKeysUnderPrefix", ["s3:ListBucket"], "arn:aws:s3:::customer-data", UNDER_EXPORTS
    ),
    LOCATION,
)
READ_WRITE = document(
    statement(
        "ReadWriteObjectsUnderPrefix",
        READ_ACTIONS + WRITE_ACTIONS,
        "arn:aws:s3:::customer-data/exports/2026/*",
        OWNED,
    ),
    statement(
        "ListKeysUnderPrefix",
        ["s3:ListBucket", "s3:ListBucketMultipartUploads"],
        "arn:aws:s3:::customer-data",
        UNDER_EXPORTS,
    ),
    LOCATION,
)


def test_read_is_exactly_the_contracts_statements() -> None:
    assert policy("exports/2026/", VendAccess.READ) == READ


def test_read_write_adds_the_writes_and_the_listing_of_uploads() -> None:
    assert policy("exports/2026/", VendAccess.READ_WRITE) == READ_WRITE


def test_with_an_sse_kms_bucket_read_may_decrypt_with_its_key_through_s3() -> None:
    found = policy("exports/2026/", VendAccess.READ, kms_key_arn=KEY, region=REGION)
    assert found == document(*READ["Statement"], key_use(["kms:Decrypt"]))


def test_with_an_sse_kms_bucket_read_write_may_also_make_data_keys() -> None:
    found = policy("exports/2026/", VendAccess.READ_WRITE, kms_key_arn=KEY, region=REGION)
    expected = key_use(["kms:Decrypt", "kms:GenerateDataKey"])
    assert found == document(*READ_WRITE["Statement"], expected)


def test_the_whole_bucket_is_listed_without_a_prefix_condition() -> None:
    """S3 gives a listing no s3:prefix unless the request sends one, and a
    StringLike on an absent key fails: ``"*"`` would refuse a plain listing."""
    assert policy("", VendAccess.READ) == document(
        statement("ReadObjectsUnderPrefix", READ_ACTIONS, "arn:aws:s3:::customer-data/*", OWNED),
        statement("ListKeysUnderPrefix", ["s3:ListBucket"], "arn:aws:s3:::customer-data", OWNED),
        LOCATION,
    )


# ---------------------------------------------------------------- every statement, any prefix

# Text a prefix may hold that a policy treats specially, and text beyond ASCII.
TRICKY = ["*", "?", "$", "${", "}", "${*}", "${aws:username}", "/", ".", "é", "€", "\U0001f600"]
prefix_texts = st.lists(st.sampled_from(TRICKY) | st.text(max_size=4), max_size=12).map("".join)
accesses = st.sampled_from(VendAccess)
with_key = st.sampled_from([(None, None), (KEY, REGION)])


@given(bucket_names, account_ids, prefix_texts, accesses, with_key)
def test_every_s3_statement_is_pinned_to_the_bucket_owner_and_only_the_key_statement_is_not(
    bucket: str, owner: str, prefix: str, access: VendAccess, key: tuple[str | None, str | None]
) -> None:
    found = session_policy(
        BucketName(bucket), AccountId(owner), prefix, access, kms_key_arn=key[0], region=key[1]
    )
    assert found["Version"] == "2012-10-17"  # without it IAM reads no ${...} at all
    for each in found["Statement"]:
        assert each["Effect"] == "Allow"
        if each["Action"][0].startswith("s3:"):
            assert all(a.startswith("s3:") for a in each["Action"])
            assert each["Condition"]["StringEquals"] == {"s3:ResourceAccount": owner}
        else:
            # S3's call to KMS carries no s3: keys: a pin there would refuse it.
            assert each["Resource"] == key[0]
            assert "s3:ResourceAccount" not in json.dumps(each)
    sids = [each["Sid"] for each in found["Statement"]]
    assert len(set(sids)) == len(sids)
    assert all(re.fullmatch("[A-Za-z0-9]+", sid) for sid in sids)


# ---------------------------------------------------------------- escaping

ESCAPES = re.compile(r"\$\{([*?$])\}")


def written(prefix: str) -> tuple[str, str]:
    """How the policy writes ``prefix`` in the objects' ARN and in s3:prefix."""
    found = policy(prefix, VendAccess.READ)["Statement"]
    resource = found[0]["Resource"].removeprefix("arn:aws:s3:::customer-data/")
    return resource, found[1]["Condition"]["StringLike"]["s3:prefix"]


@pytest.mark.parametrize(
    ("prefix", "escaped"),
    [
        ("a*b?c$d/", "a${*}b${?}c${$}d/"),
        ("exports/2026/", "exports/2026/"),
        ("${aws:username}/", "${$}{aws:username}/"),
        ("${*}", "${$}{${*}}"),
        ("$$**??", "${$}${$}${*}${*}${?}${?}"),
        ("données/€/", "données/€/"),
    ],
)
def test_star_question_mark_and_dollar_are_written_as_policy_variables(
    prefix: str, escaped: str
) -> None:
    """https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars"""
    assert written(prefix) == (f"{escaped}*", f"{escaped}*")


@given(prefix_texts.filter(bool))
def test_a_written_prefix_has_no_wildcard_or_variable_but_the_final_star(prefix: str) -> None:
    for text in written(prefix):
        body = text.removesuffix("*")
        assert not set(ESCAPES.sub("", body)) & set("*?$")
        assert ESCAPES.sub(r"\1", body) == prefix


# ---------------------------------------------------------------- KMS arguments


@pytest.mark.parametrize(
    ("key", "region"),
    [
        (KEY, None),  # kms:ViaService names the region
        (KEY, "eu-west"),
        (KEY, "us-east-1"),  # S3 uses a key of the bucket's own region only
        ("alias/bucket-key", REGION),  # an IAM policy names a key by its key ARN only
        ("arn:aws:kms:eu-west-1:111122223333:alias/bucket-key", REGION),
        ("1234abcd-12ab-34cd-56ef-1234567890ab", REGION),
        ("arn:aws:s3:::customer-data", REGION),
    ],
)
def test_a_kms_key_needs_its_key_arn_and_the_buckets_region(key: str, region: str | None) -> None:
    with pytest.raises(ValueError):
        policy("p/", VendAccess.READ, kms_key_arn=key, region=region)


# ---------------------------------------------------------------- the size STS allows


def fits(prefix: str, access: VendAccess = VendAccess.READ, kms: bool = False) -> bool:
    key, region = (KEY, REGION) if kms else (None, None)
    try:
        text = packed(policy(prefix, access, kms_key_arn=key, region=region))
    except InvalidField as refused:
        assert refused.field == "prefix"
        return False
    assert len(text) <= STS_POLICY_LIMIT
    return True


@pytest.mark.parametrize(
    ("access", "kms"), [(VendAccess.READ, False), (VendAccess.READ_WRITE, True)]
)
def test_the_longest_prefix_that_fits_is_accepted_and_one_more_character_is_a_400(
    access: VendAccess, kms: bool
) -> None:
    key, region = (KEY, REGION) if kms else (None, None)
    one = len(packed(policy("a", access, kms_key_arn=key, region=region)))
    # The prefix is written twice (the objects' ARN and s3:prefix).
    longest = 1 + (STS_POLICY_LIMIT - one) // 2
    assert fits("a" * longest, access, kms)
    assert not fits("a" * (longest + 1), access, kms)


def test_the_refusal_names_prefix_and_says_how_long_the_policy_came_out() -> None:
    with pytest.raises(InvalidField) as raised:
        packed(policy("a" * 1000, VendAccess.READ))
    length = len(json.dumps(policy("a" * 1000, VendAccess.READ), separators=(",", ":")))
    assert raised.value.field == "prefix"
    assert str(length) in raised.value.message
    assert "2048" in raised.value.message


@pytest.mark.parametrize(("character", "written_as"), [("*", 4), ("é", 6), ("\U0001f600", 12)])
def test_special_and_non_ascii_characters_count_as_sts_receives_them(
    character: str, written_as: int
) -> None:
    """STS takes only U+0020-U+00FF (and tab, LF, CR): the rest go as JSON
    escapes, and surrogate pairs beyond the BMP."""
    grows = len(packed(policy(f"a{character}", VendAccess.READ))) - len(
        packed(policy("a", VendAccess.READ))
    )
    assert grows == 2 * written_as


@given(prefix_texts, accesses, with_key)
def test_what_is_sent_to_sts_is_the_policy_itself_in_characters_sts_takes(
    prefix: str, access: VendAccess, key: tuple[str | None, str | None]
) -> None:
    found = policy(prefix, access, kms_key_arn=key[0], region=key[1])
    text = packed(found)
    assert STS_POLICY_CHARACTERS.fullmatch(text)
    assert len(text) <= STS_POLICY_LIMIT
    assert json.loads(text) == found
    assert json.dumps(json.loads(text), separators=(",", ":")) == text  # compact


# ---------------------------------------------------------------- the request's prefix


def prefix_is_valid(value: object) -> bool:
    """Contract §10, ``prefix``: no leading "/", no ".." segment, no control
    characters (nor, as for all stored text, bidirectional overrides), at most 512
    characters; and text S3 can hold (UTF-8: no unpaired surrogate)."""
    return (
        isinstance(value, str)
        and len(value) <= 512
        and not value.startswith("/")
        and ".." not in value.split("/")
        and not any(unicodedata.category(c) in ("Cc", "Cs") for c in value)
        and not set(value) & BIDI_CONTROLS
    )


def prefix_refused(value: object) -> InvalidField:
    with pytest.raises(InvalidField) as raised:
        VendPrefix(value)  # type: ignore[arg-type]
    assert raised.value.field == "prefix"
    return raised.value


@pytest.mark.parametrize(
    "value",
    [
        "",
        "exports/2026/",
        "a..b/",
        "..a/",
        "a/b..",
        "a/.../b",
        "./x/.",
        "a//b",
        "a*b?c$d/",
        "${aws:username}",
        "données/",
        "x" * 512,
        "é" * 512,
    ],
)
def test_a_sub_prefix_that_breaks_no_rule_is_accepted_as_given(value: str) -> None:
    assert VendPrefix(value).value == value


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("/exports/", "start with '/'"),
        ("/", "start with '/'"),
        ("..", "'..'"),
        ("../other-connector/", "'..'"),
        ("exports/..", "'..'"),
        ("exports/../../x", "'..'"),
        ("exports/\x00", "control characters"),
        ("exports\n", "control characters"),
        ("\x7f", "control characters"),
        ("\x85", "control characters"),
        ("a\u202eb", "bidirectional"),
        ("\ud800", "surrogate"),
        ("x" * 513, "512"),
        (None, "string"),
        (7, "string"),
        (b"exports/", "string"),
        (["exports/"], "string"),
    ],
)
def test_a_sub_prefix_breaking_a_rule_is_refused_naming_the_field_and_the_rule(
    value: object, rule: str
) -> None:
    assert rule in prefix_refused(value).message


# Any text, weighted towards what the rules are about.
ABOUT_THE_RULES = ["/", "..", ".", "a", "/../", "\x00", "\x1f", "\x7f", "\u202e", "\ud800", "é"]
any_text = st.one_of(
    st.text(st.characters(exclude_categories=[]), max_size=30),
    st.lists(st.sampled_from(ABOUT_THE_RULES) | unsafe_chars, max_size=10).map("".join),
    st.builds(
        lambda n, tail: "a" * n + tail,
        st.integers(505, 515),
        st.sampled_from(["", "/", "/..", "\x00"]),
    ),
)


@given(any_text)
@example("x" * 512)
@example("x" * 513)
@example("../")
@example("a/..")
def test_any_text_is_accepted_exactly_when_it_obeys_every_rule(value: str) -> None:
    if prefix_is_valid(value):
        assert VendPrefix(value).value == value
    else:
        prefix_refused(value)


@given(st.none() | st.integers() | st.floats() | st.binary() | st.lists(st.text()))
def test_a_value_that_is_not_text_is_refused_as_prefix(value: object) -> None:
    prefix_refused(value)


# ---------------------------------------------------------------- the duration


def duration_refused(value: object) -> None:
    with pytest.raises(InvalidField) as raised:
        VendDuration(value)  # type: ignore[arg-type]
    assert raised.value.field == "duration_seconds"
    assert "900 to 3600" in raised.value.message


@given(st.integers(900, 3600))
@example(900)
@example(3600)
def test_a_duration_of_15_to_60_minutes_is_accepted(seconds: int) -> None:
    assert VendDuration(seconds).seconds == seconds


@given(st.integers(max_value=899) | st.integers(min_value=3601))
@example(899)
@example(3601)
@example(0)
@example(43200)  # what a role may allow unchained; a chained session cannot
def test_a_duration_outside_15_to_60_minutes_is_refused(seconds: int) -> None:
    duration_refused(seconds)


@given(st.booleans() | st.floats() | st.text() | st.none() | st.decimals())
@example(900.0)
@example("3600")
@example(True)
def test_a_duration_that_is_not_an_integer_is_refused(value: object) -> None:
    duration_refused(value)


def test_a_request_by_default_reads_the_connectors_whole_prefix_for_an_hour() -> None:
    assert VendRequest() == VendRequest(VendAccess.READ, VendPrefix(""), VendDuration(3600))
    assert [a.value for a in VendAccess] == ["read", "read_write"]


# ---------------------------------------------------------------- the full key prefix


@pytest.mark.parametrize(
    ("connector", "sub", "full"),
    [
        ("", "", ""),
        ("", "exports/", "exports/"),
        ("exports/", "", "exports/"),
        ("exports/", "2026/", "exports/2026/"),
        # S3 prefixes are text: after one without "/" the sub-prefix continues the key.
        ("exports", "-2026/", "exports-2026/"),
    ],
)
def test_the_sub_prefix_follows_the_connectors_prefix(connector: str, sub: str, full: str) -> None:
    assert key_prefix(connector, VendPrefix(sub)) == full


@given(prefix_texts, prefix_texts.filter(prefix_is_valid))
def test_the_full_prefix_never_leaves_the_connectors(connector: str, sub: str) -> None:
    full = key_prefix(connector, VendPrefix(sub))
    assert full.startswith(connector) and full.removeprefix(connector) == sub


# ---------------------------------------------------------------- the session name

SESSION_NAME = re.compile(r"bucketlink-org-([0-9]+)-([0-9a-f]{12})")


@given(org_ids, st.uuids())
@example(MAX_ORG_ID, UUID(int=2**128 - 1))
@example(1, UUID(int=0))
def test_the_session_name_is_one_sts_takes_and_names_the_org_and_the_connector(
    org: int, connector: UUID
) -> None:
    name = session_name(OrgId(org), connector)
    assert STS_SESSION_NAME.fullmatch(name)
    parsed = SESSION_NAME.fullmatch(name)
    assert parsed is not None
    assert int(parsed[1]) == org
    assert parsed[2] == connector.hex[:12]


def test_the_longest_session_name_fits_with_room_to_spare() -> None:
    longest = session_name(OrgId(MAX_ORG_ID), UUID(int=2**128 - 1))
    assert len(longest) == 47 <= 64
    assert set(longest) <= set(string.ascii_lowercase + string.digits + "-")
