from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.identity import OrgId
from domain.managed_bucket import ManagedBucket, bucket_not_found
from domain.pagination import Page, PageRequest
from domain.ports.managed_bucket_repository import ManagedBucketRepository


@dataclass(frozen=True, slots=True)
class GetManagedBucket:
    buckets: ManagedBucketRepository

    async def __call__(self, company: OrgId, bucket_id: UUID) -> ManagedBucket:
        bucket = await self.buckets.get(company, bucket_id)
        if bucket is None:
            raise bucket_not_found(bucket_id)
        return bucket


@dataclass(frozen=True, slots=True)
class ListManagedBuckets:
    buckets: ManagedBucketRepository

    async def __call__(self, company: OrgId, page: PageRequest) -> Page[ManagedBucket]:
        return await self.buckets.list(company, page)
