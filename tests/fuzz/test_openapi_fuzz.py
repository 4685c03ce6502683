"""Schemathesis against the app's own OpenAPI document, in process on the fakes:
no input, valid or not, makes a 5xx, and every answer is one the document
promises (status, content type, body schema); every error is a problem body
whose code the catalogue gives that status."""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.config import SchemathesisConfig

from entrypoints.http.error_catalogue import ERROR_KINDS
from tests.conftest import access_token
from tests.fuzz.app import FuzzedService

MIN_CASES = 1000
CASES: Counter[str] = Counter()

CONFIG = SchemathesisConfig.from_dict(
    {
        # Schemathesis sends the token, so it knows when it left it out (then 401).
        "auth": {"openapi": {"BearerToken": {"bearer": access_token(ttl=24 * 3600)}}},
        # Unknown query parameters are ignored, as HTTP APIs commonly do; unknown
        # body fields are refused, and the negative cases cover those.
        "generation": {"allow-extra-parameters": False},
        # JSON Schema cannot say "a cursor this service gave out", all of S3's bucket
        # naming rules, or whether the customer's role exists: requests the document
        # allows can rightly answer 400 or 422.
        "checks": {"positive_data_acceptance": {"enabled": False}},
    }
)
SERVICE = FuzzedService()
schema = schemathesis.openapi.from_asgi("/schema/openapi.json", SERVICE.app, config=CONFIG)


def problem_matches_catalogue(ctx: Any, response: Any, case: Case) -> bool | None:
    """Beyond the document: the problem's code is one the catalogue gives this status."""
    if response.status_code < 400 or case.operation.path == "/ready":
        return None
    assert response.headers["content-type"][0].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == response.status_code, body
    assert body["code"] in ERROR_KINDS, body
    assert ERROR_KINDS[body["code"]].status == response.status_code, body
    return True


@schema.parametrize()
@settings(
    max_examples=100,
    deadline=None,
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_answer_is_documented(case: Case) -> None:
    CASES[case.operation.label] += 1
    case.call_and_validate(additional_checks=[problem_matches_catalogue])


class Workflow(schema.as_state_machine()):  # type: ignore[misc]
    """Sequences along the links schemathesis infers from the document (a created
    or listed bucket's id into GET, PUT .../access and DELETE): they reach the
    answers that random ids never do. Each sequence starts from an empty service."""

    def setup(self) -> None:
        SERVICE.reset()

    def validate_response(
        self, response: Any, case: Case, additional_checks: Any = None, **kwargs: Any
    ) -> None:
        CASES[case.operation.label] += 1
        checks = [*(additional_checks or []), problem_matches_catalogue]
        super().validate_response(response, case, additional_checks=checks, **kwargs)


TestWorkflow = Workflow.TestCase
TestWorkflow.settings = settings(
    max_examples=40,
    stateful_step_count=8,
    deadline=None,
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=list(HealthCheck),
)


def test_every_operation_was_fuzzed_enough() -> None:
    """Counts what the tests above sent (pytest runs this module in order)."""
    operations = {result.ok().label for result in schema.get_all_operations()}
    assert set(CASES) == operations, operations - set(CASES)
    assert sum(CASES.values()) >= MIN_CASES, CASES
