from __future__ import annotations

from uuid import UUID

from piccolo.custom_types import Combinable

from adapters.persistence.keyset_pages import page_of
from adapters.persistence.piccolo.binding import bound_to
from adapters.persistence.piccolo.connector_rows import to_connector, to_row
from adapters.persistence.piccolo.database_errors import (
    CONNECTOR_OWNER_NAME,
    database_errors,
    refused_by,
)
from adapters.persistence.piccolo.engine import DatabaseEngine
from adapters.persistence.piccolo.keyset import newest_first
from adapters.persistence.piccolo.tables import ConnectorTable
from domain.connector import Connector, ConnectorType
from domain.credential_name import CredentialName, credential_name_taken
from domain.identity import Caller, OrgId
from domain.pagination import Page, PageRequest

# The queries every create or read makes, written out: piccolo's query builder
# cost more than the queries themselves (docs/performance.md).
_NAME_TAKEN = (
    "SELECT 1 FROM connector WHERE org_id = {} AND user_id = {} AND credential_name = {} LIMIT 1"
)
_ONE_CONNECTOR = (
    "SELECT * FROM connector WHERE id = {} AND org_id = {} AND user_id = {} AND connector_type = {}"
)
_RECORD_REGION = "UPDATE connector SET verified_bucket_region = {} WHERE id = {}"
_ONE_OF_ORG = "SELECT * FROM connector WHERE id = {} AND org_id = {} AND connector_type = {}"


class PiccoloConnectorRepository:
    """Connectors in SQLite or PostgreSQL, on the engine it is given."""

    def __init__(self, engine: DatabaseEngine) -> None:
        self._table = bound_to(ConnectorTable, engine)

    async def add(self, connector: Connector) -> None:
        row = self._table(**to_row(connector))
        duplicate = credential_name_taken(connector.credential_name)
        with refused_by(CONNECTOR_OWNER_NAME, duplicate), database_errors():
            await self._table.insert(row).run()

    async def name_taken(self, owner: Caller, name: CredentialName) -> bool:
        query = self._table.raw(_NAME_TAKEN, owner.org_id.value, owner.user_id, name.value)
        with database_errors():
            return bool(await query.run())

    async def get(
        self, owner: Caller, connector_type: ConnectorType, connector_id: UUID
    ) -> Connector | None:
        query = self._table.raw(
            _ONE_CONNECTOR, connector_id, owner.org_id.value, owner.user_id, connector_type.value
        )
        with database_errors():
            rows = await query.run()
        return to_connector(rows[0]) if rows else None

    async def get_in_org(
        self, org: OrgId, connector_type: ConnectorType, connector_id: UUID
    ) -> Connector | None:
        query = self._table.raw(_ONE_OF_ORG, connector_id, org.value, connector_type.value)
        with database_errors():
            rows = await query.run()
        return to_connector(rows[0]) if rows else None

    async def record_bucket_region(self, connector_id: UUID, region: str) -> None:
        with database_errors():
            await self._table.raw(_RECORD_REGION, region, connector_id).run()

    async def list(
        self, owner: Caller, connector_type: ConnectorType | None, page: PageRequest
    ) -> Page[Connector]:
        theirs: dict[str, object] = {"org_id": owner.org_id.value, "user_id": owner.user_id}
        if connector_type is not None:
            theirs["connector_type"] = connector_type.value
        query = newest_first(self._table, theirs, page.after, page.limit + 1)
        with database_errors():
            rows = await query.run()
        return page_of([to_connector(row) for row in rows], page.limit)

    async def delete(
        self, owner: Caller, connector_type: ConnectorType, connector_id: UUID
    ) -> bool:
        table = self._table
        query = table.delete().where(self._the_one(owner, connector_type, connector_id))
        with database_errors():
            deleted = await query.returning(table.id).run()
        return bool(deleted)

    def _owned_by(self, owner: Caller) -> Combinable:
        table = self._table
        return (table.org_id == owner.org_id.value) & (table.user_id == owner.user_id)

    def _the_one(
        self, owner: Caller, connector_type: ConnectorType, connector_id: UUID
    ) -> Combinable:
        table = self._table
        return (
            self._owned_by(owner)
            & (table.id == connector_id)
            & (table.connector_type == connector_type.value)
        )
