"""The drivers' errors, in the domain's words."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg.exceptions as pg

from domain.errors import DatabaseUnavailable

# The unique index that makes a credential name unique per user (see migrations).
OWNER_NAME_INDEX = "connector_owner_name_key"
_SQLITE_OWNER_NAME_COLUMNS = "connector.org_id, connector.user_id, connector.credential_name"

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


def is_duplicate_owner_name(error: BaseException) -> bool:
    """Whether ``error`` is the owner-name unique index refusing a row (and not,
    say, a primary key clash, which is a bug)."""
    if isinstance(error, pg.UniqueViolationError):
        return getattr(error, "constraint_name", None) == OWNER_NAME_INDEX
    if isinstance(error, sqlite3.IntegrityError):
        return _SQLITE_OWNER_NAME_COLUMNS in str(error)
    return False
