from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from adapters.persistence.duplicate_bucket_name import DuplicateBucketName
from adapters.persistence.keyset_pages import newest_first_after, page_of
from adapters.persistence.stored_time import utc
from domain.errors import NotFound
from domain.identity import OrgId
from domain.managed_bucket import ManagedBucket
from domain.pagination import Page, PageRequest


class InMemoryManagedBucketRepository:
    """Managed buckets in a dict, under the database's rules: a name is stored
    once, a bucket exists only for its company (``find`` aside), listings are
    newest first in keyset pages, times come back in UTC, and ``update`` changes
    the grant, the lock and ``updated_at`` only."""

    def __init__(self) -> None:
        self._buckets: dict[UUID, ManagedBucket] = {}

    async def add(self, bucket: ManagedBucket) -> None:
        # No await between check and write: concurrent adds end in one row.
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

    async def update(self, bucket: ManagedBucket) -> None:
        stored = await self.get(bucket.company_id, bucket.id)
        if stored is None:
            raise NotFound(f"managed bucket {bucket.id} is not there (deleted meanwhile?)")
        changed = replace(
            stored,
            grant=bucket.grant,
            is_access_mutable=bucket.is_access_mutable,
            updated_at=bucket.updated_at,
        )
        self._buckets[bucket.id] = _as_stored(changed)

    async def delete(self, company: OrgId, bucket_id: UUID) -> bool:
        if await self.get(company, bucket_id) is None:
            return False
        del self._buckets[bucket_id]
        return True


def _as_stored(bucket: ManagedBucket) -> ManagedBucket:
    """As a database returns it: times in UTC; a naive time refused, as the real
    adapter does, since which instant it means is a guess."""
    return replace(bucket, created_at=utc(bucket.created_at), updated_at=utc(bucket.updated_at))
