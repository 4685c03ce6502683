"""The emulator's STS, made to refuse the platform's AssumeRole where AWS's would.

moto lets anyone assume any role, so against bare moto every binding attempt
(AssumeRole without the org's external id, or with a decoy) would get in, and
every role would look unbound. This gate is WSGI middleware in front of moto's
server: an AssumeRole signed with the platform's key is judged by AWS's rules
(``adapters.aws_models.probe_rules``) on the role's trust policy in the emulator, with
exactly the external id and session name the request carries, and refused as
STS refuses when AWS would. Whatever AWS would allow goes on to moto, so any
client signing as the platform (the service in either mode, boto3, the AWS CLI)
meets the same STS.

Other callers' AssumeRole calls are passed on unjudged: the emulator cannot yet
tell who they are. Authenticating every caller is contract section 8's work.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from adapters.aws_models.probe_rules import assume_role_refusal
from adapters.sandbox.accounts import EmulatorAccounts
from adapters.sandbox.emulator_facts import EmulatorFacts
from domain.errors import InvalidField
from domain.external_id import ExternalId
from domain.role_arn import RoleArn

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
# SigV4: "Credential=<key id>/<date>/<region>/<service>/aws4_request".
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/[^/]+/[^/]+/([^/]+)/aws4_request")
_STATUS = {"AccessDenied": "403 Forbidden", "ValidationError": "400 Bad Request"}


class TrustGate:
    def __init__(self, app: WsgiApp, *, platform_key_id: str, principal_arn: str) -> None:
        self._app = app
        self._platform_key_id = platform_key_id
        self._principal_arn = principal_arn
        self._facts: EmulatorFacts | None = None
        self._lock = threading.Lock()

    def read_roles_from(self, endpoint_url: str) -> None:
        """Where the gate reads roles: the emulator's own endpoint, once it listens."""
        with self._lock:
            self._facts = EmulatorFacts(EmulatorAccounts(endpoint_url))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if not self._signed_by_the_platform_for_sts(environ):
            return self._app(environ, start_response)
        sent = _form(environ)
        if sent.get("Action") != "AssumeRole":
            return self._app(environ, start_response)
        code = self._refusal(sent)
        if code is None:
            return self._app(environ, start_response)
        body = _denial(code, self._principal_arn, sent.get("RoleArn", ""))
        start_response(
            _STATUS.get(code, "403 Forbidden"),
            [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))],
        )
        return [body]

    def _signed_by_the_platform_for_sts(self, environ: dict[str, Any]) -> bool:
        # A request that picks another account is not the platform's.
        if environ.get("HTTP_X_MOTO_ACCOUNT_ID"):
            return False
        signed = _CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
        return signed is not None and signed.groups() == (self._platform_key_id, "sts")

    def _refusal(self, sent: dict[str, str]) -> str | None:
        role_arn = sent.get("RoleArn", "")
        try:
            role = RoleArn.parse(role_arn)
            external_id = ExternalId(sent["ExternalId"]) if "ExternalId" in sent else None
        except InvalidField:
            return "ValidationError"
        refusal = assume_role_refusal(
            self._roles().trusting(role),
            role_arn,
            self._principal_arn,
            external_id,
            sent.get("RoleSessionName", ""),
        )
        # Only the code: STS never says why (the probe's own judge logs it).
        return None if refusal is None else refusal[0]

    def _roles(self) -> EmulatorFacts:
        with self._lock:
            if self._facts is None:
                raise RuntimeError("the trust gate does not know the emulator's endpoint yet")
            return self._facts


def _form(environ: dict[str, Any]) -> dict[str, str]:
    # STS speaks the query protocol: the call's parameters are the form body,
    # which is read here and handed on to moto unchanged.
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return {key: values[0] for key, values in parse_qs(body.decode()).items()}


def _denial(code: str, principal_arn: str, role_arn: str) -> bytes:
    # STS's own wording, which says nothing of why.
    message = (
        f"User: {principal_arn} is not authorized to perform: sts:AssumeRole "
        f"on resource: {role_arn}"
    )
    return (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        f"<Error><Type>Sender</Type><Code>{code}</Code><Message>{escape(message)}</Message>"
        "</Error><RequestId>bucketlink-sandbox</RequestId></ErrorResponse>"
    ).encode()
