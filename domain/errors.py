"""The domain's error tree. Each error carries the stable ``code`` of the contract;
the HTTP layer maps codes to statuses in one place."""

from __future__ import annotations

from dataclasses import dataclass

from domain.error_codes import ErrorCode


class DomainError(Exception):
    code: ErrorCode = ErrorCode.INTERNAL_ERROR

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str
    message: str


class InvalidInput(DomainError):
    """One or more fields break a rule; nothing was changed."""

    code = ErrorCode.INVALID_REQUEST

    def __init__(self, problems: list[FieldProblem]) -> None:
        fields = ", ".join(p.field for p in problems)
        super().__init__(f"invalid value for {fields}")
        self.problems = tuple(problems)


class InvalidField(InvalidInput):
    def __init__(self, field: str, message: str) -> None:
        super().__init__([FieldProblem(field, message)])
        self.field = field
        self.message = message

    def at(self, parent: str) -> InvalidField:
        """The same problem, seen from a containing object (``access.external_id``)."""
        return InvalidField(f"{parent}.{self.field}", self.message)


class AwsKeysNotAccepted(DomainError):
    code = ErrorCode.AWS_KEYS_NOT_ACCEPTED


class NotFound(DomainError):
    code = ErrorCode.NOT_FOUND


class DuplicateCredentialName(DomainError):
    code = ErrorCode.DUPLICATE_CREDENTIAL_NAME


class AccessImmutable(DomainError):
    code = ErrorCode.ACCESS_IMMUTABLE


class BucketNotEmpty(DomainError):
    code = ErrorCode.BUCKET_NOT_EMPTY


class BucketBusy(DomainError):
    """Another change to this managed bucket is under way: one at a time."""

    code = ErrorCode.BUCKET_BUSY


class BucketMissing(DomainError):
    """The managed bucket is gone from AWS: deleted outside bucketlink."""

    code = ErrorCode.BUCKET_MISSING


class BucketLimitReached(DomainError):
    """The company has as many managed buckets as it may have."""

    code = ErrorCode.BUCKET_LIMIT_REACHED


class BucketNameTaken(DomainError):
    """S3 already has a bucket by this name (anyone's): draw another name."""

    code = ErrorCode.BUCKET_NAME_TAKEN


class ProbeFailed(DomainError):
    """The customer's role or bucket did not pass a check; the code names the step."""

    def __init__(self, code: ErrorCode, detail: str) -> None:
        super().__init__(detail)
        self.code = code


class Unavailable(DomainError):
    """A dependency cannot be reached right now; the caller may retry later."""

    retry_after_seconds: int = 5


class AwsUnavailable(Unavailable):
    code = ErrorCode.AWS_UNAVAILABLE


class DatabaseUnavailable(Unavailable):
    code = ErrorCode.DATABASE_UNAVAILABLE
