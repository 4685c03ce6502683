"""What the fake provisioner offers beyond the contract: the boto3 provisioner's
exact requests on record, faults of any kind, and a world as strict as AWS's.
It runs the boto3 provisioner's own algorithm, so AWS's answers mean the same."""

from __future__ import annotations

import logging

import pytest

from adapters.aws_models import provisioning_requests as request
from adapters.aws_models.provisioning_errors import AwsRequestRefused
from adapters.fakes.aws_calls import AwsCall
from adapters.fakes.aws_rules import FakeAwsError
from adapters.fakes.fake_aws import FakeAws
from adapters.fakes.fake_provisioner import FakeBucketProvisioner
from adapters.sandbox.defaults import PLATFORM_ACCOUNT_ID
from domain.account_id import AccountId
from domain.errors import AwsUnavailable, BucketNameTaken, InvalidField
from domain.external_id import ExternalId
from domain.managed_bucket import Access, Grant
from domain.managed_bucket_policies import role_trust_policy
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName

PLATFORM = "123456789012"
BUCKET = BucketName("nio-acme-0123456789ab")
TAGS = {"bucketlink:company-id": "7", "bucketlink:resource-id": "acme"}
EXTERNAL_ID = ExternalId("customer-external-id")
BY_ROLE = Access.by_role(AccountId("111122223333"), EXTERNAL_ID)
BY_POLICY = Access.by_bucket_policy(AccountId("111122223333"))
ROLE = RoleArn(AccountId(PLATFORM), "/", BUCKET.value)


def recorded(*requests: request.AwsRequest) -> list[AwsCall]:
    return [AwsCall(aws.operation, aws.params) for aws in requests]


async def test_the_boto3_provisioner_s_requests_are_recorded() -> None:
    world = FakeAws()

    await FakeBucketProvisioner(world, PLATFORM).create_bucket(BUCKET, TAGS)

    assert world.calls == recorded(
        request.head_bucket(BUCKET),
        request.create_bucket(BUCKET, "us-east-1"),
        request.put_public_access_block(BUCKET),
        request.put_bucket_encryption(BUCKET),
        request.put_bucket_policy(BUCKET, None),
        request.put_bucket_tagging(BUCKET, TAGS),
    )


async def test_outside_us_east_1_the_bucket_names_its_region() -> None:
    world = FakeAws()

    await FakeBucketProvisioner(world, PLATFORM, region_name="eu-west-1").create_bucket(
        BUCKET, TAGS
    )

    assert world.calls[1].params["CreateBucketConfiguration"] == {"LocationConstraint": "eu-west-1"}


async def test_a_name_taken_between_the_look_and_the_creation_is_taken() -> None:
    world = FakeAws()
    world.fail_next(FakeAwsError("BucketAlreadyExists", "raced"), operation="CreateBucket")

    with pytest.raises(BucketNameTaken):
        await FakeBucketProvisioner(world, PLATFORM).create_bucket(BUCKET, TAGS)
    assert world.bucket_names() == set()


async def test_an_unavailable_aws_leaves_nothing() -> None:
    world = FakeAws()
    provisioner = FakeBucketProvisioner(world, PLATFORM)
    await provisioner.create_bucket(BUCKET, TAGS)
    world.unavailable = True

    with pytest.raises(AwsUnavailable):
        await provisioner.grant(BUCKET, BY_ROLE)
    assert world.role_arns() == set()


async def test_a_role_grant_is_made_in_the_platform_account() -> None:
    world = FakeAws()
    provisioner = FakeBucketProvisioner(world, PLATFORM)
    await provisioner.create_bucket(BUCKET, TAGS)

    assert await provisioner.grant(BUCKET, BY_ROLE) == Grant(BY_ROLE, ROLE)
    state = world.role_state(ROLE)
    assert state is not None
    assert state.trust_policy == role_trust_policy(BY_ROLE)
    assert world.role_arns(PLATFORM) == {ROLE}


async def test_by_default_the_platform_is_the_sandbox_s_account() -> None:
    world = FakeAws()
    provisioner = FakeBucketProvisioner(world)
    await provisioner.create_bucket(BUCKET, TAGS)

    assert world.bucket_names(PLATFORM_ACCOUNT_ID) == {BUCKET.value}


async def test_a_failed_undo_is_logged_and_the_first_failure_raised(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The fake once swallowed a failed undo unlogged, where the boto3 provisioner
    # leaves an operator a line naming what is left half-made.
    world = FakeAws()
    world.fail_next(AwsUnavailable("PutBucketTagging: injected"), operation="PutBucketTagging")
    world.fail_next(AwsUnavailable("DeleteBucket: injected"), operation="DeleteBucket")

    with caplog.at_level(logging.ERROR), pytest.raises(AwsUnavailable, match="PutBucketTagging"):
        await FakeBucketProvisioner(world, PLATFORM).create_bucket(BUCKET, TAGS)

    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "DeleteBucket" in record.getMessage()
    assert BUCKET.value in record.getMessage()
    assert world.bucket_names() == {BUCKET.value}  # left for that operator


async def test_a_failed_role_undo_is_logged_too(caplog: pytest.LogCaptureFixture) -> None:
    world = FakeAws()
    provisioner = FakeBucketProvisioner(world, PLATFORM)
    await provisioner.create_bucket(BUCKET, TAGS)
    world.fail_next(AwsUnavailable("PutRolePolicy: injected"), operation="PutRolePolicy")
    world.fail_next(AwsUnavailable("DeleteRole: injected"), operation="DeleteRole")

    with caplog.at_level(logging.ERROR), pytest.raises(AwsUnavailable, match="PutRolePolicy"):
        await provisioner.grant(BUCKET, BY_ROLE)

    assert f"DeleteRole {BUCKET.value} failed" in caplog.text


@pytest.mark.parametrize(
    ("operation", "code", "access"),
    [
        ("CreateRole", "MalformedPolicyDocument", BY_ROLE),
        ("PutBucketPolicy", "MalformedPolicy", BY_POLICY),
    ],
    ids=["role", "policy"],
)
async def test_an_account_aws_does_not_know_is_an_invalid_account_id(
    operation: str, code: str, access: Access
) -> None:
    # The fake once answered this as an operator's problem; the boto3
    # provisioner tells the customer their account id is wrong.
    world = FakeAws()
    provisioner = FakeBucketProvisioner(world, PLATFORM)
    await provisioner.create_bucket(BUCKET, TAGS)
    world.fail_next(FakeAwsError(code, "Invalid principal in policy"), operation=operation)

    with pytest.raises(InvalidField) as raised:
        await provisioner.grant(BUCKET, access)
    assert raised.value.field == "account_id"
    assert world.role_arns(PLATFORM) == set()


async def test_a_refusal_only_an_operator_can_fix_names_no_secret() -> None:
    world = FakeAws()
    provisioner = FakeBucketProvisioner(world, PLATFORM)
    await provisioner.create_bucket(BUCKET, TAGS)
    echoed = f"Invalid condition value {EXTERNAL_ID.value}"
    world.fail_next(FakeAwsError("MalformedPolicyDocument", echoed), operation="CreateRole")

    with pytest.raises(AwsRequestRefused) as raised:
        await provisioner.grant(BUCKET, BY_ROLE)
    assert str(raised.value) == "CreateRole: AWS answered MalformedPolicyDocument (HTTP 400)."
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


# -- the world, as strict as AWS --


def test_a_role_with_a_policy_cannot_be_deleted() -> None:
    world = FakeAws()
    world.create_role(PLATFORM, ROLE.role_name, role_trust_policy(BY_ROLE))
    world.put_role_policy(ROLE, "inline", {"Statement": [{"Effect": "Allow"}]})

    with pytest.raises(FakeAwsError, match="DeleteConflict"):
        world.delete_role(ROLE)
    world.delete_role_policy(ROLE, "inline")
    world.delete_role(ROLE)
    with pytest.raises(FakeAwsError, match="NoSuchEntity"):
        world.delete_role(ROLE)


def test_a_bucket_holding_objects_cannot_be_deleted() -> None:
    world = FakeAws()
    world.create_bucket(PLATFORM, BUCKET.value)
    world.put_object(BUCKET.value, "k")

    with pytest.raises(FakeAwsError, match="BucketNotEmpty"):
        world.delete_bucket(BUCKET.value)


@pytest.mark.parametrize(
    "tags",
    [
        {"aws:createdBy": "me"},
        {"": "empty key"},
        {"k": "v" * 257},
        {f"k{i}": "v" for i in range(51)},
    ],
)
def test_tags_follow_s3_rules(tags: dict[str, str]) -> None:
    world = FakeAws()
    world.create_bucket(PLATFORM, BUCKET.value)

    with pytest.raises(FakeAwsError, match="InvalidTag"):
        world.put_bucket_tagging(BUCKET.value, tags)


def test_what_exists_is_shown_as_a_copy() -> None:
    world = FakeAws()
    world.create_bucket(PLATFORM, BUCKET.value, object_ownership="BucketOwnerEnforced")
    world.put_bucket_tagging(BUCKET.value, TAGS)

    state = world.bucket_state(BUCKET.value)
    assert state is not None
    assert state.object_ownership == "BucketOwnerEnforced"
    state.tags["bucketlink:company-id"] = "8"  # type: ignore[index]

    again = world.bucket_state(BUCKET.value)
    assert again is not None
    assert again.tags == TAGS
