"""How late the event loop wakes a task that asked to sleep a few milliseconds:
anything holding the loop (a synchronous call, a wait for the GIL) shows up here."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence

import anyio

TICK_SECONDS = 0.005


class LoopLag:
    """Ticks forever in the loop it runs in; ``samples`` are (wall-clock time, lag in ms)."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, float]] = []

    async def tick(self) -> None:
        while True:
            asked = time.perf_counter()
            await anyio.sleep(TICK_SECONDS)
            late = (time.perf_counter() - asked - TICK_SECONDS) * 1000
            self.samples.append((time.time(), late))

    def take(self) -> list[tuple[float, float]]:
        taken, self.samples = self.samples, []
        return taken


def percentile(lags_ms: Sequence[float], percent: int) -> float:
    if len(lags_ms) < 2:
        return lags_ms[0] if lags_ms else 0.0
    return statistics.quantiles(lags_ms, n=100, method="inclusive")[percent - 1]
