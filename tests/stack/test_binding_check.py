"""The confused-deputy defence as a newcomer meets it: the whole service on each
database against the sandbox, whose STS refuses AssumeRole as AWS's does."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from adapters.persistence.piccolo.migration_runner import migrate
from adapters.sandbox.customer import create_sandbox_customer
from adapters.sandbox.emulator import iam_as
from domain.external_id import ExternalId
from entrypoints.settings import Settings
from tests.conftest import PRINCIPAL_ARN, bearer
from tests.stack.conftest import stored_connectors
from tests.support.unbound_trust import unbound_trust_policies


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    # SQLite alone: what is checked here is the probe, end to end; that a refusal
    # stores nothing on PostgreSQL too is test_sandbox_service's.
    url = f"sqlite:///{tmp_path / 'bucketlink.sqlite'}"
    asyncio.run(migrate(url))
    return url


SHAPES = sorted(unbound_trust_policies(PRINCIPAL_ARN, ExternalId("any-id-for-the-names")))


async def _customer(client: AsyncTestClient[Any], settings: Settings, org: int) -> dict[str, str]:
    setup = await client.get("/v1/account/aws-setup", headers=bearer(org=org))
    external_id = setup.json()["external_id"]
    return create_sandbox_customer(
        settings.sandbox_endpoint,
        settings.principal_arn,
        external_id,
        org,
        bucket=f"binding-{uuid.uuid4().hex[:16]}",
    ) | {"credential_name": f"binding-{uuid.uuid4().hex[:8]}"}


def _set_trust(settings: Settings, body: dict[str, str], policy: dict[str, Any]) -> None:
    iam = iam_as(body["expected_bucket_owner_account_id"], settings.sandbox_endpoint)
    iam.update_assume_role_policy(
        RoleName=body["role_arn"].rpartition("/")[2], PolicyDocument=json.dumps(policy)
    )


@pytest.mark.parametrize("shape", SHAPES)
async def test_a_role_not_bound_to_the_external_id_is_refused_and_nothing_stored(
    stack_client: AsyncTestClient[Any], stack_settings: Settings, shape: str
) -> None:
    body = await _customer(stack_client, stack_settings, org=21)
    setup = await stack_client.get("/v1/account/aws-setup", headers=bearer(org=21))
    external_id = ExternalId(setup.json()["external_id"])
    _set_trust(stack_settings, body, unbound_trust_policies(PRINCIPAL_ARN, external_id)[shape])

    response = await stack_client.post("/v1/connectors/s3", json=body, headers=bearer(org=21))

    assert response.status_code == 422, response.text
    assert response.json()["code"] == "external_id_not_enforced"
    assert await stored_connectors(stack_settings.database_url) == 0


async def test_the_two_organisation_attack_is_refused_for_both(
    stack_client: AsyncTestClient[Any], stack_settings: Settings
) -> None:
    # Org 7's role with no external id condition: org 7 and org 8 both got 200.
    body = await _customer(stack_client, stack_settings, org=7)
    shapes = unbound_trust_policies(PRINCIPAL_ARN, ExternalId("unused-by-this-shape"))
    _set_trust(stack_settings, body, shapes["no condition"])

    for org in (7, 8):
        response = await stack_client.post("/v1/connectors/s3", json=body, headers=bearer(org=org))
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "external_id_not_enforced"
    assert await stored_connectors(stack_settings.database_url) == 0


async def test_the_sandbox_customer_is_bound_and_registers(
    stack_client: AsyncTestClient[Any], stack_settings: Settings
) -> None:
    body = await _customer(stack_client, stack_settings, org=22)

    validated = await stack_client.post(
        "/v1/connectors/s3/validate", json=body, headers=bearer(org=22)
    )
    created = await stack_client.post("/v1/connectors/s3", json=body, headers=bearer(org=22))

    assert [(c["name"], c["ok"]) for c in validated.json()["checks"]] == [
        ("assume_role", True),
        ("external_id_required", True),
        ("head_bucket", True),
        ("list_objects", True),
    ]
    assert created.status_code == 200, created.text
