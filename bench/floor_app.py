"""The second reference for the read-path benchmark: the least that the
service's read routes must do, on Litestar alone.

Litestar's own JWT authentication (the service's token, verified on every
request) and the connector rows read through the database driver itself (an
asyncpg pool, or one open aiosqlite connection), answered as the bare app's
15-field object: one by id, or a page of 50 newest first. No logs, metrics,
rate limiter, dependency injection, domain objects or ORM. Whatever the
service loses against this app is the price of its own design; whatever this
app loses against the bare app is the price of the routes' definition (a
verified token and a database read).

    BUCKETLINK_JWT_SECRET=… BUCKETLINK_DATABASE_URL=… uvicorn --factory bench.floor_app:create_app

``BENCH_FLOOR_PARTS`` picks the parts, to price each alone: ``jwt,row`` (the
default), ``jwt`` (no read) or ``row`` (no authentication; organisation 1).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

import msgspec
from litestar import Litestar, Request, get
from litestar.connection import ASGIConnection
from litestar.params import FromPath, FromQuery
from litestar.security.jwt import JWTAuth, Token

from bench.bare_app import Thing

_COLUMNS = (
    "SELECT id, credential_name, connector_type, created_at, updated_at, verified_bucket_uri,"
    " verified_role_arn, verified_bucket_owner_account_id FROM connector"
)
_ONE = _COLUMNS + " WHERE id = {} AND org_id = {} AND connector_type = 's3'"
_NEWEST = _COLUMNS + " WHERE org_id = {} ORDER BY created_at DESC, id DESC LIMIT {}"


class Rows(Protocol):
    async def one(self, connector_id: UUID, org: int) -> tuple[Any, ...]: ...

    async def newest(self, org: int, limit: int) -> list[tuple[Any, ...]]: ...


class ThingPage(msgspec.Struct):
    items: list[Thing]
    next_cursor: str | None


@dataclass
class _Token(Token):
    org_id: Any = None


async def _user(token: Token, _: ASGIConnection[Any, Any, Any, Any]) -> Any:
    return token


def create_app() -> Litestar:
    url = os.environ["BUCKETLINK_DATABASE_URL"]
    parts = os.environ.get("BENCH_FLOOR_PARTS", "jwt,row").split(",")
    read = "row" in parts
    rows: dict[str, Rows] = {}

    async def connect() -> None:
        if read:
            rows["db"] = await (_postgres(url) if url.startswith("postgres") else _sqlite(url))

    def org_of(request: Request[Any, Any, Any]) -> int:
        return int(request.user.org_id) if "jwt" in parts else 1

    @get("/v1/connectors/s3/{connector_id:uuid}")
    async def get_connector(connector_id: FromPath[UUID], request: Request[Any, Any, Any]) -> Thing:
        if not read:
            return _thing((connector_id, "bench", "s3", None, None, None, None, None))
        return _thing(await rows["db"].one(connector_id, org_of(request)))

    @get("/v1/connectors")
    async def list_connectors(
        request: Request[Any, Any, Any], limit: FromQuery[int] = 50
    ) -> ThingPage:
        found = await rows["db"].newest(org_of(request), limit + 1)
        items = [_thing(row) for row in found[:limit]]
        return ThingPage(items, str(items[-1].id) if len(found) > limit else None)

    auth = JWTAuth[Token, Token](
        retrieve_user_handler=_user,
        token_secret=os.environ["BUCKETLINK_JWT_SECRET"],
        token_cls=_Token,
    )
    return Litestar(
        route_handlers=[get_connector, list_connectors],
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


class _PostgresRows:
    _one = _ONE.format("$1", "$2")
    _newest = _NEWEST.format("$1", "$2")

    def __init__(self, pool: Any) -> None:
        self._pool = pool

    async def one(self, connector_id: UUID, org: int) -> tuple[Any, ...]:
        return tuple(await self._pool.fetchrow(self._one, connector_id, org))

    async def newest(self, org: int, limit: int) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in await self._pool.fetch(self._newest, org, limit)]


async def _postgres(url: str) -> Rows:
    import asyncpg

    # As the service's pool: 20 connections, opened up front, no reset on release.
    return _PostgresRows(await asyncpg.create_pool(url, min_size=20, max_size=20, reset=_nothing))


async def _nothing(_: Any) -> None:
    return None


class _SqliteRows:
    _one = _ONE.format("?", "?")
    _newest = _NEWEST.format("?", "?")

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    async def one(self, connector_id: UUID, org: int) -> tuple[Any, ...]:
        async with self._connection.execute(self._one, (str(connector_id), org)) as cursor:
            return tuple(await cursor.fetchone())

    async def newest(self, org: int, limit: int) -> list[tuple[Any, ...]]:
        async with self._connection.execute(self._newest, (org, limit)) as cursor:
            return [tuple(row) for row in await cursor.fetchall()]


async def _sqlite(url: str) -> Rows:
    import aiosqlite

    return _SqliteRows(await aiosqlite.connect(url.removeprefix("sqlite:///")))
