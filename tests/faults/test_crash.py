"""Contract §3: an unexpected fault half-way through a request (after the probe
or the bucket's creation, before the row is stored) answers a problem body with
`internal_error` and the request id, is logged under that id with its trace,
and leaves nothing stored and nothing made in AWS."""

from __future__ import annotations

import logging
import uuid

from adapters.sandbox.customer import create_sandbox_customer
from adapters.sandbox.emulator import Emulator
from tests.conftest import PRINCIPAL_ARN, bearer
from tests.faults.conftest import (
    assert_problem,
    emulator_port,
    platform_buckets_named,
    platform_roles_named,
    running,
    sandbox_settings,
)
from tests.stack.conftest import stored_rows
from tests.support.log_capture import CapturedLogs, every_log

CRASH = "injected crash 5e1f"


class CrashingIds:
    """The id source, asked for a new row's id after the AWS work is done."""

    def new_id(self) -> uuid.UUID:
        raise RuntimeError(CRASH)


def _logged_under(logs: CapturedLogs, request_id: str) -> logging.LogRecord:
    records = logs.with_request_id(request_id)
    assert len(records) == 1
    assert records[0].levelno == logging.ERROR and records[0].exc_info is not None
    return records[0]


async def test_a_crash_between_probe_and_insert_is_internal_error_and_stores_nothing(
    sqlite_url: str, emulator: Emulator
) -> None:
    settings = sandbox_settings(sqlite_url, emulator_port(emulator))
    async with running(settings, ids=CrashingIds()) as service:
        setup = await service.client.get("/v1/account/aws-setup", headers=bearer())
        body = create_sandbox_customer(
            settings.sandbox_endpoint,
            PRINCIPAL_ARN,
            setup.json()["external_id"],
            1,
            bucket=f"crash-{uuid.uuid4().hex[:12]}",
        )
        with every_log(logging.ERROR) as logs:
            response = await service.client.post(
                "/v1/connectors/s3", json=body, headers={**bearer(), "x-request-id": "crash-1"}
            )
        # The probe ran in full (so the crash came after it) ...
        assert service.attempts.of("sts.AssumeRole") == 3  # the real one, the two binding
        assert service.attempts.of("s3.ListObjectsV2") == 1
    problem = assert_problem(response, 500, "internal_error")
    assert response.headers["x-request-id"] == "crash-1"
    assert CRASH not in response.text and "RuntimeError" not in response.text
    assert "x-request-id" in problem["detail"]
    record = _logged_under(logs, "crash-1")
    assert record.exc_info is not None and CRASH in str(record.exc_info[1])
    # ... and nothing was stored.
    assert await stored_rows(sqlite_url, "connector") == 0


async def test_a_crash_after_the_bucket_and_role_are_made_undoes_both_and_is_internal_error(
    sqlite_url: str, emulator: Emulator
) -> None:
    access = {"type": "role", "external_id": "customer-ext"}
    resource_id = f"crash-{uuid.uuid4().hex[:10]}"
    settings = sandbox_settings(sqlite_url, emulator_port(emulator))
    async with running(settings, ids=CrashingIds()) as service:
        create = {"account_id": "111122223333", "resource_id": resource_id, "access": access}
        with every_log(logging.ERROR) as logs:
            response = await service.client.post(
                "/resources/buckets", json=create, headers=bearer()
            )
        assert service.attempts.of("s3.CreateBucket") == 1  # made, then undone
    assert_problem(response, 500, "internal_error")
    _logged_under(logs, response.headers["x-request-id"])
    assert await stored_rows(sqlite_url, "managed_bucket") == 0
    assert platform_buckets_named(settings.sandbox_endpoint, f"nio-{resource_id}-") == []
    assert platform_roles_named(settings.sandbox_endpoint, f"nio-{resource_id}-") == []
