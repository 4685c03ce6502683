"""The Litestar application: routes, auth, problem details and wiring to the
container. Controllers stay thin: parse, call one use case, shape the answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Litestar
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin

from adapters.persistence.piccolo.pool import close_pool, open_pool
from application.bucketlink import USE_CASES
from entrypoints.container import Container
from entrypoints.http.access_log import AccessLoggedLitestar
from entrypoints.http.allow_header import allow_every_method
from entrypoints.http.auth import jwt_auth
from entrypoints.http.aws_keys_guard import refuse_aws_keys
from entrypoints.http.controllers.account import AccountController
from entrypoints.http.controllers.buckets import BucketController
from entrypoints.http.controllers.connectors import ConnectorController
from entrypoints.http.controllers.errors import ErrorCatalogueController
from entrypoints.http.controllers.health import HealthController
from entrypoints.http.litestar_internals import MsgspecOnlyLitestar
from entrypoints.http.media_type_guard import require_json_bodies
from entrypoints.http.metrics import REQUEST_METRICS, MetricsController
from entrypoints.http.problems import internal_error_handler, problem_details_plugin
from entrypoints.http.rate_limit import RateLimiting
from entrypoints.http.request_id import add_request_id
from entrypoints.http.service_tokens import REFUSE_SERVICE_TOKENS
from entrypoints.http.serving import Warmup
from entrypoints.logs import route_structlog_through_logging

MAX_BODY_BYTES = 64 * 1024


class _BucketlinkLitestar(AccessLoggedLitestar, MsgspecOnlyLitestar):
    """Litestar logging every request, with msgspec's plugin only."""


def _dependencies(container: Container, warmup: Warmup | None) -> dict[str, Provide]:
    def from_container(name: str) -> Provide:
        provider: Callable[[], Any] = getattr(container, name)
        return Provide(lambda: provider(), sync_to_thread=False)

    dependencies = {name: from_container(name) for name in USE_CASES}
    dependencies["readiness_checks"] = (
        from_container("readiness_checks")
        if warmup is None
        else Provide(warmup.readiness_checks, sync_to_thread=False)
    )
    return dependencies


def create_app(container: Container, *, serving: bool = False) -> Litestar:
    """The service on ``container``; ``serving`` for a long-running server
    process, which prepares itself for traffic once started (``serving.py``)."""
    settings = container.settings()
    rate_limiting = RateLimiting.from_settings(settings)
    vend_limiting = RateLimiting.vends_from_settings(settings)
    prepare = [rate_limiting.prepare, vend_limiting.prepare]
    warmup = Warmup(container, prepare=prepare) if serving else None
    route_structlog_through_logging()
    auth = jwt_auth(settings.jwt_secret)

    async def open_database() -> None:
        await open_pool(container.database())

    async def close_database() -> None:
        await close_pool(container.database())

    app = _BucketlinkLitestar(
        route_handlers=[
            AccountController,
            ConnectorController,
            BucketController,
            HealthController,
            ErrorCatalogueController,
            MetricsController,
        ],
        dependencies=_dependencies(container, warmup),
        plugins=[problem_details_plugin()],
        exception_handlers={Exception: internal_error_handler},
        guards=[require_json_bodies],
        before_request=refuse_aws_keys,
        request_max_body_size=MAX_BODY_BYTES,
        # Auth puts its middleware first: the others run after it and see the caller;
        # a service token is refused before the limiter counts it.
        on_app_init=[auth.on_app_init],
        middleware=[
            REFUSE_SERVICE_TOKENS,
            rate_limiting.middleware,
            vend_limiting.middleware,
            REQUEST_METRICS,
        ],
        before_send=[add_request_id, allow_every_method],
        on_startup=[open_database, *([warmup.start] if warmup else [])],
        on_shutdown=[close_database, rate_limiting.close, vend_limiting.close],
        openapi_config=OpenAPIConfig(
            title="bucketlink",
            version="0.1.0",
            description="Keyless, cross-account S3 access.",
            path="/schema",
            render_plugins=[SwaggerRenderPlugin()],
        ),
        # The process configures logging (entrypoints/logs.py), not each app.
        logging_config=None,
        debug=False,
    )
    app.state.warmup = warmup  # for whoever must wait for it: benchmarks, tools
    return app
