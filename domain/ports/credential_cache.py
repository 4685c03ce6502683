from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from domain.ports.credential_vendor import SessionCredentials


@dataclass(frozen=True, slots=True)
class CacheKey:
    connector_id: UUID
    access: str
    prefix: str


class CredentialCache(Protocol):
    """Vended credentials kept in this process only (never a database, Redis or a
    log), served while more than a quarter of their life remains."""

    async def fetch(
        self, key: CacheKey, vend: Callable[[], Awaitable[SessionCredentials]]
    ) -> SessionCredentials:
        """The credentials cached under ``key``, or those ``vend()`` makes: once,
        however many ask for ``key`` at the same time (a miss costs one AssumeRole)."""
        ...

    def forget(self, connector_id: UUID) -> None:
        """Drop every credential of the connector (it was deleted or found unbound);
        one being vended meanwhile is handed out but not kept."""
        ...
