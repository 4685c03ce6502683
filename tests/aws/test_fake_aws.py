"""What the fake offers beyond the contract: a record of calls, injected faults,
and building calls as strict as AWS's."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.fakes.aws_calls import AwsCall
from adapters.fakes.aws_rules import FakeAwsError
from adapters.fakes.fake_access_probe import FakeAccessProbe
from adapters.fakes.fake_aws import FakeAws
from domain.account_id import AccountId
from domain.aws_setup import trust_policy
from domain.errors import AwsUnavailable
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.probe import ProbeReport, ProbeRequest
from domain.role_arn import RoleArn
from domain.s3_uri import S3Uri

PRINCIPAL = "arn:aws:iam::123456789012:role/bucketlink-platform"
CUSTOMER = "111122223333"
EXTERNAL_ID = ExternalId("org-5-external-id-a1b2c3d4e5f6a7b8c9d0")
DECOY_EXTERNAL_ID = ExternalId("decoy-external-id-f0e1d2c3b4a5968778695a4b")


def a_world() -> tuple[FakeAws, ProbeRequest]:
    aws = FakeAws()
    bucket = aws.create_bucket(CUSTOMER, "customer-data")
    role = aws.create_role(CUSTOMER, "bucketlink", trust_policy(PRINCIPAL, EXTERNAL_ID))
    allow: dict[str, Any] = {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": bucket.arn}
    aws.put_role_policy(role, "list", {"Version": "2012-10-17", "Statement": [allow]})
    request = ProbeRequest(
        role,
        S3Uri.parse("s3://customer-data/in/"),
        AccountId(CUSTOMER),
        EXTERNAL_ID,
        OrgId(5),
        DECOY_EXTERNAL_ID,
    )
    return aws, request


async def test_the_calls_made_are_recorded_with_their_parameters() -> None:
    aws, request = a_world()

    assert await FakeAccessProbe(aws, PRINCIPAL).probe(request) == ProbeReport.passed("us-east-1")
    assert aws.calls == [
        AwsCall(
            "AssumeRole",
            {
                "RoleArn": "arn:aws:iam::111122223333:role/bucketlink",
                "RoleSessionName": "bucketlink-org-5",
                "ExternalId": EXTERNAL_ID.value,
                "DurationSeconds": 900,
            },
        ),
        AwsCall(
            "AssumeRole",
            {
                "RoleArn": "arn:aws:iam::111122223333:role/bucketlink",
                "RoleSessionName": "bucketlink-org-5",
                "DurationSeconds": 900,
            },
        ),
        AwsCall(
            "AssumeRole",
            {
                "RoleArn": "arn:aws:iam::111122223333:role/bucketlink",
                "RoleSessionName": "bucketlink-org-5",
                "ExternalId": DECOY_EXTERNAL_ID.value,
                "DurationSeconds": 900,
            },
        ),
        AwsCall("HeadBucket", {"Bucket": "customer-data", "ExpectedBucketOwner": CUSTOMER}),
        AwsCall(
            "ListObjectsV2",
            {
                "Bucket": "customer-data",
                "Prefix": "in/",
                "MaxKeys": 1,
                "ExpectedBucketOwner": CUSTOMER,
            },
        ),
    ]


async def test_a_failed_step_makes_no_later_call() -> None:
    aws, request = a_world()
    aws.update_trust_policy(
        request.role, trust_policy("arn:aws:iam::999999999999:root", EXTERNAL_ID)
    )

    await FakeAccessProbe(aws, PRINCIPAL).probe(request)

    assert [call.operation for call in aws.calls] == ["AssumeRole"]


async def test_an_injected_fault_fails_one_call_only() -> None:
    aws, request = a_world()
    probe = FakeAccessProbe(aws, PRINCIPAL)
    aws.fail_next(AwsUnavailable, operation="HeadBucket")

    with pytest.raises(AwsUnavailable):
        await probe.probe(request)
    assert [call.operation for call in aws.calls] == ["AssumeRole"] * 3 + ["HeadBucket"]
    assert await probe.probe(request) == ProbeReport.passed("us-east-1")


async def test_an_unavailable_aws_fails_every_call() -> None:
    aws, request = a_world()
    aws.unavailable = True

    for _ in range(2):
        with pytest.raises(AwsUnavailable):
            await FakeAccessProbe(aws, PRINCIPAL).probe(request)


@pytest.mark.parametrize("name", ["ab", "Upper-Case", "under_score", "192.168.1.1", "xn--bucket"])
def test_bucket_names_follow_s3_rules(name: str) -> None:
    with pytest.raises(FakeAwsError) as raised:
        FakeAws().create_bucket(CUSTOMER, name)
    assert raised.value.code == "InvalidBucketName"


def test_a_bucket_name_is_global_but_its_owner_may_create_it_again() -> None:
    aws = FakeAws()
    aws.create_bucket(CUSTOMER, "shared-name")
    aws.create_bucket(CUSTOMER, "shared-name")

    with pytest.raises(FakeAwsError) as raised:
        aws.create_bucket("444455556666", "shared-name")
    assert raised.value.code == "BucketAlreadyExists"


def test_role_names_are_unique_per_account_whatever_their_case() -> None:
    aws = FakeAws()
    aws.create_role(CUSTOMER, "Reader", trust_policy(PRINCIPAL, EXTERNAL_ID))
    aws.create_role("444455556666", "reader", trust_policy(PRINCIPAL, EXTERNAL_ID))

    with pytest.raises(FakeAwsError) as raised:
        aws.create_role(CUSTOMER, "reader", trust_policy(PRINCIPAL, EXTERNAL_ID))
    assert raised.value.code == "EntityAlreadyExists"


@pytest.mark.parametrize(
    ("name", "path"), [("bad name", "/"), ("x" * 65, "/"), ("ok", "no-slashes"), ("ok", "/a//b/")]
)
def test_role_names_and_paths_follow_iam_rules(name: str, path: str) -> None:
    with pytest.raises(FakeAwsError) as raised:
        FakeAws().create_role(CUSTOMER, name, trust_policy(PRINCIPAL, EXTERNAL_ID), path)
    assert raised.value.code == "ValidationError"


def test_documents_are_checked_and_copied() -> None:
    aws, request = a_world()
    with pytest.raises(FakeAwsError, match="MalformedPolicyDocument"):
        aws.put_role_policy(request.role, "bad", {"Version": "2012-10-17"})

    document: dict[str, Any] = {"Version": "2012-10-17", "Statement": []}
    aws.put_role_policy(request.role, "later", document)
    document["Statement"].append({"Effect": "Deny", "Action": "*", "Resource": "*"})
    facts = aws.role_facts(request.role)
    assert facts is not None
    assert {"Version": "2012-10-17", "Statement": []} in facts.identity_policies


def test_building_on_what_does_not_exist_fails_as_on_aws() -> None:
    aws = FakeAws()
    nobody = RoleArn.parse(f"arn:aws:iam::{CUSTOMER}:role/nobody")
    with pytest.raises(FakeAwsError, match="NoSuchEntity"):
        aws.put_role_policy(nobody, "p", {"Statement": []})
    with pytest.raises(FakeAwsError, match="NoSuchBucket"):
        aws.put_object("no-such-bucket", "k")
    with pytest.raises(FakeAwsError, match="NoSuchEntity"):
        aws.attach_role_policy(nobody, f"arn:aws:iam::{CUSTOMER}:policy/none")
