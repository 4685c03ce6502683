"""Boto3AccessProbe on AWS answers moto cannot give: throttling, 5xx, unreachable
endpoints, IAM propagation delays, and exactly what is sent to AWS."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import anyio
import boto3
import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError

from adapters.aws.boto3_probe import Boto3AccessProbe
from adapters.aws.client_config import default_config
from domain.account_id import AccountId
from domain.errors import AwsUnavailable
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.probe import BindingAttempt, ProbeReport, ProbeRequest
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
    sent_params,
    sts_error,
    trusting,
)

EXTERNAL_ID = "org7-secret-external-id-0123456789abcdef"
DECOY_EXTERNAL_ID = "decoy-external-id-fedcba9876543210fedcba98"
# Nothing listens on the discard port: an unscripted call fails fast, never reaches AWS.
NOWHERE = "http://127.0.0.1:9"


def a_request(uri: str = "s3://customer-data/reports/") -> ProbeRequest:
    return ProbeRequest(
        role=RoleArn.parse("arn:aws:iam::111122223333:role/team/bucketlink"),
        target=S3Uri.parse(uri),
        bucket_owner=AccountId("111122223333"),
        external_id=ExternalId(EXTERNAL_ID),
        org_id=OrgId(7),
        decoy_external_id=ExternalId(DECOY_EXTERNAL_ID),
    )


@pytest.fixture
def aws() -> ScriptedAws:
    session = boto3.Session(
        aws_access_key_id="platform-key", aws_secret_access_key="platform", region_name="us-east-1"
    )
    scripted = ScriptedAws(session)
    # The customer's role, bound to org 7's external id as aws-setup says.
    scripted.script("AssumeRole", trusting(EXTERNAL_ID))
    return scripted


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
    real = {
        "RoleArn": "arn:aws:iam::111122223333:role/team/bucketlink",
        "RoleSessionName": "bucketlink-org-7",
        "ExternalId": EXTERNAL_ID,
        "DurationSeconds": 900,
    }
    first, *binding = aws.params_of("AssumeRole")
    assert first == real
    # The binding attempts differ from the real one in the external id alone.
    without = {key: value for key, value in real.items() if key != "ExternalId"}
    assert sorted(binding, key=len) == [without, {**real, "ExternalId": DECOY_EXTERNAL_ID}]
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
    aws.rescript("AssumeRole", sts_error(403, "AccessDenied"))

    report = await probe_on(aws, grace=0).probe(a_request())

    assert codes(report) == [
        ("assume_role", False, "assume_role_denied"),
        ("external_id_required", False, "skipped"),
        ("head_bucket", False, "skipped"),
        ("list_objects", False, "skipped"),
    ]
    assert aws.attempts("AssumeRole") == 1
    assert report.failure is not None
    assert "retried" not in report.failure.message


async def test_a_denied_assume_role_is_retried_for_the_grace_and_says_so(
    aws: ScriptedAws,
) -> None:
    aws.rescript("AssumeRole", sts_error(403, "AccessDenied"))

    started = time.monotonic()
    report = await probe_on(aws, grace=0.3).probe(a_request())
    elapsed = time.monotonic() - started

    assert report.failure is not None and report.failure.code == "assume_role_denied"
    assert aws.attempts("AssumeRole") >= 2
    assert 0.3 <= elapsed < 2
    assert "retried for 0.3 seconds" in report.failure.message
    assert "propagate" in report.failure.message


async def test_a_role_that_becomes_assumable_within_the_grace_passes(aws: ScriptedAws) -> None:
    aws.rescript("AssumeRole", sts_error(403, "AccessDenied"), trusting(EXTERNAL_ID))

    report = await probe_on(aws, grace=2).probe(a_request())

    assert report == ProbeReport.passed()
    assert aws.attempts("AssumeRole") == 2 + 2  # then the two binding attempts


async def test_throttling_after_botocore_s_retries_is_unavailable(aws: ScriptedAws) -> None:
    aws.rescript("AssumeRole", sts_error(400, "Throttling"))

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
    aws.rescript(operation, answer)

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

    assert codes(report) == [
        ("assume_role", True, None),
        ("external_id_required", True, None),
        *expected,
    ]


async def test_no_secret_reaches_reports_or_logs(
    aws: ScriptedAws, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="adapters")
    aws.rescript("AssumeRole", sts_error(403, "AccessDenied"))

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
    aws.rescript("AssumeRole", sts_error(400, "ValidationError"))

    report = await probe_on(aws, grace=5).probe(a_request())

    assert codes(report)[0] == ("assume_role", False, "assume_role_denied")
    assert aws.attempts("AssumeRole") == 1


# -- the binding check: the role must refuse the platform without the org's id --

UNBOUND = [
    ("assume_role", True, None),
    ("external_id_required", False, "external_id_not_enforced"),
    ("head_bucket", False, "skipped"),
    ("list_objects", False, "skipped"),
]


def letting_in(admits: Callable[[str | None], bool]) -> Answer:
    """A role whose trust policy admits the platform when ``admits(external id sent)``."""
    denied = sts_error(403, "AccessDenied")

    def answer(request: AWSPreparedRequest) -> AWSResponse:
        return (ASSUMED if admits(sent_params(request).get("ExternalId")) else denied)(request)

    return answer


@pytest.mark.parametrize(
    ("admits", "named"),
    [
        (lambda sent: True, list(BindingAttempt)),
        (lambda sent: sent is not None, [BindingAttempt.WITH_ANOTHER_EXTERNAL_ID]),
        (lambda sent: sent in (None, EXTERNAL_ID), [BindingAttempt.WITHOUT_EXTERNAL_ID]),
    ],
    ids=["no condition", "any external id", "the right one or none"],
)
async def test_a_role_that_lets_the_platform_in_without_the_org_s_id_is_refused(
    aws: ScriptedAws, admits: Callable[[str | None], bool], named: list[BindingAttempt]
) -> None:
    aws.rescript("AssumeRole", letting_in(admits))

    report = await probe_on(aws).probe(a_request())

    assert codes(report) == UNBOUND
    assert report.failure is not None
    for attempt in BindingAttempt:
        assert (attempt.value in report.failure.message) == (attempt in named)
    # What the binding attempts obtained was never used: no S3 call at all.
    assert [name for name, _ in aws.sent] == ["AssumeRole"] * 3


async def test_an_expected_denial_is_never_retried_even_within_the_grace(
    aws: ScriptedAws,
) -> None:
    report = await probe_on(aws, grace=5).probe(a_request())

    assert report == ProbeReport.passed()
    assert aws.attempts("AssumeRole") == 3  # the real one and the two binding attempts


@pytest.mark.parametrize(
    "failure",
    [
        sts_error(400, "Throttling"),
        respond(503),
        raise_(EndpointConnectionError(endpoint_url=NOWHERE)),
    ],
    ids=["throttled", "5xx", "unanswered"],
)
@pytest.mark.parametrize("attempt_failing", [None, DECOY_EXTERNAL_ID], ids=["none", "decoy"])
async def test_a_binding_attempt_aws_does_not_answer_is_unavailable_never_a_pass(
    aws: ScriptedAws, failure: Answer, attempt_failing: str | None
) -> None:
    bound = trusting(EXTERNAL_ID)

    def answer(request: AWSPreparedRequest) -> AWSResponse:
        sent = sent_params(request).get("ExternalId")
        return (failure if sent == attempt_failing else bound)(request)

    aws.rescript("AssumeRole", answer)

    with pytest.raises(AwsUnavailable) as raised:
        await probe_on(aws, grace=5, attempts=1).probe(a_request())
    assert "AssumeRole" in raised.value.detail
    assert EXTERNAL_ID not in raised.value.detail
    assert DECOY_EXTERNAL_ID not in raised.value.detail
    assert [name for name, _ in aws.sent if name != "AssumeRole"] == []


async def test_both_binding_attempts_are_in_flight_at_once(aws: ScriptedAws) -> None:
    # Each binding attempt waits for the other to arrive: one after the other,
    # the first would wait in vain (and the probe fail), so this passes only if
    # the two cost one round trip together.
    both_sent = threading.Barrier(2, timeout=5)
    bound = trusting(EXTERNAL_ID)

    def answer(request: AWSPreparedRequest) -> AWSResponse:
        if sent_params(request).get("ExternalId") != EXTERNAL_ID:
            both_sent.wait()
        return bound(request)

    aws.rescript("AssumeRole", answer)

    assert await probe_on(aws).probe(a_request()) == ProbeReport.passed()
    assert not both_sent.broken
