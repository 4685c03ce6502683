"""Vended credentials in-process (contract section 10, issue 18): the org's
external id, the session policy, one AssumeRole per miss, the cache, and who
may ask."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from application.bucketlink import Bucketlink
from domain.account_id import AccountId
from domain.aws_setup import trust_policy
from domain.errors import NotFound, ProbeFailed
from domain.external_id import ExternalId
from domain.identity import Caller, ServiceName
from domain.s3_uri import BucketName
from domain.vending import (
    VendAccess,
    VendDuration,
    VendPrefix,
    VendRequest,
    packed,
    session_name,
    session_policy,
)

from .conftest import (
    ALICE,
    ALICE_AT_ORG_2,
    BOB,
    BUCKET,
    CUSTOMER_ACCOUNT,
    PRINCIPAL_ARN,
    Platform,
    external_id_of,
    ready_customer,
    register,
)

JOBS = Caller.of_service(ServiceName("nightly-export"), ALICE.org_id)
JOBS_ELSEWHERE = Caller.of_service(ServiceName("nightly-export"), ALICE_AT_ORG_2.org_id)
READ_EXPORTS = VendRequest(prefix=VendPrefix("2026/"))


async def _connector(platform: Platform, prefix: str = "exports/") -> object:
    target = await ready_customer(platform, ALICE, prefix=prefix)
    return await register(platform, ALICE, "exports", target)


def _assume_calls(platform: Platform) -> list[dict[str, object]]:
    return [call.params for call in platform.world.calls if call.operation == "AssumeRole"]


async def test_the_owner_gets_credentials_from_one_assume_role_with_the_org_s_external_id(
    platform: Platform, app: Bucketlink
) -> None:
    connector = await _connector(platform)
    before = len(_assume_calls(platform))

    vended = await app.vend_credentials(ALICE, connector.id, READ_EXPORTS)

    [sent] = _assume_calls(platform)[before:]
    policy = session_policy(
        BucketName(BUCKET), AccountId(CUSTOMER_ACCOUNT), "exports/2026/", VendAccess.READ
    )
    assert sent == {
        "RoleArn": str(connector.s3.role_arn),
        "RoleSessionName": session_name(ALICE.org_id, connector.id),
        "ExternalId": (await external_id_of(app, ALICE)).value,
        "Policy": packed(policy),
        "DurationSeconds": 3600,
    }
    assert json.loads(str(sent["Policy"])) == policy
    assert (vended.bucket, vended.prefix, vended.access) == (
        BucketName(BUCKET),
        "exports/2026/",
        VendAccess.READ,
    )
    assert vended.credentials.expiration == platform.clock.now() + timedelta(seconds=3600)


async def test_a_second_ask_is_served_from_the_cache_until_a_quarter_of_the_life_is_left(
    platform: Platform, app: Bucketlink
) -> None:
    connector = await _connector(platform)
    first = await app.vend_credentials(ALICE, connector.id, READ_EXPORTS)
    calls = len(_assume_calls(platform))

    platform.clock.advance(0.75 * 3600 - 1)
    assert await app.vend_credentials(ALICE, connector.id, READ_EXPORTS) == first
    assert len(_assume_calls(platform)) == calls

    platform.clock.advance(2)
    renewed = await app.vend_credentials(ALICE, connector.id, READ_EXPORTS)
    assert renewed.credentials != first.credentials
    assert len(_assume_calls(platform)) == calls + 1


@pytest.mark.parametrize(
    "other",
    [
        VendRequest(access=VendAccess.READ_WRITE, prefix=VendPrefix("2026/")),
        VendRequest(prefix=VendPrefix("2027/")),
    ],
    ids=["other-access", "other-prefix"],
)
async def test_each_access_and_prefix_is_a_miss_of_its_own(
    platform: Platform, app: Bucketlink, other: VendRequest
) -> None:
    connector = await _connector(platform)
    await app.vend_credentials(ALICE, connector.id, READ_EXPORTS)
    calls = len(_assume_calls(platform))

    await app.vend_credentials(ALICE, connector.id, other)

    assert len(_assume_calls(platform)) == calls + 1


async def test_a_service_of_the_org_vends_for_any_connector_of_it(
    platform: Platform, app: Bucketlink
) -> None:
    connector = await _connector(platform)

    vended = await app.vend_credentials(JOBS, connector.id, READ_EXPORTS)

    assert vended.connector_id == connector.id


@pytest.mark.parametrize(
    "stranger",
    [BOB, ALICE_AT_ORG_2, JOBS_ELSEWHERE],
    ids=["colleague", "other-org", "other-service"],
)
async def test_anyone_else_finds_no_such_connector(
    platform: Platform, app: Bucketlink, stranger: Caller
) -> None:
    connector = await _connector(platform)
    calls = len(_assume_calls(platform))

    with pytest.raises(NotFound):
        await app.vend_credentials(stranger, connector.id, READ_EXPORTS)
    assert len(_assume_calls(platform)) == calls


async def test_a_deleted_connector_s_cached_credentials_are_never_served(
    platform: Platform, app: Bucketlink
) -> None:
    connector = await _connector(platform)
    await app.vend_credentials(ALICE, connector.id, READ_EXPORTS)

    await app.delete_connector(ALICE, connector.connector_type, connector.id)

    with pytest.raises(NotFound):
        await app.vend_credentials(ALICE, connector.id, READ_EXPORTS)
    with pytest.raises(NotFound):
        await app.vend_credentials(JOBS, connector.id, READ_EXPORTS)


async def test_a_role_that_no_longer_trusts_the_org_is_assume_role_denied(
    platform: Platform, app: Bucketlink
) -> None:
    connector = await _connector(platform)
    platform.world.update_trust_policy(
        connector.s3.role_arn, trust_policy(PRINCIPAL_ARN, ExternalId("someone-elses-id"))
    )

    with pytest.raises(ProbeFailed) as refused:
        await app.vend_credentials(ALICE, connector.id, READ_EXPORTS)
    assert refused.value.code == "assume_role_denied"


async def test_the_duration_asked_for_is_the_session_s(platform: Platform, app: Bucketlink) -> None:
    connector = await _connector(platform)

    await app.vend_credentials(ALICE, connector.id, VendRequest(duration=VendDuration(900)))

    assert _assume_calls(platform)[-1]["DurationSeconds"] == 900


async def test_a_verify_that_finds_the_role_unbound_drops_its_cached_credentials(
    platform: Platform, app: Bucketlink
) -> None:
    connector = await _connector(platform)
    first = await app.vend_credentials(ALICE, connector.id, READ_EXPORTS)
    # The customer drops the external-id condition: anyone may now assume the role.
    platform.world.update_trust_policy(
        connector.s3.role_arn,
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": PRINCIPAL_ARN}, "Action": "sts:AssumeRole"}
            ],
        },
    )

    verified = await app.verify_connector(ALICE, connector.connector_type, connector.id)

    assert verified.report.failure.code == "external_id_not_enforced"
    again = await app.vend_credentials(ALICE, connector.id, READ_EXPORTS)
    assert again.credentials != first.credentials  # not served from the cache any more


async def test_a_verify_refreshes_the_region_the_credentials_name(
    platform: Platform, app: Bucketlink
) -> None:
    connector = await _connector(platform)
    # S3 now answers HeadBucket with another region (the bucket was re-made there).
    platform.world._buckets[BUCKET].region = "eu-central-1"

    await app.verify_connector(ALICE, connector.connector_type, connector.id)
    platform.clock.advance(3600)  # past the cached credentials
    vended = await app.vend_credentials(ALICE, connector.id, READ_EXPORTS)

    assert vended.region == "eu-central-1"
