"""PostgreSQL connection pooling for a long-running process: without a pool,
piccolo opens a connection per query."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from adapters.persistence.piccolo.database_errors import database_errors
from adapters.persistence.piccolo.engine import DatabaseEngine
from domain.errors import DatabaseUnavailable

log = logging.getLogger(__name__)

POOL_MAX_SIZE = 20


async def open_pool(engine: DatabaseEngine) -> None:
    if not isinstance(engine, PostgresEngine):
        return
    # Connections are made on demand (min_size=0), not required up front: a
    # database that is down when the service starts then answers 503 (and
    # /ready says so) until it is back, instead of the service failing to start.
    # Idle connections are kept (lifetime 0 = forever), because opening one
    # holds the event loop for ~30 ms: asyncpg builds an SSLContext for every
    # new connection (sslmode prefer/require), and OpenSSL 3 makes that slow.
    with database_errors():
        await engine.start_connection_pool(
            min_size=0,
            max_size=POOL_MAX_SIZE,
            max_inactive_connection_lifetime=0,
            reset=_nothing_to_reset,
        )
    await _fill(engine)


async def _fill(engine: PostgresEngine) -> None:
    """Open every connection now, before requests wait on it (docs/performance.md)."""
    opened = await asyncio.gather(
        *(_touch(engine) for _ in range(POOL_MAX_SIZE)), return_exceptions=True
    )
    failure = next((error for error in opened if isinstance(error, BaseException)), None)
    if isinstance(failure, DatabaseUnavailable):
        log.warning("database unreachable at start-up; connecting on demand: %s", failure.detail)
    elif failure is not None:
        raise failure


async def _touch(engine: PostgresEngine) -> None:
    # Every acquire starts before any connection is open, so each opens its own.
    with database_errors():
        async with engine.pool.acquire() as connection:  # type: ignore[union-attr]
            await connection.execute("SELECT 1")


async def _nothing_to_reset(connection: Any) -> None:
    """asyncpg's default reset (advisory unlocks, CLOSE ALL, UNLISTEN, RESET ALL)
    costs a round trip on every release; the service never takes advisory locks,
    opens cursors, listens or SETs anything. asyncpg still rolls back a
    transaction left open before calling this."""


async def close_pool(engine: DatabaseEngine) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()
