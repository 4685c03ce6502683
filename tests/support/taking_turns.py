"""The fake provisioner, giving the event loop a turn before each step, as real
AWS calls do, so that racing use cases interleave."""

from __future__ import annotations

import asyncio
import random

from adapters.fakes.fake_provisioner import FakeBucketProvisioner
from domain.managed_bucket import Access, Grant
from domain.s3_uri import BucketName


async def _a_turn() -> None:
    # Of varying length, so that each trial interleaves differently.
    await asyncio.sleep(random.uniform(0, 0.004))


class TakingTurns(FakeBucketProvisioner):
    async def exists(self, bucket: BucketName) -> bool:
        await _a_turn()
        return await super().exists(bucket)

    async def grant(self, bucket: BucketName, access: Access) -> Grant:
        await _a_turn()
        return await super().grant(bucket, access)

    async def revoke(self, bucket: BucketName) -> None:
        await _a_turn()
        await super().revoke(bucket)

    async def delete_bucket(self, bucket: BucketName) -> None:
        await _a_turn()
        await super().delete_bucket(bucket)
