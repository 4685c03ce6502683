"""Newest-first keyset pages, as every store lists: ``created_at`` then ``id``,
both descending, each page starting strictly after the cursor, so ties in
``created_at`` are split by id and no item is seen twice."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol, TypeVar
from uuid import UUID

from domain.pagination import Cursor, Page


class Listed(Protocol):
    @property
    def created_at(self) -> datetime: ...

    @property
    def id(self) -> UUID: ...


ListedT = TypeVar("ListedT", bound=Listed)


def newest_first_after(items: Iterable[ListedT], after: Cursor | None) -> list[ListedT]:
    """What a store holds, in listing order, from just past ``after`` on."""
    later = (i for i in items if after is None or _position(i) < (after.created_at, after.id))
    return sorted(later, key=_position, reverse=True)


def page_of(newest_first: Sequence[ListedT], limit: int) -> Page[ListedT]:
    """The first ``limit`` items; a cursor only if more follow (so a store fetches
    ``limit + 1`` to know)."""
    items = tuple(newest_first[:limit])
    if len(newest_first) <= limit:
        return Page(items, None)
    return Page(items, Cursor(items[-1].created_at, items[-1].id))


def _position(item: Listed) -> tuple[datetime, UUID]:
    return item.created_at, item.id
