"""How late the event loop wakes a task that asked to sleep a few milliseconds:
anything blocking the loop (a synchronous call, a long GIL hold) shows up here."""

from __future__ import annotations

import statistics
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio

TICK_SECONDS = 0.005


class LoopLag:
    def __init__(self) -> None:
        self.lags_ms: list[float] = []

    def percentile(self, percent: int) -> float:
        if len(self.lags_ms) < 2:
            return self.lags_ms[0] if self.lags_ms else 0.0
        return statistics.quantiles(self.lags_ms, n=100, method="inclusive")[percent - 1]

    @property
    def worst(self) -> float:
        return max(self.lags_ms, default=0.0)

    async def _tick(self) -> None:
        while True:
            asked = time.perf_counter()
            await anyio.sleep(TICK_SECONDS)
            self.lags_ms.append((time.perf_counter() - asked - TICK_SECONDS) * 1000)


@asynccontextmanager
async def measuring_lag() -> AsyncIterator[LoopLag]:
    lag = LoopLag()
    async with anyio.create_task_group() as ticker:
        ticker.start_soon(lag._tick)
        try:
            yield lag
        finally:
            ticker.cancel_scope.cancel()
