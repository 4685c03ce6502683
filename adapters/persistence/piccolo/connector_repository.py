from __future__ import annotations

import sqlite3
from uuid import UUID

import asyncpg.exceptions as pg
from piccolo.custom_types import Combinable
from piccolo.query.methods.select import Select

from adapters.persistence.piccolo.binding import bound_to
from adapters.persistence.piccolo.connector_rows import to_connector, to_row, utc
from adapters.persistence.piccolo.database_errors import database_errors, is_duplicate_owner_name
from adapters.persistence.piccolo.engine import DatabaseEngine
from adapters.persistence.piccolo.tables import ConnectorTable
from domain.connector import Connector, ConnectorType
from domain.credential_name import CredentialName
from domain.errors import DuplicateCredentialName
from domain.identity import Caller
from domain.pagination import Cursor, Page, PageRequest


class PiccoloConnectorRepository:
    """Connectors in SQLite or PostgreSQL, on the engine it is given."""

    def __init__(self, engine: DatabaseEngine) -> None:
        self._table = bound_to(ConnectorTable, engine)

    async def add(self, connector: Connector) -> None:
        row = self._table(**to_row(connector))
        try:
            with database_errors():
                await self._table.insert(row).run()
        except (sqlite3.IntegrityError, pg.UniqueViolationError) as error:
            if not is_duplicate_owner_name(error):
                raise
            raise DuplicateCredentialName(
                f"you already have a connector named {connector.credential_name.value!r}"
            ) from None

    async def name_taken(self, owner: Caller, name: CredentialName) -> bool:
        table = self._table
        query = table.exists().where(self._owned_by(owner), table.credential_name == name.value)
        with database_errors():
            return bool(await query.run())

    async def get(
        self, owner: Caller, connector_type: ConnectorType, connector_id: UUID
    ) -> Connector | None:
        query = self._table.select().where(self._the_one(owner, connector_type, connector_id))
        with database_errors():
            row = await query.first().run()
        return None if row is None else to_connector(row)

    async def list(
        self, owner: Caller, connector_type: ConnectorType | None, page: PageRequest
    ) -> Page[Connector]:
        query = self._newest_first(owner, connector_type, page.after).limit(page.limit + 1)
        with database_errors():
            rows = await query.run()
        connectors = tuple(to_connector(row) for row in rows)
        return _page(connectors, page.limit)

    async def delete(
        self, owner: Caller, connector_type: ConnectorType, connector_id: UUID
    ) -> bool:
        table = self._table
        query = table.delete().where(self._the_one(owner, connector_type, connector_id))
        with database_errors():
            deleted = await query.returning(table.id).run()
        return bool(deleted)

    def _newest_first(
        self, owner: Caller, connector_type: ConnectorType | None, after: Cursor | None
    ) -> Select[ConnectorTable]:
        table = self._table
        query = table.select().where(self._owned_by(owner))
        if connector_type is not None:
            query = query.where(table.connector_type == connector_type.value)
        if after is not None:
            query = query.where(self._older_than(after))
        return query.order_by(table.created_at, table.id, ascending=False)

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

    def _older_than(self, cursor: Cursor) -> Combinable:
        # Keyset: strictly after the cursor in (created_at, id) descending order,
        # so ties in created_at are split by id and no row is seen twice. SQLite
        # compares the times as text, which orders them right because piccolo
        # writes every aware time in UTC in one format ('+' sorts before '.', so
        # a whole second comes before its fractions).
        table = self._table
        created_at = utc(cursor.created_at)
        return (table.created_at < created_at) | (
            (table.created_at == created_at) & (table.id < cursor.id)
        )


def _page(connectors: tuple[Connector, ...], limit: int) -> Page[Connector]:
    if len(connectors) <= limit:
        return Page(connectors, None)
    last = connectors[limit - 1]
    return Page(connectors[:limit], Cursor(last.created_at, last.id))
