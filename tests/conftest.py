"""Fixtures every suite may use: settings that touch nothing, tokens."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest

from adapters.sandbox.emulator import Emulator
from entrypoints.settings import Settings
from tests.support.postgres_server import PostgresServer, admin_url

JWT_SECRET = "test-secret-that-is-long-enough-for-hs256"
PRINCIPAL_ARN = "arn:aws:iam::123456789012:role/bucketlink-platform"

_TESTS = Path(__file__).parent
# Every test in these starts servers, runs other programs or walks a whole
# guide: out of the inner loop (``pytest -m "not slow"``), always in CI.
_SLOW_FOLDERS = frozenset({"bench", "docs", "endpoint", "fuzz", "multi", "stack"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        folder = item.path.relative_to(_TESTS).parts[0]
        if folder in _SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)
        if folder == "bench":
            item.add_marker(pytest.mark.bench)


def access_token(user: str = "alice", org: int = 1, ttl: float = 3600) -> str:
    # Made with PyJWT directly, so the tests do not trust the service's own minting.
    claims = {"sub": user, "org_id": org, "exp": int(time.time() + ttl)}
    return jwt.encode(claims, JWT_SECRET, algorithm="HS256")


def refresh_token(user: str = "alice", org: int = 1, ttl: float = 86400) -> str:
    claims = {"sub": user, "org_id": org, "exp": int(time.time() + ttl), "typ": "refresh"}
    return jwt.encode(claims, JWT_SECRET, algorithm="HS256")


def bearer(user: str = "alice", org: int = 1) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token(user, org)}"}


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        jwt_secret=JWT_SECRET,
        database_url=f"sqlite:///{tmp_path / 'unused.sqlite'}",
        principal_arn=PRINCIPAL_ARN,
        assume_role_grace_seconds=0,
    )


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    """One AWS emulator for the whole run: moto keeps its state per process anyway,
    so tests keep apart by naming what they create uniquely."""
    running = Emulator(port=0)
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The machine's PostgreSQL, on which tests make (and drop) fresh databases.
    Without one, PostgreSQL tests skip saying why, except under CI=true, where
    they fail: CI must not pass by silently testing less."""
    server = PostgresServer(admin_url())
    reason = server.unreachable_because()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and no PostgreSQL: {reason}", pytrace=False)
        pytest.skip(f"no PostgreSQL server ({reason}); set BUCKETLINK_TEST_POSTGRES_URL")
    yield server
    server.drop_databases()
