"""A CredentialVendor that counts and logs each vend of the one it wraps, and a
CredentialCache that counts its hits and misses.

A vend's log line names the role, the session (which names the organisation
and the connector, as the customer's CloudTrail shows it) and the expiry; never
a key, the session token or the external id."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID

import structlog

from adapters.observability.metrics import VEND_CACHE, VENDS
from domain.errors import AwsUnavailable, ProbeFailed
from domain.ports.credential_cache import CacheKey, CredentialCache
from domain.ports.credential_vendor import CredentialVendor, SessionCredentials, SessionRequest

log = structlog.get_logger("bucketlink.vend")


class ObservedCredentialVendor:
    def __init__(self, inner: CredentialVendor) -> None:
        self._inner = inner

    async def vend(self, request: SessionRequest) -> SessionCredentials:
        vending = log.bind(
            role_arn=str(request.role),
            session_name=request.session_name,
            duration_seconds=request.duration_seconds,
        )
        try:
            credentials = await self._inner.vend(request)
        except AwsUnavailable as error:
            VENDS.labels(AwsUnavailable.code).inc()
            vending.warning("credentials vended", outcome=AwsUnavailable.code, detail=error.detail)
            raise
        except ProbeFailed as error:
            VENDS.labels(str(error.code)).inc()
            vending.info("credentials vended", outcome=str(error.code), detail=error.detail)
            raise
        VENDS.labels("issued").inc()
        vending.info(
            "credentials vended",
            outcome="issued",
            expiration=credentials.expiration.isoformat(),
        )
        return credentials


class CountedCredentialCache:
    def __init__(self, inner: CredentialCache) -> None:
        self._inner = inner

    async def fetch(
        self, key: CacheKey, vend: Callable[[], Awaitable[SessionCredentials]]
    ) -> SessionCredentials:
        vended = False

        async def counted() -> SessionCredentials:
            nonlocal vended
            vended = True
            return await vend()

        credentials = await self._inner.fetch(key, counted)
        # Whoever waited on another's vend was served without one of its own: a hit.
        VEND_CACHE.labels("miss" if vended else "hit").inc()
        return credentials

    def forget(self, connector_id: UUID) -> None:
        self._inner.forget(connector_id)
