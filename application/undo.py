"""Compensation: when a later step fails, undo the earlier ones."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

log = logging.getLogger(__name__)


@asynccontextmanager
async def undoing(undo: Callable[[], Awaitable[object]]) -> AsyncIterator[None]:
    """Runs ``undo`` if the block fails, then lets the block's error through.

    If the undo fails too, that is logged (what is left behind must be findable)
    and the original error still wins: it is what the caller needs to know.
    """
    try:
        yield
    except BaseException:
        try:
            await undo()
        except Exception:
            log.exception("could not undo a step; something may be left behind")
        raise
