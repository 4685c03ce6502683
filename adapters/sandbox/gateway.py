"""The sandbox endpoint's front door: every request authenticated and authorised
as AWS would, then handed to moto, which only stores.

WSGI middleware in front of moto's server app (docs/spike-moto-access-control.md
says why moto's own access control stays off). For each request: the SigV4
signature is checked against the key's secret (``callers``), the key decides the
account (a client's ``x-moto-account-id`` is dropped; the gateway sets it), and
the call is judged by AWS's policy evaluation (``adapters.aws_models.authorization``)
with the rules of its service (``s3_rules``, ``sts_rules``, ``iam_rules``). A
refusal is answered in AWS's own words (``aws_answers``) and never reaches moto.

Two paths of the gateway's own, under ``/_bucketlink/``: ``ready`` (the emulator
listens) and ``credentials?account=A`` (an administrator of account A, for
``bucketlink sandbox credentials``). moto's ``/moto-api/`` is closed: it would
reset or rewrite the world behind AWS's rules.
"""

from __future__ import annotations

import datetime
import io
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, parse_qsl, quote

from adapters.aws_models.authorization import Caller, authorize, principal_context
from adapters.sandbox import aws_answers, callers, iam_rules, moto_state, s3_rules, sts_rules
from adapters.sandbox.aws_answers import Refusal
from adapters.sandbox.callers import PlatformKey
from adapters.sandbox.signatures import (
    MAX_SKEW,
    Malformed,
    Received,
    Signature,
    SignatureVersion2,
    payload_intact,
    signature_of,
)

log = logging.getLogger(__name__)
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
StartResponse = Callable[..., Any]
_OWN = "/_bucketlink/"
_ACCOUNT_HEADER = "HTTP_X_MOTO_ACCOUNT_ID"
# TLS version the handshake agreed, put in the environ by the request handler.
TLS_VERSION = "bucketlink.tls_version"


class Gateway:
    def __init__(
        self,
        app: WsgiApp,
        platform: PlatformKey,
        describe: Callable[[str], Mapping[str, str]],
        clock: Callable[[], datetime.datetime] | None = None,
    ) -> None:
        self._app = app
        self._platform = platform
        # What `credentials` answers besides the key: endpoint, CA bundle, region.
        self._describe = describe
        self._clock = clock or (lambda: datetime.datetime.now(datetime.UTC))

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith(_OWN):
            return self._own(path.removeprefix(_OWN), environ, start_response)
        if path.startswith("/moto-api"):
            return _plain(start_response, "403 Forbidden", b"not part of AWS's API\n")
        received = _received(environ)
        parsed = _parse(received)
        if not _names_this_endpoint(received.host):
            # moto would read another name as a virtual-hosted bucket the rules
            # never saw: only the endpoint's own addresses are served.
            refusal = aws_answers.Refusal("InvalidRequest", "unknown host for this endpoint", 400)
            return _refuse(refusal, parsed.service, received.method, start_response)
        judged = self._judge(received, parsed, environ)
        if isinstance(judged, Refusal):
            return _refuse(judged, parsed.service, received.method, start_response)
        if isinstance(judged, bytes):
            return _plain(start_response, "200 OK", judged, "text/xml")
        environ[_ACCOUNT_HEADER] = judged.account
        with moto_state.judged():
            # Drained here: moto must run while its own bucket-policy check is off.
            return list(self._app(environ, start_response))

    def _judge(
        self, received: Received, parsed: _Parsed, environ: Mapping[str, Any]
    ) -> Caller | Refusal | bytes:
        if isinstance(parsed.problem, SignatureVersion2):
            return aws_answers.signature_version_2()
        if parsed.problem is not None:
            return aws_answers.malformed(parsed.service, str(parsed.problem))
        signature = parsed.signature
        if signature is None:
            return aws_answers.missing_authentication(parsed.service)
        refused = self._too_old(signature)
        if refused is not None:
            return refused
        caller = callers.caller(signature, received, self._platform, self._clock())
        if isinstance(caller, Refusal):
            return caller
        if not payload_intact(received):
            return aws_answers.payload_mismatch()
        context = {**self._context(received, signature, environ), **principal_context(caller)}
        return _authorised(caller, signature.service, received, context)

    def _too_old(self, signature: Signature) -> Refusal | None:
        try:
            signed_at = signature.signed_at()
        except Malformed as error:
            return aws_answers.malformed(signature.service, str(error))
        now = self._clock()
        if signature.presigned:
            expires = signature.expires_seconds or 0
            if now > signed_at + datetime.timedelta(seconds=expires):
                return aws_answers.presigned_expired()
            return None
        if abs(now - signed_at) > MAX_SKEW:
            return aws_answers.too_skewed(signature.service)
        return None

    def _context(
        self, received: Received, signature: Signature, environ: Mapping[str, Any]
    ) -> dict[str, str]:
        now = self._clock()
        context = {
            "aws:SecureTransport": "true" if received.scheme == "https" else "false",
            "aws:SourceIp": str(environ.get("REMOTE_ADDR", "")),
            "aws:CurrentTime": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "aws:EpochTime": str(int(now.timestamp())),
            "aws:RequestedRegion": signature.region,
        }
        if received.scheme == "https" and environ.get(TLS_VERSION):
            context["s3:TlsVersion"] = str(environ[TLS_VERSION])
        return context

    def _own(self, what: str, environ: dict[str, Any], start_response: StartResponse) -> Any:
        if what == "ready":
            return _plain(start_response, "200 OK", b"ready\n")
        if what == "credentials" and environ.get("REQUEST_METHOD") == "POST":
            account = parse_qs(environ.get("QUERY_STRING", "")).get("account", [""])[0]
            if not (len(account) == 12 and account.isdigit()):
                return _plain(start_response, "400 Bad Request", b"account must be 12 digits\n")
            key_id, secret = moto_state.administrator_key(account)
            body = {"aws_access_key_id": key_id, "aws_secret_access_key": secret}
            body.update(self._describe(account))
            return _plain(start_response, "200 OK", json.dumps(body).encode(), "application/json")
        return _plain(start_response, "404 Not Found", b"no such sandbox path\n")


def _authorised(
    caller: Caller, service: str, received: Received, context: Mapping[str, str]
) -> Caller | Refusal | bytes:
    if service == "s3":
        refused = s3_rules.refusal(caller, received, context)
        return caller if refused is None else refused
    form = _form(received)
    if service == "sts":
        return _sts(caller, form, context)
    if service == "iam":
        access = iam_rules.iam_access(caller.account, form)
        decision = authorize(caller, access.action, access.resource, {**context, **access.context})
        if decision.allowed:
            return caller
        return aws_answers.access_denied("iam", caller.arn, access.action, access.resource)
    return _any_other(caller, service, received, form, context)


def _any_other(
    caller: Caller,
    service: str,
    received: Received,
    form: Mapping[str, str],
    context: Mapping[str, str],
) -> Caller | Refusal:
    # Services the gateway has no rules of its own for (CloudFormation, say):
    # the caller's identity policies on the operation, named by the query
    # protocol's Action or the JSON protocol's X-Amz-Target.
    target = received.headers.get("x-amz-target", "").rpartition(".")[2]
    operation = form.get("Action") or target
    action = f"{service}:{operation}" if operation else f"{service}:UnrecognisedOperation"
    if authorize(caller, action, "*", context).allowed:
        return caller
    return aws_answers.access_denied(service, caller.arn, action, "*")


def _sts(caller: Caller, form: Mapping[str, str], context: Mapping[str, str]) -> Any:
    action = form.get("Action", "")
    if action == "GetCallerIdentity":
        return sts_rules.caller_identity(caller)
    if action == "AssumeRole":
        refused = sts_rules.assume_role_refusal(caller, form, context)
        return caller if refused is None else refused
    if authorize(caller, f"sts:{action}", "*", context).allowed:
        return caller
    return aws_answers.access_denied("sts", caller.arn, f"sts:{action}", "*")


_OWN_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})


def _names_this_endpoint(host: str) -> bool:
    name = host.rpartition(":")[0] if host.rpartition(":")[2].isdigit() else host
    return name.lower() in _OWN_HOSTS


def _received(environ: dict[str, Any]) -> Received:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if environ.get("wsgi.input_terminated"):
        # Transfer-Encoding: chunked (boto3's aws-chunked uploads over HTTPS):
        # werkzeug has undone the chunking and ends the stream with the body.
        body = environ["wsgi.input"].read()
    else:
        body = environ["wsgi.input"].read(length) if length else b""
    # moto reads the body again: hand it a fresh stream of the same bytes.
    environ["wsgi.input"] = io.BytesIO(body)
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw is None:  # not werkzeug's own server: rebuild what the client sent
        query = environ.get("QUERY_STRING", "")
        raw = quote(environ.get("PATH_INFO", "/")) + (f"?{query}" if query else "")
    raw_path, _, raw_query = str(raw).partition("?")
    headers = _headers(environ)  # as signed, the client's account header included
    environ.pop(_ACCOUNT_HEADER, None)  # the key decides the account, never the client
    return Received(
        method=str(environ.get("REQUEST_METHOD", "GET")),
        scheme=str(environ.get("wsgi.url_scheme", "http")),
        host=str(environ.get("HTTP_HOST", "")),
        raw_path=raw_path or "/",
        raw_query=raw_query,
        headers=headers,
        body=body,
    )


def _headers(environ: Mapping[str, Any]) -> dict[str, str]:
    headers = {
        name[5:].replace("_", "-").lower(): str(value)
        for name, value in environ.items()
        if name.startswith("HTTP_")
    }
    for name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(name):
            headers[name.replace("_", "-").lower()] = str(environ[name])
    return headers


@dataclass(frozen=True, slots=True)
class _Parsed:
    """The request's signature, read once: what it claims, or why it is malformed,
    and the service to answer in."""

    signature: Signature | None
    problem: Malformed | None
    service: str


def _parse(received: Received) -> _Parsed:
    try:
        signature = signature_of(received)
    except Malformed as problem:
        return _Parsed(None, problem, _unsigned_service(received))
    service = signature.service if signature else _unsigned_service(received)
    return _Parsed(signature, None, service)


def _unsigned_service(received: Received) -> str:
    # Without a credential scope, a form body with an Action is the query protocol.
    return "sts" if b"Action=" in received.body[:200] else "s3"


def _form(received: Received) -> dict[str, str]:
    # STS and IAM speak the query protocol: the parameters are the form body.
    pairs = parse_qsl(received.body.decode(errors="replace"), keep_blank_values=True)
    pairs += parse_qsl(received.raw_query, keep_blank_values=True)
    return dict(pairs)


def _refuse(
    refusal: Refusal, service: str, method: str, start_response: StartResponse
) -> list[bytes]:
    status, headers, body = refusal.answer(service, method)
    start_response(status, headers)
    return [body]


def _plain(
    start_response: StartResponse, status: str, body: bytes, content_type: str = "text/plain"
) -> list[bytes]:
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]
