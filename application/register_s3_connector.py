from __future__ import annotations

from dataclasses import dataclass, replace

from application.probing import TargetProbe
from domain.connector import Connector, ConnectorType, S3Target
from domain.credential_name import CredentialName, credential_name_taken
from domain.error_codes import ErrorCode
from domain.errors import ProbeFailed
from domain.identity import Caller
from domain.ports.clock import Clock
from domain.ports.connector_repository import ConnectorRepository
from domain.ports.id_source import IdSource


@dataclass(frozen=True, slots=True)
class S3ConnectorRequest:
    credential_name: CredentialName
    target: S3Target


@dataclass(frozen=True, slots=True)
class RegisterS3Connector:
    connectors: ConnectorRepository
    probe_target: TargetProbe
    clock: Clock
    ids: IdSource

    async def __call__(self, caller: Caller, request: S3ConnectorRequest) -> Connector:
        # The early check spares the customer a probe; the unique index decides races.
        if await self.connectors.name_taken(caller, request.credential_name):
            raise credential_name_taken(request.credential_name)
        report = await self.probe_target(caller, request.target)
        failure = report.failure
        if failure is not None:  # a failed check's code is an ErrorCode, never "skipped"
            raise ProbeFailed(ErrorCode(failure.code or ""), failure.message)
        target = replace(request.target, region=report.bucket_region)
        connector = self._new_connector(caller, replace(request, target=target))
        await self.connectors.add(connector)
        return connector

    def _new_connector(self, caller: Caller, request: S3ConnectorRequest) -> Connector:
        now = self.clock.now()
        return Connector(
            id=self.ids.new_id(),
            owner=caller,
            credential_name=request.credential_name,
            connector_type=ConnectorType.S3,
            created_at=now,
            updated_at=now,
            s3=request.target,
        )
