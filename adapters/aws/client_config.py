"""How the platform's boto3 clients talk to AWS: timeouts, retries, pool size."""

from __future__ import annotations

from botocore.config import Config

# Blocking AWS calls hold a worker thread for up to (connect + read timeout) x
# attempts. Each adapter runs them under a limiter of its own, so slow AWS answers
# cannot starve anyio's default 40-thread pool, which the rest of the service
# shares; the connection pool is sized to match so concurrent calls do not
# discard pooled connections.
DEFAULT_CONCURRENCY = 64


def default_config(concurrency: int = DEFAULT_CONCURRENCY, total_attempts: int = 3) -> Config:
    return Config(
        connect_timeout=3,
        read_timeout=10,
        # botocore's "max_attempts" counts retries; this counts every attempt.
        retries={"mode": "standard", "total_max_attempts": total_attempts},
        max_pool_connections=concurrency,
    )
