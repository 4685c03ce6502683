"""Database URLs to piccolo engines, piccolo_conf's DB, and the PostgreSQL pool."""

from __future__ import annotations

import asyncio

import pytest
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from adapters.persistence.piccolo import (
    InvalidDatabaseUrl,
    PiccoloConnectorRepository,
    configured_database_url,
    engine_from_url,
)
from adapters.persistence.piccolo.engine import DATABASE_URL_VARIABLE, engine_in_use
from adapters.persistence.piccolo.pool import POOL_MAX_SIZE, close_pool, open_pool
from domain.credential_name import CredentialName
from domain.errors import DuplicateCredentialName
from domain.pagination import PageRequest

from .builders import ALICE, a_connector

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///bucketlink.sqlite", "bucketlink.sqlite"),
        ("sqlite:////var/lib/bucketlink/db.sqlite", "/var/lib/bucketlink/db.sqlite"),
    ],
)
async def test_a_sqlite_url_names_a_file(url: str, path: str) -> None:
    engine = engine_from_url(url)

    assert isinstance(engine, SQLiteEngine)
    assert engine.path == path


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_postgresql_url_is_passed_to_asyncpg(scheme: str, database_url: str) -> None:
    url = database_url.replace("postgresql", scheme, 1)
    engine = engine_from_url(url)

    assert isinstance(engine, PostgresEngine)
    assert engine.config["dsn"] == url
    assert not await PiccoloConnectorRepository(engine).name_taken(ALICE, CredentialName("x"))


@pytest.mark.parametrize(
    "url",
    ["mysql://root:hunter2@db/app", "sqlite:///:memory:", "sqlite:///", "bucketlink.sqlite"],
)
async def test_a_url_naming_no_supported_database_is_refused(url: str) -> None:
    with pytest.raises(InvalidDatabaseUrl) as raised:
        engine_from_url(url)

    assert "hunter2" not in str(raised.value)


async def test_the_database_url_defaults_to_a_local_sqlite_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(DATABASE_URL_VARIABLE, raising=False)

    assert configured_database_url() == "sqlite:///bucketlink.sqlite"


async def test_piccolo_conf_db_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, fresh_sqlite_url: str
) -> None:
    import piccolo_conf

    monkeypatch.setenv(DATABASE_URL_VARIABLE, fresh_sqlite_url)
    db = piccolo_conf.DB

    assert isinstance(db, SQLiteEngine)
    assert f"sqlite:///{db.path}" == fresh_sqlite_url
    assert piccolo_conf.DB is db, "one engine per URL: piccolo keys transactions on it"
    assert engine_finder() is db


async def test_a_migration_run_points_piccolo_at_its_engine_in_its_own_task_only(
    fresh_sqlite_url: str,
) -> None:
    engine = engine_from_url(fresh_sqlite_url)
    inside, done = asyncio.Event(), asyncio.Event()

    async def migration_run() -> object:
        with engine_in_use(engine):
            inside.set()
            await done.wait()
            return engine_finder()

    run = asyncio.create_task(migration_run())
    await inside.wait()
    seen_meanwhile = engine_finder()
    done.set()

    assert await run is engine
    assert seen_meanwhile is not engine


async def test_sqlite_has_no_pool_to_open(fresh_sqlite_url: str) -> None:
    engine = engine_from_url(fresh_sqlite_url)

    await open_pool(engine)
    await close_pool(engine)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_pooled_postgresql_engine_keeps_the_rules(database_url: str) -> None:
    engine = engine_from_url(database_url)
    await open_pool(engine)
    try:
        connectors = PiccoloConnectorRepository(engine)
        results = await asyncio.gather(
            *(connectors.add(a_connector(name="pooled")) for _ in range(10)),
            return_exceptions=True,
        )
        listed = await connectors.list(ALICE, None, PageRequest(limit=200))
    finally:
        await close_pool(engine)

    assert results.count(None) == 1
    assert all(isinstance(r, DuplicateCredentialName) for r in results if r is not None)
    assert len(listed.items) == 1


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_the_pool_opens_every_connection_before_the_first_request(database_url: str) -> None:
    engine = engine_from_url(database_url)
    await open_pool(engine)
    try:
        assert isinstance(engine, PostgresEngine) and engine.pool is not None
        assert engine.pool.get_size() == POOL_MAX_SIZE
        assert engine.pool.get_idle_size() == POOL_MAX_SIZE
    finally:
        await close_pool(engine)


async def test_a_database_down_at_start_up_leaves_an_empty_pool_that_connects_later() -> None:
    engine = engine_from_url("postgresql://postgres@127.0.0.1:9/nowhere")
    await open_pool(engine)
    try:
        assert isinstance(engine, PostgresEngine) and engine.pool is not None
        assert engine.pool.get_size() == 0
    finally:
        await close_pool(engine)
