"""Whether the database can serve requests right now: what ``GET /ready`` asks."""

from __future__ import annotations

from piccolo.engine.sqlite import SQLiteEngine

from adapters.persistence.piccolo.database_errors import database_errors
from adapters.persistence.piccolo.engine import DatabaseEngine

# Below GET /ready's own limit per dependency, so the check ends (and closes
# its connection) by itself rather than being cut off.
_SQLITE_LOCK_WAIT_SECONDS = 2.0


async def check_database(engine: DatabaseEngine) -> None:
    """Returns when the database answers and would accept a write; raises
    ``DatabaseUnavailable`` when it cannot be reached."""
    with database_errors():
        if isinstance(engine, SQLiteEngine):
            await _take_the_write_lock(engine)
        else:
            await engine.run_ddl("SELECT 1")


async def _take_the_write_lock(engine: SQLiteEngine) -> None:
    # In WAL mode readers never wait: "SELECT 1" passes while another process
    # holds the write lock and every write the service tries times out.
    wait = min(float(engine.connection_kwargs.get("timeout", 5.0)), _SQLITE_LOCK_WAIT_SECONDS)
    connection = await engine.get_connection()
    try:
        await connection.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
        await connection.execute("BEGIN IMMEDIATE")
        await connection.execute("ROLLBACK")
    finally:
        await connection.close()
