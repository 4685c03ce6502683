"""The ``BucketProvisioner`` port over a ``FakeAws``, in the platform's account.

The very algorithm the boto3 provisioner runs (``adapters.aws_models.
bucket_provisioning``: the same requests in the same order, the same undo, the
same error mapping), sent through a ``FakeAwsTransport``, so every call is
recorded and a fault injected for one of them fails it there.

Its roles get a permissions boundary, as the boto3 provisioner's do: the policy
``role_boundary_arn`` names, which must be in the world; without one, the
fake makes the default boundary (for the prefix ``nio``) in the platform's
account, as the sandbox does in the emulator.
"""

from __future__ import annotations

from collections.abc import Mapping

from adapters.aws_models.bucket_provisioning import BucketProvisioning
from adapters.aws_models.provisioning_requests import US_EAST_1
from adapters.fakes.aws_rules import FakeAwsError
from adapters.fakes.fake_aws import FakeAws
from adapters.fakes.fake_transport import FakeAwsTransport
from adapters.sandbox.defaults import PLATFORM_ACCOUNT_ID, ROLE_BOUNDARY_NAME
from domain.account_id import AccountId
from domain.bucket_naming import BucketPrefix
from domain.managed_bucket import Access, Grant
from domain.managed_bucket_policies import role_permissions_boundary
from domain.s3_uri import BucketName


class FakeBucketProvisioner:
    def __init__(
        self,
        world: FakeAws,
        platform_account_id: str = PLATFORM_ACCOUNT_ID,
        region_name: str = US_EAST_1,
        *,
        role_boundary_arn: str | None = None,
    ) -> None:
        self._world = world
        self._account = AccountId.parse(platform_account_id)
        self._provisioning = BucketProvisioning(
            FakeAwsTransport(world, self._account),
            region_name=region_name,
            role_boundary_arn=role_boundary_arn or self._default_boundary(),
        )

    def _default_boundary(self) -> str:
        # Made directly in the world, as an administrator makes it beforehand:
        # not one of the platform's calls.
        document = role_permissions_boundary(BucketPrefix())
        try:
            return self._world.create_policy(self._account.value, ROLE_BOUNDARY_NAME, document)
        except FakeAwsError as error:
            if error.code != "EntityAlreadyExists":
                raise
        return f"arn:aws:iam::{self._account}:policy/{ROLE_BOUNDARY_NAME}"

    async def create_bucket(self, bucket: BucketName, tags: Mapping[str, str]) -> None:
        self._provisioning.create_bucket(bucket, tags)

    async def exists(self, bucket: BucketName) -> bool:
        return self._provisioning.exists(bucket)

    async def grant(self, bucket: BucketName, access: Access) -> Grant:
        return self._provisioning.grant(bucket, access)

    async def revoke(self, bucket: BucketName) -> None:
        self._provisioning.revoke(bucket)

    async def delete_bucket(self, bucket: BucketName) -> None:
        self._provisioning.delete_bucket(bucket)
