"""What AWS's answers to the platform's own provisioning requests mean, in the
domain's words: a taken bucket name, a bucket that still holds objects, an
account AWS does not accept, or a refusal only an operator can fix."""

from __future__ import annotations

from adapters.aws_models.aws_transport import AwsError
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


def provisioning_error(error: AwsError, operation: str) -> Exception:
    code, status = error.code, error.status
    if code in _NAME_TAKEN:
        return BucketNameTaken(f"{operation}: the bucket name is taken ({code}).")
    if code == "BucketNotEmpty":
        return BucketNotEmpty("The bucket still holds objects; delete them first.")
    if code in _MALFORMED_POLICY and "principal" in error.message.lower():
        # The documents are fixed; only the customer's account varies, and AWS
        # refuses a principal in an account that does not exist.
        return InvalidField("account_id", "AWS does not accept this account as a principal")
    return AwsRequestRefused(f"{operation}: AWS answered {code or status} (HTTP {status}).")
