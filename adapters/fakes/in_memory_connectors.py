from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from adapters.persistence.keyset_pages import newest_first_after, page_of
from adapters.persistence.stored_time import utc
from domain.connector import Connector, ConnectorType
from domain.credential_name import CredentialName, credential_name_taken
from domain.identity import Caller, OrgId
from domain.pagination import Page, PageRequest


class InMemoryConnectorRepository:
    """Connectors in a dict, under the database's rules: a name is unique per
    user across types, a connector exists only for its owner, listings are
    newest first in keyset pages, times come back in UTC."""

    def __init__(self) -> None:
        self._connectors: dict[UUID, Connector] = {}

    async def add(self, connector: Connector) -> None:
        # No await between check and write: concurrent adds end in one row.
        if connector.id in self._connectors:
            raise ValueError(f"a connector with id {connector.id} is already stored")
        if self._name_taken(connector.owner, connector.credential_name):
            raise credential_name_taken(connector.credential_name)
        self._connectors[connector.id] = _as_stored(connector)

    async def name_taken(self, owner: Caller, name: CredentialName) -> bool:
        return self._name_taken(owner, name)

    async def get(
        self, owner: Caller, connector_type: ConnectorType, connector_id: UUID
    ) -> Connector | None:
        connector = self._connectors.get(connector_id)
        if connector is None or connector.owner != owner:
            return None
        return connector if connector.connector_type is connector_type else None

    async def get_in_org(
        self, org: OrgId, connector_type: ConnectorType, connector_id: UUID
    ) -> Connector | None:
        connector = self._connectors.get(connector_id)
        if connector is None or connector.owner.org_id != org:
            return None
        return connector if connector.connector_type is connector_type else None

    async def record_bucket_region(self, connector_id: UUID, region: str) -> None:
        connector = self._connectors.get(connector_id)
        if connector is not None and connector.s3 is not None:
            s3 = replace(connector.s3, region=region)
            self._connectors[connector_id] = replace(connector, s3=s3)

    async def list(
        self, owner: Caller, connector_type: ConnectorType | None, page: PageRequest
    ) -> Page[Connector]:
        theirs = (
            c
            for c in self._connectors.values()
            if c.owner == owner and connector_type in (None, c.connector_type)
        )
        return page_of(newest_first_after(theirs, page.after), page.limit)

    async def delete(
        self, owner: Caller, connector_type: ConnectorType, connector_id: UUID
    ) -> bool:
        if await self.get(owner, connector_type, connector_id) is None:
            return False
        del self._connectors[connector_id]
        return True

    def _name_taken(self, owner: Caller, name: CredentialName) -> bool:
        return any(
            c.owner == owner and c.credential_name == name for c in self._connectors.values()
        )


def _as_stored(connector: Connector) -> Connector:
    """As a database returns it: times in UTC; a naive time refused, as the
    real adapter does, since which instant it means is a guess."""
    return replace(
        connector,
        created_at=utc(connector.created_at),
        updated_at=utc(connector.updated_at),
    )
