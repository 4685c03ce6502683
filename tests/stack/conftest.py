"""The whole service as it runs: piccolo on SQLite or PostgreSQL, and the
sandbox (moto's server plus the enforcing probe) as AWS."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from litestar.testing import AsyncTestClient

from adapters.persistence.piccolo.engine import engine_from_url
from adapters.persistence.piccolo.migration_runner import migrate
from adapters.sandbox.emulator import Emulator
from entrypoints.bootstrap import build_container
from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.conftest import JWT_SECRET, PRINCIPAL_ARN


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'bucketlink.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_server").create_database()
    asyncio.run(migrate(url))
    return url


@pytest.fixture
def stack_settings(database_url: str, emulator: Emulator) -> Settings:
    return Settings(
        database_url=database_url,
        jwt_secret=JWT_SECRET,
        principal_arn=PRINCIPAL_ARN,
        sandbox_port=urlsplit(emulator.endpoint_url).port or 0,
        assume_role_grace_seconds=0,
    )


@pytest.fixture
def stack_container(stack_settings: Settings) -> Container:
    return build_container(stack_settings)


@pytest.fixture
async def stack_client(stack_container: Container) -> AsyncIterator[AsyncTestClient[Any]]:
    async with AsyncTestClient(create_app(stack_container)) as client:
        yield client


async def stored_rows(database_url: str, table: str) -> int:
    """Rows in a table, read beside the service, not through it."""
    engine = engine_from_url(database_url)
    rows = await engine.run_ddl(f"SELECT COUNT(*) AS n FROM {table}")
    return int(rows[0]["n"])


async def stored_connectors(database_url: str) -> int:
    return await stored_rows(database_url, "connector")
