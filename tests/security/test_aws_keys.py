"""Contract §3: a body carrying AWS keys, under any casing, at any depth, in
objects or arrays, even spelt with JSON escapes, is refused with
`aws_keys_not_accepted` on every route that takes a body, and changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import AsyncTestClient

from adapters.fakes.fake_aws import FakeAws
from tests.api.conftest import Customer
from tests.conftest import bearer

KEY_NAMES = ["aws_access_key_id", "aws_secret_access_key", "aws_session_token"]
SECRET_VALUE = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
_NOISE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=2),
)


@st.composite
def _any_casing(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(KEY_NAMES))
    upper = draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    return "".join(c.upper() if up else c for c, up in zip(name, upper, strict=True))


def _within(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A value that holds one of ``children`` among noise: in an array or an object."""
    in_array = st.builds(
        lambda child, noise, at: [*noise[:at], child, *noise[at:]],
        children,
        st.lists(_NOISE, max_size=3),
        st.integers(min_value=0, max_value=3),
    )
    in_object = st.builds(
        lambda child, name, noise: {**noise, name: child},
        children,
        st.text(min_size=1, max_size=8),
        st.dictionaries(st.text(max_size=8), _NOISE, max_size=3),
    )
    return st.one_of(in_array, in_object)


@st.composite
def _carrying_keys(draw: st.DrawFn, valid: Any) -> str:
    """The raw JSON of a body that carries an AWS key somewhere."""
    key = draw(_any_casing())
    holder = st.just({key: SECRET_VALUE})
    carried = draw(st.recursive(holder, _within, max_leaves=4))
    body = draw(
        st.sampled_from(
            [{**valid, key: SECRET_VALUE}, {**valid, "extra": carried}, carried, [valid, carried]]
        )
    )
    raw = json.dumps(body)
    if draw(st.booleans()):  # spelt with escapes: "aws\u005faccess_key_id"
        escaped = "".join(f"\\u{ord(c):04x}" if draw(st.booleans()) else c for c in key)
        raw = raw.replace(f'"{key}"', f'"{escaped}"')
    return raw


async def _post_raw(client: AsyncTestClient[Any], method: str, path: str, raw: str) -> Any:
    headers = {**bearer(), "content-type": "application/json"}
    return await client.request(method, path, content=raw.encode(), headers=headers)


def _assert_refused(response: Any) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "aws_keys_not_accepted"
    assert SECRET_VALUE not in response.text


_EXAMPLES = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
BUCKET = {"account_id": "111122223333", "resource_id": "acme"}


@pytest.fixture
async def existing(
    client: AsyncTestClient[Any], world: FakeAws, customer: Customer
) -> dict[str, Any]:
    """A connector and a bucket of the caller's, so routes with an id reach their
    data, and how many AWS calls making them took."""
    connector = await client.post("/v1/connectors/s3", json=customer.body, headers=bearer())
    bucket = await client.post("/resources/buckets", json=BUCKET, headers=bearer())
    renamed = {**customer.body, "credential_name": "another"}
    connector_id, bucket_id = connector.json()["id"], bucket.json()["id"]
    return {
        "connector": connector_id,
        "bucket": bucket_id,
        "aws_calls": len(world.calls),
        "routes": {
            "register-connector": ("POST", "/v1/connectors/s3", renamed),
            "validate-connector": ("POST", "/v1/connectors/s3/validate", renamed),
            "verify-connector": ("POST", f"/v1/connectors/s3/{connector_id}/verify", {}),
            "create-bucket": ("POST", "/resources/buckets", BUCKET),
            "change-bucket-access": (
                "PUT",
                f"/resources/buckets/{bucket_id}/access",
                {"access": {"type": "bucket_policy"}},
            ),
        },
    }


ROUTES = [
    "register-connector",
    "validate-connector",
    "verify-connector",
    "create-bucket",
    "change-bucket-access",
]


async def _nothing_changed(
    client: AsyncTestClient[Any], world: FakeAws, existing: dict[str, Any]
) -> None:
    assert len(world.calls) == existing["aws_calls"]  # no probe, no bucket, no grant
    connectors = await client.get("/v1/connectors", headers=bearer())
    assert [c["id"] for c in connectors.json()["items"]] == [existing["connector"]]
    buckets = await client.get("/resources/buckets", headers=bearer())
    assert [b["id"] for b in buckets.json()["items"]] == [existing["bucket"]]


@pytest.mark.parametrize("route", ROUTES)
@_EXAMPLES
@given(data=st.data())
async def test_aws_keys_anywhere_are_refused_on_every_route_and_change_nothing(
    client: AsyncTestClient[Any],
    world: FakeAws,
    existing: dict[str, Any],
    route: str,
    data: st.DataObject,
) -> None:
    method, path, valid = existing["routes"][route]
    raw = data.draw(_carrying_keys(valid), label="body")
    _assert_refused(await _post_raw(client, method, path, raw))
    await _nothing_changed(client, world, existing)


@pytest.mark.parametrize("route", ROUTES)
async def test_the_same_bodies_without_keys_are_taken(
    client: AsyncTestClient[Any], existing: dict[str, Any], route: str
) -> None:
    # What the refusals above are compared with: the routes work.
    method, path, valid = existing["routes"][route]
    assert (await _post_raw(client, method, path, json.dumps(valid))).status_code == 200
