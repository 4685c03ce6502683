"""A load generator light enough not to be what a benchmark measures: plain
HTTP/1.1 over keep-alive connections opened up front, requests written as
bytes, answers read by their Content-Length.

On a two-core machine the client shares the cores with the server: httpx
spent half again as much CPU sending 64 concurrent creates as the service
spent serving them, and the burst measured that. This does for
``bench.probe_concurrency`` what wrk does for ``bench.read_path``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def request(self, method: str, path: str, headers: bytes, body: bytes = b"") -> Answer:
        head = f"{method} {path} HTTP/1.1\r\nContent-Length: {len(body)}\r\n".encode()
        self._writer.write(head + headers + b"\r\n" + body)
        status_line, _, fields = (await self._reader.readuntil(b"\r\n\r\n")).partition(b"\r\n")
        length = next(
            int(value)
            for name, _, value in (line.partition(b":") for line in fields.split(b"\r\n"))
            if name.strip().lower() == b"content-length"
        )
        return Answer(int(status_line.split()[1]), await self._reader.readexactly(length))

    def close(self) -> None:
        self._writer.close()


class LightClient:
    """``count`` connections to ``base`` (``http://host:port``), each used by one
    request at a time; every request carries ``headers``."""

    def __init__(self, base: str, headers: Mapping[str, str]) -> None:
        url = urlsplit(base)
        self._address = (url.hostname or "127.0.0.1", url.port or 80)
        fields = {"Host": url.netloc, "Content-Type": "application/json", **headers}
        self._headers = "".join(f"{name}: {value}\r\n" for name, value in fields.items()).encode()
        self._idle: list[Connection] = []

    async def open(self, count: int) -> None:
        for _ in range(count):
            self._idle.append(Connection(*await asyncio.open_connection(*self._address)))

    async def get(self, path: str) -> Answer:
        return await self._on_a_connection("GET", path, b"")

    async def post(self, path: str, document: Any) -> Answer:
        return await self._on_a_connection("POST", path, json.dumps(document).encode())

    async def _on_a_connection(self, method: str, path: str, body: bytes) -> Answer:
        connection = self._idle.pop()  # the caller opened as many as it sends at once
        answer = await connection.request(method, path, self._headers, body)
        self._idle.append(connection)  # not after a failure: that one is broken
        return answer

    def close(self) -> None:
        for connection in self._idle:
            connection.close()
