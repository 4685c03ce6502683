"""Connector rows <-> domain connectors; the only place that knows the columns."""

from __future__ import annotations

from typing import Any

from adapters.persistence import stored_values
from adapters.persistence.stored_time import utc
from domain.connector import Connector, ConnectorType, S3Target

Row = dict[str, Any]


def to_row(connector: Connector) -> Row:
    return {
        "id": connector.id,
        "org_id": connector.owner.org_id.value,
        "user_id": connector.owner.user_id,
        "credential_name": connector.credential_name.value,
        "connector_type": connector.connector_type.value,
        "created_at": utc(connector.created_at),
        "updated_at": utc(connector.updated_at),
        **_s3_columns(connector.s3),
    }


def _s3_columns(s3: S3Target | None) -> Row:
    if s3 is None:
        return {}
    return {
        "verified_bucket_uri": str(s3.bucket_uri),
        "verified_role_arn": str(s3.role_arn),
        "verified_bucket_owner_account_id": s3.bucket_owner.value,
        "verified_bucket_region": s3.region,
    }


def to_connector(row: Row) -> Connector:
    return Connector(
        id=row["id"],
        owner=stored_values.owner(row["user_id"], row["org_id"]),
        credential_name=stored_values.credential_name(row["credential_name"]),
        connector_type=ConnectorType(row["connector_type"]),
        created_at=utc(row["created_at"]),
        updated_at=utc(row["updated_at"]),
        s3=_s3_target(row),
    )


def _s3_target(row: Row) -> S3Target | None:
    if row["verified_bucket_uri"] is None:
        return None
    return S3Target(
        bucket_uri=stored_values.s3_uri(row["verified_bucket_uri"]),
        role_arn=stored_values.role_arn(row["verified_role_arn"]),
        bucket_owner=stored_values.account_id(row["verified_bucket_owner_account_id"]),
        region=row.get("verified_bucket_region"),
    )
