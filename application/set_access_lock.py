from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.managed_bucket import ManagedBucket, bucket_not_found
from domain.ports.clock import Clock
from domain.ports.managed_bucket_repository import ManagedBucketRepository


@dataclass(frozen=True, slots=True)
class SetAccessLock:
    """An operator's switch (never a customer's): whether a bucket's access may
    be changed, e.g. after it was configured by hand."""

    buckets: ManagedBucketRepository
    clock: Clock

    async def __call__(self, bucket_id: UUID, *, mutable: bool) -> ManagedBucket:
        # The switch alone, even while a change is under way: that change then
        # fails to commit, and undoes itself, once the bucket is locked.
        changed = await self.buckets.set_access_mutable(bucket_id, mutable, self.clock.now())
        if changed is None:
            raise bucket_not_found(bucket_id)
        return changed
