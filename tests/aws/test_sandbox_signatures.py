"""The gateway's SigV4 check, against what botocore itself signs
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html), and its
refusals of stale, expired and forged requests, with a clock of the test's own.
"""

from __future__ import annotations

import datetime
import json
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from hypothesis import given
from hypothesis import strategies as st
from moto.sts.models import sts_backends
from werkzeug.test import Client

from adapters.sandbox import moto_state
from adapters.sandbox.callers import PlatformKey
from adapters.sandbox.gateway import Gateway
from adapters.sandbox.signatures import Received, matches, payload_intact, signature_of

KEY, SECRET = "AKIDSIGNATURETEST", "signature-test-secret"
HOST = "127.0.0.1:4566"
keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)


def _signed(
    method: str, path: str, query: str = "", body: bytes = b"", service: str = "s3"
) -> AWSRequest:
    url = f"http://{HOST}{path}" + (f"?{query}" if query else "")
    credentials = Credentials(KEY, SECRET)
    if service == "s3":
        request = AWSRequest(method=method, url=url, data=body, headers={})
        S3SigV4Auth(credentials, "s3", "us-east-1").add_auth(request)
    else:
        # The query protocol, as botocore sends it: the parameters as a form body.
        form = dict(parse_qsl(body.decode()))
        request = AWSRequest(method=method, url=url, data=form, headers={})
        request.headers["Content-Type"] = "application/x-www-form-urlencoded"
        SigV4Auth(credentials, service, "us-east-1").add_auth(request)
    return request


def _received(request: AWSRequest, **changes: Any) -> Received:
    parts = urlsplit(request.url)
    headers = {name.lower(): str(value) for name, value in request.headers.items()}
    headers["host"] = HOST
    body = request.body if isinstance(request.body, bytes) else (request.body or "").encode()
    fields = {
        "method": request.method,
        "scheme": "http",
        "host": HOST,
        "raw_path": parts.path,
        "raw_query": parts.query,
        "headers": headers,
        "body": body,
    }
    fields.update(changes)
    return Received(**fields)


@given(keys, st.binary(max_size=64))
def test_whatever_botocore_signs_verifies_and_any_other_key_does_not(key: str, body: bytes) -> None:
    request = _signed("PUT", f"/bucket/{quote(key, safe='/~')}", body=body)
    received = _received(request)
    signature = signature_of(received)
    assert signature is not None and signature.key_id == KEY
    assert matches(signature, SECRET, received)
    assert payload_intact(received)
    assert not matches(signature, SECRET + "x", received)
    assert not matches(signature, SECRET, _received(request, raw_path=f"/other/{quote(key)}"))


@given(st.binary(min_size=1, max_size=64))
def test_a_body_that_is_not_the_signed_digest_is_caught(body: bytes) -> None:
    request = _signed("PUT", "/bucket/key", body=body)
    assert not payload_intact(_received(request, body=body + b"!"))


def test_a_signed_header_changed_in_transit_breaks_the_signature() -> None:
    request = _signed("GET", "/bucket/key")
    received = _received(request)
    tampered = _received(request, headers={**received.headers, "x-amz-date": "20200101T000000Z"})
    signature = signature_of(tampered)
    assert signature is not None and not matches(signature, SECRET, tampered)


def test_a_presigned_url_verifies_and_its_query_is_signed() -> None:
    request = AWSRequest(method="GET", url=f"http://{HOST}/bucket/key", headers={})
    S3SigV4QueryAuth(Credentials(KEY, SECRET), "s3", "us-east-1", expires=60).add_auth(request)
    received = _received(request)
    signature = signature_of(received)
    assert signature is not None and signature.presigned and signature.expires_seconds == 60
    assert matches(signature, SECRET, received)
    longer = received.raw_query.replace("X-Amz-Expires=60", "X-Amz-Expires=6000")
    assert not matches(signature, SECRET, _received(request, raw_query=longer))


def test_a_query_protocol_call_is_signed_over_its_form_body() -> None:
    body = b"Action=GetCallerIdentity&Version=2011-06-15"
    request = _signed("POST", "/", body=body, service="sts")
    received = _received(request)
    signature = signature_of(received)
    assert signature is not None and signature.service == "sts"
    assert matches(signature, SECRET, received)
    tampered = _received(request, body=received.body.replace(b"Get", b"Put"))
    assert not matches(signature, SECRET, tampered)


# -- the gateway's clock: skew and session expiry --


def _gateway(now: datetime.datetime) -> Client:
    def moto(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"moto"]

    platform = PlatformKey(KEY, SECRET, "arn:aws:iam::123456789012:role/signature-test")
    return Client(Gateway(moto, platform, lambda account: {}, clock=lambda: now))


def _send(client: Client, request: AWSRequest) -> Any:
    parts = urlsplit(request.url)
    # The query in the path: the gateway reads the raw request line, as sent.
    return client.open(
        f"{parts.path}?{parts.query}" if parts.query else parts.path,
        method=request.method,
        headers={name: str(value) for name, value in request.headers.items()},
        data=request.body,
        base_url=f"http://{HOST}",
    )


def test_a_request_signed_more_than_15_minutes_from_the_clock_is_too_skewed() -> None:
    # https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html (RequestTimeTooSkewed)
    request = _signed("GET", "/")
    late = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=16)
    answer = _send(_gateway(late), request)
    assert answer.status_code == 403 and b"RequestTimeTooSkewed" in answer.data
    on_time = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=14)
    who = _signed("POST", "/", body=b"Action=GetCallerIdentity&Version=2011-06-15", service="sts")
    assert _send(_gateway(on_time), who).status_code == 200


def test_an_expired_presigned_url_is_refused() -> None:
    request = AWSRequest(method="GET", url=f"http://{HOST}/bucket/key", headers={})
    S3SigV4QueryAuth(Credentials(KEY, SECRET), "s3", "us-east-1", expires=60).add_auth(request)
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=90)
    answer = _send(_gateway(later), request)
    assert answer.status_code == 403 and b"Request has expired" in answer.data


def test_a_session_past_its_expiry_is_an_expired_token(monkeypatch: pytest.MonkeyPatch) -> None:
    # https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (DurationSeconds)
    account = "310987654321"
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
    arn = f"arn:aws:iam::{account}:role/expiring"
    moto_state.ensure_role(arn, policy, policy)
    session = sts_backends[account]["global"].assume_role(
        region_name="us-east-1",
        role_session_name="short",
        role_arn=arn,
        policy=json.dumps(policy),
        duration=900,
        external_id="",
    )
    request = AWSRequest(
        method="POST",
        url=f"http://{HOST}/",
        data={"Action": "GetCallerIdentity", "Version": "2011-06-15"},
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    credentials = Credentials(
        session.access_key_id, session.secret_access_key, session.session_token
    )
    now = datetime.datetime.now(datetime.UTC)
    SigV4Auth(credentials, "sts", "us-east-1").add_auth(request)
    assert _send(_gateway(now), request).status_code == 200
    # Signed and checked after the session's 900 s: the signature is in time, the session not.
    late = now + datetime.timedelta(seconds=901)
    monkeypatch.setattr("botocore.auth.get_current_datetime", lambda: late.replace(tzinfo=None))
    SigV4Auth(credentials, "sts", "us-east-1").add_auth(request)
    answer = _send(_gateway(late), request)
    assert answer.status_code == 403 and b"ExpiredToken" in answer.data


def test_a_body_that_is_not_its_signed_digest_never_reaches_moto() -> None:
    # XAmzContentSHA256Mismatch:
    # https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
    reached: list[bool] = []

    def moto(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        reached.append(True)
        start_response("200 OK", [])
        return [b""]

    key_id, secret = moto_state.administrator_key("510987654321")
    request = AWSRequest(method="PUT", url=f"http://{HOST}/bucket/key", data=b"signed")
    S3SigV4Auth(Credentials(key_id, secret), "s3", "us-east-1").add_auth(request)
    request.data = b"swapped"
    request.headers["Content-Length"] = "7"
    gateway = Client(Gateway(moto, PlatformKey(KEY, SECRET, "arn:aws:iam::1:role/r"), dict))
    answer = _send(gateway, request)
    assert answer.status_code == 400 and b"XAmzContentSHA256Mismatch" in answer.data
    assert reached == []


@pytest.mark.parametrize("header", ["x-moto-account-id"])
def test_the_account_header_never_reaches_moto(header: str) -> None:
    seen: list[str | None] = []

    def moto(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.append(environ.get("HTTP_X_MOTO_ACCOUNT_ID"))
        start_response("200 OK", [])
        return [b""]

    account = "410987654321"
    key_id, secret = moto_state.administrator_key(account)
    request = AWSRequest(method="GET", url=f"http://{HOST}/", headers={header: "999999999999"})
    S3SigV4Auth(Credentials(key_id, secret), "s3", "us-east-1").add_auth(request)
    gateway = Client(Gateway(moto, PlatformKey(KEY, SECRET, "arn:aws:iam::1:role/r"), dict))
    assert _send(gateway, request).status_code == 200
    assert seen == [account]
