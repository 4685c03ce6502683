"""Contract §2 on every protected route: forged, unsigned and expired tokens are
refused, and an expired token is renewed only by a valid refresh token.
(tests/api/test_auth.py holds the full catalogue of bad tokens on one route.)"""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

import jwt
import pytest
from litestar.testing import AsyncTestClient

from tests.conftest import JWT_SECRET, access_token, refresh_token

SOME_ID = str(uuid.uuid4())
CONNECTOR = {
    "credential_name": "x",
    "role_arn": "arn:aws:iam::111122223333:role/r",
    "bucket_uri": "s3://some-bucket",
    "expected_bucket_owner_account_id": "111122223333",
}
ROUTES = [
    ("GET", "/v1/account/aws-setup", None),
    ("POST", "/v1/connectors/s3", CONNECTOR),
    ("POST", "/v1/connectors/s3/validate", CONNECTOR),
    ("GET", "/v1/connectors", None),
    ("GET", f"/v1/connectors/s3/{SOME_ID}", None),
    ("POST", f"/v1/connectors/s3/{SOME_ID}/verify", None),
    ("DELETE", f"/v1/connectors/s3/{SOME_ID}", None),
    ("POST", "/resources/buckets", {"account_id": "111122223333", "resource_id": "acme"}),
    ("GET", "/resources/buckets", None),
    ("GET", f"/resources/buckets/{SOME_ID}", None),
    ("PUT", f"/resources/buckets/{SOME_ID}/access", {"access": {"type": "bucket_policy"}}),
    ("DELETE", f"/resources/buckets/{SOME_ID}", None),
]
ROUTE_IDS = [f"{method} {path.replace(SOME_ID, '{id}')}" for method, path, _ in ROUTES]
OTHER_SECRET = "another-secret-that-is-long-enough-too"


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _claims(**overrides: Any) -> dict[str, Any]:
    return {"sub": "alice", "org_id": 1, "exp": int(time.time()) + 600, **overrides}


def _unsigned(alg: str, claims: dict[str, Any], signature: str = "") -> str:
    return f"{_b64({'alg': alg, 'typ': 'JWT'})}.{_b64(claims)}.{signature}"


def _resigned_as_none(token: str) -> str:
    """A genuine token whose header is rewritten to ``alg: none``, signature kept."""
    _, payload, signature = token.split(".")
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.{signature}"


BAD_ACCESS_TOKENS = {
    "alg-none": _unsigned("none", _claims()),
    "alg-None": _unsigned("None", _claims()),
    "alg-NONE": _unsigned("NONE", _claims()),
    "alg-none-with-a-signature": _unsigned("none", _claims(), signature="c2lnbmF0dXJl"),
    "genuine-rewritten-to-none": _resigned_as_none(access_token()),
    "wrong-secret": jwt.encode(_claims(), OTHER_SECRET, algorithm="HS256"),
    "expired-no-refresh": access_token(ttl=-5),
}


async def _call(
    client: AsyncTestClient[Any], route: tuple[str, str, Any], headers: dict[str, str]
) -> Any:
    method, path, body = route
    return await client.request(method, path, json=body, headers=headers)


def _assert_refused(response: Any, token: str, kind: str) -> None:
    assert response.status_code == 401, (kind, response.text)
    assert response.json()["code"] == "unauthenticated", kind
    assert response.headers["www-authenticate"] == "Bearer", kind
    assert "x-access-token" not in response.headers, kind
    assert token not in response.text, kind


BAD_REFRESH_TOKENS = {
    "alg-none": _unsigned("none", _claims(typ="refresh")),
    "genuine-rewritten-to-none": _resigned_as_none(refresh_token()),
    "wrong-secret": jwt.encode(_claims(typ="refresh"), OTHER_SECRET, algorithm="HS256"),
    "expired": refresh_token(ttl=-5),
}


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
async def test_bad_tokens_and_bad_refresh_tokens_are_refused_on_every_route(
    client: AsyncTestClient[Any], route: tuple[str, str, Any]
) -> None:
    for kind, token in BAD_ACCESS_TOKENS.items():
        response = await _call(client, route, {"Authorization": f"Bearer {token}"})
        _assert_refused(response, token, kind)
    for kind, refresh in BAD_REFRESH_TOKENS.items():
        headers = {"Authorization": f"Bearer {access_token(ttl=-5)}", "refresh-token": refresh}
        _assert_refused(await _call(client, route, headers), refresh, kind)


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
async def test_an_expired_token_with_a_valid_refresh_token_is_served_and_renewed_on_every_route(
    client: AsyncTestClient[Any], route: tuple[str, str, Any]
) -> None:
    headers = {"Authorization": f"Bearer {access_token(ttl=-5)}", "refresh-token": refresh_token()}
    response = await _call(client, route, headers)
    assert response.status_code != 401, response.text
    renewed = jwt.decode(response.headers["x-access-token"], JWT_SECRET, algorithms=["HS256"])
    assert (renewed["sub"], renewed["org_id"]) == ("alice", 1)
    assert renewed["exp"] > time.time()
