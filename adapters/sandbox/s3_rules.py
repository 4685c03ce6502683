"""S3 as AWS authorises it: each permission a request needs
(``adapters.aws_models.s3_requests``) judged against the caller's policies and
the bucket's policy, with the bucket owner pinned by ``ExpectedBucketOwner``.

* ``ExpectedBucketOwner`` (``x-amz-expected-bucket-owner``, and
  ``x-amz-source-expected-bucket-owner`` for a copy's source) that is not the
  bucket's account: 403 Access Denied
  (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html).
* ``s3:ResourceAccount`` is the bucket owner's account
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount).
* A bucket that does not exist is left to moto, which answers NoSuchBucket as S3
  does; CreateBucket is the caller's own business (identity policies only).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qs

from adapters.aws_models.authorization import Caller, authorize
from adapters.aws_models.s3_requests import S3Access, s3_request, s3_target
from adapters.sandbox import aws_answers, defaults, moto_state
from adapters.sandbox.aws_answers import Refusal
from adapters.sandbox.signatures import Received

_CREATE_BUCKET = "s3:CreateBucket"
# S3 never says whom or what it refused.
_DENIED = aws_answers.Refusal("AccessDenied", "Access Denied")


def refusal(caller: Caller, received: Received, context: Mapping[str, str]) -> Refusal | None:
    """Why S3 refuses ``caller`` this request; None when AWS would serve it."""
    bucket, key = s3_target(received.host, received.raw_path, defaults.HOST)
    request = s3_request(
        received.method,
        bucket,
        key,
        parse_qs(received.raw_query, keep_blank_values=True),
        received.headers,
        received.body,
    )
    for access in request.accesses:
        refused = _access_refusal(caller, access, {**context, **request.context})
        if refused is not None:
            return refused
    return None


def _access_refusal(caller: Caller, access: S3Access, context: Mapping[str, str]) -> Refusal | None:
    if access.action == _CREATE_BUCKET:  # the caller's own business
        return _identity_refusal(caller, access, context)
    found = moto_state.bucket(access.bucket) if access.bucket else None
    if found is None:
        # ListAllMyBuckets names no bucket; a bucket that does not exist is
        # moto's to answer NoSuchBucket, as S3 does.
        return _identity_refusal(caller, access, context) if access.bucket is None else None
    if access.expected_owner is not None and access.expected_owner != found.owner:
        return aws_answers.bucket_owner_mismatch()
    decision = authorize(
        caller,
        access.action,
        access.resource,
        {**context, "s3:ResourceAccount": found.owner},
        resource_policy=found.policy,
        resource_account=found.owner,
    )
    return None if decision.allowed else _DENIED


def _identity_refusal(
    caller: Caller, access: S3Access, context: Mapping[str, str]
) -> Refusal | None:
    allowed = authorize(caller, access.action, access.resource, context).allowed
    return None if allowed else _DENIED
