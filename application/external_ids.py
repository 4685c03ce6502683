from __future__ import annotations

from dataclasses import dataclass

from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.ports.organisation_repository import OrganisationRepository
from domain.ports.secret_source import SecretSource


@dataclass(frozen=True, slots=True)
class OrgExternalIds:
    """Every org has one external id, made on first use and never changed."""

    organisations: OrganisationRepository
    secrets: SecretSource

    async def for_org(self, org: OrgId) -> ExternalId:
        existing = await self.organisations.external_id(org)
        if existing is not None:
            return existing
        return await self.organisations.ensure_external_id(org, self.secrets.new_external_id())
