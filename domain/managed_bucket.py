from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from domain.account_id import AccountId
from domain.errors import (
    AccessImmutable,
    BucketBusy,
    BucketMissing,
    BucketNameTaken,
    InvalidField,
    NotFound,
)
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.resource_id import ResourceId
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName


class AccessType(enum.StrEnum):
    BUCKET_POLICY = "bucket_policy"
    ROLE = "role"


@dataclass(frozen=True, slots=True)
class Access:
    """How a customer's AWS account should reach its managed bucket: through the
    bucket policy, or by assuming a role with the customer's external id."""

    type: AccessType
    account_id: AccountId
    external_id: ExternalId | None = None

    def __post_init__(self) -> None:
        if (self.type is AccessType.ROLE) != (self.external_id is not None):
            raise ValueError("a role grant needs an external id; a policy grant takes none")

    def refuse_platform_account(self, platform_account: AccountId) -> None:
        """A managed bucket is granted to a customer's account, never back to the
        platform's own, where every principal of the platform would get it."""
        if self.account_id == platform_account:
            raise InvalidField(
                "account_id",
                f"must be your own AWS account: {platform_account.value} is the platform's",
            )

    @classmethod
    def by_bucket_policy(cls, account_id: AccountId) -> Access:
        return cls(AccessType.BUCKET_POLICY, account_id)

    @classmethod
    def by_role(cls, account_id: AccountId, external_id: ExternalId) -> Access:
        return cls(AccessType.ROLE, account_id, external_id)


@dataclass(frozen=True, slots=True)
class Grant:
    """An access as it was made: for a role grant, the role that was created."""

    access: Access
    role_arn: RoleArn | None = None


@dataclass(frozen=True, slots=True)
class ChangeLease:
    """A claim on one bucket while its AWS side is changed: only the holder may
    store the change, and a claim left by a crashed instance lapses ``until``."""

    token: UUID
    until: datetime

    def lapsed(self, now: datetime) -> bool:
        return self.until <= now


@dataclass(frozen=True, slots=True)
class ManagedBucket:
    id: UUID
    company_id: OrgId
    name: BucketName
    resource_id: ResourceId
    grant: Grant
    created_at: datetime
    updated_at: datetime
    is_access_mutable: bool = True

    def with_grant(self, grant: Grant, now: datetime) -> ManagedBucket:
        return replace(self, grant=grant, updated_at=now)

    def with_access_mutable(self, mutable: bool, now: datetime) -> ManagedBucket:
        return replace(self, is_access_mutable=mutable, updated_at=now)


def bucket_missing(bucket: BucketName) -> BucketMissing:
    """The error for a managed bucket that is gone from AWS."""
    return BucketMissing(
        f"The managed bucket {bucket} no longer exists in AWS: it was deleted outside "
        "bucketlink. Its access cannot be changed; delete it here to remove its record."
    )


def bucket_name_taken(bucket: BucketName) -> BucketNameTaken:
    """The error for a drawn name S3 already has (anyone's bucket), in the words
    of every provisioner, so the real one and the fake cannot drift apart."""
    return BucketNameTaken(f"A bucket named {bucket} already exists.")


def bucket_busy(bucket_id: UUID) -> BucketBusy:
    """Another change holds the bucket's lease: the same words from every store."""
    return BucketBusy(f"another change to bucket {bucket_id} is under way")


def claim_lost(bucket_id: UUID) -> BucketBusy:
    """The change's lease lapsed and another change took the bucket meanwhile."""
    return BucketBusy(f"the change to bucket {bucket_id} lost its claim on it")


def access_locked_meanwhile(bucket_id: UUID) -> AccessImmutable:
    """An operator locked the bucket's access while a change was under way."""
    return AccessImmutable(f"access to bucket {bucket_id} was locked meanwhile")


def bucket_not_found(bucket_id: UUID) -> NotFound:
    """The same answer for "never existed", "another company's" and "deleted
    meanwhile", wherever it is found out."""
    return NotFound(f"no bucket {bucket_id}")
