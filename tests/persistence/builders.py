"""Connectors, managed buckets and their owners for the tests, valid unless a test
says otherwise."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from domain.account_id import AccountId
from domain.connector import Connector, ConnectorType, S3Target
from domain.credential_name import CredentialName
from domain.external_id import ExternalId
from domain.identity import Caller, OrgId
from domain.managed_bucket import Access, Grant, ManagedBucket
from domain.resource_id import ResourceId
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName, S3Uri

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


ACME = OrgId(1)  # a company, owning managed buckets
GLOBEX = OrgId(2)  # another

CUSTOMER_ACCOUNT = AccountId("012345678901")  # leading zero on purpose
POLICY_GRANT = Grant(Access.by_bucket_policy(CUSTOMER_ACCOUNT))


def a_role_grant(
    external_id: str = "acme-external-id-0123456789",
    role_arn: str = "arn:aws:iam::123456789012:role/bucketlink/managed/nio-yourcompany-role",
) -> Grant:
    return Grant(
        Access.by_role(AccountId("210987654321"), ExternalId(external_id)),
        RoleArn.parse(role_arn),
    )


def a_managed_bucket(
    company: OrgId = ACME,
    *,
    grant: Grant = POLICY_GRANT,
    created_at: datetime = T0,
    resource_id: str = "yourcompany",
    name: str | None = None,
    is_access_mutable: bool = True,
) -> ManagedBucket:
    return ManagedBucket(
        id=uuid.uuid4(),
        company_id=company,
        name=BucketName(name or f"nio-{resource_id}-{uuid.uuid4().hex[:12]}"),
        resource_id=ResourceId(resource_id),
        grant=grant,
        created_at=created_at,
        updated_at=created_at + timedelta(microseconds=1),
        is_access_mutable=is_access_mutable,
    )
