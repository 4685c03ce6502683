"""The HTTP app on the shipped fakes: fast, and strict as AWS is."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from adapters.fakes.fake_access_probe import FakeAccessProbe
from adapters.fakes.fake_aws import FakeAws
from adapters.fakes.fake_credential_vendor import FakeCredentialVendor
from adapters.fakes.fake_provisioner import FakeBucketProvisioner
from adapters.fakes.in_memory_connectors import InMemoryConnectorRepository
from adapters.fakes.in_memory_managed_buckets import InMemoryManagedBucketRepository
from adapters.fakes.in_memory_organisations import InMemoryOrganisationRepository
from domain.aws_setup import trust_policy
from domain.external_id import ExternalId
from entrypoints.bootstrap import build_container
from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.conftest import PRINCIPAL_ARN, bearer

CUSTOMER_ACCOUNT = "111122223333"


@pytest.fixture
def world() -> FakeAws:
    return FakeAws()


def fake_adapters(world: FakeAws) -> dict[str, Any]:
    """The shipped fakes for every port that reaches AWS or a database, by port
    name, all sharing one AWS ``world``."""
    return {
        "probe": FakeAccessProbe(world, PRINCIPAL_ARN),
        "connectors": InMemoryConnectorRepository(),
        "organisations": InMemoryOrganisationRepository(),
        "provisioner": FakeBucketProvisioner(world),
        "buckets": InMemoryManagedBucketRepository(),
        "vendor": FakeCredentialVendor(world, PRINCIPAL_ARN),
    }


def fake_container(settings: Settings, world: FakeAws) -> Container:
    """The service on the shipped fakes."""
    return build_container(settings, **fake_adapters(world))


@pytest.fixture
def container(settings: Settings, world: FakeAws) -> Container:
    return fake_container(settings, world)


@pytest.fixture
async def client(container: Container) -> AsyncIterator[AsyncTestClient[Any]]:
    async with AsyncTestClient(create_app(container)) as test_client:
        yield test_client


@dataclass
class Customer:
    """A customer who followed the instructions of GET /v1/account/aws-setup."""

    body: dict[str, str]
    external_id: str


async def external_id_of(client: AsyncTestClient[Any], org: int = 1) -> str:
    response = await client.get("/v1/account/aws-setup", headers=bearer(org=org))
    assert response.status_code == 200, response.text
    return str(response.json()["external_id"])


async def onboard(
    client: AsyncTestClient[Any],
    world: FakeAws,
    org: int = 1,
    name: str = "analytics",
    bucket: str = "customer-data",
    prefix: str = "exports/",
) -> Customer:
    external_id = await external_id_of(client, org)
    role = world.create_role(
        CUSTOMER_ACCOUNT,
        f"bucketlink-{org}-{name}",
        trust_policy(PRINCIPAL_ARN, ExternalId(external_id)),
    )
    world.put_role_policy(
        role,
        "read",
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}"}
            ],
        },
    )
    world.create_bucket(CUSTOMER_ACCOUNT, bucket)
    body = {
        "credential_name": name,
        "role_arn": str(role),
        "bucket_uri": f"s3://{bucket}/{prefix}",
        "expected_bucket_owner_account_id": CUSTOMER_ACCOUNT,
    }
    return Customer(body, external_id)


@pytest.fixture
async def customer(client: AsyncTestClient[Any], world: FakeAws) -> Customer:
    return await onboard(client, world)


Operation = tuple[str, str, dict[str, Any]]


@pytest.fixture
async def document(client: AsyncTestClient[Any]) -> dict[str, Any]:
    """The OpenAPI document the app serves."""
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def operations(document: dict[str, Any]) -> Iterator[Operation]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "delete", "patch"}:
                yield path, method, operation
