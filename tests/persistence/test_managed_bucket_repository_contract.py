"""One contract for every managed bucket store: the in-memory fake, piccolo on
SQLite and piccolo on PostgreSQL behave alike (see conftest)."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.persistence.duplicate_bucket_name import DuplicateBucketName
from domain.errors import AccessImmutable, BucketBusy, NotFound
from domain.identity import MAX_ORG_ID, OrgId
from domain.managed_bucket import AccessType, ChangeLease, Grant, ManagedBucket
from domain.pagination import Cursor, PageRequest

from .builders import (
    ACME,
    GLOBEX,
    POLICY_GRANT,
    T0,
    a_managed_bucket,
    a_role_grant,
)
from .stores import Store

pytestmark = pytest.mark.asyncio

EVERYTHING = PageRequest(limit=200)
MAX_PAGES = 50  # a cursor that does not advance must fail, not hang
RACERS = 10


async def all_pages(store: Store, limit: int, company: OrgId = ACME) -> list[ManagedBucket]:
    seen: list[ManagedBucket] = []
    after: Cursor | None = None
    for _ in range(MAX_PAGES):
        page = await store.buckets.list(company, PageRequest(limit, after))
        assert len(page.items) <= limit
        seen.extend(page.items)
        if page.next_cursor is None:
            return seen
        assert len(page.items) == limit
        # As a client would: through the opaque text.
        after = Cursor.decode(page.next_cursor.encode())
    raise AssertionError(f"still more pages after {MAX_PAGES}: {len(seen)} items seen")


def newest_first(buckets: list[ManagedBucket]) -> list[ManagedBucket]:
    return sorted(buckets, key=lambda b: (b.created_at, b.id), reverse=True)


# ------------------------------------------------------------------ round trip


async def test_a_bucket_policy_grant_comes_back_field_for_field(store: Store) -> None:
    bucket = a_managed_bucket(grant=POLICY_GRANT)
    await store.buckets.add(bucket)

    got = await store.buckets.get(ACME, bucket.id)

    assert got == bucket
    assert got is not None
    assert got.grant.access.type is AccessType.BUCKET_POLICY
    assert got.grant.access.account_id.value == "012345678901"
    assert got.grant.access.external_id is None
    assert got.grant.role_arn is None
    assert got.is_access_mutable is True


async def test_a_role_grant_comes_back_field_for_field(store: Store) -> None:
    bucket = a_managed_bucket(grant=a_role_grant())
    await store.buckets.add(bucket)

    got = await store.buckets.get(ACME, bucket.id)

    assert got == bucket
    assert got is not None and got.grant.role_arn is not None
    assert got.grant.access.type is AccessType.ROLE
    assert got.grant.access.external_id == a_role_grant().access.external_id
    assert got.grant.role_arn.path == "/bucketlink/managed/"
    assert got.grant.role_arn.role_name == "nio-yourcompany-role"


async def test_a_locked_bucket_stays_locked(store: Store) -> None:
    bucket = a_managed_bucket(is_access_mutable=False)
    await store.buckets.add(bucket)

    got = await store.buckets.get(ACME, bucket.id)

    assert got is not None and got.is_access_mutable is False


async def test_times_come_back_in_utc_to_the_microsecond(store: Store) -> None:
    in_paris = timezone(timedelta(hours=1))
    created = datetime(2026, 11, 23, 11, 0, 0, 7, tzinfo=in_paris)
    bucket = a_managed_bucket(created_at=created)
    await store.buckets.add(bucket)

    got = await store.buckets.get(ACME, bucket.id)

    assert got is not None
    assert got.created_at == created
    assert got.created_at.utcoffset() == timedelta(0)
    assert (got.created_at.hour, got.created_at.microsecond) == (10, 7)
    assert got.updated_at == created + timedelta(microseconds=1)
    assert got.updated_at.utcoffset() == timedelta(0)


async def test_a_naive_time_is_refused(store: Store) -> None:
    with pytest.raises(ValueError):
        await store.buckets.add(a_managed_bucket(created_at=datetime(2026, 1, 1)))

    assert (await store.buckets.list(ACME, EVERYTHING)).items == ()


@settings(
    max_examples=15,
    deadline=None,
    # One store per test, not per example: each example's bucket has its own name.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    resource_id=st.from_regex(r"[a-z0-9-]{2,42}", fullmatch=True),
    external_id=st.from_regex(r"[A-Za-z0-9+=,.@:/-]{2,1224}", fullmatch=True),
    company=st.integers(1, MAX_ORG_ID).map(OrgId),
    locked=st.booleans(),
)
async def test_any_valid_bucket_round_trips(
    store: Store, resource_id: str, external_id: str, company: OrgId, locked: bool
) -> None:
    bucket = a_managed_bucket(
        company,
        resource_id=resource_id,
        grant=a_role_grant(external_id),
        is_access_mutable=not locked,
    )
    await store.buckets.add(bucket)

    assert await store.buckets.get(company, bucket.id) == bucket
    assert await store.buckets.find(bucket.id) == bucket


# ------------------------------------------------------------------ scoping


async def test_a_bucket_does_not_exist_for_another_company(store: Store) -> None:
    bucket = a_managed_bucket(ACME)
    await store.buckets.add(bucket)

    assert await store.buckets.get(GLOBEX, bucket.id) is None
    assert (await store.buckets.list(GLOBEX, EVERYTHING)).items == ()
    with pytest.raises(NotFound):
        await store.buckets.claim(GLOBEX, bucket.id, a_lease(), T0)
    assert not await store.buckets.delete(GLOBEX, bucket.id, a_lease())
    with pytest.raises(NotFound):
        await store.buckets.commit_grant(replace(bucket, company_id=GLOBEX), a_lease())
    assert await store.buckets.get(ACME, bucket.id) == bucket


async def test_find_sees_any_companys_bucket(store: Store) -> None:
    ours, theirs = a_managed_bucket(ACME), a_managed_bucket(GLOBEX, grant=a_role_grant())
    await store.buckets.add(ours)
    await store.buckets.add(theirs)

    assert await store.buckets.find(ours.id) == ours
    assert await store.buckets.find(theirs.id) == theirs


async def test_an_unknown_id_is_not_there(store: Store) -> None:
    assert await store.buckets.get(ACME, uuid.uuid4()) is None
    assert await store.buckets.find(uuid.uuid4()) is None
    assert not await store.buckets.delete(ACME, uuid.uuid4(), a_lease())
    assert await store.buckets.set_access_mutable(uuid.uuid4(), False, T0) is None
    with pytest.raises(NotFound):
        await store.buckets.claim(ACME, uuid.uuid4(), a_lease(), T0)


# ------------------------------------------------------------------ changes under a lease


def a_lease(until: datetime = T0 + timedelta(minutes=10)) -> ChangeLease:
    return ChangeLease(uuid.uuid4(), until)


async def claimed(store: Store, bucket: ManagedBucket, now: datetime = T0) -> ChangeLease:
    lease = a_lease(now + timedelta(minutes=10))
    await store.buckets.claim(bucket.company_id, bucket.id, lease, now)
    return lease


@pytest.mark.parametrize(
    ("before", "after"),
    [(POLICY_GRANT, a_role_grant()), (a_role_grant(), POLICY_GRANT)],
    ids=["policy-to-role", "role-to-policy"],
)
async def test_a_commit_replaces_the_grant(store: Store, before: Grant, after: Grant) -> None:
    bucket = a_managed_bucket(grant=before)
    await store.buckets.add(bucket)
    changed = bucket.with_grant(after, T0 + timedelta(hours=1, microseconds=3))

    await store.buckets.commit_grant(changed, await claimed(store, bucket))

    assert await store.buckets.get(ACME, bucket.id) == changed


async def test_the_lock_is_set_and_cleared_alone(store: Store) -> None:
    bucket = a_managed_bucket()
    await store.buckets.add(bucket)
    locked = bucket.with_access_mutable(False, T0 + timedelta(minutes=1))
    unlocked = locked.with_access_mutable(True, T0 + timedelta(minutes=2))

    assert await store.buckets.set_access_mutable(bucket.id, False, locked.updated_at) == locked
    assert await store.buckets.get(ACME, bucket.id) == locked
    assert await store.buckets.set_access_mutable(bucket.id, True, unlocked.updated_at) == unlocked
    assert await store.buckets.get(ACME, bucket.id) == unlocked


async def test_a_commit_changes_the_grant_and_updated_at_only(store: Store) -> None:
    bucket = a_managed_bucket()
    await store.buckets.add(bucket)
    in_tokyo = timezone(timedelta(hours=9))
    later = datetime(2026, 12, 1, 9, 0, 0, 999999, tzinfo=in_tokyo)
    meddled = replace(
        bucket.with_grant(a_role_grant(), later).with_access_mutable(False, later),
        resource_id=a_managed_bucket(resource_id="other").resource_id,
        name=a_managed_bucket().name,
        created_at=later,
    )

    await store.buckets.commit_grant(meddled, await claimed(store, bucket))

    got = await store.buckets.get(ACME, bucket.id)
    assert got == replace(bucket, grant=a_role_grant(), updated_at=later)
    assert got is not None and got.updated_at.utcoffset() == timedelta(0)


async def test_a_commit_leaves_other_buckets_alone(store: Store) -> None:
    bucket, neighbour = a_managed_bucket(), a_managed_bucket()
    await store.buckets.add(bucket)
    await store.buckets.add(neighbour)

    changed = bucket.with_grant(a_role_grant(), T0 + timedelta(seconds=1))
    await store.buckets.commit_grant(changed, await claimed(store, bucket))
    await store.buckets.set_access_mutable(bucket.id, False, T0 + timedelta(seconds=2))

    assert await store.buckets.get(ACME, neighbour.id) == neighbour


async def test_committing_a_bucket_that_is_not_stored_is_not_found(store: Store) -> None:
    # E.g. deleted between the use case's claim and its write.
    with pytest.raises(NotFound):
        await store.buckets.commit_grant(a_managed_bucket(), a_lease())

    assert (await store.buckets.list(ACME, EVERYTHING)).items == ()


async def test_a_held_bucket_cannot_be_claimed_until_its_lease_lapses(store: Store) -> None:
    bucket = a_managed_bucket()
    await store.buckets.add(bucket)
    first = await claimed(store, bucket)

    with pytest.raises(BucketBusy):
        await store.buckets.claim(ACME, bucket.id, a_lease(), T0 + timedelta(minutes=9))
    # A crashed holder's claim lapses: the bucket is not stuck for ever.
    after_it = T0 + timedelta(minutes=10)
    second = await claimed(store, bucket, now=after_it)

    with pytest.raises(BucketBusy):  # the first holder lost it
        await store.buckets.commit_grant(bucket.with_grant(a_role_grant(), after_it), first)
    await store.buckets.commit_grant(bucket.with_grant(a_role_grant(), after_it), second)


async def test_a_commit_gives_the_lease_back_and_so_does_a_release(store: Store) -> None:
    bucket = a_managed_bucket()
    await store.buckets.add(bucket)

    await store.buckets.commit_grant(bucket, await claimed(store, bucket))
    lease = await claimed(store, bucket)  # free again
    await store.buckets.release(bucket.id, a_lease())  # not the holder's: changes nothing
    with pytest.raises(BucketBusy):
        await store.buckets.claim(ACME, bucket.id, a_lease(), T0)
    await store.buckets.release(bucket.id, lease)
    await claimed(store, bucket)


async def test_a_bucket_locked_during_a_change_refuses_its_commit(store: Store) -> None:
    bucket = a_managed_bucket()
    await store.buckets.add(bucket)
    lease = await claimed(store, bucket)

    await store.buckets.set_access_mutable(bucket.id, False, T0 + timedelta(seconds=1))

    with pytest.raises(AccessImmutable):
        await store.buckets.commit_grant(bucket.with_grant(a_role_grant(), T0), lease)
    got = await store.buckets.get(ACME, bucket.id)
    assert got is not None and got.grant == bucket.grant and not got.is_access_mutable


async def test_racing_claims_leave_one_holder(store: Store) -> None:
    bucket = a_managed_bucket()
    await store.buckets.add(bucket)

    outcomes = await asyncio.gather(
        *(store.buckets.claim(ACME, bucket.id, a_lease(), T0) for _ in range(RACERS)),
        return_exceptions=True,
    )

    assert sum(isinstance(o, ManagedBucket) for o in outcomes) == 1
    assert sum(isinstance(o, BucketBusy) for o in outcomes) == RACERS - 1


# ------------------------------------------------------------------ delete


async def test_delete_removes_once(store: Store) -> None:
    bucket = a_managed_bucket()
    await store.buckets.add(bucket)

    assert not await store.buckets.delete(ACME, bucket.id, a_lease())  # not without the lease
    lease = await claimed(store, bucket)
    assert await store.buckets.delete(ACME, bucket.id, lease)
    assert await store.buckets.get(ACME, bucket.id) is None
    assert await store.buckets.find(bucket.id) is None
    assert not await store.buckets.delete(ACME, bucket.id, lease)


async def test_a_deleted_buckets_name_may_be_stored_again(store: Store) -> None:
    bucket = a_managed_bucket()
    await store.buckets.add(bucket)
    await store.buckets.delete(ACME, bucket.id, await claimed(store, bucket))
    again = a_managed_bucket(name=bucket.name.value)

    await store.buckets.add(again)

    assert await store.buckets.get(ACME, again.id) == again


# ------------------------------------------------------------------ names


@pytest.mark.parametrize("company", [ACME, GLOBEX], ids=["same-company", "other-company"])
async def test_a_second_bucket_by_a_stored_name_is_refused(store: Store, company: OrgId) -> None:
    # Never expected (names are random and S3's are global), so not a domain
    # error: the store and S3 disagree, which is an operator's problem.
    first = a_managed_bucket(ACME)
    await store.buckets.add(first)

    with pytest.raises(DuplicateBucketName, match=first.name.value):
        await store.buckets.add(a_managed_bucket(company, name=first.name.value))

    assert await store.buckets.find(first.id) == first
    assert (await store.buckets.list(GLOBEX, EVERYTHING)).items == ()
    if store.count_rows is not None:
        assert await store.count_rows("managed_bucket") == 1


async def test_racing_adds_of_one_name_store_exactly_one(store: Store) -> None:
    name = a_managed_bucket().name.value
    contenders = [a_managed_bucket(name=name) for _ in range(RACERS)]

    results = await asyncio.gather(
        *(store.buckets.add(b) for b in contenders), return_exceptions=True
    )

    winners = [b for b, result in zip(contenders, results, strict=True) if result is None]
    losers = [r for r in results if r is not None]
    assert len(winners) == 1
    assert all(isinstance(r, DuplicateBucketName) for r in losers), losers
    assert (await store.buckets.list(ACME, EVERYTHING)).items == (winners[0],)


# ------------------------------------------------------------------ listing


async def test_listing_is_newest_first_then_by_id(store: Store) -> None:
    tie = T0 + timedelta(seconds=5)
    buckets = [
        a_managed_bucket(created_at=T0),
        a_managed_bucket(created_at=T0 + timedelta(microseconds=1)),
        *[a_managed_bucket(created_at=tie) for _ in range(4)],
        a_managed_bucket(created_at=T0 + timedelta(days=400)),
    ]
    for bucket in buckets:
        await store.buckets.add(bucket)

    page = await store.buckets.list(ACME, EVERYTHING)

    assert list(page.items) == newest_first(buckets)
    assert page.next_cursor is None


@pytest.mark.parametrize("limit", [1, 2, 3, 9, 10])
async def test_pages_cover_the_listing_once_across_ties(store: Store, limit: int) -> None:
    # Whole seconds are in the mix on purpose: SQLite compares stored times as text.
    whole_second = T0.replace(microsecond=0)
    times = [
        *[whole_second] * 2,
        *[T0] * 4,
        T0 + timedelta(microseconds=1),
        T0 + timedelta(hours=1),
        whole_second - timedelta(microseconds=1),
    ]
    buckets = [a_managed_bucket(created_at=t) for t in times]
    for bucket in buckets:
        await store.buckets.add(bucket)

    assert await all_pages(store, limit) == newest_first(buckets)


async def test_a_listing_holds_only_the_companys_buckets(store: Store) -> None:
    ours = [a_managed_bucket(ACME, created_at=T0 + timedelta(seconds=n)) for n in range(3)]
    theirs = [a_managed_bucket(GLOBEX, created_at=T0 + timedelta(seconds=n)) for n in range(3)]
    for bucket in [*ours, *theirs]:
        await store.buckets.add(bucket)

    assert await all_pages(store, 2, ACME) == ours[::-1]
    assert await all_pages(store, 2, GLOBEX) == theirs[::-1]


async def test_a_full_last_page_says_there_is_no_more(store: Store) -> None:
    for n in range(4):
        await store.buckets.add(a_managed_bucket(created_at=T0 + timedelta(seconds=n)))

    first = await store.buckets.list(ACME, PageRequest(limit=2))
    assert first.next_cursor is not None
    second = await store.buckets.list(ACME, PageRequest(2, first.next_cursor))

    assert len(second.items) == 2
    assert second.next_cursor is None


async def test_a_cursor_in_another_time_zone_means_the_same_instant(store: Store) -> None:
    older, newer = (a_managed_bucket(created_at=T0 + timedelta(seconds=n)) for n in (0, 1))
    await store.buckets.add(older)
    await store.buckets.add(newer)

    in_tokyo = newer.created_at.astimezone(timezone(timedelta(hours=9)))
    page = await store.buckets.list(ACME, PageRequest(10, Cursor(in_tokyo, newer.id)))

    assert page.items == (older,)


async def test_an_update_does_not_move_a_bucket_in_the_listing(store: Store) -> None:
    older, newer = (a_managed_bucket(created_at=T0 + timedelta(seconds=n)) for n in (0, 1))
    await store.buckets.add(older)
    await store.buckets.add(newer)
    relocked = older.with_access_mutable(False, T0 + timedelta(days=1))

    await store.buckets.set_access_mutable(older.id, False, relocked.updated_at)

    assert (await store.buckets.list(ACME, EVERYTHING)).items == (newer, relocked)


async def test_an_empty_listing(store: Store) -> None:
    page = await store.buckets.list(ACME, PageRequest(limit=1))

    assert page.items == ()
    assert page.next_cursor is None


# ------------------------------------------------------------------ the per-company cap


async def test_slots_are_taken_up_to_the_limit_and_given_back(store: Store) -> None:
    assert [await store.buckets.take_slot(ACME, 2) for _ in range(3)] == [True, True, False]
    assert await store.buckets.take_slot(GLOBEX, 2)  # each company its own count

    await store.buckets.give_back_slot(ACME)
    assert await store.buckets.take_slot(ACME, 2)
    assert not await store.buckets.take_slot(ACME, 2)


async def test_deleting_a_bucket_gives_its_slot_back(store: Store) -> None:
    assert await store.buckets.take_slot(ACME, 1)
    bucket = a_managed_bucket()
    await store.buckets.add(bucket)
    assert not await store.buckets.take_slot(ACME, 1)

    await store.buckets.delete(ACME, bucket.id, await claimed(store, bucket))

    assert await store.buckets.take_slot(ACME, 1)


async def test_racing_takers_at_the_limit_less_one_leave_exactly_one_in(store: Store) -> None:
    limit = 5
    for _ in range(limit - 1):
        assert await store.buckets.take_slot(ACME, limit)

    taken = await asyncio.gather(*(store.buckets.take_slot(ACME, limit) for _ in range(RACERS)))

    assert sorted(taken) == [False] * (RACERS - 1) + [True]
