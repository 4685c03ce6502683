"""A database that cannot be reached is ``DatabaseUnavailable`` (the contract's
503), quickly, and without repeating the URL; anything else is not."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
import uuid
from pathlib import Path

import pytest
from piccolo.engine.sqlite import SQLiteEngine

from adapters.persistence.piccolo import (
    PiccoloConnectorRepository,
    PiccoloManagedBucketRepository,
    PiccoloOrganisationRepository,
    engine_from_url,
    migrate,
    pending_migrations,
)
from domain.errors import DatabaseUnavailable
from domain.identity import OrgId

from .builders import ALICE, a_connector, a_managed_bucket

pytestmark = pytest.mark.asyncio

UNREACHABLE_POSTGRES = "postgresql://postgres@127.0.0.1:1/bucketlink"
FAST = 3.0  # seconds
# piccolo asks a new PostgreSQL engine for the server's version and only warns
# when none answers; here that is the point.
no_server_warning = pytest.mark.filterwarnings("ignore:.*Unable to connect to database:Warning")


@no_server_warning
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
    with pytest.raises(DatabaseUnavailable):
        await PiccoloManagedBucketRepository(engine).find(uuid.uuid4())
    assert time.monotonic() - started < FAST


@no_server_warning
async def test_the_unavailable_error_does_not_repeat_the_url() -> None:
    url = "postgresql://postgres:hunter2@127.0.0.1:1/bucketlink"

    with pytest.raises(DatabaseUnavailable) as raised:
        await pending_migrations(url)

    assert "hunter2" not in str(raised.value)


async def test_a_sqlite_file_that_cannot_be_opened_is_unavailable(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no-such-directory' / 'bucketlink.sqlite'}"

    with pytest.raises(DatabaseUnavailable):
        await migrate(url)
    with pytest.raises(DatabaseUnavailable):
        await PiccoloConnectorRepository(engine_from_url(url)).add(a_connector())
    with pytest.raises(DatabaseUnavailable):
        await PiccoloManagedBucketRepository(engine_from_url(url)).add(a_managed_bucket())
    await _aiosqlite_threads_finished()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_sqlite_file_locked_past_the_busy_timeout_is_unavailable(
    database_url: str,
) -> None:
    path = database_url.removeprefix("sqlite:///")
    impatient = SQLiteEngine(path=path, timeout=0.05)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseUnavailable):
            await PiccoloConnectorRepository(impatient).add(a_connector())
    finally:
        holder.execute("ROLLBACK")
        holder.close()


async def test_a_database_missing_its_tables_is_not_called_unavailable(
    unmigrated_url: str,
) -> None:
    # A schema that was never migrated is an operator's mistake that `serve`
    # catches up front, not an outage to retry.
    with pytest.raises(Exception, match="connector") as raised:
        await PiccoloConnectorRepository(engine_from_url(unmigrated_url)).add(a_connector())

    assert not isinstance(raised.value, DatabaseUnavailable)


async def _aiosqlite_threads_finished() -> None:
    # After a failed connect, aiosqlite stops its worker thread without waiting
    # for it; the thread then reports to this test's event loop, which must still
    # be open (else: "Event loop is closed" in a thread, blamed on a later test).
    for thread in threading.enumerate():
        if "_connection_worker_thread" in thread.name:
            await asyncio.to_thread(thread.join, 5)
