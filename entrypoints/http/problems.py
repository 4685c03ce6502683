"""Every failure becomes an RFC 9457 problem body with a stable ``code``: domain
errors, Litestar's own HTTP errors, and anything unexpected (logged, never shown)."""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    ValidationException,
)
from litestar.plugins.problem_details import (
    ProblemDetailsConfig,
    ProblemDetailsException,
    ProblemDetailsPlugin,
)

from domain.error_codes import ErrorCode
from domain.errors import DomainError, FieldProblem, InvalidInput, Unavailable
from entrypoints.http.error_catalogue import kind_of
from entrypoints.http.request_id import request_id_of

log = logging.getLogger("bucketlink.http")

_CODE_BY_STATUS = {
    400: ErrorCode.INVALID_REQUEST,
    401: ErrorCode.UNAUTHENTICATED,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    413: ErrorCode.REQUEST_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    429: ErrorCode.RATE_LIMITED,
    503: ErrorCode.AWS_UNAVAILABLE,
}
_BODY_PARAMETER = "data"
_NAMED_FIELD = re.compile(r"(?:missing required|contains unknown) field `([^`]+)`")


def problem(
    code: ErrorCode,
    detail: str,
    *,
    errors: list[FieldProblem] | tuple[FieldProblem, ...] = (),
    headers: dict[str, str] | None = None,
) -> ProblemDetailsException:
    kind = kind_of(code)
    extra: dict[str, Any] = {"code": code}
    if errors:
        extra["errors"] = [{"field": e.field, "message": e.message} for e in errors]
    return ProblemDetailsException(
        detail=detail,
        status_code=kind.status,
        title=kind.title,
        type_=kind.type_uri,
        extra=extra,
        headers=headers,
    )


def domain_problem(error: DomainError) -> ProblemDetailsException:
    if isinstance(error, InvalidInput):
        return problem(error.code, "the request has invalid fields", errors=error.problems)
    if isinstance(error, Unavailable):
        retry = {"Retry-After": str(error.retry_after_seconds)}
        return problem(error.code, error.detail, headers=retry)
    return problem(error.code, error.detail)


def validation_problem(error: ValidationException) -> ProblemDetailsException:
    messages = error.extra if isinstance(error.extra, list) else []
    errors = [_field_problem(m) for m in messages if isinstance(m, dict)]
    detail = "the request has invalid fields" if errors else str(error.detail)
    return problem(ErrorCode.INVALID_REQUEST, detail, errors=errors)


def _field_problem(message: dict[str, Any]) -> FieldProblem:
    text = str(message.get("message", "invalid"))
    # Litestar names the whole body ``data``, its handlers' parameter.
    key = str(message.get("key", ""))
    key = "" if key == _BODY_PARAMETER else key
    if text == repr(_BODY_PARAMETER):  # a KeyError's text: there was no body at all
        text = "is required: send a JSON object"
    named = _NAMED_FIELD.search(text)
    if named:  # msgspec names a missing or unknown field in its message, not its path
        key = f"{key}.{named[1]}" if key else named[1]
    return FieldProblem(key or "body", text)


def unauthenticated_problem(error: NotAuthorizedException) -> ProblemDetailsException:
    return problem(
        ErrorCode.UNAUTHENTICATED, str(error.detail), headers={"WWW-Authenticate": "Bearer"}
    )


def http_problem(error: HTTPException) -> ProblemDetailsException:
    if isinstance(error, ProblemDetailsException):
        return error
    code = _CODE_BY_STATUS.get(error.status_code, ErrorCode.INTERNAL_ERROR)
    return problem(code, str(error.detail), headers=error.headers)


def internal_error_handler(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    # The trace goes to the log under the request id; the client sees neither.
    log.exception("unhandled error", extra={"request_id": request_id_of(request.scope)})
    return problem(
        ErrorCode.INTERNAL_ERROR,
        "an unexpected error occurred; quote the x-request-id header when reporting it",
    ).to_response(request)


def problem_details_plugin() -> ProblemDetailsPlugin:
    return ProblemDetailsPlugin(
        ProblemDetailsConfig(
            exception_to_problem_detail_map={
                DomainError: domain_problem,
                ValidationException: validation_problem,
                NotAuthorizedException: unauthenticated_problem,
                HTTPException: http_problem,
            }
        )
    )
