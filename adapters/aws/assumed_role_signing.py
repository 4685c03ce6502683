"""One S3 client for every probe, signing with the credentials of the probe
that is running in the current context.

Building a boto3 client costs milliseconds of pure Python under the GIL; one per
probe made 64 concurrent probes queue for the interpreter and stalled the event
loop (docs/performance.md). botocore reads credentials when it signs each
request, so a single client can sign as whichever role the calling probe
assumed: the probe sets its credentials in a context variable around its calls
(``signing_as``), and the client's credential object reads them from there.
Contexts are per thread and per task, so concurrent probes never see each
other's credentials, and outside ``signing_as`` signing fails: the client has
no credentials of its own to fall back on, least of all the platform's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.credentials import (
    CredentialProvider,
    CredentialResolver,
    Credentials,
    ReadOnlyCredentials,
)
from botocore.exceptions import NoCredentialsError

from adapters.aws.session import SharedSession

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sts.type_defs import CredentialsTypeDef

_CURRENT: ContextVar[ReadOnlyCredentials | None] = ContextVar("assumed_role", default=None)


@contextmanager
def signing_as(credentials: CredentialsTypeDef) -> Iterator[None]:
    """Sign this context's requests of ``assumed_role_s3_client`` with ``credentials``."""
    token = _CURRENT.set(
        ReadOnlyCredentials(
            credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"]
        )
    )
    try:
        yield
    finally:
        _CURRENT.reset(token)


_METHOD = "bucketlink-assumed-role"


class _CurrentAssumedRole(Credentials):
    """botocore's credentials interface over ``_CURRENT``. botocore's request
    signer reads credentials through ``get_frozen_credentials`` only, once per
    request (as ``RefreshableCredentials`` relies on); the empty keys given to
    ``Credentials`` are never used to sign."""

    def __init__(self) -> None:
        super().__init__(access_key="", secret_key="", method=_METHOD)

    def get_frozen_credentials(self) -> ReadOnlyCredentials:
        current = _CURRENT.get()
        if current is None:
            raise NoCredentialsError()
        return current


class _CurrentAssumedRoleProvider(CredentialProvider):
    METHOD = CANONICAL_NAME = _METHOD

    def load(self) -> Credentials:
        return _CurrentAssumedRole()


def assumed_role_s3_client(
    platform: boto3.Session, *, region_name: str, endpoint_url: str | None, config: Config
) -> S3Client:
    """An S3 client that signs only inside ``signing_as``.

    Credentials belong to a botocore session, so the client gets a session of its
    own whose only credential source is the current probe's: the platform's
    credentials can never sign a probe's call. It shares the platform session's
    events, so what is registered there (botocore's own handlers, which that
    session installed, and any test's or emulator's hooks) applies to it too.
    """
    core: Any = botocore.session.Session(
        event_hooks=platform.events, include_builtin_handlers=False
    )
    core.register_component(
        "credential_provider", CredentialResolver([_CurrentAssumedRoleProvider()])
    )
    if isinstance(platform, SharedSession):
        # The service models loaded once for the process, not again (0.1 s of start-up).
        core.register_component("data_loader", platform.data_loader)
        # The CA the platform verifies its endpoint with (the sandbox's own), if any.
        ca_bundle = platform.botocore_session.get_config_variable("ca_bundle")
        if ca_bundle is not None:
            core.set_config_variable("ca_bundle", ca_bundle)
    client: S3Client = core.create_client(
        "s3", region_name=region_name, endpoint_url=endpoint_url, config=config
    )
    return client
