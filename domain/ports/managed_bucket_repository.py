from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.identity import OrgId
from domain.managed_bucket import ChangeLease, ManagedBucket
from domain.pagination import Page, PageRequest


class ManagedBucketRepository(Protocol):
    """Managed buckets, scoped to their company: another company's bucket is
    simply not there. May raise ``DatabaseUnavailable``.

    A change to a bucket's AWS side is made under a ``ChangeLease``: ``claim``
    gives it to one caller at a time, across every instance on the database,
    and only its holder may store the change or delete the row.
    """

    async def add(self, bucket: ManagedBucket) -> None:
        """Bucket names are random and S3 just made this one: a clash with a
        stored name is a bug, raised as an error the application does not catch."""
        ...

    async def get(self, company: OrgId, bucket_id: UUID) -> ManagedBucket | None: ...

    async def find(self, bucket_id: UUID) -> ManagedBucket | None:
        """Any company's bucket: for operators' actions, never for customers'."""
        ...

    async def list(self, company: OrgId, page: PageRequest) -> Page[ManagedBucket]:
        """Newest first (``created_at`` then ``id``, both descending)."""
        ...

    async def claim(
        self, company: OrgId, bucket_id: UUID, lease: ChangeLease, now: datetime
    ) -> ManagedBucket:
        """Take ``lease`` on the bucket, atomically: ``NotFound`` if the company
        has no such bucket, ``BucketBusy`` if another lease holds it until after
        ``now``."""
        ...

    async def commit_grant(self, bucket: ManagedBucket, lease: ChangeLease) -> None:
        """Store the bucket's grant and ``updated_at`` and give the lease back,
        only if ``lease`` still holds it and its access is still mutable:
        ``AccessImmutable`` if it was locked meanwhile, ``BucketBusy`` if the
        lease lapsed and was taken, ``NotFound`` if the row is gone."""
        ...

    async def release(self, bucket_id: UUID, lease: ChangeLease) -> None:
        """Give ``lease`` back, if it still holds the bucket."""
        ...

    async def set_access_mutable(
        self, bucket_id: UUID, mutable: bool, now: datetime
    ) -> ManagedBucket | None:
        """Set ``is_access_mutable`` (and ``updated_at``) alone, leases aside:
        a change under way then fails to commit. None if there is no such bucket."""
        ...

    async def delete(self, company: OrgId, bucket_id: UUID, lease: ChangeLease) -> bool:
        """Delete the row if ``lease`` holds it, and give back the company's
        slot; True if a row was deleted."""
        ...

    async def take_slot(self, company: OrgId, limit: int) -> bool:
        """Count one more bucket for the company, atomically, if it has fewer than
        ``limit``: of racing callers at ``limit - 1``, exactly one gets True. Taken
        before the bucket is made; given back by ``delete`` or ``give_back_slot``."""
        ...

    async def give_back_slot(self, company: OrgId) -> None:
        """Return a slot taken for a bucket that was not made after all."""
        ...
