"""Racing changes to one managed bucket, in-process on the fakes, with every
AWS step giving way to the others: one change at a time wins, the rest are
refused with ``BucketBusy`` (or ``AccessImmutable`` once locked), and after
every trial what the platform account holds is exactly what the row records."""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec
import pytest

from adapters.fakes.fake_aws import FakeAws
from application.change_bucket_access import AccessChange
from domain.errors import (
    AccessImmutable,
    AwsUnavailable,
    BucketBusy,
    BucketLimitReached,
    NotFound,
)
from domain.managed_bucket import AccessType, ManagedBucket
from domain.managed_bucket_policies import bucket_policy, role_trust_policy
from tests.support.grants_held import Holdings, held_by_fake
from tests.support.taking_turns import TakingTurns

from .bucket_platform import (
    COMPANY,
    PLATFORM_ACCOUNT,
    Platform,
    by_policy,
    create,
    rows,
    to_policy,
    to_role,
)
from .conftest import SETTINGS, make_platform

TRIALS = 20
CHANGES = [to_role(), to_policy("444455556666"), to_role(account="777788889999"), to_policy()]


def racing_platform() -> Platform:
    world = FakeAws()
    return make_platform(world=world, provisioner=TakingTurns(world, PLATFORM_ACCOUNT))


def recorded(bucket: ManagedBucket) -> Holdings:
    access = bucket.grant.access
    trust = role_trust_policy(access) if access.type is AccessType.ROLE else None
    return Holdings(bucket_policy(bucket.name, access), trust)


NOTHING = Holdings(None, None)


def held(platform: Platform, bucket: ManagedBucket) -> Holdings:
    return held_by_fake(platform.world, bucket.name.value, PLATFORM_ACCOUNT)


async def outcomes(*work: Any) -> list[Any]:
    return list(await asyncio.gather(*work, return_exceptions=True))


def kinds(results: list[Any]) -> list[str]:
    return sorted(type(r).__name__ for r in results)


@pytest.mark.parametrize("trial", range(TRIALS))
async def test_racing_changes_take_turns_and_aws_holds_what_the_row_records(trial: int) -> None:
    platform = racing_platform()
    bucket = await create(platform, by_policy())
    change = platform.app.change_bucket_access

    results = await outcomes(*(change(COMPANY, bucket.id, c) for c in CHANGES))

    won = [r for r in results if isinstance(r, ManagedBucket)]
    assert len(won) == 1, kinds(results)
    assert all(isinstance(r, BucketBusy) for r in results if r not in won), kinds(results)
    row = await platform.app.get_managed_bucket(COMPANY, bucket.id)
    assert row == won[0]
    assert held(platform, bucket) == recorded(row)


@pytest.mark.parametrize("trial", range(TRIALS))
async def test_a_change_racing_a_delete_leaves_no_grant_behind(trial: int) -> None:
    platform = racing_platform()
    bucket = await create(platform, by_policy())

    changed, deleted = await outcomes(
        platform.app.change_bucket_access(COMPANY, bucket.id, to_role()),
        platform.app.delete_managed_bucket(COMPANY, bucket.id),
    )

    # Whichever came second was refused; none answered with a crash.
    assert isinstance(changed, ManagedBucket | BucketBusy | NotFound), changed
    assert deleted is None or isinstance(deleted, BucketBusy | NotFound), deleted
    try:
        row = await platform.app.get_managed_bucket(COMPANY, bucket.id)
    except NotFound:
        assert held(platform, bucket) == NOTHING
    else:
        assert held(platform, bucket) == recorded(row)


@pytest.mark.parametrize("trial", range(TRIALS))
async def test_locking_during_changes_lets_none_commit_after_it(trial: int) -> None:
    platform = racing_platform()
    bucket = await create(platform, by_policy())
    change, lock = platform.app.change_bucket_access, platform.app.set_access_lock

    async def lock_soon() -> ManagedBucket:
        await asyncio.sleep(0.002 * (trial % 5))
        return await lock(bucket.id, mutable=False)

    results = await outcomes(
        change(COMPANY, bucket.id, to_role()), lock_soon(), change(COMPANY, bucket.id, to_policy())
    )

    assert not any(isinstance(r, Exception) and not _expected(r) for r in results), kinds(results)
    row = await platform.app.get_managed_bucket(COMPANY, bucket.id)
    assert not row.is_access_mutable
    assert held(platform, bucket) == recorded(row)
    with pytest.raises(AccessImmutable):  # the lock holds from now on
        await change(COMPANY, bucket.id, to_role())


def _expected(error: Exception) -> bool:
    return isinstance(error, BucketBusy | AccessImmutable)


async def test_a_change_refused_by_a_lock_taken_mid_way_puts_the_old_grant_back() -> None:
    platform = racing_platform()
    bucket = await create(platform, by_policy())
    lock = platform.app.set_access_lock

    class LockingMidWay(TakingTurns):
        async def grant(self, *args: Any) -> Any:
            granted = await super().grant(*args)
            await lock(bucket.id, mutable=False)  # the operator, just then
            return granted

    platform = make_platform(
        world=platform.world,
        provisioner=LockingMidWay(platform.world, PLATFORM_ACCOUNT),
        buckets=platform.buckets,
    )

    with pytest.raises(AccessImmutable, match="locked meanwhile"):
        await platform.app.change_bucket_access(COMPANY, bucket.id, to_role())

    row = await platform.app.get_managed_bucket(COMPANY, bucket.id)
    assert row.grant == bucket.grant and not row.is_access_mutable
    assert held(platform, bucket) == recorded(row)


def test_the_changes_raced_are_all_different() -> None:
    assert len({(c.type, c.account_id) for c in CHANGES}) == len(CHANGES)
    assert all(isinstance(c, AccessChange) for c in CHANGES)


async def test_racing_creates_at_the_cap_less_one_make_exactly_one_bucket() -> None:
    world = FakeAws()
    limit = 3
    settings = msgspec.structs.replace(SETTINGS, max_buckets_per_company=limit)
    platform = make_platform(
        settings, world=world, provisioner=TakingTurns(world, PLATFORM_ACCOUNT)
    )
    for n in range(limit - 1):
        await create(platform, by_policy(), resource_id=f"first-{n}")

    results = await outcomes(
        *(create(platform, by_policy(), resource_id=f"race-{n}") for n in range(10))
    )

    assert kinds(results).count("ManagedBucket") == 1, kinds(results)
    assert kinds(results).count("BucketLimitReached") == 9
    assert len(await rows(platform)) == limit
    assert len(world.bucket_names(PLATFORM_ACCOUNT)) == limit  # nothing made for the refused


async def test_a_create_that_fails_gives_its_slot_back() -> None:
    world = FakeAws()
    settings = msgspec.structs.replace(SETTINGS, max_buckets_per_company=1)
    platform = make_platform(settings, world=world)
    world.fail_next(operation="CreateBucket")

    with pytest.raises(AwsUnavailable):
        await create(platform, by_policy())

    assert await create(platform, by_policy())  # the slot came back
    with pytest.raises(BucketLimitReached):
        await create(platform, by_policy(), resource_id="one-more")
