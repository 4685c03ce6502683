"""The reference for the read-path benchmark: Litestar + msgspec answering a
15-field object, with no auth, no database and no middleware of ours.

Whatever the service loses against this app is the price of its own work (JWT,
dependency injection, the database read, problem handling), measured under the
same ASGI server and worker count.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import msgspec
from litestar import Litestar, get


class Thing(msgspec.Struct, kw_only=True):
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


_NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@get("/things/{thing_id:uuid}", sync_to_thread=False)
def get_thing(thing_id: UUID) -> Thing:
    return Thing(
        id=thing_id,
        credential_name="bench",
        connector_type="s3",
        created_at=_NOW,
        updated_at=_NOW,
        verified_bucket_uri="s3://customer-bucket/data/",
        verified_role_arn="arn:aws:iam::111122223333:role/bucketlink-access",
        verified_bucket_owner_account_id="111122223333",
    )


def create_app() -> Litestar:
    return Litestar(route_handlers=[get_thing], openapi_config=None)
