"""SigV4, checked on the server side as AWS checks it: which key signed a request,
and whether that key's secret really made the signature.

The signature is recomputed with botocore's own signer over what the client
sent (its signed headers, the raw path and query, the declared payload hash), so
the sandbox accepts exactly what AWS accepts from botocore and the AWS CLI.
Header-signed requests and presigned URLs are both understood
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl

from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

_ALGORITHM = "AWS4-HMAC-SHA256"
_HEADER = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<credential>[^,\s]+)\s*,\s*"
    r"SignedHeaders=(?P<signed>[^,\s]+)\s*,\s*Signature=(?P<signature>[0-9a-f]+)\s*$"
)
# AWS refuses a header-signed request more than 15 minutes from its own clock.
MAX_SKEW = datetime.timedelta(minutes=15)
_STAMP = "%Y%m%dT%H%M%SZ"
_HASHED = re.compile(r"[0-9a-f]{64}")


class Malformed(Exception):
    """The request claims SigV4 but does not carry it in AWS's form."""


class SignatureVersion2(Malformed):
    """Signed with SigV2, which the sandbox does not take (as S3 in the regions
    opened since 2014): the client must sign with SigV4."""


@dataclass(frozen=True, slots=True)
class Signature:
    key_id: str
    date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    value: str
    timestamp: str  # X-Amz-Date
    presigned: bool
    expires_seconds: int | None
    security_token: str | None

    def signed_at(self) -> datetime.datetime:
        try:
            return datetime.datetime.strptime(self.timestamp, _STAMP).replace(tzinfo=datetime.UTC)
        except ValueError:
            raise Malformed("X-Amz-Date is not an ISO 8601 basic timestamp") from None


@dataclass(frozen=True, slots=True)
class Received:
    """A request as it reached the server, before anything decoded it."""

    method: str
    scheme: str
    host: str
    raw_path: str
    raw_query: str
    headers: Mapping[str, str]  # lower-cased names
    body: bytes


def signature_of(request: Received) -> Signature | None:
    """The SigV4 signature the request carries; None when it carries none."""
    authorization = request.headers.get("authorization")
    query = dict(parse_qsl(request.raw_query, keep_blank_values=True))
    if (authorization or "").startswith("AWS ") or "AWSAccessKeyId" in query:
        raise SignatureVersion2("Please use AWS4-HMAC-SHA256.")
    if authorization is not None:
        return _from_header(authorization, request)
    if "X-Amz-Signature" in query or "X-Amz-Credential" in query:
        return _from_query(query)
    return None


def _from_header(authorization: str, request: Received) -> Signature:
    match = _HEADER.match(authorization)
    if match is None:
        raise Malformed("the Authorization header is not AWS4-HMAC-SHA256")
    key_id, date, region, service = _scope(match["credential"])
    timestamp = request.headers.get("x-amz-date") or ""
    return Signature(
        key_id=key_id,
        date=date,
        region=region,
        service=service,
        signed_headers=tuple(match["signed"].split(";")),
        value=match["signature"],
        timestamp=timestamp,
        presigned=False,
        expires_seconds=None,
        security_token=request.headers.get("x-amz-security-token"),
    )


def _from_query(query: Mapping[str, str]) -> Signature:
    if query.get("X-Amz-Algorithm") != _ALGORITHM:
        raise Malformed("X-Amz-Algorithm must be AWS4-HMAC-SHA256")
    key_id, date, region, service = _scope(query.get("X-Amz-Credential", ""))
    try:
        expires = int(query.get("X-Amz-Expires", ""))
    except ValueError:
        raise Malformed("X-Amz-Expires must be a number of seconds") from None
    return Signature(
        key_id=key_id,
        date=date,
        region=region,
        service=service,
        signed_headers=tuple(query.get("X-Amz-SignedHeaders", "").split(";")),
        value=query.get("X-Amz-Signature", ""),
        timestamp=query.get("X-Amz-Date", ""),
        presigned=True,
        expires_seconds=expires,
        security_token=query.get("X-Amz-Security-Token"),
    )


def _scope(credential: str) -> tuple[str, str, str, str]:
    parts = credential.split("/")
    if len(parts) != 5 or parts[4] != "aws4_request" or not all(parts):
        raise Malformed("the credential scope is not <key>/<date>/<region>/<service>/aws4_request")
    return parts[0], parts[1], parts[2], parts[3]


def matches(signature: Signature, secret: str, request: Received) -> bool:
    """Did ``secret`` make ``signature`` over this very request?"""
    if signature.timestamp[:8] != signature.date:
        return False
    signer = _signer(signature, secret)
    rebuilt = _rebuilt(signature, request)
    canonical = signer.canonical_request(rebuilt)
    expected = signer.signature(signer.string_to_sign(rebuilt, canonical), rebuilt)
    return hmac.compare_digest(expected, signature.value)


def payload_intact(request: Received) -> bool:
    """The body is what its declared SHA-256 says (when it declares a digest)."""
    declared = request.headers.get("x-amz-content-sha256", "")
    if not _HASHED.fullmatch(declared):
        return True  # UNSIGNED-PAYLOAD and the streaming forms carry no digest
    return hmac.compare_digest(hashlib.sha256(request.body).hexdigest(), declared)


def _signer(signature: Signature, secret: str) -> SigV4Auth:
    credentials = Credentials(signature.key_id, secret, signature.security_token)
    if signature.service != "s3":
        return SigV4Auth(credentials, signature.service, signature.region)
    if signature.presigned:
        return S3SigV4QueryAuth(credentials, "s3", signature.region)
    return S3SigV4Auth(credentials, "s3", signature.region)


def _rebuilt(signature: Signature, request: Received) -> AWSRequest:
    wanted = set(signature.signed_headers)
    headers = {name: value for name, value in request.headers.items() if name in wanted}
    if "host" in wanted:
        headers["host"] = request.host
    query = request.raw_query
    if signature.presigned:
        query = "&".join(p for p in query.split("&") if not p.startswith("X-Amz-Signature="))
    url = f"{request.scheme}://{request.host}{request.raw_path}" + (f"?{query}" if query else "")
    rebuilt = AWSRequest(method=request.method, url=url, data=request.body, headers=headers)
    rebuilt.context["timestamp"] = signature.timestamp
    return rebuilt
