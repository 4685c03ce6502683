from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar
from uuid import UUID

from domain.errors import InvalidField

T = TypeVar("T")

MAX_LIMIT = 200
DEFAULT_LIMIT = 50


@dataclass(frozen=True, slots=True)
class Cursor:
    """A position in a newest-first listing: the last item seen. Opaque to clients."""

    created_at: datetime
    id: UUID

    def encode(self) -> str:
        raw = f"{self.created_at.isoformat()}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            created_at, _, id_text = raw.partition("|")
            moment = datetime.fromisoformat(created_at)
            if moment.tzinfo is None:
                raise ValueError("a cursor's time names its offset")
            # In UTC now: a crafted time at the calendar's edge (9999-12-31
            # at -23:59) overflows here, not in the database query.
            return cls(moment.astimezone(UTC), UUID(id_text))
        except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError):
            raise InvalidField("cursor", "is not a cursor this service gave out") from None


@dataclass(frozen=True, slots=True)
class PageRequest:
    limit: int = DEFAULT_LIMIT
    after: Cursor | None = None

    def __post_init__(self) -> None:
        if (
            isinstance(self.limit, bool)
            or not isinstance(self.limit, int)
            or not 1 <= self.limit <= MAX_LIMIT
        ):
            raise InvalidField("limit", f"must be between 1 and {MAX_LIMIT}")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    next_cursor: Cursor | None
