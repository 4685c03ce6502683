"""The emulator's STS, made to refuse AssumeRole where AWS's would.

moto lets anyone assume any role, so against bare moto every binding attempt
(AssumeRole without the org's external id, or with a decoy) would get in, and
every role would look unbound. This gate is a botocore ``before-send`` hook on
the platform's session: when an AssumeRole is about to go out, it judges the
role's trust policy in the emulator by AWS's rules
(``adapters.aws.probe_rules``) with exactly what the request carries, and when
AWS would refuse, it answers as STS answers on the wire, so botocore parses,
meters and raises it like any other denial. A call AWS would allow goes on to
moto.

It speaks for the platform principal: in the sandbox that is who the session's
clients sign as. A stand-in until the sandbox endpoint itself enforces AWS's
rules for every client (contract section 8).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

import boto3
from botocore.awsrequest import AWSPreparedRequest, AWSResponse, HTTPHeaders

from adapters.aws.probe_rules import assume_role_refusal
from adapters.sandbox.emulator_facts import EmulatorFacts
from domain.errors import InvalidField
from domain.external_id import ExternalId
from domain.role_arn import RoleArn

# Last among the session's before-send hooks, so that those which watch what
# is sent (call recorders, tests' scripts) see this request too.
_EVENT = "before-send"
_OPERATION = ".sts.AssumeRole"
# A session carries one gate, however many probes are built on it.
_GATE_ID = "bucketlink-sandbox-trust-gate"
_STATUS = {"AccessDenied": 403, "ValidationError": 400}


def enforce_trust_policies(
    session: boto3.Session, facts: EmulatorFacts, principal_arn: str
) -> None:
    """Judge every AssumeRole of the STS clients built from ``session`` from now on."""
    gate: Any = _TrustGate(facts, principal_arn)  # a hook that answers for AWS
    session.events.register_last(_EVENT, gate, unique_id=_GATE_ID)


class _TrustGate:
    def __init__(self, facts: EmulatorFacts, principal_arn: str) -> None:
        self._facts = facts
        self._principal_arn = principal_arn

    def __call__(
        self, request: AWSPreparedRequest, event_name: str, **_: Any
    ) -> AWSResponse | None:
        if not event_name.endswith(_OPERATION):
            return None
        sent = _form(request)
        role_arn = sent.get("RoleArn", "")
        refusal = self._refusal(role_arn, sent)
        if refusal is None:
            return None
        # The probe logs why; STS itself never says.
        return _denial(request.url, refusal, self._principal_arn, role_arn)

    def _refusal(self, role_arn: str, sent: dict[str, str]) -> str | None:
        try:
            role = self._facts.role(RoleArn.parse(role_arn))
            external_id = ExternalId(sent["ExternalId"]) if "ExternalId" in sent else None
        except InvalidField:
            return "ValidationError"
        refusal = assume_role_refusal(
            role, role_arn, self._principal_arn, external_id, sent.get("RoleSessionName", "")
        )
        return None if refusal is None else refusal[0]


def _form(request: AWSPreparedRequest) -> dict[str, str]:
    # STS speaks the query protocol: the call's parameters are the form body.
    body = request.body
    text = body.decode() if isinstance(body, bytes) else str(body or "")
    return {key: values[0] for key, values in parse_qs(text).items()}


def _denial(url: str, code: str, principal_arn: str, role_arn: str) -> AWSResponse:
    # STS's own wording, which says nothing of why.
    message = (
        f"User: {principal_arn} is not authorized to perform: sts:AssumeRole "
        f"on resource: {role_arn}"
    )
    body = (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        f"<Error><Type>Sender</Type><Code>{code}</Code><Message>{escape(message)}</Message>"
        "</Error><RequestId>bucketlink-sandbox</RequestId></ErrorResponse>"
    )
    return AWSResponse(url, _STATUS.get(code, 403), HTTPHeaders(), _Body(body.encode()))


class _Body:
    """What botocore reads a response's content from."""

    def __init__(self, content: bytes) -> None:
        self._content = content

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._content
