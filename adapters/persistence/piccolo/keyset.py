"""The newest-first keyset listing as a piccolo query (see ``keyset_pages``)."""

from __future__ import annotations

from typing import TypeVar

from piccolo.columns import UUID, Timestamptz
from piccolo.query.methods.select import Select
from piccolo.table import Table

from adapters.persistence.stored_time import utc
from domain.pagination import Cursor

TableT = TypeVar("TableT", bound=Table)


def newest_first(
    query: Select[TableT], created_at: Timestamptz, id_: UUID, after: Cursor | None
) -> Select[TableT]:
    """``query`` in listing order, from strictly after ``after`` on. The filter and
    the order go together: the condition is right for this order only."""
    if after is not None:
        # SQLite compares the times as text, which orders them right because
        # piccolo writes every aware time in UTC in one format ('+' sorts before
        # '.', so a whole second comes before its fractions).
        moment = utc(after.created_at)
        query = query.where((created_at < moment) | ((created_at == moment) & (id_ < after.id)))
    return query.order_by(created_at, id_, ascending=False)
