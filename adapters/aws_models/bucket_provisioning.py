"""How the platform makes and unmakes a managed bucket and its grants in its own
AWS account: which requests, in which order, what is undone when a step fails,
and what AWS's answers mean.

Written once and run over any ``AwsTransport``: boto3's in
``Boto3BucketProvisioner``, a ``FakeAws`` world's in ``FakeBucketProvisioner``.
Synchronous, so the boto3 adapter can run each method whole in one worker thread.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, overload

from adapters.aws_models import provisioning_requests as request
from adapters.aws_models.aws_transport import AwsError, AwsTransport
from adapters.aws_models.provisioning_errors import provisioning_error
from adapters.aws_models.provisioning_requests import AwsRequest
from domain.managed_bucket import Access, AccessType, Grant, bucket_missing, bucket_name_taken
from domain.managed_bucket_policies import role_name_for
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName

log = logging.getLogger(__name__)

_BUCKET_GONE = frozenset({"NoSuchBucket"})
_ROLE_GONE = frozenset({"NoSuchEntity"})
_ROLE_EXISTS = frozenset({"EntityAlreadyExists"})
_NOT_FOUND = 404
# HeadBucket on someone else's bucket: 403, or a redirect to its region.
_HELD_BY_ANOTHER = frozenset({301, 403})


class BucketProvisioning:
    def __init__(self, aws: AwsTransport, *, region_name: str, role_boundary_arn: str) -> None:
        self._aws = aws
        self._region = region_name
        # The managed policy set as every managed role's permissions boundary.
        self._boundary = role_boundary_arn

    # -- buckets --

    def create_bucket(self, bucket: BucketName, tags: Mapping[str, str]) -> None:
        if not self._name_is_free(bucket):
            raise bucket_name_taken(bucket)
        self._call(request.create_bucket(bucket, self._region))
        try:
            for step in (
                request.put_public_access_block(bucket),
                request.put_bucket_encryption(bucket),
                request.put_bucket_policy(bucket, None),
                request.put_bucket_tagging(bucket, tags),
            ):
                self._call(step)
        except Exception:
            self._undo(request.delete_bucket(bucket))
            raise

    def exists(self, bucket: BucketName) -> bool:
        return self._head_bucket(bucket) != _NOT_FOUND

    def delete_bucket(self, bucket: BucketName) -> None:
        # S3 itself refuses, atomically, to delete a bucket holding anything
        # (objects, versions, delete markers): BucketNotEmpty. Listing first
        # would only add a call and a race.
        self._call(request.delete_bucket(bucket), _BUCKET_GONE)

    def _name_is_free(self, bucket: BucketName) -> bool:
        # In us-east-1, S3 answers CreateBucket on a bucket the platform already
        # owns with 200: without this look, a name drawn twice would take over
        # another customer's bucket.
        return self._head_bucket(bucket) == _NOT_FOUND

    def _head_bucket(self, bucket: BucketName) -> int:
        """HeadBucket's status: 200, 404 (no such bucket) or what another
        account's bucket answers; AWS failing to answer raises."""
        try:
            self._aws.send(request.head_bucket(bucket))
        except AwsError as error:
            if error.status == _NOT_FOUND or error.status in _HELD_BY_ANOTHER:
                return error.status
            raise provisioning_error(error, "HeadBucket") from None
        return 200

    # -- grants --

    def grant(self, bucket: BucketName, access: Access) -> Grant:
        # Nothing is granted on a bucket that is gone: a role made for it would
        # outlive it, trusted by the customer's account.
        if not self.exists(bucket):
            raise bucket_missing(bucket)
        if access.type is AccessType.BUCKET_POLICY:
            if self._call(request.put_bucket_policy(bucket, access), _BUCKET_GONE) is None:
                raise bucket_missing(bucket)  # gone since the look above
            return Grant(access)
        return Grant(access, self._make_role(bucket, access))

    def revoke(self, bucket: BucketName) -> None:
        # What AWS holds, whatever a row says: the policy back to TLS-only (a
        # bucket already gone took its policy with it), and the role named after
        # the bucket removed, if there is one.
        self._call(request.put_bucket_policy(bucket, None), _BUCKET_GONE)
        self._remove_role(role_name_for(bucket), undoing=False)

    def _make_role(self, bucket: BucketName, access: Access) -> RoleArn:
        created = self._call(request.create_role(bucket, access, self._boundary), _ROLE_EXISTS)
        if created is None:
            created = self._take_over_role(bucket, access)
        try:
            self._call(request.put_role_policy(bucket))
        except Exception:
            self._remove_role(role_name_for(bucket), undoing=True)
            raise
        return RoleArn.parse(created["Role"]["Arn"])

    def _take_over_role(self, bucket: BucketName, access: Access) -> Mapping[str, Any]:
        """The role bears the name of a bucket only the platform has, so it is
        this bucket's own, left by a revoke cut short or by a retried CreateRole
        that had in fact succeeded: it takes this grant's trust. One made before
        managed roles had a boundary (or with another) is never reused uncapped:
        it is replaced by one made with the boundary."""
        name = role_name_for(bucket)
        existing = self._call(request.get_role(name))
        boundary = existing["Role"].get("PermissionsBoundary", {}).get("PermissionsBoundaryArn")
        if boundary != self._boundary:
            self._remove_role(name, undoing=False)
            return self._call(request.create_role(bucket, access, self._boundary))
        self._call(request.update_assume_role_policy(bucket, access))
        return existing

    def _remove_role(self, role_name: str, *, undoing: bool) -> None:
        # IAM refuses to delete a role that still has an inline policy.
        for step in (request.delete_role_policy(role_name), request.delete_role(role_name)):
            if undoing:
                self._undo(step)
            else:
                self._call(step, _ROLE_GONE)

    # -- sending --

    @overload
    def _call(self, aws: AwsRequest) -> Mapping[str, Any]: ...

    @overload
    def _call(self, aws: AwsRequest, answered: frozenset[str]) -> Mapping[str, Any] | None: ...

    def _call(
        self, aws: AwsRequest, answered: frozenset[str] = frozenset()
    ) -> Mapping[str, Any] | None:
        """Send ``aws``; its errors in the domain's words. An error whose code is in
        ``answered`` is an expected answer (the thing is gone, or already there):
        the call then returns None."""
        try:
            return self._aws.send(aws)
        except AwsError as error:
            if error.code in answered:
                return None
            raise provisioning_error(error, aws.operation) from None

    def _undo(self, aws: AwsRequest) -> None:
        # Best effort: the failure that made us undo is what the caller must hear
        # about; what could not be undone is left to an operator, and logged for one.
        try:
            self._call(aws, _BUCKET_GONE | _ROLE_GONE)
        except Exception as error:
            log.error(
                "Undoing a half-made managed bucket: %s %s failed: %s",
                aws.operation,
                _target(aws),
                error,
            )


def _target(aws: AwsRequest) -> str:
    return str(aws.params.get("Bucket") or aws.params.get("RoleName"))
