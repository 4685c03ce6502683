"""Request and answer bodies of ``POST /v1/connectors/s3/{id}/credentials``
(contract section 10). The domain's value objects hold the rules; the schema
states what it can for OpenAPI and early rejection."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from application.vend_credentials import VendedCredentials
from domain.errors import FieldProblem, InvalidInput
from domain.vending import (
    DEFAULT_DURATION_SECONDS,
    MAX_DURATION_SECONDS,
    MAX_VEND_PREFIX,
    MIN_DURATION_SECONDS,
    VendAccess,
    VendDuration,
    VendPrefix,
    VendRequest,
)
from entrypoints.http.schemas.collecting import collect

PrefixText = Annotated[
    str,
    Meta(
        max_length=MAX_VEND_PREFIX,
        description=(
            "A sub-prefix inside the connector's prefix, relative to it: no leading '/', "
            "no '..' segment, no control characters. Default: the whole prefix."
        ),
        examples=["2026/"],
    ),
]
DurationSeconds = Annotated[
    int,
    Meta(
        ge=MIN_DURATION_SECONDS,
        le=MAX_DURATION_SECONDS,
        description="The credentials' life; AWS caps a chained role session at one hour.",
    ),
]


class CredentialsRequestBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    access: Literal["read", "read_write"] = "read"
    prefix: PrefixText = ""
    duration_seconds: DurationSeconds = DEFAULT_DURATION_SECONDS

    def to_request(self) -> VendRequest:
        problems: list[FieldProblem] = []
        prefix = collect(problems, lambda: VendPrefix(self.prefix))
        duration = collect(problems, lambda: VendDuration(self.duration_seconds))
        if problems or prefix is None or duration is None:
            raise InvalidInput(problems)
        return VendRequest(VendAccess(self.access), prefix, duration)


class CredentialsBody(msgspec.Struct, kw_only=True):
    connector_id: UUID
    access: str
    bucket: str
    prefix: str
    region: str
    access_key_id: str
    secret_access_key: str
    session_token: str
    expiration: datetime

    @classmethod
    def of(cls, vended: VendedCredentials) -> CredentialsBody:
        credentials = vended.credentials
        return cls(
            connector_id=vended.connector_id,
            access=vended.access.value,
            bucket=vended.bucket.value,
            prefix=vended.prefix,
            region=vended.region,
            access_key_id=credentials.access_key_id,
            secret_access_key=credentials.secret_access_key,
            session_token=credentials.session_token,
            expiration=credentials.expiration,
        )
