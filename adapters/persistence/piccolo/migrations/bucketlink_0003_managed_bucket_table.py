from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import UUID, BigInt, Boolean, Column, Text, Timestamptz

ID = "2026-11-23T12:00:02:000000"
VERSION = "1.38.0"
DESCRIPTION = "managed_bucket table"

_COLUMNS: list[tuple[str, type[Column], dict[str, Any]]] = [
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
    manager = MigrationManager(migration_id=ID, app_name="bucketlink", description=DESCRIPTION)
    manager.add_table(class_name="ManagedBucketTable", tablename="managed_bucket")
    for name, column_class, params in _COLUMNS:
        manager.add_column(
            table_class_name="ManagedBucketTable",
            tablename="managed_bucket",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
        )
    return manager
