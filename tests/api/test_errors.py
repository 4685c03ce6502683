"""Contract §3: every failure is a problem body with a stable code, names the
bad field, and changes nothing."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import AsyncTestClient

from adapters.fakes.fake_aws import FakeAws
from domain.errors import AwsUnavailable, DatabaseUnavailable
from entrypoints.container import Container
from tests.api.conftest import Customer
from tests.conftest import bearer

PROBLEM_KEYS = {"type", "title", "status", "detail", "code"}


def _assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert (body["status"], body["code"]) == (status, code)
    assert "Traceback" not in response.text
    return dict(body)


async def _nothing_stored(client: AsyncTestClient[Any]) -> None:
    listed = await client.get("/v1/connectors", headers=bearer())
    assert listed.json()["items"] == []


async def _post(client: AsyncTestClient[Any], body: Any) -> Any:
    return await client.post("/v1/connectors/s3", json=body, headers=bearer())


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"credential_name": ""}, "credential_name"),
        ({"credential_name": "   "}, "credential_name"),
        ({"credential_name": "a\x00b"}, "credential_name"),
        ({"credential_name": "x" * 129}, "credential_name"),
        ({"credential_name": 7}, "credential_name"),
        ({"role_arn": "arn:aws:iam::12345:role/x"}, "role_arn"),
        ({"role_arn": "arn:aws:iam::123456789012:role/bad name"}, "role_arn"),
        ({"role_arn": "arn:aws:iam::123456789012:role/" + "n" * 65}, "role_arn"),
        ({"role_arn": "arn:aws:iam::123456789012:user/someone"}, "role_arn"),
        ({"bucket_uri": "https://bucket"}, "bucket_uri"),
        ({"bucket_uri": "s3://Upper-Case"}, "bucket_uri"),
        ({"bucket_uri": "s3://192.168.1.1"}, "bucket_uri"),
        ({"bucket_uri": "s3://ab"}, "bucket_uri"),
        ({"bucket_uri": "s3://xn--bucket"}, "bucket_uri"),
        ({"bucket_uri": "s3://bucket/prefix?versionId=1"}, "bucket_uri"),
        ({"bucket_uri": "s3://bucket/pre fix"}, "bucket_uri"),
        ({"bucket_uri": "s3://bucket#frag"}, "bucket_uri"),
        ({"expected_bucket_owner_account_id": "12345678901"}, "expected_bucket_owner_account_id"),
        ({"expected_bucket_owner_account_id": 111122223333}, "expected_bucket_owner_account_id"),
        ({"connector_type": "snowflake"}, "connector_type"),
        ({"surprise": True}, "surprise"),
    ],
)
async def test_a_bad_field_is_400_naming_the_field_and_stores_nothing(
    client: AsyncTestClient[Any], customer: Customer, change: dict[str, Any], field: str
) -> None:
    body = _assert_problem(await _post(client, {**customer.body, **change}), 400, "invalid_request")
    assert field in [error["field"] for error in body["errors"]]
    assert all(error["message"] for error in body["errors"])
    await _nothing_stored(client)


@pytest.mark.parametrize(
    "missing",
    ["credential_name", "role_arn", "bucket_uri", "expected_bucket_owner_account_id"],
)
async def test_a_missing_field_is_400_naming_it(
    client: AsyncTestClient[Any], customer: Customer, missing: str
) -> None:
    body = {k: v for k, v in customer.body.items() if k != missing}
    problem = _assert_problem(await _post(client, body), 400, "invalid_request")
    assert [error["field"] for error in problem["errors"]] == [missing]


async def test_every_bad_field_is_named_at_once(
    client: AsyncTestClient[Any], customer: Customer
) -> None:
    body = {**customer.body, "bucket_uri": "s3://a..b", "credential_name": " "}
    problem = _assert_problem(await _post(client, body), 400, "invalid_request")
    assert {e["field"] for e in problem["errors"]} == {"bucket_uri", "credential_name"}


@pytest.mark.parametrize("raw", [b"{not json", b"[]", b'"text"', b"", b"null"])
async def test_a_body_that_is_not_a_json_object_is_400(
    client: AsyncTestClient[Any], raw: bytes
) -> None:
    response = await client.post(
        "/v1/connectors/s3",
        content=raw,
        headers={**bearer(), "content-type": "application/json"},
    )
    _assert_problem(response, 400, "invalid_request")


_KEY_NAMES = ["aws_access_key_id", "aws_secret_access_key", "aws_session_token"]


@st.composite
def _any_casing(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(_KEY_NAMES))
    flips = draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    return "".join(c.upper() if flip else c for c, flip in zip(name, flips, strict=True))


@given(key=_any_casing(), nesting=st.integers(min_value=0, max_value=3))
@settings(
    max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
async def test_aws_keys_anywhere_in_any_casing_are_refused(
    client: AsyncTestClient[Any], customer: Customer, key: str, nesting: int
) -> None:
    """Whatever the casing or depth, a body carrying AWS keys is refused as such."""
    carried: Any = {key: "AKIAEXAMPLE"}
    for _ in range(nesting):
        carried = {"nested": [carried]}
    body = {**customer.body, "extra": carried} if nesting else {**customer.body, **carried}
    response = await _post(client, body)
    problem = _assert_problem(response, 400, "aws_keys_not_accepted")
    assert "AKIAEXAMPLE" not in response.text and "AKIAEXAMPLE" not in problem["detail"]
    await _nothing_stored(client)


async def test_a_body_over_64_kib_is_413(client: AsyncTestClient[Any], customer: Customer) -> None:
    body = {**customer.body, "credential_name": "x" * (65 * 1024)}
    _assert_problem(await _post(client, body), 413, "request_too_large")
    await _nothing_stored(client)


async def test_a_body_nested_beyond_reason_is_a_clean_400(client: AsyncTestClient[Any]) -> None:
    raw = b"[" * 20000 + b"]" * 20000
    response = await client.post(
        "/v1/connectors/s3",
        content=raw,
        headers={**bearer(), "content-type": "application/json"},
    )
    _assert_problem(response, 400, "invalid_request")


@pytest.mark.parametrize(
    ("world_change", "code"),
    [
        ("role", "assume_role_denied"),
        ("bucket", "bucket_not_found"),
        ("owner", "bucket_access_denied"),
        ("list", "list_denied"),
    ],
)
async def test_a_failed_probe_is_422_naming_the_step_and_stores_nothing(
    client: AsyncTestClient[Any], world: FakeAws, customer: Customer, world_change: str, code: str
) -> None:
    body = dict(customer.body)
    if world_change == "role":
        body["role_arn"] = "arn:aws:iam::111122223333:role/never-created"
    elif world_change == "bucket":
        body["bucket_uri"] = "s3://bucket-that-does-not-exist"
    elif world_change == "owner":
        body["expected_bucket_owner_account_id"] = "999988887777"
    else:
        world.put_bucket_policy(
            "customer-data",
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:ListBucket",
                        "Resource": "arn:aws:s3:::customer-data",
                        "Condition": {"StringLike": {"s3:prefix": "exports/*"}},
                    }
                ],
            },
        )
    problem = _assert_problem(await _post(client, body), 422, code)
    assert problem["detail"]
    await _nothing_stored(client)


async def test_aws_down_is_503_with_retry_after_and_stores_nothing(
    client: AsyncTestClient[Any], world: FakeAws, customer: Customer
) -> None:
    world.unavailable = True
    response = await _post(client, customer.body)
    _assert_problem(response, 503, "aws_unavailable")
    assert int(response.headers["retry-after"]) > 0
    world.unavailable = False
    await _nothing_stored(client)


class _FailingRepository:
    """A connector store whose every call fails with ``error``."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    async def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise self.error

    add = name_taken = get = list = delete = _fail


async def test_the_database_down_is_503_database_unavailable(
    client: AsyncTestClient[Any], container: Container, customer: Customer
) -> None:
    container.connectors.override(
        _FailingRepository(DatabaseUnavailable("the database could not be reached"))
    )
    response = await _post(client, customer.body)
    _assert_problem(response, 503, "database_unavailable")
    assert int(response.headers["retry-after"]) > 0


async def test_an_unexpected_fault_is_a_500_problem_without_details_and_is_logged(
    client: AsyncTestClient[Any], container: Container, caplog: pytest.LogCaptureFixture
) -> None:
    container.connectors.override(_FailingRepository(RuntimeError("secret-internal-detail")))
    with caplog.at_level(logging.ERROR, logger="bucketlink.http"):
        response = await client.get(
            "/v1/connectors", headers={**bearer(), "x-request-id": "trace-me-42"}
        )
    problem = _assert_problem(response, 500, "internal_error")
    assert "secret-internal-detail" not in response.text
    assert "trace-me-42" in problem["detail"] or response.headers["x-request-id"] == "trace-me-42"
    logged = [r for r in caplog.records if getattr(r, "request_id", None) == "trace-me-42"]
    assert logged and logged[0].exc_info is not None


async def test_every_response_carries_a_request_id(client: AsyncTestClient[Any]) -> None:
    for response in (
        await client.get("/health"),
        await client.get("/v1/connectors"),
        await client.get("/v1/connectors", headers=bearer()),
        await client.get("/nowhere"),
    ):
        assert len(response.headers["x-request-id"]) >= 16
    echoed = await client.get("/health", headers={"x-request-id": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    replaced = await client.get("/health", headers={"x-request-id": "bad id\twith spaces"})
    assert replaced.headers["x-request-id"] != "bad id\twith spaces"


async def test_unknown_routes_and_methods_are_problems(client: AsyncTestClient[Any]) -> None:
    _assert_problem(await client.get("/v1/nowhere", headers=bearer()), 404, "not_found")
    _assert_problem(await client.put("/v1/connectors", headers=bearer()), 405, "method_not_allowed")


async def test_a_malformed_connector_id_is_404(client: AsyncTestClient[Any]) -> None:
    _assert_problem(
        await client.get("/v1/connectors/s3/not-a-uuid", headers=bearer()), 404, "not_found"
    )


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=201", "limit=x", "cursor=garbage", "connector_type=ftp"]
)
async def test_bad_list_parameters_are_400(client: AsyncTestClient[Any], query: str) -> None:
    name = query.partition("=")[0]
    problem = _assert_problem(
        await client.get(f"/v1/connectors?{query}", headers=bearer()), 400, "invalid_request"
    )
    assert [e["field"] for e in problem["errors"]] == [name]


async def test_aws_unavailable_reaches_validate_as_503(
    client: AsyncTestClient[Any], world: FakeAws, customer: Customer
) -> None:
    world.fail_next(AwsUnavailable)
    response = await client.post("/v1/connectors/s3/validate", json=customer.body, headers=bearer())
    _assert_problem(response, 503, "aws_unavailable")
