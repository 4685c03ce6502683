"""The fake's AWS API: the provisioning requests read as S3 and IAM read them,
answered as they answer, and refused as they refuse."""

from __future__ import annotations

import json

import pytest

from adapters.aws_models import provisioning_requests as request
from adapters.aws_models.provisioning_requests import AwsRequest
from adapters.fakes.aws_rules import FakeAwsError
from adapters.fakes.fake_aws import FakeAws
from adapters.fakes.fake_transport import FakeAwsTransport
from domain.account_id import AccountId
from domain.external_id import ExternalId
from domain.managed_bucket import Access
from domain.managed_bucket_policies import bucket_policy, role_access_policy, role_trust_policy
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName

PLATFORM = AccountId("123456789012")
OTHER = "444455556666"
BUCKET = BucketName("nio-acme-0123456789ab")
ROLE = RoleArn(PLATFORM, "/", BUCKET.value)
BY_ROLE = Access.by_role(AccountId("111122223333"), ExternalId("customer-external-id"))
BOUNDARY = f"arn:aws:iam::{PLATFORM}:policy/boundary"


@pytest.fixture
def world() -> FakeAws:
    world = FakeAws()
    world.create_policy(PLATFORM.value, "boundary", {"Statement": [{"Effect": "Allow"}]})
    return world


def send(world: FakeAws, aws: AwsRequest) -> object:
    return FakeAwsTransport(world, PLATFORM).send(aws)


def refusal(world: FakeAws, aws: AwsRequest) -> FakeAwsError:
    with pytest.raises(FakeAwsError) as raised:
        send(world, aws)
    return raised.value


def test_a_bucket_is_made_and_secured_as_the_requests_say(world: FakeAws) -> None:
    tags = {"bucketlink:company-id": "7"}
    for aws in (
        request.create_bucket(BUCKET, "us-east-1"),
        request.put_public_access_block(BUCKET),
        request.put_bucket_encryption(BUCKET),
        request.put_bucket_policy(BUCKET, None),
        request.put_bucket_tagging(BUCKET, tags),
    ):
        send(world, aws)

    state = world.bucket_state(BUCKET.value)
    assert state is not None
    assert state.owner == PLATFORM.value
    assert state.object_ownership == "BucketOwnerEnforced"
    assert state.public_access_block == request.PUBLIC_ACCESS_BLOCK
    assert state.encryption_rule == request.DEFAULT_ENCRYPTION_RULE
    assert state.policy == bucket_policy(BUCKET, None)
    assert state.tags == tags


def test_head_bucket_answers_by_status_alone(world: FakeAws) -> None:
    missing = refusal(world, request.head_bucket(BUCKET))
    assert (missing.code, missing.status) == ("404", 404)

    world.create_bucket(OTHER, BUCKET.value)
    theirs = refusal(world, request.head_bucket(BUCKET))
    assert (theirs.code, theirs.status) == ("403", 403)

    assert FakeAwsTransport(world, AccountId(OTHER)).send(request.head_bucket(BUCKET)) == {}


def test_another_account_s_bucket_is_not_changed(world: FakeAws) -> None:
    world.create_bucket(OTHER, BUCKET.value)

    for aws in (request.put_bucket_policy(BUCKET, None), request.delete_bucket(BUCKET)):
        denied = refusal(world, aws)
        assert (denied.code, denied.status) == ("AccessDenied", 403)
    state = world.bucket_state(BUCKET.value)
    assert state is not None and state.policy is None


def test_a_bucket_holding_objects_is_not_deleted(world: FakeAws) -> None:
    send(world, request.create_bucket(BUCKET, "us-east-1"))
    world.put_object(BUCKET.value, "k")

    refused = refusal(world, request.delete_bucket(BUCKET))
    assert (refused.code, refused.status) == ("BucketNotEmpty", 409)
    assert refusal(world, request.delete_bucket(BucketName("nio-gone"))).code == "NoSuchBucket"


def test_a_policy_that_is_not_json_is_malformed(world: FakeAws) -> None:
    send(world, request.create_bucket(BUCKET, "us-east-1"))
    aws = AwsRequest("PutBucketPolicy", {"Bucket": BUCKET.value, "Policy": "{not json"})

    assert refusal(world, aws).code == "MalformedPolicy"


def test_tags_with_one_key_twice_are_refused(world: FakeAws) -> None:
    send(world, request.create_bucket(BUCKET, "us-east-1"))
    tag_set = [{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}]
    aws = AwsRequest("PutBucketTagging", {"Bucket": BUCKET.value, "Tagging": {"TagSet": tag_set}})

    assert refusal(world, aws).code == "InvalidTag"


def test_a_role_is_made_with_its_trust_boundary_and_policy(world: FakeAws) -> None:
    created = send(world, request.create_role(BUCKET, BY_ROLE, BOUNDARY))
    send(world, request.put_role_policy(BUCKET))

    assert created == {
        "Role": {
            "RoleName": BUCKET.value,
            "Path": "/",
            "Arn": str(ROLE),
            "AssumeRolePolicyDocument": role_trust_policy(BY_ROLE),
            "PermissionsBoundary": {
                "PermissionsBoundaryType": "Policy",
                "PermissionsBoundaryArn": BOUNDARY,
            },
        }
    }
    assert send(world, request.get_role(BUCKET.value)) == created
    state = world.role_state(ROLE)
    assert state is not None
    assert state.inline_policies == {request.ROLE_POLICY_NAME: role_access_policy(BUCKET)}


def test_a_role_is_made_once_and_got_only_while_it_exists(world: FakeAws) -> None:
    assert refusal(world, request.get_role(BUCKET.value)).code == "NoSuchEntity"
    send(world, request.create_role(BUCKET, BY_ROLE, BOUNDARY))

    again = refusal(world, request.create_role(BUCKET, BY_ROLE, BOUNDARY))
    assert (again.code, again.status) == ("EntityAlreadyExists", 409)


def test_a_role_keeps_its_inline_policy_until_that_is_deleted(world: FakeAws) -> None:
    send(world, request.create_role(BUCKET, BY_ROLE, BOUNDARY))
    send(world, request.put_role_policy(BUCKET))

    conflict = refusal(world, request.delete_role(BUCKET.value))
    assert (conflict.code, conflict.status) == ("DeleteConflict", 409)
    send(world, request.delete_role_policy(BUCKET.value))
    assert refusal(world, request.delete_role_policy(BUCKET.value)).code == "NoSuchEntity"
    send(world, request.delete_role(BUCKET.value))
    assert world.role_state(ROLE) is None


def test_a_trust_policy_is_replaced_as_sent(world: FakeAws) -> None:
    send(world, request.create_role(BUCKET, BY_ROLE, BOUNDARY))
    other = Access.by_role(AccountId(OTHER), ExternalId("another-external-id"))

    send(world, request.update_assume_role_policy(BUCKET, other))

    state = world.role_state(ROLE)
    assert state is not None and state.trust_policy == role_trust_policy(other)
    sent = json.loads(request.update_assume_role_policy(BUCKET, other).params["PolicyDocument"])
    assert state.trust_policy == sent


def test_every_request_goes_through_the_call_log_first(world: FakeAws) -> None:
    world.fail_next(FakeAwsError("AccessDenied", "injected"), operation="CreateBucket")

    with pytest.raises(FakeAwsError, match="injected"):
        send(world, request.create_bucket(BUCKET, "us-east-1"))
    assert [call.operation for call in world.calls] == ["CreateBucket"]
    assert world.bucket_state(BUCKET.value) is None


def test_an_operation_the_fake_does_not_offer_is_a_bug_not_an_answer(world: FakeAws) -> None:
    with pytest.raises(NotImplementedError):
        send(world, AwsRequest("PutBucketAcl", {"Bucket": BUCKET.value}))
    assert world.calls == []
