"""Contract §3 and §7: a database that cannot be reached, or cannot be written
because another connection holds SQLite's write lock, answers 503
`database_unavailable` with Retry-After, leaves nothing half-made in AWS, and
`GET /ready` says the database is the dependency that is down."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from piccolo.engine.sqlite import SQLiteEngine

from adapters.sandbox.customer import create_sandbox_customer
from adapters.sandbox.emulator import Emulator
from entrypoints.container import Container
from tests.conftest import PRINCIPAL_ARN, bearer
from tests.faults.conftest import (
    Service,
    assert_unavailable,
    emulator_port,
    platform_buckets_named,
    platform_roles_named,
    running,
    sandbox_settings,
)
from tests.stack.conftest import stored_rows

UNREACHABLE_POSTGRES = "postgresql://postgres@127.0.0.1:1/bucketlink"
DATABASE_DOWN = {"status": "unavailable", "dependencies": {"database": "unavailable", "aws": "ok"}}
# SQLite's busy timeout in production is 15 s; a test-only engine waits less.
SHORT_BUSY_TIMEOUT = 0.2


async def _register_and_create_bucket_fail(service: Service, body: dict[str, Any]) -> None:
    client = service.client
    assert_unavailable(
        await client.post("/v1/connectors/s3", json=body, headers=bearer()),
        "database_unavailable",
    )
    resource_id = f"dbdown-{uuid.uuid4().hex[:10]}"
    create = {
        "account_id": "111122223333",
        "resource_id": resource_id,
        "access": {"type": "role", "external_id": "customer-ext"},
    }
    assert_unavailable(
        await client.post("/resources/buckets", json=create, headers=bearer()),
        "database_unavailable",
    )
    # The bucket and its role were made before the row could not be: both undone.
    endpoint = service.settings.sandbox_endpoint
    assert platform_buckets_named(endpoint, f"nio-{resource_id}-") == []
    assert platform_roles_named(endpoint, f"nio-{resource_id}-") == []
    ready = await client.get("/ready")
    assert ready.status_code == 503
    assert ready.json() == DATABASE_DOWN


@pytest.mark.filterwarnings("ignore:.*Unable to connect to database:Warning")
async def test_an_unreachable_postgresql_is_503_and_ready_names_the_database(
    emulator: Emulator,
) -> None:
    settings = sandbox_settings(UNREACHABLE_POSTGRES, emulator_port(emulator))
    async with running(settings) as service:
        assert_unavailable(
            await service.client.get("/v1/account/aws-setup", headers=bearer()),
            "database_unavailable",
        )
        body = {
            "credential_name": "reports",
            "role_arn": "arn:aws:iam::111122223333:role/bucketlink-reports",
            "bucket_uri": "s3://customer-reports",
            "expected_bucket_owner_account_id": "111122223333",
        }
        await _register_and_create_bucket_fail(service, body)


@contextmanager
def write_lock_held(database_url: str) -> Iterator[None]:
    """Another connection holds the SQLite file's write lock (readers still read)."""
    holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _impatient_sqlite(database_url: str) -> Any:
    def prepare(container: Container) -> None:
        path = database_url.removeprefix("sqlite:///")
        container.database.override(SQLiteEngine(path=path, timeout=SHORT_BUSY_TIMEOUT))

    return prepare


async def test_a_locked_sqlite_is_503_stores_nothing_and_ready_names_the_database(
    sqlite_url: str, emulator: Emulator
) -> None:
    settings = sandbox_settings(sqlite_url, emulator_port(emulator))
    async with running(settings, _impatient_sqlite(sqlite_url)) as service:
        setup = await service.client.get("/v1/account/aws-setup", headers=bearer())
        body = create_sandbox_customer(
            settings.sandbox_endpoint,
            PRINCIPAL_ARN,
            setup.json()["external_id"],
            1,
            bucket=f"dblock-{uuid.uuid4().hex[:12]}",
        )
        with write_lock_held(sqlite_url):
            # Reads still work: the probe runs (the org's external id is read),
            # and only the insert after it waits out the busy timeout.
            await _register_and_create_bucket_fail(service, body)
            assert_unavailable(
                await service.client.get("/v1/account/aws-setup", headers=bearer(org=2)),
                "database_unavailable",
            )
        assert await stored_rows(sqlite_url, "connector") == 0
        assert await stored_rows(sqlite_url, "managed_bucket") == 0
        assert await stored_rows(sqlite_url, "organisation") == 1

        # The lock is gone: the service is ready again, and the same request works.
        assert (await service.client.get("/ready")).status_code == 200
        created = await service.client.post("/v1/connectors/s3", json=body, headers=bearer())
        assert created.status_code == 200, created.text
