from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-03T12:00:02:000000"
VERSION = "1.38.0"
DESCRIPTION = "company_bucket_count: the buckets companies already have"

# Apart from 0006 because piccolo runs a manager's raw SQL before its add_table steps.
_FORWARDS = (
    "INSERT INTO company_bucket_count (company_id, buckets) "
    "SELECT company_id, COUNT(*) FROM managed_bucket GROUP BY company_id",
)
_BACKWARDS = ("DELETE FROM company_bucket_count",)


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
