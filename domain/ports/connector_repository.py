from __future__ import annotations

from typing import Protocol
from uuid import UUID

from domain.connector import Connector, ConnectorType
from domain.credential_name import CredentialName
from domain.identity import Caller, OrgId
from domain.pagination import Page, PageRequest


class ConnectorRepository(Protocol):
    """Connectors, always scoped to their owner: another user's connector is
    simply not there. May raise ``DatabaseUnavailable``."""

    async def add(self, connector: Connector) -> None:
        """Store a new connector; ``DuplicateCredentialName`` if the owner already
        has one by that name (decided by the store, so races end in one row)."""
        ...

    async def name_taken(self, owner: Caller, name: CredentialName) -> bool: ...

    async def get(
        self, owner: Caller, connector_type: ConnectorType, connector_id: UUID
    ) -> Connector | None: ...

    async def get_in_org(
        self, org: OrgId, connector_type: ConnectorType, connector_id: UUID
    ) -> Connector | None:
        """Any user's connector of ``org`` (for a service of that org): another
        organisation's is not there."""
        ...

    async def record_bucket_region(self, connector_id: UUID, region: str) -> None:
        """What HeadBucket now says the connector's bucket's region is (a verify saw
        it); a connector since deleted is left deleted."""
        ...

    async def list(
        self, owner: Caller, connector_type: ConnectorType | None, page: PageRequest
    ) -> Page[Connector]:
        """Newest first (``created_at`` then ``id``, both descending)."""
        ...

    async def delete(
        self, owner: Caller, connector_type: ConnectorType, connector_id: UUID
    ) -> bool:
        """True if a connector was deleted."""
        ...
