"""Every error code this service answers with: the one source of truth for
statuses, titles, advice and the problem ``type``, which points at the code's
entry on the catalogue page (``GET /errors``, also ``docs/errors.md``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ErrorKind:
    code: str
    status: int
    title: str
    advice: str

    @property
    def type_uri(self) -> str:
        return f"/errors#{self.code}"


_KINDS = (
    ErrorKind(
        "invalid_request",
        400,
        "The request is not valid",
        "A field breaks a rule: `detail` and `errors` name each field and the rule. Fix the request; nothing was changed.",
    ),
    ErrorKind(
        "aws_keys_not_accepted",
        400,
        "AWS keys are not accepted",
        "The body carries AWS keys. bucketlink never takes keys: remove them and grant access through the IAM role from `GET /v1/account/aws-setup`.",
    ),
    ErrorKind(
        "unauthenticated",
        401,
        "A valid access token is required",
        "Send `Authorization: Bearer <token>` with a valid, unexpired token; an expired one is renewed by also sending `refresh-token`.",
    ),
    ErrorKind(
        "not_found",
        404,
        "Not found",
        "Nothing with that id is yours. Ids of other users and organisations answer exactly like unknown ids.",
    ),
    ErrorKind(
        "method_not_allowed",
        405,
        "Method not allowed",
        "The path exists, not with this method: the `Allow` header lists the methods it takes.",
    ),
    ErrorKind(
        "duplicate_credential_name",
        409,
        "Credential name already used",
        "You already have a connector with this `credential_name`: choose another name or delete the old connector.",
    ),
    ErrorKind(
        "access_immutable",
        409,
        "The bucket's access is locked",
        "An operator locked this bucket's access; ask them to unlock it (`bucketlink buckets unlock-access`).",
    ),
    ErrorKind(
        "bucket_not_empty",
        409,
        "The bucket still holds objects",
        "Empty the bucket before deleting it; bucketlink never deletes your objects.",
    ),
    ErrorKind(
        "bucket_busy",
        409,
        "Another change to the bucket is under way",
        "Changes to one managed bucket are made one at a time, on every instance of the service. Wait for the other change to finish (a second or two) and send yours again; nothing was changed.",
    ),
    ErrorKind(
        "bucket_missing",
        409,
        "The bucket no longer exists in AWS",
        "The managed bucket was deleted outside bucketlink (in the sandbox, the emulator forgets its buckets whenever `serve` restarts). Its access cannot be changed and nothing was changed; `DELETE` it to remove its record and any role left for it.",
    ),
    ErrorKind(
        "bucket_limit_reached",
        409,
        "The company has all the managed buckets it may have",
        "Each company may have `BUCKETLINK_MAX_BUCKETS_PER_COMPANY` managed buckets (100 unless the operator set it otherwise). Delete one you no longer need, or ask the operator for more; nothing was made.",
    ),
    ErrorKind(
        "request_too_large",
        413,
        "Request body too large",
        "The body is over 64 KiB; every request of this API fits well within that.",
    ),
    ErrorKind(
        "unsupported_media_type",
        415,
        "Unsupported media type",
        "Send the body as `application/json`.",
    ),
    ErrorKind(
        "assume_role_denied",
        422,
        "The role could not be assumed",
        "The role's trust policy must allow the platform principal with your organisation's external id, both from `GET /v1/account/aws-setup`. IAM changes take a few seconds to apply.",
    ),
    ErrorKind(
        "external_id_not_enforced",
        422,
        "The role does not require your external id",
        "The role let the platform in without your organisation's external id too (bucketlink tries once with none and once with another), so any organisation on the platform could register it and read your bucket: the confused deputy. Give every trust statement that allows the platform principal the condition `StringEquals` `sts:ExternalId` = your external id, exactly as `trust_policy` from `GET /v1/account/aws-setup`, and remove any other statement that lets it in.",
    ),
    ErrorKind(
        "bucket_not_found",
        422,
        "The bucket does not exist",
        "No bucket of that name exists: check the bucket name in `bucket_uri`. (A bucket that exists but belongs to another account than `expected_bucket_owner_account_id` answers `bucket_access_denied`.)",
    ),
    ErrorKind(
        "bucket_access_denied",
        422,
        "The bucket could not be reached",
        "The role was assumed but cannot reach the bucket: allow `s3:ListBucket` on it in the role's policy and the bucket policy.",
    ),
    ErrorKind(
        "list_denied",
        422,
        "Listing the bucket was denied",
        "The role cannot list the prefix: allow `s3:ListBucket` on the bucket for that prefix.",
    ),
    ErrorKind(
        "rate_limited",
        429,
        "Too many requests",
        "Too many creates and probes for your organisation: wait for `Retry-After` seconds.",
    ),
    ErrorKind(
        "internal_error",
        500,
        "Internal error",
        "A fault on our side; nothing was half-made. Retry, and quote `x-request-id` if it persists.",
    ),
    ErrorKind(
        "aws_unavailable",
        503,
        "AWS is unavailable",
        "AWS did not answer in time; nothing was stored. Retry after `Retry-After` seconds.",
    ),
    ErrorKind(
        "bucket_name_taken",
        503,
        "No free bucket name was found; try again",
        "No free bucket name was found in a few draws; retry.",
    ),
    ErrorKind(
        "database_unavailable",
        503,
        "The database is unavailable",
        "Our database (or rate-limit store) is unreachable; nothing was stored. Retry after `Retry-After` seconds.",
    ),
)

ERROR_KINDS: dict[str, ErrorKind] = {kind.code: kind for kind in _KINDS}


def kind_of(code: str) -> ErrorKind:
    return ERROR_KINDS.get(code, ERROR_KINDS["internal_error"])
