"""The embedded AWS emulator (moto's server) and clients that talk to it as a
chosen account."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import boto3
from botocore.config import Config

from adapters.aws.session import SharedSession
from adapters.sandbox import defaults
from adapters.sandbox.callers import PlatformKey
from domain.account_id import AccountId
from domain.bucket_naming import BucketPrefix
from domain.platform_policy import platform_principal_policy

if TYPE_CHECKING:
    import ssl

    from mypy_boto3_iam import IAMClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sts import STSClient
    from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler

    from adapters.sandbox.gateway import Gateway

log = logging.getLogger(__name__)
# The emulator is local: if it does not answer quickly, it is not there.
_CONFIG = Config(
    connect_timeout=2, read_timeout=15, retries={"mode": "standard", "total_max_attempts": 2}
)


class EmulatorError(RuntimeError):
    pass


class Emulator:
    """moto's server behind bucketlink's gateway, in daemon threads: plain HTTP on
    ``port`` and HTTPS on ``port + 1`` (``port=0`` picks a free pair).

    The gateway (``adapters.sandbox.gateway``) authenticates and authorises every
    request as AWS would; moto only stores. ``platform_key_id`` and
    ``platform_secret`` are the platform's key, standing for a session of the role
    ``principal_arn``, which the emulator makes in the platform's account with
    ``platform_policy`` (default: the operator guide's, for the sandbox's prefix
    and boundary), so the service is confined in the sandbox as on AWS.
    """

    def __init__(
        self,
        port: int = defaults.PORT,
        host: str = defaults.HOST,
        *,
        principal_arn: str = defaults.PRINCIPAL_ARN,
        platform_key_id: str = defaults.ACCESS_KEY_ID,
        platform_secret: str = defaults.SECRET_ACCESS_KEY,
        tls_directory: Path | str = defaults.TLS_DIRECTORY,
        platform_policy: Mapping[str, Any] | None = None,
    ) -> None:
        self._host, self._port = host, port
        self._platform = PlatformKey(platform_key_id, platform_secret, principal_arn)
        self._platform_policy = platform_policy or default_platform_policy(principal_arn)
        self._tls_directory = Path(tls_directory)
        self._servers: list[BaseWSGIServer] = []
        self._threads: list[threading.Thread] = []
        self._ca_bundle: Path | None = None

    @property
    def endpoint_url(self) -> str:
        """The plain-HTTP endpoint (contract section 8's AWS_ENDPOINT_URL)."""
        return defaults.endpoint_url(self._bound_port(), self._host)

    @property
    def https_endpoint_url(self) -> str:
        return defaults.https_endpoint_url(self._bound_port(), self._host)

    @property
    def ca_bundle(self) -> Path:
        """The CA that verifies the HTTPS endpoint (for AWS_CA_BUNDLE)."""
        if self._ca_bundle is None:
            raise EmulatorError("the emulator is not running")
        return self._ca_bundle

    def _bound_port(self) -> int:
        if not self._servers:
            raise EmulatorError("the emulator is not running")
        return int(self._servers[0].server_address[1])

    def start(self, timeout: float = 10.0) -> None:
        # moto logs every request through werkzeug at INFO: noise in a service log.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        from adapters.sandbox.tls import ensure_tls_files, server_context

        files = ensure_tls_files(self._tls_directory, (self._host, "localhost"))
        self._ca_bundle = files.ca_certificate.resolve()
        gateway = self._gateway()
        plain_port = free_port_pair(self._host) if self._port == 0 else self._port
        _refuse_busy_port(self._host, plain_port)
        _refuse_busy_port(self._host, plain_port + 1)
        self._serve(gateway, plain_port, None)
        self._serve(gateway, plain_port + 1, server_context(files))
        _wait_until_ready(self.endpoint_url, timeout)
        _make_platform_role(self._platform, self._platform_policy)
        log.info("AWS emulator listening on %s and %s", self.endpoint_url, self.https_endpoint_url)

    def _serve(self, gateway: Gateway, port: int, tls: ssl.SSLContext | None) -> None:
        from werkzeug.serving import make_server

        server = make_server(
            self._host,
            port,
            gateway,
            threaded=True,
            request_handler=_request_handler(),
            ssl_context=tls,
        )
        self._servers.append(server)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join()
        self._servers, self._threads = [], []

    def __enter__(self) -> Emulator:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _gateway(self) -> Gateway:
        # moto's own server app, as ThreadedMotoServer builds it: the one place
        # that reaches past moto's public entry points. Imported here: moto takes
        # most of a second to import, and only a sandbox that starts its emulator
        # needs it (docs/performance.md).
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

        from adapters.sandbox.gateway import Gateway

        return Gateway(
            DomainDispatcherApplication(create_backend_app), self._platform, self._describe
        )

    def _describe(self, account: str) -> dict[str, str]:
        return {
            "endpoint_url": self.https_endpoint_url,
            "ca_bundle": str(self.ca_bundle),
            "region": defaults.REGION,
        }


def default_platform_policy(principal_arn: str = defaults.PRINCIPAL_ARN) -> dict[str, Any]:
    """The operator guide's policy for the platform role, with the sandbox's
    bucket prefix and managed roles' boundary in the principal's account."""
    account = AccountId(principal_arn.split(":")[4])
    boundary = defaults.ROLE_BOUNDARY_ARN.replace(defaults.PLATFORM_ACCOUNT_ID, str(account))
    return platform_principal_policy(account, BucketPrefix(), boundary)


def _make_platform_role(platform: PlatformKey, policy: Mapping[str, Any]) -> None:
    from adapters.sandbox import moto_state

    # Assumable by its own account, as an instance or task role is by the service.
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{platform.account}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    moto_state.ensure_role(platform.principal_arn, trust, policy)


def _request_handler() -> type[WSGIRequestHandler]:
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    from adapters.sandbox.gateway import TLS_VERSION

    class TlsAwareHandler(MotoRequestHandler):
        # The status line, headers and body leave in separate writes (TLS
        # records over HTTPS): with Nagle's algorithm each waits for the
        # client's delayed ACK, which cost ~15 ms a call (bench.sandbox_gateway).
        disable_nagle_algorithm = True

        def make_environ(self) -> dict[str, Any]:
            environ: dict[str, Any] = super().make_environ()
            version = getattr(self.connection, "version", None)
            if callable(version):
                # "TLSv1.3" -> "1.3": the form of s3:TlsVersion.
                environ[TLS_VERSION] = str(version()).removeprefix("TLSv")
            return environ

    return TlsAwareHandler


def free_port_pair(host: str = defaults.HOST) -> int:
    """A port that is free, with the next one free too."""
    for _ in range(50):
        with socket.socket() as first:
            first.bind((host, 0))
            port = int(first.getsockname()[1])
        try:
            _refuse_busy_port(host, port + 1)
            _refuse_busy_port(host, port)
        except EmulatorError:
            continue
        return port
    raise EmulatorError("no two consecutive free ports")


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
            with urllib.request.urlopen(f"{endpoint_url}/_bucketlink/ready", timeout=1):
                return
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                raise EmulatorError(f"the AWS emulator at {endpoint_url} did not answer") from None
            time.sleep(0.05)


def session(
    region_name: str = defaults.REGION, ca_bundle: Path | str | None = None
) -> boto3.Session:
    """The platform's session in the emulator; ``ca_bundle`` for its HTTPS endpoint."""
    return _session(defaults.ACCESS_KEY_ID, defaults.SECRET_ACCESS_KEY, region_name, ca_bundle)


def _session(
    key_id: str, secret: str, region_name: str, ca_bundle: Path | str | None
) -> SharedSession:
    made = SharedSession(
        aws_access_key_id=key_id, aws_secret_access_key=secret, region_name=region_name
    )
    if ca_bundle is not None:
        made.botocore_session.set_config_variable("ca_bundle", str(ca_bundle))
    return made


@dataclass(frozen=True, slots=True)
class SandboxCredentials:
    """An administrator of one account in the emulator: contract section 8's JSON."""

    aws_access_key_id: str
    aws_secret_access_key: str
    endpoint_url: str
    ca_bundle: str
    region: str

    def session(self) -> SharedSession:
        return _session(
            self.aws_access_key_id, self.aws_secret_access_key, self.region, self.ca_bundle
        )

    def as_json(self) -> dict[str, str]:
        return {
            "aws_access_key_id": self.aws_access_key_id,
            "aws_secret_access_key": self.aws_secret_access_key,
            "endpoint_url": self.endpoint_url,
            "ca_bundle": self.ca_bundle,
            "region": self.region,
        }


def administrator(endpoint_url: str, account_id: str) -> SandboxCredentials:
    """Credentials of ``account_id``'s administrator, made by the emulator on first use."""
    base = _plain_endpoint(endpoint_url)
    request = urllib.request.Request(
        f"{base}/_bucketlink/credentials?account={account_id}", method="POST", data=b""
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            body = json.loads(answer.read())
    except urllib.error.HTTPError as error:
        raise EmulatorError(f"the emulator refused credentials: {error.read().decode()}") from None
    except (urllib.error.URLError, OSError) as error:
        raise EmulatorError(f"the AWS emulator at {base} did not answer: {error}") from None
    return SandboxCredentials(**body)


def _plain_endpoint(endpoint_url: str) -> str:
    # The gateway's own paths are served on both; the plain one needs no CA.
    parts = urllib.parse.urlsplit(endpoint_url)
    if parts.scheme != "https" or parts.port is None:
        return endpoint_url.rstrip("/")
    return f"http://{parts.hostname}:{parts.port - 1}"


class _Administrators:
    """Administrator sessions per (endpoint, account), made once; building clients
    from a shared session is not thread-safe, so it is serialised here."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[tuple[str, str], tuple[SandboxCredentials, SharedSession]] = {}

    def client(self, service: str, account_id: str, endpoint_url: str) -> Any:
        with self._lock:
            key = (_plain_endpoint(endpoint_url), account_id)
            if key not in self._sessions:
                credentials = administrator(endpoint_url, account_id)
                self._sessions[key] = (credentials, credentials.session())
            credentials, made = self._sessions[key]
            client: Any = made.client(
                service,
                endpoint_url=credentials.endpoint_url,
                config=_CONFIG,
            )
            return client


_ADMINISTRATORS = _Administrators()


def client_as(service: str, account_id: str, endpoint_url: str) -> Any:
    """A client of ``service`` signed by ``account_id``'s administrator, on the
    emulator's HTTPS endpoint."""
    return _ADMINISTRATORS.client(service, account_id, endpoint_url)


def iam_as(account_id: str, endpoint_url: str) -> IAMClient:
    return cast("IAMClient", client_as("iam", account_id, endpoint_url))


def s3_as(account_id: str, endpoint_url: str) -> S3Client:
    return cast("S3Client", client_as("s3", account_id, endpoint_url))


def sts_as(account_id: str, endpoint_url: str) -> STSClient:
    return cast("STSClient", client_as("sts", account_id, endpoint_url))
