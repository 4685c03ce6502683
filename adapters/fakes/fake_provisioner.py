"""The ``BucketProvisioner`` port over a ``FakeAws``, in the platform's account.

It sends the boto3 provisioner's requests (``adapters.aws_models.provisioning_requests``),
in the same order, each through ``FakeAws.call`` (so they are recorded and a
fault injected for one of them fails it there), then changes the world as AWS
would; and it undoes a half-made bucket or role as the boto3 provisioner does.

Its roles get a permissions boundary, as the boto3 provisioner's do: the policy
``role_boundary_arn`` names, which must be in the world; without one, the
fake makes the default boundary (for the prefix ``nio``) in the platform's
account, as the sandbox does in the emulator.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from adapters.aws.provisioning_errors import AwsRequestRefused
from adapters.aws_models import provisioning_requests as request
from adapters.aws_models.provisioning_requests import (
    DEFAULT_ENCRYPTION_RULE,
    OBJECT_OWNERSHIP,
    PUBLIC_ACCESS_BLOCK,
    ROLE_POLICY_NAME,
    AwsRequest,
)
from adapters.fakes.fake_aws import FakeAws, FakeAwsError, RoleState
from domain.account_id import AccountId
from domain.bucket_naming import BucketPrefix
from domain.errors import BucketNameTaken, BucketNotEmpty
from domain.managed_bucket import Access, AccessType, Grant, bucket_missing
from domain.managed_bucket_policies import (
    bucket_policy,
    role_access_policy,
    role_name_for,
    role_permissions_boundary,
    role_trust_policy,
)
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName

T = TypeVar("T")

_BUCKET_GONE = frozenset({"NoSuchBucket"})
_ROLE_GONE = frozenset({"NoSuchEntity"})
_ROLE_EXISTS = frozenset({"EntityAlreadyExists"})
_NAME_TAKEN = frozenset({"BucketAlreadyExists", "BucketAlreadyOwnedByYou"})
DEFAULT_BOUNDARY_NAME = "bucketlink-managed-role-boundary"


class FakeBucketProvisioner:
    def __init__(
        self,
        world: FakeAws,
        platform_account_id: str = "123456789012",
        region_name: str = request.US_EAST_1,
        *,
        role_boundary_arn: str | None = None,
    ) -> None:
        self._world = world
        self._account = AccountId.parse(platform_account_id)
        self._region = region_name
        self._boundary = role_boundary_arn or self._default_boundary()

    def _default_boundary(self) -> str:
        document = role_permissions_boundary(BucketPrefix())
        try:
            return self._world.create_policy(self._account.value, DEFAULT_BOUNDARY_NAME, document)
        except FakeAwsError as error:
            if error.code != "EntityAlreadyExists":
                raise
        return f"arn:aws:iam::{self._account}:policy/{DEFAULT_BOUNDARY_NAME}"

    async def create_bucket(self, bucket: BucketName, tags: Mapping[str, str]) -> None:
        world, name = self._world, bucket.value
        # As the boto3 provisioner: an existing bucket of its own is never adopted.
        if self._send(request.head_bucket(bucket), lambda: world.bucket_state(name)) is not None:
            raise BucketNameTaken(f"A bucket named {bucket} already exists.")
        self._send(
            request.create_bucket(bucket, self._region),
            lambda: world.create_bucket(
                self._account.value, name, object_ownership=OBJECT_OWNERSHIP
            ),
        )
        try:
            self._secure(bucket, tags)
        except Exception:
            self._undo(request.delete_bucket(bucket), lambda: world.delete_bucket(name))
            raise

    async def exists(self, bucket: BucketName) -> bool:
        world, name = self._world, bucket.value
        return self._send(request.head_bucket(bucket), lambda: world.bucket_state(name)) is not None

    async def grant(self, bucket: BucketName, access: Access) -> Grant:
        # As the boto3 provisioner: nothing is granted on a bucket that is gone.
        if not await self.exists(bucket):
            raise bucket_missing(bucket)
        if access.type is AccessType.BUCKET_POLICY:
            granted = self._send_unless(
                _BUCKET_GONE,
                request.put_bucket_policy(bucket, access),
                lambda: self._put_policy(bucket, access),
            )
            if granted is None:  # gone since the look above
                raise bucket_missing(bucket)
            return Grant(access)
        return Grant(access, self._make_role(bucket, access))

    async def revoke(self, bucket: BucketName) -> None:
        # What AWS holds, whatever a row says: TLS-only policy, no role.
        self._send_unless(
            _BUCKET_GONE,
            request.put_bucket_policy(bucket, None),
            lambda: self._world.put_bucket_policy(bucket.value, bucket_policy(bucket, None)),
        )
        self._remove_role(self._role(role_name_for(bucket)), undoing=False)

    async def delete_bucket(self, bucket: BucketName) -> None:
        self._send_unless(
            _BUCKET_GONE,
            request.delete_bucket(bucket),
            lambda: self._world.delete_bucket(bucket.value),
        )

    def _put_policy(self, bucket: BucketName, access: Access | None) -> bool:
        self._world.put_bucket_policy(bucket.value, bucket_policy(bucket, access))
        return True

    def _secure(self, bucket: BucketName, tags: Mapping[str, str]) -> None:
        world, name = self._world, bucket.value
        self._send(
            request.put_public_access_block(bucket),
            lambda: world.put_public_access_block(name, PUBLIC_ACCESS_BLOCK),
        )
        self._send(
            request.put_bucket_encryption(bucket),
            lambda: world.put_bucket_encryption(name, DEFAULT_ENCRYPTION_RULE),
        )
        self._send(
            request.put_bucket_policy(bucket, None),
            lambda: world.put_bucket_policy(name, bucket_policy(bucket, None)),
        )
        self._send(
            request.put_bucket_tagging(bucket, tags), lambda: world.put_bucket_tagging(name, tags)
        )

    def _make_role(self, bucket: BucketName, access: Access) -> RoleArn:
        world, role = self._world, self._role(role_name_for(bucket))
        trust = role_trust_policy(access)
        created = self._send_unless(
            _ROLE_EXISTS,
            request.create_role(bucket, access, self._boundary),
            lambda: world.create_role(
                self._account.value, role.role_name, trust, permissions_boundary=self._boundary
            ),
        )
        if created is None:
            created = self._take_over_role(bucket, access, role)
        try:
            self._send(
                request.put_role_policy(bucket),
                lambda: world.put_role_policy(role, ROLE_POLICY_NAME, role_access_policy(bucket)),
            )
        except Exception:
            self._remove_role(role, undoing=True)
            raise
        return created

    def _take_over_role(self, bucket: BucketName, access: Access, role: RoleArn) -> RoleArn:
        """A leftover of this bucket's own (see the boto3 provisioner): takes
        this grant's trust, or is replaced if it lacks the boundary."""
        world, trust = self._world, role_trust_policy(access)
        existing = self._send(request.get_role(role.role_name), lambda: self._existing(role))
        if existing.permissions_boundary != self._boundary:
            self._remove_role(role, undoing=False)
            return self._send(
                request.create_role(bucket, access, self._boundary),
                lambda: world.create_role(
                    self._account.value, role.role_name, trust, permissions_boundary=self._boundary
                ),
            )
        self._send(
            request.update_assume_role_policy(bucket, access),
            lambda: world.update_trust_policy(role, trust),
        )
        return existing.arn

    def _remove_role(self, role: RoleArn, *, undoing: bool) -> None:
        steps = (
            (
                request.delete_role_policy(role.role_name),
                lambda: self._world.delete_role_policy(role, ROLE_POLICY_NAME),
            ),
            (request.delete_role(role.role_name), lambda: self._world.delete_role(role)),
        )
        for aws, apply in steps:
            if undoing:
                self._undo(aws, apply)
            else:
                self._send_unless(_ROLE_GONE, aws, apply)

    def _role(self, name: str) -> RoleArn:
        return RoleArn(self._account, "/", name)

    def _existing(self, role: RoleArn) -> RoleState:
        state = self._world.role_state(role)
        if state is None:
            raise FakeAwsError("NoSuchEntity", f"no role {role}")
        return state

    def _send(self, aws: AwsRequest, apply: Callable[[], T]) -> T:
        """Make the call, then its change to the world; errors in the domain's words."""
        try:
            return self._attempt(aws, apply)
        except FakeAwsError as error:
            raise _domain_error(error, aws.operation) from None

    def _send_unless(
        self, answered: frozenset[str], aws: AwsRequest, apply: Callable[[], T]
    ) -> T | None:
        """``_send``, where an error whose code is in ``answered`` is an expected
        answer (the thing is gone, or already there): None."""
        try:
            return self._attempt(aws, apply)
        except FakeAwsError as error:
            if error.code in answered:
                return None
            raise _domain_error(error, aws.operation) from None

    def _attempt(self, aws: AwsRequest, apply: Callable[[], T]) -> T:
        self._world.call(aws.operation, **aws.params)
        return apply()

    def _undo(self, aws: AwsRequest, apply: Callable[[], object]) -> None:
        # Best effort, as the boto3 provisioner: the original failure is raised.
        try:
            self._send_unless(_BUCKET_GONE | _ROLE_GONE, aws, apply)
        except Exception:
            return


def _domain_error(error: FakeAwsError, operation: str) -> Exception:
    # The same words as adapters.aws.provisioning_errors gives botocore's errors.
    if error.code in _NAME_TAKEN:
        return BucketNameTaken(f"{operation}: the bucket name is taken ({error.code}).")
    if error.code == "BucketNotEmpty":
        return BucketNotEmpty("The bucket still holds objects; delete them first.")
    return AwsRequestRefused(f"{operation}: AWS answered {error.code}.")
