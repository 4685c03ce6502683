"""One change at a time per managed bucket, across every instance."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from domain.identity import OrgId
from domain.managed_bucket import ChangeLease, ManagedBucket
from domain.ports.clock import Clock
from domain.ports.id_source import IdSource
from domain.ports.managed_bucket_repository import ManagedBucketRepository

log = logging.getLogger(__name__)

# Longer than any change's AWS calls can take (each is bounded by botocore's
# timeouts and retries, under a minute), so only a crashed instance's claim lapses.
LEASE = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class BucketChanges:
    buckets: ManagedBucketRepository
    ids: IdSource
    clock: Clock

    @asynccontextmanager
    async def claimed(
        self, company: OrgId, bucket_id: UUID
    ) -> AsyncIterator[tuple[ManagedBucket, ChangeLease]]:
        """The bucket, under a lease of its own: ``BucketBusy`` if another
        change holds it. The holder stores its change with the lease (which
        gives it back); a change that fails gives it back here."""
        now = self.clock.now()
        lease = ChangeLease(self.ids.new_id(), now + LEASE)
        bucket = await self.buckets.claim(company, bucket_id, lease, now)
        try:
            yield bucket, lease
        except BaseException:
            try:
                await self.buckets.release(bucket.id, lease)
            except Exception:
                # The lease lapses by itself; the change's own error matters more.
                log.warning("could not give back the lease on bucket %s", bucket.id)
            raise
