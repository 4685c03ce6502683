from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.connector import Connector, ConnectorType
from domain.errors import NotFound
from domain.identity import Caller
from domain.pagination import Page, PageRequest
from domain.ports.connector_repository import ConnectorRepository
from domain.ports.credential_cache import CredentialCache


def connector_not_found(connector_id: UUID) -> NotFound:
    # Same answer for "never existed" and "someone else's": ids leak nothing.
    return NotFound(f"no connector {connector_id}")


@dataclass(frozen=True, slots=True)
class GetConnector:
    connectors: ConnectorRepository

    async def __call__(
        self, caller: Caller, connector_type: ConnectorType, connector_id: UUID
    ) -> Connector:
        connector = await self.connectors.get(caller, connector_type, connector_id)
        if connector is None:
            raise connector_not_found(connector_id)
        return connector


@dataclass(frozen=True, slots=True)
class ListConnectors:
    connectors: ConnectorRepository

    async def __call__(
        self, caller: Caller, connector_type: ConnectorType | None, page: PageRequest
    ) -> Page[Connector]:
        return await self.connectors.list(caller, connector_type, page)


@dataclass(frozen=True, slots=True)
class DeleteConnector:
    connectors: ConnectorRepository
    # Its vended credentials go with it: none is handed out once it is deleted.
    credentials: CredentialCache

    async def __call__(
        self, caller: Caller, connector_type: ConnectorType, connector_id: UUID
    ) -> None:
        if not await self.connectors.delete(caller, connector_type, connector_id):
            raise connector_not_found(connector_id)
        self.credentials.forget(connector_id)
