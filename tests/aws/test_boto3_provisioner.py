"""Boto3BucketProvisioner on AWS answers moto does not give (throttling, 5xx,
unreachable endpoints, a refused principal, a regional BucketAlreadyOwnedByYou),
and exactly what it sends."""

from __future__ import annotations

import json
import logging

import boto3
import botocore.loaders
import botocore.session
import pytest
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError

from adapters.aws.boto3_provisioner import Boto3BucketProvisioner
from adapters.aws.boto3_transport import Boto3Transport
from adapters.aws.client_config import default_config
from adapters.aws_models import provisioning_requests as request
from adapters.aws_models.aws_transport import AwsError
from adapters.aws_models.provisioning_errors import AwsRequestRefused
from adapters.aws_models.provisioning_requests import AwsRequest
from adapters.sandbox.provisioner import sandbox_provisioner
from domain.account_id import AccountId
from domain.errors import (
    AwsUnavailable,
    BucketMissing,
    BucketNameTaken,
    BucketNotEmpty,
    InvalidField,
)
from domain.external_id import ExternalId
from domain.managed_bucket import Access, Grant
from domain.managed_bucket_policies import bucket_policy, role_access_policy, role_trust_policy
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName

from .scripted_aws import (
    Answer,
    ScriptedAws,
    iam_error,
    iam_role,
    raise_,
    respond,
    s3_error,
)

# Nothing listens on the discard port: an unscripted call fails fast, never reaches AWS.
NOWHERE = "http://127.0.0.1:9"
BUCKET = BucketName("nio-acme-0123456789ab")
ROLE_ARN = f"arn:aws:iam::123456789012:role/{BUCKET}"
EXTERNAL_ID = ExternalId("customer-secret-external-id-0123456789")
BY_POLICY = Access.by_bucket_policy(AccountId("111122223333"))
BY_ROLE = Access.by_role(AccountId("111122223333"), EXTERNAL_ID)
TAGS = {"bucketlink:resource-id": "acme", "bucketlink:company-id": "7"}
MISSING = respond(404)
EXISTS = respond(200)
BOUNDARY = "arn:aws:iam::123456789012:policy/bucketlink-managed-role-boundary"


# One loader for every test's session: it caches the S3 and IAM models, which
# are slow to load; each test still has a session (and event handlers) of its own.
_MODELS = botocore.loaders.create_loader()


@pytest.fixture
def aws() -> ScriptedAws:
    core = botocore.session.Session()
    core.register_component("data_loader", _MODELS)
    session = boto3.Session(
        aws_access_key_id="platform-key",
        aws_secret_access_key="platform",
        region_name="us-east-1",
        botocore_session=core,
    )
    scripted = ScriptedAws(session)
    scripted.script("HeadBucket", MISSING)
    return scripted


def provisioner_on(
    aws: ScriptedAws, region: str = "us-east-1", attempts: int = 2
) -> Boto3BucketProvisioner:
    return Boto3BucketProvisioner(
        session=aws.session,
        region_name=region,
        role_boundary_arn=BOUNDARY,
        endpoint_url=NOWHERE,
        config=default_config(total_attempts=attempts),
    )


# -- what is sent --


async def test_a_bucket_is_made_with_exactly_these_requests(aws: ScriptedAws) -> None:
    await provisioner_on(aws).create_bucket(BUCKET, TAGS)

    bucket = {"Bucket": BUCKET.value}
    assert [name for name, _ in aws.params] == [
        "HeadBucket",
        "CreateBucket",
        "PutPublicAccessBlock",
        "PutBucketEncryption",
        "PutBucketPolicy",
        "PutBucketTagging",
    ]
    assert aws.params_of("CreateBucket") == [{**bucket, "ObjectOwnership": "BucketOwnerEnforced"}]
    assert aws.params_of("PutPublicAccessBlock") == [
        {
            **bucket,
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        }
    ]
    rule = {
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
        "BucketKeyEnabled": True,
    }
    assert aws.params_of("PutBucketEncryption") == [
        {**bucket, "ServerSideEncryptionConfiguration": {"Rules": [rule]}}
    ]
    [policy] = aws.params_of("PutBucketPolicy")
    assert json.loads(policy["Policy"]) == bucket_policy(BUCKET, None)
    assert aws.params_of("PutBucketTagging") == [
        {
            **bucket,
            "Tagging": {
                "TagSet": [
                    {"Key": "bucketlink:company-id", "Value": "7"},
                    {"Key": "bucketlink:resource-id", "Value": "acme"},
                ]
            },
        }
    ]


async def test_outside_us_east_1_the_bucket_names_its_region(aws: ScriptedAws) -> None:
    await provisioner_on(aws, region="eu-west-1").create_bucket(BUCKET, TAGS)

    [created] = aws.params_of("CreateBucket")
    assert created["CreateBucketConfiguration"] == {"LocationConstraint": "eu-west-1"}


async def test_a_role_grant_creates_the_role_then_its_policy(aws: ScriptedAws) -> None:
    aws.rescript("HeadBucket", EXISTS)
    aws.script("CreateRole", iam_role("CreateRole", ROLE_ARN))

    grant = await provisioner_on(aws).grant(BUCKET, BY_ROLE)

    assert grant == Grant(BY_ROLE, RoleArn.parse(ROLE_ARN))
    [role] = aws.params_of("CreateRole")
    assert role["RoleName"] == BUCKET.value
    assert json.loads(role["AssumeRolePolicyDocument"]) == role_trust_policy(BY_ROLE)
    assert role["PermissionsBoundary"] == BOUNDARY
    [inline] = aws.params_of("PutRolePolicy")
    assert (inline["RoleName"], inline["PolicyName"]) == (BUCKET.value, "bucket-access")
    assert json.loads(inline["PolicyDocument"]) == role_access_policy(BUCKET)


async def test_the_sandbox_provisioner_signs_as_the_platform_and_claims_no_account(
    aws: ScriptedAws,
) -> None:
    aws.rescript("HeadBucket", EXISTS)
    provisioner = sandbox_provisioner(NOWHERE, aws.session)

    await provisioner.grant(BUCKET, BY_POLICY)

    assert [name for name, _ in aws.sent] == ["HeadBucket", "PutBucketPolicy"]
    for _, sent in aws.sent:
        # The emulator's gateway takes the account from the key, never a header.
        assert "x-moto-account-id" not in sent.headers
        assert b"Credential=" in sent.headers["Authorization"]


# -- taken names --


@pytest.mark.parametrize(
    ("operation", "answer"),
    [
        ("HeadBucket", respond(200)),  # the platform's own
        ("HeadBucket", respond(403)),  # someone else's
        ("CreateBucket", s3_error(409, "BucketAlreadyExists")),
        ("CreateBucket", s3_error(409, "BucketAlreadyOwnedByYou")),
    ],
)
async def test_a_name_held_by_anyone_is_taken_and_nothing_is_undone(
    aws: ScriptedAws, operation: str, answer: Answer
) -> None:
    aws.rescript(operation, answer)

    with pytest.raises(BucketNameTaken):
        await provisioner_on(aws, region="eu-west-1").create_bucket(BUCKET, TAGS)
    assert aws.attempts("DeleteBucket") == 0


# -- AWS not answering --


@pytest.mark.parametrize(
    ("operation", "answer"),
    [
        ("HeadBucket", raise_(ReadTimeoutError(endpoint_url=NOWHERE))),
        ("CreateBucket", raise_(EndpointConnectionError(endpoint_url=NOWHERE))),
        ("PutBucketEncryption", s3_error(503, "SlowDown")),
        ("PutBucketTagging", s3_error(500, "InternalError")),
        ("PutBucketPolicy", s3_error(403, "ExpiredToken")),
    ],
)
async def test_aws_failing_to_answer_is_unavailable(
    aws: ScriptedAws, operation: str, answer: Answer
) -> None:
    aws.rescript(operation, answer)

    with pytest.raises(AwsUnavailable, match=operation):
        await provisioner_on(aws, attempts=1).create_bucket(BUCKET, TAGS)


async def test_throttling_is_retried_by_botocore_then_unavailable_and_undone(
    aws: ScriptedAws,
) -> None:
    aws.script("PutBucketEncryption", s3_error(503, "SlowDown"))

    with pytest.raises(AwsUnavailable, match="SlowDown"):
        await provisioner_on(aws, attempts=2).create_bucket(BUCKET, TAGS)
    assert aws.attempts("PutBucketEncryption") == 2
    assert aws.params_of("DeleteBucket") == [{"Bucket": BUCKET.value}]


async def test_throttled_iam_is_unavailable(aws: ScriptedAws) -> None:
    aws.rescript("HeadBucket", EXISTS)
    aws.script("CreateRole", iam_error(400, "Throttling"))

    with pytest.raises(AwsUnavailable, match="CreateRole"):
        await provisioner_on(aws).grant(BUCKET, BY_ROLE)
    assert aws.attempts("CreateRole") == 2


async def test_a_failed_undo_is_logged_and_the_first_failure_raised(
    aws: ScriptedAws, caplog: pytest.LogCaptureFixture
) -> None:
    aws.script("PutBucketTagging", s3_error(503, "ServiceUnavailable"))
    aws.script("DeleteBucket", s3_error(503, "ServiceUnavailable"))

    with caplog.at_level(logging.ERROR), pytest.raises(AwsUnavailable, match="PutBucketTagging"):
        await provisioner_on(aws).create_bucket(BUCKET, TAGS)
    assert BUCKET.value in caplog.text
    assert "DeleteBucket" in caplog.text


# -- answers about the request --


async def test_a_bucket_holding_objects_is_not_empty(aws: ScriptedAws) -> None:
    aws.script("DeleteBucket", s3_error(409, "BucketNotEmpty"))

    with pytest.raises(BucketNotEmpty):
        await provisioner_on(aws).delete_bucket(BUCKET)


async def test_what_is_already_gone_needs_no_removing(aws: ScriptedAws) -> None:
    aws.script("DeleteBucket", s3_error(404, "NoSuchBucket"))
    aws.script("PutBucketPolicy", s3_error(404, "NoSuchBucket"))
    aws.script("DeleteRolePolicy", iam_error(404, "NoSuchEntity"))
    aws.script("DeleteRole", iam_error(404, "NoSuchEntity"))
    provisioner = provisioner_on(aws)

    await provisioner.delete_bucket(BUCKET)
    await provisioner.revoke(BUCKET)


async def test_a_revoke_removes_every_grant_aws_may_hold_whatever_was_recorded(
    aws: ScriptedAws,
) -> None:
    await provisioner_on(aws).revoke(BUCKET)

    [policy] = aws.params_of("PutBucketPolicy")
    assert json.loads(policy["Policy"]) == bucket_policy(BUCKET, None)
    assert aws.params_of("DeleteRolePolicy") == [
        {"RoleName": BUCKET.value, "PolicyName": "bucket-access"}
    ]
    assert aws.params_of("DeleteRole") == [{"RoleName": BUCKET.value}]


@pytest.mark.parametrize("access", [BY_POLICY, BY_ROLE], ids=["policy", "role"])
async def test_nothing_is_granted_on_a_bucket_that_is_gone(
    aws: ScriptedAws, access: Access
) -> None:
    # HeadBucket answers 404 (the fixture's default): deleted outside bucketlink.
    with pytest.raises(BucketMissing, match="deleted outside bucketlink"):
        await provisioner_on(aws).grant(BUCKET, access)

    assert [name for name, _ in aws.sent] == ["HeadBucket"]


async def test_a_bucket_gone_between_the_look_and_the_policy_is_missing(aws: ScriptedAws) -> None:
    aws.rescript("HeadBucket", EXISTS)
    aws.script("PutBucketPolicy", s3_error(404, "NoSuchBucket"))

    with pytest.raises(BucketMissing):
        await provisioner_on(aws).grant(BUCKET, BY_POLICY)


@pytest.mark.parametrize(
    ("operation", "answer", "call"),
    [
        (
            "CreateRole",
            iam_error(400, "MalformedPolicyDocument", "Invalid principal in policy"),
            "role",
        ),
        (
            "PutBucketPolicy",
            s3_error(400, "MalformedPolicy", "Invalid principal in policy"),
            "policy",
        ),
    ],
)
async def test_an_account_aws_does_not_know_is_an_invalid_account_id(
    aws: ScriptedAws, operation: str, answer: Answer, call: str
) -> None:
    aws.rescript("HeadBucket", EXISTS)
    aws.script(operation, answer)
    access = BY_ROLE if call == "role" else BY_POLICY

    with pytest.raises(InvalidField) as raised:
        await provisioner_on(aws).grant(BUCKET, access)
    assert raised.value.field == "account_id"


async def test_a_refusal_only_an_operator_can_fix_names_no_secret(aws: ScriptedAws) -> None:
    aws.rescript("HeadBucket", EXISTS)
    echoed = f"Invalid condition value {EXTERNAL_ID.value}"
    aws.script("CreateRole", iam_error(400, "MalformedPolicyDocument", echoed))

    with pytest.raises(AwsRequestRefused) as raised:
        await provisioner_on(aws).grant(BUCKET, BY_ROLE)
    assert "MalformedPolicyDocument" in str(raised.value)
    assert EXTERNAL_ID.value not in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


# -- the transport: botocore's answers in the algorithm's terms --


def transport_on(aws: ScriptedAws) -> Boto3Transport:
    provisioner = provisioner_on(aws, attempts=1)
    return Boto3Transport(provisioner.s3, provisioner.iam)


def test_each_request_is_sent_by_the_client_of_its_service(aws: ScriptedAws) -> None:
    transport = transport_on(aws)

    transport.send(request.delete_role(BUCKET.value))
    transport.send(request.delete_bucket(BUCKET))

    assert [name for name, _ in aws.sent] == ["DeleteRole", "DeleteBucket"]


def test_an_error_answer_keeps_aws_s_code_status_and_message(aws: ScriptedAws) -> None:
    aws.script("DeleteRole", iam_error(409, "DeleteConflict", "policies remain"))

    with pytest.raises(AwsError) as raised:
        transport_on(aws).send(request.delete_role(BUCKET.value))

    error = raised.value
    assert (error.code, error.status, error.message) == ("DeleteConflict", 409, "policies remain")
    assert error.__cause__ is None and error.__suppress_context__


def test_a_request_botocore_will_not_send_is_refused_unsent(aws: ScriptedAws) -> None:
    with pytest.raises(AwsRequestRefused, match="DeleteRole: ParamValidationError"):
        transport_on(aws).send(AwsRequest("DeleteRole", {}))
    assert aws.sent == []
