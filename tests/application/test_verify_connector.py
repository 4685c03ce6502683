from __future__ import annotations

from uuid import uuid4

import pytest

from domain.aws_setup import trust_policy
from domain.connector import Connector, ConnectorType
from domain.errors import AwsUnavailable, NotFound
from domain.external_id import ExternalId
from domain.identity import Caller
from domain.probe import SKIPPED, ProbeStep

from .conftest import (
    ALICE,
    ALICE_AT_ORG_2,
    BOB,
    PRINCIPAL_ARN,
    START,
    Platform,
    deny_listing_policy,
    external_id_of,
    ready_customer,
    register,
)


@pytest.fixture
async def connector(platform: Platform) -> Connector:
    return await register(
        platform, ALICE, "warehouse", await ready_customer(platform, ALICE, prefix="exports/")
    )


async def test_a_working_connector_verifies_with_three_ok_checks_at_the_clock_time(
    platform: Platform, connector: Connector
) -> None:
    platform.clock.advance(3600)

    verification = await platform.app.verify_connector(ALICE, ConnectorType.S3, connector.id)

    assert verification.report.ok
    assert [c.name for c in verification.report.checks] == list(ProbeStep)
    assert verification.verified_at == platform.clock.now() != START


async def test_verification_reruns_the_probe_against_what_was_stored(
    platform: Platform, connector: Connector
) -> None:
    platform.world.calls.clear()

    await platform.app.verify_connector(ALICE, ConnectorType.S3, connector.id)

    assert connector.s3 is not None
    assume_role, _without, _decoy, head, listed = platform.world.calls
    assert assume_role.params["RoleArn"] == str(connector.s3.role_arn)
    assert assume_role.params["ExternalId"] == (await external_id_of(platform.app, ALICE)).value
    assert head.params["ExpectedBucketOwner"] == connector.s3.bucket_owner.value
    assert listed.params["Prefix"] == "exports/"


async def test_a_role_whose_trust_policy_was_changed_fails_at_assume_role(
    platform: Platform, connector: Connector
) -> None:
    assert connector.s3 is not None
    platform.world.update_trust_policy(
        connector.s3.role_arn,
        trust_policy(PRINCIPAL_ARN, ExternalId("rotated-by-the-customer-0123456789abcdef")),
    )

    verification = await platform.app.verify_connector(ALICE, ConnectorType.S3, connector.id)

    assert [(c.ok, c.code) for c in verification.report.checks] == [
        (False, "assume_role_denied"),
        (False, SKIPPED),
        (False, SKIPPED),
        (False, SKIPPED),
    ]
    assert verification.verified_at == platform.clock.now()


async def test_a_role_loosened_after_registration_fails_the_external_id_check(
    platform: Platform, connector: Connector
) -> None:
    # The customer dropped the condition: any org of the platform could now use it.
    assert connector.s3 is not None
    loosened = trust_policy(PRINCIPAL_ARN, ExternalId("unused-0123456789abcdef0123456789ab"))
    del loosened["Statement"][0]["Condition"]
    platform.world.update_trust_policy(connector.s3.role_arn, loosened)

    verification = await platform.app.verify_connector(ALICE, ConnectorType.S3, connector.id)

    assert [(c.name, c.ok, c.code) for c in verification.report.checks] == [
        (ProbeStep.ASSUME_ROLE, True, None),
        (ProbeStep.EXTERNAL_ID_REQUIRED, False, "external_id_not_enforced"),
        (ProbeStep.HEAD_BUCKET, False, SKIPPED),
        (ProbeStep.LIST_OBJECTS, False, SKIPPED),
    ]
    # Verifying reports; it does not delete what the customer registered.
    assert await platform.app.get_connector(ALICE, ConnectorType.S3, connector.id) == connector


async def test_a_prefix_denied_after_registration_fails_at_list_objects(
    platform: Platform, connector: Connector
) -> None:
    assert connector.s3 is not None
    platform.world.put_role_policy(
        connector.s3.role_arn, "lockdown", deny_listing_policy("customer-data", "exports/*")
    )

    verification = await platform.app.verify_connector(ALICE, ConnectorType.S3, connector.id)

    assert verification.report.failure is not None
    assert verification.report.failure.code == "list_denied"


async def test_a_failed_verification_keeps_the_connector(
    platform: Platform, connector: Connector
) -> None:
    assert connector.s3 is not None
    platform.world.update_trust_policy(
        connector.s3.role_arn,
        trust_policy(PRINCIPAL_ARN, ExternalId("rotated-by-the-customer-0123456789abcdef")),
    )
    await platform.app.verify_connector(ALICE, ConnectorType.S3, connector.id)

    assert await platform.app.get_connector(ALICE, ConnectorType.S3, connector.id) == connector


@pytest.mark.parametrize("someone_else", [BOB, ALICE_AT_ORG_2], ids=["colleague", "other org"])
async def test_someone_elses_connector_is_not_found(
    platform: Platform, connector: Connector, someone_else: Caller
) -> None:
    platform.world.calls.clear()

    with pytest.raises(NotFound):
        await platform.app.verify_connector(someone_else, ConnectorType.S3, connector.id)

    assert platform.world.calls == []


@pytest.mark.parametrize("wrong_type", [t for t in ConnectorType if t is not ConnectorType.S3])
async def test_the_wrong_connector_type_for_the_id_is_not_found(
    platform: Platform, connector: Connector, wrong_type: ConnectorType
) -> None:
    with pytest.raises(NotFound):
        await platform.app.verify_connector(ALICE, wrong_type, connector.id)


async def test_an_unknown_or_deleted_connector_is_not_found(
    platform: Platform, connector: Connector
) -> None:
    await platform.app.delete_connector(ALICE, ConnectorType.S3, connector.id)

    for connector_id in (connector.id, uuid4()):
        with pytest.raises(NotFound):
            await platform.app.verify_connector(ALICE, ConnectorType.S3, connector_id)


async def test_verifying_while_aws_is_unreachable_raises_aws_unavailable(
    platform: Platform, connector: Connector
) -> None:
    platform.world.fail_next(operation="HeadBucket")

    with pytest.raises(AwsUnavailable):
        await platform.app.verify_connector(ALICE, ConnectorType.S3, connector.id)
