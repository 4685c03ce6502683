"""Every log record the process emits, however logging was configured.

The app configures logging when it starts (a dictConfig that replaces the root
logger's handlers, pytest's ``caplog`` among them), and some loggers keep their
records to themselves (``propagate = False``), so this handler is attached to
the root logger and to every logger that does not propagate, once the app runs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from entrypoints.logs import json_formatter


class CapturedLogs(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self._formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        self._json = json_formatter()  # what ``serve`` writes: context and extras merged in
        self._paused = False

    def emit(self, record: logging.LogRecord) -> None:
        if not self._paused:
            self.records.append(record)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Records nothing meanwhile: for what the test itself does (setting up a
        customer in the emulator, say), whose logs are not the service's."""
        self._paused = True
        try:
            yield
        finally:
            self._paused = False

    def text_of(self, record: logging.LogRecord) -> str:
        """All a log handler could write of ``record``: its message with the
        arguments put in, the arguments themselves, any extra attributes, the
        formatted exception and stack, and the JSON line the service writes."""
        return "\n".join(
            (
                self._formatter.format(record),
                repr(record.args),
                repr(vars(record)),
                self._json.format(record),
            )
        )

    def with_request_id(self, request_id: str) -> list[logging.LogRecord]:
        return [r for r in self.records if getattr(r, "request_id", None) == request_id]


@contextmanager
def every_log(level: int = logging.DEBUG) -> Iterator[CapturedLogs]:
    """Captures records at ``level`` and above from every logger: each logger's
    own level is lowered to ``level`` for the duration, so that no library's
    choice of level hides a record either."""
    handler = CapturedLogs()
    root = logging.getLogger()
    loggers = [root] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    levels = {logger: logger.level for logger in loggers}
    attached = [root] + [logger for logger in loggers if not logger.propagate]
    for logger in loggers:
        if logger is root or logger.level != logging.NOTSET:  # NOTSET: the root's
            logger.setLevel(min(logger.level or level, level))
    for logger in attached:
        logger.addHandler(handler)
    try:
        yield handler
    finally:
        for logger in attached:
            logger.removeHandler(handler)
        for logger, old in levels.items():
            logger.setLevel(old)
