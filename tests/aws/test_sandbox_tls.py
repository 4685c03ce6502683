"""The sandbox's TLS material: made once, kept while good, remade when not (the CA
only when it is itself unusable), and good enough for a real handshake with a client
trusting nothing but ``ca.pem``, boto3 among them."""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import ssl
import stat
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID

from adapters.sandbox.tls import TlsFiles, ensure_tls_files, server_context

NOW = dt.datetime.now(dt.UTC)


def contents(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def certificates(path: Path) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(path.read_bytes())


# Made once, then kept


def test_the_files_are_made_on_the_first_call_and_kept_on_the_second(tmp_path: Path) -> None:
    first = ensure_tls_files(tmp_path)
    made = contents(tmp_path)

    second = ensure_tls_files(tmp_path)

    assert first == second
    assert first.ca_certificate == tmp_path / "ca.pem"
    assert contents(tmp_path) == made
    assert set(made) == {"ca.pem", "ca-key.pem", "server.pem", "server-key.pem", "tls.lock"}


def test_only_the_owner_may_read_the_private_keys(tmp_path: Path) -> None:
    files = ensure_tls_files(tmp_path)

    assert stat.S_IMODE(files.private_key.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "ca-key.pem").stat().st_mode) == 0o600
    assert stat.S_IMODE(files.ca_certificate.stat().st_mode) == 0o644


def test_the_ca_may_sign_servers_only_and_the_leaf_serves_every_host(tmp_path: Path) -> None:
    files = ensure_tls_files(tmp_path, ("127.0.0.1", "localhost", "::1"))
    leaf, ca = certificates(files.certificate)

    assert certificates(files.ca_certificate) == [ca]
    constraints = ca.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca and constraints.value.path_length == 0
    assert ca.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    usages = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(usages) == [ExtendedKeyUsageOID.SERVER_AUTH]
    names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    assert sorted(map(str, names.get_values_for_type(x509.IPAddress))) == ["127.0.0.1", "::1"]
    for certificate in (leaf, ca):
        key = certificate.public_key()
        assert isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1"


def test_a_single_label_wildcard_is_refused_since_no_client_matches_it(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="wildcard"):
        ensure_tls_files(tmp_path, ("127.0.0.1", "*.localhost"))
    with pytest.raises(ValueError, match="host"):
        ensure_tls_files(tmp_path, ())


# Remade when no longer good


@pytest.mark.parametrize(
    "made_at",
    [NOW - dt.timedelta(days=400), NOW - dt.timedelta(days=364, hours=12)],
    ids=["expired", "expiring-within-a-day"],
)
def test_an_old_server_certificate_is_remade_and_the_ca_kept(
    tmp_path: Path, made_at: dt.datetime
) -> None:
    ensure_tls_files(tmp_path, now=made_at)
    before = contents(tmp_path)

    files = ensure_tls_files(tmp_path)

    after = contents(tmp_path)
    assert after["ca.pem"] == before["ca.pem"] and after["ca-key.pem"] == before["ca-key.pem"]
    assert after["server.pem"] != before["server.pem"]
    assert after["server-key.pem"] != before["server-key.pem"]
    assert certificates(files.certificate)[0].not_valid_after_utc > NOW + dt.timedelta(days=300)


def test_a_server_certificate_missing_a_host_is_remade_and_the_ca_kept(tmp_path: Path) -> None:
    ensure_tls_files(tmp_path, ("localhost",))
    before = contents(tmp_path)

    files = ensure_tls_files(tmp_path, ("127.0.0.1", "localhost"))

    after = contents(tmp_path)
    assert after["ca.pem"] == before["ca.pem"]
    assert after["server.pem"] != before["server.pem"]
    assert handshake(files, "127.0.0.1") == b"hello"


def test_a_server_certificate_covering_more_hosts_than_asked_is_kept(tmp_path: Path) -> None:
    ensure_tls_files(tmp_path)
    before = contents(tmp_path)

    ensure_tls_files(tmp_path, ("LOCALHOST",))

    assert contents(tmp_path) == before


@pytest.mark.parametrize("damaged", ["ca.pem", "ca-key.pem"])
@pytest.mark.parametrize("damage", [b"", b"-----BEGIN CERTIFICATE-----\nnot base64"])
def test_a_corrupt_ca_is_remade_and_the_server_signed_again(
    tmp_path: Path, damaged: str, damage: bytes
) -> None:
    ensure_tls_files(tmp_path)
    before = contents(tmp_path)
    (tmp_path / damaged).write_bytes(damage)

    files = ensure_tls_files(tmp_path)

    after = contents(tmp_path)
    assert after["ca.pem"] != before["ca.pem"]
    assert after["server.pem"] != before["server.pem"]
    assert handshake(files, "localhost") == b"hello"


def test_a_ca_with_another_key_is_remade(tmp_path: Path) -> None:
    ensure_tls_files(tmp_path / "one")
    ensure_tls_files(tmp_path / "two")
    (tmp_path / "one" / "ca-key.pem").write_bytes((tmp_path / "two" / "ca-key.pem").read_bytes())
    before = contents(tmp_path / "one")

    files = ensure_tls_files(tmp_path / "one")

    assert contents(tmp_path / "one")["ca.pem"] != before["ca.pem"]
    assert handshake(files, "127.0.0.1") == b"hello"


@pytest.mark.parametrize("trial", range(5))
def test_two_threads_starting_at_once_agree_on_one_set_of_files(tmp_path: Path, trial: int) -> None:
    # Several trials, since one race may interleave harmlessly by luck.
    barrier = threading.Barrier(2)

    def start() -> dict[str, bytes]:
        barrier.wait()
        files = ensure_tls_files(tmp_path)
        server_context(files)  # the chain and key it was given are one pair
        return contents(tmp_path)

    with ThreadPoolExecutor(2) as pool:
        seen = [future.result() for future in [pool.submit(start), pool.submit(start)]]

    assert seen[0] == seen[1] == contents(tmp_path)
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".")]
    assert handshake(ensure_tls_files(tmp_path), "localhost") == b"hello"


# A real handshake


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_client_trusting_only_the_ca_completes_the_handshake(tmp_path: Path, host: str) -> None:
    files = ensure_tls_files(tmp_path)

    assert handshake(files, host) == b"hello"


def test_a_client_trusting_another_ca_refuses_the_certificate(tmp_path: Path) -> None:
    files = ensure_tls_files(tmp_path / "ours")
    other = ensure_tls_files(tmp_path / "theirs")

    with pytest.raises(ssl.SSLCertVerificationError, match="certificate verify failed"):
        handshake(files, "127.0.0.1", trusting=other.ca_certificate)


@pytest.mark.parametrize("host", ["example.com", "bucket.localhost", "127.0.0.2"])
def test_a_host_the_certificate_does_not_name_is_refused(tmp_path: Path, host: str) -> None:
    # bucket.localhost among them: virtual-hosted-style names are certified only
    # when asked for (the next test); boto3 addresses buckets by path here anyway.
    files = ensure_tls_files(tmp_path)

    with pytest.raises(ssl.SSLCertVerificationError, match="mismatch"):
        handshake(files, host)


@pytest.mark.parametrize(
    ("hosts", "host"),
    [
        (("127.0.0.1", "my-bucket.localhost"), "my-bucket.localhost"),
        (("127.0.0.1", "*.s3.localhost"), "my-bucket.s3.localhost"),
    ],
    ids=["named", "wildcard-over-two-labels"],
)
def test_a_virtual_hosted_name_asked_for_is_served(
    tmp_path: Path, hosts: tuple[str, ...], host: str
) -> None:
    files = ensure_tls_files(tmp_path, hosts)

    assert handshake(files, host) == b"hello"


def test_the_server_refuses_tls_older_than_1_2(tmp_path: Path) -> None:
    files = ensure_tls_files(tmp_path)

    assert server_context(files).minimum_version == ssl.TLSVersion.TLSv1_2


def test_boto3_trusting_the_ca_through_aws_ca_bundle_reaches_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = ensure_tls_files(tmp_path)
    monkeypatch.setenv("AWS_CA_BUNDLE", str(files.ca_certificate))

    with serving_s3(files) as endpoint_url:
        s3 = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url,
            region_name="us-east-1",
            aws_access_key_id="sandbox",
            aws_secret_access_key="sandbox",
        )
        buckets = s3.list_buckets()["Buckets"]

    assert [bucket["Name"] for bucket in buckets] == ["over-tls"]


def test_boto3_trusting_only_its_own_bundle_refuses_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = ensure_tls_files(tmp_path / "ours")
    monkeypatch.setenv("AWS_CA_BUNDLE", str(ensure_tls_files(tmp_path / "theirs").ca_certificate))

    with serving_s3(files) as endpoint_url:
        s3 = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url,
            region_name="us-east-1",
            aws_access_key_id="sandbox",
            aws_secret_access_key="sandbox",
            config=Config(retries={"total_max_attempts": 1}),
        )
        with pytest.raises(botocore.exceptions.SSLError, match="certificate verify failed"):
            s3.list_buckets()


def handshake(files: TlsFiles, host: str, trusting: Path | None = None) -> bytes:
    """What a server made from ``files`` says to a client that trusts ``trusting``
    (``ca.pem`` unless told) and checks that the certificate names ``host``."""
    listener = socket.create_server(("127.0.0.1", 0))
    server = threading.Thread(target=greet_once, args=(listener, server_context(files)))
    server.start()
    client = ssl.create_default_context(cafile=trusting or files.ca_certificate)
    # Checked as Python 3.13's default context checks, whatever this interpreter's is.
    client.verify_flags |= ssl.VERIFY_X509_STRICT
    try:
        with (
            socket.create_connection(listener.getsockname(), timeout=5) as raw,
            client.wrap_socket(raw, server_hostname=host) as tls,
        ):
            return tls.recv(5)
    finally:
        server.join(timeout=5)
        listener.close()


def greet_once(listener: socket.socket, context: ssl.SSLContext) -> None:
    listener.settimeout(5)
    connection, _ = listener.accept()
    # A client refusing the certificate aborts the handshake: nothing to greet.
    with connection, contextlib.suppress(ssl.SSLError, OSError):
        connection.settimeout(5)
        with context.wrap_socket(connection, server_side=True) as tls:
            tls.sendall(b"hello")


class ListBuckets(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = (
            b'<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            b"<Buckets><Bucket><Name>over-tls</Name>"
            b"<CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets>"
            b"</ListAllMyBucketsResult>"
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: pytest shows a failing test's output


@contextlib.contextmanager
def serving_s3(files: TlsFiles) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), ListBuckets)
    server.socket = server_context(files).wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
