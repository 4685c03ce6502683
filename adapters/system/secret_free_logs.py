"""Some libraries log secrets at DEBUG; their DEBUG records are dropped at the
logger that makes them.

botocore logs each request and response whole (``botocore.endpoint``,
``botocore.parsers``, ``botocore.auth``): the external id an AssumeRole sends
and the IAM trust policies it reads, the session credentials in AssumeRole's
answer and in every signed request after it. aiosqlite logs each statement it
runs with its parameters, external ids among them. An operator who turns DEBUG
on must still not find them in the service's logs. A filter on the library's
own logger drops them before any handler sees them, and, unlike a logger level,
stays when logging is configured (or a level lowered) later.
"""

from __future__ import annotations

import logging


class _DropDebugRecords(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


_DROP_DEBUG = _DropDebugRecords()


def drop_debug_records(*logger_names: str) -> None:
    """Idempotent: the filter goes on each named logger once."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if _DROP_DEBUG not in logger.filters:
            logger.addFilter(_DROP_DEBUG)
