"""The process's one boto3 session."""

from __future__ import annotations

import threading
from typing import Any

import boto3
import botocore.session
from botocore.loaders import Loader

from adapters.system.secret_free_logs import drop_debug_records

# botocore's loggers that write whole requests and responses at DEBUG.
_WIRE_LOGGERS = ("botocore.endpoint", "botocore.parsers", "botocore.auth")


class SharedSession(boto3.Session):
    """A boto3 session every component may build clients from, from any thread.

    boto3 sessions are not thread-safe while they build clients (the clients
    themselves are), so building is serialised here, once for the process,
    instead of each component keeping a session and a lock of its own.
    """

    def __init__(
        self, *, botocore_session: botocore.session.Session | None = None, **kwargs: Any
    ) -> None:
        # Kept, so that other botocore sessions can share what it loaded
        # (boto3 keeps its own reference private).
        self.botocore_session = botocore_session or botocore.session.get_session()
        super().__init__(botocore_session=self.botocore_session, **kwargs)
        self._building = threading.Lock()
        # They would log external ids and session credentials (see the module).
        drop_debug_records(*_WIRE_LOGGERS)

    @property
    def data_loader(self) -> Loader:
        """The loader of the service models, which keeps each model it loads."""
        loader: Loader = self.botocore_session.get_component("data_loader")
        return loader

    def client(self, *args: Any, **kwargs: Any) -> Any:
        with self._building:
            return super().client(*args, **kwargs)
