from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID

from adapters.persistence.duplicate_bucket_name import DuplicateBucketName
from adapters.persistence.keyset_pages import newest_first_after, page_of
from adapters.persistence.stored_time import utc
from domain.identity import OrgId
from domain.managed_bucket import (
    ChangeLease,
    ManagedBucket,
    access_locked_meanwhile,
    bucket_busy,
    bucket_not_found,
    claim_lost,
)
from domain.pagination import Page, PageRequest


class InMemoryManagedBucketRepository:
    """Managed buckets in a dict, under the database's rules: a name is stored
    once, a bucket exists only for its company (``find`` aside), listings are
    newest first in keyset pages, times come back in UTC, one lease at a time
    holds a bucket, and a grant is stored only by its lease's holder while the
    bucket is mutable. No method awaits between its check and its write, so
    concurrent callers see each other's writes as a database's would."""

    def __init__(self) -> None:
        self._buckets: dict[UUID, ManagedBucket] = {}
        self._leases: dict[UUID, ChangeLease] = {}
        self._slots: dict[OrgId, int] = {}

    async def add(self, bucket: ManagedBucket) -> None:
        if bucket.id in self._buckets:
            raise ValueError(f"a managed bucket with id {bucket.id} is already stored")
        if any(stored.name == bucket.name for stored in self._buckets.values()):
            raise DuplicateBucketName(bucket.name)
        self._buckets[bucket.id] = _as_stored(bucket)

    async def get(self, company: OrgId, bucket_id: UUID) -> ManagedBucket | None:
        bucket = self._buckets.get(bucket_id)
        return bucket if bucket is not None and bucket.company_id == company else None

    async def find(self, bucket_id: UUID) -> ManagedBucket | None:
        return self._buckets.get(bucket_id)

    async def list(self, company: OrgId, page: PageRequest) -> Page[ManagedBucket]:
        theirs = (b for b in self._buckets.values() if b.company_id == company)
        return page_of(newest_first_after(theirs, page.after), page.limit)

    async def claim(
        self, company: OrgId, bucket_id: UUID, lease: ChangeLease, now: datetime
    ) -> ManagedBucket:
        bucket = await self.get(company, bucket_id)
        if bucket is None:
            raise bucket_not_found(bucket_id)
        held = self._leases.get(bucket_id)
        if held is not None and not held.lapsed(utc(now)):
            raise bucket_busy(bucket_id)
        self._leases[bucket_id] = replace(lease, until=utc(lease.until))
        return bucket

    async def commit_grant(self, bucket: ManagedBucket, lease: ChangeLease) -> None:
        stored = await self.get(bucket.company_id, bucket.id)
        if stored is None:
            raise bucket_not_found(bucket.id)
        if _token(self._leases.get(bucket.id)) != lease.token:
            raise claim_lost(bucket.id)
        if not stored.is_access_mutable:
            raise access_locked_meanwhile(bucket.id)
        changed = replace(stored, grant=bucket.grant, updated_at=bucket.updated_at)
        self._buckets[bucket.id] = _as_stored(changed)
        del self._leases[bucket.id]

    async def release(self, bucket_id: UUID, lease: ChangeLease) -> None:
        held = self._leases.get(bucket_id)
        if held is not None and held.token == lease.token:
            del self._leases[bucket_id]

    async def set_access_mutable(
        self, bucket_id: UUID, mutable: bool, now: datetime
    ) -> ManagedBucket | None:
        stored = self._buckets.get(bucket_id)
        if stored is None:
            return None
        changed = _as_stored(stored.with_access_mutable(mutable, now))
        self._buckets[bucket_id] = changed
        return changed

    async def delete(self, company: OrgId, bucket_id: UUID, lease: ChangeLease) -> bool:
        held = self._leases.get(bucket_id)
        if await self.get(company, bucket_id) is None or _token(held) != lease.token:
            return False
        del self._buckets[bucket_id]
        del self._leases[bucket_id]
        await self.give_back_slot(company)
        return True

    async def take_slot(self, company: OrgId, limit: int) -> bool:
        if self._slots.get(company, 0) >= limit:
            return False
        self._slots[company] = self._slots.get(company, 0) + 1
        return True

    async def give_back_slot(self, company: OrgId) -> None:
        if self._slots.get(company, 0) > 0:
            self._slots[company] -= 1


def _as_stored(bucket: ManagedBucket) -> ManagedBucket:
    """As a database returns it: times in UTC; a naive time refused, as the real
    adapter does, since which instant it means is a guess."""
    return replace(bucket, created_at=utc(bucket.created_at), updated_at=utc(bucket.updated_at))


def _token(lease: ChangeLease | None) -> UUID | None:
    return None if lease is None else lease.token
