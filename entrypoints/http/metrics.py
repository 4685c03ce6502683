"""Prometheus at ``GET /metrics`` (Litestar's plugin's controller): request
counts and latencies per route template (not per path: ids would make a series
each), alongside the service's own metrics (``adapters.observability.metrics``).

The measuring middleware runs inside authentication and the rate limiter:
Litestar answers what a middleware refuses outside the middleware stack, so an
outer measuring middleware would record a refused request as a 200. Refusals
are counted where they happen instead (``bucketlink_unauthenticated_total``,
``bucketlink_service_token_refused_total``, ``bucketlink_rate_limited_total``).

The page carries no tenant data, and is public like ``/health``: restrict it at
the network edge. Metrics live in the process: with several worker processes
behind one port each would answer for itself; run one process per instance
(what ``serve`` does) or set ``PROMETHEUS_MULTIPROC_DIR``."""

from __future__ import annotations

import time
from typing import cast

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.plugins.prometheus import PrometheusController
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send
from prometheus_client import Counter, Gauge, Histogram

METRICS_PATH = "/metrics"
_APP_NAME = "bucketlink"
_LABELS = ("method", "path", "status_code", "app_name")
_UNMEASURED = "bucketlink_unmeasured"

# The series Litestar's Prometheus middleware (``PrometheusConfig(prefix=
# "bucketlink", group_path=True)``) made, by the same names and labels, counted
# from the scope alone: its middleware built a Request and the request's URL
# for every request, for a path it then replaced with the route template
# (~0.03 ms a request).
_REQUESTS = Counter("bucketlink_requests_total", "Total requests", _LABELS)
_DURATION = Histogram(
    "bucketlink_request_duration_seconds", "Request duration, in seconds", _LABELS
)
_IN_PROGRESS = Gauge(
    "bucketlink_requests_in_progress",
    "Total requests currently in progress",
    _LABELS,
    multiprocess_mode="livesum",
)
_ERRORS = Counter("bucketlink_requests_error_total", "Total errors in requests", _LABELS)


class RequestMetrics(ASGIMiddleware):
    """Counts and times each request under its method and route template."""

    scopes = (ScopeType.HTTP,)  # the service has no websockets
    exclude_opt_key = _UNMEASURED  # the scrapes themselves

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        http = cast("HTTPScope", scope)
        method, route = http["method"], http["path_template"]
        # In progress under status 200, as Litestar's middleware labels it.
        _IN_PROGRESS.labels(method, route, 200, _APP_NAME).inc()
        started = time.perf_counter()
        status = 200
        duration = 0.0

        async def send_measuring(message: Message) -> None:
            nonlocal status, duration
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                duration = time.perf_counter() - started
            await send(message)

        try:
            await next_app(scope, receive, send_measuring)
        finally:
            _IN_PROGRESS.labels(method, route, 200, _APP_NAME).dec()
            if status >= 500:
                _ERRORS.labels(method, route, status, _APP_NAME).inc()
            _REQUESTS.labels(method, route, status, _APP_NAME).inc()
            _DURATION.labels(method, route, status, _APP_NAME).observe(duration)


class MetricsController(PrometheusController):
    path = METRICS_PATH
    include_in_schema = False
    opt = {_UNMEASURED: True}  # noqa: RUF012  # Litestar reads it as a class attribute


REQUEST_METRICS = RequestMetrics()
