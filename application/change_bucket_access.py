from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.bucket_changes import BucketChanges
from application.undo import undoing
from domain.account_id import AccountId
from domain.errors import AccessImmutable, BucketMissing
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.managed_bucket import (
    Access,
    AccessType,
    ChangeLease,
    Grant,
    ManagedBucket,
    bucket_missing,
)
from domain.ports.bucket_provisioner import BucketProvisioner
from domain.ports.clock import Clock
from domain.ports.managed_bucket_repository import ManagedBucketRepository
from domain.s3_uri import BucketName


@dataclass(frozen=True, slots=True)
class AccessChange:
    """The access wanted; without an ``account_id`` the bucket's account stays."""

    type: AccessType
    external_id: ExternalId | None = None
    account_id: AccountId | None = None

    def access_for(self, bucket: ManagedBucket) -> Access:
        return self.access_for_account(self.account_id or bucket.grant.access.account_id)

    def access_for_account(self, account: AccountId) -> Access:
        return Access(self.type, account, self.external_id)


@dataclass(frozen=True, slots=True)
class ChangeBucketAccess:
    """Replaces a bucket's grant: every grant AWS holds for it is removed, the
    new one made, and the row stored, one change at a time per bucket.

    Removal goes first because both kinds can live in the same place (the
    bucket policy, a role named after the bucket). If removing, making the new
    grant or storing it fails (the bucket locked meanwhile included), the new
    grant is removed and the old one put back, so the customer keeps the access
    the row records; on a bucket that is gone, nothing is put back.
    """

    changes: BucketChanges
    buckets: ManagedBucketRepository
    provisioner: BucketProvisioner
    clock: Clock
    platform_account: AccountId

    async def __call__(
        self, company: OrgId, bucket_id: UUID, change: AccessChange
    ) -> ManagedBucket:
        if change.account_id is not None:  # refused before anything is claimed
            change.access_for_account(change.account_id).refuse_platform_account(
                self.platform_account
            )
        async with self.changes.claimed(company, bucket_id) as (bucket, lease):
            await self._refuse_unchangeable(bucket)
            return await self._replace_grant(bucket, change.access_for(bucket), lease)

    async def _refuse_unchangeable(self, bucket: ManagedBucket) -> None:
        if not bucket.is_access_mutable:
            raise AccessImmutable(f"access to bucket {bucket.id} is locked by an operator")
        if not await self.provisioner.exists(bucket.name):
            raise bucket_missing(bucket.name)  # and nothing is touched

    async def _replace_grant(
        self, bucket: ManagedBucket, access: Access, lease: ChangeLease
    ) -> ManagedBucket:
        # Inside: a revoke can fail half-way (a role's policy deleted, the role not).
        restore = f"restore the old grant on {bucket.name}"
        async with undoing(lambda: self._restore(bucket.name, bucket.grant), restore):
            await self.provisioner.revoke(bucket.name)
            new = await self.provisioner.grant(bucket.name, access)
            revoke_new = f"revoke the new grant on {bucket.name}"
            async with undoing(lambda: self.provisioner.revoke(bucket.name), revoke_new):
                changed = bucket.with_grant(new, self.clock.now())
                await self.buckets.commit_grant(changed, lease)
        return changed

    async def _restore(self, bucket: BucketName, old: Grant) -> None:
        try:
            await self.provisioner.grant(bucket, old.access)
        except BucketMissing:
            return  # a bucket that is gone keeps no grant
