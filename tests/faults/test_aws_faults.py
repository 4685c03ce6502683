"""Contract §3: AWS unreachable, throttling or hanging answers 503
`aws_unavailable` with Retry-After, after a bounded number of botocore attempts
in bounded time, and leaves nothing behind: no connector row, no managed bucket
row, bucket or role."""

from __future__ import annotations

import time
import uuid
from typing import Any
from urllib.parse import parse_qs

import msgspec
import pytest
from botocore.config import Config

from adapters.aws.boto3_probe import Boto3AccessProbe
from adapters.aws.boto3_provisioner import Boto3BucketProvisioner
from adapters.sandbox.customer import create_sandbox_customer
from adapters.sandbox.emulator import Emulator
from entrypoints.container import Container
from entrypoints.settings import Settings
from tests.conftest import PRINCIPAL_ARN, bearer
from tests.faults.conftest import (
    Service,
    assert_unavailable,
    aws_settings,
    emulator_port,
    platform_buckets_named,
    platform_roles_named,
    running,
    sandbox_settings,
)
from tests.stack.conftest import stored_rows

# botocore's standard retry mode sleeps random() * scale * 2 ** (attempt - 1)
# seconds after each failed attempt but the last: scale 1 s for throttling, 0.05 s
# for other errors (unless AWS asks for more with x-amz-retry-after).
SLACK = 1.5  # seconds for everything else a request does on this machine
CONNECTOR = {
    "credential_name": "reports",
    "role_arn": "arn:aws:iam::111122223333:role/bucketlink-reports",
    "bucket_uri": "s3://customer-reports/exports/",
    "expected_bucket_owner_account_id": "111122223333",
}


def _most_backoff(attempts: int) -> float:
    return float(sum(2**n for n in range(attempts - 1)))


def _resource_id() -> str:
    return f"faults-{uuid.uuid4().hex[:10]}"


async def _timed(call: Any) -> tuple[Any, float]:
    started = time.monotonic()
    response = await call
    return response, time.monotonic() - started


async def _nothing_stored(service: Service) -> None:
    url = service.settings.database_url
    assert await stored_rows(url, "connector") == 0
    assert await stored_rows(url, "managed_bucket") == 0


# The first AWS call of a registration, and how many attempts its client makes:
# in both modes the boto3 probe first calls AssumeRole (the platform's three).
FIRST_CALL = {"sandbox": ("sts.AssumeRole", 3), "aws": ("sts.AssumeRole", 3)}


@pytest.mark.parametrize("mode", ["sandbox", "aws"])
async def test_unreachable_aws_is_503_after_bounded_attempts_and_stores_nothing(
    mode: str, sqlite_url: str, closed_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    if mode == "sandbox":
        settings = sandbox_settings(sqlite_url, closed_port)
    else:
        settings = aws_settings(sqlite_url, monkeypatch, f"http://127.0.0.1:{closed_port}")
    operation, attempts = FIRST_CALL[mode]
    async with running(settings) as service:
        client = service.client
        for path in ("/v1/connectors/s3", "/v1/connectors/s3/validate"):
            response, seconds = await _timed(client.post(path, json=CONNECTOR, headers=bearer()))
            assert_unavailable(response, "aws_unavailable")
            assert service.attempts.made == [operation] * attempts
            assert seconds < _most_backoff(attempts) + SLACK
            service.attempts.made.clear()

        create = {"account_id": "111122223333", "resource_id": _resource_id()}
        response, seconds = await _timed(
            client.post("/resources/buckets", json=create, headers=bearer())
        )
        assert_unavailable(response, "aws_unavailable")
        assert service.attempts.made == ["s3.HeadBucket"] * 3
        assert seconds < _most_backoff(3) + SLACK
        await _nothing_stored(service)


async def _sandbox_customer(service: Service, org: int = 1) -> dict[str, str]:
    setup = await service.client.get("/v1/account/aws-setup", headers=bearer(org=org))
    assert setup.status_code == 200, setup.text
    return create_sandbox_customer(
        service.settings.sandbox_endpoint,
        PRINCIPAL_ARN,
        setup.json()["external_id"],
        org,
        bucket=f"faults-{uuid.uuid4().hex[:12]}",
    )


# Throttling is retried after up to 1 s, then 2 s; other 5xx answers after a
# twentieth of that (botocore's standard mode): one throttled case a side.
@pytest.mark.parametrize(
    ("operation", "status", "code"),
    [("sts.AssumeRole", 400, "Throttling"), ("s3.HeadBucket", 500, "InternalError")],
)
async def test_a_throttled_or_failing_probe_is_tried_three_times_then_503_storing_nothing(
    sqlite_url: str, emulator: Emulator, operation: str, status: int, code: str
) -> None:
    async with running(sandbox_settings(sqlite_url, emulator_port(emulator))) as service:
        body = await _sandbox_customer(service)
        service.aws.fail(operation, status, code)
        response, seconds = await _timed(
            service.client.post("/v1/connectors/s3", json=body, headers=bearer())
        )
        assert_unavailable(response, "aws_unavailable")
        assert service.attempts.of(operation) == 3
        assert seconds < _most_backoff(3) + SLACK
        await _nothing_stored(service)

        service.aws.recover()  # AWS is back: the same request now succeeds
        again = await service.client.post("/v1/connectors/s3", json=body, headers=bearer())
        assert again.status_code == 200, again.text


def _without_external_id(request: Any) -> bool:
    body = request.body.decode() if isinstance(request.body, bytes) else str(request.body)
    return "ExternalId" not in parse_qs(body)


@pytest.mark.parametrize(("status", "code"), [(400, "Throttling"), (503, "ServiceUnavailable")])
async def test_a_binding_attempt_aws_cannot_answer_is_503_never_a_pass(
    sqlite_url: str, emulator: Emulator, status: int, code: str
) -> None:
    # With a grace that would retry a denial for seconds: AWS failing to answer
    # is botocore's to retry, not the grace's, and it never counts as denied.
    patient = msgspec.structs.replace(
        sandbox_settings(sqlite_url, emulator_port(emulator)), assume_role_grace_seconds=5
    )
    async with running(patient) as service:
        body = await _sandbox_customer(service)
        service.aws.fail("sts.AssumeRole", status, code, when=_without_external_id)

        response = await service.client.post("/v1/connectors/s3", json=body, headers=bearer())

        assert_unavailable(response, "aws_unavailable")
        # The real attempt, the decoy (denied at once) and three tries without one.
        assert service.attempts.of("sts.AssumeRole") == 1 + 1 + 3
        assert service.attempts.of("s3.HeadBucket") == 0
        await _nothing_stored(service)


@pytest.mark.parametrize(
    ("operation", "status", "code", "access"),
    [
        ("s3.CreateBucket", 503, "ServiceUnavailable", {"type": "bucket_policy"}),
        ("s3.PutBucketEncryption", 500, "InternalError", {"type": "bucket_policy"}),
        ("iam.CreateRole", 400, "Throttling", {"type": "role", "external_id": "customer-ext"}),
    ],
)
async def test_throttled_or_failing_provisioning_is_503_leaving_no_bucket_role_or_row(
    sqlite_url: str,
    emulator: Emulator,
    operation: str,
    status: int,
    code: str,
    access: dict[str, str],
) -> None:
    async with running(sandbox_settings(sqlite_url, emulator_port(emulator))) as service:
        service.aws.fail(operation, status, code)
        resource_id = _resource_id()
        create = {"account_id": "111122223333", "resource_id": resource_id, "access": access}
        response, seconds = await _timed(
            service.client.post("/resources/buckets", json=create, headers=bearer())
        )
        assert_unavailable(response, "aws_unavailable")
        assert service.attempts.of(operation) == 3
        assert seconds < _most_backoff(3) + SLACK
        await _nothing_stored(service)
        endpoint = service.settings.sandbox_endpoint
        assert platform_buckets_named(endpoint, f"nio-{resource_id}-") == []
        assert platform_roles_named(endpoint, f"nio-{resource_id}-") == []


# The production timeouts (client_config.default_config: connect 3 s, read 10 s,
# three attempts) bound a hanging AWS call to 3 x 13 s plus 3 s of backoff; the
# test shortens the read timeout only, to see the same mechanism in seconds.
READ_TIMEOUT = 0.2
SHORT = Config(connect_timeout=1, read_timeout=READ_TIMEOUT)


def _impatient_adapters(settings: Settings) -> Any:
    def prepare(container: Container) -> None:
        session = container.aws_session()
        container.probe.override(
            Boto3AccessProbe(
                session=session,
                region_name=settings.region,
                assume_role_grace_seconds=0,
                config=SHORT,
            )
        )
        container.provisioner.override(
            Boto3BucketProvisioner(
                session=session,
                region_name=settings.region,
                role_boundary_arn=settings.role_boundary_arn,
                config=SHORT,
            )
        )

    return prepare


async def test_aws_that_never_answers_times_out_three_times_then_503(
    sqlite_url: str, silent_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = aws_settings(sqlite_url, monkeypatch, f"http://127.0.0.1:{silent_port}")
    async with running(settings, _impatient_adapters(settings)) as service:
        client = service.client
        response, seconds = await _timed(
            client.post("/v1/connectors/s3", json=CONNECTOR, headers=bearer())
        )
        assert_unavailable(response, "aws_unavailable")
        assert service.attempts.made == ["sts.AssumeRole"] * 3
        assert 3 * READ_TIMEOUT <= seconds < 3 * READ_TIMEOUT + _most_backoff(3) + SLACK

        service.attempts.made.clear()
        create = {"account_id": "111122223333", "resource_id": _resource_id()}
        response, seconds = await _timed(
            client.post("/resources/buckets", json=create, headers=bearer())
        )
        assert_unavailable(response, "aws_unavailable")
        assert service.attempts.made == ["s3.HeadBucket"] * 3
        assert 3 * READ_TIMEOUT <= seconds < 3 * READ_TIMEOUT + _most_backoff(3) + SLACK
        await _nothing_stored(service)
