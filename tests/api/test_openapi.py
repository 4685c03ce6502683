"""The OpenAPI document at /schema/openapi.json: valid OpenAPI 3.1, and every
error a route can give documented as a problem body (contract §3) with the
codes the error catalogue gives that status."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from openapi_spec_validator import validate

from entrypoints.http.error_catalogue import ERROR_KINDS
from entrypoints.http.problem_responses import problem_responses
from entrypoints.http.rate_limit import limited_routes
from tests.api.conftest import operations

PROBLEM = {"$ref": "#/components/schemas/Problem"}
PUBLIC = {"/health", "/ready"}


def _errors(operation: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {int(s): r for s, r in operation["responses"].items() if int(s) >= 400}


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    validate(document)
    assert document["openapi"].startswith("3.1")


def test_every_error_answer_is_a_problem_body_naming_its_codes(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        for status, response in _errors(operation).items():
            if (path, status) == ("/ready", 503):
                continue  # the readiness report, not a problem
            where = f"{method.upper()} {path} {status}"
            assert list(response["content"]) == ["application/problem+json"], where
            assert response["content"]["application/problem+json"]["schema"] == PROBLEM, where
            codes = [kind.code for kind in ERROR_KINDS.values() if kind.status == status]
            assert codes, where
            assert all(f"`{code}`" in response["description"] for code in codes), where


def test_every_route_documents_the_errors_it_can_give(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        statuses, where = set(_errors(operation)), f"{method.upper()} {path}"
        assert 500 in statuses, where
        if path not in PUBLIC:
            assert {401, 503} <= statuses, where
        if "{" in path:
            assert 404 in statuses, where
        if "requestBody" in operation:
            assert {400, 413, 415} <= statuses, where
    creates = document["paths"]["/v1/connectors/s3"]["post"]["responses"]
    assert {"409", "422"} <= set(creates)


def test_exactly_the_rate_limited_routes_document_429(
    client: AsyncTestClient[Any], document: dict[str, Any]
) -> None:
    documented = {
        (method.upper(), path)
        for path, method, operation in operations(document)
        if 429 in _errors(operation)
    }
    assert documented == limited_routes(client.app)


def test_the_problem_schema_is_the_body_every_error_has(document: dict[str, Any]) -> None:
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "code"}
    field_error = document["components"]["schemas"]["FieldError"]
    assert set(field_error["required"]) == {"field", "message"}


def test_routes_need_a_bearer_token_but_health_checks_do_not(document: dict[str, Any]) -> None:
    scheme = document["components"]["securitySchemes"]["BearerToken"]
    assert (scheme["type"], scheme["scheme"], scheme["bearerFormat"]) == ("http", "bearer", "JWT")
    assert document["security"] == [{"BearerToken": []}]
    for path, _, operation in operations(document):
        assert operation.get("security") == ([{}] if path in PUBLIC else None), path


def test_account_id_states_its_rules_for_both_spellings(document: dict[str, Any]) -> None:
    """Litestar drops msgspec constraints inside a union; the document used to
    say only ``integer | string``."""
    schemas = document["components"]["schemas"]
    for body in ("CreateBucketBody", "ChangeAccessBody"):
        spellings = schemas[body]["properties"]["account_id"]["oneOf"]
        assert {"type": "string", "pattern": "^[0-9]{12}$"}.items() <= spellings[0].items()
        assert spellings[1]["type"] == "integer"
        assert (spellings[1]["minimum"], spellings[1]["maximum"]) == (0, 999_999_999_999)


def test_a_status_without_a_code_in_the_catalogue_cannot_be_documented() -> None:
    with pytest.raises(ValueError, match="418"):
        problem_responses(418)
