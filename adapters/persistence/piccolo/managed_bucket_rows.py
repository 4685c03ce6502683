"""Managed bucket rows <-> domain buckets; the only place that knows the columns."""

from __future__ import annotations

from typing import Any

from adapters.persistence.stored_time import utc
from domain.account_id import AccountId
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.managed_bucket import Access, AccessType, Grant, ManagedBucket
from domain.resource_id import ResourceId
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName

Row = dict[str, Any]


def to_row(bucket: ManagedBucket) -> Row:
    return {
        "id": bucket.id,
        "company_id": bucket.company_id.value,
        "name": bucket.name.value,
        "resource_id": bucket.resource_id.value,
        "created_at": utc(bucket.created_at),
        "is_access_mutable": bucket.is_access_mutable,
        **changeable_columns(bucket),
    }


def changeable_columns(bucket: ManagedBucket) -> Row:
    """What a change of access stores: the grant and ``updated_at``."""
    access = bucket.grant.access
    return {
        "access_type": access.type.value,
        "account_id": access.account_id.value,
        "role_arn": None if bucket.grant.role_arn is None else str(bucket.grant.role_arn),
        "external_id": None if access.external_id is None else access.external_id.value,
        "updated_at": utc(bucket.updated_at),
    }


def to_managed_bucket(row: Row) -> ManagedBucket:
    return ManagedBucket(
        id=row["id"],
        company_id=OrgId(row["company_id"]),
        name=BucketName(row["name"]),
        resource_id=ResourceId(row["resource_id"]),
        grant=_grant(row),
        created_at=utc(row["created_at"]),
        updated_at=utc(row["updated_at"]),
        is_access_mutable=bool(row["is_access_mutable"]),
    )


def _grant(row: Row) -> Grant:
    external_id = row["external_id"]
    access = Access(
        type=AccessType(row["access_type"]),
        account_id=AccountId(row["account_id"]),
        external_id=None if external_id is None else ExternalId(external_id),
    )
    role_arn = row["role_arn"]
    return Grant(access, None if role_arn is None else RoleArn.parse(role_arn))
