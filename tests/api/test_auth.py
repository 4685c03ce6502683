"""Contract §2: who may call, and how an expired access token is renewed."""

from __future__ import annotations

import time
from typing import Any

import anyio
import jwt
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from adapters.fakes.fake_aws import FakeAws
from entrypoints.http.app import create_app
from entrypoints.http.tokens import BucketlinkToken
from entrypoints.settings import Settings
from tests.api.conftest import fake_container
from tests.conftest import JWT_SECRET, access_token, bearer, refresh_token

PROTECTED = "/v1/connectors"


def _signed(claims: dict[str, Any], secret: str = JWT_SECRET, alg: str = "HS256") -> str:
    return jwt.encode(claims, secret, algorithm=alg)


def _claims(**overrides: Any) -> dict[str, Any]:
    return {"sub": "alice", "org_id": 1, "exp": int(time.time()) + 600, **overrides}


def _unsigned(claims: dict[str, Any]) -> str:
    header = jwt.utils.base64url_encode(b'{"alg":"none","typ":"JWT"}').decode()
    payload = jwt.utils.base64url_encode(jwt.api_jws.json.dumps(claims).encode()).decode()
    return f"{header}.{payload}."


async def _assert_unauthenticated(client: AsyncTestClient[Any], headers: dict[str, str]) -> None:
    response = await client.get(PROTECTED, headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["code"] == "unauthenticated"
    assert "x-access-token" not in response.headers


async def test_a_valid_token_is_served(client: AsyncTestClient[Any]) -> None:
    response = await client.get(PROTECTED, headers=bearer())
    assert response.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer not-a-jwt"},
        {"Authorization": f"Basic {access_token()}"},
        {"Authorization": access_token()},
    ],
    ids=["none", "empty", "no-token", "garbage", "basic-scheme", "no-scheme"],
)
async def test_a_missing_or_malformed_token_is_refused(
    client: AsyncTestClient[Any], headers: dict[str, str]
) -> None:
    await _assert_unauthenticated(client, headers)


@pytest.mark.parametrize(
    "token",
    [
        _signed(_claims(), secret="another-secret-another-secret-xx"),
        _unsigned(_claims()),
        _signed(_claims(exp=int(time.time()) - 10)),
        _signed(_claims(org_id="1")),
        _signed(_claims(org_id=0)),
        _signed(_claims(org_id=-3)),
        _signed(_claims(org_id=True)),
        _signed(_claims(org_id=1.5)),
        _signed({"sub": "alice", "exp": int(time.time()) + 600}),
        _signed(_claims(sub="")),
        _signed({"org_id": 1, "exp": int(time.time()) + 600}),
        _signed(_claims(), alg="HS512"),
    ],
    ids=[
        "wrong-secret",
        "alg-none",
        "expired",
        "org-as-string",
        "org-zero",
        "org-negative",
        "org-bool",
        "org-float",
        "no-org",
        "empty-sub",
        "no-sub",
        "other-algorithm",
    ],
)
async def test_a_token_that_is_not_ours_or_not_valid_is_refused(
    client: AsyncTestClient[Any], token: str
) -> None:
    await _assert_unauthenticated(client, {"Authorization": f"Bearer {token}"})


async def test_a_refresh_token_is_not_an_access_token(client: AsyncTestClient[Any]) -> None:
    await _assert_unauthenticated(client, {"Authorization": f"Bearer {refresh_token()}"})


async def test_an_expired_access_token_with_a_valid_refresh_token_is_served_and_renewed(
    client: AsyncTestClient[Any],
) -> None:
    headers = {
        "Authorization": f"Bearer {access_token(ttl=-5)}",
        "refresh-token": refresh_token(),
    }
    response = await client.get(PROTECTED, headers=headers)
    assert response.status_code == 200
    renewed = response.headers["x-access-token"]
    claims = jwt.decode(renewed, JWT_SECRET, algorithms=["HS256"])
    assert (claims["sub"], claims["org_id"]) == ("alice", 1)
    assert "typ" not in claims
    again = await client.get(PROTECTED, headers={"Authorization": f"Bearer {renewed}"})
    assert again.status_code == 200


async def test_a_valid_access_token_gets_no_new_token(client: AsyncTestClient[Any]) -> None:
    headers = {**bearer(), "refresh-token": refresh_token()}
    response = await client.get(PROTECTED, headers=headers)
    assert response.status_code == 200
    assert "x-access-token" not in response.headers


@pytest.mark.parametrize(
    "refresh",
    [
        refresh_token(user="mallory"),
        refresh_token(org=2),
        refresh_token(ttl=-5),
        access_token(),
        _signed(_claims(typ="refresh"), secret="another-secret-another-secret-xx"),
        "garbage",
    ],
    ids=["other-user", "other-org", "expired", "access-not-refresh", "wrong-secret", "garbage"],
)
async def test_a_refresh_token_that_does_not_match_renews_nothing(
    client: AsyncTestClient[Any], refresh: str
) -> None:
    headers = {"Authorization": f"Bearer {access_token(ttl=-5)}", "refresh-token": refresh}
    await _assert_unauthenticated(client, headers)


async def test_a_refresh_token_does_not_rescue_a_forged_access_token(
    client: AsyncTestClient[Any],
) -> None:
    forged = _signed(_claims(exp=int(time.time()) - 5), secret="another-secret-another-secret-xx")
    headers = {"Authorization": f"Bearer {forged}", "refresh-token": refresh_token()}
    await _assert_unauthenticated(client, headers)


@pytest.mark.parametrize("path", ["/health", "/schema/openapi.json"])
async def test_public_routes_need_no_token(client: AsyncTestClient[Any], path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/account/aws-setup"),
        ("POST", "/v1/connectors/s3"),
        ("POST", "/v1/connectors/s3/validate"),
        ("GET", "/v1/connectors"),
        ("GET", "/v1/connectors/s3/5b0c8e3c-7f1e-4b9e-9d7b-1d2f3a4b5c6d"),
        ("POST", "/v1/connectors/s3/5b0c8e3c-7f1e-4b9e-9d7b-1d2f3a4b5c6d/verify"),
        ("DELETE", "/v1/connectors/s3/5b0c8e3c-7f1e-4b9e-9d7b-1d2f3a4b5c6d"),
    ],
)
async def test_every_v1_route_needs_a_token(
    client: AsyncTestClient[Any], method: str, path: str
) -> None:
    response = await client.request(method, path, json={})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


class _CountedDecodes:
    """Counts full verifications of a token (signature and claims)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        decode = BucketlinkToken.decode.__func__  # type: ignore[attr-defined]

        def counted(cls: type[BucketlinkToken], *args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return decode(cls, *args, **kwargs)

        monkeypatch.setattr(BucketlinkToken, "decode", classmethod(counted))


async def test_a_verified_token_is_not_verified_again(
    client: AsyncTestClient[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    decodes = _CountedDecodes(monkeypatch)
    alice, bob = bearer(), bearer(user="bob", org=2)
    for headers in (alice, alice, bob, alice, bob):
        assert (await client.get(PROTECTED, headers=headers)).status_code == 200
    assert decodes.count == 2


async def test_a_refused_token_is_verified_again_every_time(
    client: AsyncTestClient[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    decodes = _CountedDecodes(monkeypatch)
    forged = _signed(_claims(), secret="another-secret-another-secret-xx")
    for _ in range(3):
        await _assert_unauthenticated(client, {"Authorization": f"Bearer {forged}"})
    assert decodes.count == 3


async def test_a_known_token_is_refused_once_it_expires_and_renewed_with_a_refresh_token(
    client: AsyncTestClient[Any],
) -> None:
    expires_at = int(time.time()) + 2
    short_lived = _signed(_claims(exp=expires_at))
    assert (await client.get(PROTECTED, headers=_as_bearer(short_lived))).status_code == 200
    await anyio.sleep(max(0.0, expires_at - time.time()) + 0.05)
    await _assert_unauthenticated(client, _as_bearer(short_lived))
    renewing = {**_as_bearer(short_lived), "refresh-token": refresh_token()}
    response = await client.get(PROTECTED, headers=renewing)
    assert response.status_code == 200
    assert "x-access-token" in response.headers


async def test_a_token_known_to_one_app_is_not_trusted_by_an_app_with_another_secret(
    client: AsyncTestClient[Any], settings: Settings, world: FakeAws
) -> None:
    token = access_token()
    assert (await client.get(PROTECTED, headers=_as_bearer(token))).status_code == 200
    other = msgspec.structs.replace(settings, jwt_secret="a-different-secret-of-enough-length")
    async with AsyncTestClient(create_app(fake_container(other, world))) as other_client:
        response = await other_client.get(PROTECTED, headers=_as_bearer(token))
    assert response.status_code == 401


def _as_bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
