"""SQLite and PostgreSQL persistence through piccolo.

    engine = engine_from_url("sqlite:///bucketlink.sqlite")   # or postgresql://...
    await migrate("sqlite:///bucketlink.sqlite")
    connectors = PiccoloConnectorRepository(engine)
    organisations = PiccoloOrganisationRepository(engine)
"""

from adapters.persistence.piccolo.connector_repository import PiccoloConnectorRepository
from adapters.persistence.piccolo.engine import (
    DEFAULT_DATABASE_URL,
    DatabaseEngine,
    InvalidDatabaseUrl,
    configured_database_url,
    engine_from_url,
)
from adapters.persistence.piccolo.migration_runner import migrate, pending_migrations
from adapters.persistence.piccolo.organisation_repository import PiccoloOrganisationRepository

__all__ = [
    "DEFAULT_DATABASE_URL",
    "DatabaseEngine",
    "InvalidDatabaseUrl",
    "PiccoloConnectorRepository",
    "PiccoloOrganisationRepository",
    "configured_database_url",
    "engine_from_url",
    "migrate",
    "pending_migrations",
]
