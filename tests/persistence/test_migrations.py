"""The schema: migrations on a fresh database, idempotence, agreement with the
table classes, and what an unreachable database looks like."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest
from piccolo.apps.migrations.commands.new import AutoMigrationManager

from adapters.persistence.piccolo import (
    InvalidDatabaseUrl,
    PiccoloConnectorRepository,
    PiccoloOrganisationRepository,
    engine_from_url,
    migrate,
    pending_migrations,
)
from adapters.persistence.piccolo.piccolo_app import APP_CONFIG
from domain.errors import DatabaseUnavailable
from domain.identity import OrgId

from .builders import ALICE, a_connector

pytestmark = pytest.mark.asyncio

UNREACHABLE_POSTGRES = "postgresql://postgres@127.0.0.1:1/bucketlink"
FAST = 3.0  # seconds


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"fresh_{request.param}_url")
    return url


async def test_a_fresh_database_needs_every_migration(fresh_url: str) -> None:
    pending = await pending_migrations(fresh_url)

    assert pending
    assert pending == sorted(pending)


async def test_migrate_applies_what_is_pending_and_then_nothing_is(fresh_url: str) -> None:
    pending = await pending_migrations(fresh_url)

    assert await migrate(fresh_url) == pending
    assert await pending_migrations(fresh_url) == []


async def test_migrating_twice_changes_nothing(fresh_url: str) -> None:
    await migrate(fresh_url)
    connector = a_connector()
    await PiccoloConnectorRepository(engine_from_url(fresh_url)).add(connector)

    assert await migrate(fresh_url) == []
    got = await PiccoloConnectorRepository(engine_from_url(fresh_url)).get(
        ALICE, connector.connector_type, connector.id
    )
    assert got == connector


async def test_the_migrations_build_what_the_table_classes_describe() -> None:
    # piccolo's auto-migration differ finds nothing to add: tables.py and the
    # hand-written migrations agree.
    alter = await AutoMigrationManager().get_alter_statements(app_config=APP_CONFIG)

    assert [s for each in alter for s in each.statements] == []


async def test_sqlite_runs_in_wal_mode(fresh_sqlite_url: str) -> None:
    await migrate(fresh_sqlite_url)

    rows = await engine_from_url(fresh_sqlite_url).run_ddl("PRAGMA journal_mode")

    assert rows[0]["journal_mode"] == "wal"


async def test_an_unreachable_postgresql_is_unavailable_quickly() -> None:
    started = time.monotonic()
    engine = engine_from_url(UNREACHABLE_POSTGRES)

    with pytest.raises(DatabaseUnavailable):
        await pending_migrations(UNREACHABLE_POSTGRES)
    with pytest.raises(DatabaseUnavailable):
        await migrate(UNREACHABLE_POSTGRES)
    with pytest.raises(DatabaseUnavailable):
        await PiccoloConnectorRepository(engine).name_taken(ALICE, a_connector().credential_name)
    with pytest.raises(DatabaseUnavailable):
        await PiccoloOrganisationRepository(engine).external_id(OrgId(1))
    assert time.monotonic() - started < FAST


async def test_an_unreachable_sqlite_file_is_unavailable(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no-such-directory' / 'bucketlink.sqlite'}"

    with pytest.raises(DatabaseUnavailable):
        await migrate(url)
    with pytest.raises(DatabaseUnavailable):
        await PiccoloConnectorRepository(engine_from_url(url)).add(a_connector())
    await _aiosqlite_threads_finished()


async def _aiosqlite_threads_finished() -> None:
    # After a failed connect, aiosqlite stops its worker thread without waiting
    # for it; the thread then reports to this test's event loop, which must still
    # be open (else: "Event loop is closed" in a thread, blamed on a later test).
    for thread in threading.enumerate():
        if "_connection_worker_thread" in thread.name:
            await asyncio.to_thread(thread.join, 5)


async def test_the_unavailable_error_does_not_repeat_the_url() -> None:
    url = "postgresql://postgres:hunter2@127.0.0.1:1/bucketlink"

    with pytest.raises(DatabaseUnavailable) as raised:
        await pending_migrations(url)

    assert "hunter2" not in str(raised.value)


@pytest.mark.parametrize(
    "url",
    ["mysql://root:hunter2@db/app", "sqlite:///:memory:", "sqlite:///", "bucketlink.sqlite"],
)
async def test_a_url_naming_no_supported_database_is_refused(url: str) -> None:
    with pytest.raises(InvalidDatabaseUrl) as raised:
        engine_from_url(url)

    assert "hunter2" not in str(raised.value)


async def test_a_database_missing_its_tables_is_not_called_unavailable(fresh_url: str) -> None:
    # A schema that was never migrated is an operator's mistake that `serve`
    # catches up front, not an outage to retry.
    with pytest.raises(Exception) as raised:
        await PiccoloConnectorRepository(engine_from_url(fresh_url)).add(a_connector())

    assert not isinstance(raised.value, DatabaseUnavailable)
