from __future__ import annotations

from datetime import UTC, datetime

from adapters.persistence.piccolo.binding import bound_to
from adapters.persistence.piccolo.database_errors import database_errors
from adapters.persistence.piccolo.engine import DatabaseEngine
from adapters.persistence.piccolo.tables import OrganisationTable
from domain.external_id import ExternalId
from domain.identity import OrgId

_EXTERNAL_ID = "SELECT external_id FROM organisation WHERE org_id = {}"


class PiccoloOrganisationRepository:
    """Organisations' external ids in SQLite or PostgreSQL, on the engine given."""

    def __init__(self, engine: DatabaseEngine) -> None:
        self._table = bound_to(OrganisationTable, engine)

    async def external_id(self, org: OrgId) -> ExternalId | None:
        # Read on every probe: written out, as piccolo's builder costs more than
        # the query itself (docs/performance.md).
        query = self._table.raw(_EXTERNAL_ID, org.value)
        with database_errors():
            rows = await query.run()
        return ExternalId(rows[0]["external_id"]) if rows else None

    async def ensure_external_id(self, org: OrgId, candidate: ExternalId) -> ExternalId:
        # Insert-if-absent, then read: whoever raced, everyone reads the one row
        # the primary key let in.
        table = self._table
        row = table(org_id=org.value, external_id=candidate.value, created_at=datetime.now(UTC))
        insert = table.insert(row).on_conflict(target=table.org_id, action="DO NOTHING")
        with database_errors():
            await insert.run()
        stored = await self.external_id(org)
        if stored is None:
            raise RuntimeError(f"organisation {org} has no external id right after storing one")
        return stored
