from __future__ import annotations

from dataclasses import dataclass

from application.external_ids import OrgExternalIds
from domain.account_id import AccountId
from domain.connector import S3Target
from domain.identity import Caller
from domain.ports.access_probe import AccessProbe
from domain.ports.secret_source import SecretSource
from domain.probe import ProbeReport, ProbeRequest


@dataclass(frozen=True, slots=True)
class TargetProbe:
    """Probes an S3 target as the caller's org: the external id always comes
    from the org, never from the request, and the role is never the platform's."""

    external_ids: OrgExternalIds
    probe: AccessProbe
    platform_account: AccountId
    secrets: SecretSource

    async def __call__(self, caller: Caller, target: S3Target) -> ProbeReport:
        target.refuse_platform_role(self.platform_account)
        external_id = await self.external_ids.for_org(caller.org_id)
        return await self.probe.probe(
            ProbeRequest(
                role=target.role_arn,
                target=target.bucket_uri,
                bucket_owner=target.bucket_owner,
                external_id=external_id,
                org_id=caller.org_id,
                # Made like an org's, so it is one no trust policy has been written for.
                decoy_external_id=self.secrets.new_external_id(),
            )
        )
