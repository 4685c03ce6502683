from __future__ import annotations

import pytest

from domain.errors import AwsUnavailable
from domain.probe import SKIPPED, ProbeStep

from .conftest import (
    ALICE,
    BrokenSetup,
    Platform,
    external_id_of,
    listing,
    ready_customer,
    register,
    s3_request,
)


async def test_a_working_setup_passes_all_four_checks_and_nothing_is_stored(
    platform: Platform,
) -> None:
    target = await ready_customer(platform, ALICE, prefix="exports/")

    report = await platform.app.validate_s3_connector(ALICE, s3_request("warehouse", target))

    assert report.ok
    assert report.failure is None
    assert [(c.name, c.ok, c.code) for c in report.checks] == [
        (ProbeStep.ASSUME_ROLE, True, None),
        (ProbeStep.EXTERNAL_ID_REQUIRED, True, None),
        (ProbeStep.HEAD_BUCKET, True, None),
        (ProbeStep.LIST_OBJECTS, True, None),
    ]
    assert await listing(platform.app, ALICE) == []


async def test_a_failing_step_is_reported_with_its_code_and_later_steps_as_skipped(
    platform: Platform, broken: BrokenSetup
) -> None:
    target = await broken.build(platform, ALICE)

    report = await platform.app.validate_s3_connector(ALICE, s3_request("warehouse", target))

    assert not report.ok
    steps = list(ProbeStep)
    failed_at = steps.index(broken.step)
    assert [c.name for c in report.checks] == steps
    assert [(c.ok, c.code) for c in report.checks] == (
        [(True, None)] * failed_at
        + [(False, broken.code)]
        + [(False, SKIPPED)] * (len(steps) - failed_at - 1)
    )
    assert report.failure is not None
    assert report.failure.message  # says what to fix
    assert await listing(platform.app, ALICE) == []


async def test_validation_probes_with_the_org_external_id(platform: Platform) -> None:
    target = await ready_customer(platform, ALICE)

    await platform.app.validate_s3_connector(ALICE, s3_request("warehouse", target))

    assume_role = platform.world.calls[0]
    assert assume_role.params["ExternalId"] == (await external_id_of(platform.app, ALICE)).value


async def test_validating_does_not_take_the_name(platform: Platform) -> None:
    target = await ready_customer(platform, ALICE)
    await platform.app.validate_s3_connector(ALICE, s3_request("warehouse", target))

    connector = await register(platform, ALICE, "warehouse", target)

    assert await listing(platform.app, ALICE) == [connector]


async def test_validating_while_aws_is_unreachable_raises_aws_unavailable(
    platform: Platform,
) -> None:
    target = await ready_customer(platform, ALICE)
    platform.world.unavailable = True

    with pytest.raises(AwsUnavailable):
        await platform.app.validate_s3_connector(ALICE, s3_request("warehouse", target))
