"""Contract §6 through HTTP on the fakes: the rules of the request, and the
answers that change nothing."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import AsyncTestClient

from adapters.fakes.fake_aws import FakeAws
from domain.errors import AwsUnavailable
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.api.conftest import fake_container
from tests.conftest import bearer

CUSTOMER = "111122223333"
_FIXTURES_OK = [HealthCheck.function_scoped_fixture]


async def _create(client: AsyncTestClient[Any], body: dict[str, Any], org: int = 1) -> Any:
    return await client.post("/resources/buckets", json=body, headers=bearer(org=org))


async def _listed(client: AsyncTestClient[Any], org: int = 1) -> list[Any]:
    response = await client.get("/resources/buckets", headers=bearer(org=org))
    return list(response.json()["items"])


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert body["code"] == code
    return body


@given(number=st.integers(min_value=0, max_value=999_999_999_999))
@settings(max_examples=25, suppress_health_check=_FIXTURES_OK, deadline=None)
async def test_an_integer_account_id_is_left_padded_to_12_digits(
    client: AsyncTestClient[Any], number: int
) -> None:
    response = await _create(client, {"account_id": number, "resource_id": "acme"})
    assert response.status_code == 200, response.text
    assert response.json()["auth"]["account_id"] == f"{number:012d}"


@pytest.mark.parametrize(
    "account_id",
    [10**12, -1, True, 1.5, "12345678901", "1234567890123", " 111122223333", None, [1]],
)
async def test_an_account_id_that_is_not_12_digits_is_400_and_makes_nothing(
    client: AsyncTestClient[Any], world: FakeAws, account_id: Any
) -> None:
    response = await _create(client, {"account_id": account_id, "resource_id": "acme"})
    problem = _problem(response, 400, "invalid_request")
    assert [e["field"] for e in problem["errors"]] == ["account_id"]
    assert world.calls == []
    assert await _listed(client) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"resource_id": "a"}, "resource_id"),
        ({"resource_id": "a" * 43}, "resource_id"),
        ({"resource_id": "Acme"}, "resource_id"),
        ({"resource_id": "ac_me"}, "resource_id"),
        ({"access": {"type": "role"}}, "access.external_id"),
        ({"access": {"type": "role", "external_id": "x"}}, "access.external_id"),
        ({"access": {"type": "role", "external_id": "has space"}}, "access.external_id"),
        ({"access": {"type": "key"}}, "access.type"),
        ({"access": {"type": "bucket_policy", "external_id": "abc"}}, "access.external_id"),
        ({"color": "blue"}, "color"),
    ],
)
async def test_a_bad_field_is_400_naming_it_and_makes_nothing(
    client: AsyncTestClient[Any], world: FakeAws, change: dict[str, Any], field: str
) -> None:
    body = {"account_id": CUSTOMER, "resource_id": "acme", **change}
    problem = _problem(await _create(client, body), 400, "invalid_request")
    assert field in [e["field"] for e in problem["errors"]]
    assert world.calls == []


async def test_aws_keys_in_a_bucket_body_are_refused(client: AsyncTestClient[Any]) -> None:
    body = {
        "account_id": CUSTOMER,
        "resource_id": "acme",
        "access": {"type": "role", "external_id": "abc", "AWS_SESSION_TOKEN": "t"},
    }
    _problem(await _create(client, body), 400, "aws_keys_not_accepted")


async def test_aws_down_while_creating_is_503_and_leaves_nothing(
    client: AsyncTestClient[Any], world: FakeAws
) -> None:
    world.fail_next(AwsUnavailable, operation="PutBucketEncryption")
    response = await _create(client, {"account_id": CUSTOMER, "resource_id": "acme"})
    _problem(response, 503, "aws_unavailable")
    assert await _listed(client) == []


async def test_access_defaults_to_the_bucket_policy(client: AsyncTestClient[Any]) -> None:
    response = await _create(client, {"account_id": CUSTOMER, "resource_id": "acme"})
    assert response.json()["auth"] == {"type": "bucket_policy", "account_id": CUSTOMER}


async def test_a_role_grant_answers_with_the_role_and_external_id(
    client: AsyncTestClient[Any],
) -> None:
    body = {
        "account_id": CUSTOMER,
        "resource_id": "acme",
        "access": {"type": "role", "external_id": "22a7553b-9240-4b81-93ae-54ccbcde0a8"},
    }
    response = await _create(client, body)
    assert response.status_code == 200, response.text
    bucket = response.json()
    assert bucket["auth"] == {
        "type": "role",
        "account_id": CUSTOMER,
        "external_id": "22a7553b-9240-4b81-93ae-54ccbcde0a8",
        "role_arn": f"arn:aws:iam::123456789012:role/{bucket['name']}",
    }


async def test_a_bad_access_change_is_400_and_changes_nothing(
    client: AsyncTestClient[Any],
) -> None:
    bucket = (await _create(client, {"account_id": CUSTOMER, "resource_id": "acme"})).json()
    url = f"/resources/buckets/{bucket['id']}/access"
    for body in (
        {},
        {"access": {"type": "role"}},
        {"access": {"type": "bucket_policy"}, "account_id": "12"},
    ):
        _problem(await client.put(url, json=body, headers=bearer()), 400, "invalid_request")
    fetched = await client.get(f"/resources/buckets/{bucket['id']}", headers=bearer())
    assert fetched.json() == bucket


async def test_buckets_page_newest_first(client: AsyncTestClient[Any]) -> None:
    made = [
        (await _create(client, {"account_id": CUSTOMER, "resource_id": f"r{n}"})).json()["id"]
        for n in range(3)
    ]
    first = (await client.get("/resources/buckets?limit=2", headers=bearer())).json()
    cursor = first["next_cursor"]
    second = (
        await client.get(f"/resources/buckets?limit=2&cursor={cursor}", headers=bearer())
    ).json()
    assert [b["id"] for b in first["items"] + second["items"]] == made[::-1]
    assert second["next_cursor"] is None


@pytest.mark.parametrize("raw", ["123456789012.0", "1e11", "-0.0", "111122223333.5"])
async def test_a_json_float_is_not_an_account_id(client: AsyncTestClient[Any], raw: str) -> None:
    # Litestar converts leniently: 1e11 would otherwise have become 100000000000.
    content = f'{{"account_id": {raw}, "resource_id": "acme"}}'
    response = await client.post(
        "/resources/buckets",
        content=content,
        headers={**bearer(), "content-type": "application/json"},
    )

    problem = _problem(response, 400, "invalid_request")
    assert [e["field"] for e in problem["errors"]] == ["account_id"]
    assert await _listed(client) == []


@pytest.mark.parametrize(
    "access",
    [{"type": "bucket_policy"}, {"type": "role", "external_id": "customer-chosen-id"}],
    ids=["policy", "role"],
)
async def test_the_platform_s_own_account_is_never_granted(
    client: AsyncTestClient[Any], world: FakeAws, access: dict[str, Any]
) -> None:
    platform = "123456789012"  # the principal's account in these tests
    created = await _create(
        client, {"account_id": platform, "resource_id": "acme", "access": access}
    )

    problem = _problem(created, 400, "invalid_request")
    assert problem["errors"][0]["field"] == "account_id"
    assert "platform" in problem["errors"][0]["message"]
    assert world.calls == []  # refused before AWS
    bucket = (await _create(client, {"account_id": CUSTOMER, "resource_id": "acme"})).json()
    url = f"/resources/buckets/{bucket['id']}/access"
    changed = await client.put(
        url, json={"access": access, "account_id": platform}, headers=bearer()
    )
    _problem(changed, 400, "invalid_request")
    fetched = await client.get(f"/resources/buckets/{bucket['id']}", headers=bearer())
    assert fetched.json() == bucket


async def test_one_bucket_past_the_company_s_cap_is_409_and_makes_nothing(
    settings: Settings, world: FakeAws
) -> None:
    capped = msgspec.structs.replace(settings, max_buckets_per_company=2)
    async with AsyncTestClient(create_app(fake_container(capped, world))) as client:
        for n in range(2):
            made = await _create(client, {"account_id": CUSTOMER, "resource_id": f"team-{n}"})
            assert made.status_code == 200, made.text
        buckets_before = world.bucket_names()

        refused = await _create(client, {"account_id": CUSTOMER, "resource_id": "one-more"})

        _problem(refused, 409, "bucket_limit_reached")
        assert world.bucket_names() == buckets_before
        other = await _create(client, {"account_id": CUSTOMER, "resource_id": "theirs"}, org=2)
        assert other.status_code == 200  # a cap per company
