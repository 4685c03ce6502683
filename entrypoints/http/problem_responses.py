"""The error answers of a route, for its OpenAPI document: each status as a
problem body, with the codes it can carry read from the error catalogue."""

from __future__ import annotations

from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example

from entrypoints.http.error_catalogue import ERROR_KINDS, ErrorKind
from entrypoints.http.schemas.problem import Problem

PROBLEM_MEDIA_TYPE = "application/problem+json"

_WHEN = {
    400: "The body is not JSON, has wrong types, breaks a field's rules or has unknown "
    "fields (each named in `errors`), or it carries AWS keys.",
    401: "No, a malformed, wrongly signed or expired access token "
    "(`WWW-Authenticate: Bearer` is set).",
    403: "A service token, which may only vend credentials.",
    404: "No such resource, or another tenant's.",
    409: "The request conflicts with what is stored.",
    413: "The body is over 64 KiB.",
    415: "The body is not sent as `application/json`.",
    422: "The AWS checks failed: nothing was stored; `detail` says which step and what to fix.",
    429: "Too many creates or probes for this organisation; `Retry-After` says when to retry.",
    500: "An unexpected fault, logged under the `x-request-id` of the response.",
    503: "AWS or the database is unreachable or throttling; `Retry-After` says when to retry.",
}


def codes_for(status: int) -> list[ErrorKind]:
    return [kind for kind in ERROR_KINDS.values() if kind.status == status]


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """The problem answers a route gives with these statuses, and 500, which any
    route may give."""
    return {status: _problem_response(status) for status in sorted({*statuses, 500})}


def _problem_response(status: int) -> ResponseSpec:
    kinds = codes_for(status)
    if not kinds:
        raise ValueError(f"the error catalogue has no code answering {status}")
    codes = ", ".join(f"`{kind.code}` ({kind.title})" for kind in kinds)
    return ResponseSpec(
        data_container=Problem,
        media_type=PROBLEM_MEDIA_TYPE,
        description=f"{_WHEN[status]} Codes: {codes}.",
        generate_examples=False,
        examples=[_example(kind) for kind in kinds],
    )


def _example(kind: ErrorKind) -> Example:
    body = {
        "type": kind.type_uri,
        "title": kind.title,
        "status": kind.status,
        "detail": kind.title,
        "code": kind.code,
    }
    # The catalogue's advice, so the docs say what to do about each code.
    return Example(summary=kind.code, description=kind.advice, value=body)
