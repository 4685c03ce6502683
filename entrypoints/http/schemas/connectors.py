"""Request and response bodies of the connector routes. Constraints a schema can
state live here (for OpenAPI and early rejection); the domain value objects
hold the full rules and are built in ``to_request``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from application.register_s3_connector import S3ConnectorRequest
from application.verify_connector import Verification
from domain import credential_name as credential_name_rule
from domain.account_id import AccountId
from domain.connector import Connector, S3Target
from domain.credential_name import CredentialName
from domain.errors import FieldProblem, InvalidInput
from domain.probe import ProbeReport, ProbeStep
from domain.role_arn import SHAPE as ROLE_ARN_SHAPE
from domain.role_arn import RoleArn
from domain.s3_uri import S3Uri
from entrypoints.http.schemas.account_ids import EXAMPLE_ACCOUNT_ID, AccountIdText
from entrypoints.http.schemas.collecting import collect

CredentialNameText = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=credential_name_rule.MAX_LENGTH,
        description="Unique per user; no control characters.",
    ),
]
RoleArnText = Annotated[
    str,
    Meta(
        pattern=ROLE_ARN_SHAPE,
        description="The customer's IAM role trusting the platform principal.",
        examples=[f"arn:aws:iam::{EXAMPLE_ACCOUNT_ID}:role/bucketlink-access"],
    ),
]
BucketUriText = Annotated[
    str,
    Meta(
        pattern=r"^s3://[^/?#\s]+(/[^?#\s]*)?$",
        description="s3://bucket or s3://bucket/prefix",
        examples=["s3://customer-data/exports/"],
    ),
]


class S3ConnectorBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    credential_name: CredentialNameText
    role_arn: RoleArnText
    bucket_uri: BucketUriText
    expected_bucket_owner_account_id: AccountIdText
    connector_type: Literal["s3"] = "s3"

    def to_request(self) -> S3ConnectorRequest:
        """Every field's rules at once, so one answer names every bad field."""
        problems: list[FieldProblem] = []
        name = collect(problems, lambda: CredentialName(self.credential_name))
        role = collect(problems, lambda: RoleArn.parse(self.role_arn))
        uri = collect(problems, lambda: S3Uri.parse(self.bucket_uri))
        owner = collect(
            problems,
            lambda: AccountId.parse(
                self.expected_bucket_owner_account_id, "expected_bucket_owner_account_id"
            ),
        )
        if problems or name is None or role is None or uri is None or owner is None:
            raise InvalidInput(problems)
        return S3ConnectorRequest(name, S3Target(bucket_uri=uri, role_arn=role, bucket_owner=owner))


class ConnectorBody(msgspec.Struct, kw_only=True):
    id: UUID
    credential_name: str
    connector_type: str
    created_at: datetime
    updated_at: datetime
    verified_bucket_uri: str | None
    verified_role_arn: str | None
    verified_bucket_owner_account_id: str | None
    verified_account: str | None = None
    verified_warehouse: str | None = None
    verified_database: str | None = None
    verified_schema_name: str | None = None
    verified_server_hostname: str | None = None
    verified_http_path: str | None = None
    verified_catalog: str | None = None

    @classmethod
    def of(cls, connector: Connector) -> ConnectorBody:
        s3 = connector.s3
        return cls(
            id=connector.id,
            credential_name=connector.credential_name.value,
            connector_type=connector.connector_type.value,
            created_at=connector.created_at,
            updated_at=connector.updated_at,
            verified_bucket_uri=str(s3.bucket_uri) if s3 else None,
            verified_role_arn=str(s3.role_arn) if s3 else None,
            verified_bucket_owner_account_id=str(s3.bucket_owner) if s3 else None,
        )


class ConnectorPage(msgspec.Struct, kw_only=True):
    items: list[ConnectorBody]
    next_cursor: str | None


class CheckBody(msgspec.Struct, kw_only=True):
    name: ProbeStep
    ok: bool
    code: str | None
    message: str


class ValidationReport(msgspec.Struct, kw_only=True):
    valid: bool
    checks: list[CheckBody]

    @classmethod
    def of(cls, report: ProbeReport) -> ValidationReport:
        return cls(valid=report.ok, checks=_checks(report))


class VerificationReport(msgspec.Struct, kw_only=True):
    valid: bool
    checks: list[CheckBody]
    verified_at: datetime

    @classmethod
    def of(cls, verification: Verification) -> VerificationReport:
        report = verification.report
        return cls(valid=report.ok, checks=_checks(report), verified_at=verification.verified_at)


def _checks(report: ProbeReport) -> list[CheckBody]:
    return [CheckBody(name=c.name, ok=c.ok, code=c.code, message=c.message) for c in report.checks]
