"""Every stable ``code`` an error of this service answers with (contract §3).

The one list of codes: domain errors, probe reports and the HTTP error catalogue
all name a code by its member here, so a code cannot be misspelt in one place or
documented without being answerable. A ``StrEnum``, so each member is the very
string clients see on the wire.
"""

from __future__ import annotations

import enum


class ErrorCode(enum.StrEnum):
    INVALID_REQUEST = "invalid_request"
    AWS_KEYS_NOT_ACCEPTED = "aws_keys_not_accepted"
    UNAUTHENTICATED = "unauthenticated"
    SERVICE_TOKEN_NOT_ALLOWED = "service_token_not_allowed"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    DUPLICATE_CREDENTIAL_NAME = "duplicate_credential_name"
    ACCESS_IMMUTABLE = "access_immutable"
    BUCKET_NOT_EMPTY = "bucket_not_empty"
    BUCKET_BUSY = "bucket_busy"
    BUCKET_MISSING = "bucket_missing"
    BUCKET_LIMIT_REACHED = "bucket_limit_reached"
    REQUEST_TOO_LARGE = "request_too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    # A probe's failures: the step that failed names the code (domain/probe.py).
    ASSUME_ROLE_DENIED = "assume_role_denied"
    EXTERNAL_ID_NOT_ENFORCED = "external_id_not_enforced"
    BUCKET_NOT_FOUND = "bucket_not_found"
    BUCKET_ACCESS_DENIED = "bucket_access_denied"
    LIST_DENIED = "list_denied"
    RATE_LIMITED = "rate_limited"
    INTERNAL_ERROR = "internal_error"
    AWS_UNAVAILABLE = "aws_unavailable"
    BUCKET_NAME_TAKEN = "bucket_name_taken"
    DATABASE_UNAVAILABLE = "database_unavailable"
