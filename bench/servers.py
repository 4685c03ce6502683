"""The ASGI servers the read-path benchmark compares, and running one of them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_BIN = Path(sys.executable).parent


def _uvicorn(loop: str, http: str) -> list[str]:
    return [
        str(_BIN / "uvicorn"), "--factory", "--workers", "1", "--loop", loop, "--http", http,
        "--no-access-log", "--log-level", "warning", "--no-server-header",
    ]  # fmt: skip


def _granian(loop: str) -> list[str]:
    return [
        str(_BIN / "granian"), "--interface", "asgi", "--factory", "--workers", "1",
        "--loop", loop, "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip


# One worker each: on a two-core machine the other core drives the load.
SERVERS: Mapping[str, list[str]] = {
    "uvicorn (asyncio, h11)": _uvicorn("asyncio", "h11"),
    "uvicorn (uvloop, httptools)": _uvicorn("uvloop", "httptools"),
    "granian (uvloop)": _granian("uvloop"),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running(command: list[str], target: str, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """Serve ``target`` (``module:factory``) with ``command``; yields the base URL."""
    port = free_port()
    argv = [*command, "--host", "127.0.0.1", "--port", str(port), target]
    # A session of its own, so that stopping it stops its worker processes too.
    # Its log (a JSON line per request) is written, as in production, but not shown.
    process = subprocess.Popen(
        argv,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"nothing listened on port {port} within {timeout} s")
