"""Issue 15: one change at a time per managed bucket, across two ``serve``
instances on one PostgreSQL. Racing access changes, a change racing a delete,
and the operator's lock during changes; after every trial what the platform
account holds in AWS is exactly what the row records."""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from adapters.sandbox.emulator import Emulator
from tests.conftest import bearer
from tests.multi.conftest import BUCKETLINK, MAX_BUCKETS, Instance
from tests.support.grants_held import Holdings, held_by_emulator, recorded
from tests.support.redis_server import forget_counters, unused_org_id

TRIALS = 4
CHANGES = [
    {"access": {"type": "role", "external_id": "customer-chosen-id"}},
    {"access": {"type": "bucket_policy"}, "account_id": "444455556666"},
    {"access": {"type": "role", "external_id": "another-chosen-id"}, "account_id": "777788889999"},
    {"access": {"type": "bucket_policy"}},
]
NOTHING = Holdings(None, None)


@pytest.fixture
def orgs(redis_url: str) -> Iterator[list[int]]:
    made: list[int] = []
    yield made
    forget_counters(redis_url, *made)


async def _bucket(client: httpx.AsyncClient, instance: Instance, org: int) -> dict[str, Any]:
    body = {"account_id": "111122223333", "resource_id": "races"}
    created = await client.post(
        f"{instance.base_url}/resources/buckets", json=body, headers=bearer(org=org)
    )
    assert created.status_code == 200, created.text
    return dict(created.json())


async def _row(client: httpx.AsyncClient, instance: Instance, org: int, bucket_id: str) -> Any:
    got = await client.get(
        f"{instance.base_url}/resources/buckets/{bucket_id}", headers=bearer(org=org)
    )
    return got.json() if got.status_code == 200 else None


def _tally(answers: list[httpx.Response]) -> list[str]:
    return [
        str(a.status_code) if a.status_code < 400 else f"{a.status_code} {a.json()['code']}"
        for a in answers
    ]


async def test_racing_changes_on_two_instances_leave_aws_as_the_row_says(
    instances: tuple[Instance, Instance], aws: Emulator, orgs: list[int]
) -> None:
    seen: collections.Counter[str] = collections.Counter()
    async with httpx.AsyncClient(timeout=60) as client:
        for _ in range(TRIALS):
            orgs.append(org := unused_org_id())
            bucket = await _bucket(client, instances[0], org)
            url = f"/resources/buckets/{bucket['id']}/access"
            answers = await asyncio.gather(
                *(
                    client.put(
                        f"{instances[n % 2].base_url}{url}", json=change, headers=bearer(org=org)
                    )
                    for n, change in enumerate(CHANGES)
                )
            )
            tally = _tally(list(answers))
            seen.update(tally)
            assert set(tally) <= {"200", "409 bucket_busy"}, tally
            assert tally.count("200") >= 1, tally
            row = await _row(client, instances[1], org, bucket["id"])
            assert held_by_emulator(aws.endpoint_url, bucket["name"]) == recorded(row)
    print(f"{TRIALS} trials of {len(CHANGES)} racing changes over two instances: {dict(seen)}")


async def test_a_change_racing_a_delete_on_another_instance_leaves_no_grant(
    instances: tuple[Instance, Instance], aws: Emulator, orgs: list[int]
) -> None:
    seen: collections.Counter[str] = collections.Counter()
    async with httpx.AsyncClient(timeout=60) as client:
        for _ in range(TRIALS):
            orgs.append(org := unused_org_id())
            bucket = await _bucket(client, instances[0], org)
            path = f"/resources/buckets/{bucket['id']}"
            answers = await asyncio.gather(
                client.put(
                    f"{instances[0].base_url}{path}/access",
                    json=CHANGES[0],
                    headers=bearer(org=org),
                ),
                client.delete(f"{instances[1].base_url}{path}", headers=bearer(org=org)),
            )
            tally = _tally(list(answers))
            seen.update(tally)
            assert set(tally) <= {"200", "204", "409 bucket_busy", "404 not_found"}, tally
            row = await _row(client, instances[0], org, bucket["id"])
            held = held_by_emulator(aws.endpoint_url, bucket["name"])
            assert held == (NOTHING if row is None else recorded(row)), (tally, held)
    print(f"{TRIALS} trials of a change against a delete over two instances: {dict(seen)}")


async def test_the_operator_s_lock_during_changes_holds(
    instances: tuple[Instance, Instance],
    aws: Emulator,
    orgs: list[int],
    service_env: dict[str, str],
) -> None:
    seen: collections.Counter[str] = collections.Counter()
    async with httpx.AsyncClient(timeout=60) as client:
        for _ in range(TRIALS):
            orgs.append(org := unused_org_id())
            bucket = await _bucket(client, instances[0], org)
            url = f"/resources/buckets/{bucket['id']}/access"
            lock = await asyncio.create_subprocess_exec(
                *BUCKETLINK,
                "buckets",
                "lock-access",
                bucket["id"],
                env=service_env,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
            )
            locking = asyncio.ensure_future(lock.communicate())
            answers: list[httpx.Response] = []
            # Changes on both instances, wave after wave, until the lock is in.
            while not locking.done():
                answers += await asyncio.gather(
                    *(
                        client.put(
                            f"{instance.base_url}{url}", json=change, headers=bearer(org=org)
                        )
                        for instance, change in zip(
                            instances, CHANGES[len(answers) % 2 :], strict=False
                        )
                    )
                )
                await asyncio.sleep(0.1)  # paced: the org's rate limit counts these
            said, _ = await locking
            assert lock.returncode == 0, said.decode()
            tally = _tally(list(answers))
            seen.update(tally)
            assert set(tally) <= {"200", "409 bucket_busy", "409 access_immutable"}, tally
            row = await _row(client, instances[1], org, bucket["id"])
            assert row["is_access_mutable"] is False
            assert held_by_emulator(aws.endpoint_url, bucket["name"]) == recorded(row)
            after = await client.put(
                f"{instances[0].base_url}{url}", json=CHANGES[1], headers=bearer(org=org)
            )
            assert after.json()["code"] == "access_immutable"
    print(f"{TRIALS} trials of changes in waves until a lock lands: {dict(seen)}")


async def test_racing_creates_on_two_instances_never_pass_the_cap(
    instances: tuple[Instance, Instance], aws: Emulator, orgs: list[int]
) -> None:
    orgs.append(org := unused_org_id())
    async with httpx.AsyncClient(timeout=60) as client:
        for _ in range(MAX_BUCKETS - 1):
            await _bucket(client, instances[0], org)
        body = {"account_id": "111122223333", "resource_id": "past-the-cap"}
        answers = await asyncio.gather(
            *(
                client.post(
                    f"{instances[n % 2].base_url}/resources/buckets",
                    json=body,
                    headers=bearer(org=org),
                )
                for n in range(10)
            )
        )
        listed = await client.get(
            f"{instances[1].base_url}/resources/buckets", headers=bearer(org=org)
        )
    tally = _tally(list(answers))
    print(f"10 creates at the cap less one over two instances: {collections.Counter(tally)}")
    assert sorted(tally) == ["200"] + ["409 bucket_limit_reached"] * 9, tally
    assert len(listed.json()["items"]) == MAX_BUCKETS
