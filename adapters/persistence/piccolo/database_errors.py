"""The drivers' errors, in the domain's words."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import asyncpg.exceptions as pg

from domain.errors import DatabaseUnavailable

_POSTGRES_UNAVAILABLE: tuple[type[BaseException], ...] = (
    OSError,  # refused, unreachable, DNS
    TimeoutError,
    pg.PostgresConnectionError,
    pg.OperatorInterventionError,  # shutting down, starting up
    pg.TooManyConnectionsError,
    pg.InvalidCatalogNameError,  # the database does not exist (yet)
    pg.InvalidAuthorizationSpecificationError,
)
_SQLITE_UNAVAILABLE_MESSAGES = (
    "database is locked",  # still locked after the busy timeout
    "database is busy",
    "unable to open database file",
    "disk i/o error",
)


@contextmanager
def database_errors() -> Iterator[None]:
    """Turns "cannot reach the database" into ``DatabaseUnavailable``; every other
    error (a bug, a missing table) passes unchanged."""
    try:
        yield
    except _POSTGRES_UNAVAILABLE as error:
        raise _unavailable(error) from error
    except sqlite3.OperationalError as error:
        if not str(error).lower().startswith(_SQLITE_UNAVAILABLE_MESSAGES):
            raise
        raise _unavailable(error) from error


def _unavailable(error: BaseException) -> DatabaseUnavailable:
    # The driver's message can name hosts and users; it stays in the chained cause.
    return DatabaseUnavailable(f"the database cannot be reached ({type(error).__name__})")


@dataclass(frozen=True, slots=True)
class UniqueIndex:
    """A unique index (see migrations) as each driver names it when it refuses a row."""

    postgres_name: str
    sqlite_columns: str

    def refused(self, error: BaseException) -> bool:
        """Whether ``error`` is this index refusing a row (and not, say, a primary
        key clash, which is a bug)."""
        if isinstance(error, pg.UniqueViolationError):
            return getattr(error, "constraint_name", None) == self.postgres_name
        if isinstance(error, sqlite3.IntegrityError):
            return str(error) == f"UNIQUE constraint failed: {self.sqlite_columns}"
        return False


# A credential name is unique per user.
CONNECTOR_OWNER_NAME = UniqueIndex(
    "connector_owner_name_key",
    "connector.org_id, connector.user_id, connector.credential_name",
)
# A bucket name is stored once: the column is UNIQUE, which PostgreSQL names so.
MANAGED_BUCKET_NAME = UniqueIndex("managed_bucket_name_key", "managed_bucket.name")


@contextmanager
def refused_by(index: UniqueIndex, duplicate: Exception) -> Iterator[None]:
    """Raises ``duplicate`` when ``index`` refuses a row written in this block; any
    other integrity error passes unchanged."""
    try:
        yield
    except (sqlite3.IntegrityError, pg.UniqueViolationError) as error:
        if not index.refused(error):
            raise
        raise duplicate from None
