"""The service's own Prometheus metrics (Litestar's plugin counts the HTTP
requests). Labels name codes, routes and AWS operations only: never an
organisation, a user, a bucket or a role, which would leak tenants to whoever
scrapes ``/metrics`` and grow without bound."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

PROBE_OUTCOMES = Counter(
    "bucketlink_probe_outcomes_total",
    "Probes of customer buckets, by outcome: passed, a failure code, or aws_unavailable.",
    ["outcome"],
)
PROBE_SECONDS = Histogram("bucketlink_probe_seconds", "Time a probe takes, from start to report.")
AWS_CALL_SECONDS = Histogram(
    "bucketlink_aws_call_seconds",
    "AWS API calls, retries included, by service, operation and outcome "
    "(ok, client_error, server_error, no_answer).",
    ["service", "operation", "outcome"],
)
RATE_LIMITED = Counter(
    "bucketlink_rate_limited_total", "Requests refused with 429 rate_limited, by route.", ["route"]
)
SERVICE_TOKEN_REFUSED = Counter(
    "bucketlink_service_token_refused_total",
    "Requests refused with 403 service_token_not_allowed, by route.",
    ["route"],
)
UNAUTHENTICATED = Counter(
    "bucketlink_unauthenticated_total", "Requests refused with 401 unauthenticated."
)
VENDS = Counter(
    "bucketlink_vends_total",
    "Credential vends that reached AWS (one AssumeRole each), by outcome: issued, a "
    "failure code, or aws_unavailable.",
    ["outcome"],
)
VEND_CACHE = Counter(
    "bucketlink_vend_cache_total",
    "Asks for vended credentials, by whether the process's cache served them (hit) or "
    "AWS was asked (miss).",
    ["result"],
)
