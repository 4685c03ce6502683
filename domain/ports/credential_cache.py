from __future__ import annotations

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

    def get(self, key: CacheKey) -> SessionCredentials | None: ...

    def put(self, key: CacheKey, credentials: SessionCredentials) -> None: ...

    def forget(self, connector_id: UUID) -> None:
        """Drop every credential of the connector (it was deleted or found unbound)."""
        ...
