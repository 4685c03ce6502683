"""A server process prepares itself on start-up, before its first request."""

from __future__ import annotations

import gc

from dependency_injector import providers
from litestar.testing import AsyncTestClient

from entrypoints.container import Container
from entrypoints.http.app import create_app


def counting_builds(container: Container) -> dict[str, int]:
    built = {"probe": 0, "provisioner": 0}
    for port in built:
        adapter = getattr(container, port)()

        def build(port: str = port, adapter: object = adapter) -> object:
            built[port] += 1
            return adapter

        getattr(container, port).override(providers.Callable(build))
    return built


async def test_serving_builds_the_aws_adapters_and_freezes_the_heap_on_start_up(
    container: Container,
) -> None:
    built = counting_builds(container)
    frozen_before = gc.get_freeze_count()
    try:
        async with AsyncTestClient(create_app(container, serving=True)):
            assert built == {"probe": 1, "provisioner": 1}
            assert gc.get_freeze_count() > frozen_before
    finally:
        gc.unfreeze()  # the rest of the test run collects as usual


async def test_an_app_for_tests_or_in_process_use_leaves_the_heap_alone(
    container: Container,
) -> None:
    built = counting_builds(container)
    frozen_before = gc.get_freeze_count()

    async with AsyncTestClient(create_app(container)):
        assert built == {"probe": 0, "provisioner": 0}
        assert gc.get_freeze_count() == frozen_before
