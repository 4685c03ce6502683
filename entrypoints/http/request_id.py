"""An ``x-request-id`` on every response: the caller's, if it is a sane token,
else a fresh one. Logs of a request carry the same id.

A ``before_send`` hook rather than a middleware: Litestar answers errors raised
by middleware (a 401 from auth, say) outside the middleware stack, but every
message still passes the app's ``before_send``.
"""

from __future__ import annotations

import re
import uuid

from litestar.types import Message, Scope

_HEADER = b"x-request-id"
_SANE = re.compile(rb"[A-Za-z0-9._-]{1,128}")
_KEY = "bucketlink.request_id"


def request_id_of(scope: Scope) -> str:
    """This request's id, chosen on first use."""
    state = scope.setdefault("state", {})
    if _KEY not in state:
        state[_KEY] = _incoming(scope) or uuid.uuid4().hex
    return str(state[_KEY])


def _incoming(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == _HEADER and _SANE.fullmatch(value):
            return str(value.decode())
    return None


async def add_request_id(message: Message, scope: Scope) -> None:
    if message["type"] == "http.response.start":
        headers = [h for h in message.get("headers", []) if h[0] != _HEADER]
        message["headers"] = [*headers, (_HEADER, request_id_of(scope).encode())]
