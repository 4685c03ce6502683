"""A server process answers /health at once and builds its AWS adapters in the
background; /ready passes only once they are built."""

from __future__ import annotations

import gc
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
import msgspec
import pytest
from dependency_injector import providers
from litestar.testing import AsyncTestClient

from entrypoints.bootstrap import build_container
from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.http.serving import Warmup
from entrypoints.settings import Settings


async def _ok() -> None:
    pass


@pytest.fixture
def unfrozen() -> Iterator[int]:
    frozen_before = gc.get_freeze_count()
    yield frozen_before
    gc.unfreeze()  # the rest of the test run collects as usual


def counting_builds(container: Container, build_when: threading.Event) -> dict[str, int]:
    """Counts the builds of the AWS adapters, each held until ``build_when``."""
    built = {"probe": 0, "provisioner": 0, "vendor": 0}
    for port in built:
        adapter = getattr(container, port)()

        def build(port: str = port, adapter: object = adapter) -> object:
            assert build_when.wait(timeout=10), "the test never let the build go on"
            built[port] += 1
            return adapter

        getattr(container, port).override(providers.Singleton(build))
    container.database_readiness.override(providers.Object(_ok))
    container.aws_readiness.override(providers.Object(_ok))
    return built


async def _readiness(client: AsyncTestClient[Any]) -> tuple[int, dict[str, str]]:
    response = await client.get("/ready")
    return response.status_code, response.json()["dependencies"]


async def _eventually(holds: Callable[[], Awaitable[bool]]) -> None:
    for _ in range(1000):
        if await holds():
            return
        await anyio.sleep(0.01)
    raise AssertionError("it never came to hold within 10 s")


async def _is_ready(client: AsyncTestClient[Any]) -> bool:
    return (await _readiness(client))[0] == 200


async def _is_frozen(frozen_before: int) -> bool:
    return gc.get_freeze_count() > frozen_before


async def test_a_server_is_live_at_once_and_ready_once_its_aws_adapters_are_built(
    container: Container, unfrozen: int
) -> None:
    build_when = threading.Event()
    built = counting_builds(container, build_when)

    async with AsyncTestClient(create_app(container, serving=True)) as client:
        assert (await client.get("/health")).status_code == 200
        assert await _readiness(client) == (503, {"database": "ok", "aws": "unavailable"})
        assert gc.get_freeze_count() == unfrozen

        build_when.set()

        await _eventually(lambda: _is_ready(client))
        assert await _readiness(client) == (200, {"database": "ok", "aws": "ok"})
        assert built == {"probe": 1, "provisioner": 1, "vendor": 1}
        assert gc.get_freeze_count() > unfrozen


async def test_a_failed_build_keeps_the_server_unready_and_says_why(
    container: Container, unfrozen: int, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse() -> object:
        raise RuntimeError("no region")

    container.probe.override(providers.Callable(refuse))
    container.database_readiness.override(providers.Object(_ok))
    container.aws_readiness.override(providers.Object(_ok))

    async with AsyncTestClient(create_app(container, serving=True)) as client:
        await _eventually(lambda: _is_frozen(unfrozen))  # the warm-up's last step
        assert await _readiness(client) == (503, {"database": "ok", "aws": "unavailable"})

    assert "building the AWS clients failed: no region" in caplog.text


async def test_the_warm_up_prepares_what_the_app_asks_before_it_freezes_the_heap(
    container: Container, unfrozen: int
) -> None:
    build_when = threading.Event()
    build_when.set()
    counting_builds(container, build_when)
    frozen_when_prepared: list[int] = []
    warmup = Warmup(container, prepare=[lambda: frozen_when_prepared.append(gc.get_freeze_count())])

    await warmup.start()

    assert await anyio.to_thread.run_sync(warmup.done.wait, 10)
    assert frozen_when_prepared == [unfrozen]  # prepared, and only then frozen
    assert gc.get_freeze_count() > unfrozen


async def test_an_app_for_tests_or_in_process_use_builds_nothing_ahead(
    container: Container, unfrozen: int
) -> None:
    build_when = threading.Event()
    built = counting_builds(container, build_when)
    build_when.set()

    async with AsyncTestClient(create_app(container)) as client:
        assert await _readiness(client) == (200, {"database": "ok", "aws": "ok"})
        assert built == {"probe": 0, "provisioner": 0, "vendor": 0}
        assert gc.get_freeze_count() == unfrozen


def test_threads_that_ask_for_an_aws_adapter_at_once_share_one(settings: Settings) -> None:
    # The warm-up thread and a request may both ask while it is being built.
    aws = msgspec.structs.replace(settings, aws_mode="aws")
    for port in ("probe", "provisioner"):
        adapters = _built_by_four_threads_at_once(build_container(aws), port)
        assert all(adapter is adapters[0] for adapter in adapters), port


def _built_by_four_threads_at_once(container: Container, port: str) -> list[object]:
    start = threading.Barrier(4)

    def build(_: int) -> object:
        start.wait()
        return getattr(container, port)()

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(build, range(4)))
