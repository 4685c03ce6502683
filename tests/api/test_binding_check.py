"""The confused-deputy defence through HTTP, on the shipped fakes: a role that
lets the platform in without the caller's exact external id is refused, whoever
registers it, and nothing is stored (IAM User Guide, "The confused deputy
problem"; each shape's reason in tests/support/unbound_trust.py)."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from adapters.fakes.fake_aws import FakeAws
from domain.external_id import ExternalId
from domain.role_arn import RoleArn
from entrypoints.http.error_catalogue import ERROR_KINDS
from tests.api.conftest import Customer, external_id_of
from tests.conftest import PRINCIPAL_ARN, bearer
from tests.support.unbound_trust import bound, unbound_trust_policies

SHAPES = sorted(unbound_trust_policies(PRINCIPAL_ARN, ExternalId("any-id-for-the-names")))


def loosen(world: FakeAws, customer: Customer, shape: str) -> None:
    policy = unbound_trust_policies(PRINCIPAL_ARN, ExternalId(customer.external_id))[shape]
    world.update_trust_policy(RoleArn.parse(customer.body["role_arn"]), policy)


async def stored(client: AsyncTestClient[Any], org: int = 1) -> list[Any]:
    return list((await client.get("/v1/connectors", headers=bearer(org=org))).json()["items"])


@pytest.mark.parametrize("shape", SHAPES)
async def test_registering_a_role_not_bound_to_the_external_id_is_refused(
    client: AsyncTestClient[Any], world: FakeAws, customer: Customer, shape: str
) -> None:
    loosen(world, customer, shape)

    response = await client.post("/v1/connectors/s3", json=customer.body, headers=bearer())

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert (problem["code"], problem["status"]) == ("external_id_not_enforced", 422)
    assert problem["type"] == "/errors#external_id_not_enforced"
    assert "sts:ExternalId" in problem["detail"] and "succeeded" in problem["detail"]
    assert customer.external_id not in response.text
    assert await stored(client) == []


@pytest.mark.parametrize("shape", SHAPES)
async def test_validating_a_role_not_bound_to_the_external_id_reports_the_check(
    client: AsyncTestClient[Any], world: FakeAws, customer: Customer, shape: str
) -> None:
    loosen(world, customer, shape)

    response = await client.post("/v1/connectors/s3/validate", json=customer.body, headers=bearer())

    assert response.status_code == 200
    report = response.json()
    assert report["valid"] is False
    assert [(c["name"], c["ok"], c["code"]) for c in report["checks"]] == [
        ("assume_role", True, None),
        ("external_id_required", False, "external_id_not_enforced"),
        ("head_bucket", False, "skipped"),
        ("list_objects", False, "skipped"),
    ]


async def test_two_organisations_cannot_both_register_one_unbound_role(
    client: AsyncTestClient[Any], world: FakeAws, customer: Customer
) -> None:
    # Before the binding check, org 1 and then org 2 both got 200 for this role.
    loosen(world, customer, "no condition")

    for org in (1, 2):
        response = await client.post(
            "/v1/connectors/s3", json=customer.body, headers=bearer(org=org)
        )
        assert response.status_code == 422
        assert response.json()["code"] == "external_id_not_enforced"
        assert await stored(client, org) == []


async def test_a_bound_role_stays_its_organisation_s(
    client: AsyncTestClient[Any], customer: Customer
) -> None:
    theirs = await client.post("/v1/connectors/s3", json=customer.body, headers=bearer(org=2))
    ours = await client.post("/v1/connectors/s3", json=customer.body, headers=bearer(org=1))

    assert (theirs.status_code, theirs.json()["code"]) == (422, "assume_role_denied")
    assert ours.status_code == 200


async def test_a_role_trusting_two_organisations_ids_may_be_registered_by_both(
    client: AsyncTestClient[Any], world: FakeAws, customer: Customer
) -> None:
    # The customer chose to share the role between two of their organisations.
    ids = [ExternalId(await external_id_of(client, org)) for org in (1, 2)]
    both = {"Version": "2012-10-17", "Statement": [bound(PRINCIPAL_ARN, *ids)]}
    world.update_trust_policy(RoleArn.parse(customer.body["role_arn"]), both)

    for org in (1, 2):
        response = await client.post(
            "/v1/connectors/s3", json=customer.body, headers=bearer(org=org)
        )
        assert response.status_code == 200, response.text
        assert len(await stored(client, org)) == 1
    third = await client.post("/v1/connectors/s3", json=customer.body, headers=bearer(org=3))
    assert third.json()["code"] == "assume_role_denied"


async def test_a_role_loosened_after_registration_fails_verification(
    client: AsyncTestClient[Any], world: FakeAws, customer: Customer
) -> None:
    created = await client.post("/v1/connectors/s3", json=customer.body, headers=bearer())
    assert created.status_code == 200
    loosen(world, customer, "a loose statement beside a bound one")

    verified = await client.post(
        f"/v1/connectors/s3/{created.json()['id']}/verify", headers=bearer()
    )

    assert verified.status_code == 200
    report = verified.json()
    assert report["valid"] is False
    [failure] = [c for c in report["checks"] if c["code"] not in (None, "skipped")]
    assert (failure["name"], failure["code"]) == (
        "external_id_required",
        "external_id_not_enforced",
    )
    assert await stored(client) == [created.json()]  # reported, not deleted


# -- where a customer reads about it: the catalogue and the OpenAPI document --


async def test_the_catalogue_explains_the_code_and_its_fix(client: AsyncTestClient[Any]) -> None:
    kind = ERROR_KINDS["external_id_not_enforced"]
    page = (await client.get("/errors")).text

    assert kind.status == 422
    assert "sts:ExternalId" in kind.advice and "aws-setup" in kind.advice
    assert '<tr id="external_id_not_enforced">' in page


def test_the_openapi_document_shows_the_check_and_the_code(document: dict[str, Any]) -> None:
    validate = document["paths"]["/v1/connectors/s3/validate"]["post"]["responses"]
    verify = document["paths"]["/v1/connectors/{connector_type}/{connector_id}/verify"]["post"]
    register = document["paths"]["/v1/connectors/s3"]["post"]["responses"]

    def reports(responses: dict[str, Any]) -> list[Any]:
        return [
            example["value"]
            for example in responses["200"]["content"]["application/json"]["examples"].values()
        ]

    for shown in (reports(validate), reports(verify["responses"])):
        unbound = [r for r in shown if r["checks"][1]["code"] == "external_id_not_enforced"]
        assert len(unbound) == 1
        assert [c["name"] for c in unbound[0]["checks"]] == [
            "assume_role",
            "external_id_required",
            "head_bucket",
            "list_objects",
        ]
    problems = register["422"]["content"]["application/problem+json"]["examples"]
    assert any(e["value"]["code"] == "external_id_not_enforced" for e in problems.values())
    check_names = _schema(document, "CheckBody")["properties"]["name"]
    assert _enum(document, check_names) == [
        "assume_role",
        "external_id_required",
        "head_bucket",
        "list_objects",
    ]


def _schema(document: dict[str, Any], name: str) -> dict[str, Any]:
    schemas = document["components"]["schemas"]
    [key] = [key for key in schemas if key.endswith(name)]
    return dict(schemas[key])


def _enum(document: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return list(schema["enum"])
