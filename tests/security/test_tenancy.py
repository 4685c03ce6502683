"""Contract §2: another tenant's id answers exactly as an id that never existed,
on every route that takes an id, and touches nothing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from adapters.fakes.fake_aws import FakeAws
from tests.api.conftest import Customer
from tests.conftest import bearer

STRANGERS = {"another org": {"org": 2}, "another user of the org": {"user": "bob"}}
ROLE_ACCESS = {"access": {"type": "role", "external_id": "stranger-chosen-id"}}


def _comparable(response: Any, the_id: str) -> tuple[int, str, str]:
    """A 404 as the caller sees it, with the id it asked for taken out."""
    body = response.text.replace(the_id, "<id>")
    return response.status_code, response.headers["content-type"], body


async def _as_for_an_unknown_id(
    client: AsyncTestClient[Any],
    method: str,
    path: str,
    the_id: str,
    headers: dict[str, str],
    body: Any = None,
) -> None:
    unknown = str(uuid.uuid4())
    theirs = await client.request(method, path, json=body, headers=headers)
    never = await client.request(method, path.replace(the_id, unknown), json=body, headers=headers)
    assert theirs.status_code == 404, theirs.text
    assert theirs.json()["code"] == "not_found"
    assert _comparable(theirs, the_id) == _comparable(never, unknown)


@pytest.mark.parametrize("stranger", STRANGERS.values(), ids=STRANGERS.keys())
@pytest.mark.parametrize(("method", "suffix"), [("GET", ""), ("DELETE", ""), ("POST", "/verify")])
async def test_a_connector_of_someone_else_is_indistinguishable_from_no_connector(
    client: AsyncTestClient[Any],
    world: FakeAws,
    customer: Customer,
    stranger: dict[str, Any],
    method: str,
    suffix: str,
) -> None:
    created = await client.post("/v1/connectors/s3", json=customer.body, headers=bearer())
    the_id = created.json()["id"]
    calls_before = len(world.calls)
    await _as_for_an_unknown_id(
        client, method, f"/v1/connectors/s3/{the_id}{suffix}", the_id, bearer(**stranger)
    )
    assert len(world.calls) == calls_before  # not even probed for them
    still = await client.get(f"/v1/connectors/s3/{the_id}", headers=bearer())
    assert still.json() == created.json()


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [("GET", "", None), ("DELETE", "", None), ("PUT", "/access", ROLE_ACCESS)],
)
async def test_a_bucket_of_another_company_is_indistinguishable_from_no_bucket(
    client: AsyncTestClient[Any], world: FakeAws, method: str, suffix: str, body: Any
) -> None:
    create = {"account_id": "111122223333", "resource_id": "acme"}
    created = await client.post("/resources/buckets", json=create, headers=bearer())
    the_id = created.json()["id"]
    calls_before = len(world.calls)
    await _as_for_an_unknown_id(
        client, method, f"/resources/buckets/{the_id}{suffix}", the_id, bearer(org=2), body
    )
    assert len(world.calls) == calls_before
    still = await client.get(f"/resources/buckets/{the_id}", headers=bearer())
    assert still.json() == created.json()
