"""What a contract test is given: every repository of one kind of store."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from adapters.fakes.in_memory_connectors import InMemoryConnectorRepository
from adapters.fakes.in_memory_managed_buckets import InMemoryManagedBucketRepository
from adapters.fakes.in_memory_organisations import InMemoryOrganisationRepository
from adapters.persistence.piccolo import (
    PiccoloConnectorRepository,
    PiccoloManagedBucketRepository,
    PiccoloOrganisationRepository,
)
from adapters.persistence.piccolo.engine import DatabaseEngine
from domain.ports.connector_repository import ConnectorRepository
from domain.ports.managed_bucket_repository import ManagedBucketRepository
from domain.ports.organisation_repository import OrganisationRepository


@dataclass(frozen=True)
class Store:
    kind: str
    connectors: ConnectorRepository
    organisations: OrganisationRepository
    buckets: ManagedBucketRepository
    # Rows in a table, counted around the repositories; None for the fakes.
    count_rows: Callable[[str], Awaitable[int]] | None = None


def in_memory_store() -> Store:
    return Store(
        "memory",
        InMemoryConnectorRepository(),
        InMemoryOrganisationRepository(),
        InMemoryManagedBucketRepository(),
    )


def piccolo_store(kind: str, engine: DatabaseEngine) -> Store:
    async def count_rows(table: str) -> int:
        rows = await engine.run_ddl(f"SELECT COUNT(*) AS n FROM {table}")
        return int(rows[0]["n"])

    return Store(
        kind,
        PiccoloConnectorRepository(engine),
        PiccoloOrganisationRepository(engine),
        PiccoloManagedBucketRepository(engine),
        count_rows,
    )
