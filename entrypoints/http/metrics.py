"""Prometheus at ``GET /metrics``, on Litestar's plugin: request counts and
latencies per route template (not per path: ids would make a series each),
alongside the service's own metrics (``adapters.observability.metrics``).

The page carries no tenant data, and is public like ``/health``: restrict it at
the network edge. Metrics live in the process: with several worker processes
behind one port each would answer for itself; run one process per instance
(what ``serve`` does) or set ``PROMETHEUS_MULTIPROC_DIR``."""

from __future__ import annotations

from litestar.config.app import AppConfig
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController

METRICS_PATH = "/metrics"

_CONFIG = PrometheusConfig(
    app_name="bucketlink", prefix="bucketlink", group_path=True, exclude=[f"^{METRICS_PATH}$"]
)


class MetricsController(PrometheusController):
    path = METRICS_PATH
    include_in_schema = False


def measure_every_request(app_config: AppConfig) -> AppConfig:
    """Outermost, so that what authentication refuses is counted too."""
    app_config.middleware.insert(0, _CONFIG.middleware)
    return app_config
