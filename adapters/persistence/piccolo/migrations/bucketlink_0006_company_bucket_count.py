from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import BigInt, Column, Integer

ID = "2026-12-03T12:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "company_bucket_count: each company's managed buckets, for the cap"

_COLUMNS: list[tuple[str, type[Column], dict[str, Any]]] = [
    ("company_id", BigInt, {"primary_key": True}),
    ("buckets", Integer, {"default": 0}),
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="bucketlink", description=DESCRIPTION)
    manager.add_table(class_name="CompanyBucketCountTable", tablename="company_bucket_count")
    for name, column_class, params in _COLUMNS:
        manager.add_column(
            table_class_name="CompanyBucketCountTable",
            tablename="company_bucket_count",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
        )
    return manager
