"""The process's one boto3 session."""

from __future__ import annotations

import threading
from typing import Any

import boto3


class SharedSession(boto3.Session):
    """A boto3 session every component may build clients from, from any thread.

    boto3 sessions are not thread-safe while they build clients (the clients
    themselves are), so building is serialised here, once for the process,
    instead of each component keeping a session and a lock of its own.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._building = threading.Lock()

    def client(self, *args: Any, **kwargs: Any) -> Any:
        with self._building:
            return super().client(*args, **kwargs)
