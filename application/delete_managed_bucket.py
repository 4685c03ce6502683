from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.managed_bucket_queries import GetManagedBucket, bucket_not_found
from domain.identity import OrgId
from domain.ports.bucket_provisioner import BucketProvisioner
from domain.ports.managed_bucket_repository import ManagedBucketRepository


@dataclass(frozen=True, slots=True)
class DeleteManagedBucket:
    """Bucket, then its grant, then the row: each step is idempotent, so a
    delete that fails part-way can simply be asked for again."""

    get_bucket: GetManagedBucket
    buckets: ManagedBucketRepository
    provisioner: BucketProvisioner

    async def __call__(self, company: OrgId, bucket_id: UUID) -> None:
        bucket = await self.get_bucket(company, bucket_id)
        # BucketNotEmpty stops here, before anything has changed.
        await self.provisioner.delete_bucket(bucket.name)
        await self.provisioner.revoke(bucket.name, bucket.grant)
        if not await self.buckets.delete(company, bucket_id):
            raise bucket_not_found(bucket_id)
