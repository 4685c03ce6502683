"""Stores for the repository contract suite: the in-memory fakes, piccolo on a
fresh SQLite file, piccolo on a fresh PostgreSQL database.

PostgreSQL tests skip when no server answers, except under CI=true, where they
fail: CI must not pass by silently testing less.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from adapters.persistence.piccolo import engine_from_url, migrate
from adapters.persistence.piccolo.engine import DatabaseEngine
from tests.support.postgres_server import PostgresServer

from .stores import Store, in_memory_store, piccolo_store

STORE_KINDS = ("memory", "sqlite", "postgresql")
DATABASE_KINDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # `store` runs on every kind and `database_url` on both databases, unless a
    # test narrows it with @pytest.mark.parametrize(name, [...], indirect=True).
    for name, kinds in (("store", STORE_KINDS), ("database_url", DATABASE_KINDS)):
        if name in metafunc.fixturenames and not _parametrised(metafunc, name):
            metafunc.parametrize(name, kinds, indirect=True)


def _parametrised(metafunc: pytest.Metafunc, name: str) -> bool:
    return any(name in mark.args[0] for mark in metafunc.definition.iter_markers("parametrize"))


@pytest.fixture(scope="session")
def migrated_postgresql_url(postgres_server: PostgresServer) -> str:
    url = postgres_server.create_database()
    asyncio.run(migrate(url))
    return url


@pytest.fixture
def fresh_postgresql_url(postgres_server: PostgresServer) -> str:
    return postgres_server.create_database()


@pytest.fixture
def fresh_sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'bucketlink.sqlite'}"


@pytest.fixture(params=DATABASE_KINDS)
def unmigrated_url(request: pytest.FixtureRequest) -> str:
    """A new, empty database of each kind, its schema not yet made."""
    url: str = request.getfixturevalue(f"fresh_{request.param}_url")
    return url


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> str:
    """An empty, migrated database of the kind the test is parametrised with."""
    return _empty_migrated_database(request.param, request)


@pytest.fixture
def store(request: pytest.FixtureRequest) -> Store:
    if request.param == "memory":
        return in_memory_store()
    url = _empty_migrated_database(request.param, request)
    return piccolo_store(request.param, engine_from_url(url))


def _empty_migrated_database(kind: str, request: pytest.FixtureRequest) -> str:
    # SQLite: a new file per test. PostgreSQL: one migrated database per session
    # (creating one costs more), emptied before each test.
    if kind == "sqlite":
        url: str = request.getfixturevalue("fresh_sqlite_url")
        asyncio.run(migrate(url))
        return url
    url = request.getfixturevalue("migrated_postgresql_url")
    asyncio.run(_empty_tables(engine_from_url(url)))
    return url


async def _empty_tables(engine: DatabaseEngine) -> None:
    for table in ("connector", "organisation", "managed_bucket", "company_bucket_count"):
        await engine.run_ddl(f"DELETE FROM {table}")
