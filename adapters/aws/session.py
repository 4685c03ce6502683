"""The process's one boto3 session."""

from __future__ import annotations

import threading
from typing import Any

import boto3

from adapters.system.secret_free_logs import drop_debug_records

# botocore's loggers that write whole requests and responses at DEBUG.
_WIRE_LOGGERS = ("botocore.endpoint", "botocore.parsers", "botocore.auth")


class SharedSession(boto3.Session):
    """A boto3 session every component may build clients from, from any thread.

    boto3 sessions are not thread-safe while they build clients (the clients
    themselves are), so building is serialised here, once for the process,
    instead of each component keeping a session and a lock of its own.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._building = threading.Lock()
        # They would log external ids and session credentials (see the module).
        drop_debug_records(*_WIRE_LOGGERS)

    def client(self, *args: Any, **kwargs: Any) -> Any:
        with self._building:
            return super().client(*args, **kwargs)
