"""The README's path, run as a newcomer runs it: real processes, real HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

# Each test starts the service (or a Python) as a separate program.
pytestmark = pytest.mark.slow

BUCKETLINK = [sys.executable, "-m", "entrypoints.cli"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def service(workdir: Path) -> Iterator[tuple[str, dict[str, str]]]:
    port, emulator_port = _free_port(), _free_port()
    env = {**os.environ, "BUCKETLINK_SANDBOX_PORT": str(emulator_port)}
    env.pop("BUCKETLINK_JWT_SECRET", None)
    env.pop("BUCKETLINK_DATABASE_URL", None)
    process = subprocess.Popen(
        [*BUCKETLINK, "serve", "--migrate", "--port", str(port)],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, process)
        yield base, env
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
        assert "Traceback" not in output, output


def _wait_healthy(base: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited: {process.stdout.read() if process.stdout else ''}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("serve did not become healthy within 30 s")


def _bucketlink(workdir: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [*BUCKETLINK, *args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def test_token_setup_sandbox_customer_and_register(
    workdir: Path, service: tuple[str, dict[str, str]]
) -> None:
    base, env = service
    token = _bucketlink(workdir, env, "token", "--user", "alice", "--org", "1").strip()
    headers = {"Authorization": f"Bearer {token}"}
    setup = httpx.get(f"{base}/v1/account/aws-setup", headers=headers)
    assert setup.status_code == 200
    body = json.loads(_bucketlink(workdir, env, "sandbox", "customer", "--org", "1"))
    created = httpx.post(f"{base}/v1/connectors/s3", json=body, headers=headers)
    assert created.status_code == 200, created.text
    assert created.json()["verified_role_arn"] == body["role_arn"]
    other_org = _bucketlink(workdir, env, "token", "--user", "eve", "--org", "2").strip()
    refused = httpx.post(
        f"{base}/v1/connectors/s3", json=body, headers={"Authorization": f"Bearer {other_org}"}
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "assume_role_denied"
    assert httpx.get(f"{base}/ready").json()["status"] == "ready"
