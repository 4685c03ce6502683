"""One contract for every BucketProvisioner: the fake (FakeAws +
FakeBucketProvisioner) and the sandbox (the boto3 provisioner on moto's server)
make the same AWS calls and leave the same buckets and roles, also when a step
fails part-way."""

from __future__ import annotations

import logging

import pytest

from adapters.aws_models.provisioning_requests import ROLE_POLICY_NAME
from adapters.sandbox.defaults import ROLE_BOUNDARY_ARN
from domain.account_id import AccountId
from domain.bucket_naming import BucketPrefix
from domain.errors import (
    AwsUnavailable,
    BucketMissing,
    BucketNameTaken,
    BucketNotEmpty,
    InvalidField,
)
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.managed_bucket import Access, Grant
from domain.managed_bucket_policies import (
    bucket_policy,
    bucket_tags,
    role_access_policy,
    role_name_for,
    role_permissions_boundary,
    role_trust_policy,
)
from domain.resource_id import ResourceId
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName

from .provisioning_worlds import PLATFORM, ProvisioningWorld
from .worlds import unique

CUSTOMER = AccountId("111122223333")
OTHER_ACCOUNT = "444455556666"
EXTERNAL_ID = ExternalId("customer-external-id-7f3a9c2e")
TAGS = bucket_tags(OrgId(7), ResourceId("yourcompany"))
BY_POLICY = Access.by_bucket_policy(CUSTOMER)
BY_ROLE = Access.by_role(CUSTOMER, EXTERNAL_ID)

CREATE_CALLS = [
    "HeadBucket",
    "CreateBucket",
    "PutPublicAccessBlock",
    "PutBucketEncryption",
    "PutBucketPolicy",
    "PutBucketTagging",
]
STEPS_AFTER_CREATION = CREATE_CALLS[2:]
ALL_BLOCKED = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def a_name() -> BucketName:
    return BucketName(unique("nio-contract"))


async def a_bucket(world: ProvisioningWorld) -> BucketName:
    bucket = a_name()
    await world.provisioner.create_bucket(bucket, TAGS)
    return bucket


# -- create_bucket --


async def test_a_new_bucket_has_every_secure_default(provisioning: ProvisioningWorld) -> None:
    bucket = await a_bucket(provisioning)

    view = provisioning.bucket(bucket)
    assert view is not None
    assert view.public_access_block == ALL_BLOCKED
    assert view.object_ownership == "BucketOwnerEnforced"
    assert view.encryption == ("AES256", True)
    assert view.policy == bucket_policy(bucket, None)
    assert view.tags == TAGS
    assert view.object_keys == ()


async def test_creating_makes_the_same_calls_in_the_same_order(
    provisioning: ProvisioningWorld,
) -> None:
    await a_bucket(provisioning)

    assert provisioning.operations() == CREATE_CALLS


async def test_a_name_another_account_holds_is_taken_and_its_bucket_untouched(
    provisioning: ProvisioningWorld,
) -> None:
    bucket = a_name()
    provisioning.create_bucket_as(OTHER_ACCOUNT, bucket)
    before = provisioning.bucket(bucket, OTHER_ACCOUNT)

    with pytest.raises(BucketNameTaken):
        await provisioning.provisioner.create_bucket(bucket, TAGS)

    assert provisioning.bucket(bucket, OTHER_ACCOUNT) == before
    assert bucket.value not in provisioning.bucket_names(PLATFORM)


async def test_a_name_the_platform_already_holds_is_taken_too(
    provisioning: ProvisioningWorld,
) -> None:
    # In us-east-1, CreateBucket on one's own bucket succeeds: the provisioner
    # must look first, or it would take over another customer's bucket.
    bucket = await a_bucket(provisioning)
    await provisioning.provisioner.grant(bucket, BY_POLICY)
    provisioning.put_object(bucket, "theirs.csv")
    before = provisioning.bucket(bucket)

    with pytest.raises(BucketNameTaken):
        await provisioning.provisioner.create_bucket(
            bucket, bucket_tags(OrgId(8), ResourceId("other"))
        )

    assert provisioning.bucket(bucket) == before


# -- grants --


async def test_a_policy_grant_lets_the_customer_account_in_by_bucket_policy(
    provisioning: ProvisioningWorld,
) -> None:
    bucket = await a_bucket(provisioning)

    grant = await provisioning.provisioner.grant(bucket, BY_POLICY)

    assert grant == Grant(BY_POLICY)
    view = provisioning.bucket(bucket)
    assert view is not None
    assert view.policy == bucket_policy(bucket, BY_POLICY)
    assert provisioning.role(role_name_for(bucket)) is None


async def test_revoking_a_policy_grant_leaves_the_tls_only_policy(
    provisioning: ProvisioningWorld,
) -> None:
    bucket = await a_bucket(provisioning)
    await provisioning.provisioner.grant(bucket, BY_POLICY)

    await provisioning.provisioner.revoke(bucket)
    await provisioning.provisioner.revoke(bucket)

    view = provisioning.bucket(bucket)
    assert view is not None
    assert view.policy == bucket_policy(bucket, None)


async def test_a_role_grant_makes_a_role_named_after_the_bucket(
    provisioning: ProvisioningWorld,
) -> None:
    bucket = await a_bucket(provisioning)

    grant = await provisioning.provisioner.grant(bucket, BY_ROLE)

    arn = RoleArn.parse(f"arn:aws:iam::{PLATFORM}:role/{role_name_for(bucket)}")
    assert grant == Grant(BY_ROLE, arn)
    role = provisioning.role(role_name_for(bucket))
    assert role is not None
    assert role.arn == str(arn)
    assert role.trust_policy == role_trust_policy(BY_ROLE)
    assert role.inline_policies == {ROLE_POLICY_NAME: role_access_policy(bucket)}
    view = provisioning.bucket(bucket)
    assert view is not None
    assert view.policy == bucket_policy(bucket, None)


async def test_a_role_grant_caps_its_role_with_the_permissions_boundary(
    provisioning: ProvisioningWorld,
) -> None:
    bucket = await a_bucket(provisioning)

    await provisioning.provisioner.grant(bucket, BY_ROLE)

    role = provisioning.role(role_name_for(bucket))
    assert role is not None
    assert role.permissions_boundary == ROLE_BOUNDARY_ARN
    assert provisioning.managed_policy(ROLE_BOUNDARY_ARN) == role_permissions_boundary(
        BucketPrefix("nio")
    )


async def test_revoking_a_role_grant_deletes_the_role_and_may_be_repeated(
    provisioning: ProvisioningWorld,
) -> None:
    bucket = await a_bucket(provisioning)
    await provisioning.provisioner.grant(bucket, BY_ROLE)

    await provisioning.provisioner.revoke(bucket)
    await provisioning.provisioner.revoke(bucket)

    assert provisioning.role(role_name_for(bucket)) is None


async def test_a_role_left_behind_is_taken_over_by_the_next_role_grant(
    provisioning: ProvisioningWorld,
) -> None:
    bucket = await a_bucket(provisioning)
    await provisioning.provisioner.grant(bucket, BY_ROLE)
    other = Access.by_role(AccountId(OTHER_ACCOUNT), ExternalId("another-external-id"))

    grant = await provisioning.provisioner.grant(bucket, other)

    role = provisioning.role(role_name_for(bucket))
    assert role is not None
    assert grant.role_arn is not None
    assert role.arn == str(grant.role_arn)
    assert role.trust_policy == role_trust_policy(other)


async def test_a_role_left_behind_without_the_boundary_is_replaced_not_reused(
    provisioning: ProvisioningWorld,
) -> None:
    # As from before managed roles had a boundary: taking it over would keep it uncapped.
    bucket = await a_bucket(provisioning)
    provisioning.create_role_without_boundary(role_name_for(bucket), role_trust_policy(BY_ROLE))

    grant = await provisioning.provisioner.grant(bucket, BY_ROLE)

    role = provisioning.role(role_name_for(bucket))
    assert role is not None
    assert grant.role_arn is not None and role.arn == str(grant.role_arn)
    assert role.permissions_boundary == ROLE_BOUNDARY_ARN
    assert role.trust_policy == role_trust_policy(BY_ROLE)
    assert role.inline_policies == {ROLE_POLICY_NAME: role_access_policy(bucket)}


# -- delete_bucket --


async def test_an_empty_bucket_is_deleted(provisioning: ProvisioningWorld) -> None:
    bucket = await a_bucket(provisioning)

    await provisioning.provisioner.delete_bucket(bucket)

    assert provisioning.bucket(bucket) is None
    assert bucket.value not in provisioning.bucket_names()


async def test_a_bucket_holding_objects_is_not_deleted(provisioning: ProvisioningWorld) -> None:
    bucket = await a_bucket(provisioning)
    provisioning.put_object(bucket, "reports/2026.csv")
    before = provisioning.bucket(bucket)

    with pytest.raises(BucketNotEmpty):
        await provisioning.provisioner.delete_bucket(bucket)

    assert provisioning.bucket(bucket) == before
    assert before is not None
    assert before.object_keys == ("reports/2026.csv",)


async def test_a_bucket_already_gone_is_fine_to_delete_and_revoke(
    provisioning: ProvisioningWorld,
) -> None:
    bucket = await a_bucket(provisioning)
    await provisioning.provisioner.grant(bucket, BY_POLICY)
    await provisioning.provisioner.delete_bucket(bucket)

    await provisioning.provisioner.delete_bucket(bucket)
    await provisioning.provisioner.revoke(bucket)

    assert provisioning.bucket(bucket) is None


# -- failing part-way: nothing half-made is left --


@pytest.mark.parametrize("step", STEPS_AFTER_CREATION)
async def test_a_bucket_whose_securing_fails_is_removed_again(
    provisioning: ProvisioningWorld, step: str
) -> None:
    bucket = a_name()
    provisioning.fail_next(step)

    with pytest.raises(AwsUnavailable):
        await provisioning.provisioner.create_bucket(bucket, TAGS)

    assert provisioning.bucket(bucket) is None
    assert provisioning.operations()[-2:] == [step, "DeleteBucket"]


async def test_a_failed_creation_leaves_nothing_to_undo(provisioning: ProvisioningWorld) -> None:
    bucket = a_name()
    provisioning.fail_next("CreateBucket")

    with pytest.raises(AwsUnavailable):
        await provisioning.provisioner.create_bucket(bucket, TAGS)

    assert provisioning.bucket(bucket) is None
    assert provisioning.operations() == ["HeadBucket", "CreateBucket"]


async def test_an_undo_that_fails_too_still_raises_the_first_failure_and_is_logged(
    provisioning: ProvisioningWorld, caplog: pytest.LogCaptureFixture
) -> None:
    bucket = a_name()
    provisioning.fail_next("PutBucketPolicy")
    provisioning.fail_next("DeleteBucket")

    with caplog.at_level(logging.ERROR), pytest.raises(AwsUnavailable, match="PutBucketPolicy"):
        await provisioning.provisioner.create_bucket(bucket, TAGS)

    assert f"DeleteBucket {bucket} failed" in caplog.text

    # Left for an operator (and logged): the bucket blocks public access and
    # is encrypted, but has no TLS-only policy and no tags.
    view = provisioning.bucket(bucket)
    assert view is not None
    assert view.policy is None


@pytest.mark.parametrize(
    ("operation", "code", "access"),
    [
        ("CreateRole", "MalformedPolicyDocument", BY_ROLE),
        ("PutBucketPolicy", "MalformedPolicy", BY_POLICY),
    ],
    ids=["role", "policy"],
)
async def test_an_account_aws_refuses_as_a_principal_is_an_invalid_account_id(
    provisioning: ProvisioningWorld, operation: str, code: str, access: Access
) -> None:
    # AWS refuses a principal in an account that does not exist (neither
    # emulator knows which do): the customer gave a wrong account id.
    bucket = await a_bucket(provisioning)
    provisioning.refuse_next(operation, code, "Invalid principal in policy")

    with pytest.raises(InvalidField) as raised:
        await provisioning.provisioner.grant(bucket, access)

    assert raised.value.field == "account_id"
    assert provisioning.role(role_name_for(bucket)) is None
    view = provisioning.bucket(bucket)
    assert view is not None and view.policy == bucket_policy(bucket, None)


@pytest.mark.parametrize("step", ["CreateRole", "PutRolePolicy"])
async def test_a_role_grant_failing_part_way_leaves_no_role(
    provisioning: ProvisioningWorld, step: str
) -> None:
    bucket = await a_bucket(provisioning)
    provisioning.fail_next(step)

    with pytest.raises(AwsUnavailable):
        await provisioning.provisioner.grant(bucket, BY_ROLE)

    assert provisioning.role(role_name_for(bucket)) is None


async def test_a_revoke_cut_short_can_be_repeated(provisioning: ProvisioningWorld) -> None:
    bucket = await a_bucket(provisioning)
    await provisioning.provisioner.grant(bucket, BY_ROLE)
    provisioning.fail_next("DeleteRole")

    with pytest.raises(AwsUnavailable):
        await provisioning.provisioner.revoke(bucket)
    await provisioning.provisioner.revoke(bucket)

    assert provisioning.role(role_name_for(bucket)) is None


@pytest.mark.parametrize("access", [BY_POLICY, BY_ROLE], ids=["policy", "role"])
async def test_nothing_is_granted_on_a_bucket_that_is_gone(
    provisioning: ProvisioningWorld, access: Access
) -> None:
    # Deleted outside bucketlink: a role made for it would outlive it, trusted
    # by the customer's account.
    gone = a_name()

    with pytest.raises(BucketMissing, match="deleted outside bucketlink"):
        await provisioning.provisioner.grant(gone, access)

    assert provisioning.role(role_name_for(gone)) is None


async def test_a_revoke_removes_both_kinds_of_grant_whatever_was_recorded(
    provisioning: ProvisioningWorld,
) -> None:
    # Two racing changes once left a role beside a policy grant: revoke takes
    # away whatever AWS holds, not what one row said.
    bucket = await a_bucket(provisioning)
    await provisioning.provisioner.grant(bucket, BY_ROLE)
    await provisioning.provisioner.grant(bucket, BY_POLICY)

    await provisioning.provisioner.revoke(bucket)

    assert provisioning.role(role_name_for(bucket)) is None
    state = provisioning.bucket(bucket)
    assert state is not None and state.policy == bucket_policy(bucket, None)
