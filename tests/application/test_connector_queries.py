from __future__ import annotations

from uuid import uuid4

import pytest

from domain.connector import Connector, ConnectorType
from domain.errors import NotFound
from domain.identity import Caller
from domain.pagination import PageRequest

from .conftest import (
    ALICE,
    ALICE_AT_ORG_2,
    BOB,
    Platform,
    listing,
    ready_customer,
    register,
)

SOMEONE_ELSE = pytest.mark.parametrize(
    "someone_else", [BOB, ALICE_AT_ORG_2], ids=["colleague", "same user id in another org"]
)


async def register_several(platform: Platform, caller: Caller, count: int) -> list[Connector]:
    """``count`` connectors, one second apart, oldest first."""
    target = await ready_customer(platform, caller)
    made = []
    for n in range(count):
        made.append(await register(platform, caller, f"connector-{n}", target))
        platform.clock.advance()
    return made


@pytest.fixture
async def connector(platform: Platform) -> Connector:
    return await register(platform, ALICE, "warehouse", await ready_customer(platform, ALICE))


# -- listing --


async def test_the_list_is_newest_first(platform: Platform) -> None:
    made = await register_several(platform, ALICE, 4)

    page = await platform.app.list_connectors(ALICE, None, PageRequest())

    assert list(page.items) == made[::-1]
    assert page.next_cursor is None


async def test_pages_of_limit_items_follow_each_other_by_cursor(platform: Platform) -> None:
    made = await register_several(platform, ALICE, 5)

    first = await platform.app.list_connectors(ALICE, None, PageRequest(limit=2))
    assert first.next_cursor is not None
    second = await platform.app.list_connectors(ALICE, None, PageRequest(2, first.next_cursor))
    assert second.next_cursor is not None
    last = await platform.app.list_connectors(ALICE, None, PageRequest(2, second.next_cursor))

    assert [list(p.items) for p in (first, second, last)] == [made[4:2:-1], made[2:0:-1], made[:1]]
    assert last.next_cursor is None


async def test_a_page_exactly_as_long_as_what_is_left_has_no_next_cursor(
    platform: Platform,
) -> None:
    await register_several(platform, ALICE, 3)

    page = await platform.app.list_connectors(ALICE, None, PageRequest(limit=3))

    assert len(page.items) == 3
    assert page.next_cursor is None


async def test_connectors_made_in_the_same_instant_are_each_listed_once_across_pages(
    platform: Platform,
) -> None:
    target = await ready_customer(platform, ALICE)
    made = {(await register(platform, ALICE, f"c{n}", target)).id for n in range(5)}

    seen: list[Connector] = []
    page = await platform.app.list_connectors(ALICE, None, PageRequest(limit=1))
    seen.extend(page.items)
    while page.next_cursor is not None:
        page = await platform.app.list_connectors(ALICE, None, PageRequest(1, page.next_cursor))
        seen.extend(page.items)

    assert [c.id for c in seen] == sorted(made, reverse=True)


async def test_filtering_by_type_lists_only_that_type(
    platform: Platform, connector: Connector
) -> None:
    assert await listing(platform.app, ALICE, ConnectorType.S3) == [connector]
    assert await listing(platform.app, ALICE, ConnectorType.SNOWFLAKE) == []


async def test_a_new_user_has_an_empty_list(platform: Platform) -> None:
    page = await platform.app.list_connectors(ALICE, None, PageRequest())

    assert (page.items, page.next_cursor) == ((), None)


# -- tenancy --


@SOMEONE_ELSE
async def test_someone_elses_connectors_are_not_in_my_list(
    platform: Platform, connector: Connector, someone_else: Caller
) -> None:
    assert await listing(platform.app, someone_else) == []


@SOMEONE_ELSE
async def test_someone_elses_connector_is_not_found(
    platform: Platform, connector: Connector, someone_else: Caller
) -> None:
    with pytest.raises(NotFound):
        await platform.app.get_connector(someone_else, ConnectorType.S3, connector.id)


@SOMEONE_ELSE
async def test_someone_elses_connector_cannot_be_deleted_and_stays(
    platform: Platform, connector: Connector, someone_else: Caller
) -> None:
    with pytest.raises(NotFound):
        await platform.app.delete_connector(someone_else, ConnectorType.S3, connector.id)

    assert await platform.app.get_connector(ALICE, ConnectorType.S3, connector.id) == connector


async def test_someone_elses_id_answers_as_an_unknown_id_does(
    platform: Platform, connector: Connector
) -> None:
    unknown = uuid4()
    with pytest.raises(NotFound) as for_unknown:
        await platform.app.get_connector(BOB, ConnectorType.S3, unknown)
    with pytest.raises(NotFound) as for_theirs:
        await platform.app.get_connector(BOB, ConnectorType.S3, connector.id)

    assert str(for_theirs.value).replace(str(connector.id), "ID") == str(for_unknown.value).replace(
        str(unknown), "ID"
    )


# -- get and delete --


async def test_the_wrong_type_for_the_id_is_not_found_and_not_deleted(
    platform: Platform, connector: Connector
) -> None:
    with pytest.raises(NotFound):
        await platform.app.get_connector(ALICE, ConnectorType.DATABRICKS, connector.id)
    with pytest.raises(NotFound):
        await platform.app.delete_connector(ALICE, ConnectorType.DATABRICKS, connector.id)

    assert await listing(platform.app, ALICE) == [connector]


async def test_an_unknown_id_is_not_found(platform: Platform) -> None:
    with pytest.raises(NotFound):
        await platform.app.get_connector(ALICE, ConnectorType.S3, uuid4())
    with pytest.raises(NotFound):
        await platform.app.delete_connector(ALICE, ConnectorType.S3, uuid4())


async def test_a_deleted_connector_is_gone(platform: Platform, connector: Connector) -> None:
    await platform.app.delete_connector(ALICE, ConnectorType.S3, connector.id)

    with pytest.raises(NotFound):
        await platform.app.get_connector(ALICE, ConnectorType.S3, connector.id)
    assert await listing(platform.app, ALICE) == []


async def test_deleting_twice_is_not_found_the_second_time(
    platform: Platform, connector: Connector
) -> None:
    await platform.app.delete_connector(ALICE, ConnectorType.S3, connector.id)

    with pytest.raises(NotFound):
        await platform.app.delete_connector(ALICE, ConnectorType.S3, connector.id)


async def test_deleting_a_connector_frees_its_name(
    platform: Platform, connector: Connector
) -> None:
    await platform.app.delete_connector(ALICE, ConnectorType.S3, connector.id)
    assert connector.s3 is not None

    again = await register(platform, ALICE, "warehouse", connector.s3)

    assert await listing(platform.app, ALICE) == [again]


async def test_deleting_one_connector_leaves_the_others(platform: Platform) -> None:
    made = await register_several(platform, ALICE, 3)

    await platform.app.delete_connector(ALICE, ConnectorType.S3, made[1].id)

    assert await listing(platform.app, ALICE) == [made[2], made[0]]
