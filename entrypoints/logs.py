"""Logs as JSON lines, one object per event, through structlog.

Every record goes through the standard library's logging, structlog's own
events included: the service's few loggers, botocore's, uvicorn's and
piccolo's all reach the same handlers and filters (``secret_free_logs``), and
one formatter renders them all. Whatever is bound to the request's context
(its ``request_id``) is merged into every line logged while it is served,
on worker threads too (anyio copies the context into them).
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

import msgspec
import structlog

from entrypoints.stdlib_internals import skip_caller_lookup

_SHARED_PROCESSORS: list[structlog.typing.Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def route_structlog_through_logging() -> None:
    """structlog's events become standard ``LogRecord``s (rendered by the
    handler's formatter). Cheap and idempotent: every app calls it, so that no
    event bypasses the handlers, in tests as when serving."""
    if structlog.is_configured():
        return
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED_PROCESSORS,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def _drop_colour_copy(
    _: structlog.typing.WrappedLogger, __: str, event: structlog.typing.EventDict
) -> structlog.typing.EventDict:
    event.pop("color_message", None)  # uvicorn's message again, with terminal colours
    return event


_JSON = msgspec.json.Encoder(enc_hook=repr)


def _json_text(event: structlog.typing.EventDict, **_: object) -> str:
    # msgspec instead of the json module: a fifth of a log line's cost. Anything
    # it cannot encode is written as its repr, as structlog's default does.
    return _JSON.encode(event).decode()


def json_formatter() -> logging.Formatter:
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*_SHARED_PROCESSORS, structlog.stdlib.ExtraAdder(), _drop_colour_copy],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            # A traceback as data, without its frames' locals: they may hold secrets.
            structlog.processors.ExceptionRenderer(
                structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
            ),
            structlog.processors.JSONRenderer(serializer=_json_text),
        ],
    )


def configure_logging(level: str = "INFO", stream: TextIO | None = None) -> logging.Handler:
    """The serving process's logging: JSON lines on stdout at ``level``, from
    every logger. Replaces the root logger's handlers; returns the new one."""
    route_structlog_through_logging()
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(json_formatter())
    # No record walks the stack for its caller's file and line: no line shows them.
    skip_caller_lookup()
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):  # uvicorn's own handlers would print text
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    return handler
