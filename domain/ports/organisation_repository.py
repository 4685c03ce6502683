from __future__ import annotations

from typing import Protocol

from domain.external_id import ExternalId
from domain.identity import OrgId


class OrganisationRepository(Protocol):
    async def external_id(self, org: OrgId) -> ExternalId | None: ...

    async def ensure_external_id(self, org: OrgId, candidate: ExternalId) -> ExternalId:
        """The org's external id, storing ``candidate`` if it has none yet.

        Atomic in the store: when two callers race, both get the one that won.
        """
        ...
