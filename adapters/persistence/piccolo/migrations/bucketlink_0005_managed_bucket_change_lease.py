from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import UUID, Timestamptz

from adapters.persistence.piccolo.migration_steps import ColumnSpec, add_columns, migration

ID = "2026-12-03T12:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "managed_bucket: the change lease (one change at a time per bucket)"

_COLUMNS: list[ColumnSpec] = [
    ("change_lease", UUID, {"null": True, "default": None}),
    ("change_lease_until", Timestamptz, {"null": True, "default": None}),
]


async def forwards() -> MigrationManager:
    manager = migration(ID, DESCRIPTION)
    return add_columns(manager, "ManagedBucketTable", "managed_bucket", _COLUMNS)
