"""Contract §3 and §7: creates, validates and verifies are limited per
organisation (BUCKETLINK_RATE_LIMIT); a refused request is a 429 problem with
Retry-After that changed nothing. Reads are never limited."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from adapters.fakes.fake_aws import FakeAws
from entrypoints.http.app import create_app
from entrypoints.http.rate_limit import LIMITED_OPT_KEY, VEND_LIMITED_OPT_KEY, limited_routes
from entrypoints.settings import RateLimit, Settings, SettingsError, load_settings
from tests.api.conftest import Customer, fake_container, onboard
from tests.conftest import bearer
from tests.support.redis_server import forget_counters, redis_url_or_skip, unused_org_id

LIMIT = 3
BUCKET = {"account_id": "111122223333", "resource_id": "acme"}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return msgspec.structs.replace(settings, rate_limit=f"{LIMIT}/minute")


def _renamed(customer: Customer, name: str) -> dict[str, str]:
    return {**customer.body, "credential_name": name}


async def _register(client: AsyncTestClient[Any], body: dict[str, str], org: int = 1) -> Any:
    return await client.post("/v1/connectors/s3", json=body, headers=bearer(org=org))


def _assert_rate_limited(response: Any) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "rate_limited"
    assert response.json()["status"] == 429
    assert 1 <= int(response.headers["retry-after"]) <= 60


async def _listed(client: AsyncTestClient[Any], path: str, org: int = 1) -> list[Any]:
    response = await client.get(path, headers=bearer(org=org))
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_the_create_after_the_limit_is_429_with_retry_after_and_stores_nothing(
    client: AsyncTestClient[Any], world: FakeAws, customer: Customer
) -> None:
    for n in range(LIMIT):
        assert (await _register(client, _renamed(customer, f"c{n}"))).status_code == 200
    calls_before = len(world.calls)

    refused = await _register(client, _renamed(customer, "one-too-many"))

    _assert_rate_limited(refused)
    assert refused.headers["x-request-id"]
    assert len(world.calls) == calls_before  # not even probed
    names = {c["credential_name"] for c in await _listed(client, "/v1/connectors")}
    assert names == {f"c{n}" for n in range(LIMIT)}


async def test_managed_bucket_creates_count_and_the_refused_one_makes_no_bucket(
    client: AsyncTestClient[Any], world: FakeAws
) -> None:
    for n in range(LIMIT):
        response = await client.post(
            "/resources/buckets", json={**BUCKET, "resource_id": f"acme{n}"}, headers=bearer()
        )
        assert response.status_code == 200, response.text
    buckets_before = world.bucket_names()

    _assert_rate_limited(await client.post("/resources/buckets", json=BUCKET, headers=bearer()))

    assert world.bucket_names() == buckets_before
    assert len(await _listed(client, "/resources/buckets")) == LIMIT


async def test_validates_and_verifies_count_towards_the_same_limit(
    client: AsyncTestClient[Any], customer: Customer
) -> None:
    created = (await _register(client, customer.body)).json()
    verify = f"/v1/connectors/s3/{created['id']}/verify"
    assert (await client.post(verify, headers=bearer())).status_code == 200
    validated = await client.post(
        "/v1/connectors/s3/validate", json=customer.body, headers=bearer()
    )
    assert validated.status_code == 200

    _assert_rate_limited(await client.post(verify, headers=bearer()))
    _assert_rate_limited(
        await client.post("/v1/connectors/s3/validate", json=customer.body, headers=bearer())
    )


async def test_refused_requests_count_too_so_invalid_bodies_cannot_probe_for_free(
    client: AsyncTestClient[Any],
) -> None:
    for _ in range(LIMIT):
        bad = await client.post("/resources/buckets", json={"account_id": "x"}, headers=bearer())
        assert bad.status_code == 400
    _assert_rate_limited(await client.post("/resources/buckets", json=BUCKET, headers=bearer()))


async def test_the_limit_is_per_organisation_not_per_user(
    client: AsyncTestClient[Any], world: FakeAws, customer: Customer
) -> None:
    for n in range(LIMIT):
        body = _renamed(customer, f"c{n}")
        user = "alice" if n % 2 else "bob"
        response = await client.post("/v1/connectors/s3", json=body, headers=bearer(user=user))
        assert response.status_code == 200, response.text
    carol = bearer(user="carol")
    _assert_rate_limited(await client.post("/v1/connectors/s3", json=customer.body, headers=carol))

    other = await onboard(client, world, org=2, name="other", bucket="other-data")
    assert (await _register(client, other.body, org=2)).status_code == 200
    response = await client.post("/resources/buckets", json=BUCKET, headers=bearer(org=2))
    assert response.status_code == 200, response.text


async def test_reads_and_connector_deletes_are_not_limited(
    client: AsyncTestClient[Any], customer: Customer
) -> None:
    connector = (await _register(client, customer.body)).json()
    bucket = (await client.post("/resources/buckets", json=BUCKET, headers=bearer())).json()
    for _ in range(LIMIT * 3):
        for path in (
            "/v1/account/aws-setup",
            "/v1/connectors",
            f"/v1/connectors/s3/{connector['id']}",
            "/resources/buckets",
            f"/resources/buckets/{bucket['id']}",
        ):
            assert (await client.get(path, headers=bearer())).status_code == 200, path
    deleted = await client.delete(f"/v1/connectors/s3/{connector['id']}", headers=bearer())
    assert deleted.status_code == 204


async def test_bucket_access_changes_and_deletes_count_with_the_creates(
    client: AsyncTestClient[Any],
) -> None:
    # Each makes IAM and S3 calls in the platform's shared account: 60 changes in
    # 1.6 s from one org once went through, spending everyone's quota.
    bucket = (await client.post("/resources/buckets", json=BUCKET, headers=bearer())).json()
    access = {"access": {"type": "bucket_policy"}}
    url = f"/resources/buckets/{bucket['id']}"
    answers = [
        await client.put(f"{url}/access", json=access, headers=bearer()) for _ in range(LIMIT - 1)
    ]

    assert [a.status_code for a in answers] == [200] * (LIMIT - 1)
    _assert_rate_limited(await client.put(f"{url}/access", json=access, headers=bearer()))
    _assert_rate_limited(await client.delete(url, headers=bearer()))
    other = await client.put(f"{url}/access", json=access, headers=bearer(org=2))
    assert other.status_code == 404  # counted per organisation: org 2 is not limited


async def test_an_unauthenticated_request_is_401_before_it_is_counted(
    client: AsyncTestClient[Any],
) -> None:
    for _ in range(LIMIT + 1):
        response = await client.post("/resources/buckets", json=BUCKET)
        assert response.status_code == 401
    assert (
        await client.post("/resources/buckets", json=BUCKET, headers=bearer())
    ).status_code == 200


async def test_allowed_requests_say_how_many_remain(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/resources/buckets", json=BUCKET, headers=bearer())
    assert response.headers["ratelimit-limit"] == str(LIMIT)
    assert response.headers["ratelimit-remaining"] == str(LIMIT - 1)


# -- configuration ---------------------------------------------------------


def test_the_default_is_30_a_minute() -> None:
    assert load_settings({}).rate == RateLimit(30, "minute")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/second", RateLimit(1, "second")),
        ("500/hour", RateLimit(500, "hour")),
        (" 7/day ", RateLimit(7, "day")),
    ],
)
def test_a_rate_is_n_per_unit(text: str, expected: RateLimit) -> None:
    assert load_settings({"BUCKETLINK_RATE_LIMIT": text}).rate == expected


@pytest.mark.parametrize("text", ["0/minute", "30", "30/min", "30 / minute", "-1/hour", "x/day"])
def test_a_bad_rate_is_refused_naming_the_variable(text: str) -> None:
    with pytest.raises(SettingsError, match="BUCKETLINK_RATE_LIMIT") as refused:
        load_settings({"BUCKETLINK_RATE_LIMIT": text})
    assert "30/minute" in str(refused.value)  # an example of what to write


def test_a_redis_url_that_is_not_one_is_refused_naming_the_variable() -> None:
    with pytest.raises(SettingsError, match="BUCKETLINK_REDIS_URL"):
        load_settings({"BUCKETLINK_REDIS_URL": "http://127.0.0.1:6379"})


# -- Redis: one counter for every instance ---------------------------------


@pytest.fixture
def redis_url() -> str:
    return redis_url_or_skip()


@pytest.fixture
def org() -> int:
    return unused_org_id()


@pytest.fixture
async def two_instances(
    settings: Settings, redis_url: str, org: int
) -> AsyncIterator[tuple[AsyncTestClient[Any], AsyncTestClient[Any]]]:
    """Two apps, each with its own adapters, counting in the same Redis."""
    shared = msgspec.structs.replace(settings, redis_url=redis_url)
    async with AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(
                AsyncTestClient(create_app(fake_container(shared, FakeAws())))
            )
            for _ in range(2)
        ]
        try:
            yield clients[0], clients[1]
        finally:
            forget_counters(redis_url, org, org + 1)


async def test_an_unreachable_redis_is_503_with_retry_after_and_reads_still_work(
    settings: Settings,
) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        nowhere = f"redis://127.0.0.1:{sock.getsockname()[1]}/0"
    unreachable = msgspec.structs.replace(settings, redis_url=nowhere)
    async with AsyncTestClient(create_app(fake_container(unreachable, FakeAws()))) as client:
        refused = await client.post("/resources/buckets", json=BUCKET, headers=bearer())
        listed = await client.get("/resources/buckets", headers=bearer())

    assert refused.status_code == 503, refused.text
    assert refused.json()["code"] == "database_unavailable"
    assert "redis" not in refused.text.lower()
    assert int(refused.headers["retry-after"]) >= 1
    assert listed.json()["items"] == []


async def test_with_redis_two_instances_share_one_counter(
    two_instances: tuple[AsyncTestClient[Any], AsyncTestClient[Any]], org: int
) -> None:
    first, second = two_instances
    for n in range(LIMIT):
        instance = (first, second)[n % 2]
        body = {**BUCKET, "resource_id": f"acme{n}"}
        response = await instance.post("/resources/buckets", json=body, headers=bearer(org=org))
        assert response.status_code == 200, response.text

    for instance in (first, second):
        refused = await instance.post("/resources/buckets", json=BUCKET, headers=bearer(org=org))
        _assert_rate_limited(refused)
    # Each app has its own fakes: the creates really were split between them.
    assert len(await _listed(first, "/resources/buckets", org)) == (LIMIT + 1) // 2
    assert len(await _listed(second, "/resources/buckets", org)) == LIMIT // 2

    neighbour = await second.post("/resources/buckets", json=BUCKET, headers=bearer(org=org + 1))
    assert neighbour.status_code == 200, neighbour.text


async def test_with_redis_the_counter_is_kept_in_redis_under_the_organisation(
    redis_url: str, two_instances: tuple[AsyncTestClient[Any], AsyncTestClient[Any]], org: int
) -> None:
    first, _ = two_instances
    await first.post("/resources/buckets", json=BUCKET, headers=bearer(org=org))
    assert forget_counters(redis_url, org) == 1
    assert forget_counters(redis_url, org) == 0


# -- which routes: declared on their handlers ------------------------------

# Each costs an AWS probe or IAM and S3 calls in the platform's shared account.
CONTRACT_LIMITED = {
    ("POST", "/v1/connectors/s3"),
    ("POST", "/v1/connectors/s3/validate"),
    ("POST", "/v1/connectors/{connector_type}/{connector_id}/verify"),
    ("POST", "/resources/buckets"),
    ("PUT", "/resources/buckets/{bucket_id}/access"),
    ("DELETE", "/resources/buckets/{bucket_id}"),
}


def test_the_limited_handlers_are_the_contracts(settings: Settings) -> None:
    app = create_app(fake_container(settings, FakeAws()))
    assert limited_routes(app, (LIMITED_OPT_KEY,)) == CONTRACT_LIMITED
    # Vends count against a limit of their own (BUCKETLINK_VEND_RATE_LIMIT, contract §10).
    assert limited_routes(app, (VEND_LIMITED_OPT_KEY,)) == {
        ("POST", "/v1/connectors/{connector_type}/{connector_id}/credentials")
    }
