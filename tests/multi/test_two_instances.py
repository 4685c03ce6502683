"""Contract §7: several instances may serve one PostgreSQL database at once, and
every rule holds across them: one row per race, one external id per org, and
(with BUCKETLINK_REDIS_URL) one rate limit per org."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import asyncpg
import httpx
import pytest

from adapters.sandbox.customer import create_sandbox_customer
from adapters.sandbox.emulator import Emulator
from tests.conftest import bearer
from tests.multi.conftest import PRINCIPAL_ARN, RATE_LIMIT, Instance
from tests.support.redis_server import forget_counters, unused_org_id

_BUDGET_SECONDS = 60


@pytest.fixture
def org(redis_url: str) -> Iterator[int]:
    """An organisation no other run uses, whose Redis counters are deleted after."""
    org_id = unused_org_id()
    yield org_id
    forget_counters(redis_url, org_id)


@pytest.fixture(scope="module", autouse=True)
def within_budget() -> Iterator[None]:
    """Everything here, the instances' start and stop included, within the budget."""
    started = time.monotonic()
    yield
    elapsed = time.monotonic() - started
    assert elapsed < _BUDGET_SECONDS, f"the two-instance tests took {elapsed:.1f} s"


async def _spread(
    instances: tuple[Instance, Instance], count: int, method: str, path: str, **kwargs: Any
) -> list[httpx.Response]:
    """``count`` requests at once, alternating between the instances."""
    async with httpx.AsyncClient(timeout=30) as client:
        return list(
            await asyncio.gather(
                *(
                    client.request(method, f"{instances[n % 2].base_url}{path}", **kwargs)
                    for n in range(count)
                )
            )
        )


async def _onboard(instance: Instance, aws: Emulator, org: int) -> dict[str, str]:
    async with httpx.AsyncClient(timeout=30) as client:
        setup = await client.get(
            f"{instance.base_url}/v1/account/aws-setup", headers=bearer(org=org)
        )
    assert setup.status_code == 200, setup.text
    return create_sandbox_customer(
        aws.endpoint_url, PRINCIPAL_ARN, setup.json()["external_id"], org
    )


async def _count(database_url: str, sql: str, *args: Any) -> int:
    connection = await asyncpg.connect(database_url, timeout=5)
    try:
        return int(await connection.fetchval(sql, *args))
    finally:
        await connection.close()


async def test_parallel_duplicate_creates_on_both_instances_store_one_row(
    instances: tuple[Instance, Instance], aws: Emulator, service_env: dict[str, str], org: int
) -> None:
    body = await _onboard(instances[0], aws, org)

    answers = await _spread(
        instances, 10, "POST", "/v1/connectors/s3", json=body, headers=bearer(org=org)
    )

    statuses = sorted(a.status_code for a in answers)
    print(f"10 duplicate creates over two instances: {statuses}")
    assert statuses == [200] + [409] * 9, [a.text for a in answers]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {
        "duplicate_credential_name"
    }
    rows = await _count(
        service_env["BUCKETLINK_DATABASE_URL"],
        "SELECT count(*) FROM connector WHERE org_id = $1 AND credential_name = $2",
        org,
        body["credential_name"],
    )
    assert rows == 1


async def test_a_new_orgs_first_setups_on_both_instances_agree_on_one_external_id(
    instances: tuple[Instance, Instance], service_env: dict[str, str], org: int
) -> None:
    answers = await _spread(instances, 10, "GET", "/v1/account/aws-setup", headers=bearer(org=org))

    assert [a.status_code for a in answers] == [200] * 10, [a.text for a in answers]
    external_ids = {a.json()["external_id"] for a in answers}
    print(f"10 first aws-setup calls over two instances: {len(external_ids)} external id(s)")
    assert len(external_ids) == 1
    rows = await _count(
        service_env["BUCKETLINK_DATABASE_URL"],
        "SELECT count(*) FROM organisation WHERE org_id = $1",
        org,
    )
    assert rows == 1


async def test_the_rate_limit_is_shared_by_both_instances(
    instances: tuple[Instance, Instance], aws: Emulator, org: int
) -> None:
    body = await _onboard(instances[0], aws, org)

    allowed = await _spread(
        instances,
        RATE_LIMIT,
        "POST",
        "/v1/connectors/s3/validate",
        json=body,
        headers=bearer(org=org),
    )
    after = await _spread(
        instances, 2, "POST", "/v1/connectors/s3/validate", json=body, headers=bearer(org=org)
    )

    print(
        f"{RATE_LIMIT}/minute over two instances: "
        f"{[a.status_code for a in allowed]} then {[a.status_code for a in after]}"
    )
    assert [a.status_code for a in allowed] == [200] * RATE_LIMIT, [a.text for a in allowed]
    assert all(a.json()["valid"] for a in allowed)
    for refused in after:  # one on each instance
        assert refused.status_code == 429, refused.text
        assert refused.json()["code"] == "rate_limited"
        assert int(refused.headers["retry-after"]) >= 1


async def test_concurrent_requests_over_both_instances_never_exceed_the_limit(
    instances: tuple[Instance, Instance], org: int
) -> None:
    # Cheap requests (the body is refused), all at once: only the counting is under test.
    answers = await _spread(
        instances, RATE_LIMIT * 2, "POST", "/resources/buckets", json={}, headers=bearer(org=org)
    )

    statuses = sorted(a.status_code for a in answers)
    print(f"{RATE_LIMIT * 2} concurrent requests over two instances: {statuses}")
    assert statuses == [400] * RATE_LIMIT + [429] * RATE_LIMIT
