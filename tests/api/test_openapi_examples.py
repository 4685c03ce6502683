"""The examples of the OpenAPI document at /schema/openapi.json: every operation
shows an example request (when it takes a body) and an example answer, and the
examples are true. Each decodes into the route's own body type; each request
example, sent to the service on the fakes (with the customer's AWS set up as the
example says), is answered with the documented success status and an answer
shaped like a documented one; each problem example names a code the error
catalogue gives its status."""

from __future__ import annotations

import json
from typing import Any

import httpx
import msgspec
from dependency_injector import providers
from litestar import Litestar, Response
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from adapters.fakes.fake_aws import FakeAws
from domain.aws_setup import trust_policy
from domain.external_id import ExternalId
from domain.role_arn import RoleArn
from domain.s3_uri import S3Uri
from entrypoints.container import Container
from entrypoints.http.error_catalogue import ERROR_KINDS
from entrypoints.http.schemas.problem import Problem
from tests.api.conftest import Operation, external_id_of, operations
from tests.conftest import PRINCIPAL_ARN, bearer

JSON = "application/json"
PROBLEM_JSON = "application/problem+json"
# Routes that make what the routes with ids then read, change and delete.
MADE_BY = {"connector_id": "/v1/connectors/s3", "bucket_id": "/resources/buckets"}


def _examples(media: dict[str, Any]) -> list[Any]:
    """Named examples of the media type, and those of its schema (where Litestar
    puts a request body's)."""
    named = [example["value"] for example in media.get("examples", {}).values()]
    return named + list(media.get("schema", {}).get("examples", []))


def _request_examples(operation: dict[str, Any]) -> list[Any]:
    return _examples(operation.get("requestBody", {}).get("content", {}).get(JSON, {}))


def _success(operation: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    status = min(int(s) for s in operation["responses"] if int(s) < 300)
    return status, operation["responses"][str(status)]


def _success_examples(operation: dict[str, Any]) -> list[Any]:
    return _examples(_success(operation)[1].get("content", {}).get(JSON, {}))


def _fits(answer: Any, example: Any) -> bool:
    """``answer`` has the example's keys and JSON types at every depth; each item
    of a list looks like one of the example list's items, and only an empty list
    fits an empty one."""
    if isinstance(example, dict):
        return (
            isinstance(answer, dict)
            and answer.keys() == example.keys()
            and all(_fits(answer[key], value) for key, value in example.items())
        )
    if isinstance(example, list):
        return (
            isinstance(answer, list)
            and bool(answer) == bool(example)
            and all(any(_fits(item, e) for e in example) for item in answer)
        )
    return type(answer) is type(example)


def _handler(app: Litestar, path: str, method: str) -> HTTPRouteHandler:
    for route in app.routes:
        if isinstance(route, HTTPRoute) and route.path_format == path:
            for handler in route.route_handlers:
                if method.upper() in handler.http_methods:
                    return handler
    raise LookupError(f"no handler for {method.upper()} {path}")


def _answer_type(handler: HTTPRouteHandler) -> Any:
    returned = handler.parsed_fn_signature.return_type
    return (
        returned.inner_types[0].annotation
        if returned.is_subclass_of(Response)
        else returned.annotation
    )


def _decodes(value: Any, into: Any) -> str | None:
    """Why ``value`` is not a valid ``into`` as JSON, or None."""
    try:
        msgspec.json.decode(json.dumps(value), type=into)
    except msgspec.ValidationError as error:
        return str(error)
    return None


def test_every_operation_shows_an_example_request_and_answer(document: dict[str, Any]) -> None:
    every = list(operations(document))
    assert len(every) >= 14, "the document lost its routes"
    missing = []
    for path, method, operation in every:
        where = f"{method.upper()} {path}"
        if "requestBody" in operation and not _request_examples(operation):
            missing.append(f"{where}: no request example")
        answers_a_body = JSON in _success(operation)[1].get("content", {})
        if answers_a_body and not _success_examples(operation):
            missing.append(f"{where}: no example of its success answer")
    assert not missing, "\n".join(missing)


def test_every_example_is_a_body_of_the_routes_own_type(
    client: AsyncTestClient[Any], document: dict[str, Any]
) -> None:
    wrong = []
    for path, method, operation in operations(document):
        handler, where = _handler(client.app, path, method), f"{method.upper()} {path}"
        if "requestBody" in operation:
            data_type = handler.parsed_fn_signature.parameters["data"].annotation
            for example in _request_examples(operation):
                if (why := _decodes(example, data_type)) is not None:
                    wrong.append(f"{where} request: {why}")
        for status, response in operation["responses"].items():
            for example in _examples(response.get("content", {}).get(JSON, {})):
                if (why := _decodes(example, _answer_type(handler))) is not None:
                    wrong.append(f"{where} {status}: {why}")
    assert not wrong, "\n".join(wrong)


def test_problem_examples_name_each_code_the_catalogue_gives_their_status(
    document: dict[str, Any],
) -> None:
    wrong = []
    for path, method, operation in operations(document):
        for status_text, response in operation["responses"].items():
            if PROBLEM_JSON not in response.get("content", {}):
                continue
            status, where = int(status_text), f"{method.upper()} {path} {status_text}"
            examples = _examples(response["content"][PROBLEM_JSON])
            codes = {kind.code for kind in ERROR_KINDS.values() if kind.status == status}
            if {example.get("code") for example in examples} != codes:
                wrong.append(f"{where}: examples do not name exactly the codes {sorted(codes)}")
            wrong.extend(f"{where}: {why}" for e in examples if (why := _problem_error(e, status)))
    assert not wrong, "\n".join(wrong)


def _problem_error(example: dict[str, Any], status: int) -> str | None:
    if (why := _decodes(example, Problem)) is not None:
        return why
    kind = ERROR_KINDS.get(example["code"])
    if kind is None or kind.status != status or example["status"] != status:
        return f"{example['code']} is not a code of status {status}"
    if (example["type"], example["title"]) != (kind.type_uri, kind.title):
        return f"{example['code']}: type and title are not the catalogue's"
    return None


def _customer_follows(example: dict[str, Any], world: FakeAws, external_id: str) -> None:
    """The customer's AWS as the connector example says: the role trusting the
    platform with the org's external id, allowed to list the bucket they own."""
    role, uri = RoleArn.parse(example["role_arn"]), S3Uri.parse(example["bucket_uri"])
    owner = example["expected_bucket_owner_account_id"]
    trust = trust_policy(PRINCIPAL_ARN, ExternalId(external_id))
    made = world.create_role(role.account_id.value, role.role_name, trust, path=role.path)
    listing = {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": uri.bucket.arn}
    world.put_role_policy(made, "list", {"Version": "2012-10-17", "Statement": [listing]})
    world.create_bucket(owner, str(uri.bucket))


def _in_walking_order(document: dict[str, Any]) -> list[Operation]:
    """Routes that make things first, then those reading and changing them by
    id, deletes last."""

    def order(operation: Operation) -> tuple[bool, bool, bool]:
        path, method, details = operation
        return method == "delete", "{" in path, "requestBody" not in details

    return sorted(operations(document), key=order)


async def test_the_service_answers_every_example_request_as_documented(
    client: AsyncTestClient[Any], container: Container, world: FakeAws, document: dict[str, Any]
) -> None:
    # The real readiness checks would dial a database and the sandbox's port.
    container.readiness_checks.override(providers.Object({"database": _ok, "aws": _ok}))
    (connector,) = _request_examples(document["paths"]["/v1/connectors/s3"]["post"])
    _customer_follows(connector, world, await external_id_of(client))
    made: dict[str, Any] = {}
    wrong = []
    for path, method, operation in _in_walking_order(document):
        where, url = f"{method.upper()} {path}", _url(path, made)
        if url is None:
            wrong.append(f"{where}: not tried, the example creating what it needs failed")
            continue
        for example in _request_examples(operation) or [None]:
            response = await client.request(method, url, json=example, headers=bearer())
            if (why := _undocumented(response, operation)) is not None:
                wrong.append(f"{where}: {why}")
            elif method == "post" and path in MADE_BY.values():
                made.setdefault(path, response.json())
    assert not wrong, "\n".join(wrong)
    assert set(made) == set(MADE_BY.values()), made


def _url(path: str, made: dict[str, Any]) -> str | None:
    """``path`` naming what the examples made, or None if it was not made."""
    ids = {name: made[maker]["id"] for name, maker in MADE_BY.items() if maker in made}
    try:
        return path.format(connector_type="s3", **ids)
    except KeyError:
        return None


def _undocumented(response: httpx.Response, operation: dict[str, Any]) -> str | None:
    """How ``response`` differs from the operation's documented success, or None."""
    status, documented = _success(operation)[0], _success_examples(operation)
    if response.status_code != status:
        return f"{response.status_code} {response.text}"
    if documented and not any(_fits(response.json(), example) for example in documented):
        return f"{response.text} is shaped like no documented example"
    if not documented and response.content:
        return f"answered a body no example shows: {response.text}"
    return None


async def _ok() -> None:
    return None
