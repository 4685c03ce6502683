from __future__ import annotations

from datetime import datetime
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
from adapters.persistence.piccolo.tables import CompanyBucketCountTable, ManagedBucketTable
from adapters.persistence.stored_time import utc
from domain.identity import OrgId
from domain.managed_bucket import (
    ChangeLease,
    ManagedBucket,
    access_locked_meanwhile,
    bucket_busy,
    bucket_not_found,
    claim_lost,
)
from domain.pagination import Page, PageRequest


class PiccoloManagedBucketRepository:
    """Managed buckets in SQLite or PostgreSQL, on the engine it is given."""

    def __init__(self, engine: DatabaseEngine) -> None:
        self._table = bound_to(ManagedBucketTable, engine)
        self._counts = bound_to(CompanyBucketCountTable, engine)

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

    async def claim(
        self, company: OrgId, bucket_id: UUID, lease: ChangeLease, now: datetime
    ) -> ManagedBucket:
        # One statement: of two instances claiming at once, one matches the
        # free (or lapsed) lease and the other then finds it held.
        table = self._table
        free = table.change_lease.is_null() | (table.change_lease_until <= utc(now))
        query = (
            table.update(change_lease=lease.token, change_lease_until=utc(lease.until))
            .where(self._the_one(company, bucket_id) & free)
            .returning(*table.all_columns())
        )
        with database_errors():
            claimed = await query.run()
        if claimed:
            return to_managed_bucket(claimed[0])
        if await self.get(company, bucket_id) is None:
            raise bucket_not_found(bucket_id)
        raise bucket_busy(bucket_id)

    async def commit_grant(self, bucket: ManagedBucket, lease: ChangeLease) -> None:
        table = self._table
        ours = (table.change_lease == lease.token) & (table.is_access_mutable == True)  # noqa: E712
        query = (
            table.update(**changeable_columns(bucket), change_lease=None, change_lease_until=None)
            .where(self._the_one(bucket.company_id, bucket.id) & ours)
            .returning(table.id)
        )
        with database_errors():
            committed = await query.run()
        if not committed:
            raise await self._why_not_committed(bucket, lease)

    async def release(self, bucket_id: UUID, lease: ChangeLease) -> None:
        table = self._table
        query = table.update(change_lease=None, change_lease_until=None).where(
            (table.id == bucket_id) & (table.change_lease == lease.token)
        )
        with database_errors():
            await query.run()

    async def set_access_mutable(
        self, bucket_id: UUID, mutable: bool, now: datetime
    ) -> ManagedBucket | None:
        table = self._table
        query = (
            table.update(is_access_mutable=mutable, updated_at=utc(now))
            .where(table.id == bucket_id)
            .returning(*table.all_columns())
        )
        with database_errors():
            changed = await query.run()
        return to_managed_bucket(changed[0]) if changed else None

    async def delete(self, company: OrgId, bucket_id: UUID, lease: ChangeLease) -> bool:
        table = self._table
        query = (
            table.delete()
            .where(self._the_one(company, bucket_id) & (table.change_lease == lease.token))
            .returning(table.id)
        )
        with database_errors():
            deleted = await query.run()
        if deleted:
            # After the row: a crash between the two leaves a slot taken, which
            # errs on the side of the cap.
            await self.give_back_slot(company)
        return bool(deleted)

    async def take_slot(self, company: OrgId, limit: int) -> bool:
        counts = self._counts
        first = counts(company_id=company.value, buckets=0)
        # One statement decides: of racing callers at limit - 1, one matches.
        add_one = (
            counts.update({counts.buckets: counts.buckets + 1})
            .where((counts.company_id == company.value) & (counts.buckets < limit))
            .returning(counts.buckets)
        )
        with database_errors():
            await counts.insert(first).on_conflict(action="DO NOTHING").run()
            taken = await add_one.run()
        return bool(taken)

    async def give_back_slot(self, company: OrgId) -> None:
        counts = self._counts
        query = counts.update({counts.buckets: counts.buckets - 1}).where(
            (counts.company_id == company.value) & (counts.buckets > 0)
        )
        with database_errors():
            await query.run()

    async def _why_not_committed(self, bucket: ManagedBucket, lease: ChangeLease) -> Exception:
        table = self._table
        query = (
            table.select(table.change_lease, table.is_access_mutable)
            .where(self._the_one(bucket.company_id, bucket.id))
            .first()
        )
        with database_errors():
            row = await query.run()
        if row is None:
            return bucket_not_found(bucket.id)
        if row["change_lease"] != lease.token:
            return claim_lost(bucket.id)
        return access_locked_meanwhile(bucket.id)

    async def _first(self, where: Combinable) -> ManagedBucket | None:
        query = self._table.select().where(where).first()
        with database_errors():
            row = await query.run()
        return None if row is None else to_managed_bucket(row)

    def _the_one(self, company: OrgId, bucket_id: UUID) -> Combinable:
        table = self._table
        return (table.id == bucket_id) & (table.company_id == company.value)
