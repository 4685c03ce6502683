"""Which database a URL names, as a piccolo engine."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any, TypeAlias

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from adapters.system.secret_free_logs import drop_debug_records

DatabaseEngine: TypeAlias = Engine[Any]

DATABASE_URL_VARIABLE = "BUCKETLINK_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///bucketlink.sqlite"

# Concurrent SQLite writers queue for the write lock this long instead of failing
# at once with "database is locked".
SQLITE_BUSY_TIMEOUT_SECONDS = 15.0
# asyncpg waits 60 s by default; a request should learn sooner that the database
# is unreachable.
POSTGRES_CONNECT_TIMEOUT_SECONDS = 5.0

_SQLITE_PREFIX = "sqlite:///"
_POSTGRES_SCHEMES = ("postgresql://", "postgres://")

_engine_override: ContextVar[DatabaseEngine | None] = ContextVar(
    "bucketlink_engine_override", default=None
)


class InvalidDatabaseUrl(ValueError):
    pass


def configured_database_url() -> str:
    return os.environ.get(DATABASE_URL_VARIABLE) or DEFAULT_DATABASE_URL


def engine_from_url(url: str) -> DatabaseEngine:
    """A new engine for ``sqlite:///path`` (relative; ``sqlite:////abs/path``) or
    ``postgresql://user@host:port/db``."""
    if url.startswith(_SQLITE_PREFIX):
        return _sqlite_engine(url.removeprefix(_SQLITE_PREFIX))
    if url.startswith(_POSTGRES_SCHEMES):
        return PostgresEngine(config={"dsn": url, "timeout": POSTGRES_CONNECT_TIMEOUT_SECONDS})
    # Only the scheme is named: the rest of a URL may hold a password.
    scheme = url.partition("://")[0] if "://" in url else "(none)"
    raise InvalidDatabaseUrl(
        f"unsupported database URL scheme {scheme!r}: "
        "use sqlite:///path or postgresql://user@host:port/db"
    )


def _sqlite_engine(path: str) -> SQLiteEngine:
    # piccolo opens a connection per query, so an in-memory database would
    # vanish between two queries.
    if not path or path == ":memory:":
        raise InvalidDatabaseUrl("a SQLite URL needs a file path: sqlite:///bucketlink.sqlite")
    # aiosqlite logs every statement with its parameters (external ids) at DEBUG.
    drop_debug_records("aiosqlite")
    return SQLiteEngine(path=path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS)


def current_engine() -> DatabaseEngine:
    """What ``piccolo_conf.DB`` is: the engine a migration run chose, otherwise
    the one ``BUCKETLINK_DATABASE_URL`` names."""
    return _engine_override.get() or _engine_for(configured_database_url())


@cache
def _engine_for(url: str) -> DatabaseEngine:
    # One engine per URL: piccolo tracks transactions per engine instance.
    return engine_from_url(url)


@contextmanager
def engine_in_use(engine: DatabaseEngine) -> Iterator[None]:
    """Within this block (and this task only), piccolo's global engine lookup
    answers ``engine``. A context variable, so concurrent tasks don't see it."""
    token = _engine_override.set(engine)
    try:
        yield
    finally:
        _engine_override.reset(token)
