from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from adapters.persistence.piccolo.migration_steps import migration, raw_sql

ID = "2026-12-03T12:00:02:000000"
VERSION = "1.38.0"
DESCRIPTION = "company_bucket_count: the buckets companies already have"

# Apart from 0006 because piccolo runs a manager's raw SQL before its add_table steps.
_FORWARDS = (
    "INSERT INTO company_bucket_count (company_id, buckets) "
    "SELECT company_id, COUNT(*) FROM managed_bucket GROUP BY company_id",
)
_BACKWARDS = ("DELETE FROM company_bucket_count",)


async def forwards() -> MigrationManager:
    return raw_sql(migration(ID, DESCRIPTION), _FORWARDS, _BACKWARDS)
