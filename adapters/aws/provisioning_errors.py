"""What the platform's own provisioning requests can fail with, in the domain's
words: a taken bucket name, a bucket that still holds objects, an account AWS
does not accept, AWS being unavailable, or a refusal only an operator can fix."""

from __future__ import annotations

from botocore.exceptions import ClientError

from adapters.aws.aws_errors import as_unavailable, error_code, status_code
from domain.errors import BucketNameTaken, BucketNotEmpty, InvalidField

# In us-east-1 S3 answers a re-created bucket of one's own with 200, elsewhere
# with BucketAlreadyOwnedByYou; either way the name is not a fresh one.
_NAME_TAKEN = frozenset({"BucketAlreadyExists", "BucketAlreadyOwnedByYou"})
_MALFORMED_POLICY = frozenset({"MalformedPolicy", "MalformedPolicyDocument"})


class AwsRequestRefused(RuntimeError):
    """AWS refused a request of the platform's own for a reason neither a retry
    nor the customer can fix (a missing permission, a quota): an operator's
    problem. The message names the operation and AWS's code only, because AWS's
    own messages can echo the documents sent, external ids included."""


def provisioning_error(error: Exception, operation: str) -> Exception:
    unavailable = as_unavailable(error, operation)
    if unavailable is not None:
        return unavailable
    if not isinstance(error, ClientError):
        return AwsRequestRefused(f"{operation}: {type(error).__name__}")
    code, status = error_code(error), status_code(error)
    if code in _NAME_TAKEN:
        return BucketNameTaken(f"{operation}: the bucket name is taken ({code}).")
    if code == "BucketNotEmpty":
        return BucketNotEmpty("The bucket still holds objects; delete them first.")
    if code in _MALFORMED_POLICY and "principal" in _message(error).lower():
        # The documents are fixed; only the customer's account varies, and AWS
        # refuses a principal in an account that does not exist.
        return InvalidField("account_id", "AWS does not accept this account as a principal")
    return AwsRequestRefused(f"{operation}: AWS answered {code or status} (HTTP {status}).")


def _message(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Message", ""))
