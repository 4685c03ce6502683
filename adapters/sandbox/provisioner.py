"""Managed buckets in the sandbox: the real boto3 provisioner, on the emulator, as
the platform's account.

Unlike the probe, it needs no enforcing decorator: what it relies on, moto does
as AWS does (checked with scripts, proved by the contract tests): a name another
account holds is BucketAlreadyExists, a bucket holding objects is not deleted
(BucketNotEmpty), a role with an inline policy is not deleted (DeleteConflict),
and CreateBucket accepts ObjectOwnership. moto ignores bucket policy conditions,
so the TLS-only statement denies every *object* request to a managed bucket,
over HTTP or HTTPS alike; the bucket-level requests this provisioner makes
(ListObjectsV2 too) still pass.
"""

from __future__ import annotations

import anyio
import boto3

from adapters.aws.boto3_provisioner import Boto3BucketProvisioner
from adapters.sandbox import defaults
from adapters.sandbox.emulator import act_as


def sandbox_provisioner(
    endpoint_url: str,
    session: boto3.Session,
    region_name: str = defaults.REGION,
    *,
    limiter: anyio.CapacityLimiter | None = None,
) -> Boto3BucketProvisioner:
    provisioner = Boto3BucketProvisioner(
        session=session, region_name=region_name, endpoint_url=endpoint_url, limiter=limiter
    )
    act_as(provisioner.s3, defaults.PLATFORM_ACCOUNT_ID)
    act_as(provisioner.iam, defaults.PLATFORM_ACCOUNT_ID)
    return provisioner
