"""Managed buckets in the sandbox: the real boto3 provisioner, on the emulator, as
the platform's account.

What it relies on, moto does as AWS does (checked with scripts, proved by the
contract tests): a name another account holds is BucketAlreadyExists, a bucket
holding objects is not deleted (BucketNotEmpty), a role with an inline policy is
not deleted (DeleteConflict), and CreateBucket accepts ObjectOwnership. The
emulator's gateway authorises each call as AWS would, the managed buckets'
TLS-only statement included: the provisioner talks to the HTTPS endpoint.

The one thing an administrator makes on AWS beforehand, the managed roles'
permissions boundary, the sandbox makes itself before its first role grant
(not when it is built: wiring never connects to anything).
"""

from __future__ import annotations

from typing import Any

import anyio
import anyio.to_thread
import boto3

from adapters.aws.boto3_provisioner import Boto3BucketProvisioner
from adapters.sandbox import defaults
from adapters.sandbox.role_boundary import ensure_role_boundary
from domain.bucket_naming import BucketPrefix
from domain.managed_bucket import Access, AccessType, Grant
from domain.s3_uri import BucketName

_DEFAULT_PREFIX = BucketPrefix()


class SandboxBucketProvisioner(Boto3BucketProvisioner):
    def __init__(
        self,
        *,
        endpoint_url: str,
        role_boundary_arn: str,
        prefix: BucketPrefix,
        **options: Any,
    ) -> None:
        super().__init__(endpoint_url=endpoint_url, role_boundary_arn=role_boundary_arn, **options)
        self._endpoint = endpoint_url
        self._prefix = prefix
        self._boundary_made = False

    async def grant(self, bucket: BucketName, access: Access) -> Grant:
        if access.type is AccessType.ROLE and not self._boundary_made:
            # Two first grants at once both make it: the second finds it there.
            await anyio.to_thread.run_sync(
                ensure_role_boundary, self._endpoint, self._boundary, self._prefix
            )
            self._boundary_made = True
        return await super().grant(bucket, access)


def sandbox_provisioner(
    endpoint_url: str,
    session: boto3.Session,
    region_name: str = defaults.REGION,
    *,
    limiter: anyio.CapacityLimiter | None = None,
    role_boundary_arn: str = defaults.ROLE_BOUNDARY_ARN,
    prefix: BucketPrefix = _DEFAULT_PREFIX,
) -> Boto3BucketProvisioner:
    provisioner = SandboxBucketProvisioner(
        prefix=prefix,
        session=session,
        region_name=region_name,
        role_boundary_arn=role_boundary_arn,
        endpoint_url=endpoint_url,
        limiter=limiter,
    )
    return provisioner
