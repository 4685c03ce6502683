from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.account_id import AccountId
from domain.credential_name import CredentialName
from domain.errors import InvalidField
from domain.identity import Caller
from domain.role_arn import RoleArn
from domain.s3_uri import S3Uri


class ConnectorType(enum.StrEnum):
    S3 = "s3"
    SNOWFLAKE = "snowflake"
    DATABRICKS = "databricks"
    FILE_UPLOAD = "file_upload"


@dataclass(frozen=True, slots=True)
class S3Target:
    """What an S3 connector reaches: a bucket (and prefix) through a role, owned by
    a given account. Stored as it was verified."""

    bucket_uri: S3Uri
    role_arn: RoleArn
    bucket_owner: AccountId
    # The bucket's own region, as S3 answered HeadBucket when it was last checked
    # (None until then): where engines given its credentials must send their calls.
    region: str | None = None

    def refuse_platform_role(self, platform_account: AccountId) -> None:
        """A customer's role lives in the customer's account. A role in the
        platform's own account may trust that account as a whole, where the
        external id protects nothing: the platform never assumes one for a tenant."""
        if self.role_arn.account_id == platform_account:
            raise InvalidField(
                "role_arn",
                f"must be a role in your own AWS account: {platform_account.value} is the "
                "platform's",
            )


@dataclass(frozen=True, slots=True)
class Connector:
    id: UUID
    owner: Caller
    credential_name: CredentialName
    connector_type: ConnectorType
    created_at: datetime
    updated_at: datetime
    s3: S3Target | None = None
