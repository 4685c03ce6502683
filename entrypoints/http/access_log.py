"""One JSON line per request: its id, method, route template, path, status,
duration and the caller's organisation; the request id is bound for every
other line logged while the request is served.

It is the app's ASGI entry point (``Litestar.__call__``, extended), outside
Litestar's routing and exception handling: the only place that sees every
request with the status actually sent, including those the router (404, 405)
or authentication (401) refuse before any middleware or handler runs (Litestar
builds its middleware stack per route, inside the router).
"""

from __future__ import annotations

import logging
import time
from typing import cast

import structlog
from litestar import Litestar
from litestar.enums import ScopeType
from litestar.types import (
    HTTPScope,
    LifeSpanReceive,
    LifeSpanScope,
    LifeSpanSend,
    Message,
    Receive,
    Scope,
    Send,
)

from domain.identity import Caller
from entrypoints.http.request_id import request_id_of

log = structlog.get_logger("bucketlink.access")

# Polled by balancers and scrapers every few seconds: at INFO they would bury the rest.
_POLLED = frozenset({"/health", "/ready", "/metrics"})


class AccessLoggedLitestar(Litestar):
    """Litestar, logging one line per HTTP request it answers."""

    async def __call__(
        self,
        scope: Scope | LifeSpanScope,
        receive: Receive | LifeSpanReceive,
        send: Send | LifeSpanSend,
    ) -> None:
        if scope["type"] != ScopeType.HTTP:
            await super().__call__(scope, receive, send)
            return
        http = cast("HTTPScope", scope)
        started = time.perf_counter()
        status = 500  # if the server is cut off before any answer

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)  # type: ignore[arg-type]

        with structlog.contextvars.bound_contextvars(request_id=request_id_of(http)):
            try:
                await super().__call__(http, receive, send_noting_status)
            finally:
                _log_request(http, status, time.perf_counter() - started)


def _log_request(scope: HTTPScope, status: int, seconds: float) -> None:
    polled = scope["path"] in _POLLED and status < 400
    caller = scope.get("user")
    log.log(
        logging.DEBUG if polled else logging.INFO,
        "request",
        method=scope["method"],
        route=scope.get("path_template"),
        path=scope["path"],
        status=status,
        duration_ms=round(seconds * 1000, 2),
        org_id=caller.org_id.value if isinstance(caller, Caller) else None,
    )
