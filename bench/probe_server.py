"""The service as ``bench.probe_concurrency`` serves it: AWS answering after a
delay (``bench.slow_aws``), and a ticker measuring the lag of the server's own
event loop, read back (and cleared) at ``GET /bench/lag``.

    uvicorn --factory bench.probe_server:create
"""

from __future__ import annotations

import asyncio
import os

from litestar import Litestar, get

from bench.loop_lag import LoopLag
from bench.slow_aws import slow_down
from entrypoints.bootstrap import build_container
from entrypoints.http.app import create_app


def create() -> Litestar:
    container = build_container()
    slow_down(
        container.aws_session(),
        os.environ["BENCH_TRUSTED_EXTERNAL_ID"],
        float(os.environ["BENCH_AWS_SECONDS"]),
    )
    app = create_app(container, serving=True)
    lag = LoopLag()
    ticking: set[asyncio.Task[None]] = set()

    async def start_ticking() -> None:
        ticking.add(asyncio.get_running_loop().create_task(lag.tick()))

    @get("/bench/lag", sync_to_thread=False)
    def lag_samples() -> list[tuple[float, float]]:
        return lag.take()

    app.on_startup.append(start_ticking)
    app.register(lag_samples)
    return app
