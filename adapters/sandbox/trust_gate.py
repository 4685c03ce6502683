"""The emulator's STS, made to refuse AssumeRole where AWS's would.

moto lets anyone assume any role, so against bare moto every binding attempt
(AssumeRole without the org's external id, or with a decoy) would get in, and
every role would look unbound. This gate is a botocore ``before-call`` hook on
the platform's session: before an AssumeRole is sent, it judges the role's trust
policy in the emulator by AWS's rules (``adapters.aws.probe_rules``) with exactly
what the call carries, and answers AWS's error itself when AWS would refuse. A
call AWS would allow goes on to moto.

It speaks for the platform principal: in the sandbox that is who the session's
clients sign as. Stand-in until the sandbox endpoint enforces AWS's rules for
every client (contract section 8).
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.awsrequest import AWSResponse, HTTPHeaders

from adapters.aws.probe_rules import assume_role_refusal
from adapters.sandbox.emulator_facts import EmulatorFacts
from domain.external_id import ExternalId
from domain.role_arn import RoleArn

_EVENT = "before-call.sts.AssumeRole"
# A session carries one gate, however many probes are built on it.
_GATE_ID = "bucketlink-sandbox-trust-gate"
_STATUS = {"AccessDenied": 403, "ValidationError": 400}


def enforce_trust_policies(
    session: boto3.Session, facts: EmulatorFacts, principal_arn: str
) -> None:
    """Judge every AssumeRole of the STS clients built from ``session`` from now on."""
    gate: Any = _TrustGate(facts, principal_arn)  # a handler that answers for AWS
    session.events.register(_EVENT, gate, unique_id=_GATE_ID)


class _TrustGate:
    def __init__(self, facts: EmulatorFacts, principal_arn: str) -> None:
        self._facts = facts
        self._principal_arn = principal_arn

    def __call__(self, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict] | None:
        # STS speaks the query protocol: the call's parameters are the form body.
        sent: dict[str, str] = params["body"]
        role_arn = sent["RoleArn"]
        external_id = sent.get("ExternalId")
        refusal = assume_role_refusal(
            self._facts.role(RoleArn.parse(role_arn)),
            role_arn,
            self._principal_arn,
            ExternalId(external_id) if external_id is not None else None,
            sent.get("RoleSessionName", ""),
        )
        if refusal is None:
            return None
        code, _reason = refusal  # the probe logs the reason; STS would not say it
        return _error(params["url"], code, self._principal_arn, role_arn)


def _error(url: str, code: str, principal_arn: str, role_arn: str) -> tuple[AWSResponse, dict]:
    status = _STATUS.get(code, 403)
    # STS's own wording, which says nothing of why.
    message = (
        f"User: {principal_arn} is not authorized to perform: sts:AssumeRole "
        f"on resource: {role_arn}"
    )
    parsed = {
        "Error": {"Type": "Sender", "Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return AWSResponse(url, status, HTTPHeaders(), None), parsed
