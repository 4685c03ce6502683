"""An ``x-request-id`` on every response: the caller's, if it is a sane token,
else a fresh one. Logs of a request carry the same id."""

from __future__ import annotations

import re
import uuid

from litestar.middleware import ASGIMiddleware
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

_HEADER = b"x-request-id"
_SANE = re.compile(rb"[A-Za-z0-9._-]{1,128}")
_KEY = "bucketlink.request_id"


def request_id_of(scope: Scope) -> str:
    return str(scope.get("state", {}).get(_KEY, "-"))


def _incoming(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == _HEADER and _SANE.fullmatch(value):
            return value.decode()
    return None


class RequestIdMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        request_id = _incoming(scope) or uuid.uuid4().hex
        scope.setdefault("state", {})[_KEY] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (_HEADER, request_id.encode())]
            await send(message)

        await next_app(scope, receive, send_with_id)
