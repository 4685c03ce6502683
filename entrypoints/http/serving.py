"""What a long-running server process does once before its first request."""

from __future__ import annotations

import gc
from collections.abc import Awaitable, Callable

from entrypoints.container import Container


def ready_for_traffic(container: Container) -> Callable[[], Awaitable[None]]:
    async def prepare() -> None:
        # Built now rather than inside the first request that needs them: making
        # boto3 clients takes tens of milliseconds on the event loop.
        container.probe()
        container.provisioner()
        # Everything alive now lives as long as the process; freezing it takes it
        # out of the garbage collector's full passes, which otherwise stop the
        # event loop for 50-200 ms under load (docs/performance.md). No collection
        # first: it would cost 0.15 s of start-up to free a few import cycles.
        gc.freeze()

    return prepare
