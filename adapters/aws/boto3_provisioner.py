"""The real provisioner: makes and unmakes managed buckets and their grants in
the platform's own AWS account, through boto3 with the platform's credentials."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
import anyio.to_thread
import boto3
from botocore import xform_name
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from adapters.aws.aws_errors import error_code, status_code
from adapters.aws.client_config import default_config
from adapters.aws.provisioning_errors import provisioning_error
from adapters.aws_models import provisioning_requests as request
from adapters.aws_models.provisioning_requests import AwsRequest
from domain.errors import BucketNameTaken
from domain.managed_bucket import Access, AccessType, Grant, bucket_missing
from domain.managed_bucket_policies import role_name_for
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName

if TYPE_CHECKING:
    from mypy_boto3_iam import IAMClient
    from mypy_boto3_s3 import S3Client

log = logging.getLogger(__name__)
T = TypeVar("T")

# Buckets are made far less often than connectors are probed: a few threads of
# their own are plenty, and they are not taken from the probes' share.
DEFAULT_CONCURRENCY = 16
_BUCKET_GONE = frozenset({"NoSuchBucket"})
_ROLE_GONE = frozenset({"NoSuchEntity"})
_ROLE_EXISTS = frozenset({"EntityAlreadyExists"})
# HeadBucket on someone else's bucket: 403, or a redirect to its region.
_HELD_BY_ANOTHER = frozenset({301, 403})


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
        self._region = region_name
        # The managed policy set as every managed role's permissions boundary.
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

    async def create_bucket(self, bucket: BucketName, tags: Mapping[str, str]) -> None:
        await self._run(self._create_bucket, bucket, tags)

    async def grant(self, bucket: BucketName, access: Access) -> Grant:
        return await self._run(self._grant, bucket, access)

    async def revoke(self, bucket: BucketName) -> None:
        await self._run(self._revoke, bucket)

    async def exists(self, bucket: BucketName) -> bool:
        return await self._run(self._bucket_exists, bucket)

    async def delete_bucket(self, bucket: BucketName) -> None:
        # S3 itself refuses, atomically, to delete a bucket holding anything
        # (objects, versions, delete markers): BucketNotEmpty. Listing first
        # would only add a call and a race.
        await self._run(_call, self.s3, request.delete_bucket(bucket), _BUCKET_GONE)

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        # A method runs whole in one worker thread, which anyio does not abandon on
        # cancellation: a cancelled request still finishes, or undoes, its steps.
        return await anyio.to_thread.run_sync(function, *args, limiter=self._limiter)

    # -- buckets --

    def _create_bucket(self, bucket: BucketName, tags: Mapping[str, str]) -> None:
        if not self._name_is_free(bucket):
            raise BucketNameTaken(f"A bucket named {bucket} already exists.")
        _call(self.s3, request.create_bucket(bucket, self._region))
        try:
            for step in (
                request.put_public_access_block(bucket),
                request.put_bucket_encryption(bucket),
                request.put_bucket_policy(bucket, None),
                request.put_bucket_tagging(bucket, tags),
            ):
                _call(self.s3, step)
        except Exception:
            _undo(self.s3, request.delete_bucket(bucket))
            raise

    def _name_is_free(self, bucket: BucketName) -> bool:
        # In us-east-1, S3 answers CreateBucket on a bucket the platform already
        # owns with 200: without this look, a name drawn twice would take over
        # another customer's bucket.
        return self._head_bucket(bucket) == 404

    def _bucket_exists(self, bucket: BucketName) -> bool:
        return self._head_bucket(bucket) != 404

    def _head_bucket(self, bucket: BucketName) -> int:
        """HeadBucket's status: 200, 404 (no such bucket) or what another
        account's bucket answers; AWS failing to answer raises."""
        try:
            self.s3.head_bucket(**request.head_bucket(bucket).params)
        except ClientError as error:
            status = status_code(error)
            if status == 404 or status in _HELD_BY_ANOTHER:
                return status
            raise provisioning_error(error, "HeadBucket") from None
        except BotoCoreError as error:
            raise provisioning_error(error, "HeadBucket") from None
        return 200

    # -- grants --

    def _grant(self, bucket: BucketName, access: Access) -> Grant:
        # Nothing is granted on a bucket that is gone: a role made for it would
        # outlive it, trusted by the customer's account.
        if not self._bucket_exists(bucket):
            raise bucket_missing(bucket)
        if access.type is AccessType.BUCKET_POLICY:
            if _call(self.s3, request.put_bucket_policy(bucket, access), _BUCKET_GONE) is None:
                raise bucket_missing(bucket)
            return Grant(access)
        return Grant(access, self._make_role(bucket, access))

    def _make_role(self, bucket: BucketName, access: Access) -> RoleArn:
        created = _call(self.iam, request.create_role(bucket, access, self._boundary), _ROLE_EXISTS)
        if created is None:
            created = self._take_over_role(bucket, access)
        try:
            _call(self.iam, request.put_role_policy(bucket))
        except Exception:
            self._remove_role(role_name_for(bucket), undoing=True)
            raise
        return RoleArn.parse(created["Role"]["Arn"])

    def _take_over_role(self, bucket: BucketName, access: Access) -> Any:
        """The role bears the name of a bucket only the platform has, so it is
        this bucket's own, left by a revoke cut short or by botocore retrying a
        CreateRole that had in fact succeeded: it takes this grant's trust. One
        made before managed roles had a boundary (or with another) is never
        reused uncapped: it is replaced by one made with the boundary."""
        name = role_name_for(bucket)
        existing = _call(self.iam, request.get_role(name))
        boundary = existing["Role"].get("PermissionsBoundary", {}).get("PermissionsBoundaryArn")
        if boundary != self._boundary:
            self._remove_role(name, undoing=False)
            return _call(self.iam, request.create_role(bucket, access, self._boundary))
        _call(self.iam, request.update_assume_role_policy(bucket, access))
        return existing

    def _revoke(self, bucket: BucketName) -> None:
        # What AWS holds, whatever a row says: the policy back to TLS-only (a
        # bucket already gone took its policy with it), and the role named after
        # the bucket removed, if there is one.
        _call(self.s3, request.put_bucket_policy(bucket, None), _BUCKET_GONE)
        self._remove_role(role_name_for(bucket), undoing=False)

    def _remove_role(self, role_name: str, *, undoing: bool) -> None:
        # IAM refuses to delete a role that still has an inline policy.
        for step in (request.delete_role_policy(role_name), request.delete_role(role_name)):
            if undoing:
                _undo(self.iam, step)
            else:
                _call(self.iam, step, _ROLE_GONE)


def _call(client: BaseClient, aws: AwsRequest, answered: frozenset[str] = frozenset()) -> Any:
    """Send ``aws``; its errors in the domain's words. An error whose code is in
    ``answered`` is an expected answer (the thing is gone, or already there):
    the call then returns None."""
    try:
        return getattr(client, xform_name(aws.operation))(**aws.params)
    except ClientError as error:
        if error_code(error) in answered:
            return None
        raise provisioning_error(error, aws.operation) from None
    except BotoCoreError as error:
        raise provisioning_error(error, aws.operation) from None


def _undo(client: BaseClient, aws: AwsRequest) -> None:
    # Best effort: the failure that made us undo is what the caller must hear
    # about; what could not be undone is left to an operator, and logged for one.
    try:
        _call(client, aws, _BUCKET_GONE | _ROLE_GONE)
    except Exception as error:
        log.error(
            "Undoing a half-made managed bucket: %s %s failed: %s",
            aws.operation,
            _target(aws),
            error,
        )


def _target(aws: AwsRequest) -> str:
    return str(aws.params.get("Bucket") or aws.params.get("RoleName"))
