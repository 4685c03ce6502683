from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from adapters.persistence.piccolo.migration_steps import migration, raw_sql

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


async def forwards() -> MigrationManager:
    return raw_sql(migration(ID, DESCRIPTION), _FORWARDS, _BACKWARDS)
