"""Trust policies that let the platform principal in without the caller's exact
external id: each one must fail the binding check, with the fake, the sandbox and
the real probe alike.

Why each gets in on AWS (IAM User Guide, "IAM JSON policy elements: Condition
operators" and "Policy evaluation logic"): a condition on a key the request does
not carry fails a positive operator but passes a negated one and any
``...IfExists`` one; ``Null false`` asks only that *some* external id be sent;
statements are OR-ed, so one loose statement beside a strict one opens the role;
``Principal "*"`` and the account root include the platform principal. The
confused deputy these let in: IAM User Guide, "The confused deputy problem".
"""

from __future__ import annotations

from typing import Any

from domain.external_id import ExternalId

OTHER_ID = "another-customers-external-id-0000"


def _allow(principal: Any, condition: dict[str, Any] | None = None) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": principal,
        "Action": "sts:AssumeRole",
    }
    if condition is not None:
        statement["Condition"] = condition
    return statement


def bound(principal_arn: str, *external_ids: ExternalId) -> dict[str, Any]:
    """The statement aws-setup hands out (or, with several ids, one trusting each)."""
    ids = [e.value for e in external_ids]
    return _allow(
        {"AWS": principal_arn},
        {"StringEquals": {"sts:ExternalId": ids[0] if len(ids) == 1 else ids}},
    )


def unbound_trust_policies(principal_arn: str, external_id: ExternalId) -> dict[str, Any]:
    """Name -> trust policy: every shape that got in before the binding check."""
    platform = {"AWS": principal_arn}
    account_root = {"AWS": f"arn:aws:iam::{principal_arn.split(':')[4]}:root"}
    ours = external_id.value
    shapes: dict[str, list[dict[str, Any]]] = {
        "no condition": [_allow(platform)],
        "an empty condition": [_allow(platform, {})],
        "StringLike any external id": [_allow(platform, {"StringLike": {"sts:ExternalId": "*"}})],
        "StringNotEquals another id": [
            _allow(platform, {"StringNotEquals": {"sts:ExternalId": OTHER_ID}})
        ],
        "StringNotEqualsIgnoreCase another id": [
            _allow(platform, {"StringNotEqualsIgnoreCase": {"sts:ExternalId": OTHER_ID}})
        ],
        "Null external id false": [_allow(platform, {"Null": {"sts:ExternalId": "false"}})],
        "a loose statement beside a bound one": [
            bound(principal_arn, external_id),
            _allow(platform),
        ],
        'Principal "*"': [_allow("*")],
        "the platform account's root, no condition": [_allow(account_root)],
        "StringLikeIfExists the right id": [
            _allow(platform, {"StringLikeIfExists": {"sts:ExternalId": ours}})
        ],
        "StringEqualsIfExists the right id": [
            _allow(platform, {"StringEqualsIfExists": {"sts:ExternalId": ours}})
        ],
        "aws:PrincipalArn only": [
            _allow(platform, {"ArnEquals": {"aws:PrincipalArn": principal_arn}})
        ],
        "aws:SecureTransport only": [_allow(platform, {"Bool": {"aws:SecureTransport": "true"}})],
        "sts:RoleSessionName only": [
            _allow(platform, {"StringLike": {"sts:RoleSessionName": "bucketlink-org-*"}})
        ],
    }
    return {name: {"Version": "2012-10-17", "Statement": s} for name, s in shapes.items()}
