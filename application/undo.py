"""Compensation: when a later step fails, undo the earlier ones."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

log = logging.getLogger(__name__)


@asynccontextmanager
async def undoing(undo: Callable[[], Awaitable[object]], what: str) -> AsyncIterator[None]:
    """Runs ``undo`` if the block fails, then lets the block's error through.

    If the undo fails too, ``what`` it was meant to do is logged (an operator
    must be able to find what is left), and the original error still wins: it
    is what the caller needs to know.
    """
    try:
        yield
    except BaseException:
        try:
            await undo()
        except Exception:
            log.exception("could not undo after a failure (%s): check it by hand", what)
        raise
