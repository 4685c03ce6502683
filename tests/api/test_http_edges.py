"""HTTP edges that fuzzing the OpenAPI document turned up: bodies labelled as
something other than JSON, bytes that are not UTF-8, and OPTIONS on a path
served by several handlers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.api.conftest import Customer
from tests.conftest import bearer

SOME_ID = "e3e70682-c209-1cac-a29f-6fbed82c07cd"
BUCKET = {"account_id": "111122223333", "resource_id": "yourcompany"}


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert (body["status"], body["code"]) == (status, code)
    return dict(body)


async def _send(client: AsyncTestClient[Any], path: str, raw: bytes, content_type: str) -> Any:
    return await client.post(path, content=raw, headers={**bearer(), "content-type": content_type})


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "",
    ],
)
async def test_a_json_body_labelled_as_something_else_is_415_and_stores_nothing(
    client: AsyncTestClient[Any], customer: Customer, content_type: str
) -> None:
    """It used to be parsed as JSON regardless, and a text/plain registration
    went on to probe AWS."""
    for path, body in (("/v1/connectors/s3", customer.body), ("/resources/buckets", BUCKET)):
        response = await _send(client, path, json.dumps(body).encode(), content_type)
        _problem(response, 415, "unsupported_media_type")
    for listing in ("/v1/connectors", "/resources/buckets"):
        assert (await client.get(listing, headers=bearer())).json()["items"] == []


@pytest.mark.parametrize(
    "content_type",
    ["application/json; charset=utf-8", "Application/JSON", "application/vnd.api+json"],
)
async def test_json_by_any_of_its_names_is_served(
    client: AsyncTestClient[Any], content_type: str
) -> None:
    response = await _send(client, "/resources/buckets", json.dumps(BUCKET).encode(), content_type)
    assert response.status_code == 200, response.text


async def test_a_body_without_a_content_type_is_read_as_json(client: AsyncTestClient[Any]) -> None:
    response = await client.post(
        "/resources/buckets", content=json.dumps(BUCKET).encode(), headers=bearer()
    )
    assert response.status_code == 200, response.text


async def test_a_route_without_a_body_ignores_the_content_type(
    client: AsyncTestClient[Any],
) -> None:
    response = await _send(client, f"/v1/connectors/s3/{SOME_ID}/verify", b"a=b", "text/plain")
    _problem(response, 404, "not_found")


@pytest.mark.parametrize(
    "raw",
    [
        b'{"account_id": "111122223333", "resource_id": "\xff\xfe"}',
        b'{"account_id": "111122223333", "\xc3\x28": "yourcompany"}',
    ],
)
async def test_bytes_that_are_not_utf8_are_a_400_not_a_500(
    client: AsyncTestClient[Any], raw: bytes
) -> None:
    """msgspec raises UnicodeDecodeError, not DecodeError, for bad UTF-8 inside a
    JSON string: it used to escape as 500 internal_error."""
    response = await _send(client, "/resources/buckets", raw, "application/json")
    problem = _problem(response, 400, "invalid_request")
    assert problem["errors"] == [{"field": "body", "message": "is not UTF-8"}]


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        (f"/resources/buckets/{SOME_ID}", "DELETE, GET, OPTIONS"),
        (f"/v1/connectors/s3/{SOME_ID}", "DELETE, GET, OPTIONS"),
        ("/resources/buckets", "GET, OPTIONS, POST"),
        (f"/resources/buckets/{SOME_ID}/access", "OPTIONS, PUT"),
    ],
)
async def test_options_lists_every_method_of_the_path(
    client: AsyncTestClient[Any], path: str, allow: str
) -> None:
    """Litestar 2 listed only the first handler's methods (``DELETE, OPTIONS``)."""
    response = await client.options(path, headers=bearer())
    assert response.status_code == 204
    assert response.headers["allow"] == allow


async def test_a_method_the_path_does_not_serve_is_405_naming_those_it_does(
    client: AsyncTestClient[Any],
) -> None:
    response = await client.patch("/resources/buckets", headers=bearer())
    _problem(response, 405, "method_not_allowed")
    assert set(response.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "is required: send a JSON object"),
        (b"null", "Expected `object`, got `null`"),
        (b"[]", "Expected `object`, got `array`"),
    ],
)
async def test_a_body_that_is_not_an_object_is_named_body(
    client: AsyncTestClient[Any], raw: bytes, message: str
) -> None:
    """Litestar names the body after the handler's parameter (``data``), which
    means nothing to a caller, and reports a missing body as ``'data'``."""
    response = await _send(client, "/v1/connectors/s3/validate", raw, "application/json")
    problem = _problem(response, 400, "invalid_request")
    assert problem["errors"] == [{"field": "body", "message": message}]
