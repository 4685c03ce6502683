from __future__ import annotations

from typing import TypeVar, cast

from piccolo.table import Table

from adapters.persistence.piccolo.engine import DatabaseEngine

TableT = TypeVar("TableT", bound=Table)

# piccolo keeps every Table subclass ever made in a global registry, so each
# (table, engine) pair is bound once, however many repositories are built.
_bound: dict[tuple[type[Table], DatabaseEngine], type[Table]] = {}


def bound_to(table: type[TableT], engine: DatabaseEngine) -> type[TableT]:
    """A subclass of ``table`` whose queries always run on ``engine``.

    piccolo tables otherwise find their engine through the global
    ``piccolo_conf``; binding lets SQLite and PostgreSQL serve side by side in
    one process (tests do), and keeps a repository on the database it was given.
    """
    key = (table, engine)
    if key not in _bound:
        _bound[key] = type(table.__name__, (table,), {}, tablename=table._meta.tablename, db=engine)
    return cast("type[TableT]", _bound[key])
