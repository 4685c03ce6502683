"""Structured logs: one JSON line per request (request id, org, route, status,
duration), one per probe step, and every other line of a request carrying its
request id. The lines are read as an operator's log shipper would: rendered by
the formatter ``serve`` installs, parsed back as JSON."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from dependency_injector import providers
from litestar.testing import AsyncTestClient

from adapters.aws.platform_identity import NotThePrincipal
from adapters.fakes.fake_access_probe import FakeAccessProbe
from adapters.fakes.fake_aws import FakeAws
from adapters.fakes.in_memory_organisations import InMemoryOrganisationRepository
from application.register_s3_connector import S3ConnectorRequest
from domain.account_id import AccountId
from domain.connector import S3Target
from domain.credential_name import CredentialName
from domain.identity import Caller, OrgId
from domain.role_arn import RoleArn
from domain.s3_uri import S3Uri
from entrypoints.bootstrap import bootstrap
from entrypoints.container import Container
from entrypoints.logs import json_formatter
from entrypoints.settings import Settings
from tests.api.conftest import CUSTOMER_ACCOUNT, Customer
from tests.conftest import PRINCIPAL_ARN, bearer


class JsonLines:
    def __init__(self) -> None:
        self.stream = io.StringIO()

    @property
    def all(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]

    def of(self, request_id: str, event: str | None = None) -> list[dict[str, Any]]:
        return [
            line
            for line in self.all
            if line.get("request_id") == request_id and event in (None, line["event"])
        ]

    def request_line(self, response: Any) -> dict[str, Any]:
        [line] = self.of(response.headers["x-request-id"], "request")
        return line


@pytest.fixture
def logs() -> Iterator[JsonLines]:
    lines = JsonLines()
    handler = logging.StreamHandler(lines.stream)
    handler.setFormatter(json_formatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


async def test_a_request_is_one_line_with_its_id_org_route_status_and_duration(
    client: AsyncTestClient[Any], customer: Customer, logs: JsonLines
) -> None:
    created = await client.post("/v1/connectors/s3", json=customer.body, headers=bearer(org=1))
    connector = created.json()["id"]
    response = await client.get(f"/v1/connectors/s3/{connector}", headers=bearer(org=1))

    line = logs.request_line(response)
    assert line["level"] == "info"
    assert line["logger"] == "bucketlink.access"
    assert (line["method"], line["status"], line["org_id"]) == ("GET", 200, 1)
    assert line["route"] == "/v1/connectors/{connector_type}/{connector_id}"  # ids stay out
    assert line["path"] == f"/v1/connectors/s3/{connector}"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


async def test_the_callers_request_id_is_kept(
    client: AsyncTestClient[Any], logs: JsonLines
) -> None:
    mine = f"trace-{uuid.uuid4().hex}"
    response = await client.get("/v1/connectors", headers={**bearer(), "x-request-id": mine})
    assert response.headers["x-request-id"] == mine
    assert logs.request_line(response)["status"] == 200


@pytest.mark.parametrize(
    ("path", "headers", "status", "route"),
    [
        ("/v1/connectors", {}, 401, "/v1/connectors"),
        ("/v1/connectors", {"Authorization": "Bearer nonsense"}, 401, "/v1/connectors"),
        ("/v2/nothing-here", {}, 404, None),
    ],
)
async def test_requests_refused_before_any_handler_are_logged_with_their_status(
    client: AsyncTestClient[Any],
    logs: JsonLines,
    path: str,
    headers: dict[str, str],
    status: int,
    route: str | None,
) -> None:
    response = await client.get(path, headers=headers)
    assert response.status_code == status
    line = logs.request_line(response)
    assert (line["status"], line["route"], line["org_id"]) == (status, route, None)


async def test_health_checks_are_kept_out_of_the_info_log(
    client: AsyncTestClient[Any], logs: JsonLines
) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert logs.of(response.headers["x-request-id"]) == []


async def test_a_probe_logs_each_step_under_the_request(
    client: AsyncTestClient[Any], customer: Customer, logs: JsonLines
) -> None:
    response = await client.post("/v1/connectors/s3", json=customer.body, headers=bearer(org=1))
    assert response.status_code == 200, response.text

    steps = logs.of(response.headers["x-request-id"], "probe step")
    assert [(s["step"], s["outcome"]) for s in steps] == [
        ("assume_role", "passed"),
        ("external_id_required", "passed"),
        ("head_bucket", "passed"),
        ("list_objects", "passed"),
    ]
    assert {(s["org_id"], s["role_arn"], s["bucket"]) for s in steps} == {
        (1, customer.body["role_arn"], "customer-data")
    }
    assert customer.external_id not in json.dumps(steps)


async def test_a_failed_probe_logs_the_step_that_failed_and_why(
    client: AsyncTestClient[Any], customer: Customer, logs: JsonLines
) -> None:
    # Org 2 sends org 1's role: the trust policy names org 1's external id only.
    response = await client.post(
        "/v1/connectors/s3/validate", json=customer.body, headers=bearer(org=2)
    )
    assert response.json()["valid"] is False

    steps = logs.of(response.headers["x-request-id"], "probe step")
    assert [(s["step"], s["outcome"]) for s in steps] == [
        ("assume_role", "assume_role_denied"),
        ("external_id_required", "skipped"),
        ("head_bucket", "skipped"),
        ("list_objects", "skipped"),
    ]
    assert "trust policy" in steps[0]["detail"]
    assert steps[0]["org_id"] == 2


async def test_why_aws_refused_is_logged_but_never_answered(
    client: AsyncTestClient[Any], customer: Customer, logs: JsonLines
) -> None:
    # AWS answers a missing role and a refusing trust policy alike; so does the
    # fake, or it would be an oracle for which roles exist. The log knows why.
    missing = {**customer.body, "role_arn": "arn:aws:iam::111122223333:role/nobody"}
    answers = []
    for org, body in ((2, customer.body), (1, missing)):
        response = await client.post(
            "/v1/connectors/s3/validate", json=body, headers=bearer(org=org)
        )
        [failure] = [c for c in response.json()["checks"] if c["code"] == "assume_role_denied"]
        answers.append(failure["message"].replace(body["role_arn"], "<role>"))
        reasons = [
            line["event"]
            for line in logs.all
            if line.get("request_id") == response.headers["x-request-id"]
            and str(line["event"]).startswith("AssumeRole on")
        ]
        assert len(reasons) == 1 and "refused as AWS would" in reasons[0]
    assert answers[0] == answers[1]
    assert "does not exist" not in answers[1] and "trust policy does not" not in answers[0]


async def test_aws_unavailable_is_logged_as_a_warning(
    client: AsyncTestClient[Any], customer: Customer, world: FakeAws, logs: JsonLines
) -> None:
    world.fail_next()
    response = await client.post(
        "/v1/connectors/s3/validate", json=customer.body, headers=bearer(org=1)
    )
    assert response.status_code == 503
    [step] = logs.of(response.headers["x-request-id"], "probe step")
    assert (step["level"], step["outcome"]) == ("warning", "aws_unavailable")
    assert logs.request_line(response)["status"] == 503


class CrashingIds:
    def new_id(self) -> uuid.UUID:
        raise RuntimeError("injected crash")


async def test_a_crash_is_logged_with_its_traceback_under_the_request_id(
    client: AsyncTestClient[Any], container: Container, customer: Customer, logs: JsonLines
) -> None:
    container.ids.override(CrashingIds())
    response = await client.post("/v1/connectors/s3", json=customer.body, headers=bearer(org=1))
    assert response.status_code == 500
    assert "injected crash" not in response.text

    request_id = response.headers["x-request-id"]
    [crash] = logs.of(request_id, "unhandled error")
    assert crash["level"] == "error"
    [exception] = crash["exception"]
    assert (exception["exc_type"], exception["exc_value"]) == ("RuntimeError", "injected crash")
    assert all("locals" not in frame for frame in exception["frames"])  # they may hold secrets
    assert logs.request_line(response)["status"] == 500


async def test_in_process_callers_get_log_records_not_prints(
    settings: Settings, world: FakeAws, capsys: pytest.CaptureFixture[str], logs: JsonLines
) -> None:
    structlog.reset_defaults()  # as in a fresh process: no app has configured it
    bucketlink = bootstrap(
        settings,
        probe=FakeAccessProbe(world, PRINCIPAL_ARN),
        organisations=InMemoryOrganisationRepository(),
    )
    target = S3Target(
        bucket_uri=S3Uri.parse("s3://customer-data"),
        role_arn=RoleArn.parse(f"arn:aws:iam::{CUSTOMER_ACCOUNT}:role/nobody"),
        bucket_owner=AccountId.parse(CUSTOMER_ACCOUNT),
    )
    request = S3ConnectorRequest(CredentialName("in-process"), target)
    report = await bucketlink.validate_s3_connector(Caller("svc", OrgId(7)), request)

    assert not report.ok
    assert capsys.readouterr().out == ""
    steps = [line for line in logs.all if line["event"] == "probe step"]
    assert [(s["step"], s["outcome"], s["org_id"]) for s in steps] == [
        ("assume_role", "assume_role_denied", 7),  # no such role in the fake's world
        ("external_id_required", "skipped", 7),
        ("head_bucket", "skipped", 7),
        ("list_objects", "skipped", 7),
    ]


async def test_a_dependency_that_is_not_ready_is_logged_with_the_reason(
    client: AsyncTestClient[Any], container: Container, logs: JsonLines
) -> None:
    async def ok() -> None:
        return None

    async def wrong_principal() -> None:
        raise NotThePrincipal("the service's AWS credentials are arn:…:deploy-bot, not …")

    container.readiness_checks.override(providers.Object({"database": ok, "aws": wrong_principal}))
    response = await client.get("/ready")

    assert response.status_code == 503
    [line] = logs.of(response.headers["x-request-id"], "not ready")
    assert (line["level"], line["dependency"], line["error"]) == (
        "warning",
        "aws",
        "NotThePrincipal",
    )
    assert "deploy-bot" in line["reason"]
