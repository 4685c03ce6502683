"""Managed buckets on the platform ``bootstrap()`` wires with the shipped fakes
(``FakeBucketProvisioner`` over the world's platform account, the in-memory
repository, scripted suffixes), and what the tests need to say "nothing was left
behind": snapshots of the platform's account, faults injected at the n-th AWS
call, a repository that fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec

from adapters.fakes.fake_aws import BucketState, FakeAws, RoleState
from adapters.fakes.in_memory_managed_buckets import InMemoryManagedBucketRepository
from application.change_bucket_access import AccessChange
from application.create_managed_bucket import BucketRequest
from domain.account_id import AccountId
from domain.errors import AwsUnavailable, DatabaseUnavailable
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.managed_bucket import Access, AccessType, ChangeLease, ManagedBucket
from domain.pagination import MAX_LIMIT, PageRequest
from domain.resource_id import ResourceId
from domain.role_arn import RoleArn

from .conftest import (
    CUSTOMER_ACCOUNT,
    PLATFORM_ACCOUNT,
    SETTINGS,
    Platform,
    ScriptedSuffixes,
    make_platform,
)

COMPANY = OrgId(1)
OTHER_COMPANY = OrgId(2)
EXTERNAL_ID = ExternalId("customer-chosen-external-id-0123")


class FailingRepository(InMemoryManagedBucketRepository):
    """The in-memory repository, whose named methods fail as an unreachable database does."""

    def __init__(self, *failing: str) -> None:
        super().__init__()
        self.failing = set(failing)

    async def add(self, bucket: ManagedBucket) -> None:
        self._maybe_fail("add")
        await super().add(bucket)

    async def commit_grant(self, bucket: ManagedBucket, lease: ChangeLease) -> None:
        self._maybe_fail("commit_grant")
        await super().commit_grant(bucket, lease)

    async def delete(self, company: OrgId, bucket_id: Any, lease: ChangeLease) -> bool:
        self._maybe_fail("delete")
        return await super().delete(company, bucket_id, lease)

    def _maybe_fail(self, method: str) -> None:
        if method in self.failing:
            raise DatabaseUnavailable(f"{method}: the database could not be reached (test).")


def make_bucket_platform(
    *,
    buckets: InMemoryManagedBucketRepository | None = None,
    suffixes: ScriptedSuffixes | None = None,
    prefix: str | None = None,
) -> Platform:
    adapters: dict[str, Any] = {"buckets": buckets, "suffixes": suffixes}
    settings = (
        SETTINGS if prefix is None else msgspec.structs.replace(SETTINGS, bucket_prefix=prefix)
    )
    return make_platform(settings, **{k: v for k, v in adapters.items() if v is not None})


# -- requests --


def by_policy(account: str = CUSTOMER_ACCOUNT) -> Access:
    return Access.by_bucket_policy(AccountId(account))


def by_role(account: str = CUSTOMER_ACCOUNT, external_id: ExternalId = EXTERNAL_ID) -> Access:
    return Access.by_role(AccountId(account), external_id)


def bucket_request(access: Access | None = None, resource_id: str = "acme") -> BucketRequest:
    return BucketRequest(ResourceId(resource_id), access or by_policy())


def to_policy(account: str | None = None) -> AccessChange:
    return AccessChange(AccessType.BUCKET_POLICY, None, AccountId(account) if account else None)


def to_role(external_id: ExternalId = EXTERNAL_ID, account: str | None = None) -> AccessChange:
    return AccessChange(AccessType.ROLE, external_id, AccountId(account) if account else None)


async def create(
    platform: Platform,
    access: Access | None = None,
    company: OrgId = COMPANY,
    resource_id: str = "acme",
) -> ManagedBucket:
    return await platform.app.create_managed_bucket(company, bucket_request(access, resource_id))


async def rows(platform: Platform, company: OrgId = COMPANY) -> list[ManagedBucket]:
    page = await platform.app.list_managed_buckets(company, PageRequest(MAX_LIMIT))
    return list(page.items)


# -- what the world holds --


@dataclass(frozen=True, slots=True)
class PlatformAccount:
    """Everything in the platform's account: compare two to see what changed."""

    buckets: dict[str, BucketState | None]
    roles: dict[RoleArn, RoleState | None]


def platform_account(world: FakeAws) -> PlatformAccount:
    return PlatformAccount(
        buckets={name: world.bucket_state(name) for name in world.bucket_names(PLATFORM_ACCOUNT)},
        roles={arn: world.role_state(arn) for arn in world.role_arns(PLATFORM_ACCOUNT)},
    )


def nothing_in(world: FakeAws) -> bool:
    return platform_account(world) == PlatformAccount({}, {})


def allow_statements(state: BucketState | None) -> list[dict[str, Any]]:
    assert state is not None and state.policy is not None
    return [s for s in state.policy["Statement"] if s["Effect"] == "Allow"]


# -- faults --


def fail_aws_call(world: FakeAws, number: int) -> Callable[[], int]:
    """The ``number``-th AWS call from now (1 is the next) fails as if AWS could
    not be reached; calls before and after it work. Returns how many calls were seen."""
    original = world.call
    seen = 0

    def call(operation: str, **params: object) -> None:
        nonlocal seen
        seen += 1
        if seen == number:
            world.fail_next(AwsUnavailable, operation)
        original(operation, **params)

    world.call = call  # type: ignore[method-assign]
    return lambda: seen


def count_aws_calls(world: FakeAws) -> Callable[[], int]:
    return fail_aws_call(world, 0)
