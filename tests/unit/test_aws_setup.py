from __future__ import annotations

import json
from typing import Any

from hypothesis import given

from domain.aws_setup import cloudformation_template, trust_policy
from domain.external_id import ExternalId

from .strategies import RoleArnParts, account_ids, external_ids, role_arn_parts

principals = role_arn_parts.map(str) | account_ids.map(lambda a: f"arn:aws:iam::{a}:root")


def only_statement(policy: dict[str, Any]) -> dict[str, Any]:
    [statement] = policy["Statement"]
    assert isinstance(statement, dict)
    return statement


@given(principals, external_ids)
def test_the_trust_policy_lets_exactly_the_principal_assume_under_exactly_the_external_id(
    principal: str, external_id: str
) -> None:
    policy = trust_policy(principal, ExternalId(external_id))
    assert policy["Version"] == "2012-10-17"
    assert only_statement(policy) == {
        "Effect": "Allow",
        "Principal": {"AWS": principal},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"sts:ExternalId": external_id}},
    }


@given(principals, external_ids)
def test_the_template_creates_the_role_with_exactly_that_trust_policy(
    principal: str, external_id: str
) -> None:
    template = cloudformation_template(principal, ExternalId(external_id))
    role = template["Resources"]["BucketlinkRole"]
    assert role["Type"] == "AWS::IAM::Role"
    assert role["Properties"]["AssumeRolePolicyDocument"] == trust_policy(
        principal, ExternalId(external_id)
    )


@given(principals, external_ids)
def test_the_policy_and_template_survive_a_json_round_trip_unchanged(
    principal: str, external_id: str
) -> None:
    for document in (
        trust_policy(principal, ExternalId(external_id)),
        cloudformation_template(principal, ExternalId(external_id)),
    ):
        assert json.loads(json.dumps(document)) == document


@given(role_arn_parts, external_ids)
def test_the_template_grants_only_reading_and_writing_the_named_bucket(
    role: RoleArnParts, external_id: str
) -> None:
    template = cloudformation_template(str(role), ExternalId(external_id))
    [policy] = template["Resources"]["BucketlinkRole"]["Properties"]["Policies"]
    actions = {
        action
        for statement in policy["PolicyDocument"]["Statement"]
        for action in statement["Action"]
    }
    assert all(action.startswith("s3:") for action in actions)
    assert "BucketName" in template["Parameters"]
