"""Creates and probes per organisation (contract §3, §7), on Litestar's own rate
limiting. Counters live in memory, or in Redis when ``BUCKETLINK_REDIS_URL`` is
set, so that every instance counts against the same limit.

Litestar's middleware runs after authentication (the JWT middleware is outermost)
and before the handler, so a refused request has read no body and changed nothing.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import anyio
from litestar import Request
from litestar.exceptions import TooManyRequestsException
from litestar.middleware.rate_limit import CacheObject, RateLimitConfig, RateLimitMiddleware
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore
from litestar.types import ASGIApp, Receive, Scope, Send

from adapters.observability.metrics import RATE_LIMITED
from domain.errors import DatabaseUnavailable
from domain.identity import Caller
from entrypoints.http.request_id import request_id_of
from entrypoints.settings import Settings

if TYPE_CHECKING:
    # redis is imported only when configured: it takes ~0.4 s to import.
    from redis.asyncio import Redis

log = logging.getLogger("bucketlink.http")

STORE_NAME = "rate_limit"
REDIS_NAMESPACE = "bucketlink-rate-limit"
# Each of these costs an AWS probe or makes IAM and S3 calls in the platform's
# shared account (whose quotas every tenant shares): those are what abuse costs.
LIMITED_ROUTES = frozenset(
    {
        ("POST", "/v1/connectors/s3"),
        ("POST", "/v1/connectors/s3/validate"),
        ("POST", "/v1/connectors/{connector_type}/{connector_id}/verify"),
        ("POST", "/resources/buckets"),
        ("PUT", "/resources/buckets/{bucket_id}/access"),
        ("DELETE", "/resources/buckets/{bucket_id}"),
    }
)
# A Redis that does not answer must fail a request quickly, not hang it.
_REDIS_TIMEOUT_SECONDS = 2.0


def is_limited(scope: Scope) -> bool:
    return (scope.get("method"), scope.get("path_template")) in LIMITED_ROUTES


def organisation_of(request: Request[Caller, Any, Any]) -> str:
    return f"org:{request.user.org_id.value}"


class SharedRateLimitMiddleware(RateLimitMiddleware):
    """Litestar's limiter, with its read-count-write made one step across instances.

    Litestar guards that step with an in-process lock only: two instances sharing
    Redis could both read the same count, both let a request through, and both
    write back, losing a count. With Redis, a Redis lock per counter guards it.
    """

    config: SharedRateLimitConfig

    def __init__(self, app: ASGIApp, config: SharedRateLimitConfig) -> None:
        super().__init__(app, config)
        self._local_lock = anyio.Lock()
        self._store_errors: tuple[type[Exception], ...] = ()
        if config.redis is not None:
            from redis.exceptions import RedisError

            self._store_errors = (RedisError,)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Decided from the scope, before building a Request: most requests are
        # reads, which are not limited (and Litestar's own check, being sync,
        # would run on a worker thread for each of them).
        if not is_limited(scope):
            await self.app(scope, receive, send)
            return
        app = scope["litestar_app"]
        request: Request[Any, Any, Any] = app.request_class(scope)
        key = self.cache_key_from_request(request)
        route = f"{request.method} {scope.get('path_template')}"
        try:
            counted = await self._count(key, self.config.get_store_from_app(app), route)
        except self._store_errors as error:
            extra = {"request_id": request_id_of(scope)}
            log.warning("rate-limit store unreachable: %r", error, extra=extra)
            raise DatabaseUnavailable(
                "the rate-limit store cannot be reached; try again shortly"
            ) from None
        if self.config.set_rate_limit_headers:
            send = self.create_send_wrapper(send, counted)
        await self.app(scope, receive, send)

    async def _count(self, key: str, store: Store, route: str) -> CacheObject:
        async with self._counting(key):
            counted = await self.retrieve_cached_history(key, store)
            if len(counted.history) >= self.max_requests:
                RATE_LIMITED.labels(route).inc()
                raise self._refusal(counted)
            await self.set_cached_history(key=key, cache_object=counted, store=store)
            return counted

    @asynccontextmanager
    async def _counting(self, key: str) -> AsyncIterator[None]:
        redis = self.config.redis
        if redis is None:
            async with self._local_lock:
                yield
            return
        lock = redis.lock(
            f"{REDIS_NAMESPACE}:lock:{key}",
            timeout=_REDIS_TIMEOUT_SECONDS,  # a holder that dies frees it
            blocking_timeout=_REDIS_TIMEOUT_SECONDS,
            sleep=0.002,
        )
        async with lock:
            yield

    def _refusal(self, counted: CacheObject) -> TooManyRequestsException:
        headers = self.create_response_headers(cache_object=counted)
        wait = max(1, int(headers[self.config.rate_limit_reset_header_key]))
        return TooManyRequestsException(
            detail=(
                "too many creates, probes and bucket changes for this organisation; "
                f"retry in {wait} s"
            ),
            headers={**headers, "Retry-After": str(wait)},
        )


@dataclass
class SharedRateLimitConfig(RateLimitConfig):
    redis: Redis | None = None
    """The Redis that ``store`` lives in, whose locks make counting atomic across instances."""
    middleware_class: type[RateLimitMiddleware] = field(default=SharedRateLimitMiddleware)


@dataclass(frozen=True, slots=True)
class RateLimiting:
    """The middleware's configuration and the store it counts in, for one app."""

    config: SharedRateLimitConfig
    store: Store

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimiting:
        rate = settings.rate
        redis = None
        store: Store = MemoryStore()
        if settings.redis_url is not None:
            from litestar.stores.redis import RedisStore
            from redis.asyncio import Redis

            redis = Redis.from_url(
                settings.redis_url,
                socket_connect_timeout=_REDIS_TIMEOUT_SECONDS,
                socket_timeout=_REDIS_TIMEOUT_SECONDS,
            )
            store = RedisStore(redis, namespace=REDIS_NAMESPACE)
        config = SharedRateLimitConfig(
            rate_limit=(rate.unit, rate.requests),
            identifier_for_request=organisation_of,
            store=STORE_NAME,
            redis=redis,
        )
        return cls(config, store)

    @property
    def stores(self) -> dict[str, Store]:
        return {STORE_NAME: self.store}

    async def close(self) -> None:
        if self.config.redis is not None:
            await self.config.redis.aclose()
