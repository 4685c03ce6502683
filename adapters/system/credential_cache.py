"""Vended credentials in this process, in a cachetools ``TLRUCache`` whose entries
expire when a quarter of their life is left: a job handed one then has at least
that long before it must ask again (the credential-expires-mid-job complaints
of issue 18's survey are about caches that serve credentials to their end).

Asks for a key that is being vended wait for that vend instead of making their
own: a burst of jobs starting at once costs one AssumeRole, not one each."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID

from cachetools import TLRUCache

from domain.ports.clock import Clock
from domain.ports.credential_cache import CacheKey
from domain.ports.credential_vendor import SessionCredentials

SERVED_FOR = 0.75  # of a credential's life
_MAX_ENTRIES = 10_000


@dataclass(frozen=True, slots=True)
class _Entry:
    credentials: SessionCredentials
    served_until: float


class InProcessCredentialCache:
    def __init__(self, clock: Clock, maxsize: int = _MAX_ENTRIES) -> None:
        self._clock = clock
        self._entries: TLRUCache[CacheKey, _Entry] = TLRUCache(
            maxsize, lambda _key, entry, _now: entry.served_until, timer=self._now
        )
        self._vending: dict[CacheKey, asyncio.Future[SessionCredentials]] = {}
        # Bumped by forget: a vend that started before it is not kept.
        self._generation: dict[UUID, int] = {}

    async def fetch(
        self, key: CacheKey, vend: Callable[[], Awaitable[SessionCredentials]]
    ) -> SessionCredentials:
        found = self.get(key)
        if found is not None:
            return found
        underway = self._vending.get(key)
        if underway is not None:
            return await asyncio.shield(underway)
        return await self._vend(key, vend)

    async def _vend(
        self, key: CacheKey, vend: Callable[[], Awaitable[SessionCredentials]]
    ) -> SessionCredentials:
        generation = self._generation.get(key.connector_id, 0)
        underway: asyncio.Future[SessionCredentials] = asyncio.get_running_loop().create_future()
        self._vending[key] = underway
        try:
            credentials = await vend()
        except BaseException as error:
            underway.set_exception(error)
            underway.exception()  # retrieved: no "never retrieved" warning without waiters
            raise
        finally:
            del self._vending[key]
        if self._generation.get(key.connector_id, 0) == generation:
            self.put(key, credentials)
        underway.set_result(credentials)
        return credentials

    def get(self, key: CacheKey) -> SessionCredentials | None:
        entry = self._entries.get(key)
        return None if entry is None else entry.credentials

    def put(self, key: CacheKey, credentials: SessionCredentials) -> None:
        issued = self._now()
        life = credentials.expiration.timestamp() - issued
        self._entries[key] = _Entry(credentials, issued + SERVED_FOR * life)

    def forget(self, connector_id: UUID) -> None:
        self._generation[connector_id] = self._generation.get(connector_id, 0) + 1
        for key in [k for k in self._entries if k.connector_id == connector_id]:
            self._entries.pop(key, None)

    def _now(self) -> float:
        return self._clock.now().timestamp()
