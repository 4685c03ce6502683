"""The machine's Redis, for the tests that share rate limits across instances.
Tests keep apart by counting for organisations no other test uses, and delete
what they counted."""

from __future__ import annotations

import os
import secrets

import pytest
import redis

from entrypoints.http.rate_limit import REDIS_NAMESPACE

URL_VARIABLE = "BUCKETLINK_TEST_REDIS_URL"
DEFAULT_URL = "redis://127.0.0.1:6379/0"


def redis_url_or_skip() -> str:
    """The test Redis's URL; without one, skip saying why, except under CI=true,
    where the test fails: CI must not pass by silently testing less."""
    url = os.environ.get(URL_VARIABLE) or DEFAULT_URL
    try:
        with redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2) as client:
            client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and no Redis at {url}: {error!r}", pytrace=False)
        pytest.skip(f"no Redis server at {url} ({error!r}); set {URL_VARIABLE}")
    return url


def unused_org_id() -> int:
    """An organisation no other run counts for, so concurrent runs never collide."""
    return 10**9 + secrets.randbelow(10**12)


def forget_counters(url: str, *org_ids: int) -> int:
    """Delete the rate-limit counters of ``org_ids``; returns how many there were."""
    with redis.Redis.from_url(url) as client:
        keys = [
            key
            for org in org_ids
            for key in client.scan_iter(match=f"{REDIS_NAMESPACE}:*org:{org}/*")
        ]
        return int(client.delete(*keys)) if keys else 0
