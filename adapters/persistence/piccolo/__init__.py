"""SQLite and PostgreSQL persistence through piccolo: ``engine_from_url(url)``
makes the engine, ``migrate(url)`` brings the schema up to date, and the
repositories are given the engine."""

from adapters.persistence.piccolo.connector_repository import PiccoloConnectorRepository
from adapters.persistence.piccolo.engine import (
    DEFAULT_DATABASE_URL,
    DatabaseEngine,
    InvalidDatabaseUrl,
    configured_database_url,
    engine_from_url,
)
from adapters.persistence.piccolo.managed_bucket_repository import PiccoloManagedBucketRepository
from adapters.persistence.piccolo.migration_runner import migrate, pending_migrations
from adapters.persistence.piccolo.organisation_repository import PiccoloOrganisationRepository

__all__ = [
    "DEFAULT_DATABASE_URL",
    "DatabaseEngine",
    "InvalidDatabaseUrl",
    "PiccoloConnectorRepository",
    "PiccoloManagedBucketRepository",
    "PiccoloOrganisationRepository",
    "configured_database_url",
    "engine_from_url",
    "migrate",
    "pending_migrations",
]
