"""Contract §6 through HTTP, on each database, against the sandbox emulator:
what the API says is checked against what the emulator holds."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError
from litestar.testing import AsyncTestClient
from moto.s3.models import s3_backends

from adapters.sandbox.defaults import PLATFORM_ACCOUNT_ID
from adapters.sandbox.emulator import iam_as, s3_as
from domain.errors import DatabaseUnavailable
from entrypoints.bootstrap import bootstrap
from entrypoints.container import Container
from entrypoints.settings import Settings
from tests.conftest import bearer
from tests.stack.conftest import stored_rows
from tests.support.aws_faults import client_for, fail_next_call

CUSTOMER = "111122223333"


class Emulator:
    """The platform account as the emulator sees it."""

    def __init__(self, settings: Settings) -> None:
        self.s3 = s3_as(PLATFORM_ACCOUNT_ID, settings.sandbox_endpoint)
        self.iam = iam_as(PLATFORM_ACCOUNT_ID, settings.sandbox_endpoint)

    def bucket_exists(self, name: str) -> bool:
        return name in {b["Name"] for b in self.s3.list_buckets()["Buckets"]}

    def policy(self, name: str) -> dict[str, Any]:
        return dict(json.loads(self.s3.get_bucket_policy(Bucket=name)["Policy"]))

    def granted_principals(self, name: str) -> list[Any]:
        return [s["Principal"] for s in self.policy(name)["Statement"] if s["Effect"] == "Allow"]

    def role_exists(self, name: str) -> bool:
        try:
            self.iam.get_role(RoleName=name)
        except ClientError:
            return False
        return True

    def put_object(self, bucket: str, key: str) -> None:
        # The bucket refuses plain-HTTP object calls (TLS only), as AWS would, so
        # the object goes in through moto's in-process backend.
        s3_backends[PLATFORM_ACCOUNT_ID]["aws"].put_object(bucket, key, b"data")

    def delete_object(self, bucket: str, key: str) -> None:
        s3_backends[PLATFORM_ACCOUNT_ID]["aws"].delete_object(bucket, key)


@pytest.fixture
def emulated(stack_settings: Settings) -> Emulator:
    return Emulator(stack_settings)


async def _create(client: AsyncTestClient[Any], org: int = 1, **body: Any) -> Any:
    payload = {"account_id": CUSTOMER, "resource_id": "yourcompany", **body}
    return await client.post("/resources/buckets", json=payload, headers=bearer(org=org))


async def test_a_bucket_is_created_secured_and_granted_by_policy(
    stack_client: AsyncTestClient[Any], emulated: Emulator
) -> None:
    response = await _create(stack_client, org=3)
    assert response.status_code == 200, response.text
    bucket = response.json()
    assert bucket["company_id"] == 3
    assert bucket["auth"] == {"type": "bucket_policy", "account_id": CUSTOMER}
    assert bucket["is_access_mutable"] is True
    name = bucket["name"]
    assert name.startswith("nio-yourcompany-") and len(name) == len("nio-yourcompany-") + 12
    assert emulated.bucket_exists(name)
    blocks = emulated.s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
    assert all(blocks.values()) and len(blocks) == 4
    assert emulated.granted_principals(name) == [{"AWS": f"arn:aws:iam::{CUSTOMER}:root"}]
    listed = await stack_client.get("/resources/buckets", headers=bearer(org=3))
    assert listed.json() == {"items": [bucket], "next_cursor": None}
    fetched = await stack_client.get(f"/resources/buckets/{bucket['id']}", headers=bearer(org=3))
    assert fetched.json() == bucket


async def test_an_integer_account_id_is_left_padded(stack_client: AsyncTestClient[Any]) -> None:
    response = await _create(stack_client, account_id=12345678901)
    assert response.status_code == 200, response.text
    assert response.json()["auth"]["account_id"] == "012345678901"


async def test_access_switches_policy_to_role_to_policy_removing_the_old_grant(
    stack_client: AsyncTestClient[Any], emulated: Emulator
) -> None:
    bucket = (await _create(stack_client)).json()
    name, url = bucket["name"], f"/resources/buckets/{bucket['id']}/access"

    to_role = await stack_client.put(
        url,
        json={"access": {"type": "role", "external_id": "customer-chosen-id"}},
        headers=bearer(),
    )
    assert to_role.status_code == 200, to_role.text
    auth = to_role.json()["auth"]
    assert auth == {
        "type": "role",
        "account_id": CUSTOMER,
        "external_id": "customer-chosen-id",
        "role_arn": f"arn:aws:iam::{PLATFORM_ACCOUNT_ID}:role/{name}",
    }
    assert emulated.role_exists(name)
    assert emulated.granted_principals(name) == []
    trust = emulated.iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"]
    condition = trust["Statement"][0]["Condition"]["StringEquals"]
    assert condition == {"sts:ExternalId": "customer-chosen-id"}

    back = await stack_client.put(
        url,
        json={"access": {"type": "bucket_policy"}, "account_id": "444455556666"},
        headers=bearer(),
    )
    assert back.status_code == 200, back.text
    assert back.json()["auth"] == {"type": "bucket_policy", "account_id": "444455556666"}
    assert not emulated.role_exists(name)
    assert emulated.granted_principals(name) == [{"AWS": "arn:aws:iam::444455556666:root"}]


async def test_a_locked_bucket_refuses_access_changes(
    stack_client: AsyncTestClient[Any], stack_settings: Settings, emulated: Emulator
) -> None:
    bucket = (await _create(stack_client)).json()
    await bootstrap(stack_settings).set_access_lock(uuid.UUID(bucket["id"]), mutable=False)
    response = await stack_client.put(
        f"/resources/buckets/{bucket['id']}/access",
        json={"access": {"type": "role", "external_id": "abc-123"}},
        headers=bearer(),
    )
    assert response.status_code == 409
    assert response.json()["code"] == "access_immutable"
    assert not emulated.role_exists(bucket["name"])
    fetched = await stack_client.get(f"/resources/buckets/{bucket['id']}", headers=bearer())
    assert fetched.json()["is_access_mutable"] is False


async def test_delete_removes_bucket_role_and_row_but_refuses_a_non_empty_bucket(
    stack_client: AsyncTestClient[Any], emulated: Emulator
) -> None:
    bucket = (
        await _create(stack_client, access={"type": "role", "external_id": "customer-chosen-id"})
    ).json()
    url = f"/resources/buckets/{bucket['id']}"
    emulated.put_object(bucket["name"], "report.csv")

    refused = await stack_client.delete(url, headers=bearer())
    assert refused.status_code == 409
    assert refused.json()["code"] == "bucket_not_empty"
    assert emulated.bucket_exists(bucket["name"]) and emulated.role_exists(bucket["name"])

    emulated.delete_object(bucket["name"], "report.csv")
    deleted = await stack_client.delete(url, headers=bearer())
    assert deleted.status_code == 204
    assert not emulated.bucket_exists(bucket["name"])
    assert not emulated.role_exists(bucket["name"])
    assert (await stack_client.get(url, headers=bearer())).status_code == 404


async def test_another_company_gets_404_for_every_bucket_route(
    stack_client: AsyncTestClient[Any], emulated: Emulator
) -> None:
    bucket = (await _create(stack_client, org=1)).json()
    url = f"/resources/buckets/{bucket['id']}"
    other = bearer(org=2)
    assert (await stack_client.get("/resources/buckets", headers=other)).json()["items"] == []
    for method, path, body in (
        ("GET", url, None),
        ("DELETE", url, None),
        ("PUT", f"{url}/access", {"access": {"type": "bucket_policy"}}),
    ):
        response = await stack_client.request(method, path, json=body, headers=other)
        assert response.status_code == 404, (method, response.text)
        assert response.json()["code"] == "not_found"
    assert emulated.bucket_exists(bucket["name"])


class _RefusingRepository:
    """The database goes away just as the row would be written."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def add(self, bucket: Any) -> None:
        raise DatabaseUnavailable("injected: the database went away")


@pytest.mark.parametrize(
    ("step", "access"),
    [
        ("PutPublicAccessBlock", "bucket_policy"),
        ("PutBucketEncryption", "bucket_policy"),
        ("PutBucketPolicy", "bucket_policy"),
        ("PutBucketTagging", "bucket_policy"),
        ("CreateRole", "role"),
        ("PutRolePolicy", "role"),
        ("row", "role"),
        ("row", "bucket_policy"),
    ],
)
async def test_a_failure_after_any_step_leaves_no_bucket_role_or_row(
    stack_client: AsyncTestClient[Any],
    stack_container: Container,
    stack_settings: Settings,
    emulated: Emulator,
    step: str,
    access: str,
) -> None:
    before = {b["Name"] for b in emulated.s3.list_buckets()["Buckets"]}
    roles_before = {r["RoleName"] for r in emulated.iam.list_roles()["Roles"]}
    if step == "row":
        stack_container.buckets.override(_RefusingRepository(stack_container.buckets()))
    else:
        provisioner = stack_container.provisioner()
        fail_next_call(client_for(step, provisioner.iam, provisioner.s3), step)
    body = (
        {"type": access, "external_id": "customer-chosen-id"}
        if access == "role"
        else {"type": access}
    )
    response = await _create(stack_client, resource_id="faulty", access=body)
    assert response.status_code == 503, response.text
    assert response.json()["code"] in {"aws_unavailable", "database_unavailable"}
    assert {b["Name"] for b in emulated.s3.list_buckets()["Buckets"]} == before
    assert {r["RoleName"] for r in emulated.iam.list_roles()["Roles"]} == roles_before
    assert await stored_rows(stack_settings.database_url, "managed_bucket") == 0
