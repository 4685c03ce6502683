"""A boto3 ``Session`` for a connector, for other Python services in this process
(contract section 9): its credentials are vended by ``vend_credentials`` and
refresh themselves before they expire, through botocore's own
``RefreshableCredentials`` (refreshed 15 minutes before expiry, and again, at
the latest, 10 minutes before), so a job never holds credentials that lapse
mid-way.

boto3 blocks, so use the session from a worker thread (``anyio.to_thread``, a
thread pool), never on the event loop: a refresh runs the use case on the loop
the session was made on, and waits for it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

import boto3
import botocore.session
from botocore.credentials import CredentialProvider, CredentialResolver, RefreshableCredentials

from application.bucketlink import Bucketlink
from application.vend_credentials import WHOLE_PREFIX_READ, VendedCredentials
from domain.identity import Caller
from domain.vending import VendRequest

_METHOD = "bucketlink-vended"
_REFRESH_TIMEOUT_SECONDS = 60.0


class RefreshOnTheEventLoop(RuntimeError):
    """A vended session's credentials were refreshed on the event loop's own thread."""


async def vended_session(
    bucketlink: Bucketlink,
    caller: Caller,
    connector_id: UUID,
    request: VendRequest = WHOLE_PREFIX_READ,
    *,
    time_fetcher: Callable[[], datetime] | None = None,
) -> boto3.Session:
    """A session whose credentials are the connector's, as ``caller`` may have them,
    in the bucket's region. ``time_fetcher`` (tests) is the clock botocore refreshes by."""
    loop = asyncio.get_running_loop()
    first = await bucketlink.vend_credentials(caller, connector_id, request)

    def refresh() -> dict[str, str]:
        if threading.get_ident() == loop_thread:
            raise RefreshOnTheEventLoop(
                "use a vended session from a worker thread: boto3 blocks the event loop"
            )
        vend = bucketlink.vend_credentials(caller, connector_id, request)
        future = asyncio.run_coroutine_threadsafe(vend, loop)
        return _metadata(future.result(timeout=_REFRESH_TIMEOUT_SECONDS))

    loop_thread = threading.get_ident()
    options: dict[str, Any] = {} if time_fetcher is None else {"time_fetcher": time_fetcher}
    held = first.credentials
    credentials = RefreshableCredentials(
        held.access_key_id,
        held.secret_access_key,
        held.session_token,
        held.expiration,
        refresh,
        _METHOD,
        **options,
    )
    core = botocore.session.get_session()
    core.register_component("credential_provider", CredentialResolver([_Fixed(credentials)]))
    return boto3.Session(botocore_session=core, region_name=first.region)


class _Fixed(CredentialProvider):
    METHOD = CANONICAL_NAME = _METHOD

    def __init__(self, credentials: RefreshableCredentials) -> None:
        super().__init__()
        self._credentials = credentials

    def load(self) -> RefreshableCredentials:
        return self._credentials


def _metadata(vended: VendedCredentials) -> dict[str, str]:
    credentials = vended.credentials
    return {
        "access_key": credentials.access_key_id,
        "secret_key": credentials.secret_access_key,
        "token": credentials.session_token,
        "expiry_time": credentials.expiration.isoformat(),
    }
