from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Text

from adapters.persistence.piccolo.migration_steps import ColumnSpec, add_columns, migration

ID = "2026-12-04T12:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "connector: the bucket's own region, as HeadBucket said it (vended credentials)"

_COLUMNS: list[ColumnSpec] = [("verified_bucket_region", Text, {"null": True, "default": None})]


async def forwards() -> MigrationManager:
    manager = migration(ID, DESCRIPTION)
    return add_columns(manager, "ConnectorTable", "connector", _COLUMNS)
