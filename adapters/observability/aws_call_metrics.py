"""AWS call latencies, from botocore's own events on a session."""

from __future__ import annotations

import time
from typing import Any

import boto3

from adapters.observability.metrics import AWS_CALL_SECONDS

_STARTED = "bucketlink_started"


def observe_aws_calls(session: boto3.Session) -> None:
    """Time every call of the clients built from ``session``, retries included:
    an answer with an error status, or no answer at all, counts as ``error``."""
    session.events.register("before-call", _start)
    session.events.register("after-call", _answered)
    session.events.register("after-call-error", _unanswered)


def _start(context: dict[str, Any], **_: Any) -> None:
    context[_STARTED] = time.perf_counter()


def _answered(event_name: str, http_response: Any, context: dict[str, Any], **_: Any) -> None:
    _observe(event_name, context, "ok" if http_response.status_code < 300 else "error")


def _unanswered(event_name: str, context: dict[str, Any], **_: Any) -> None:
    _observe(event_name, context, "error")


def _observe(event_name: str, context: dict[str, Any], outcome: str) -> None:
    started = context.pop(_STARTED, None)
    if started is None:
        return
    _, service, operation = event_name.split(".", 2)
    AWS_CALL_SECONDS.labels(service, operation, outcome).observe(time.perf_counter() - started)
