"""The domain's error tree. Each error carries the stable ``code`` of the contract;
the HTTP layer maps codes to statuses in one place."""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    code: str = "internal_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str
    message: str


class InvalidInput(DomainError):
    """One or more fields break a rule; nothing was changed."""

    code = "invalid_request"

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
    code = "aws_keys_not_accepted"


class NotFound(DomainError):
    code = "not_found"


class DuplicateCredentialName(DomainError):
    code = "duplicate_credential_name"


class AccessImmutable(DomainError):
    code = "access_immutable"


class BucketNotEmpty(DomainError):
    code = "bucket_not_empty"


class BucketBusy(DomainError):
    """Another change to this managed bucket is under way: one at a time."""

    code = "bucket_busy"


class BucketMissing(DomainError):
    """The managed bucket is gone from AWS: deleted outside bucketlink."""

    code = "bucket_missing"


class BucketLimitReached(DomainError):
    """The company has as many managed buckets as it may have."""

    code = "bucket_limit_reached"


class BucketNameTaken(DomainError):
    """S3 already has a bucket by this name (anyone's): draw another name."""

    code = "bucket_name_taken"


class ProbeFailed(DomainError):
    """The customer's role or bucket did not pass a check; the code names the step."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


class Unavailable(DomainError):
    """A dependency cannot be reached right now; the caller may retry later."""

    retry_after_seconds: int = 5


class AwsUnavailable(Unavailable):
    code = "aws_unavailable"


class DatabaseUnavailable(Unavailable):
    code = "database_unavailable"
