"""Two real ``bucketlink serve`` processes on one PostgreSQL database, one Redis
and one AWS emulator: what several instances behind a load balancer share."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from adapters.persistence.piccolo import migrate
from adapters.sandbox.emulator import Emulator
from domain.account_id import AccountId
from domain.bucket_naming import BucketPrefix
from domain.platform_policy import platform_principal_policy
from tests.conftest import JWT_SECRET
from tests.support.postgres_server import PostgresServer
from tests.support.redis_server import redis_url_or_skip

BUCKETLINK = [sys.executable, "-m", "entrypoints.cli"]
# Not the sandbox's principal: aws mode refuses to run on that one.
PRINCIPAL_ARN = "arn:aws:iam::123456789012:role/bucketlink-multi-instance"
ROLE_BOUNDARY_ARN = "arn:aws:iam::123456789012:policy/bucketlink-multi-instance-boundary"
PLATFORM_KEY_ID = "AKIDMULTIINSTANCE"
PLATFORM_SECRET = "multi-instance-platform-secret"
RATE_LIMIT = 60  # enough for a trial of changes in waves (test_bucket_races)
MAX_BUCKETS = 3
_START_SECONDS = 30
_STOP_SECONDS = 15


@dataclass(frozen=True)
class Instance:
    base_url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def aws() -> Iterator[Emulator]:
    """One AWS emulator that both instances use, as they would share one AWS; its
    STS refuses their AssumeRole calls where AWS would (the binding check)."""
    with Emulator(
        port=0,
        principal_arn=PRINCIPAL_ARN,
        platform_key_id=PLATFORM_KEY_ID,
        platform_secret=PLATFORM_SECRET,
        # The operator guide's policy, for this deployment's boundary.
        platform_policy=platform_principal_policy(
            AccountId(PRINCIPAL_ARN.split(":")[4]), BucketPrefix(), ROLE_BOUNDARY_ARN
        ),
    ) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def redis_url() -> str:
    return redis_url_or_skip()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("instances")


@pytest.fixture(scope="module")
def service_env(
    workdir: Path, aws: Emulator, postgres_server: PostgresServer, redis_url: str
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BUCKETLINK_", "AWS_"))}
    env.update(
        BUCKETLINK_AWS="aws",
        BUCKETLINK_DATABASE_URL=postgres_server.create_database(),
        BUCKETLINK_REDIS_URL=redis_url,
        BUCKETLINK_RATE_LIMIT=f"{RATE_LIMIT}/minute",
        BUCKETLINK_JWT_SECRET=JWT_SECRET,
        BUCKETLINK_PRINCIPAL_ARN=PRINCIPAL_ARN,
        BUCKETLINK_ROLE_BOUNDARY_ARN=ROLE_BOUNDARY_ARN,
        BUCKETLINK_ASSUME_ROLE_GRACE="0",
        BUCKETLINK_MAX_BUCKETS_PER_COMPANY=str(MAX_BUCKETS),
        AWS_ENDPOINT_URL=aws.https_endpoint_url,
        AWS_CA_BUNDLE=str(aws.ca_bundle),
        AWS_ACCESS_KEY_ID=PLATFORM_KEY_ID,
        AWS_SECRET_ACCESS_KEY=PLATFORM_SECRET,
        AWS_DEFAULT_REGION="us-east-1",
    )
    asyncio.run(migrate(env["BUCKETLINK_DATABASE_URL"]))  # what `bucketlink migrate` runs
    return env


@pytest.fixture(scope="module")
def instances(workdir: Path, service_env: dict[str, str]) -> Iterator[tuple[Instance, Instance]]:
    """Both instances, started together; the tests keep apart by organisation."""
    started: list[Instance] = []
    try:
        for name in ("a", "b"):
            port, log = _free_port(), workdir / f"serve-{name}.log"
            with log.open("wb") as out:  # the child keeps its own handle
                process = subprocess.Popen(
                    [*BUCKETLINK, "serve", "--port", str(port)],
                    cwd=workdir,
                    env=service_env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            started.append(Instance(f"http://127.0.0.1:{port}", process, log))
        for instance in started:
            _wait_healthy(instance)
        yield started[0], started[1]
    finally:
        for instance in started:
            _stop(instance.process)
        outputs = {i.base_url: i.output() for i in started}
        for base_url, output in outputs.items():
            print(f"--- bucketlink serve at {base_url} ---\n{output}")
    for base_url, output in outputs.items():
        assert "Traceback" not in output, f"{base_url} printed a traceback:\n{output}"


def _wait_healthy(instance: Instance) -> None:
    deadline = time.monotonic() + _START_SECONDS
    while time.monotonic() < deadline:
        if instance.process.poll() is not None:
            raise AssertionError(f"serve exited early:\n{instance.output()}")
        try:
            if httpx.get(f"{instance.base_url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"serve was not healthy within {_START_SECONDS} s:\n{instance.output()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=_STOP_SECONDS)
