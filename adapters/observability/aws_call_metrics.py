"""AWS call latencies, from botocore's own events on a session."""

from __future__ import annotations

import time
from typing import Any

import boto3

from adapters.observability.metrics import AWS_CALL_SECONDS

_STARTED = "bucketlink_started"


def observe_aws_calls(session: boto3.Session) -> None:
    """Time every call of the clients built from ``session``, retries included.
    The outcome tells AWS saying no (``client_error``: a 4xx, often expected, as
    the 404 of HeadBucket on a new name or a customer's denial) from AWS failing
    (``server_error``: a 5xx after retries; ``no_answer``: no response at all)."""
    session.events.register("before-call", _start)
    session.events.register("after-call", _answered)
    session.events.register("after-call-error", _unanswered)


def _start(context: dict[str, Any], **_: Any) -> None:
    context[_STARTED] = time.perf_counter()


def _answered(event_name: str, http_response: Any, context: dict[str, Any], **_: Any) -> None:
    _observe(event_name, context, _outcome(http_response.status_code))


def _unanswered(event_name: str, context: dict[str, Any], **_: Any) -> None:
    _observe(event_name, context, "no_answer")


def _outcome(status: int) -> str:
    if status < 400:
        return "ok"
    return "client_error" if status < 500 else "server_error"


def _observe(event_name: str, context: dict[str, Any], outcome: str) -> None:
    started = context.pop(_STARTED, None)
    if started is None:
        return
    _, service, operation = event_name.split(".", 2)
    AWS_CALL_SECONDS.labels(service, operation, outcome).observe(time.perf_counter() - started)
