"""Contract §3: secrets never appear in logs. The whole service (piccolo on
SQLite or PostgreSQL, the sandbox emulator) runs a full flow with every logger
at DEBUG, and no record (message, arguments, extras, exception text) holds a
token, the token secret, an external id or the AWS session credentials the
probe was given."""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from adapters.persistence.piccolo.migration_runner import migrate
from adapters.sandbox.customer import create_sandbox_customer
from adapters.sandbox.emulator import Emulator
from entrypoints.container import Container
from entrypoints.http.tokens import issue_service_token
from tests.conftest import JWT_SECRET, PRINCIPAL_ARN, access_token, refresh_token
from tests.faults.conftest import emulator_port, running, sandbox_settings
from tests.support.log_capture import CapturedLogs, every_log
from tests.support.postgres_server import PostgresServer


class CrashingIds:
    def new_id(self) -> uuid.UUID:
        raise RuntimeError("injected crash")


class Secrets:
    """What must never be logged, gathered as the flow makes it."""

    def __init__(self) -> None:
        self.found: dict[str, str] = {"the token secret": JWT_SECRET}

    def add(self, name: str, value: str) -> None:
        self.found[name] = value
        if value.count(".") == 2:  # a JWT: its signature alone would do harm too
            self.found[f"{name} (signature)"] = value.rsplit(".", 1)[1]

    def keep_session_credentials(self, container: Container) -> None:
        def keep(parsed: dict[str, Any], **_: Any) -> None:
            credentials = parsed.get("Credentials")
            if credentials:
                n = len(self.found)
                self.add(f"AccessKeyId {n}", credentials["AccessKeyId"])
                self.add(f"SecretAccessKey {n}", credentials["SecretAccessKey"])
                self.add(f"SessionToken {n}", credentials["SessionToken"])

        # On the session, before the probe's STS client is built from it.
        container.aws_session().events.register("after-call.sts.AssumeRole", keep)

    def leaks(self, logs: CapturedLogs) -> dict[str, str]:
        """Which secret each logger let out, with one of its records as evidence."""
        found: dict[str, str] = {}
        for record in logs.records:
            text = logs.text_of(record)
            for name, value in self.found.items():
                if value in text:
                    found.setdefault(f"{name} <- {record.name}", record.getMessage()[:300])
        return found


@pytest.fixture(params=["sqlite", "postgresql"])
def flow_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'bucketlink.sqlite'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.create_database()
    asyncio.run(migrate(url))
    return url


async def test_a_full_flow_logs_no_secret(flow_database: str, emulator: Emulator) -> None:
    secrets = Secrets()
    settings = sandbox_settings(flow_database, emulator_port(emulator))
    token, expired, refresh = access_token(), access_token(ttl=-5), refresh_token()
    for name, value in (("access token", token), ("expired", expired), ("refresh", refresh)):
        secrets.add(name, value)
    auth = {"Authorization": f"Bearer {token}"}

    async with running(settings, secrets.keep_session_credentials) as service:
        client = service.client
        with every_log(logging.DEBUG) as logs:
            setup = await client.get("/v1/account/aws-setup", headers=auth)
            external_id = setup.json()["external_id"]
            secrets.add("the org's external id", external_id)
            with logs.paused():
                body = create_sandbox_customer(
                    settings.sandbox_endpoint,
                    PRINCIPAL_ARN,
                    external_id,
                    1,
                    bucket=f"logs-{uuid.uuid4().hex[:12]}",
                )

            created = await client.post("/v1/connectors/s3", json=body, headers=auth)
            assert created.status_code == 200, created.text
            wrong_owner = {**body, "credential_name": "other", "role_arn": body["role_arn"] + "x"}
            failed = await client.post("/v1/connectors/s3", json=wrong_owner, headers=auth)
            assert failed.status_code == 422, failed.text
            validated = await client.post("/v1/connectors/s3/validate", json=body, headers=auth)
            assert validated.json()["valid"] is True, validated.text
            connector = created.json()["id"]
            verified = await client.post(f"/v1/connectors/s3/{connector}/verify", headers=auth)
            assert verified.json()["valid"] is True, verified.text
            vend_url = f"/v1/connectors/s3/{connector}/credentials"
            for _ in range(2):  # a miss, then a cache hit
                vended = await client.post(vend_url, json={"prefix": "jobs/"}, headers=auth)
                assert vended.status_code == 200, vended.text
            for key in ("access_key_id", "secret_access_key", "session_token"):
                secrets.add(f"the vended {key}", vended.json()[key])
            service_token = issue_service_token(
                JWT_SECRET, "nightly-export", 1, timedelta(minutes=5)
            )
            secrets.add("a service token", service_token)
            by_service = await client.post(
                vend_url, headers={"Authorization": f"Bearer {service_token}"}
            )
            assert by_service.status_code == 200, by_service.text

            service.aws.fail("sts.AssumeRole", 500, "InternalError")
            unavailable = await client.post("/v1/connectors/s3/validate", json=body, headers=auth)
            assert unavailable.status_code == 503, unavailable.text
            service.aws.recover()

            role_external_id = f"customer-{uuid.uuid4().hex}"
            secrets.add("the bucket role's external id", role_external_id)
            bucket = await client.post(
                "/resources/buckets",
                json={
                    "account_id": "111122223333",
                    "resource_id": "logged",
                    "access": {"type": "role", "external_id": role_external_id},
                },
                headers=auth,
            )
            assert bucket.status_code == 200, bucket.text
            new_external_id = f"customer-{uuid.uuid4().hex}"
            secrets.add("the bucket role's new external id", new_external_id)
            changed = await client.put(
                f"/resources/buckets/{bucket.json()['id']}/access",
                json={"access": {"type": "role", "external_id": new_external_id}},
                headers=auth,
            )
            assert changed.status_code == 200, changed.text

            renewed = await client.get(
                "/v1/connectors",
                headers={"Authorization": f"Bearer {expired}", "refresh-token": refresh},
            )
            assert renewed.status_code == 200, renewed.text
            secrets.add("the renewed access token", renewed.headers["x-access-token"])

            service.container.ids.override(CrashingIds())
            crashed = await client.post(
                "/v1/connectors/s3", json={**body, "credential_name": "crash"}, headers=auth
            )
            assert crashed.status_code == 500, crashed.text

    assert any(name.startswith("SessionToken") for name in secrets.found)  # the probe ran
    assert logs.with_request_id(crashed.headers["x-request-id"])  # the crash was logged
    assert len(logs.records) > 100  # DEBUG really was on
    events = {r.msg.get("event") for r in logs.records if isinstance(r.msg, dict)}
    assert {"request", "probe step"} <= events  # structlog's lines were among them
    assert secrets.leaks(logs) == {}
