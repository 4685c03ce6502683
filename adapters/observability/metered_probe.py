"""An AccessProbe that counts what the probe it wraps reports."""

from __future__ import annotations

import time

from adapters.observability.metrics import PROBE_OUTCOMES, PROBE_SECONDS
from domain.errors import AwsUnavailable
from domain.ports.access_probe import AccessProbe
from domain.probe import ProbeReport, ProbeRequest


class MeteredAccessProbe:
    def __init__(self, inner: AccessProbe) -> None:
        self._inner = inner

    async def probe(self, request: ProbeRequest) -> ProbeReport:
        started = time.perf_counter()
        try:
            report = await self._inner.probe(request)
        except AwsUnavailable:
            PROBE_OUTCOMES.labels(AwsUnavailable.code).inc()
            raise
        finally:
            PROBE_SECONDS.observe(time.perf_counter() - started)
        failure = report.failure
        PROBE_OUTCOMES.labels("passed" if failure is None else failure.code or "failed").inc()
        return report
