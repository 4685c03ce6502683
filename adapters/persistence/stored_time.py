"""Times as every store keeps them: aware, in UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC. A naive time is refused: which instant it means is a guess
    (PostgreSQL and SQLite would each guess differently)."""
    if moment.tzinfo is None:
        raise ValueError("a stored time must be timezone-aware")
    return moment.astimezone(UTC)
