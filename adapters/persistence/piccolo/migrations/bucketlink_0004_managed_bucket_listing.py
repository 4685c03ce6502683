from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T12:00:03:000000"
VERSION = "1.38.0"
DESCRIPTION = "managed_bucket: listing order"

# Apart from 0003 because piccolo runs a manager's raw SQL before its add_table
# steps; piccolo's index API covers one column only.
_FORWARDS = (
    # Serves the newest-first keyset listing of a company's buckets.
    "CREATE INDEX managed_bucket_listing_idx "
    "ON managed_bucket (company_id, created_at DESC, id DESC)",
)
_BACKWARDS = ("DROP INDEX managed_bucket_listing_idx",)


async def _run(statements: tuple[str, ...]) -> None:
    # The engine the migration runner chose; inside its transaction.
    engine = engine_finder()
    if engine is None:
        raise RuntimeError("piccolo found no engine (is piccolo_conf importable?)")
    for statement in statements:
        await engine.run_ddl(statement)


async def _forwards() -> None:
    await _run(_FORWARDS)


async def _backwards() -> None:
    await _run(_BACKWARDS)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="bucketlink", description=DESCRIPTION)
    manager.add_raw(_forwards)
    manager.add_raw_backwards(_backwards)
    return manager
