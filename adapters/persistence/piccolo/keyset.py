"""The newest-first keyset listing as one parameterised query (see ``keyset_pages``).

Written out rather than built with piccolo's query builder: building the
select cost a page of 50 more than the query itself (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from piccolo.query.methods.raw import Raw
from piccolo.table import Table

from adapters.persistence.stored_time import utc
from domain.pagination import Cursor


def newest_first(
    table: type[Table], equal: Mapping[str, Any], after: Cursor | None, limit: int
) -> Raw:
    """At most ``limit`` rows of ``table`` whose columns equal ``equal`` (column
    names from code, never from a request), in listing order, from strictly
    after ``after`` on. The filter and the order go together: the condition is
    right for this order only."""
    conditions = [f"{column} = {{}}" for column in equal]
    values = list(equal.values())
    if after is not None:
        # SQLite compares the times as text, which orders them right because
        # piccolo writes every aware time in UTC in one format ('+' sorts before
        # '.', so a whole second comes before its fractions).
        moment = utc(after.created_at)
        conditions.append("(created_at < {} OR (created_at = {} AND id < {}))")
        values += [moment, moment, after.id]
    query = (
        f"SELECT * FROM {table._meta.tablename} WHERE {' AND '.join(conditions)}"
        " ORDER BY created_at DESC, id DESC LIMIT {}"
    )
    return table.raw(query, *values, limit)
