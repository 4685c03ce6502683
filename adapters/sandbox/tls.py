"""The sandbox emulator's TLS material: a local CA and the server certificate it signs.

The emulator serves HTTPS on 127.0.0.1 so that stock boto3 and the AWS CLI reach it
with ``AWS_CA_BUNDLE=.bucketlink/ca.pem``, and a bucket policy denying
``aws:SecureTransport=false`` can be satisfied. The files are made on first start and
kept, so a client told once to trust ``ca.pem`` keeps trusting it:

* ``ca.pem`` / ``ca-key.pem``: a self-signed CA (ten years), remade only when unusable
  (unreadable, not a CA, key not its own, or less than a day left);
* ``server.pem`` / ``server-key.pem``: the server's chain (leaf, then CA) and key; the
  leaf (one year) is remade when it has less than a day left, was not signed by the
  current CA, or does not cover every host asked for.

Hosts become subjectAltNames: IP addresses as IPAddress, names as DNSName. No wildcard
is added for virtual-hosted-style names: OpenSSL (hence Python's ``ssl``, botocore and
the AWS CLI) never matches ``*.localhost``, a wildcard over a single label, and
``*.127.0.0.1`` is a DNS wildcard over an address, which no standard allows. boto3 and
the CLI address buckets by path on an ``endpoint_url`` anyway, and always on an IP
address; a caller wanting ``my-bucket.localhost`` passes it as a host, or a wildcard
over two labels or more such as ``*.s3.localhost``.

Every write is to a temporary file in the same directory, then ``os.replace``, so that
a client reading ``ca.pem`` never sees half a file; makers hold an exclusive lock on
``tls.lock`` so that two starting at once agree on one CA.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import ipaddress
import os
import ssl
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEFAULT_HOSTS = ("127.0.0.1", "localhost")
CA_LIFETIME = dt.timedelta(days=3650)
# Well under the 825 days Apple's TLS clients accept from a user-trusted CA; being
# remade on its own costs nothing, since the CA stays.
SERVER_LIFETIME = dt.timedelta(days=365)
# Less left than this and a certificate is remade rather than served.
MINIMUM_REMAINING = dt.timedelta(days=1)
# Clocks of other processes (containers, VMs) may run a little behind ours.
_BACKDATE = dt.timedelta(minutes=5)

_CA_NAME = x509.Name(
    [
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "bucketlink sandbox"),
        x509.NameAttribute(NameOID.COMMON_NAME, "bucketlink sandbox local CA"),
    ]
)
_SERVER_NAME = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bucketlink sandbox")])

_CA_CERT, _CA_KEY = "ca.pem", "ca-key.pem"
_SERVER_CERT, _SERVER_KEY = "server.pem", "server-key.pem"
_LOCK = "tls.lock"
_PUBLIC, _PRIVATE = 0o644, 0o600
# What a missing, truncated, foreign or encrypted file raises on reading: remade then.
_UNREADABLE = (OSError, ValueError, TypeError, UnsupportedAlgorithm, x509.ExtensionNotFound)


@dataclass(frozen=True, slots=True)
class TlsFiles:
    ca_certificate: Path  # what clients trust: AWS_CA_BUNDLE
    certificate: Path  # the server's chain: leaf, then CA
    private_key: Path  # the server's key, mode 0600


@dataclass(frozen=True, slots=True)
class _Issuer:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey


def ensure_tls_files(
    directory: Path,
    hosts: Sequence[str] = DEFAULT_HOSTS,
    *,
    now: dt.datetime | None = None,
) -> TlsFiles:
    """The CA and server certificate in ``directory``, reused when still good, made or
    remade otherwise (module docstring). ``now`` is the time they must be good at."""
    names = _subject_alt_names(hosts)
    now = now or dt.datetime.now(dt.UTC)
    directory.mkdir(parents=True, exist_ok=True)
    files = TlsFiles(directory / _CA_CERT, directory / _SERVER_CERT, directory / _SERVER_KEY)
    with _locked(directory, exclusive=True):
        ca = _usable_ca(directory, now) or _make_ca(directory, now)
        if not _usable_server(files, ca.certificate, names, now):
            _make_server(files, ca, names, now)
    return files


def server_context(files: TlsFiles) -> ssl.SSLContext:
    """The server side of the emulator's TLS: 1.2 at least, with the chain and key."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    # Shared with makers' exclusive lock: the chain and key are read as one pair.
    with _locked(files.certificate.parent, exclusive=False):
        context.load_cert_chain(files.certificate, files.private_key)
    return context


def _subject_alt_names(hosts: Sequence[str]) -> frozenset[x509.GeneralName]:
    if not hosts:
        raise ValueError("a server certificate needs at least one host")
    return frozenset(_subject_alt_name(host) for host in hosts)


def _subject_alt_name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        pass
    name = host.lower().rstrip(".")
    if name.startswith("*.") and "." not in name[2:]:
        # Refused here rather than certified and then never matched by any client.
        raise ValueError(f"{host}: TLS clients never match a wildcard over one label")
    return x509.DNSName(name)


# The CA


def _usable_ca(directory: Path, now: dt.datetime) -> _Issuer | None:
    try:
        certificate = x509.load_pem_x509_certificate((directory / _CA_CERT).read_bytes())
        key = serialization.load_pem_private_key((directory / _CA_KEY).read_bytes(), None)
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    except _UNREADABLE:
        return None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not constraints.value.ca:
        return None
    if key.public_key() != certificate.public_key() or not _current(certificate, now):
        return None
    return _Issuer(certificate, key)


def _make_ca(directory: Path, now: dt.datetime) -> _Issuer:
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key()
    certificate = (
        _builder(_CA_NAME, _CA_NAME, public, now, now + CA_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(digital_signature=False, cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    # Key first: a crash between the two leaves a pair that does not match, which the
    # next start finds unusable and remakes, never a certificate without its key.
    _write(directory / _CA_KEY, _private_pem(key), _PRIVATE)
    _write(directory / _CA_CERT, _pem(certificate), _PUBLIC)
    return _Issuer(certificate, key)


# The server's certificate


def _usable_server(
    files: TlsFiles,
    ca: x509.Certificate,
    names: frozenset[x509.GeneralName],
    now: dt.datetime,
) -> bool:
    try:
        chain = x509.load_pem_x509_certificates(files.certificate.read_bytes())
        key = serialization.load_pem_private_key(files.private_key.read_bytes(), None)
        leaf = chain[0]
        leaf.verify_directly_issued_by(ca)
        covered = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except (*_UNREADABLE, IndexError, InvalidSignature):
        return False
    return (
        chain[1:] == [ca]
        and key.public_key() == leaf.public_key()
        and names <= set(covered.value)
        and _current(leaf, now)
    )


def _make_server(
    files: TlsFiles,
    ca: _Issuer,
    names: frozenset[x509.GeneralName],
    now: dt.datetime,
) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    # Never outliving its issuer, which clients would reject first.
    until = min(now + SERVER_LIFETIME, ca.certificate.not_valid_after_utc)
    issuer_key = ca.key.public_key()
    certificate = (
        _builder(_SERVER_NAME, _CA_NAME, key.public_key(), now, until)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital_signature=True, cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(_ordered(names)), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key), critical=False
        )
        .sign(ca.key, hashes.SHA256())
    )
    _write(files.private_key, _private_pem(key), _PRIVATE)
    _write(files.certificate, _pem(certificate) + _pem(ca.certificate), _PUBLIC)


def _ordered(names: frozenset[x509.GeneralName]) -> list[x509.GeneralName]:
    # The same hosts always give the same extension, whatever the set's order.
    return sorted(names, key=lambda name: (type(name).__name__, str(name.value)))


# Shared pieces


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    now: dt.datetime,
    until: dt.datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(until)
    )


def _key_usage(*, digital_signature: bool, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _current(certificate: x509.Certificate, now: dt.datetime) -> bool:
    starts, ends = certificate.not_valid_before_utc, certificate.not_valid_after_utc
    return starts <= now and now + MINIMUM_REMAINING <= ends


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def _private_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write(path: Path, data: bytes, mode: int) -> None:
    """Replaces ``path`` at once: readers see the old file or the new, never half."""
    # mkstemp makes the file 0600 before a byte is written, so a key is never readable
    # by others, not even for a moment.
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as file:
            os.fchmod(file.fileno(), mode)
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def _locked(directory: Path, *, exclusive: bool) -> Iterator[None]:
    # flock, not a lock file made with O_EXCL: the kernel releases it when its holder
    # dies, so a crashed start never blocks the next. Each call opens its own file, so
    # threads of one process exclude one another too.
    fd = os.open(directory / _LOCK, os.O_RDWR | os.O_CREAT, _PRIVATE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)  # closing releases the lock
