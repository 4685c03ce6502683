"""An S3 target's role is the customer's, never one in the platform's account."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.account_id import AccountId
from domain.connector import S3Target
from domain.errors import InvalidField
from domain.role_arn import RoleArn
from domain.s3_uri import S3Uri
from tests.unit.strategies import RoleArnParts, account_ids, role_arn_parts


def _target(role: RoleArnParts) -> S3Target:
    return S3Target(
        bucket_uri=S3Uri.parse("s3://customer-data"),
        role_arn=RoleArn.parse(str(role)),
        bucket_owner=AccountId.parse("111122223333"),
    )


@given(role_arn_parts)
def test_a_role_in_the_platforms_account_is_refused_naming_role_arn(role: RoleArnParts) -> None:
    with pytest.raises(InvalidField) as refused:
        _target(role).refuse_platform_role(AccountId.parse(role.account))
    assert refused.value.field == "role_arn"
    assert f"{role.account} is the platform's" in refused.value.message


@given(role_arn_parts, account_ids)
def test_a_role_in_any_other_account_is_taken(role: RoleArnParts, platform: str) -> None:
    if platform != role.account:
        _target(role).refuse_platform_role(AccountId.parse(platform))


@given(st.data())
def test_the_rule_looks_at_the_role_not_the_bucket_owner(data: st.DataObject) -> None:
    # A customer may point at a bucket the platform owns for them (a managed
    # bucket), through a role of their own.
    role = data.draw(role_arn_parts.filter(lambda r: r.account != "123456789012"))
    target = _target(role)
    target = S3Target(target.bucket_uri, target.role_arn, AccountId.parse("123456789012"))
    target.refuse_platform_role(AccountId.parse("123456789012"))
