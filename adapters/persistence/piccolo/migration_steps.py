"""The two kinds of step bucketlink's migrations take, written once: raw SQL
(forwards and backwards) and columns added to a table.

Outside ``migrations/``: piccolo reads every module in that folder as a migration."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Column
from piccolo.engine import engine_finder

APP_NAME = "bucketlink"
ColumnSpec = tuple[str, type[Column], dict[str, Any]]


def migration(migration_id: str, description: str) -> MigrationManager:
    return MigrationManager(migration_id=migration_id, app_name=APP_NAME, description=description)


def raw_sql(
    manager: MigrationManager, forwards: Sequence[str], backwards: Sequence[str]
) -> MigrationManager:
    """``manager`` runs ``forwards`` in order, and ``backwards`` when undone.

    piccolo runs a manager's raw SQL before its add_table steps: SQL on a table
    made in the same migration needs a migration of its own."""

    async def run_forwards() -> None:
        await _run(forwards)

    async def run_backwards() -> None:
        await _run(backwards)

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager


def add_columns(
    manager: MigrationManager, table_class_name: str, tablename: str, columns: Sequence[ColumnSpec]
) -> MigrationManager:
    for name, column_class, params in columns:
        manager.add_column(
            table_class_name=table_class_name,
            tablename=tablename,
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
        )
    return manager


async def _run(statements: Sequence[str]) -> None:
    # The engine the migration runner chose; inside its transaction.
    engine = engine_finder()
    if engine is None:
        raise RuntimeError("piccolo found no engine (is piccolo_conf importable?)")
    for statement in statements:
        await engine.run_ddl(statement)
