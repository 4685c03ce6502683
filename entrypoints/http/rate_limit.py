"""Creates, probes and bucket changes per organisation (contract §3, §7), counted
by the ``limits`` library: in memory, or in Redis when ``BUCKETLINK_REDIS_URL``
is set, so that every instance counts against the same limit.

A handler is limited by declaring it: ``@post(..., opt=RATE_LIMITED)``. Each of
those costs an AWS probe or makes IAM and S3 calls in the platform's shared
account (whose quotas every tenant shares): that is what abuse costs.

The counting is a fixed window per organisation (the window opens with its first
request and lasts one unit of ``BUCKETLINK_RATE_LIMIT``), as Litestar's own
limiter counted. ``limits`` counts with one atomic increment (a Lua script in
Redis), so two instances can never both let the last request through.

The middleware runs after authentication (the JWT middleware is outermost) and
before the handler, so a refused request has read no body and changed nothing.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, cast

from litestar import Litestar
from litestar.exceptions import TooManyRequestsException
from litestar.middleware import DefineMiddleware
from litestar.routes import HTTPRoute
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send

from adapters.observability.metrics import RATE_LIMITED as RATE_LIMITED_TOTAL
from domain.errors import DatabaseUnavailable
from domain.identity import Caller
from entrypoints.http.request_id import request_id_of
from entrypoints.settings import RateLimit, Settings

if TYPE_CHECKING:
    # Imported when first needed (limits ~0.1 s, redis ~0.4 s of start-up).
    from limits import RateLimitItem
    from limits.aio.storage import Storage
    from limits.aio.strategies import FixedWindowRateLimiter
    from redis.asyncio import ConnectionPool

log = logging.getLogger("bucketlink.http")

LIMITED_OPT_KEY = "bucketlink_rate_limited"
RATE_LIMITED: Final[Mapping[str, bool]] = MappingProxyType({LIMITED_OPT_KEY: True})
"""A limited handler's ``opt`` (Litestar copies it into the handler's own dict)."""
VEND_LIMITED_OPT_KEY = "bucketlink_vend_rate_limited"
VEND_RATE_LIMITED: Final[Mapping[str, bool]] = MappingProxyType({VEND_LIMITED_OPT_KEY: True})
"""Credential vends have a limit of their own (``BUCKETLINK_VEND_RATE_LIMIT``):
they are frequent and cheap, where creates and probes are rare and costly."""

REDIS_NAMESPACE = "bucketlink-rate-limit"
# A Redis that does not answer must fail a request quickly, not hang it.
_REDIS_TIMEOUT_SECONDS = 2.0
_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_ASYNC_SCHEMES = {"redis": "async+redis", "rediss": "async+rediss", "unix": "async+redis+unix"}


def is_limited(scope: Scope, opt_key: str = LIMITED_OPT_KEY) -> bool:
    handler = scope.get("route_handler")
    return handler is not None and handler.opt.get(opt_key, False)


def limited_routes(
    app: Litestar, opt_keys: tuple[str, ...] = (LIMITED_OPT_KEY, VEND_LIMITED_OPT_KEY)
) -> set[tuple[str, str]]:
    """The (method, route template) of every handler of ``app`` declared limited
    (by any of ``opt_keys``)."""
    return {
        (method, route.path_format)
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        if any(handler.opt.get(key, False) for key in opt_keys)
        for method in handler.http_methods
    }


class RateLimiting:
    """The counters of one app: where they live and the limit they count to.

    ``limits`` (~0.1 s) and redis (~0.4 s) are imported and the counters built
    when first needed, not with the app: no start-up pays for them. A serving
    process builds them in its warm-up thread (``prepare``), so that neither
    the event loop pays, nor the garbage collector, which the warm-up then
    freezes them out of (``serving.py``); elsewhere the first limited request
    builds them.
    """

    def __init__(
        self,
        rate: RateLimit,
        redis_url: str | None,
        *,
        opt_key: str = LIMITED_OPT_KEY,
        counted: str = "org",
        refusal: str = "too many creates, probes and bucket changes for this organisation",
    ) -> None:
        self.rate = rate
        self.policy = f"{rate.requests}; w={_SECONDS[rate.unit]}"
        self.opt_key = opt_key
        self.counted = counted  # each limit counts under keys of its own
        self.refusal = refusal
        self._redis_url = redis_url
        self._counters: _Counters | None = None
        self._building = threading.Lock()  # the warm-up thread and a first request

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimiting:
        return cls(settings.rate, settings.redis_url)

    @classmethod
    def vends_from_settings(cls, settings: Settings) -> RateLimiting:
        return cls(
            settings.vend_rate,
            settings.redis_url,
            opt_key=VEND_LIMITED_OPT_KEY,
            counted="vends-org",
            refusal="too many credential vends for this organisation",
        )

    @property
    def middleware(self) -> DefineMiddleware:
        return DefineMiddleware(RateLimitMiddleware, limiting=self)

    @property
    def counters(self) -> _Counters:
        if self._counters is None:
            with self._building:
                if self._counters is None:
                    self._counters = _Counters.build(self.rate, self._redis_url)
        return self._counters

    def prepare(self) -> None:
        """Builds the counters now: for a warm-up, off the event loop."""
        _ = self.counters

    async def close(self) -> None:
        if self._counters is not None and self._counters.pool is not None:
            await self._counters.pool.aclose()


@dataclass(frozen=True, slots=True)
class _Counters:
    item: RateLimitItem
    limiter: FixedWindowRateLimiter
    pool: ConnectionPool | None

    @classmethod
    def build(cls, rate: RateLimit, redis_url: str | None) -> _Counters:
        from limits import parse
        from limits.aio.strategies import FixedWindowRateLimiter

        storage, pool = _storage(redis_url)
        return cls(parse(f"{rate.requests}/{rate.unit}"), FixedWindowRateLimiter(storage), pool)


def _storage(redis_url: str | None) -> tuple[Storage, ConnectionPool | None]:
    if redis_url is None:
        from limits.aio.storage import MemoryStorage

        return MemoryStorage(), None
    from limits.aio.storage import RedisStorage
    from redis.asyncio import ConnectionPool

    # Our own pool, so that its timeouts are ours and the app can close it.
    pool = ConnectionPool.from_url(
        redis_url,
        socket_connect_timeout=_REDIS_TIMEOUT_SECONDS,
        socket_timeout=_REDIS_TIMEOUT_SECONDS,
    )
    scheme, _, rest = redis_url.partition("://")
    storage = RedisStorage(
        f"{_ASYNC_SCHEMES[scheme]}://{rest}",
        implementation="redispy",
        key_prefix=REDIS_NAMESPACE,
        wrap_exceptions=True,  # limits.errors.StorageError, whatever the client raised
        # Passed on to redis.asyncio.Redis, as limits documents (its hint says scalars only).
        connection_pool=pool,  # type: ignore[arg-type]
    )
    return storage, pool


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, limiting: RateLimiting) -> None:
        self.app = app
        self.limiting = limiting

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Decided from the scope, before building anything: most requests are
        # reads, which are not limited.
        if not is_limited(scope, self.limiting.opt_key):
            await self.app(scope, receive, send)
            return
        headers = await self._count(cast("HTTPScope", scope))
        await self.app(scope, receive, _with_headers(send, headers))

    async def _count(self, scope: HTTPScope) -> list[tuple[bytes, bytes]]:
        from limits.errors import StorageError

        limiting = self.limiting
        counters = limiting.counters
        caller: Caller = scope["user"]
        key = f"{limiting.counted}:{caller.org_id.value}"
        try:
            allowed = await counters.limiter.hit(counters.item, key)
            window = await counters.limiter.get_window_stats(counters.item, key)
        except StorageError as error:
            extra = {"request_id": request_id_of(scope)}
            log.warning("rate-limit store unreachable: %r", error.storage_error, extra=extra)
            raise DatabaseUnavailable(
                "the rate-limit store cannot be reached; try again shortly"
            ) from None
        reset = max(0, math.ceil(window.reset_time - time.time()))
        headers = {
            "RateLimit-Policy": limiting.policy,
            "RateLimit-Limit": str(limiting.rate.requests),
            "RateLimit-Remaining": str(window.remaining),
            "RateLimit-Reset": str(reset),
        }
        if not allowed:
            RATE_LIMITED_TOTAL.labels(f"{scope['method']} {scope['path_template']}").inc()
            wait = max(1, reset)
            raise TooManyRequestsException(
                detail=f"{limiting.refusal}; retry in {wait} s",
                headers={**headers, "Retry-After": str(wait)},
            )
        return [(name.lower().encode(), value.encode()) for name, value in headers.items()]


def _with_headers(send: Send, headers: list[tuple[bytes, bytes]]) -> Send:
    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", ()), *headers]
        await send(message)

    return send_with_headers
