from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from domain.managed_bucket import Access, Grant
from domain.s3_uri import BucketName


class BucketProvisioner(Protocol):
    """Makes and unmakes managed buckets in the platform's own AWS account.

    Every method leaves nothing half-made: if it fails part-way, it removes what
    it made before raising. Failures are ``AwsUnavailable`` (AWS could not be
    reached, after retries) unless stated otherwise.
    """

    async def create_bucket(self, bucket: BucketName, tags: Mapping[str, str]) -> None:
        """Create the bucket with every secure default: the four public-access
        blocks, ``BucketOwnerEnforced``, default encryption, the TLS-only bucket
        policy (``managed_bucket_policies.bucket_policy(bucket, None)``) and the
        tags. ``BucketNameTaken`` if any account already has that name."""
        ...

    async def grant(self, bucket: BucketName, access: Access) -> Grant:
        """Give the customer's account access: by bucket policy (the bucket
        policy becomes ``bucket_policy(bucket, access)``) or by a role named
        ``role_name_for(bucket)`` trusting the account under its external id,
        with ``role_access_policy(bucket)`` inline. ``BucketMissing``, having
        made nothing, if the bucket is gone from AWS."""
        ...

    async def revoke(self, bucket: BucketName) -> None:
        """Remove every grant AWS holds for the bucket, whatever was recorded:
        the policy back to TLS-only, the role named after it (and its policy)
        deleted. Idempotent: a bucket or role already gone is fine."""
        ...

    async def exists(self, bucket: BucketName) -> bool:
        """Whether the platform's bucket is still there (not deleted outside
        bucketlink)."""
        ...

    async def delete_bucket(self, bucket: BucketName) -> None:
        """``BucketNotEmpty`` if it holds any object (and then nothing changes);
        a bucket already gone is fine."""
        ...
