"""One change at a time per managed bucket, through HTTP on the fakes: a bucket
another change holds answers 409 ``bucket_busy``, and a bucket deleted outside
bucketlink answers 409 ``bucket_missing`` and still deletes. (The races
themselves: tests/application/test_bucket_races.py in-process, where requests
really interleave, and tests/multi across two instances.)"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

from litestar.testing import AsyncTestClient

from adapters.fakes.fake_aws import FakeAws
from domain.identity import OrgId
from domain.managed_bucket import ChangeLease
from entrypoints.container import Container
from tests.conftest import bearer
from tests.support.grants_held import held_by_fake

CUSTOMER, OTHER_CUSTOMER = "111122223333", "444455556666"
TO_ROLE = {"access": {"type": "role", "external_id": "customer-chosen-id"}}
TO_POLICY = {"access": {"type": "bucket_policy"}, "account_id": OTHER_CUSTOMER}


async def a_bucket(client: AsyncTestClient[Any]) -> dict[str, Any]:
    body = {"account_id": CUSTOMER, "resource_id": "acme"}
    created = await client.post("/resources/buckets", json=body, headers=bearer())
    assert created.status_code == 200, created.text
    return dict(created.json())


async def row_of(client: AsyncTestClient[Any], bucket: dict[str, Any]) -> dict[str, Any] | None:
    got = await client.get(f"/resources/buckets/{bucket['id']}", headers=bearer())
    return dict(got.json()) if got.status_code == 200 else None


def access_url(bucket: dict[str, Any]) -> str:
    return f"/resources/buckets/{bucket['id']}/access"


async def test_a_bucket_busy_with_another_change_answers_409_and_changes_nothing(
    client: AsyncTestClient[Any], container: Container, world: FakeAws
) -> None:
    bucket = await a_bucket(client)
    # Another instance holds the bucket's lease.
    now = container.clock().now()
    lease = ChangeLease(uuid4(), now + timedelta(minutes=10))
    await container.buckets().claim(OrgId(1), UUID(bucket["id"]), lease, now)
    before = held_by_fake(world, bucket["name"])

    changed = await client.put(access_url(bucket), json=TO_ROLE, headers=bearer())
    deleted = await client.delete(f"/resources/buckets/{bucket['id']}", headers=bearer())

    for answer in (changed, deleted):
        assert answer.status_code == 409, answer.text
        assert answer.json()["code"] == "bucket_busy"
    assert held_by_fake(world, bucket["name"]) == before
    assert await row_of(client, bucket) == bucket


async def test_a_bucket_deleted_outside_refuses_a_change_and_still_deletes(
    client: AsyncTestClient[Any], world: FakeAws
) -> None:
    body = {"account_id": CUSTOMER, "resource_id": "acme", **TO_ROLE}
    bucket = (await client.post("/resources/buckets", json=body, headers=bearer())).json()
    world.delete_bucket(bucket["name"])  # by someone with the platform's keys
    role_before = held_by_fake(world, bucket["name"]).role_trust

    changed = await client.put(access_url(bucket), json=TO_POLICY, headers=bearer())

    assert changed.status_code == 409
    assert changed.json()["code"] == "bucket_missing"
    assert "deleted outside bucketlink" in changed.json()["detail"]
    assert held_by_fake(world, bucket["name"]).role_trust == role_before  # nothing touched
    deleted = await client.delete(f"/resources/buckets/{bucket['id']}", headers=bearer())
    assert deleted.status_code == 204
    assert held_by_fake(world, bucket["name"]) == held_by_fake(world, "never-made")
    assert await row_of(client, bucket) is None
