"""Prometheus at /metrics: requests per route template, probe outcomes by code,
rate-limit refusals; AWS call latencies from botocore's events."""

from __future__ import annotations

import contextlib
from typing import Any

import boto3
import msgspec
from botocore.exceptions import EndpointConnectionError
from litestar.testing import AsyncTestClient
from prometheus_client import REGISTRY

from adapters.aws.boto3_probe import Boto3AccessProbe
from adapters.aws.client_config import default_config
from adapters.fakes.fake_aws import FakeAws
from adapters.observability.aws_call_metrics import observe_aws_calls
from domain.errors import AwsUnavailable
from domain.probe import ProbeReport
from domain.role_arn import RoleArn
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.api.conftest import fake_container, onboard
from tests.aws.scripted_aws import ScriptedAws, raise_, sts_error, trusting
from tests.aws.test_boto3_probe import EXTERNAL_ID, a_request
from tests.conftest import PRINCIPAL_ARN, bearer


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_metrics_are_public_and_count_requests_by_route_template(
    client: AsyncTestClient[Any],
) -> None:
    await client.get("/v1/connectors/s3/0f8fad5b-d9cb-469f-a165-70867728950e", headers=bearer())

    response = await client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert 'path="/v1/connectors/{connector_type}/{connector_id}"' in response.text
    assert "0f8fad5b" not in response.text  # ids never become labels


async def test_a_refused_token_is_counted_as_such_not_as_a_success(
    client: AsyncTestClient[Any],
) -> None:
    served = {"app_name": "bucketlink", "method": "GET", "path": "/v1/connectors"}
    ok_before = sample("bucketlink_requests_total", **served, status_code="200")
    refused_before = sample("bucketlink_unauthenticated_total")

    response = await client.get("/v1/connectors")

    assert response.status_code == 401
    assert sample("bucketlink_unauthenticated_total") == refused_before + 1
    assert sample("bucketlink_requests_total", **served, status_code="200") == ok_before


async def test_probe_outcomes_are_counted_by_code(
    client: AsyncTestClient[Any], world: FakeAws
) -> None:
    customer = await onboard(client, world)
    passed = sample("bucketlink_probe_outcomes_total", outcome="passed")
    denied = sample("bucketlink_probe_outcomes_total", outcome="assume_role_denied")

    await client.post("/v1/connectors/s3/validate", json=customer.body, headers=bearer())
    await client.post("/v1/connectors/s3/validate", json=customer.body, headers=bearer(org=2))

    assert sample("bucketlink_probe_outcomes_total", outcome="passed") == passed + 1
    assert sample("bucketlink_probe_outcomes_total", outcome="assume_role_denied") == denied + 1


async def test_a_role_not_bound_to_the_external_id_is_counted_under_its_code(
    client: AsyncTestClient[Any], world: FakeAws
) -> None:
    customer = await onboard(client, world)
    loose = {"Effect": "Allow", "Principal": {"AWS": PRINCIPAL_ARN}, "Action": "sts:AssumeRole"}
    world.update_trust_policy(
        RoleArn.parse(customer.body["role_arn"]),
        {"Version": "2012-10-17", "Statement": [loose]},
    )
    unbound = sample("bucketlink_probe_outcomes_total", outcome="external_id_not_enforced")

    await client.post("/v1/connectors/s3/validate", json=customer.body, headers=bearer())

    assert (
        sample("bucketlink_probe_outcomes_total", outcome="external_id_not_enforced") == unbound + 1
    )


async def test_rate_limit_refusals_are_counted_by_route(settings: Settings, world: FakeAws) -> None:
    limited = msgspec.structs.replace(settings, rate_limit="1/minute")
    route = "POST /v1/connectors/s3/validate"
    before = sample("bucketlink_rate_limited_total", route=route)
    async with AsyncTestClient(create_app(fake_container(limited, world))) as client:
        for _ in range(3):
            await client.post("/v1/connectors/s3/validate", json={}, headers=bearer(org=9))

    assert sample("bucketlink_rate_limited_total", route=route) == before + 2


async def test_aws_calls_are_timed_by_operation_and_outcome() -> None:
    session = boto3.Session(
        aws_access_key_id="platform", aws_secret_access_key="platform", region_name="us-east-1"
    )
    aws = ScriptedAws(session)
    aws.script("AssumeRole", trusting(EXTERNAL_ID))
    observe_aws_calls(session)
    probe = Boto3AccessProbe(
        session=session,
        endpoint_url="http://127.0.0.1:9",
        assume_role_grace_seconds=0,
        config=default_config(),
    )
    outcomes = ("ok", "client_error", "server_error", "no_answer")
    labels = {o: {"service": "sts", "operation": "AssumeRole", "outcome": o} for o in outcomes}
    before = {o: sample("bucketlink_aws_call_seconds_count", **labels[o]) for o in outcomes}
    head_ok = {"service": "s3", "operation": "HeadBucket", "outcome": "ok"}
    head_before = sample("bucketlink_aws_call_seconds_count", **head_ok)

    assert await probe.probe(a_request()) == ProbeReport.passed()
    for answer in (
        sts_error(403, "AccessDenied"),  # AWS says no: the customer's to fix
        sts_error(500, "InternalFailure"),  # AWS fails, on every retry
        raise_(EndpointConnectionError(endpoint_url="http://127.0.0.1:9")),
    ):
        aws.rescript("AssumeRole", answer)
        with contextlib.suppress(AwsUnavailable):
            await probe.probe(a_request())

    after = {o: sample("bucketlink_aws_call_seconds_count", **labels[o]) for o in outcomes}
    # The passing probe's two binding attempts were denied, as they must be.
    expected = {**dict.fromkeys(outcomes, 1), "client_error": 1 + 2}
    assert {o: after[o] - before[o] for o in outcomes} == expected
    assert sample("bucketlink_aws_call_seconds_count", **head_ok) == head_before + 1


async def test_the_scrapes_themselves_are_not_measured(client: AsyncTestClient[Any]) -> None:
    assert (await client.get("/health")).status_code == 200
    for _ in range(2):
        assert (await client.get("/metrics")).status_code == 200
    page = (await client.get("/metrics")).text
    assert 'path="/metrics"' not in page
    assert "bucketlink_request_duration_seconds_bucket" in page
