from __future__ import annotations

import logging
from dataclasses import dataclass

from application.undo import undoing
from domain.account_id import AccountId
from domain.bucket_naming import BucketNameGenerator
from domain.errors import BucketLimitReached, BucketNameTaken
from domain.identity import OrgId
from domain.managed_bucket import Access, ManagedBucket
from domain.managed_bucket_policies import bucket_tags
from domain.ports.bucket_provisioner import BucketProvisioner
from domain.ports.clock import Clock
from domain.ports.id_source import IdSource
from domain.ports.managed_bucket_repository import ManagedBucketRepository
from domain.resource_id import ResourceId
from domain.s3_uri import BucketName

log = logging.getLogger(__name__)

# A 12-character random suffix makes a collision all but impossible; more than a
# few in a row means something else is wrong.
NAME_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class BucketRequest:
    resource_id: ResourceId
    access: Access


@dataclass(frozen=True, slots=True)
class CreateManagedBucket:
    buckets: ManagedBucketRepository
    provisioner: BucketProvisioner
    names: BucketNameGenerator
    clock: Clock
    ids: IdSource
    platform_account: AccountId
    max_buckets: int

    async def __call__(self, company: OrgId, request: BucketRequest) -> ManagedBucket:
        request.access.refuse_platform_account(self.platform_account)
        # Before anything is made, and exact under races: the slot is the count.
        if not await self.buckets.take_slot(company, self.max_buckets):
            raise BucketLimitReached(
                f"your company already has {self.max_buckets} managed buckets, the most it "
                "may have: delete one first"
            )
        async with undoing(lambda: self.buckets.give_back_slot(company), "give back a slot"):
            return await self._make(company, request)

    async def _make(self, company: OrgId, request: BucketRequest) -> ManagedBucket:
        name = await self._create_bucket(company, request.resource_id)
        provisioner = self.provisioner
        async with undoing(lambda: provisioner.delete_bucket(name), f"delete bucket {name}"):
            grant = await provisioner.grant(name, request.access)
            async with undoing(lambda: provisioner.revoke(name), f"revoke grant on {name}"):
                now = self.clock.now()
                bucket = ManagedBucket(
                    self.ids.new_id(), company, name, request.resource_id, grant, now, now
                )
                await self.buckets.add(bucket)
        return bucket

    async def _create_bucket(self, company: OrgId, resource_id: ResourceId) -> BucketName:
        tags = bucket_tags(company, resource_id)
        for _ in range(NAME_ATTEMPTS - 1):
            name = self.names.name_for(resource_id)
            try:
                await self.provisioner.create_bucket(name, tags)
            except BucketNameTaken:
                log.warning("bucket name %s is taken; drawing another", name)
                continue
            return name
        name = self.names.name_for(resource_id)
        await self.provisioner.create_bucket(name, tags)
        return name
