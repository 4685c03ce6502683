"""One contract for every connector and organisation store: the in-memory fakes,
piccolo on SQLite and piccolo on PostgreSQL behave alike (see conftest)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.connector import Connector, ConnectorType
from domain.credential_name import CredentialName
from domain.errors import DuplicateCredentialName, InvalidField
from domain.external_id import ExternalId
from domain.identity import Caller, OrgId
from domain.pagination import Cursor, PageRequest

from .builders import ALICE, ALICE_ELSEWHERE, BOB, T0, a_connector, name
from .stores import Store

pytestmark = pytest.mark.asyncio

S3 = ConnectorType.S3
EVERYTHING = PageRequest(limit=200)
MAX_PAGES = 50  # a cursor that does not advance must fail, not hang


def _is_valid_name(text: str) -> bool:
    try:
        CredentialName(text)
    except InvalidField:
        return False
    return True


# Any unicode a credential name allows (not only what the tests' authors thought of).
valid_names = st.text(min_size=1, max_size=128).filter(_is_valid_name)


async def all_pages(
    store: Store, limit: int, connector_type: ConnectorType | None = None
) -> list[Connector]:
    seen: list[Connector] = []
    after: Cursor | None = None
    for _ in range(MAX_PAGES):
        page = await store.connectors.list(ALICE, connector_type, PageRequest(limit, after))
        assert len(page.items) <= limit
        seen.extend(page.items)
        if page.next_cursor is None:
            return seen
        assert len(page.items) == limit
        # As a client would: through the opaque text.
        after = Cursor.decode(page.next_cursor.encode())
    raise AssertionError(f"still more pages after {MAX_PAGES}: {len(seen)} items seen")


# ------------------------------------------------------------------ round trip


async def test_a_stored_connector_comes_back_field_for_field(store: Store) -> None:
    connector = a_connector()
    await store.connectors.add(connector)

    got = await store.connectors.get(ALICE, S3, connector.id)

    assert got == connector
    assert got is not None and got.s3 is not None
    assert got.s3.bucket_uri.prefix == "exports/2026/daily/"
    assert got.s3.role_arn.path == "/service-role/bucketlink/"
    assert got.s3.bucket_owner.value == "012345678901"


@pytest.mark.parametrize("region", [None, "eu-west-1"])
async def test_the_bucket_s_region_comes_back_as_recorded(store: Store, region: str | None) -> None:
    connector = a_connector()
    assert connector.s3 is not None
    recorded = replace(connector, s3=replace(connector.s3, region=region))
    await store.connectors.add(recorded)

    assert await store.connectors.get(ALICE, S3, connector.id) == recorded


async def test_a_verify_records_the_bucket_s_region_it_found(store: Store) -> None:
    connector = a_connector()
    await store.connectors.add(connector)

    await store.connectors.record_bucket_region(connector.id, "ap-southeast-2")
    await store.connectors.record_bucket_region(uuid.uuid4(), "eu-west-1")  # none: no-op

    found = await store.connectors.get(ALICE, S3, connector.id)
    assert found is not None and found.s3 is not None
    assert found.s3.region == "ap-southeast-2"
    assert found == replace(connector, s3=replace(connector.s3, region="ap-southeast-2"))


async def test_times_come_back_in_utc_to_the_microsecond(store: Store) -> None:
    in_paris = timezone(timedelta(hours=1))
    created = datetime(2026, 11, 23, 11, 0, 0, 7, tzinfo=in_paris)
    connector = a_connector(created_at=created)
    await store.connectors.add(connector)

    got = await store.connectors.get(ALICE, S3, connector.id)

    assert got is not None
    assert got.created_at == created
    assert got.created_at.utcoffset() == timedelta(0)
    assert (got.created_at.hour, got.created_at.microsecond) == (10, 7)
    assert got.updated_at == created + timedelta(microseconds=1)


async def test_a_connector_of_another_type_keeps_no_s3_target(store: Store) -> None:
    connector = a_connector(connector_type=ConnectorType.SNOWFLAKE)
    await store.connectors.add(connector)

    assert await store.connectors.get(ALICE, ConnectorType.SNOWFLAKE, connector.id) == connector


async def test_a_naive_time_is_refused(store: Store) -> None:
    with pytest.raises(ValueError):
        await store.connectors.add(a_connector(created_at=datetime(2026, 1, 1)))


@settings(
    max_examples=15,
    deadline=None,
    # One store per test, not per example: each example uses its own owner.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    text=valid_names,
)
async def test_any_valid_name_round_trips(store: Store, text: str) -> None:
    owner = Caller(f"user-{uuid.uuid4()}", ALICE.org_id)
    connector = a_connector(owner, text)
    await store.connectors.add(connector)

    assert await store.connectors.name_taken(owner, CredentialName(text))
    assert await store.connectors.get(owner, S3, connector.id) == connector


# ------------------------------------------------------------------ scoping


@pytest.mark.parametrize(
    "stranger", [BOB, ALICE_ELSEWHERE], ids=["colleague", "same-sub-other-org"]
)
async def test_a_connector_does_not_exist_for_anyone_else(store: Store, stranger: Caller) -> None:
    connector = a_connector()
    await store.connectors.add(connector)
    assert stranger != ALICE

    assert await store.connectors.get(stranger, S3, connector.id) is None
    assert (await store.connectors.list(stranger, None, EVERYTHING)).items == ()
    assert not await store.connectors.name_taken(stranger, connector.credential_name)
    assert not await store.connectors.delete(stranger, S3, connector.id)
    assert await store.connectors.get(ALICE, S3, connector.id) == connector


async def test_a_connector_is_found_in_its_org_for_any_member_and_nowhere_else(
    store: Store,
) -> None:
    # What a service token of the org may reach (contract section 10).
    connector = a_connector()
    await store.connectors.add(connector)

    assert await store.connectors.get_in_org(ALICE.org_id, S3, connector.id) == connector
    assert await store.connectors.get_in_org(BOB.org_id, S3, connector.id) == connector
    assert await store.connectors.get_in_org(ALICE_ELSEWHERE.org_id, S3, connector.id) is None
    assert (
        await store.connectors.get_in_org(ALICE.org_id, ConnectorType.SNOWFLAKE, connector.id)
        is None
    )
    assert await store.connectors.get_in_org(ALICE.org_id, S3, uuid.uuid4()) is None


async def test_an_id_asked_for_under_the_wrong_type_is_not_there(store: Store) -> None:
    connector = a_connector()
    await store.connectors.add(connector)

    assert await store.connectors.get(ALICE, ConnectorType.SNOWFLAKE, connector.id) is None
    assert not await store.connectors.delete(ALICE, ConnectorType.SNOWFLAKE, connector.id)
    assert await store.connectors.get(ALICE, S3, connector.id) == connector


async def test_delete_removes_once(store: Store) -> None:
    connector = a_connector()
    await store.connectors.add(connector)

    assert await store.connectors.delete(ALICE, S3, connector.id)
    assert await store.connectors.get(ALICE, S3, connector.id) is None
    assert not await store.connectors.delete(ALICE, S3, connector.id)
    assert not await store.connectors.name_taken(ALICE, connector.credential_name)


async def test_an_unknown_id_is_not_there(store: Store) -> None:
    assert await store.connectors.get(ALICE, S3, uuid.uuid4()) is None
    assert not await store.connectors.delete(ALICE, S3, uuid.uuid4())


# ------------------------------------------------------------------ names


async def test_a_name_is_taken_once_stored(store: Store) -> None:
    assert not await store.connectors.name_taken(ALICE, CredentialName("warehouse"))
    await store.connectors.add(a_connector(name="warehouse"))

    assert await store.connectors.name_taken(ALICE, CredentialName("warehouse"))
    assert not await store.connectors.name_taken(ALICE, CredentialName("Warehouse"))


async def test_a_users_second_connector_by_the_same_name_is_refused(store: Store) -> None:
    first = a_connector(name="warehouse")
    await store.connectors.add(first)

    with pytest.raises(DuplicateCredentialName, match="'warehouse'"):
        await store.connectors.add(a_connector(name="warehouse"))

    assert (await store.connectors.list(ALICE, None, EVERYTHING)).items == (first,)


async def test_a_name_is_unique_across_connector_types(store: Store) -> None:
    await store.connectors.add(a_connector(name="warehouse"))

    with pytest.raises(DuplicateCredentialName):
        await store.connectors.add(
            a_connector(name="warehouse", connector_type=ConnectorType.SNOWFLAKE)
        )


async def test_other_users_may_use_the_same_name(store: Store) -> None:
    for owner in (ALICE, BOB, ALICE_ELSEWHERE):
        await store.connectors.add(a_connector(owner, "warehouse"))

    for owner in (ALICE, BOB, ALICE_ELSEWHERE):
        assert len((await store.connectors.list(owner, None, EVERYTHING)).items) == 1


# ------------------------------------------------------------------ listing


async def test_listing_is_newest_first_then_by_id(store: Store) -> None:
    tie = T0 + timedelta(seconds=5)
    connectors = [
        a_connector(name=name(1), created_at=T0),
        a_connector(name=name(2), created_at=T0 + timedelta(microseconds=1)),
        *[a_connector(name=name(n), created_at=tie) for n in range(3, 7)],
        a_connector(name=name(7), created_at=T0 + timedelta(days=400)),
    ]
    for connector in connectors:
        await store.connectors.add(connector)

    page = await store.connectors.list(ALICE, None, EVERYTHING)

    expected = sorted(connectors, key=lambda c: (c.created_at, c.id), reverse=True)
    assert list(page.items) == expected
    assert page.next_cursor is None


@pytest.mark.parametrize("limit", [1, 2, 3, 9, 10])
async def test_pages_cover_the_listing_once_across_ties(store: Store, limit: int) -> None:
    # Whole seconds are in the mix on purpose: SQLite compares stored times as text.
    whole_second = T0.replace(microsecond=0)
    times = [
        *[whole_second] * 2,
        *[T0] * 4,
        T0 + timedelta(microseconds=1),
        T0 + timedelta(hours=1),
        whole_second - timedelta(microseconds=1),
    ]
    connectors = [a_connector(name=name(n), created_at=t) for n, t in enumerate(times)]
    for connector in connectors:
        await store.connectors.add(connector)

    seen = await all_pages(store, limit)

    assert seen == sorted(connectors, key=lambda c: (c.created_at, c.id), reverse=True)


async def test_a_full_last_page_says_there_is_no_more(store: Store) -> None:
    for n in range(4):
        await store.connectors.add(a_connector(name=name(n), created_at=T0 + timedelta(seconds=n)))

    first = await store.connectors.list(ALICE, None, PageRequest(limit=2))
    assert first.next_cursor is not None
    second = await store.connectors.list(ALICE, None, PageRequest(2, first.next_cursor))

    assert len(second.items) == 2
    assert second.next_cursor is None


async def test_a_cursor_in_another_time_zone_means_the_same_instant(store: Store) -> None:
    older, newer = (a_connector(name=name(n), created_at=T0 + timedelta(seconds=n)) for n in (0, 1))
    await store.connectors.add(older)
    await store.connectors.add(newer)

    in_tokyo = newer.created_at.astimezone(timezone(timedelta(hours=9)))
    page = await store.connectors.list(ALICE, None, PageRequest(10, Cursor(in_tokyo, newer.id)))

    assert page.items == (older,)


async def test_listing_filters_by_connector_type(store: Store) -> None:
    s3 = [a_connector(name=name(n), created_at=T0 + timedelta(seconds=n)) for n in range(3)]
    snowflake = a_connector(name="snow", connector_type=ConnectorType.SNOWFLAKE)
    for connector in [*s3, snowflake]:
        await store.connectors.add(connector)

    only_s3 = await all_pages(store, 2, S3)
    only_snowflake = await store.connectors.list(ALICE, ConnectorType.SNOWFLAKE, EVERYTHING)

    assert only_s3 == s3[::-1]
    assert only_snowflake.items == (snowflake,)
    assert len(await all_pages(store, 2)) == 4


async def test_an_empty_listing(store: Store) -> None:
    page = await store.connectors.list(ALICE, None, PageRequest(limit=1))

    assert page.items == ()
    assert page.next_cursor is None


# ------------------------------------------------------------------ organisations


async def test_an_org_has_no_external_id_until_one_is_ensured(store: Store) -> None:
    assert await store.organisations.external_id(OrgId(7)) is None


async def test_the_first_external_id_stored_stays_forever(store: Store) -> None:
    first = ExternalId("first-" + "a" * 32)

    assert await store.organisations.ensure_external_id(OrgId(7), first) == first
    for n in range(3):
        later = ExternalId(f"later-{n}-" + "b" * 32)
        assert await store.organisations.ensure_external_id(OrgId(7), later) == first
    assert await store.organisations.external_id(OrgId(7)) == first


async def test_each_org_has_its_own_external_id(store: Store) -> None:
    mine, theirs = ExternalId("m" * 32), ExternalId("t" * 32)
    await store.organisations.ensure_external_id(OrgId(7), mine)
    await store.organisations.ensure_external_id(OrgId(8), theirs)

    assert await store.organisations.external_id(OrgId(7)) == mine
    assert await store.organisations.external_id(OrgId(8)) == theirs


async def test_an_org_id_as_wide_as_a_bigint_is_stored(store: Store) -> None:
    widest = OrgId(2**63 - 1)
    external_id = ExternalId("w" * 32)

    assert await store.organisations.ensure_external_id(widest, external_id) == external_id
    connector = a_connector(Caller("alice", widest))
    await store.connectors.add(connector)
    assert await store.connectors.get(connector.owner, S3, connector.id) == connector
