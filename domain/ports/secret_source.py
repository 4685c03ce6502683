from __future__ import annotations

from typing import Protocol

from domain.external_id import ExternalId


class SecretSource(Protocol):
    def new_external_id(self) -> ExternalId:
        """A fresh, unguessable external id: at least 32 characters of [A-Za-z0-9-]."""
        ...
