"""`bucketlink serve` as a separate program, on its defaults (SQLite and the
sandbox), in a directory of its own: what a newcomer runs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from adapters.sandbox import defaults
from adapters.sandbox.emulator import free_port_pair

BUCKETLINK = [sys.executable, "-m", "entrypoints.cli"]
_START_SECONDS = 30


@dataclass(frozen=True)
class RunningServe:
    base_url: str
    env: dict[str, str]
    workdir: Path
    sandbox_port: int

    @property
    def endpoint_url(self) -> str:
        """The sandbox emulator's plain-HTTP endpoint."""
        return defaults.endpoint_url(self.sandbox_port)

    @property
    def https_endpoint_url(self) -> str:
        return defaults.https_endpoint_url(self.sandbox_port)

    @property
    def ca_bundle(self) -> Path:
        return self.workdir / defaults.CA_BUNDLE


@contextmanager
def running_serve(workdir: Path) -> Iterator[RunningServe]:
    with socket.socket() as held:  # kept bound, so the emulator's pair avoids it
        held.bind(("127.0.0.1", 0))
        port = int(held.getsockname()[1])
        sandbox_port = free_port_pair()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BUCKETLINK_", "AWS_"))}
    env["BUCKETLINK_SANDBOX_PORT"] = str(sandbox_port)
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
        yield RunningServe(base, env, workdir, sandbox_port)
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
        assert "Traceback" not in output, output


def _wait_healthy(base: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + _START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited: {process.stdout.read() if process.stdout else ''}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"serve did not become healthy within {_START_SECONDS} s")
