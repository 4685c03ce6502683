from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.bucket_changes import BucketChanges
from domain.identity import OrgId
from domain.managed_bucket import bucket_not_found
from domain.ports.bucket_provisioner import BucketProvisioner
from domain.ports.managed_bucket_repository import ManagedBucketRepository


@dataclass(frozen=True, slots=True)
class DeleteManagedBucket:
    """Bucket, then every grant AWS holds for it, then the row, under the
    bucket's change lease: each step is idempotent, so a delete that fails
    part-way can simply be asked for again, and a bucket deleted outside
    bucketlink still loses its role and its row."""

    changes: BucketChanges
    buckets: ManagedBucketRepository
    provisioner: BucketProvisioner

    async def __call__(self, company: OrgId, bucket_id: UUID) -> None:
        async with self.changes.claimed(company, bucket_id) as (bucket, lease):
            # BucketNotEmpty stops here, before anything has changed.
            await self.provisioner.delete_bucket(bucket.name)
            await self.provisioner.revoke(bucket.name)
            if not await self.buckets.delete(company, bucket_id, lease):
                raise bucket_not_found(bucket_id)
