"""An AccessProbe that logs what the probe it wraps found, one line per step.

What is logged names the organisation, the role and the bucket, never the
external id the probe was made with."""

from __future__ import annotations

import structlog

from domain.errors import AwsUnavailable
from domain.ports.access_probe import AccessProbe
from domain.probe import ProbeReport, ProbeRequest

log = structlog.get_logger("bucketlink.probe")


class LoggedAccessProbe:
    def __init__(self, inner: AccessProbe) -> None:
        self._inner = inner

    async def probe(self, request: ProbeRequest) -> ProbeReport:
        probed = log.bind(
            org_id=request.org_id.value,
            role_arn=str(request.role),
            bucket=request.target.bucket.value,
        )
        try:
            report = await self._inner.probe(request)
        except AwsUnavailable as error:
            probed.warning(
                "probe step", step=None, outcome=AwsUnavailable.code, detail=error.detail
            )
            raise
        for check in report.checks:
            if check.ok:
                probed.info("probe step", step=str(check.name), outcome="passed")
            else:  # the message says what AWS answered and what to fix
                probed.info(
                    "probe step", step=str(check.name), outcome=check.code, detail=check.message
                )
        return report
