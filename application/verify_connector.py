from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.connector_queries import GetConnector, connector_not_found
from application.probing import TargetProbe
from domain.connector import ConnectorType
from domain.error_codes import ErrorCode
from domain.identity import Caller
from domain.ports.clock import Clock
from domain.ports.connector_repository import ConnectorRepository
from domain.ports.credential_cache import CredentialCache
from domain.probe import ProbeReport


@dataclass(frozen=True, slots=True)
class Verification:
    report: ProbeReport
    verified_at: datetime


@dataclass(frozen=True, slots=True)
class VerifyConnector:
    """Re-runs a stored connector's checks against what it was verified with."""

    get_connector: GetConnector
    probe_target: TargetProbe
    clock: Clock
    # A role found no longer bound to the org: its vended credentials go at once.
    credentials: CredentialCache
    connectors: ConnectorRepository

    async def __call__(
        self, caller: Caller, connector_type: ConnectorType, connector_id: UUID
    ) -> Verification:
        connector = await self.get_connector(caller, connector_type, connector_id)
        if connector.s3 is None:  # no other connector type can be stored yet
            raise connector_not_found(connector_id)
        report = await self.probe_target(caller, connector.s3)
        region = report.bucket_region
        if region is not None and region != connector.s3.region:
            # Vended credentials name the bucket's region: keep it current.
            await self.connectors.record_bucket_region(connector.id, region)
        if report.failure is not None and report.failure.code == ErrorCode.EXTERNAL_ID_NOT_ENFORCED:
            self.credentials.forget(connector.id)
        return Verification(report, self.clock.now())
