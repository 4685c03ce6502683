from __future__ import annotations

from typing import Protocol

from domain.probe import ProbeReport, ProbeRequest


class AccessProbe(Protocol):
    """Proves a customer's role reaches their bucket, as AWS would judge it.

    A failed check is a report, not an exception. ``AwsUnavailable`` is raised
    only when AWS itself cannot answer (unreachable, throttling after retries).
    """

    async def probe(self, request: ProbeRequest) -> ProbeReport: ...
