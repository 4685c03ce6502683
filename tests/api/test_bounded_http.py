"""The server's bounds on a request's head (issue 15): over 16 KiB of headers is
431 without reading on, a head trickled in too slowly is closed, and normal
requests, keep-alive ones included, are served as before. Through a real
uvicorn on a socket, as ``serve`` runs it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from entrypoints.http.bounded_http import MAX_HEAD_BYTES, BoundedHttpToolsProtocol


class QuickToGiveUp(BoundedHttpToolsProtocol):
    head_seconds = 0.3


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]}
    )
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = int(probe.getsockname()[1])
    config = uvicorn.Config(
        app, host="127.0.0.1", port=free, http=QuickToGiveUp, loop="asyncio", log_config=None
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield free
    server.should_exit = True
    thread.join(timeout=10)


def exchange(port: int, *chunks: bytes, pause: float = 0.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        try:
            for chunk in chunks:
                conn.sendall(chunk)
                time.sleep(pause)
        except OSError:  # the server may close before all is sent
            pass
        received = b""
        while True:
            try:
                data = conn.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not data:
                break
            received += data
        return received


def test_a_normal_request_is_served(port: int) -> None:
    answer = exchange(port, b"GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200")


def test_two_requests_on_one_connection_each_get_their_own_budget(port: int) -> None:
    big = b"x-big: " + b"a" * (MAX_HEAD_BYTES // 2) + b"\r\n"
    request = b"GET / HTTP/1.1\r\nhost: x\r\n" + big + b"\r\n"
    last = b"GET / HTTP/1.1\r\nhost: x\r\n" + big + b"connection: close\r\n\r\n"
    answer = exchange(port, request, last, pause=0.05)
    assert answer.count(b"HTTP/1.1 200") == 2


@pytest.mark.parametrize("size", [MAX_HEAD_BYTES + 1, 64 * 1024 * 1024])
def test_headers_over_16_kib_in_all_are_431(port: int, size: int) -> None:
    head = b"GET / HTTP/1.1\r\nhost: x\r\nx-big: "
    chunk = b"a" * (256 * 1024)
    # The server answers and closes once the bound is passed: the rest of a
    # 64 MB header is never read (sending it fails on the closed connection).
    answer = exchange(port, head, *([chunk] * (size // len(chunk) or 1)))
    assert answer.startswith(b"HTTP/1.1 431"), answer[:80]


def test_a_head_trickled_in_too_slowly_is_closed(port: int) -> None:
    trickle = [b"GET / HTTP/1.1\r\n", b"host: x\r\n", b"x-slow: 1\r\n", b"x-slower: 2\r\n"]
    answer = exchange(port, *trickle, pause=0.15)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:80]
