"""A PostgreSQL server for the tests: fresh, uniquely named databases on it,
dropped again at the end, so runs never collide."""

from __future__ import annotations

import asyncio
import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import asyncpg

ADMIN_URL_VARIABLE = "BUCKETLINK_TEST_POSTGRES_URL"
DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"


def admin_url() -> str:
    return os.environ.get(ADMIN_URL_VARIABLE) or DEFAULT_ADMIN_URL


class PostgresServer:
    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self._created: list[str] = []

    def unreachable_because(self) -> str | None:
        try:
            asyncio.run(self._execute("SELECT 1"))
        except (OSError, asyncpg.PostgresError, TimeoutError) as error:
            return f"PostgreSQL at {_without_password(self.admin_url)}: {error!r}"
        return None

    def create_database(self) -> str:
        name = f"bucketlink_test_{uuid.uuid4().hex[:12]}"
        asyncio.run(self._execute(f'CREATE DATABASE "{name}"'))
        self._created.append(name)
        return urlunsplit(urlsplit(self.admin_url)._replace(path=f"/{name}"))

    def drop_databases(self) -> None:
        for name in self._created:
            asyncio.run(self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._created.clear()

    async def _execute(self, sql: str) -> None:
        connection = await asyncpg.connect(self.admin_url, timeout=5)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    return urlunsplit(parts._replace(netloc=f"{netloc}:{parts.port}" if parts.port else netloc))
