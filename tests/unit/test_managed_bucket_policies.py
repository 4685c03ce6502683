from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.account_id import AccountId
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.managed_bucket import Access
from domain.managed_bucket_policies import (
    bucket_policy,
    bucket_tags,
    role_access_policy,
    role_name_for,
    role_trust_policy,
)
from domain.resource_id import ResourceId
from domain.s3_uri import BucketName

from .strategies import (
    ROLE_NAME_CHARS,
    account_ids,
    bucket_names,
    external_ids,
    org_ids,
    resource_ids,
)

FOUR_ACTIONS = {"s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"}

policy_accesses = account_ids.map(lambda a: Access.by_bucket_policy(AccountId(a)))
role_accesses = st.builds(
    lambda a, e: Access.by_role(AccountId(a), ExternalId(e)), account_ids, external_ids
)
buckets = bucket_names.map(BucketName)


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def resources_of(bucket: BucketName) -> set[str]:
    return {f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"}


def is_tls_only_deny(statement: dict[str, Any], bucket: BucketName) -> bool:
    return (
        statement["Effect"] == "Deny"
        and statement["Principal"] in ("*", {"AWS": "*"})
        and set(as_list(statement["Action"])) in ({"s3:*"}, {"*"})
        and set(as_list(statement["Resource"])) == resources_of(bucket)
        and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    )


def allows(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in document["Statement"] if s["Effect"] == "Allow"]


def roundtrips_as_json(document: dict[str, Any]) -> bool:
    copy: object = json.loads(json.dumps(document))
    return copy == document


@given(buckets, st.none() | policy_accesses)
def test_every_bucket_policy_denies_all_access_without_tls_to_the_bucket_and_its_objects(
    bucket: BucketName, access: Access | None
) -> None:
    document = bucket_policy(bucket, access)
    assert document["Version"] == "2012-10-17"
    assert sum(is_tls_only_deny(s, bucket) for s in document["Statement"]) == 1
    assert roundtrips_as_json(document)


@given(buckets)
def test_without_a_policy_grant_the_bucket_policy_allows_nothing(bucket: BucketName) -> None:
    assert allows(bucket_policy(bucket, None)) == []


@given(buckets, policy_accesses)
def test_a_policy_grant_adds_exactly_one_allow_of_the_four_actions_for_the_accounts_root(
    bucket: BucketName, access: Access
) -> None:
    document = bucket_policy(bucket, access)
    (grant,) = allows(document)
    assert grant["Principal"] == {"AWS": f"arn:aws:iam::{access.account_id}:root"}
    assert set(as_list(grant["Action"])) == FOUR_ACTIONS
    assert set(as_list(grant["Resource"])) == resources_of(bucket)
    assert "Condition" not in grant
    assert len(document["Statement"]) == 2


@given(role_accesses)
def test_the_role_trust_policy_trusts_only_the_accounts_root_under_its_external_id(
    access: Access,
) -> None:
    document = role_trust_policy(access)
    (statement,) = document["Statement"]
    assert statement["Effect"] == "Allow"
    assert statement["Principal"] == {"AWS": f"arn:aws:iam::{access.account_id}:root"}
    assert as_list(statement["Action"]) == ["sts:AssumeRole"]
    assert access.external_id is not None
    assert statement["Condition"] == {"StringEquals": {"sts:ExternalId": access.external_id.value}}
    assert roundtrips_as_json(document)


@given(policy_accesses)
def test_a_trust_policy_cannot_be_made_without_an_external_id(access: Access) -> None:
    with pytest.raises(ValueError):
        role_trust_policy(access)


@given(buckets)
def test_the_role_access_policy_allows_the_four_actions_on_this_bucket_only(
    bucket: BucketName,
) -> None:
    document = role_access_policy(bucket)
    (statement,) = document["Statement"]
    assert statement["Effect"] == "Allow"
    assert set(as_list(statement["Action"])) == FOUR_ACTIONS
    assert set(as_list(statement["Resource"])) == resources_of(bucket)
    # No wildcard in the bucket part, no other bucket named anywhere.
    assert "*" not in json.dumps(document).replace(f"{bucket}/*", "")
    assert roundtrips_as_json(document)


_IAM_ROLE_NAME = re.compile(r"[\w+=,.@-]{1,64}", re.ASCII)


@given(buckets)
def test_the_role_of_a_bucket_has_a_valid_iam_role_name(bucket: BucketName) -> None:
    name = role_name_for(bucket)
    assert _IAM_ROLE_NAME.fullmatch(name)
    assert set(name) <= set(ROLE_NAME_CHARS)


@given(buckets, buckets)
def test_different_buckets_get_different_roles(first: BucketName, second: BucketName) -> None:
    # IAM role names are case-insensitive; bucket names are lowercase already.
    assert (role_name_for(first).lower() == role_name_for(second).lower()) == (first == second)


@given(org_ids, resource_ids)
def test_the_tags_name_the_company_and_the_resource(org: int, resource_id: str) -> None:
    tags = bucket_tags(OrgId(org), ResourceId(resource_id))
    assert str(org) in tags.values()
    assert resource_id in tags.values()
    # S3 tag values: up to 256 characters; keys up to 128.
    assert all(len(k) <= 128 and len(v) <= 256 for k, v in tags.items())
