"""What the fake provisioner offers beyond the contract: the boto3 provisioner's
exact requests on record, faults of any kind, and a world as strict as AWS's."""

from __future__ import annotations

import pytest

from adapters.aws_models import provisioning_requests as request
from adapters.fakes.fake_aws import AwsCall, FakeAws, FakeAwsError
from adapters.fakes.fake_provisioner import FakeBucketProvisioner
from domain.account_id import AccountId
from domain.errors import AwsUnavailable, BucketNameTaken
from domain.external_id import ExternalId
from domain.managed_bucket import Access, Grant
from domain.managed_bucket_policies import role_trust_policy
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName

PLATFORM = "123456789012"
BUCKET = BucketName("nio-acme-0123456789ab")
TAGS = {"bucketlink:company-id": "7", "bucketlink:resource-id": "acme"}
BY_ROLE = Access.by_role(AccountId("111122223333"), ExternalId("customer-external-id"))
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
