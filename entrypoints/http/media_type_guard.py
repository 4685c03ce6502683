"""A route that takes a body takes JSON: a body labelled as anything else (a
form, text, XML) is refused with 415, not parsed as JSON regardless of what
the client said it sent. A body sent with no ``Content-Type`` is read as JSON."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from domain.error_codes import ErrorCode
from entrypoints.http.problems import problem


def is_json(content_type: str) -> bool:
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


async def require_json_bodies(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    # async although it awaits nothing: Litestar runs a sync guard on a worker
    # thread, a thread hop on every request (docs/performance.md).
    content_type = connection.headers.get("content-type")
    if handler.parsed_data_field is None or content_type is None or is_json(content_type):
        return
    raise problem(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json")
