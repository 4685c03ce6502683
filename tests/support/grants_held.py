"""What the platform account holds for a managed bucket, against what its row
records: after any race, the two must be the same, exactly."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from adapters.fakes.fake_aws import FakeAws
from adapters.sandbox.defaults import PLATFORM_ACCOUNT_ID
from adapters.sandbox.emulator import iam_as, s3_as
from domain.account_id import AccountId
from domain.external_id import ExternalId
from domain.managed_bucket import Access, AccessType
from domain.managed_bucket_policies import bucket_policy, role_trust_policy
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName


@dataclass(frozen=True)
class Holdings:
    """The bucket policy, and the trust policy of the role named after the
    bucket (None: no such role)."""

    policy: Any
    role_trust: Any


def recorded(bucket: dict[str, Any]) -> Holdings:
    """What AWS should hold for a bucket body the API answered with."""
    auth = bucket["auth"]
    role = auth["type"] == "role"
    access = Access(
        AccessType(auth["type"]),
        AccountId(auth["account_id"]),
        ExternalId(auth["external_id"]) if role else None,
    )
    name = BucketName(bucket["name"])
    return Holdings(bucket_policy(name, access), role_trust_policy(access) if role else None)


def held_by_fake(world: FakeAws, name: str, account: str = PLATFORM_ACCOUNT_ID) -> Holdings:
    state = world.bucket_state(name)
    role = world.role_state(RoleArn(AccountId(account), "/", name))
    return Holdings(
        None if state is None else state.policy, None if role is None else role.trust_policy
    )


def held_by_emulator(endpoint_url: str, name: str) -> Holdings:
    s3, iam = s3_as(PLATFORM_ACCOUNT_ID, endpoint_url), iam_as(PLATFORM_ACCOUNT_ID, endpoint_url)
    try:
        policy = json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])
    except ClientError:
        policy = None
    try:
        trust = iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"]
    except ClientError:
        trust = None
    return Holdings(policy, trust)
