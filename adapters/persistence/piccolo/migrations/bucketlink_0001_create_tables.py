from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import UUID, BigInt, Column, Text, Timestamptz

ID = "2026-11-23T12:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "connector and organisation tables"

_CONNECTOR_COLUMNS: list[tuple[str, type[Column], dict[str, Any]]] = [
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
_ORGANISATION_COLUMNS: list[tuple[str, type[Column], dict[str, Any]]] = [
    ("org_id", BigInt, {"primary_key": True}),
    ("external_id", Text, {}),
    ("created_at", Timestamptz, {}),
]


def _add_table(
    manager: MigrationManager,
    class_name: str,
    tablename: str,
    columns: list[tuple[str, type[Column], dict[str, Any]]],
) -> None:
    manager.add_table(class_name=class_name, tablename=tablename)
    for name, column_class, params in columns:
        manager.add_column(
            table_class_name=class_name,
            tablename=tablename,
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
        )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="bucketlink", description=DESCRIPTION)
    _add_table(manager, "ConnectorTable", "connector", _CONNECTOR_COLUMNS)
    _add_table(manager, "OrganisationTable", "organisation", _ORGANISATION_COLUMNS)
    return manager
