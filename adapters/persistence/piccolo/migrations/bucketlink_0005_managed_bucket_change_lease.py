from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import UUID, Column, Timestamptz

ID = "2026-12-03T12:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "managed_bucket: the change lease (one change at a time per bucket)"

_COLUMNS: list[tuple[str, type[Column], dict[str, Any]]] = [
    ("change_lease", UUID, {"null": True, "default": None}),
    ("change_lease_until", Timestamptz, {"null": True, "default": None}),
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="bucketlink", description=DESCRIPTION)
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
