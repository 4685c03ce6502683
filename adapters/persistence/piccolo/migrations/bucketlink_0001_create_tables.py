from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import UUID, BigInt, Text, Timestamptz

from adapters.persistence.piccolo.migration_steps import ColumnSpec, add_columns, migration

ID = "2026-11-23T12:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "connector and organisation tables"

_CONNECTOR_COLUMNS: list[ColumnSpec] = [
    ("id", UUID, {"primary_key": True}),
    ("org_id", BigInt, {}),
    ("user_id", Text, {}),
    ("credential_name", Text, {}),
    ("connector_type", Text, {}),
    ("created_at", Timestamptz, {}),
    ("updated_at", Timestamptz, {}),
    *[
        (f"verified_{name}", Text, {"null": True, "default": None})
        for name in (
            "bucket_uri",
            "role_arn",
            "bucket_owner_account_id",
            "account",
            "warehouse",
            "database",
            "schema_name",
            "server_hostname",
            "http_path",
            "catalog",
        )
    ],
]
_ORGANISATION_COLUMNS: list[ColumnSpec] = [
    ("org_id", BigInt, {"primary_key": True}),
    ("external_id", Text, {}),
    ("created_at", Timestamptz, {}),
]


async def forwards() -> MigrationManager:
    manager = migration(ID, DESCRIPTION)
    manager.add_table(class_name="ConnectorTable", tablename="connector")
    add_columns(manager, "ConnectorTable", "connector", _CONNECTOR_COLUMNS)
    manager.add_table(class_name="OrganisationTable", tablename="organisation")
    return add_columns(manager, "OrganisationTable", "organisation", _ORGANISATION_COLUMNS)
