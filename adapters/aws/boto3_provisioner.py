"""The real provisioner: makes and unmakes managed buckets and their grants in
the platform's own AWS account, through boto3 with the platform's credentials.

The steps, undo and error mapping are ``adapters.aws_models.bucket_provisioning``'s,
shared with the fake; this adapter gives them boto3's clients and a thread."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
import anyio.to_thread
import boto3
from botocore.config import Config

from adapters.aws.boto3_transport import Boto3Transport
from adapters.aws.client_config import default_config
from adapters.aws_models.bucket_provisioning import BucketProvisioning
from domain.managed_bucket import Access, Grant
from domain.s3_uri import BucketName

if TYPE_CHECKING:
    from mypy_boto3_iam import IAMClient
    from mypy_boto3_s3 import S3Client

T = TypeVar("T")

# Buckets are made far less often than connectors are probed: a few threads of
# their own are plenty, and they are not taken from the probes' share.
DEFAULT_CONCURRENCY = 16


class Boto3BucketProvisioner:
    def __init__(
        self,
        *,
        session: boto3.Session,
        region_name: str,
        role_boundary_arn: str,
        endpoint_url: str | None = None,
        limiter: anyio.CapacityLimiter | None = None,
        config: Config | None = None,
    ) -> None:
        base = default_config(concurrency=DEFAULT_CONCURRENCY)
        merged = base.merge(config) if config else base
        # The managed policy set as every managed role's permissions boundary (the
        # sandbox makes it in its emulator before its first role grant).
        self._boundary = role_boundary_arn
        self._limiter = limiter or anyio.CapacityLimiter(DEFAULT_CONCURRENCY)
        # Built once and used from any thread (boto3 clients are thread-safe).
        # Public so hooks can be registered on their events: the sandbox's account
        # header, a test's injected fault.
        self.s3: S3Client = session.client(
            "s3", region_name=region_name, endpoint_url=endpoint_url, config=merged
        )
        self.iam: IAMClient = session.client(
            "iam", region_name=region_name, endpoint_url=endpoint_url, config=merged
        )
        self._provisioning = BucketProvisioning(
            Boto3Transport(self.s3, self.iam),
            region_name=region_name,
            role_boundary_arn=role_boundary_arn,
        )

    async def create_bucket(self, bucket: BucketName, tags: Mapping[str, str]) -> None:
        await self._run(self._provisioning.create_bucket, bucket, tags)

    async def grant(self, bucket: BucketName, access: Access) -> Grant:
        return await self._run(self._provisioning.grant, bucket, access)

    async def revoke(self, bucket: BucketName) -> None:
        await self._run(self._provisioning.revoke, bucket)

    async def exists(self, bucket: BucketName) -> bool:
        return await self._run(self._provisioning.exists, bucket)

    async def delete_bucket(self, bucket: BucketName) -> None:
        await self._run(self._provisioning.delete_bucket, bucket)

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        # A method runs whole in one worker thread, which anyio does not abandon on
        # cancellation: a cancelled request still finishes, or undoes, its steps.
        return await anyio.to_thread.run_sync(function, *args, limiter=self._limiter)
