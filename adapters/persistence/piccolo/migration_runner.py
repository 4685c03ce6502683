"""Applies the migrations to the database a URL names.

piccolo's own runner (``piccolo migrations forwards``) works on the one global
engine of ``piccolo_conf`` and caches it in its ``Migration`` table class, so it
cannot serve two URLs in one process. This runner keeps piccolo's migration
files, ``MigrationManager`` and bookkeeping table (``migration``, so piccolo's
CLI agrees about what ran) and differs only in choosing the engine: its
bookkeeping table is bound to the URL's engine, and ``piccolo_conf.DB`` answers
that engine for the duration of the run (a context variable, see
``engine.engine_in_use``).
"""

from __future__ import annotations

import asyncio
import pkgutil
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import import_module
from types import ModuleType

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.apps.migrations.tables import Migration
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from adapters.persistence.piccolo.binding import bound_to
from adapters.persistence.piccolo.database_errors import database_errors
from adapters.persistence.piccolo.engine import (
    SQLITE_BUSY_TIMEOUT_SECONDS,
    DatabaseEngine,
    engine_from_url,
    engine_in_use,
)
from adapters.persistence.piccolo.migration_names import APP_NAME, MIGRATIONS_PACKAGE

# Any constant shared by every instance: they queue on it rather than migrate twice.
_POSTGRES_MIGRATION_LOCK = 7_286_524_117
_WAL_RETRY_SECONDS = 0.05


async def pending_migrations(database_url: str) -> list[str]:
    """The ids of migrations not yet applied to that database, oldest first."""
    engine = engine_from_url(database_url)
    with database_errors():
        return await _pending(bound_to(Migration, engine))


async def migrate(database_url: str) -> list[str]:
    """Applies what is pending, all or nothing; returns the ids applied."""
    engine = engine_from_url(database_url)
    with database_errors():
        await _enable_sqlite_wal(engine)
        async with _exclusive(engine):
            return await _apply_pending(engine)


async def _apply_pending(engine: DatabaseEngine) -> list[str]:
    record = bound_to(Migration, engine)
    await record.create_table(if_not_exists=True).run()
    pending = await _pending(record)
    if not pending:
        return []  # and piccolo's Finder, which imports black, stays unloaded
    modules = _migration_modules()
    with engine_in_use(engine):
        _check_piccolo_sees(engine)
        for migration_id in pending:
            await _apply(modules[migration_id], record)
    return pending


async def _apply(module: ModuleType, record: type[Migration]) -> None:
    manager: MigrationManager = await module.forwards()
    await manager.run()
    await record.insert(record(name=module.ID, app_name=APP_NAME)).run()


async def _pending(record: type[Migration]) -> list[str]:
    known = sorted(_migration_modules())
    if not await record.table_exists().run():
        return known
    ran = set(await record.get_migrations_which_ran(app_name=APP_NAME))
    return [migration_id for migration_id in known if migration_id not in ran]


def _migration_modules() -> dict[str, ModuleType]:
    package = import_module(MIGRATIONS_PACKAGE)
    modules = (
        import_module(f"{MIGRATIONS_PACKAGE}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
    )
    return {module.ID: module for module in modules if hasattr(module, "ID")}


def _check_piccolo_sees(engine: DatabaseEngine) -> None:
    # MigrationManager asks piccolo_conf for its engine; a different PICCOLO_CONF
    # would silently migrate another database.
    if engine_finder() is not engine:
        raise RuntimeError(
            "piccolo_conf.DB does not follow bucketlink's engine selection; "
            "unset PICCOLO_CONF or point it at bucketlink's piccolo_conf"
        )


async def _enable_sqlite_wal(engine: DatabaseEngine) -> None:
    # WAL lets readers work while one writer writes. It is a property of the
    # file (kept once set) and cannot be switched inside a transaction.
    if not isinstance(engine, SQLiteEngine):
        return
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_SECONDS
    while True:
        try:
            await engine.run_ddl("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            # Switching needs the file to itself, and SQLite answers "locked" at
            # once rather than wait as other statements do; another instance
            # migrating at the same moment is reason to wait, not to fail.
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            await asyncio.sleep(_WAL_RETRY_SECONDS)


@asynccontextmanager
async def _exclusive(engine: DatabaseEngine) -> AsyncIterator[None]:
    """One transaction around the whole run, which also keeps two instances from
    migrating at once (piccolo's per-migration transactions nest inside it)."""
    if isinstance(engine, SQLiteEngine):
        async with engine.transaction(transaction_type=TransactionType.immediate):
            yield
        return
    async with engine.transaction():
        await engine.run_ddl(f"SELECT pg_advisory_xact_lock({_POSTGRES_MIGRATION_LOCK})")
        yield
