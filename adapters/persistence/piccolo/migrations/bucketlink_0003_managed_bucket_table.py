from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import UUID, BigInt, Boolean, Text, Timestamptz

from adapters.persistence.piccolo.migration_steps import ColumnSpec, add_columns, migration

ID = "2026-11-23T12:00:02:000000"
VERSION = "1.38.0"
DESCRIPTION = "managed_bucket table"

_COLUMNS: list[ColumnSpec] = [
    ("id", UUID, {"primary_key": True}),
    ("company_id", BigInt, {}),
    # A column UNIQUE: PostgreSQL names it managed_bucket_name_key.
    ("name", Text, {"unique": True}),
    ("resource_id", Text, {}),
    ("access_type", Text, {}),
    ("account_id", Text, {}),
    ("role_arn", Text, {"null": True, "default": None}),
    ("external_id", Text, {"null": True, "default": None}),
    ("is_access_mutable", Boolean, {"default": True}),
    ("created_at", Timestamptz, {}),
    ("updated_at", Timestamptz, {}),
]


async def forwards() -> MigrationManager:
    manager = migration(ID, DESCRIPTION)
    manager.add_table(class_name="ManagedBucketTable", tablename="managed_bucket")
    return add_columns(manager, "ManagedBucketTable", "managed_bucket", _COLUMNS)
