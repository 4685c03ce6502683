"""The schema: migrations on a fresh database, idempotence, agreement with the
table classes."""

from __future__ import annotations

import asyncio

import pytest
from piccolo.apps.migrations.commands.new import AutoMigrationManager

from adapters.persistence.piccolo import (
    PiccoloConnectorRepository,
    engine_from_url,
    migrate,
    pending_migrations,
)
from adapters.persistence.piccolo.piccolo_app import APP_CONFIG

from .builders import ALICE, a_connector

pytestmark = pytest.mark.asyncio


async def test_a_fresh_database_needs_every_migration(unmigrated_url: str) -> None:
    pending = await pending_migrations(unmigrated_url)

    assert pending
    assert pending == sorted(pending)


async def test_migrate_applies_what_is_pending_and_then_nothing_is(unmigrated_url: str) -> None:
    pending = await pending_migrations(unmigrated_url)

    assert await migrate(unmigrated_url) == pending
    assert await pending_migrations(unmigrated_url) == []


async def test_migrating_twice_changes_nothing(unmigrated_url: str) -> None:
    await migrate(unmigrated_url)
    connector = a_connector()
    await PiccoloConnectorRepository(engine_from_url(unmigrated_url)).add(connector)

    assert await migrate(unmigrated_url) == []
    got = await PiccoloConnectorRepository(engine_from_url(unmigrated_url)).get(
        ALICE, connector.connector_type, connector.id
    )
    assert got == connector


async def test_the_migrations_build_what_the_table_classes_describe() -> None:
    # piccolo's auto-migration differ finds nothing to add: tables.py and the
    # hand-written migrations agree.
    alter = await AutoMigrationManager().get_alter_statements(app_config=APP_CONFIG)

    assert [s for each in alter for s in each.statements] == []


async def test_the_migrations_make_the_indexes_of_raw_sql(unmigrated_url: str) -> None:
    # What the table classes cannot describe, so the check above cannot see.
    await migrate(unmigrated_url)

    assert await _index_names(unmigrated_url) >= {
        "connector_owner_name_key",
        "connector_listing_idx",
        "managed_bucket_listing_idx",
    }


async def _index_names(url: str) -> set[str]:
    engine = engine_from_url(url)
    if url.startswith("sqlite"):
        rows = await engine.run_ddl("SELECT name FROM sqlite_master WHERE type = 'index'")
        return {row["name"] for row in rows}
    rows = await engine.run_ddl("SELECT indexname AS name FROM pg_indexes")
    return {row["name"] for row in rows}


async def test_sqlite_runs_in_wal_mode(fresh_sqlite_url: str) -> None:
    await migrate(fresh_sqlite_url)

    rows = await engine_from_url(fresh_sqlite_url).run_ddl("PRAGMA journal_mode")

    assert rows[0]["journal_mode"] == "wal"


async def test_instances_migrating_at_once_apply_each_migration_once(unmigrated_url: str) -> None:
    pending = await pending_migrations(unmigrated_url)

    applied = await asyncio.gather(*(migrate(unmigrated_url) for _ in range(3)))

    assert sorted(applied, key=len) == [[], [], pending]
    assert await pending_migrations(unmigrated_url) == []
