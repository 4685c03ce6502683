"""Contract §7: `GET /ready` answers 503 when a dependency is down, names which,
and answers in bounded time even when AWS never does."""

from __future__ import annotations

import time

import pytest

from adapters.sandbox.emulator import Emulator
from tests.faults.conftest import aws_settings, emulator_port, running, sandbox_settings

CHECK_LIMIT = 3.0  # seconds: the health controller's own limit per dependency


async def test_unreachable_aws_makes_ready_503_naming_aws(
    sqlite_url: str, closed_port: int
) -> None:
    async with running(sandbox_settings(sqlite_url, closed_port)) as service:
        started = time.monotonic()
        response = await service.client.get("/ready")
        seconds = time.monotonic() - started
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "dependencies": {"database": "ok", "aws": "unavailable"},
    }
    assert seconds < 1.0


async def test_aws_that_never_answers_makes_ready_503_within_the_check_limit(
    sqlite_url: str, silent_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = aws_settings(sqlite_url, monkeypatch, f"http://127.0.0.1:{silent_port}")
    async with running(settings) as service:
        started = time.monotonic()
        response = await service.client.get("/ready")
        seconds = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["dependencies"] == {"database": "ok", "aws": "unavailable"}
    assert seconds < CHECK_LIMIT + 0.5


async def test_ready_asks_aws_once_for_many_callers_in_a_few_seconds(
    sqlite_url: str, emulator: Emulator
) -> None:
    # /ready needs no token: each call was an STS call anyone could make us send.
    async with running(sandbox_settings(sqlite_url, emulator_port(emulator))) as service:
        answers = [await service.client.get("/ready") for _ in range(20)]

        assert [a.status_code for a in answers] == [200] * 20
        assert service.attempts.of("sts.GetCallerIdentity") == 1
