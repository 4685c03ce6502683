"""Vended credentials in this process, in a cachetools ``TLRUCache`` whose entries
expire when a quarter of their life is left: a job handed one then has at least
that long before it must ask again (the credential-expires-mid-job complaints
of issue 18's survey are about caches that serve credentials to their end)."""

from __future__ import annotations

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

    def get(self, key: CacheKey) -> SessionCredentials | None:
        entry = self._entries.get(key)
        return None if entry is None else entry.credentials

    def put(self, key: CacheKey, credentials: SessionCredentials) -> None:
        issued = self._now()
        life = credentials.expiration.timestamp() - issued
        self._entries[key] = _Entry(credentials, issued + SERVED_FOR * life)

    def forget(self, connector_id: UUID) -> None:
        for key in [k for k in self._entries if k.connector_id == connector_id]:
            self._entries.pop(key, None)

    def _now(self) -> float:
        return self._clock.now().timestamp()
