from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import replace

import pytest

from adapters.fakes.fake_access_probe import SESSION_SECONDS
from adapters.fakes.fake_aws import FakeAws
from adapters.fakes.in_memory_connectors import InMemoryConnectorRepository
from domain.connector import ConnectorType
from domain.credential_name import CredentialName
from domain.errors import AwsUnavailable, DuplicateCredentialName, ProbeFailed
from domain.identity import Caller

from .conftest import (
    ALICE,
    ALICE_AT_ORG_2,
    BOB,
    BUCKET,
    CUSTOMER_ACCOUNT,
    PROBE_CALLS,
    START,
    BrokenSetup,
    Platform,
    calls_until,
    customer_bucket,
    customer_role,
    external_id_of,
    listing,
    make_platform,
    operations,
    ready_customer,
    register,
    s3_target,
    yield_to_others,
)


class NameCheckThatMissesRaces(InMemoryConnectorRepository):
    """The early name check saw nothing: another request stored the name after it."""

    async def name_taken(self, owner: Caller, name: CredentialName) -> bool:
        return False


class InterleavingConnectors(InMemoryConnectorRepository):
    """Each read is a round trip, so concurrent requests interleave as on a database."""

    async def name_taken(self, owner: Caller, name: CredentialName) -> bool:
        taken = await super().name_taken(owner, name)
        await yield_to_others()
        return taken


# -- success --


async def test_a_working_setup_is_registered_with_what_it_was_verified_against(
    platform: Platform,
) -> None:
    target = await ready_customer(platform, ALICE, prefix="exports/")

    connector = await register(platform, ALICE, "warehouse", target)

    assert connector.owner == ALICE
    assert connector.credential_name == CredentialName("warehouse")
    assert connector.connector_type is ConnectorType.S3
    # With the bucket's own region, as HeadBucket answered it.
    assert connector.s3 == replace(target, region="us-east-1")
    assert connector.created_at == connector.updated_at == START


async def test_the_bucket_s_own_region_is_recorded_and_vended(platform: Platform) -> None:
    platform.world.create_bucket(CUSTOMER_ACCOUNT, "eu-data", region="eu-west-1")
    target = await ready_customer(platform, ALICE, bucket="eu-data")

    connector = await register(platform, ALICE, "eu", target)
    vended = await platform.app.vend_credentials(ALICE, connector.id)

    assert connector.s3 is not None and connector.s3.region == "eu-west-1"
    # Not the platform's region (us-east-1): an engine sent there would fail.
    assert vended.region == "eu-west-1"


async def test_a_registered_connector_can_be_got_and_listed(platform: Platform) -> None:
    connector = await register(platform, ALICE, "warehouse", await ready_customer(platform, ALICE))

    assert await platform.app.get_connector(ALICE, ConnectorType.S3, connector.id) == connector
    assert await listing(platform.app, ALICE) == [connector]


async def test_the_probe_assumes_the_role_with_the_org_external_id_for_a_short_session(
    platform: Platform,
) -> None:
    target = await ready_customer(platform, ALICE)
    org_external_id = await external_id_of(platform.app, ALICE)

    await register(platform, ALICE, "warehouse", target)

    assume_role = platform.world.calls[0]
    assert assume_role.operation == "AssumeRole"
    assert assume_role.params["RoleArn"] == str(target.role_arn)
    assert assume_role.params["ExternalId"] == org_external_id.value
    assert str(ALICE.org_id) in str(assume_role.params["RoleSessionName"])
    assert assume_role.params["DurationSeconds"] == SESSION_SECONDS == 900


async def test_the_probe_checks_the_bucket_owner_on_both_s3_calls_and_lists_only_the_prefix(
    platform: Platform,
) -> None:
    target = await ready_customer(platform, ALICE, prefix="exports/2026/")

    await register(platform, ALICE, "warehouse", target)

    assert operations(platform.world) == PROBE_CALLS
    head, listed = platform.world.calls[-2:]
    assert head.params == {"Bucket": BUCKET, "ExpectedBucketOwner": "111122223333"}
    assert listed.params == {
        "Bucket": BUCKET,
        "Prefix": "exports/2026/",
        "MaxKeys": 1,
        "ExpectedBucketOwner": "111122223333",
    }


async def test_each_org_is_probed_with_its_own_external_id(platform: Platform) -> None:
    await register(platform, ALICE, "mine", await ready_customer(platform, ALICE))
    await register(
        platform,
        ALICE_AT_ORG_2,
        "mine",
        await ready_customer(platform, ALICE_AT_ORG_2, bucket="org-2-data"),
    )

    sent = [c.params.get("ExternalId") for c in platform.world.calls if c.operation == "AssumeRole"]
    orgs = [(await external_id_of(platform.app, c)).value for c in (ALICE, ALICE_AT_ORG_2)]
    # Each probe: the org's own id, then none, then a decoy drawn for that probe alone.
    assert sent[0::3] == orgs
    assert sent[1::3] == [None, None]
    decoys = sent[2::3]
    assert len(set(decoys)) == 2 and not set(decoys) & set(orgs)
    # Of an org id's shape, so a trust policy cannot single the decoy out.
    assert all(re.fullmatch(r"[A-Za-z0-9-]{32,}", str(decoy)) for decoy in decoys)


# -- a failed probe --


async def test_a_failed_probe_raises_the_step_code_and_stores_nothing(
    platform: Platform, broken: BrokenSetup
) -> None:
    target = await broken.build(platform, ALICE)

    with pytest.raises(ProbeFailed) as failed:
        await register(platform, ALICE, "warehouse", target)

    assert failed.value.code == broken.code
    assert failed.value.detail
    assert await listing(platform.app, ALICE) == []


async def test_a_failed_probe_does_not_reveal_the_org_external_id(
    platform: Platform, broken: BrokenSetup
) -> None:
    target = await broken.build(platform, ALICE)
    org_external_id = await external_id_of(platform.app, ALICE)

    with pytest.raises(ProbeFailed) as failed:
        await register(platform, ALICE, "warehouse", target)

    assert org_external_id.value not in str(failed.value)


async def test_a_name_refused_by_the_probe_is_free_once_the_setup_is_fixed(
    platform: Platform,
) -> None:
    role = customer_role(platform.world, await external_id_of(platform.app, ALICE))
    with pytest.raises(ProbeFailed):
        await register(platform, ALICE, "warehouse", s3_target(role))
    customer_bucket(platform.world)

    connector = await register(platform, ALICE, "warehouse", s3_target(role))

    assert await listing(platform.app, ALICE) == [connector]


async def test_the_probe_stops_at_the_step_that_failed(
    platform: Platform, broken: BrokenSetup
) -> None:
    target = await broken.build(platform, ALICE)

    with pytest.raises(ProbeFailed):
        await register(platform, ALICE, "warehouse", target)

    assert operations(platform.world) == calls_until(broken.step)


# -- names --


async def test_a_name_used_before_by_the_same_user_is_refused_without_probing_again(
    platform: Platform,
) -> None:
    target = await ready_customer(platform, ALICE)
    first = await register(platform, ALICE, "warehouse", target)

    with pytest.raises(DuplicateCredentialName):
        await register(platform, ALICE, "warehouse", target)

    assert operations(platform.world) == PROBE_CALLS  # one probe, the first time only
    assert await listing(platform.app, ALICE) == [first]


async def test_the_same_name_is_free_for_a_colleague_and_for_another_org(
    platform: Platform,
) -> None:
    mine = await register(platform, ALICE, "warehouse", await ready_customer(platform, ALICE))
    colleagues = await register(platform, BOB, "warehouse", await ready_customer(platform, BOB))
    elsewhere = await register(
        platform,
        ALICE_AT_ORG_2,
        "warehouse",
        await ready_customer(platform, ALICE_AT_ORG_2, bucket="org-2-data"),
    )

    assert await listing(platform.app, ALICE) == [mine]
    assert await listing(platform.app, BOB) == [colleagues]
    assert await listing(platform.app, ALICE_AT_ORG_2) == [elsewhere]


async def test_a_duplicate_that_slips_past_the_name_check_is_refused_by_the_store() -> None:
    platform = make_platform(connectors=NameCheckThatMissesRaces())
    target = await ready_customer(platform, ALICE)
    first = await register(platform, ALICE, "warehouse", target)

    with pytest.raises(DuplicateCredentialName):
        await register(platform, ALICE, "warehouse", target)

    assert await listing(platform.app, ALICE) == [first]


async def test_concurrent_registrations_of_one_name_end_in_one_connector_and_one_refusal() -> None:
    platform = make_platform(connectors=InterleavingConnectors())
    target = await ready_customer(platform, ALICE)

    outcomes = await asyncio.gather(
        *(register(platform, ALICE, "warehouse", target) for _ in range(3)),
        return_exceptions=True,
    )

    refused = [o for o in outcomes if isinstance(o, DuplicateCredentialName)]
    registered = [o for o in outcomes if not isinstance(o, BaseException)]
    assert (len(registered), len(refused)) == (1, 2)
    # All three passed the early check: the store is what kept the name unique.
    assert operations(platform.world) == PROBE_CALLS * 3
    assert await listing(platform.app, ALICE) == registered


# -- AWS unreachable --


@pytest.mark.parametrize(
    "outage",
    [
        pytest.param(lambda world: setattr(world, "unavailable", True), id="AWS down"),
        pytest.param(lambda world: world.fail_next(), id="AssumeRole fails"),
        pytest.param(lambda world: world.fail_next(operation="HeadBucket"), id="HeadBucket fails"),
        pytest.param(
            lambda world: world.fail_next(operation="ListObjectsV2"), id="ListObjectsV2 fails"
        ),
    ],
)
async def test_aws_unavailable_is_raised_as_such_and_stores_nothing(
    platform: Platform, outage: Callable[[FakeAws], None]
) -> None:
    target = await ready_customer(platform, ALICE)
    outage(platform.world)

    with pytest.raises(AwsUnavailable):
        await register(platform, ALICE, "warehouse", target)

    assert await listing(platform.app, ALICE) == []


async def test_a_registration_cut_short_by_aws_can_be_retried_with_the_same_name(
    platform: Platform,
) -> None:
    target = await ready_customer(platform, ALICE)
    platform.world.fail_next(operation="HeadBucket")
    with pytest.raises(AwsUnavailable):
        await register(platform, ALICE, "warehouse", target)

    connector = await register(platform, ALICE, "warehouse", target)

    assert await listing(platform.app, ALICE) == [connector]
