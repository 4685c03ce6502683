"""Contract §5 through HTTP: register, check, list, read, verify and delete."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from adapters.fakes.fake_aws import FakeAws
from tests.api.conftest import Customer, onboard
from tests.conftest import bearer

VERIFIED_KEYS = {
    "verified_bucket_uri",
    "verified_role_arn",
    "verified_bucket_owner_account_id",
    "verified_account",
    "verified_warehouse",
    "verified_database",
    "verified_schema_name",
    "verified_server_hostname",
    "verified_http_path",
    "verified_catalog",
}


async def _register(client: AsyncTestClient[Any], body: dict[str, str], **who: Any) -> Any:
    return await client.post("/v1/connectors/s3", json=body, headers=bearer(**who))


async def test_registering_answers_200_with_every_key_and_the_verified_target(
    client: AsyncTestClient[Any], customer: Customer
) -> None:
    response = await _register(client, customer.body)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {
        "id",
        "credential_name",
        "connector_type",
        "created_at",
        "updated_at",
        *VERIFIED_KEYS,
    }
    assert body["credential_name"] == "analytics"
    assert body["connector_type"] == "s3"
    assert body["verified_bucket_uri"] == customer.body["bucket_uri"]
    assert body["verified_role_arn"] == customer.body["role_arn"]
    assert body["verified_bucket_owner_account_id"] == "111122223333"
    others = VERIFIED_KEYS - {
        "verified_bucket_uri",
        "verified_role_arn",
        "verified_bucket_owner_account_id",
    }
    assert all(body[key] is None for key in others)
    assert body["created_at"].endswith("Z") and body["created_at"] == body["updated_at"]


async def test_connector_type_may_be_given_as_s3(
    client: AsyncTestClient[Any], customer: Customer
) -> None:
    response = await _register(client, {**customer.body, "connector_type": "s3"})
    assert response.status_code == 200


async def test_a_registered_connector_can_be_read_listed_verified_and_deleted(
    client: AsyncTestClient[Any], customer: Customer
) -> None:
    created = (await _register(client, customer.body)).json()
    one = f"/v1/connectors/s3/{created['id']}"

    assert (await client.get(one, headers=bearer())).json() == created
    listed = (await client.get("/v1/connectors", headers=bearer())).json()
    assert listed == {"items": [created], "next_cursor": None}

    verified = await client.post(f"{one}/verify", headers=bearer())
    assert verified.status_code == 200
    assert verified.json()["valid"] is True
    assert verified.json()["verified_at"].endswith("Z")

    deleted = await client.delete(one, headers=bearer())
    assert deleted.status_code == 204
    assert (await client.get(one, headers=bearer())).status_code == 404
    assert (await client.delete(one, headers=bearer())).status_code == 404


async def test_a_wrong_connector_type_for_the_id_is_404(
    client: AsyncTestClient[Any], customer: Customer
) -> None:
    created = (await _register(client, customer.body)).json()
    for method in ("GET", "DELETE"):
        response = await client.request(
            method, f"/v1/connectors/snowflake/{created['id']}", headers=bearer()
        )
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert (
        await client.get(f"/v1/connectors/s3/{created['id']}", headers=bearer())
    ).status_code == 200


async def test_the_list_is_newest_first_and_pages_with_a_cursor(
    client: AsyncTestClient[Any], world: FakeAws
) -> None:
    ids = []
    for n in range(5):
        customer = await onboard(client, world, name=f"c{n}", bucket=f"bucket-{n}")
        ids.append((await _register(client, customer.body)).json()["id"])
    seen: list[str] = []
    url = "/v1/connectors?limit=2"
    while url:
        page = (await client.get(url, headers=bearer())).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        url = f"/v1/connectors?limit=2&cursor={cursor}" if cursor else ""
    assert seen == ids[::-1]
    only_s3 = (await client.get("/v1/connectors?connector_type=s3", headers=bearer())).json()
    assert len(only_s3["items"]) == 5
    none = (await client.get("/v1/connectors?connector_type=snowflake", headers=bearer())).json()
    assert none == {"items": [], "next_cursor": None}


async def test_another_user_or_org_sees_nothing_and_gets_404_for_the_id(
    client: AsyncTestClient[Any], customer: Customer
) -> None:
    created = (await _register(client, customer.body)).json()
    one = f"/v1/connectors/s3/{created['id']}"
    for stranger in ({"user": "bob", "org": 1}, {"user": "alice", "org": 2}):
        headers = bearer(**stranger)
        assert (await client.get("/v1/connectors", headers=headers)).json()["items"] == []
        for method, path in (("GET", one), ("DELETE", one), ("POST", f"{one}/verify")):
            response = await client.request(method, path, headers=headers)
            assert response.status_code == 404, (stranger, method)
            assert response.json()["code"] == "not_found"
    assert (await client.get(one, headers=bearer())).status_code == 200


async def test_the_same_name_is_a_409_for_the_same_user_only(
    client: AsyncTestClient[Any], world: FakeAws, customer: Customer
) -> None:
    assert (await _register(client, customer.body)).status_code == 200
    again = await _register(client, customer.body)
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_credential_name"
    bob = await _register(client, customer.body, user="bob")
    assert bob.status_code == 200
    listed = (await client.get("/v1/connectors", headers=bearer())).json()["items"]
    assert len(listed) == 1


async def test_validate_reports_every_check_and_stores_nothing(
    client: AsyncTestClient[Any], customer: Customer
) -> None:
    response = await client.post("/v1/connectors/s3/validate", json=customer.body, headers=bearer())
    assert response.status_code == 200
    assert response.json() == {
        "valid": True,
        "checks": [
            {"name": "assume_role", "ok": True, "code": None, "message": "ok"},
            {"name": "external_id_required", "ok": True, "code": None, "message": "ok"},
            {"name": "head_bucket", "ok": True, "code": None, "message": "ok"},
            {"name": "list_objects", "ok": True, "code": None, "message": "ok"},
        ],
    }
    assert (await client.get("/v1/connectors", headers=bearer())).json()["items"] == []


async def test_validate_names_the_failed_check_and_skips_the_rest(
    client: AsyncTestClient[Any], customer: Customer
) -> None:
    body = {**customer.body, "bucket_uri": "s3://no-such-bucket-here"}
    response = await client.post("/v1/connectors/s3/validate", json=body, headers=bearer())
    assert response.status_code == 200
    report = response.json()
    assert report["valid"] is False
    assert [(c["name"], c["ok"], c["code"]) for c in report["checks"]] == [
        ("assume_role", True, None),
        ("external_id_required", True, None),
        ("head_bucket", False, "bucket_not_found"),
        ("list_objects", False, "skipped"),
    ]


async def test_verify_reports_a_connector_the_customer_has_since_broken(
    client: AsyncTestClient[Any], world: FakeAws, customer: Customer
) -> None:
    created = (await _register(client, customer.body)).json()
    role = next(iter(world.calls)).params["RoleArn"]
    from domain.role_arn import RoleArn

    world.update_trust_policy(RoleArn.parse(str(role)), {"Version": "2012-10-17", "Statement": []})
    response = await client.post(f"/v1/connectors/s3/{created['id']}/verify", headers=bearer())
    assert response.status_code == 200
    assert response.json()["valid"] is False
    assert response.json()["checks"][0]["code"] == "assume_role_denied"


async def test_the_probe_uses_the_callers_org_external_id(
    client: AsyncTestClient[Any], world: FakeAws, customer: Customer
) -> None:
    await _register(client, customer.body)
    assume = next(call for call in world.calls if call.operation == "AssumeRole")
    assert assume.params["ExternalId"] == customer.external_id
    assert "org-1" in str(assume.params["RoleSessionName"])
    s3_calls = [call for call in world.calls if call.operation != "AssumeRole"]
    assert s3_calls and all(c.params["ExpectedBucketOwner"] == "111122223333" for c in s3_calls)


async def test_an_external_id_in_the_body_is_refused_not_used(
    client: AsyncTestClient[Any], world: FakeAws, customer: Customer
) -> None:
    response = await _register(client, {**customer.body, "external_id": "attacker-chosen"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "external_id"
    assert world.calls == []


async def test_a_role_in_the_platforms_own_account_is_refused_before_any_probe(
    client: AsyncTestClient[Any], customer: Customer, world: FakeAws
) -> None:
    # PRINCIPAL_ARN's account: a role there may trust the platform account as a
    # whole, and then no external id would protect it.
    platform_role = {**customer.body, "role_arn": "arn:aws:iam::123456789012:role/admin"}
    for path in ("/v1/connectors/s3", "/v1/connectors/s3/validate"):
        world.fail_next()  # a probe would meet it and answer 503
        response = await client.post(path, json=platform_role, headers=bearer())
        assert response.status_code == 400, response.text
        assert response.json()["errors"] == [
            {
                "field": "role_arn",
                "message": "must be a role in your own AWS account: 123456789012 is the platform's",
            }
        ]
    listed = await client.get("/v1/connectors", headers=bearer())
    assert listed.json()["items"] == []
