"""How the platform's boto3 clients talk to AWS: timeouts, retries, pool size."""

from __future__ import annotations

from botocore.config import Config

# Blocking AWS calls hold a worker thread for up to (connect + read timeout) x
# attempts. Each adapter runs them under a limiter of its own, so slow AWS answers
# cannot starve anyio's default 40-thread pool, which the rest of the service
# shares; the connection pool is sized to match so concurrent calls do not
# discard pooled connections. 32 threads, measured against 16 and 64
# (docs/performance.md): every thread that wakes with an AWS answer competes
# with the event loop for the GIL, so 64 made the loop wait 22-28 ms (p99) in a
# burst, and made the burst itself slower; 16 left AWS waits queued.
DEFAULT_CONCURRENCY = 32


def default_config(concurrency: int = DEFAULT_CONCURRENCY, total_attempts: int = 3) -> Config:
    return Config(
        connect_timeout=3,
        read_timeout=10,
        # botocore's "max_attempts" counts retries; this counts every attempt.
        retries={"mode": "standard", "total_max_attempts": total_attempts},
        max_pool_connections=concurrency,
    )
