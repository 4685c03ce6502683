"""The embedded AWS emulator (moto's server) and clients that talk to it as a
chosen account."""

from __future__ import annotations

import logging
import socket
import threading
import time
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any, TypeVar

import boto3
from botocore.client import BaseClient
from botocore.config import Config

from adapters.sandbox import defaults

if TYPE_CHECKING:
    from mypy_boto3_iam import IAMClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sts import STSClient
    from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler

    from adapters.sandbox.trust_gate import TrustGate

log = logging.getLogger(__name__)
_ACCOUNT_HEADER = "x-moto-account-id"
C = TypeVar("C", bound=BaseClient)
# The emulator is local: if it does not answer quickly, it is not there.
_CONFIG = Config(
    connect_timeout=2, read_timeout=15, retries={"mode": "standard", "total_max_attempts": 2}
)


class EmulatorError(RuntimeError):
    pass


class Emulator:
    """moto's server on ``host:port`` in a daemon thread; ``port=0`` picks a free one.

    In front of moto stands the trust gate (``adapters.sandbox.trust_gate``): an
    AssumeRole signed with ``platform_key_id`` is judged as AWS's STS judges
    ``principal_arn``'s, which moto alone does not do.
    """

    def __init__(
        self,
        port: int = defaults.PORT,
        host: str = defaults.HOST,
        *,
        principal_arn: str = defaults.PRINCIPAL_ARN,
        platform_key_id: str = defaults.ACCESS_KEY_ID,
    ) -> None:
        self._host, self._port = host, port
        self._principal_arn, self._platform_key_id = principal_arn, platform_key_id
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def endpoint_url(self) -> str:
        if self._server is None:
            raise EmulatorError("the emulator is not running")
        host, port = self._server.server_address[:2]
        return defaults.endpoint_url(int(port), str(host))

    def start(self, timeout: float = 10.0) -> None:
        # moto logs every request through werkzeug at INFO: noise in a service log.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        from werkzeug.serving import make_server

        _refuse_busy_port(self._host, self._port)
        gate = self._gate()
        server = make_server(
            self._host, self._port, gate, threaded=True, request_handler=_request_handler()
        )
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()
        gate.read_roles_from(self.endpoint_url)
        _wait_until_ready(self.endpoint_url, timeout)
        log.info("AWS emulator listening on %s", self.endpoint_url)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> Emulator:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _gate(self) -> TrustGate:
        # moto's own server app, as ThreadedMotoServer builds it: the one place
        # that reaches past moto's public entry points. Imported here: moto takes
        # most of a second to import, and only a sandbox that starts its emulator
        # needs it (docs/performance.md).
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

        from adapters.sandbox.trust_gate import TrustGate

        return TrustGate(
            DomainDispatcherApplication(create_backend_app),
            platform_key_id=self._platform_key_id,
            principal_arn=self._principal_arn,
        )


def _request_handler() -> type[WSGIRequestHandler]:
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    return MotoRequestHandler


def _refuse_busy_port(host: str, port: int) -> None:
    # werkzeug answers a port it cannot bind with sys.exit, so a busy port is
    # caught here first, where it can be reported.
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise EmulatorError(f"cannot listen on {host}:{port}: {error.strerror}") from None


def _wait_until_ready(endpoint_url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{endpoint_url}/moto-api/", timeout=1):
                return
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                raise EmulatorError(f"the AWS emulator at {endpoint_url} did not answer") from None
            time.sleep(0.05)


def session(region_name: str = defaults.REGION) -> boto3.Session:
    return boto3.Session(
        aws_access_key_id=defaults.ACCESS_KEY_ID,
        aws_secret_access_key=defaults.SECRET_ACCESS_KEY,
        region_name=region_name,
    )


def iam_as(account_id: str, endpoint_url: str, on: boto3.Session | None = None) -> IAMClient:
    client = (on or session()).client("iam", endpoint_url=endpoint_url, config=_CONFIG)
    return act_as(client, account_id)


def s3_as(account_id: str, endpoint_url: str, on: boto3.Session | None = None) -> S3Client:
    client = (on or session()).client("s3", endpoint_url=endpoint_url, config=_CONFIG)
    return act_as(client, account_id)


def sts_as(account_id: str, endpoint_url: str, on: boto3.Session | None = None) -> STSClient:
    client = (on or session()).client("sts", endpoint_url=endpoint_url, config=_CONFIG)
    return act_as(client, account_id)


def act_as(client: C, account_id: str) -> C:
    """``client``'s requests act as ``account_id`` in the emulator."""

    # moto picks the account of a request from this header (server mode).
    def add_header(request: Any, **_: Any) -> None:
        request.headers[_ACCOUNT_HEADER] = account_id

    client.meta.events.register("before-sign.*.*", add_header)
    return client
