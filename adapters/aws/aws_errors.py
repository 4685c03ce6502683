"""Which botocore failures mean "AWS cannot answer right now" (the caller may retry
later), as opposed to an answer about the customer's role or bucket."""

from __future__ import annotations

from botocore.exceptions import (
    ClientError,
    HTTPClientError,
    NoCredentialsError,
    PartialCredentialsError,
)
from botocore.exceptions import ConnectionError as BotocoreConnectionError

from domain.errors import AwsUnavailable

# Still failing after botocore's own retries: worth a 503 and a Retry-After.
_THROTTLING = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottled",
        "RequestThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "SlowDown",
        "BandwidthLimitExceeded",
        "PriorRequestNotComplete",
        "RequestTimeout",
        "RequestTimeoutException",
        "InternalError",
        "InternalFailure",
        "ServiceUnavailable",
    }
)
# The platform's own credentials were refused: nothing the customer can fix.
_PLATFORM_CREDENTIALS = frozenset(
    {
        "InvalidClientTokenId",
        "ExpiredToken",
        "ExpiredTokenException",
        "SignatureDoesNotMatch",
        "UnrecognizedClientException",
        "IncompleteSignature",
        "RegionDisabledException",
    }
)


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def status_code(error: ClientError) -> int:
    return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))


def as_unavailable(error: Exception, operation: str) -> AwsUnavailable | None:
    """The domain error for ``error`` if it means AWS is unavailable, else None.

    Messages name the error class or code only: AWS's own messages can echo
    request parameters, and those include the external id.
    """
    if isinstance(error, BotocoreConnectionError | HTTPClientError):
        return AwsUnavailable(f"{operation}: AWS could not be reached ({type(error).__name__}).")
    if isinstance(error, NoCredentialsError | PartialCredentialsError):
        return AwsUnavailable(f"{operation}: the platform has no usable AWS credentials.")
    if isinstance(error, ClientError):
        return _client_error_as_unavailable(error, operation)
    return None


def _client_error_as_unavailable(error: ClientError, operation: str) -> AwsUnavailable | None:
    code, status = error_code(error), status_code(error)
    if code in _THROTTLING or status == 429 or status >= 500:
        return AwsUnavailable(f"{operation}: AWS answered {code or status} after retries.")
    if code in _PLATFORM_CREDENTIALS:
        return AwsUnavailable(f"{operation}: AWS refused the platform's own credentials ({code}).")
    return None
