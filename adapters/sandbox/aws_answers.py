"""Refusals worded as AWS words them, in each service's own protocol.

S3 answers REST-XML ``<Error>`` documents
(https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html); STS and
IAM answer the query protocol's ``<ErrorResponse>``
(https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html). A
refusal never says why beyond what AWS says.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from xml.sax.saxutils import escape

_REASONS = {400: "Bad Request", 403: "Forbidden", 404: "Not Found"}


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str
    message: str
    status: int = 403

    def answer(self, service: str, method: str) -> tuple[str, list[tuple[str, str]], bytes]:
        """(status line, headers, body) for a WSGI ``start_response``."""
        request_id = uuid.uuid4().hex.upper()[:16]
        body = self._s3(request_id) if service == "s3" else self._query(request_id)
        if method == "HEAD":
            body = b""  # a HEAD answer has no body; the status says it all
        headers = [
            ("Content-Type", "application/xml" if service == "s3" else "text/xml"),
            ("Content-Length", str(len(body))),
            ("x-amz-request-id", request_id),
        ]
        return f"{self.status} {_REASONS.get(self.status, 'Error')}", headers, body

    def _s3(self, request_id: str) -> bytes:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{escape(self.code)}</Code><Message>{escape(self.message)}</Message>"
            f"<RequestId>{request_id}</RequestId><HostId>bucketlink-sandbox</HostId></Error>"
        ).encode()

    def _query(self, request_id: str) -> bytes:
        kind = "Sender" if self.status < 500 else "Receiver"
        return (
            "<ErrorResponse><Error>"
            f"<Type>{kind}</Type><Code>{escape(self.code)}</Code>"
            f"<Message>{escape(self.message)}</Message>"
            f"</Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        ).encode()


def access_denied(service: str, caller_arn: str, action: str, resource: str) -> Refusal:
    if service == "s3":
        return Refusal("AccessDenied", "Access Denied")
    message = f"User: {caller_arn} is not authorized to perform: {action} on resource: {resource}"
    return Refusal("AccessDenied", message)


def unknown_key(service: str) -> Refusal:
    if service == "s3":
        return Refusal(
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
        )
    return Refusal("InvalidClientTokenId", "The security token included in the request is invalid.")


def bad_signature(service: str) -> Refusal:
    return Refusal(
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. "
        "Check your AWS Secret Access Key and signing method.",
    )


def bad_token(service: str) -> Refusal:
    if service == "s3":
        return Refusal("InvalidToken", "The provided token is malformed or otherwise invalid.", 400)
    return Refusal("InvalidClientTokenId", "The security token included in the request is invalid.")


def expired_token(service: str) -> Refusal:
    status = 400 if service == "s3" else 403
    return Refusal("ExpiredToken", "The provided token has expired.", status)


def too_skewed(service: str) -> Refusal:
    if service == "s3":
        return Refusal(
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
        )
    return Refusal("SignatureDoesNotMatch", "Signature expired: the request time is too skewed.")


def presigned_expired() -> Refusal:
    return Refusal("AccessDenied", "Request has expired")


def missing_authentication(service: str) -> Refusal:
    if service == "s3":
        # Anonymous: every bucket has Block Public Access on (S3's default since
        # April 2023), so no policy may grant an anonymous caller anything.
        return Refusal("AccessDenied", "Access Denied")
    return Refusal("MissingAuthenticationToken", "Request is missing Authentication Token")


def malformed(service: str, detail: str) -> Refusal:
    if service == "s3":
        return Refusal("AuthorizationHeaderMalformed", detail, 400)
    return Refusal("IncompleteSignature", detail, 400)


def signature_version_2() -> Refusal:
    return Refusal(
        "InvalidRequest",
        "The authorization mechanism you have provided is not supported. "
        "Please use AWS4-HMAC-SHA256.",
        400,
    )


def payload_mismatch() -> Refusal:
    return Refusal(
        "XAmzContentSHA256Mismatch",
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        400,
    )


def invalid_parameter(detail: str) -> Refusal:
    return Refusal("ValidationError", detail, 400)


def bucket_owner_mismatch() -> Refusal:
    # ExpectedBucketOwner that is not the bucket's account: 403 Access Denied
    # (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html).
    return Refusal("AccessDenied", "Access Denied")
