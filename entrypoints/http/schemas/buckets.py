"""Request and response bodies of the managed-bucket routes (contract §6)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.params import KwargDefinition
from msgspec import Meta

from application.change_bucket_access import AccessChange
from application.create_managed_bucket import BucketRequest
from domain import external_id as external_id_rule
from domain import resource_id as resource_id_rule
from domain.account_id import AccountId
from domain.errors import FieldProblem, InvalidField, InvalidInput
from domain.external_id import ExternalId
from domain.managed_bucket import Access, AccessType, ManagedBucket
from domain.resource_id import ResourceId
from entrypoints.http.schemas.account_ids import EXAMPLE_ACCOUNT_ID, TWELVE_DIGITS, AccountIdText
from entrypoints.http.schemas.collecting import collect

_MAX_ACCOUNT_NUMBER = 999_999_999_999
_PADDED = "A JSON integer is left-padded with zeros to 12 digits."
_ACCOUNT_NUMBER = Annotated[int, Meta(ge=0, le=_MAX_ACCOUNT_NUMBER, description=_PADDED)]


def _documented(*schemas: Schema) -> KwargDefinition:
    # Litestar's OpenAPI drops the Meta of a union's members: state them again.
    text = Schema(type=OpenAPIType.STRING, pattern=TWELVE_DIGITS, examples=[EXAMPLE_ACCOUNT_ID])
    number = Schema(
        type=OpenAPIType.INTEGER, minimum=0, maximum=_MAX_ACCOUNT_NUMBER, description=_PADDED
    )
    return KwargDefinition(schema_extra={"one_of": [text, number, *schemas]})


# Spelt out, not ``AccountIdValue | None``: typing hashes a union's members, and a
# KwargDefinition holding a dict cannot be hashed.
# ``float`` is let in only to be refused by name (AccountId.from_json): Litestar
# converts leniently, and would otherwise read 1e11 or -0.0 as an integer.
AccountIdValue = Annotated[_ACCOUNT_NUMBER | AccountIdText | float, _documented()]
OptionalAccountIdValue = Annotated[
    _ACCOUNT_NUMBER | AccountIdText | float | None, _documented(Schema(type=OpenAPIType.NULL))
]
ResourceIdText = Annotated[
    str,
    Meta(
        pattern=f"^{resource_id_rule.CHARACTERS}+$",
        min_length=resource_id_rule.MIN_LENGTH,
        max_length=resource_id_rule.MAX_LENGTH,
        examples=["yourcompany"],
    ),
]
ExternalIdText = Annotated[
    str,
    Meta(
        pattern=f"^{external_id_rule.CHARACTERS}+$",
        min_length=external_id_rule.MIN_LENGTH,
        max_length=external_id_rule.MAX_LENGTH,
    ),
]


class BucketPolicyAccessBody(
    msgspec.Struct, tag="bucket_policy", tag_field="type", forbid_unknown_fields=True
):
    pass


class RoleAccessBody(msgspec.Struct, tag="role", tag_field="type", forbid_unknown_fields=True):
    external_id: ExternalIdText


AccessBody = BucketPolicyAccessBody | RoleAccessBody


def _external_id(body: AccessBody) -> ExternalId | None:
    if not isinstance(body, RoleAccessBody):
        return None
    try:
        return ExternalId(body.external_id)
    except InvalidField as error:
        raise error.at("access") from None


def _access_type(body: AccessBody) -> AccessType:
    return AccessType.ROLE if isinstance(body, RoleAccessBody) else AccessType.BUCKET_POLICY


class CreateBucketBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    account_id: AccountIdValue
    resource_id: ResourceIdText
    access: AccessBody = msgspec.field(default_factory=BucketPolicyAccessBody)

    def to_request(self) -> BucketRequest:
        problems: list[FieldProblem] = []
        resource = collect(problems, lambda: ResourceId(self.resource_id))
        account = collect(problems, lambda: AccountId.from_json(self.account_id))
        external_id = collect(problems, lambda: _external_id(self.access))
        if problems or resource is None or account is None:
            raise InvalidInput(problems)
        return BucketRequest(resource, Access(_access_type(self.access), account, external_id))


class ChangeAccessBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    access: AccessBody
    account_id: OptionalAccountIdValue = None

    def to_change(self) -> AccessChange:
        problems: list[FieldProblem] = []
        account = None
        if self.account_id is not None:
            account = collect(problems, lambda: AccountId.from_json(self.account_id))
        external_id = collect(problems, lambda: _external_id(self.access))
        if problems:
            raise InvalidInput(problems)
        return AccessChange(_access_type(self.access), external_id, account)


class PolicyAuthBody(msgspec.Struct, tag="bucket_policy", tag_field="type", kw_only=True):
    account_id: str


class RoleAuthBody(msgspec.Struct, tag="role", tag_field="type", kw_only=True):
    account_id: str
    role_arn: str
    external_id: str


class BucketBody(msgspec.Struct, kw_only=True):
    id: UUID
    company_id: int
    name: str
    auth: PolicyAuthBody | RoleAuthBody
    created_at: datetime
    updated_at: datetime
    is_access_mutable: bool

    @classmethod
    def of(cls, bucket: ManagedBucket) -> BucketBody:
        return cls(
            id=bucket.id,
            company_id=bucket.company_id.value,
            name=bucket.name.value,
            auth=_auth(bucket),
            created_at=bucket.created_at,
            updated_at=bucket.updated_at,
            is_access_mutable=bucket.is_access_mutable,
        )


def _auth(bucket: ManagedBucket) -> PolicyAuthBody | RoleAuthBody:
    access, role = bucket.grant.access, bucket.grant.role_arn
    if access.type is AccessType.ROLE and role is not None and access.external_id is not None:
        return RoleAuthBody(
            account_id=access.account_id.value,
            role_arn=str(role),
            external_id=access.external_id.value,
        )
    return PolicyAuthBody(account_id=access.account_id.value)


class BucketPage(msgspec.Struct, kw_only=True):
    items: list[BucketBody]
    next_cursor: str | None
