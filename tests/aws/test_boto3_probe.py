"""Boto3AccessProbe on AWS answers moto cannot give: throttling, 5xx, unreachable
endpoints, IAM propagation delays, and exactly what is sent to AWS."""

from __future__ import annotations

import logging
import time

import anyio
import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError

from adapters.aws.boto3_probe import Boto3AccessProbe
from adapters.aws.client_config import default_config
from domain.account_id import AccountId
from domain.errors import AwsUnavailable
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.probe import ProbeReport, ProbeRequest
from domain.role_arn import RoleArn
from domain.s3_uri import S3Uri

from .scripted_aws import (
    ASSUMED,
    ASSUMED_KEY_ID,
    Answer,
    ScriptedAws,
    raise_,
    respond,
    s3_error,
    sts_error,
)

EXTERNAL_ID = "org7-secret-external-id-0123456789abcdef"
# Nothing listens on the discard port: an unscripted call fails fast, never reaches AWS.
NOWHERE = "http://127.0.0.1:9"


def a_request(uri: str = "s3://customer-data/reports/") -> ProbeRequest:
    return ProbeRequest(
        role=RoleArn.parse("arn:aws:iam::111122223333:role/team/bucketlink"),
        target=S3Uri.parse(uri),
        bucket_owner=AccountId("111122223333"),
        external_id=ExternalId(EXTERNAL_ID),
        org_id=OrgId(7),
    )


@pytest.fixture
def aws() -> ScriptedAws:
    session = boto3.Session(
        aws_access_key_id="platform-key", aws_secret_access_key="platform", region_name="us-east-1"
    )
    return ScriptedAws(session)


def probe_on(aws: ScriptedAws, grace: float = 0, attempts: int = 2) -> Boto3AccessProbe:
    return Boto3AccessProbe(
        session=aws.session,
        endpoint_url=NOWHERE,
        assume_role_grace_seconds=grace,
        config=default_config(total_attempts=attempts),
    )


def codes(report: ProbeReport) -> list[tuple[str, bool, str | None]]:
    return [(check.name.value, check.ok, check.code) for check in report.checks]


async def test_a_passing_probe_sends_what_the_contract_says(aws: ScriptedAws) -> None:
    report = await probe_on(aws).probe(a_request())

    assert report == ProbeReport.passed()
    assert aws.params_of("AssumeRole") == [
        {
            "RoleArn": "arn:aws:iam::111122223333:role/team/bucketlink",
            "RoleSessionName": "bucketlink-org-7",
            "ExternalId": EXTERNAL_ID,
            "DurationSeconds": 900,
        }
    ]
    assert aws.params_of("HeadBucket") == [
        {"Bucket": "customer-data", "ExpectedBucketOwner": "111122223333"}
    ]
    assert aws.params_of("ListObjectsV2") == [
        {
            "Bucket": "customer-data",
            "Prefix": "reports/",
            "MaxKeys": 1,
            "ExpectedBucketOwner": "111122223333",
        }
    ]


async def test_s3_is_called_with_the_assumed_credentials_not_the_platform_s(
    aws: ScriptedAws,
) -> None:
    await probe_on(aws).probe(a_request())

    s3_requests = [request for name, request in aws.sent if name != "AssumeRole"]
    assert len(s3_requests) == 2
    for request in s3_requests:
        assert ASSUMED_KEY_ID in request.headers["Authorization"].decode()
        assert request.headers["X-Amz-Security-Token"] == b"scripted-session-token"
        assert request.headers["x-amz-expected-bucket-owner"] == b"111122223333"


async def test_a_denied_assume_role_is_not_retried_without_grace(aws: ScriptedAws) -> None:
    aws.script("AssumeRole", sts_error(403, "AccessDenied"))

    report = await probe_on(aws, grace=0).probe(a_request())

    assert codes(report) == [
        ("assume_role", False, "assume_role_denied"),
        ("head_bucket", False, "skipped"),
        ("list_objects", False, "skipped"),
    ]
    assert aws.attempts("AssumeRole") == 1
    assert report.failure is not None
    assert "retried" not in report.failure.message


async def test_a_denied_assume_role_is_retried_for_the_grace_and_says_so(
    aws: ScriptedAws,
) -> None:
    aws.script("AssumeRole", sts_error(403, "AccessDenied"))

    started = time.monotonic()
    report = await probe_on(aws, grace=0.3).probe(a_request())
    elapsed = time.monotonic() - started

    assert report.failure is not None and report.failure.code == "assume_role_denied"
    assert aws.attempts("AssumeRole") >= 2
    assert 0.3 <= elapsed < 2
    assert "retried for 0.3 seconds" in report.failure.message
    assert "propagate" in report.failure.message


async def test_a_role_that_becomes_assumable_within_the_grace_passes(aws: ScriptedAws) -> None:
    aws.script("AssumeRole", sts_error(403, "AccessDenied"), ASSUMED)

    report = await probe_on(aws, grace=2).probe(a_request())

    assert report == ProbeReport.passed()
    assert aws.attempts("AssumeRole") == 2


async def test_throttling_after_botocore_s_retries_is_unavailable(aws: ScriptedAws) -> None:
    aws.script("AssumeRole", sts_error(400, "Throttling"))

    with pytest.raises(AwsUnavailable, match="Throttling"):
        await probe_on(aws, grace=5, attempts=2).probe(a_request())
    assert aws.attempts("AssumeRole") == 2  # botocore retried; the IAM grace did not


@pytest.mark.parametrize(
    ("operation", "answer"),
    [
        ("AssumeRole", respond(500)),
        ("AssumeRole", sts_error(403, "InvalidClientTokenId")),
        ("HeadBucket", respond(503)),
        ("ListObjectsV2", s3_error(503, "SlowDown")),
        ("ListObjectsV2", s3_error(500, "InternalError")),
        ("HeadBucket", raise_(EndpointConnectionError(endpoint_url=NOWHERE))),
        ("ListObjectsV2", raise_(ReadTimeoutError(endpoint_url=NOWHERE))),
    ],
)
async def test_aws_failing_to_answer_is_unavailable(
    aws: ScriptedAws, operation: str, answer: Answer
) -> None:
    aws.script(operation, answer)

    with pytest.raises(AwsUnavailable) as raised:
        await probe_on(aws, attempts=1).probe(a_request())
    assert EXTERNAL_ID not in raised.value.detail


async def test_an_unreachable_endpoint_is_unavailable() -> None:
    session = boto3.Session(
        aws_access_key_id="k", aws_secret_access_key="s", region_name="us-east-1"
    )
    config = Config(
        connect_timeout=0.2, read_timeout=0.2, retries={"mode": "standard", "total_max_attempts": 1}
    )
    probe = Boto3AccessProbe(session=session, endpoint_url="http://127.0.0.1:1", config=config)

    with pytest.raises(AwsUnavailable, match="could not be reached"):
        await probe.probe(a_request())


@pytest.mark.parametrize(
    ("operation", "answer", "expected"),
    [
        (
            "HeadBucket",
            respond(404),
            [("head_bucket", False, "bucket_not_found"), ("list_objects", False, "skipped")],
        ),
        (
            "HeadBucket",
            respond(403),
            [("head_bucket", False, "bucket_access_denied"), ("list_objects", False, "skipped")],
        ),
        (
            "HeadBucket",
            respond(400),
            [("head_bucket", False, "bucket_access_denied"), ("list_objects", False, "skipped")],
        ),
        (
            "ListObjectsV2",
            s3_error(403, "AccessDenied"),
            [("head_bucket", True, None), ("list_objects", False, "list_denied")],
        ),
        (
            "ListObjectsV2",
            s3_error(404, "NoSuchBucket"),
            [("head_bucket", True, None), ("list_objects", False, "bucket_not_found")],
        ),
    ],
)
async def test_s3_answers_become_step_codes(
    aws: ScriptedAws, operation: str, answer: Answer, expected: list[tuple[str, bool, str | None]]
) -> None:
    aws.script(operation, answer)

    report = await probe_on(aws).probe(a_request())

    assert codes(report) == [("assume_role", True, None), *expected]


async def test_no_secret_reaches_reports_or_logs(
    aws: ScriptedAws, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="adapters")
    aws.script("AssumeRole", sts_error(403, "AccessDenied"))

    report = await probe_on(aws, grace=0.1).probe(a_request())

    said = " ".join(check.message for check in report.checks) + caplog.text
    assert EXTERNAL_ID not in said
    assert "scripted-session-token" not in said


async def test_concurrent_probes_share_one_probe_safely(aws: ScriptedAws) -> None:
    probe = probe_on(aws)
    reports: list[ProbeReport] = []

    async def run() -> None:
        reports.append(await probe.probe(a_request()))

    async with anyio.create_task_group() as group:
        for _ in range(20):
            group.start_soon(run)

    assert reports == [ProbeReport.passed()] * 20


async def test_a_validation_error_is_not_waited_on(aws: ScriptedAws) -> None:
    aws.script("AssumeRole", sts_error(400, "ValidationError"))

    report = await probe_on(aws, grace=5).probe(a_request())

    assert codes(report)[0] == ("assume_role", False, "assume_role_denied")
    assert aws.attempts("AssumeRole") == 1
