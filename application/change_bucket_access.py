from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.managed_bucket_queries import GetManagedBucket
from application.undo import undoing
from domain.account_id import AccountId
from domain.errors import AccessImmutable
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.managed_bucket import Access, AccessType, ManagedBucket
from domain.ports.bucket_provisioner import BucketProvisioner
from domain.ports.clock import Clock
from domain.ports.managed_bucket_repository import ManagedBucketRepository


@dataclass(frozen=True, slots=True)
class AccessChange:
    """The access wanted; without an ``account_id`` the bucket's account stays."""

    type: AccessType
    external_id: ExternalId | None = None
    account_id: AccountId | None = None

    def access_for(self, bucket: ManagedBucket) -> Access:
        account = self.account_id or bucket.grant.access.account_id
        return Access(self.type, account, self.external_id)


@dataclass(frozen=True, slots=True)
class ChangeBucketAccess:
    """Replaces a bucket's grant: the old one is removed, the new one made.

    The old grant goes first because both kinds can live in the same place (the
    bucket policy, a role named after the bucket); if removing it, making the new
    one or storing the change fails, the old grant is put back, so the customer
    keeps the access they had.
    """

    get_bucket: GetManagedBucket
    buckets: ManagedBucketRepository
    provisioner: BucketProvisioner
    clock: Clock

    async def __call__(
        self, company: OrgId, bucket_id: UUID, change: AccessChange
    ) -> ManagedBucket:
        bucket = await self.get_bucket(company, bucket_id)
        if not bucket.is_access_mutable:
            raise AccessImmutable(f"access to bucket {bucket_id} is locked by an operator")
        old, access = bucket.grant, change.access_for(bucket)
        # Inside: a revoke can fail half-way (a role's policy deleted, the role not).
        restore = f"restore the old grant on {bucket.name}"
        async with undoing(lambda: self.provisioner.grant(bucket.name, old.access), restore):
            await self.provisioner.revoke(bucket.name, old)
            new = await self.provisioner.grant(bucket.name, access)
            revoke_new = f"revoke the new grant on {bucket.name}"
            async with undoing(lambda: self.provisioner.revoke(bucket.name, new), revoke_new):
                changed = bucket.with_grant(new, self.clock.now())
                await self.buckets.update(changed)
        return changed
