"""Connectors and owners for the tests, valid unless a test says otherwise."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from domain.account_id import AccountId
from domain.connector import Connector, ConnectorType, S3Target
from domain.credential_name import CredentialName
from domain.identity import Caller, OrgId
from domain.role_arn import RoleArn
from domain.s3_uri import S3Uri

ALICE = Caller("alice", OrgId(1))
BOB = Caller("bob", OrgId(1))  # Alice's colleague
ALICE_ELSEWHERE = Caller("alice", OrgId(2))  # the same sub in another org

T0 = datetime(2026, 11, 23, 10, 0, 0, 123456, tzinfo=UTC)

S3_TARGET = S3Target(
    bucket_uri=S3Uri.parse("s3://customer-data.eu/exports/2026/daily/"),
    role_arn=RoleArn.parse("arn:aws:iam::012345678901:role/service-role/bucketlink/reader"),
    bucket_owner=AccountId("012345678901"),
)


def a_connector(
    owner: Caller = ALICE,
    name: str = "warehouse",
    *,
    created_at: datetime = T0,
    connector_type: ConnectorType = ConnectorType.S3,
    connector_id: uuid.UUID | None = None,
) -> Connector:
    return Connector(
        id=connector_id or uuid.uuid4(),
        owner=owner,
        credential_name=CredentialName(name),
        connector_type=connector_type,
        created_at=created_at,
        updated_at=created_at + timedelta(microseconds=1),
        s3=S3_TARGET if connector_type is ConnectorType.S3 else None,
    )


def name(n: int) -> str:
    return f"connector-{n}"
