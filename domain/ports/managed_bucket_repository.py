from __future__ import annotations

from typing import Protocol
from uuid import UUID

from domain.identity import OrgId
from domain.managed_bucket import ManagedBucket
from domain.pagination import Page, PageRequest


class ManagedBucketRepository(Protocol):
    """Managed buckets, scoped to their company: another company's bucket is
    simply not there. May raise ``DatabaseUnavailable``."""

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

    async def update(self, bucket: ManagedBucket) -> None:
        """Store the bucket's grant, ``is_access_mutable`` and ``updated_at``;
        ``NotFound`` if the company no longer has that bucket (deleted meanwhile)."""
        ...

    async def delete(self, company: OrgId, bucket_id: UUID) -> bool: ...
