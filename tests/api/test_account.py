"""Contract §4: the org's external id and the role a customer needs."""

from __future__ import annotations

import re
from typing import Any

from litestar.testing import AsyncTestClient

from tests.conftest import PRINCIPAL_ARN, bearer


async def test_aws_setup_gives_a_stable_unguessable_external_id_per_org(
    client: AsyncTestClient[Any],
) -> None:
    first = (await client.get("/v1/account/aws-setup", headers=bearer())).json()
    again = (await client.get("/v1/account/aws-setup", headers=bearer(user="bob"))).json()
    other = (await client.get("/v1/account/aws-setup", headers=bearer(org=2))).json()
    assert re.fullmatch(r"[A-Za-z0-9-]{32,}", first["external_id"])
    assert first == again
    assert other["external_id"] != first["external_id"]


async def test_aws_setup_gives_the_exact_trust_policy_and_a_template(
    client: AsyncTestClient[Any],
) -> None:
    setup = (await client.get("/v1/account/aws-setup", headers=bearer())).json()
    assert setup["principal_arn"] == PRINCIPAL_ARN
    statement = setup["trust_policy"]["Statement"][0]
    assert statement["Principal"] == {"AWS": PRINCIPAL_ARN}
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Condition"] == {"StringEquals": {"sts:ExternalId": setup["external_id"]}}
    role = setup["cloudformation_template"]["Resources"]["BucketlinkRole"]
    assert role["Properties"]["AssumeRolePolicyDocument"] == setup["trust_policy"]
