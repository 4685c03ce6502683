from __future__ import annotations

from pathlib import Path

from piccolo.conf.apps import AppConfig

from adapters.persistence.piccolo.migration_names import APP_NAME
from adapters.persistence.piccolo.tables import (
    CompanyBucketCountTable,
    ConnectorTable,
    ManagedBucketTable,
    OrganisationTable,
)

APP_CONFIG = AppConfig(
    app_name=APP_NAME,
    migrations_folder_path=Path(__file__).parent / "migrations",
    table_classes=[ConnectorTable, OrganisationTable, ManagedBucketTable, CompanyBucketCountTable],
)
