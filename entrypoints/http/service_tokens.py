"""A service token (contract §10) may vend credentials and do nothing else.

Every route refuses a service caller with ``403 service_token_not_allowed``
unless its handler declares that it takes one: ``@post(...,
opt=SERVICE_TOKENS_ALLOWED)`` (merged with another opt as
``opt={**RATE_LIMITED, **SERVICE_TOKENS_ALLOWED}``; on a ``Controller`` it
covers every handler of it). Refusing is the default, so a route added
without a thought for service tokens is closed to them.

A middleware rather than a guard: it runs right inside authentication and
before the rate limiter, so a refused service token spends none of its
organisation's budget of creates and probes, and nothing reads the body.
Routes without authentication (``/health``, ``/errors`` ...) have no caller
and are passed through.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, cast

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, HTTPScope, Receive, Scope, Send

from adapters.observability.metrics import SERVICE_TOKEN_REFUSED
from domain.error_codes import ErrorCode
from domain.identity import Caller
from entrypoints.http.problems import problem

SERVICE_TOKENS_OPT_KEY = "bucketlink_service_tokens_allowed"
SERVICE_TOKENS_ALLOWED: Final[Mapping[str, bool]] = MappingProxyType({SERVICE_TOKENS_OPT_KEY: True})
"""The ``opt`` of a handler that serves service tokens too."""


class RefuseServiceTokens(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)
    exclude_opt_key = SERVICE_TOKENS_OPT_KEY

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        http = cast("HTTPScope", scope)
        caller = http.get("user")
        if isinstance(caller, Caller) and caller.is_service:
            SERVICE_TOKEN_REFUSED.labels(f"{http['method']} {http['path_template']}").inc()
            raise problem(
                ErrorCode.SERVICE_TOKEN_NOT_ALLOWED,
                "a service token may only vend credentials "
                "(POST /v1/connectors/s3/{connector_id}/credentials); "
                "call this route with a user's access token",
            )
        await next_app(scope, receive, send)


REFUSE_SERVICE_TOKENS = RefuseServiceTokens()
