"""Issue 15: nothing a client sends reaches a 500. Crafted cursors, control and
bidi characters in stored text, and signed tokens whose claims are odd are each
a clear 4xx, before anything reaches AWS (hypothesis draws the inputs)."""

from __future__ import annotations

import base64
import time
from typing import Any

import jwt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import AsyncTestClient

from adapters.fakes.fake_aws import FakeAws
from tests.api.conftest import Customer
from tests.conftest import JWT_SECRET, bearer
from tests.unit.strategies import unsafe_chars

_FIXTURES_OK = [HealthCheck.function_scoped_fixture]
LISTINGS = ("/v1/connectors", "/resources/buckets")


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("utf-8", "surrogatepass")).decode().rstrip("=")


moments = st.sampled_from(
    ["9999-12-31T23:59:59.999999-23:59", "0001-01-01T00:00:00+23:59", "2026-01-01T00:00:00"]
) | st.datetimes().map(lambda d: d.isoformat())
crafted_cursors = (
    st.builds(
        lambda m, tail: _b64(f"{m}|{tail}"), moments, st.uuids().map(str) | st.text(max_size=20)
    )
    | st.text(max_size=60)
    | st.binary(max_size=60).map(lambda b: base64.urlsafe_b64encode(b).decode())
)


@given(cursor=crafted_cursors, listing=st.sampled_from(LISTINGS))
@settings(max_examples=60, suppress_health_check=_FIXTURES_OK, deadline=None)
async def test_a_crafted_cursor_is_400_naming_the_cursor(
    client: AsyncTestClient[Any], cursor: str, listing: str
) -> None:
    response = await client.get(listing, params={"cursor": cursor}, headers=bearer())

    assert response.status_code in (200, 400), response.text
    if response.status_code == 400:
        assert [e["field"] for e in response.json()["errors"]] == ["cursor"]


@given(
    bad=unsafe_chars,
    field=st.sampled_from(["credential_name", "bucket_uri"]),
    org=st.integers(100, 10**9),  # each its own rate-limit budget
)
@settings(max_examples=40, suppress_health_check=_FIXTURES_OK, deadline=None)
async def test_a_control_or_bidi_character_is_400_before_any_aws_call(
    client: AsyncTestClient[Any],
    world: FakeAws,
    customer: Customer,
    bad: str,
    field: str,
    org: int,
) -> None:
    body = {**customer.body, field: customer.body[field] + bad + "x"}
    calls = len(world.calls)

    response = await client.post("/v1/connectors/s3", json=body, headers=bearer(org=org))

    assert response.status_code == 400, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert len(world.calls) == calls


def _signed(claims: dict[str, Any]) -> dict[str, str]:
    token = jwt.encode({"exp": int(time.time()) + 600, **claims}, JWT_SECRET, algorithm="HS256")
    return {"Authorization": f"Bearer {token}"}


odd_claims = st.fixed_dictionaries(
    {"org_id": st.just(1)},
    optional={
        "sub": st.text(max_size=300)
        | st.builds(
            lambda a, c, b: a + c + b, st.text(max_size=5), unsafe_chars, st.text(max_size=5)
        )
        | st.integers()
        | st.none(),
        "extras": st.text(max_size=5)
        | st.integers()
        | st.lists(st.integers(), max_size=2)
        | st.none(),
        "typ": st.text(max_size=8) | st.integers(),
        "iat": st.text(max_size=5),
    },
)


@given(claims=odd_claims)
@settings(max_examples=80, suppress_health_check=_FIXTURES_OK, deadline=None)
async def test_a_signed_token_with_odd_claims_is_401_or_served_never_500(
    client: AsyncTestClient[Any], claims: dict[str, Any]
) -> None:
    response = await client.get("/v1/connectors", headers=_signed(claims))

    assert response.status_code in (200, 401), response.text


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "alice\x00", "org_id": 1},
        {"sub": "ali\u202ece", "org_id": 1},
        {"sub": "a" * 257, "org_id": 1},
        {"sub": "alice", "org_id": 1, "extras": "not-an-object"},
        {"sub": "alice", "org_id": 1, "extras": [1, 2]},
    ],
    ids=["NUL", "bidi", "too long", "extras text", "extras list"],
)
async def test_these_signed_tokens_are_401(
    client: AsyncTestClient[Any], claims: dict[str, Any]
) -> None:
    response = await client.get("/v1/connectors", headers=_signed(claims))

    assert response.status_code == 401, response.text
    assert response.json()["code"] == "unauthenticated"
