"""Concurrent callers racing for one name or one external id end with one row,
decided by the database (see ``test_repository_contract`` for the stores)."""

from __future__ import annotations

import asyncio

import pytest

from domain.errors import DuplicateCredentialName
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.pagination import PageRequest

from .builders import ALICE, a_connector
from .stores import Store

pytestmark = pytest.mark.asyncio

RACERS = 10


async def test_racing_adds_of_one_name_store_exactly_one(store: Store) -> None:
    contenders = [a_connector(name="warehouse") for _ in range(RACERS)]

    results = await asyncio.gather(
        *(store.connectors.add(c) for c in contenders), return_exceptions=True
    )

    winners = [c for c, result in zip(contenders, results, strict=True) if result is None]
    losers = [r for r in results if r is not None]
    assert len(winners) == 1
    assert len(losers) == RACERS - 1
    assert all(isinstance(r, DuplicateCredentialName) for r in losers), losers
    listed = await store.connectors.list(ALICE, None, PageRequest(limit=200))
    assert listed.items == (winners[0],)
    if store.count_rows is not None:
        assert await store.count_rows("connector") == 1


async def test_racing_first_uses_of_an_org_agree_on_one_external_id(store: Store) -> None:
    org = OrgId(42)
    candidates = [ExternalId(f"candidate-{n:02d}-" + "x" * 32) for n in range(RACERS)]

    results = await asyncio.gather(
        *(store.organisations.ensure_external_id(org, c) for c in candidates)
    )

    assert len(set(results)) == 1
    assert results[0] in candidates
    assert await store.organisations.external_id(org) == results[0]
    if store.count_rows is not None:
        assert await store.count_rows("organisation") == 1


async def test_concurrent_writers_of_different_names_all_succeed(store: Store) -> None:
    # SQLite has one writer at a time: the others must wait, not fail.
    contenders = [a_connector(name=f"connector-{n}") for n in range(RACERS * 2)]

    await asyncio.gather(*(store.connectors.add(c) for c in contenders))

    listed = await store.connectors.list(ALICE, None, PageRequest(limit=200))
    assert len(listed.items) == len(contenders)
