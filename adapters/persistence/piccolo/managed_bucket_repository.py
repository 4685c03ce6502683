from __future__ import annotations

from uuid import UUID

from piccolo.custom_types import Combinable

from adapters.persistence.duplicate_bucket_name import DuplicateBucketName
from adapters.persistence.keyset_pages import page_of
from adapters.persistence.piccolo.binding import bound_to
from adapters.persistence.piccolo.database_errors import (
    MANAGED_BUCKET_NAME,
    database_errors,
    refused_by,
)
from adapters.persistence.piccolo.engine import DatabaseEngine
from adapters.persistence.piccolo.keyset import newest_first
from adapters.persistence.piccolo.managed_bucket_rows import (
    changeable_columns,
    to_managed_bucket,
    to_row,
)
from adapters.persistence.piccolo.tables import ManagedBucketTable
from domain.errors import NotFound
from domain.identity import OrgId
from domain.managed_bucket import ManagedBucket
from domain.pagination import Page, PageRequest


class PiccoloManagedBucketRepository:
    """Managed buckets in SQLite or PostgreSQL, on the engine it is given."""

    def __init__(self, engine: DatabaseEngine) -> None:
        self._table = bound_to(ManagedBucketTable, engine)

    async def add(self, bucket: ManagedBucket) -> None:
        row = self._table(**to_row(bucket))
        with refused_by(MANAGED_BUCKET_NAME, DuplicateBucketName(bucket.name)), database_errors():
            await self._table.insert(row).run()

    async def get(self, company: OrgId, bucket_id: UUID) -> ManagedBucket | None:
        return await self._first(self._the_one(company, bucket_id))

    async def find(self, bucket_id: UUID) -> ManagedBucket | None:
        return await self._first(self._table.id == bucket_id)

    async def list(self, company: OrgId, page: PageRequest) -> Page[ManagedBucket]:
        theirs = {"company_id": company.value}
        query = newest_first(self._table, theirs, page.after, page.limit + 1)
        with database_errors():
            rows = await query.run()
        return page_of([to_managed_bucket(row) for row in rows], page.limit)

    async def update(self, bucket: ManagedBucket) -> None:
        table = self._table
        query = (
            table.update(**changeable_columns(bucket))
            .where(self._the_one(bucket.company_id, bucket.id))
            .returning(table.id)
        )
        with database_errors():
            updated = await query.run()
        if not updated:
            raise NotFound(f"managed bucket {bucket.id} is not there (deleted meanwhile?)")

    async def delete(self, company: OrgId, bucket_id: UUID) -> bool:
        table = self._table
        query = table.delete().where(self._the_one(company, bucket_id)).returning(table.id)
        with database_errors():
            deleted = await query.run()
        return bool(deleted)

    async def _first(self, where: Combinable) -> ManagedBucket | None:
        query = self._table.select().where(where).first()
        with database_errors():
            row = await query.run()
        return None if row is None else to_managed_bucket(row)

    def _the_one(self, company: OrgId, bucket_id: UUID) -> Combinable:
        table = self._table
        return (table.id == bucket_id) & (table.company_id == company.value)
