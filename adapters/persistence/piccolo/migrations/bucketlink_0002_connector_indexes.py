from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from adapters.persistence.piccolo.migration_steps import migration, raw_sql

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


async def forwards() -> MigrationManager:
    return raw_sql(migration(ID, DESCRIPTION), _FORWARDS, _BACKWARDS)
