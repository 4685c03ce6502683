"""The reference for the read-path benchmark: Litestar + msgspec answering the
service's 15-field connector body, with no auth, no database and no middleware of ours.

Whatever the service loses against this app is the price of its own work (JWT,
dependency injection, the database read, problem handling), measured under the
same ASGI server and worker count.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from litestar import Litestar, get

# The service's own body type: the same 15 fields, encoded the same way.
from entrypoints.http.schemas.connectors import ConnectorBody as Thing

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
