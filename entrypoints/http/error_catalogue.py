"""Every error code this service answers with: the one source of truth for
statuses, titles and the problem ``type``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ErrorKind:
    code: str
    status: int
    title: str

    @property
    def type_uri(self) -> str:
        return f"/errors#{self.code}"


_KINDS = (
    ErrorKind("invalid_request", 400, "The request is not valid"),
    ErrorKind("aws_keys_not_accepted", 400, "AWS keys are not accepted"),
    ErrorKind("unauthenticated", 401, "A valid access token is required"),
    ErrorKind("not_found", 404, "Not found"),
    ErrorKind("method_not_allowed", 405, "Method not allowed"),
    ErrorKind("duplicate_credential_name", 409, "Credential name already used"),
    ErrorKind("access_immutable", 409, "The bucket's access is locked"),
    ErrorKind("bucket_not_empty", 409, "The bucket still holds objects"),
    ErrorKind("request_too_large", 413, "Request body too large"),
    ErrorKind("unsupported_media_type", 415, "Unsupported media type"),
    ErrorKind("assume_role_denied", 422, "The role could not be assumed"),
    ErrorKind("bucket_not_found", 422, "The bucket does not exist"),
    ErrorKind("bucket_access_denied", 422, "The bucket could not be reached"),
    ErrorKind("list_denied", 422, "Listing the bucket was denied"),
    ErrorKind("rate_limited", 429, "Too many requests"),
    ErrorKind("internal_error", 500, "Internal error"),
    ErrorKind("aws_unavailable", 503, "AWS is unavailable"),
    ErrorKind("bucket_name_taken", 503, "No free bucket name was found; try again"),
    ErrorKind("database_unavailable", 503, "The database is unavailable"),
)

ERROR_KINDS: dict[str, ErrorKind] = {kind.code: kind for kind in _KINDS}


def kind_of(code: str) -> ErrorKind:
    return ERROR_KINDS.get(code, ERROR_KINDS["internal_error"])
