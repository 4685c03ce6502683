"""PostgreSQL connection pooling for a long-running process: without a pool,
piccolo opens a connection per query."""

from __future__ import annotations

from piccolo.engine.postgres import PostgresEngine

from adapters.persistence.piccolo.database_errors import database_errors
from adapters.persistence.piccolo.engine import DatabaseEngine

POOL_MAX_SIZE = 20


async def open_pool(engine: DatabaseEngine) -> None:
    if isinstance(engine, PostgresEngine):
        # Connections are made on demand (min_size=0), not up front: a database
        # that is down when the service starts then answers 503 (and /ready
        # says so) until it is back, instead of the service failing to start.
        with database_errors():
            await engine.start_connection_pool(min_size=0, max_size=POOL_MAX_SIZE)


async def close_pool(engine: DatabaseEngine) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()
