from __future__ import annotations

import asyncio
import re

from adapters.fakes.in_memory_organisations import InMemoryOrganisationRepository
from adapters.system.secrets_source import CsprngSecrets
from application.bucketlink import Bucketlink
from domain.aws_setup import trust_policy
from domain.external_id import ExternalId
from domain.identity import OrgId

from .conftest import (
    ALICE,
    ALICE_AT_ORG_2,
    BOB,
    CUSTOMER_ACCOUNT,
    PRINCIPAL_ARN,
    Platform,
    customer_bucket,
    customer_role,
    make_platform,
    s3_request,
    s3_target,
    yield_to_others,
)

UNGUESSABLE = re.compile(r"[A-Za-z0-9-]{32,}")


class CountingSecrets:
    def __init__(self) -> None:
        self.drawn = 0
        self._real = CsprngSecrets()

    def new_external_id(self) -> ExternalId:
        self.drawn += 1
        return self._real.new_external_id()


class InterleavingOrganisations(InMemoryOrganisationRepository):
    """Reads take a round trip, so two first calls for one org both find none."""

    async def external_id(self, org: OrgId) -> ExternalId | None:
        found = await super().external_id(org)
        await yield_to_others()
        return found


async def test_the_external_id_is_made_once_and_the_same_on_every_call() -> None:
    secrets = CountingSecrets()
    app = make_platform(secrets=secrets).app

    first = await app.get_aws_setup(ALICE)
    again = await app.get_aws_setup(ALICE)

    assert again.external_id == first.external_id
    assert secrets.drawn == 1


async def test_every_user_of_an_org_gets_the_org_external_id(app: Bucketlink) -> None:
    assert (await app.get_aws_setup(ALICE)).external_id == (
        await app.get_aws_setup(BOB)
    ).external_id


async def test_different_orgs_get_different_external_ids(app: Bucketlink) -> None:
    assert (await app.get_aws_setup(ALICE)).external_id != (
        await app.get_aws_setup(ALICE_AT_ORG_2)
    ).external_id


async def test_the_default_external_id_is_at_least_32_characters_of_letters_digits_and_dashes(
    app: Bucketlink,
) -> None:
    # ``app`` keeps bootstrap's default secret source: the one production uses.
    external_ids = {(await app.get_aws_setup(ALICE)).external_id.value}
    external_ids.add((await app.get_aws_setup(ALICE_AT_ORG_2)).external_id.value)

    assert all(UNGUESSABLE.fullmatch(value) for value in external_ids)


async def test_concurrent_first_calls_for_an_org_agree_on_one_external_id() -> None:
    app = make_platform(organisations=InterleavingOrganisations()).app

    setups = await asyncio.gather(*(app.get_aws_setup(ALICE) for _ in range(5)))

    assert len({setup.external_id for setup in setups}) == 1
    assert (await app.get_aws_setup(BOB)).external_id == setups[0].external_id


async def test_the_setup_names_the_platform_principal(app: Bucketlink) -> None:
    assert (await app.get_aws_setup(ALICE)).principal_arn == PRINCIPAL_ARN


async def test_the_trust_policy_lets_the_principal_assume_the_role_under_the_external_id(
    app: Bucketlink,
) -> None:
    setup = await app.get_aws_setup(ALICE)

    [statement] = setup.trust_policy["Statement"]
    assert statement["Effect"] == "Allow"
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Principal"] == {"AWS": PRINCIPAL_ARN}
    assert statement["Condition"] == {"StringEquals": {"sts:ExternalId": setup.external_id.value}}
    assert setup.trust_policy == trust_policy(PRINCIPAL_ARN, setup.external_id)


async def test_the_cloudformation_template_makes_a_role_with_that_trust_policy(
    app: Bucketlink,
) -> None:
    setup = await app.get_aws_setup(ALICE)

    role = setup.cloudformation_template["Resources"]["BucketlinkRole"]
    assert role["Type"] == "AWS::IAM::Role"
    assert role["Properties"]["AssumeRolePolicyDocument"] == setup.trust_policy


async def test_a_role_made_with_the_given_trust_policy_passes_every_check(
    platform: Platform,
) -> None:
    setup = await platform.app.get_aws_setup(ALICE)
    customer_bucket(platform.world)
    role = platform.world.create_role(CUSTOMER_ACCOUNT, "from-the-setup", setup.trust_policy)
    platform.world.put_role_policy(
        role,
        "list",
        {"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]},
    )

    report = await platform.app.validate_s3_connector(ALICE, s3_request("x", s3_target(role)))

    assert report.ok


async def test_a_role_trusting_one_org_cannot_be_used_by_another_org(platform: Platform) -> None:
    # The confused deputy: org 2 names org 1's role; the platform must send org 2's id.
    org_1_id = (await platform.app.get_aws_setup(ALICE)).external_id
    customer_bucket(platform.world)
    role = customer_role(platform.world, org_1_id)

    report = await platform.app.validate_s3_connector(
        ALICE_AT_ORG_2, s3_request("x", s3_target(role))
    )

    assert report.failure is not None
    assert report.failure.code == "assume_role_denied"
