"""The whole service (tests/stack's: piccolo and the sandbox emulator, or the
`aws` configuration pointed at a local endpoint) with faults injected where
they happen for real: in botocore's HTTP layer, in the database driver, in a
port the use cases call."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from litestar.testing import AsyncTestClient

from adapters.persistence.piccolo.migration_runner import migrate
from adapters.sandbox.defaults import PLATFORM_ACCOUNT_ID
from adapters.sandbox.emulator import Emulator, iam_as, s3_as
from entrypoints.bootstrap import build_container
from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.conftest import JWT_SECRET, PRINCIPAL_ARN

PROBLEM_JSON = "application/problem+json"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'bucketlink.sqlite'}"
    asyncio.run(migrate(url))
    return url


@pytest.fixture
def closed_port() -> int:
    """A port on which nothing listens: connections are refused at once."""
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers: AWS hanging mid-request."""
    server = SilentServer()
    yield server.port
    server.close()


def sandbox_settings(database_url: str, port: int) -> Settings:
    return Settings(
        database_url=database_url,
        jwt_secret=JWT_SECRET,
        principal_arn=PRINCIPAL_ARN,
        sandbox_port=port,
        assume_role_grace_seconds=0,
    )


def emulator_port(emulator: Emulator) -> int:
    return urlsplit(emulator.endpoint_url).port or 0


def aws_settings(database_url: str, monkeypatch: pytest.MonkeyPatch, endpoint: str) -> Settings:
    """The `aws` configuration (boto3's default chain) with AWS itself at ``endpoint``."""
    for name, value in {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "AKIDFAULTTESTS",
        "AWS_SECRET_ACCESS_KEY": "fault-tests",
        "AWS_CONFIG_FILE": "/nonexistent",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return Settings(
        database_url=database_url,
        aws_mode="aws",
        jwt_secret=JWT_SECRET,
        principal_arn=PRINCIPAL_ARN,
        assume_role_grace_seconds=0,
    )


@dataclass
class AwsAttempts:
    """Every HTTP attempt botocore makes, retries included, by ``service.Operation``."""

    made: list[str] = field(default_factory=list)

    @classmethod
    def on(cls, session: boto3.Session) -> AwsAttempts:
        attempts = cls()
        session.events.register("before-send", attempts._record)
        return attempts

    def _record(self, event_name: str, **_: Any) -> None:
        self.made.append(event_name.removeprefix("before-send."))

    def of(self, operation: str) -> int:
        return self.made.count(operation)


class AwsAnswers:
    """While an operation is set to fail, AWS answers each of its requests with an
    error (Throttling, SlowDown, ...), before it leaves the machine, so that
    botocore parses and retries it exactly as it would AWS's own answer."""

    def __init__(self, session: boto3.Session) -> None:
        self._errors: dict[str, tuple[int, bytes, Callable[[Any], bool]]] = {}
        session.events.register("before-send", self._answer)

    def fail(
        self,
        operation: str,
        status: int,
        code: str,
        when: Callable[[Any], bool] = lambda request: True,
    ) -> None:
        """Fail ``operation``'s requests (those ``when(request)`` picks)."""
        service = operation.partition(".")[0]
        self._errors[operation] = (status, _error_document(service, code).encode(), when)

    def recover(self) -> None:
        self._errors.clear()

    def _answer(self, event_name: str, request: Any, **_: Any) -> AWSResponse | None:
        error = self._errors.get(event_name.removeprefix("before-send."))
        if error is None or not error[2](request):
            return None
        status, body, _ = error
        return AWSResponse(request.url, status, {"content-type": "text/xml"}, _Raw(body))


def _error_document(service: str, code: str) -> str:
    if service == "s3":
        return f"<Error><Code>{code}</Code><Message>injected</Message></Error>"
    return (
        "<ErrorResponse><Error><Type>Sender</Type>"
        f"<Code>{code}</Code><Message>injected</Message></Error>"
        "<RequestId>fault</RequestId></ErrorResponse>"
    )


@dataclass
class _Raw:
    body: bytes

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.body


@dataclass
class Service:
    client: AsyncTestClient[Any]
    container: Container
    settings: Settings
    attempts: AwsAttempts
    aws: AwsAnswers


@asynccontextmanager
async def running(
    settings: Settings,
    prepare: Callable[[Container], object] = lambda _: None,
    **adapters: Any,
) -> AsyncIterator[Service]:
    """The app on ``settings``, counting every AWS attempt its clients make;
    ``prepare`` may change the container once the counting is in place."""
    container = build_container(settings, **adapters)
    # Clients copy their session's handlers when they are built: these go on
    # before the container builds any.
    attempts = AwsAttempts.on(container.aws_session())
    answers = AwsAnswers(container.aws_session())
    prepare(container)
    async with AsyncTestClient(create_app(container)) as client:
        yield Service(client, container, settings, attempts, answers)


class SilentServer:
    """Accepts TCP connections and holds them open without a word."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.port = int(self._listener.getsockname()[1])
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            self._held.append(connection)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for connection in self._held:
            connection.close()
        self._listener.close()


def platform_buckets_named(endpoint_url: str, prefix: str) -> list[str]:
    s3 = s3_as(PLATFORM_ACCOUNT_ID, endpoint_url)
    return [b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"].startswith(prefix)]


def platform_roles_named(endpoint_url: str, prefix: str) -> list[str]:
    iam = iam_as(PLATFORM_ACCOUNT_ID, endpoint_url)
    return [r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith(prefix)]


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    assert response.headers["x-request-id"]
    body: dict[str, Any] = response.json()
    assert (body["status"], body["code"]) == (status, code)
    assert "Traceback" not in response.text
    return body


def assert_unavailable(response: Any, code: str) -> None:
    assert_problem(response, 503, code)
    assert int(response.headers["retry-after"]) > 0
