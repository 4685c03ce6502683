"""The second reference for the read-path benchmark: the least that
``GET /v1/connectors/s3/{id}`` must do, on Litestar alone.

Litestar's own JWT authentication (the service's token, verified on every
request) and one read of the connector's row through the database driver
itself (an asyncpg pool, or one open aiosqlite connection), answered as the
bare app's 15-field object. No logs, metrics, rate limiter, dependency
injection, domain objects or ORM. Whatever the service loses against this app
is the price of its own design; whatever this app loses against the bare app
is the price of the route's definition (a verified token and a database read).

    BUCKETLINK_JWT_SECRET=… BUCKETLINK_DATABASE_URL=… uvicorn --factory bench.floor_app:create_app

``BENCH_FLOOR_PARTS`` picks the parts, to price each alone: ``jwt,row`` (the
default), ``jwt`` (no read) or ``row`` (no authentication; organisation 1).
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Litestar, Request, get
from litestar.connection import ASGIConnection
from litestar.params import FromPath
from litestar.security.jwt import JWTAuth, Token

from bench.bare_app import Thing

_ONE = (
    "SELECT id, credential_name, connector_type, created_at, updated_at, verified_bucket_uri,"
    " verified_role_arn, verified_bucket_owner_account_id FROM connector"
    " WHERE id = {id} AND org_id = {org} AND connector_type = 's3'"
)
Reader = Callable[[UUID, int], Awaitable[Any]]


@dataclass
class _Token(Token):
    org_id: Any = None


async def _user(token: Token, _: ASGIConnection[Any, Any, Any, Any]) -> Any:
    return token


def create_app() -> Litestar:
    url = os.environ["BUCKETLINK_DATABASE_URL"]
    parts = os.environ.get("BENCH_FLOOR_PARTS", "jwt,row").split(",")
    read = "row" in parts
    reader: dict[str, Reader] = {}

    async def connect() -> None:
        if read:
            reader["one"] = await (_postgres(url) if url.startswith("postgres") else _sqlite(url))

    @get("/v1/connectors/s3/{connector_id:uuid}")
    async def get_connector(connector_id: FromPath[UUID], request: Request[Any, Any, Any]) -> Thing:
        org = request.user.org_id if "jwt" in parts else 1
        if not read:
            return _thing((connector_id, "bench", "s3", None, None, None, None, None))
        row = await reader["one"](connector_id, org)
        return _thing(tuple(row))

    auth = JWTAuth[Token, Token](
        retrieve_user_handler=_user,
        token_secret=os.environ["BUCKETLINK_JWT_SECRET"],
        token_cls=_Token,
    )
    return Litestar(
        route_handlers=[get_connector],
        on_app_init=[auth.on_app_init] if "jwt" in parts else [],
        on_startup=[connect],
    )


def _thing(row: tuple[Any, ...]) -> Thing:
    id_, name, kind, created, updated, uri, role, owner = row
    return Thing(
        id=id_,
        credential_name=name,
        connector_type=kind,
        created_at=created,
        updated_at=updated,
        verified_bucket_uri=uri,
        verified_role_arn=role,
        verified_bucket_owner_account_id=owner,
    )


async def _postgres(url: str) -> Reader:
    import asyncpg

    # As the service's pool: 20 connections, opened up front, no reset on release.
    pool = await asyncpg.create_pool(url, min_size=20, max_size=20, reset=_nothing)
    query = _ONE.format(id="$1", org="$2")

    async def one(connector_id: UUID, org: int) -> Any:
        return await pool.fetchrow(query, connector_id, org)

    return one


async def _nothing(_: Any) -> None:
    return None


async def _sqlite(url: str) -> Reader:
    import aiosqlite

    connection = await aiosqlite.connect(url.removeprefix("sqlite:///"))
    query = _ONE.format(id="?", org="?")

    async def one(connector_id: UUID, org: int) -> Any:
        async with connection.execute(query, (str(connector_id), org)) as cursor:
            return await cursor.fetchone()

    return one
