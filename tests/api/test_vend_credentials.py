"""POST /v1/connectors/s3/{id}/credentials (contract section 10) on the fakes:
the answer's keys, no-store, who may ask, tenancy, and the 400s that change
nothing."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient
from prometheus_client import REGISTRY

from adapters.fakes.fake_aws import FakeAws
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.api.conftest import Customer, fake_container, onboard
from tests.api.test_service_tokens import _as_bearer, service_token
from tests.conftest import bearer

ANSWER_KEYS = {
    "connector_id",
    "access",
    "bucket",
    "prefix",
    "region",
    "access_key_id",
    "secret_access_key",
    "session_token",
    "expiration",
}


async def _connector(client: AsyncTestClient[Any], customer: Customer) -> str:
    created = await client.post("/v1/connectors/s3", json=customer.body, headers=bearer())
    assert created.status_code == 200, created.text
    return str(created.json()["id"])


def _url(connector_id: str) -> str:
    return f"/v1/connectors/s3/{connector_id}/credentials"


def _assume_calls(world: FakeAws) -> list[dict[str, Any]]:
    return [c.params for c in world.calls if c.operation == "AssumeRole"]


async def test_the_owner_gets_credentials_that_are_never_cached_by_http(
    client: AsyncTestClient[Any], customer: Customer, world: FakeAws
) -> None:
    connector = await _connector(client, customer)

    answer = await client.post(
        _url(connector), json={"access": "read", "prefix": "2026/"}, headers=bearer()
    )

    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert set(body) == ANSWER_KEYS
    assert (body["connector_id"], body["bucket"], body["prefix"]) == (
        connector,
        "customer-data",
        "exports/2026/",
    )
    sent = _assume_calls(world)[-1]
    assert sent["ExternalId"] == customer.external_id
    assert json.loads(sent["Policy"])["Statement"][0]["Resource"] == (
        "arn:aws:s3:::customer-data/exports/2026/*"
    )


async def test_no_body_means_read_on_the_whole_prefix_for_an_hour(
    client: AsyncTestClient[Any], customer: Customer, world: FakeAws
) -> None:
    connector = await _connector(client, customer)

    answer = await client.post(_url(connector), headers=bearer())

    assert answer.status_code == 200, answer.text
    assert (answer.json()["access"], answer.json()["prefix"]) == ("read", "exports/")
    assert _assume_calls(world)[-1]["DurationSeconds"] == 3600


async def test_a_service_token_of_the_org_may_vend_and_of_another_org_finds_nothing(
    client: AsyncTestClient[Any], customer: Customer
) -> None:
    connector = await _connector(client, customer)

    ours = await client.post(_url(connector), headers=_as_bearer(service_token(org=1)))
    theirs = await client.post(_url(connector), headers=_as_bearer(service_token(org=2)))

    assert ours.status_code == 200, ours.text
    assert theirs.status_code == 404


@pytest.mark.parametrize("who", [{"user": "bob"}, {"org": 2}], ids=["colleague", "other-org"])
async def test_anyone_else_gets_404(
    client: AsyncTestClient[Any], customer: Customer, who: dict[str, Any]
) -> None:
    connector = await _connector(client, customer)

    answer = await client.post(_url(connector), headers=bearer(**who))

    assert answer.status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"prefix": "/absolute"}, "prefix"),
        ({"prefix": "a/../b"}, "prefix"),
        ({"prefix": "x" * 513}, "prefix"),
        ({"prefix": "bad\u0007bell"}, "prefix"),
        ({"duration_seconds": 899}, "duration_seconds"),
        ({"duration_seconds": 3601}, "duration_seconds"),
        ({"access": "write"}, "access"),
        ({"access": "read", "role_arn": "arn:aws:iam::1:role/x"}, "role_arn"),
        ({"prefix": "*" * 400}, "prefix"),  # a session policy over AWS's 2,048 characters
    ],
)
async def test_a_bad_field_is_400_naming_it_and_assumes_nothing(
    client: AsyncTestClient[Any],
    customer: Customer,
    world: FakeAws,
    body: dict[str, Any],
    field: str,
) -> None:
    connector = await _connector(client, customer)
    before = len(_assume_calls(world))

    answer = await client.post(_url(connector), json=body, headers=bearer())

    assert answer.status_code == 400, answer.text
    assert field in answer.text
    assert len(_assume_calls(world)) == before


async def test_a_role_that_stopped_trusting_the_org_is_422_assume_role_denied(
    client: AsyncTestClient[Any], customer: Customer, world: FakeAws
) -> None:
    from domain.aws_setup import trust_policy
    from domain.external_id import ExternalId
    from domain.role_arn import RoleArn
    from tests.api.conftest import PRINCIPAL_ARN

    connector = await _connector(client, customer)
    world.update_trust_policy(
        RoleArn.parse(customer.body["role_arn"]),
        trust_policy(PRINCIPAL_ARN, ExternalId("another-orgs-external-id")),
    )

    answer = await client.post(_url(connector), headers=bearer())

    assert answer.status_code == 422
    assert answer.json()["code"] == "assume_role_denied"


async def test_vends_are_limited_per_org_on_their_own_budget(
    settings: Settings, world: FakeAws
) -> None:
    limited = msgspec.structs.replace(settings, vend_rate_limit="2/minute", rate_limit="5/minute")
    async with AsyncTestClient(create_app(fake_container(limited, world))) as client:
        customer = await onboard(client, world)
        connector = await _connector(client, customer)
        answers = [(await client.post(_url(connector), headers=bearer())) for _ in range(3)]
        other_org = await client.post(_url(connector), headers=bearer(org=2))

        assert [a.status_code for a in answers] == [200, 200, 429]
        assert "credential vends" in answers[2].json()["detail"]
        assert int(answers[2].headers["retry-after"]) >= 1
        assert answers[0].headers["ratelimit-limit"] == "2"
        assert other_org.status_code == 404  # another org's budget, and no such connector
        # Creates and probes keep their own budget.
        validated = await client.post(
            "/v1/connectors/s3/validate", json=customer.body, headers=bearer()
        )
        assert validated.status_code == 200


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_vends_are_counted_by_outcome_and_cache_result(
    client: AsyncTestClient[Any], customer: Customer
) -> None:
    connector = await _connector(client, customer)
    issued = _sample("bucketlink_vends_total", outcome="issued")
    hits = _sample("bucketlink_vend_cache_total", result="hit")
    misses = _sample("bucketlink_vend_cache_total", result="miss")

    for _ in range(3):
        assert (await client.post(_url(connector), headers=bearer())).status_code == 200

    assert _sample("bucketlink_vends_total", outcome="issued") == issued + 1
    assert _sample("bucketlink_vend_cache_total", result="miss") == misses + 1
    assert _sample("bucketlink_vend_cache_total", result="hit") == hits + 2
    metrics = await client.get("/metrics")
    assert 'bucketlink_vends_total{outcome="issued"}' in metrics.text
