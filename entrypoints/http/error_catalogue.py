"""What every error code (``domain.error_codes``) answers with: the one source
of truth for statuses, titles, advice and the problem ``type``, which points at
the code's entry on the catalogue page (``GET /errors``, also ``docs/errors.md``).
A probe failure's advice is built on the fix its check's message gives
(``domain.probe.FIX_ADVICE``), so the two cannot say different things."""

from __future__ import annotations

from dataclasses import dataclass

from domain.error_codes import ErrorCode
from domain.probe import FIX_ADVICE
from entrypoints.settings import DEFAULT_MAX_BUCKETS_PER_COMPANY


@dataclass(frozen=True, slots=True)
class ErrorKind:
    code: ErrorCode
    status: int
    title: str
    advice: str

    @property
    def type_uri(self) -> str:
        return f"/errors#{self.code}"


_KINDS = (
    ErrorKind(
        ErrorCode.INVALID_REQUEST,
        400,
        "The request is not valid",
        "A field breaks a rule: `detail` and `errors` name each field and the rule. Fix the request; nothing was changed.",
    ),
    ErrorKind(
        ErrorCode.AWS_KEYS_NOT_ACCEPTED,
        400,
        "AWS keys are not accepted",
        "The body carries AWS keys. bucketlink never takes keys: remove them and grant access through the IAM role from `GET /v1/account/aws-setup`.",
    ),
    ErrorKind(
        ErrorCode.UNAUTHENTICATED,
        401,
        "A valid access token is required",
        "Send `Authorization: Bearer <token>` with a valid, unexpired token; an expired one is renewed by also sending `refresh-token`.",
    ),
    ErrorKind(
        ErrorCode.SERVICE_TOKEN_NOT_ALLOWED,
        403,
        "A service token may only vend credentials",
        "A service token (`bucketlink token --service`) may call `POST /v1/connectors/s3/{connector_id}/credentials` and nothing else. Call this route with a user's access token.",
    ),
    ErrorKind(
        ErrorCode.NOT_FOUND,
        404,
        "Not found",
        "Nothing with that id is yours. Ids of other users and organisations answer exactly like unknown ids.",
    ),
    ErrorKind(
        ErrorCode.METHOD_NOT_ALLOWED,
        405,
        "Method not allowed",
        "The path exists, not with this method: the `Allow` header lists the methods it takes.",
    ),
    ErrorKind(
        ErrorCode.DUPLICATE_CREDENTIAL_NAME,
        409,
        "Credential name already used",
        "You already have a connector with this `credential_name`: choose another name or delete the old connector.",
    ),
    ErrorKind(
        ErrorCode.ACCESS_IMMUTABLE,
        409,
        "The bucket's access is locked",
        "An operator locked this bucket's access; ask them to unlock it (`bucketlink buckets unlock-access`).",
    ),
    ErrorKind(
        ErrorCode.BUCKET_NOT_EMPTY,
        409,
        "The bucket still holds objects",
        "Empty the bucket before deleting it; bucketlink never deletes your objects.",
    ),
    ErrorKind(
        ErrorCode.BUCKET_BUSY,
        409,
        "Another change to the bucket is under way",
        "Changes to one managed bucket are made one at a time, on every instance of the service. Wait for the other change to finish (a second or two) and send yours again; nothing was changed.",
    ),
    ErrorKind(
        ErrorCode.BUCKET_MISSING,
        409,
        "The bucket no longer exists in AWS",
        "The managed bucket was deleted outside bucketlink (in the sandbox, the emulator forgets its buckets whenever `serve` restarts). Its access cannot be changed and nothing was changed; `DELETE` it to remove its record and any role left for it.",
    ),
    ErrorKind(
        ErrorCode.BUCKET_LIMIT_REACHED,
        409,
        "The company has all the managed buckets it may have",
        "Each company may have `BUCKETLINK_MAX_BUCKETS_PER_COMPANY` managed buckets "
        f"({DEFAULT_MAX_BUCKETS_PER_COMPANY} unless the operator set it otherwise). Delete one "
        "you no longer need, or ask the operator for more; nothing was made.",
    ),
    ErrorKind(
        ErrorCode.REQUEST_TOO_LARGE,
        413,
        "Request body too large",
        "The body is over 64 KiB; every request of this API fits well within that.",
    ),
    ErrorKind(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        415,
        "Unsupported media type",
        "Send the body as `application/json`.",
    ),
    ErrorKind(
        ErrorCode.ASSUME_ROLE_DENIED,
        422,
        "The role could not be assumed",
        f"{FIX_ADVICE[ErrorCode.ASSUME_ROLE_DENIED]} IAM changes take a few seconds to apply.",
    ),
    ErrorKind(
        ErrorCode.EXTERNAL_ID_NOT_ENFORCED,
        422,
        "The role does not require your external id",
        "The role let the platform in without your organisation's external id too "
        "(bucketlink tries once with none and once with another): the confused deputy. "
        + FIX_ADVICE[ErrorCode.EXTERNAL_ID_NOT_ENFORCED],
    ),
    ErrorKind(
        ErrorCode.BUCKET_NOT_FOUND,
        422,
        "The bucket does not exist",
        f"{FIX_ADVICE[ErrorCode.BUCKET_NOT_FOUND]} (A bucket that exists but belongs to another account than `expected_bucket_owner_account_id` answers `bucket_access_denied`.)",
    ),
    ErrorKind(
        ErrorCode.BUCKET_ACCESS_DENIED,
        422,
        "The bucket could not be reached",
        "The role was assumed but cannot reach the bucket. "
        + FIX_ADVICE[ErrorCode.BUCKET_ACCESS_DENIED],
    ),
    ErrorKind(
        ErrorCode.LIST_DENIED,
        422,
        "Listing the bucket was denied",
        "The role cannot list the prefix. " + FIX_ADVICE[ErrorCode.LIST_DENIED],
    ),
    ErrorKind(
        ErrorCode.RATE_LIMITED,
        429,
        "Too many requests",
        "Too many creates and probes for your organisation: wait for `Retry-After` seconds.",
    ),
    ErrorKind(
        ErrorCode.INTERNAL_ERROR,
        500,
        "Internal error",
        "A fault on our side; nothing was half-made. Retry, and quote `x-request-id` if it persists.",
    ),
    ErrorKind(
        ErrorCode.AWS_UNAVAILABLE,
        503,
        "AWS is unavailable",
        "AWS did not answer in time; nothing was stored. Retry after `Retry-After` seconds.",
    ),
    ErrorKind(
        ErrorCode.BUCKET_NAME_TAKEN,
        503,
        "No free bucket name was found; try again",
        "No free bucket name was found in a few draws; retry.",
    ),
    ErrorKind(
        ErrorCode.DATABASE_UNAVAILABLE,
        503,
        "The database is unavailable",
        "Our database (or rate-limit store) is unreachable; nothing was stored. Retry after `Retry-After` seconds.",
    ),
)

ERROR_KINDS: dict[ErrorCode, ErrorKind] = {kind.code: kind for kind in _KINDS}


def kind_of(code: ErrorCode) -> ErrorKind:
    return ERROR_KINDS[code]
