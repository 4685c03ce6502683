"""uvicorn's httptools protocol with the two bounds it lacks: a request's head
(request line and headers) may hold at most 16 KiB, or it is answered 431; and
it must arrive within 10 seconds of its first byte, or the connection is closed.

Without them, a 64 MB header was read and served, holding the event loop for
seconds, and headers trickled in over 40 s kept a connection open. uvicorn's
own limit (``h11_max_incomplete_event_size``) applies to its h11 protocol only.
The bounds are counted in ``data_received``, before httptools buffers anything,
so an oversized head costs no more than the bytes read to notice it. This is the
one module that reaches into uvicorn's protocol: ``serve`` passes it as ``http``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEAD_BYTES = 16 * 1024
HEAD_SECONDS = 10.0


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    max_head_bytes = MAX_HEAD_BYTES
    head_seconds = HEAD_SECONDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = True
        self._head_bytes = 0
        self._head_timer: asyncio.TimerHandle | None = None

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            if self._head_bytes == 0:
                self._head_timer = self.loop.call_later(self.head_seconds, self._too_slow)
            self._head_bytes += len(data)
            if self._head_bytes > self.max_head_bytes:
                self._refuse(431, b"request headers are over 16 KiB in all")
                return
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._end_head()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head, self._head_bytes = True, 0  # the next request's head

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_timer()
        super().connection_lost(exc)

    def _end_head(self) -> None:
        self._in_head = False
        self._cancel_timer()

    def _cancel_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _too_slow(self) -> None:
        self._head_timer = None
        if self._in_head and self.transport is not None and not self.transport.is_closing():
            self._refuse(408, b"request headers were not sent in time")

    def _refuse(self, status: int, reason: bytes) -> None:
        self._end_head()
        phrase = {431: b"Request Header Fields Too Large", 408: b"Request Timeout"}[status]
        self.transport.write(
            b"HTTP/1.1 %d %s\r\ncontent-type: text/plain; charset=utf-8\r\n"
            b"content-length: %d\r\nconnection: close\r\n\r\n%s"
            % (status, phrase, len(reason), reason)
        )
        self.transport.close()
