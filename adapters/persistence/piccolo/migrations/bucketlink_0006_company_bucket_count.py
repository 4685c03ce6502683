from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import BigInt, Integer

from adapters.persistence.piccolo.migration_steps import ColumnSpec, add_columns, migration

ID = "2026-12-03T12:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "company_bucket_count: each company's managed buckets, for the cap"

_COLUMNS: list[ColumnSpec] = [
    ("company_id", BigInt, {"primary_key": True}),
    ("buckets", Integer, {"default": 0}),
]


async def forwards() -> MigrationManager:
    manager = migration(ID, DESCRIPTION)
    manager.add_table(class_name="CompanyBucketCountTable", tablename="company_bucket_count")
    return add_columns(manager, "CompanyBucketCountTable", "company_bucket_count", _COLUMNS)
