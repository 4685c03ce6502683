"""Managed buckets (contract §6), edge to edge through the use cases on the fakes."""

from __future__ import annotations

import re
from uuid import uuid4

import pytest

from adapters.aws_models.provisioning_requests import (
    OBJECT_OWNERSHIP,
    PUBLIC_ACCESS_BLOCK,
    ROLE_POLICY_NAME,
)
from application.create_managed_bucket import NAME_ATTEMPTS
from domain.errors import (
    AccessImmutable,
    AwsUnavailable,
    BucketNameTaken,
    BucketNotEmpty,
    DatabaseUnavailable,
    NotFound,
)
from domain.external_id import ExternalId
from domain.managed_bucket import AccessType, ManagedBucket
from domain.managed_bucket_policies import (
    bucket_policy,
    bucket_tags,
    role_access_policy,
    role_trust_policy,
)
from domain.resource_id import ResourceId
from domain.role_arn import RoleArn

from .bucket_platform import (
    COMPANY,
    OTHER_COMPANY,
    FailingRepository,
    allow_statements,
    by_policy,
    by_role,
    count_aws_calls,
    create,
    fail_aws_call,
    make_bucket_platform,
    nothing_in,
    platform_account,
    rows,
    to_policy,
    to_role,
)
from .conftest import (
    CUSTOMER_ACCOUNT,
    OTHER_ACCOUNT,
    PLATFORM_ACCOUNT,
    START,
    Platform,
    ScriptedSuffixes,
)

ACCESS_KINDS = {"bucket_policy": by_policy, "role": by_role}


def root_of(account: str) -> dict[str, str]:
    return {"AWS": f"arn:aws:iam::{account}:root"}


def role_of(bucket: ManagedBucket) -> RoleArn:
    return RoleArn.parse(f"arn:aws:iam::{PLATFORM_ACCOUNT}:role/{bucket.name}")


async def stored(platform: Platform, bucket: ManagedBucket) -> ManagedBucket | None:
    return await platform.buckets.get(bucket.company_id, bucket.id)


# ---------------------------------------------------------------- create


@pytest.mark.parametrize("kind", ACCESS_KINDS)
async def test_a_new_bucket_is_named_prefix_resource_id_suffix_and_stored_as_returned(
    platform: Platform, kind: str
) -> None:
    bucket = await create(platform, ACCESS_KINDS[kind]())
    assert re.fullmatch(r"nio-acme-[a-z0-9]{12}", bucket.name.value)
    assert bucket.name.value == f"nio-acme-{platform.suffixes.drawn[-1]}"
    assert (bucket.company_id, bucket.resource_id) == (COMPANY, ResourceId("acme"))
    assert (bucket.created_at, bucket.updated_at) == (START, START)
    assert bucket.is_access_mutable
    assert await stored(platform, bucket) == bucket
    assert await platform.app.get_managed_bucket(COMPANY, bucket.id) == bucket


async def test_the_name_uses_the_suffix_drawn_and_the_configured_prefix() -> None:
    platform = make_bucket_platform(suffixes=ScriptedSuffixes("k3x9q0m2z7ab"), prefix="acme-co")
    bucket = await create(platform, resource_id="-data-")
    assert bucket.name.value == "acme-co--data--k3x9q0m2z7ab"


@pytest.mark.parametrize("kind", ACCESS_KINDS)
async def test_a_new_bucket_has_every_secure_default_and_names_company_and_resource(
    platform: Platform, kind: str
) -> None:
    bucket = await create(platform, ACCESS_KINDS[kind]())
    state = platform.world.bucket_state(bucket.name.value)
    assert state is not None
    assert state.owner == PLATFORM_ACCOUNT
    assert state.public_access_block == PUBLIC_ACCESS_BLOCK
    assert all(state.public_access_block.values())
    assert state.object_ownership == OBJECT_OWNERSHIP == "BucketOwnerEnforced"
    assert state.encryption_rule is not None
    assert state.tags == bucket_tags(COMPANY, ResourceId("acme"))
    assert state.tags == {"bucketlink:company-id": "1", "bucketlink:resource-id": "acme"}
    assert state.policy is not None
    assert any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for s in state.policy["Statement"]
    )


async def test_access_by_bucket_policy_grants_the_accounts_root_and_makes_no_role(
    platform: Platform,
) -> None:
    bucket = await create(platform, by_policy())
    state = platform.world.bucket_state(bucket.name.value)
    assert state is not None and state.policy == bucket_policy(bucket.name, by_policy())
    (grant,) = allow_statements(state)
    assert grant["Principal"] == root_of(CUSTOMER_ACCOUNT)
    assert platform.world.role_arns(PLATFORM_ACCOUNT) == set()
    assert bucket.grant.access == by_policy()
    assert bucket.grant.role_arn is None


async def test_access_by_role_makes_a_role_named_after_the_bucket_and_leaves_the_policy_tls_only(
    platform: Platform,
) -> None:
    bucket = await create(platform, by_role())
    assert bucket.grant.access == by_role()
    assert bucket.grant.role_arn == role_of(bucket)
    assert platform.world.role_arns(PLATFORM_ACCOUNT) == {role_of(bucket)}
    role = platform.world.role_state(role_of(bucket))
    assert role is not None
    assert role.trust_policy == role_trust_policy(by_role())
    (trust,) = role.trust_policy["Statement"]
    assert trust["Principal"] == root_of(CUSTOMER_ACCOUNT)
    assert trust["Condition"] == {"StringEquals": {"sts:ExternalId": by_role().external_id.value}}  # type: ignore[union-attr]
    assert dict(role.inline_policies) == {ROLE_POLICY_NAME: role_access_policy(bucket.name)}
    assert allow_statements(platform.world.bucket_state(bucket.name.value)) == []


async def test_a_taken_name_is_drawn_again_and_the_third_name_is_used() -> None:
    platform = make_bucket_platform(
        suffixes=ScriptedSuffixes("takenbyother", "takenbyyou00", "free00000000")
    )
    platform.world.create_bucket(OTHER_ACCOUNT, "nio-acme-takenbyother")
    platform.world.create_bucket(PLATFORM_ACCOUNT, "nio-acme-takenbyyou00")
    bucket = await create(platform)
    assert bucket.name.value == "nio-acme-free00000000"
    assert [row.name for row in await rows(platform)] == [bucket.name]
    # The taken buckets are left as they were: not adopted, not deleted.
    assert platform.world.bucket_state("nio-acme-takenbyother") is not None
    assert platform.world.bucket_names(PLATFORM_ACCOUNT) == {
        "nio-acme-takenbyyou00",
        "nio-acme-free00000000",
    }
    taken = platform.world.bucket_state("nio-acme-takenbyyou00")
    assert taken is not None and taken.tags == {}


async def test_when_every_name_drawn_is_taken_creation_fails_and_leaves_nothing() -> None:
    platform = make_bucket_platform()
    for n in range(1, NAME_ATTEMPTS + 1):
        platform.world.create_bucket(OTHER_ACCOUNT, f"nio-acme-{n:012d}")
    with pytest.raises(BucketNameTaken):
        await create(platform)
    assert len(platform.suffixes.drawn) == NAME_ATTEMPTS
    assert nothing_in(platform.world)
    assert await rows(platform) == []


@pytest.mark.parametrize("kind", ACCESS_KINDS)
async def test_a_fault_at_any_aws_call_of_a_creation_leaves_no_bucket_role_or_row(
    kind: str,
) -> None:
    clean = make_bucket_platform()
    calls = count_aws_calls(clean.world)
    await create(clean, ACCESS_KINDS[kind]())
    assert calls() >= 6
    for n in range(1, calls() + 1):
        platform = make_bucket_platform()
        fail_aws_call(platform.world, n)
        with pytest.raises(AwsUnavailable):
            await create(platform, ACCESS_KINDS[kind]())
        failed_at = platform.world.calls[n - 1].operation
        assert nothing_in(platform.world), f"left behind after a fault at {failed_at}"
        assert await rows(platform) == [], failed_at


@pytest.mark.parametrize("kind", ACCESS_KINDS)
async def test_a_row_that_cannot_be_stored_leaves_no_bucket_or_role(kind: str) -> None:
    platform = make_bucket_platform(buckets=FailingRepository("add"))
    with pytest.raises(DatabaseUnavailable):
        await create(platform, ACCESS_KINDS[kind]())
    assert nothing_in(platform.world)
    assert platform.world.calls  # it got as far as AWS
    assert await rows(platform) == []


# ---------------------------------------------------------------- list and get


async def test_a_company_lists_and_gets_only_its_own_buckets(platform: Platform) -> None:
    first = await create(platform, by_policy())
    platform.clock.advance()
    second = await create(platform, by_role(), resource_id="reports")
    theirs = await create(platform, by_policy(), company=OTHER_COMPANY)
    assert await rows(platform) == [second, first]  # newest first
    assert await rows(platform, OTHER_COMPANY) == [theirs]
    with pytest.raises(NotFound):
        await platform.app.get_managed_bucket(OTHER_COMPANY, first.id)
    with pytest.raises(NotFound):
        await platform.app.get_managed_bucket(COMPANY, theirs.id)
    with pytest.raises(NotFound):
        await platform.app.get_managed_bucket(COMPANY, uuid4())


async def test_a_company_without_buckets_lists_none(platform: Platform) -> None:
    await create(platform)
    assert await rows(platform, OTHER_COMPANY) == []


# ---------------------------------------------------------------- change access


async def test_policy_to_role_to_policy_removes_the_old_grant_each_time(
    platform: Platform,
) -> None:
    bucket = await create(platform, by_policy())
    name = bucket.name.value

    platform.clock.advance()
    as_role = await platform.app.change_bucket_access(COMPANY, bucket.id, to_role())
    assert as_role.grant.access == by_role()
    assert as_role.grant.role_arn == role_of(bucket)
    assert as_role.updated_at > as_role.created_at == bucket.created_at
    assert allow_statements(platform.world.bucket_state(name)) == []
    assert platform.world.role_arns(PLATFORM_ACCOUNT) == {role_of(bucket)}
    assert await stored(platform, bucket) == as_role

    platform.clock.advance()
    back = await platform.app.change_bucket_access(COMPANY, bucket.id, to_policy())
    assert back.grant.access == by_policy()
    assert back.grant.role_arn is None
    assert platform.world.role_arns(PLATFORM_ACCOUNT) == set()
    (grant,) = allow_statements(platform.world.bucket_state(name))
    assert grant["Principal"] == root_of(CUSTOMER_ACCOUNT)
    assert await stored(platform, bucket) == back


@pytest.mark.parametrize("kind", ACCESS_KINDS)
async def test_a_change_with_a_new_account_grants_that_account_instead(
    platform: Platform, kind: str
) -> None:
    bucket = await create(platform, ACCESS_KINDS[kind]())
    change = to_policy(OTHER_ACCOUNT) if kind == "bucket_policy" else to_role(account=OTHER_ACCOUNT)
    changed = await platform.app.change_bucket_access(COMPANY, bucket.id, change)
    assert str(changed.grant.access.account_id) == OTHER_ACCOUNT
    if kind == "bucket_policy":
        (grant,) = allow_statements(platform.world.bucket_state(bucket.name.value))
        assert grant["Principal"] == root_of(OTHER_ACCOUNT)
    else:
        role = platform.world.role_state(role_of(bucket))
        assert role is not None
        (trust,) = role.trust_policy["Statement"]
        assert trust["Principal"] == root_of(OTHER_ACCOUNT)


async def test_a_change_to_a_role_with_a_new_external_id_trusts_only_the_new_one(
    platform: Platform,
) -> None:
    bucket = await create(platform, by_role())
    new_id = ExternalId("a-fresh-external-id-9876")
    await platform.app.change_bucket_access(COMPANY, bucket.id, to_role(new_id))
    role = platform.world.role_state(role_of(bucket))
    assert role is not None
    (trust,) = role.trust_policy["Statement"]
    assert trust["Condition"] == {"StringEquals": {"sts:ExternalId": new_id.value}}


@pytest.mark.parametrize("kind", ACCESS_KINDS)
async def test_a_locked_bucket_refuses_a_change_and_nothing_changes(
    platform: Platform, kind: str
) -> None:
    bucket = await create(platform, ACCESS_KINDS[kind]())
    locked = await platform.app.set_access_lock(bucket.id, mutable=False)
    before, calls = platform_account(platform.world), len(platform.world.calls)
    for change in (to_policy(), to_role(), to_policy(OTHER_ACCOUNT)):
        with pytest.raises(AccessImmutable):
            await platform.app.change_bucket_access(COMPANY, bucket.id, change)
    assert platform_account(platform.world) == before
    assert len(platform.world.calls) == calls
    assert await stored(platform, bucket) == locked


async def test_another_companys_bucket_cannot_be_changed(platform: Platform) -> None:
    bucket = await create(platform, by_policy())
    before = platform_account(platform.world)
    with pytest.raises(NotFound):
        await platform.app.change_bucket_access(OTHER_COMPANY, bucket.id, to_role())
    assert platform_account(platform.world) == before
    assert await stored(platform, bucket) == bucket


CHANGES = {
    "policy to role": ("bucket_policy", to_role()),
    "role to policy": ("role", to_policy()),
    "role to role, new account": ("role", to_role(account=OTHER_ACCOUNT)),
    "policy to policy, new account": ("bucket_policy", to_policy(OTHER_ACCOUNT)),
}


@pytest.mark.parametrize("case", CHANGES)
async def test_a_fault_at_any_aws_call_of_a_change_keeps_the_old_grant_and_row(case: str) -> None:
    kind, change = CHANGES[case]
    clean = make_bucket_platform()
    bucket = await create(clean, ACCESS_KINDS[kind]())
    calls = count_aws_calls(clean.world)
    await clean.app.change_bucket_access(COMPANY, bucket.id, change)
    for n in range(1, calls() + 1):
        platform = make_bucket_platform()
        bucket = await create(platform, ACCESS_KINDS[kind]())
        before, made = platform_account(platform.world), len(platform.world.calls)
        fail_aws_call(platform.world, n)
        with pytest.raises(AwsUnavailable):
            await platform.app.change_bucket_access(COMPANY, bucket.id, change)
        failed_at = platform.world.calls[made + n - 1].operation
        assert platform_account(platform.world) == before, f"a fault at {failed_at}"
        assert await stored(platform, bucket) == bucket, failed_at


@pytest.mark.parametrize("case", CHANGES)
async def test_a_change_that_cannot_be_stored_keeps_the_old_grant_and_row(case: str) -> None:
    kind, change = CHANGES[case]
    repository = FailingRepository()
    platform = make_bucket_platform(buckets=repository)
    bucket = await create(platform, ACCESS_KINDS[kind]())
    before = platform_account(platform.world)
    repository.failing.add("commit_grant")
    with pytest.raises(DatabaseUnavailable):
        await platform.app.change_bucket_access(COMPANY, bucket.id, change)
    assert platform_account(platform.world) == before
    assert await stored(platform, bucket) == bucket


# ---------------------------------------------------------------- delete


@pytest.mark.parametrize("kind", ACCESS_KINDS)
async def test_deleting_an_empty_bucket_removes_the_bucket_its_role_and_its_row(
    platform: Platform, kind: str
) -> None:
    bucket = await create(platform, ACCESS_KINDS[kind]())
    kept = await create(platform, ACCESS_KINDS[kind](), resource_id="kept")
    kept_world = platform_account(platform.world).buckets[kept.name.value]
    await platform.app.delete_managed_bucket(COMPANY, bucket.id)
    assert platform.world.bucket_state(bucket.name.value) is None
    assert platform.world.role_state(role_of(bucket)) is None
    assert await stored(platform, bucket) is None
    with pytest.raises(NotFound):
        await platform.app.delete_managed_bucket(COMPANY, bucket.id)
    # The company's other bucket is untouched.
    assert platform.world.bucket_state(kept.name.value) == kept_world
    assert await rows(platform) == [kept]


@pytest.mark.parametrize("kind", ACCESS_KINDS)
async def test_a_bucket_holding_objects_is_not_deleted_and_everything_stays(
    platform: Platform, kind: str
) -> None:
    bucket = await create(platform, ACCESS_KINDS[kind]())
    platform.world.put_object(bucket.name.value, "reports/2026.csv", b"a,b\n")
    before = platform_account(platform.world)
    with pytest.raises(BucketNotEmpty):
        await platform.app.delete_managed_bucket(COMPANY, bucket.id)
    assert platform_account(platform.world) == before
    assert await stored(platform, bucket) == bucket


async def test_another_companys_bucket_cannot_be_deleted(platform: Platform) -> None:
    bucket = await create(platform, by_role())
    before = platform_account(platform.world)
    with pytest.raises(NotFound):
        await platform.app.delete_managed_bucket(OTHER_COMPANY, bucket.id)
    assert platform_account(platform.world) == before
    assert await stored(platform, bucket) == bucket


@pytest.mark.parametrize("kind", ACCESS_KINDS)
async def test_a_delete_that_failed_part_way_completes_when_asked_again(kind: str) -> None:
    clean = make_bucket_platform()
    bucket = await create(clean, ACCESS_KINDS[kind]())
    calls = count_aws_calls(clean.world)
    await clean.app.delete_managed_bucket(COMPANY, bucket.id)
    for n in range(1, calls() + 1):
        platform = make_bucket_platform()
        bucket = await create(platform, ACCESS_KINDS[kind]())
        fail_aws_call(platform.world, n)
        with pytest.raises(AwsUnavailable):
            await platform.app.delete_managed_bucket(COMPANY, bucket.id)
        assert await stored(platform, bucket) == bucket  # still findable, to retry
        await platform.app.delete_managed_bucket(COMPANY, bucket.id)
        assert nothing_in(platform.world)
        assert await rows(platform) == []


# ---------------------------------------------------------------- the operator's lock


async def test_locking_and_unlocking_access_is_stored_with_the_time(
    platform: Platform,
) -> None:
    bucket = await create(platform, by_policy(), company=OTHER_COMPANY)
    platform.clock.advance()
    locked = await platform.app.set_access_lock(bucket.id, mutable=False)
    assert not locked.is_access_mutable
    assert locked.updated_at == platform.clock.now()
    assert await stored(platform, bucket) == locked
    platform.clock.advance()
    unlocked = await platform.app.set_access_lock(bucket.id, mutable=True)
    assert unlocked.is_access_mutable
    assert await stored(platform, bucket) == unlocked
    # Unlocked, a change goes through again.
    changed = await platform.app.change_bucket_access(OTHER_COMPANY, bucket.id, to_role())
    assert changed.grant.access.type is AccessType.ROLE


async def test_locking_an_unknown_bucket_is_not_found(platform: Platform) -> None:
    with pytest.raises(NotFound):
        await platform.app.set_access_lock(uuid4(), mutable=False)


async def test_when_an_undo_fails_too_the_first_error_is_raised_and_the_leftover_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    platform = make_bucket_platform(buckets=FailingRepository("add"))
    platform.world.fail_next(AwsUnavailable, "DeleteBucket")
    with pytest.raises(DatabaseUnavailable):
        await create(platform, by_policy())
    (left,) = platform.world.bucket_names(PLATFORM_ACCOUNT)
    assert "could not undo" in caplog.text
    assert await rows(platform) == []
    # What was left is the bucket alone: its grant was undone before the delete failed.
    assert allow_statements(platform.world.bucket_state(left)) == []
