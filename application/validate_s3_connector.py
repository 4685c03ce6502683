from __future__ import annotations

from dataclasses import dataclass

from application.probing import TargetProbe
from application.register_s3_connector import S3ConnectorRequest
from domain.identity import Caller
from domain.probe import ProbeReport


@dataclass(frozen=True, slots=True)
class ValidateS3Connector:
    """Runs the checks a registration would run, storing nothing."""

    probe_target: TargetProbe

    async def __call__(self, caller: Caller, request: S3ConnectorRequest) -> ProbeReport:
        return await self.probe_target(caller, request.target)
