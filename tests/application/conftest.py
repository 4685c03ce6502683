"""The platform as an in-process caller gets it from ``bootstrap()``, wired to the
shipped fakes, and customers who set up their side of AWS the way the aws-setup
answer tells them to.

Plain functions here build the customer's world; test modules import them with
``from .conftest import ...``. Fixtures hand out a fresh platform per test.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from adapters.fakes.fake_access_probe import FakeAccessProbe
from adapters.fakes.fake_aws import FakeAws
from adapters.fakes.fake_credential_vendor import FakeCredentialVendor
from adapters.fakes.fake_provisioner import FakeBucketProvisioner
from adapters.fakes.in_memory_connectors import InMemoryConnectorRepository
from adapters.fakes.in_memory_managed_buckets import InMemoryManagedBucketRepository
from adapters.fakes.in_memory_organisations import InMemoryOrganisationRepository
from adapters.system.ids import RandomIds
from application.bucketlink import Bucketlink
from application.register_s3_connector import S3ConnectorRequest
from domain.account_id import AccountId
from domain.aws_setup import JsonObject, trust_policy
from domain.connector import Connector, ConnectorType, S3Target
from domain.credential_name import CredentialName
from domain.external_id import ExternalId
from domain.identity import Caller, OrgId
from domain.pagination import MAX_LIMIT, Page, PageRequest
from domain.probe import ProbeStep
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName, S3Uri
from entrypoints.bootstrap import bootstrap
from entrypoints.settings import Settings

PRINCIPAL_ARN = "arn:aws:iam::999988887777:role/bucketlink-platform"
# The platform's own account, where managed buckets and their roles are made.
PLATFORM_ACCOUNT = "999988887777"
# Built explicitly: nothing reads the environment, nothing touches the database.
SETTINGS = Settings(
    jwt_secret="x", database_url="sqlite:////tmp/unused.sqlite", principal_arn=PRINCIPAL_ARN
)

CUSTOMER_ACCOUNT = "111122223333"
OTHER_ACCOUNT = "444455556666"
BUCKET = "customer-data"
START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

ALICE = Caller("alice", OrgId(1))
BOB = Caller("bob", OrgId(1))  # alice's colleague, same org
ALICE_AT_ORG_2 = Caller("alice", OrgId(2))  # the same user id in another org


class FixedClock:
    """Time stands still until a test moves it."""

    def __init__(self, moment: datetime = START) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def advance(self, seconds: float = 1.0) -> None:
        self.moment += timedelta(seconds=seconds)


class ScriptedSuffixes:
    """Bucket name suffixes: the ones given, in turn, then ``000000000001``,
    ``000000000002``, ... (so tests can know, or take, the names to come)."""

    def __init__(self, *first: str) -> None:
        self._first = list(first)
        self._counter = 0
        self.drawn: list[str] = []

    def suffix(self, length: int, alphabet: str) -> str:
        if self._first:
            drawn = self._first.pop(0)
        else:
            self._counter += 1
            drawn = f"{self._counter:0{length}d}"
        self.drawn.append(drawn)
        return drawn


@dataclass(slots=True)
class Platform:
    app: Bucketlink
    world: FakeAws
    clock: FixedClock
    buckets: InMemoryManagedBucketRepository
    suffixes: ScriptedSuffixes


def make_platform(
    settings: Settings = SETTINGS, *, world: FakeAws | None = None, **adapters: Any
) -> Platform:
    """A fresh platform on the fakes (in ``world``, or a new one); ``adapters``
    replace any of them."""
    world = world or FakeAws()
    clock = FixedClock()
    wiring: dict[str, Any] = {
        "probe": FakeAccessProbe(world, PRINCIPAL_ARN),
        "connectors": InMemoryConnectorRepository(),
        "organisations": InMemoryOrganisationRepository(),
        "clock": clock,
        "ids": RandomIds(),
        "provisioner": FakeBucketProvisioner(world, PLATFORM_ACCOUNT),
        "buckets": InMemoryManagedBucketRepository(),
        "suffixes": ScriptedSuffixes(),
        "vendor": FakeCredentialVendor(world, PRINCIPAL_ARN, clock),
        **adapters,
    }
    app = bootstrap(settings, **wiring)
    return Platform(app, world, clock, wiring["buckets"], wiring["suffixes"])


@pytest.fixture
def platform() -> Platform:
    return make_platform()


@pytest.fixture
def app(platform: Platform) -> Bucketlink:
    return platform.app


@pytest.fixture
def world(platform: Platform) -> FakeAws:
    return platform.world


@pytest.fixture
def clock(platform: Platform) -> FixedClock:
    return platform.clock


# -- the customer's side of AWS --


def bucket_list_policy(bucket: str) -> JsonObject:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}"}
        ],
    }


def deny_listing_policy(bucket: str, prefix_pattern: str) -> JsonObject:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Action": "s3:ListBucket",
                "Resource": f"arn:aws:s3:::{bucket}",
                "Condition": {"StringLike": {"s3:prefix": prefix_pattern}},
            }
        ],
    }


def customer_bucket(
    world: FakeAws, name: str = BUCKET, account: str = CUSTOMER_ACCOUNT
) -> BucketName:
    return world.create_bucket(account, name)


def customer_role(
    world: FakeAws,
    org_external_id: ExternalId,
    *,
    name: str = "bucketlink-access",
    account: str = CUSTOMER_ACCOUNT,
    bucket: str = BUCKET,
    principal: str = PRINCIPAL_ARN,
) -> RoleArn:
    """A role trusting ``principal`` under the external id, allowed to list ``bucket``."""
    role = world.create_role(account, name, trust_policy(principal, org_external_id))
    world.put_role_policy(role, "bucketlink-list", bucket_list_policy(bucket))
    return role


async def external_id_of(app: Bucketlink, caller: Caller) -> ExternalId:
    return (await app.get_aws_setup(caller)).external_id


async def ready_customer(
    platform: Platform,
    caller: Caller,
    *,
    bucket: str = BUCKET,
    prefix: str = "",
    account: str = CUSTOMER_ACCOUNT,
) -> S3Target:
    """What a customer does before registering: read the aws-setup, make the bucket
    and a role of their own trusting the platform. Returns what they register."""
    external_id = await external_id_of(platform.app, caller)
    customer_bucket(platform.world, bucket, account)
    role = customer_role(
        platform.world,
        external_id,
        name=f"{caller.user_id}-org-{caller.org_id}-{bucket}"[:64],
        account=account,
        bucket=bucket,
    )
    return s3_target(role, bucket, owner=account, prefix=prefix)


def s3_target(
    role: RoleArn | str, bucket: str = BUCKET, *, owner: str = CUSTOMER_ACCOUNT, prefix: str = ""
) -> S3Target:
    uri = f"s3://{bucket}/{prefix}" if prefix else f"s3://{bucket}"
    return S3Target(
        bucket_uri=S3Uri.parse(uri),
        role_arn=role if isinstance(role, RoleArn) else RoleArn.parse(role),
        bucket_owner=AccountId.parse(owner),
    )


def s3_request(name: str, target: S3Target) -> S3ConnectorRequest:
    return S3ConnectorRequest(CredentialName(name), target)


async def register(platform: Platform, caller: Caller, name: str, target: S3Target) -> Connector:
    return await platform.app.register_s3_connector(caller, s3_request(name, target))


async def listing(
    app: Bucketlink, caller: Caller, connector_type: ConnectorType | None = None
) -> list[Connector]:
    """Everything ``caller`` can list, all pages, in the order given."""
    page: Page[Connector] = await app.list_connectors(
        caller, connector_type, PageRequest(MAX_LIMIT)
    )
    items = list(page.items)
    while page.next_cursor is not None:
        page = await app.list_connectors(
            caller, connector_type, PageRequest(MAX_LIMIT, page.next_cursor)
        )
        items.extend(page.items)
    return items


def operations(world: FakeAws) -> list[str]:
    return [call.operation for call in world.calls]


# The calls each step of a probe makes: the binding check is two more AssumeRoles.
CALLS_OF_STEP = {
    ProbeStep.ASSUME_ROLE: ["AssumeRole"],
    ProbeStep.EXTERNAL_ID_REQUIRED: ["AssumeRole", "AssumeRole"],
    ProbeStep.HEAD_BUCKET: ["HeadBucket"],
    ProbeStep.LIST_OBJECTS: ["ListObjectsV2"],
}
PROBE_CALLS = [call for step in ProbeStep for call in CALLS_OF_STEP[step]]


def calls_until(step: ProbeStep) -> list[str]:
    """The calls of a probe that stops at ``step``."""
    steps = list(ProbeStep)[: list(ProbeStep).index(step) + 1]
    return [call for each in steps for call in CALLS_OF_STEP[each]]


async def yield_to_others() -> None:
    """Lets every other ready task run: how a database round trip interleaves."""
    await asyncio.sleep(0)


# -- customers who got something wrong, one step at a time --


@dataclass(frozen=True, slots=True)
class BrokenSetup:
    """A customer setup that fails the probe at ``step`` with ``code``."""

    build: Callable[[Platform, Caller], Awaitable[S3Target]]
    step: ProbeStep
    code: str


async def _role_missing(platform: Platform, caller: Caller) -> S3Target:
    customer_bucket(platform.world)
    return s3_target(f"arn:aws:iam::{CUSTOMER_ACCOUNT}:role/never-created")


async def _role_trusts_another_external_id(platform: Platform, caller: Caller) -> S3Target:
    customer_bucket(platform.world)
    role = customer_role(platform.world, ExternalId("made-up-by-the-customer-0123456789abcdef"))
    return s3_target(role)


async def _role_trusts_another_principal(platform: Platform, caller: Caller) -> S3Target:
    customer_bucket(platform.world)
    role = customer_role(
        platform.world,
        await external_id_of(platform.app, caller),
        principal="arn:aws:iam::123456789012:role/someone-else",
    )
    return s3_target(role)


async def _role_not_bound_to_the_external_id(platform: Platform, caller: Caller) -> S3Target:
    target = await ready_customer(platform, caller)
    no_condition = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": PRINCIPAL_ARN}, "Action": "sts:AssumeRole"}
        ],
    }
    platform.world.update_trust_policy(target.role_arn, no_condition)
    return target


async def _bucket_missing(platform: Platform, caller: Caller) -> S3Target:
    role = customer_role(platform.world, await external_id_of(platform.app, caller))
    return s3_target(role, BUCKET)


async def _bucket_owned_by_another_account(platform: Platform, caller: Caller) -> S3Target:
    target = await ready_customer(platform, caller)
    return s3_target(target.role_arn, BUCKET, owner=OTHER_ACCOUNT)


async def _prefix_listing_denied(platform: Platform, caller: Caller) -> S3Target:
    target = await ready_customer(platform, caller, prefix="secret/reports/")
    platform.world.put_role_policy(
        target.role_arn, "no-secrets", deny_listing_policy(BUCKET, "secret/*")
    )
    return target


BROKEN_SETUPS = {
    "role missing": BrokenSetup(_role_missing, ProbeStep.ASSUME_ROLE, "assume_role_denied"),
    "trust policy with another external id": BrokenSetup(
        _role_trusts_another_external_id, ProbeStep.ASSUME_ROLE, "assume_role_denied"
    ),
    "trust policy for another principal": BrokenSetup(
        _role_trusts_another_principal, ProbeStep.ASSUME_ROLE, "assume_role_denied"
    ),
    "trust policy without an external id condition": BrokenSetup(
        _role_not_bound_to_the_external_id,
        ProbeStep.EXTERNAL_ID_REQUIRED,
        "external_id_not_enforced",
    ),
    "bucket missing": BrokenSetup(_bucket_missing, ProbeStep.HEAD_BUCKET, "bucket_not_found"),
    "bucket owned by another account": BrokenSetup(
        _bucket_owned_by_another_account, ProbeStep.HEAD_BUCKET, "bucket_access_denied"
    ),
    "listing the prefix explicitly denied": BrokenSetup(
        _prefix_listing_denied, ProbeStep.LIST_OBJECTS, "list_denied"
    ),
}


@pytest.fixture(params=list(BROKEN_SETUPS), ids=str)
def broken(request: pytest.FixtureRequest) -> BrokenSetup:
    return BROKEN_SETUPS[request.param]
