from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T12:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "connector: unique name per user, listing order"

# A separate migration because piccolo runs a manager's raw SQL before its
# add_table steps. Plain CREATE INDEX: the same text works on SQLite and
# PostgreSQL, which piccolo's composite-constraint API does not give us.
_FORWARDS = (
    # A user is (org_id, sub): the name is unique per user, across connector types.
    "CREATE UNIQUE INDEX connector_owner_name_key ON connector (org_id, user_id, credential_name)",
    # Serves the newest-first keyset listing.
    "CREATE INDEX connector_listing_idx ON connector (org_id, user_id, created_at DESC, id DESC)",
)
_BACKWARDS = (
    "DROP INDEX connector_listing_idx",
    "DROP INDEX connector_owner_name_key",
)


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
