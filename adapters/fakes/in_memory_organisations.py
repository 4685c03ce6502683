from __future__ import annotations

from domain.external_id import ExternalId
from domain.identity import OrgId


class InMemoryOrganisationRepository:
    """Each organisation's external id in a dict; the first one stored stays."""

    def __init__(self) -> None:
        self._external_ids: dict[OrgId, ExternalId] = {}

    async def external_id(self, org: OrgId) -> ExternalId | None:
        return self._external_ids.get(org)

    async def ensure_external_id(self, org: OrgId, candidate: ExternalId) -> ExternalId:
        return self._external_ids.setdefault(org, candidate)
