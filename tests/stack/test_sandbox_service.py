"""A newcomer's path, on each database, against the sandbox: nothing faked."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from adapters.sandbox.customer import create_sandbox_customer
from adapters.sandbox.emulator import iam_as
from entrypoints.settings import Settings
from tests.conftest import bearer
from tests.stack.conftest import stored_connectors


async def _external_id(client: AsyncTestClient[Any], org: int) -> str:
    response = await client.get("/v1/account/aws-setup", headers=bearer(org=org))
    assert response.status_code == 200
    return str(response.json()["external_id"])


async def _customer(
    client: AsyncTestClient[Any], settings: Settings, org: int, trusted_org: int | None = None
) -> dict[str, str]:
    external_id = await _external_id(client, trusted_org or org)
    bucket = f"stack-{uuid.uuid4().hex[:16]}"
    return create_sandbox_customer(
        settings.sandbox_endpoint,
        settings.principal_arn,
        external_id,
        trusted_org or org,
        bucket=bucket,
    )


async def test_the_readme_path_registers_a_connector(
    stack_client: AsyncTestClient[Any], stack_settings: Settings
) -> None:
    body = await _customer(stack_client, stack_settings, org=7)
    created = await stack_client.post("/v1/connectors/s3", json=body, headers=bearer(org=7))
    assert created.status_code == 200, created.text
    connector = created.json()
    fetched = await stack_client.get(f"/v1/connectors/s3/{connector['id']}", headers=bearer(org=7))
    assert fetched.json() == connector
    assert await stored_connectors(stack_settings.database_url) == 1
    deleted = await stack_client.delete(
        f"/v1/connectors/s3/{connector['id']}", headers=bearer(org=7)
    )
    assert deleted.status_code == 204
    assert await stored_connectors(stack_settings.database_url) == 0


@pytest.mark.parametrize(
    ("breakage", "code"),
    [
        ("another_orgs_role", "assume_role_denied"),
        ("no_such_role", "assume_role_denied"),
        ("no_such_bucket", "bucket_not_found"),
        ("wrong_owner", "bucket_access_denied"),
        ("unlisted_bucket", "bucket_access_denied"),
    ],
)
async def test_a_failed_probe_is_422_and_leaves_no_row(
    stack_client: AsyncTestClient[Any], stack_settings: Settings, breakage: str, code: str
) -> None:
    if breakage == "another_orgs_role":
        # The role trusts org 8's external id; org 9 must not be able to use it.
        body = await _customer(stack_client, stack_settings, org=9, trusted_org=8)
    else:
        body = await _customer(stack_client, stack_settings, org=9)
    if breakage == "no_such_role":
        body["role_arn"] = body["role_arn"] + "-missing"
    elif breakage == "no_such_bucket":
        body["bucket_uri"] = f"s3://missing-{uuid.uuid4().hex[:12]}"
    elif breakage == "wrong_owner":
        body["expected_bucket_owner_account_id"] = "999988887777"
    elif breakage == "unlisted_bucket":
        # The customer's own bucket, but the role's policy no longer grants it.
        _revoke_bucket_grant(stack_settings, body)
    response = await stack_client.post("/v1/connectors/s3", json=body, headers=bearer(org=9))
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code
    assert await stored_connectors(stack_settings.database_url) == 0


def _revoke_bucket_grant(settings: Settings, body: dict[str, str]) -> None:
    iam = iam_as(body["expected_bucket_owner_account_id"], settings.sandbox_endpoint)
    bucket = body["bucket_uri"].removeprefix("s3://")
    iam.delete_role_policy(
        RoleName=body["role_arn"].rpartition("/")[2], PolicyName=f"bucket-{bucket}"
    )


async def test_parallel_duplicate_registrations_end_in_one_row_and_409s(
    stack_client: AsyncTestClient[Any], stack_settings: Settings
) -> None:
    body = await _customer(stack_client, stack_settings, org=11)
    responses = await asyncio.gather(
        *(
            stack_client.post("/v1/connectors/s3", json=body, headers=bearer(org=11))
            for _ in range(10)
        )
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [409] * 9
    assert all(
        r.json()["code"] == "duplicate_credential_name" for r in responses if r.status_code == 409
    )
    assert await stored_connectors(stack_settings.database_url) == 1


async def test_the_first_aws_setup_of_an_org_races_to_one_external_id(
    stack_client: AsyncTestClient[Any],
) -> None:
    responses = await asyncio.gather(
        *(stack_client.get("/v1/account/aws-setup", headers=bearer(org=12)) for _ in range(10))
    )
    assert all(response.status_code == 200 for response in responses)
    assert len({response.json()["external_id"] for response in responses}) == 1


async def test_ready_reports_both_dependencies(stack_client: AsyncTestClient[Any]) -> None:
    response = await stack_client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "dependencies": {"database": "ok", "aws": "ok"}}


@pytest.mark.parametrize("bad", ["\x00", "\u202e", "\x85"], ids=["NUL", "bidi", "C1"])
async def test_an_unsafe_character_in_a_prefix_is_400_on_each_database_before_any_probe(
    stack_client: AsyncTestClient[Any], stack_settings: Settings, bad: str
) -> None:
    # PostgreSQL's text refuses NUL: once this reached the insert, after the
    # whole probe, as a 500.
    body = await _customer(stack_client, stack_settings, org=23)
    body["bucket_uri"] += f"/reports{bad}/"

    response = await stack_client.post("/v1/connectors/s3", json=body, headers=bearer(org=23))

    assert response.status_code == 400, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["bucket_uri"]
    assert await stored_connectors(stack_settings.database_url) == 0
