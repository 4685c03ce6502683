"""What AWS decides at each step of a probe, as a pure function of IAM and S3 state.

The sandbox reads that state from the emulator and the fake keeps it in memory;
both judge it here, so they cannot drift apart on the rules. Not modelled:
organisation SCPs, session policies, KMS key policies, ACLs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from adapters.aws.policy_evaluation import (
    Context,
    Decision,
    PolicyDocument,
    identity_decision,
    resource_policy_decision,
    trust_decision,
)
from domain.probe import ProbeReport, ProbeRequest, ProbeStep

LIST_BUCKET = "s3:ListBucket"
# What STS accepts as RoleSessionName.
_SESSION_NAME = re.compile(r"[\w+=,.@-]{2,64}")


@dataclass(frozen=True, slots=True)
class RoleFacts:
    arn: str
    trust_policy: PolicyDocument
    identity_policies: tuple[PolicyDocument, ...] = ()
    permissions_boundary: PolicyDocument | None = None


@dataclass(frozen=True, slots=True)
class BucketFacts:
    """A bucket as the probe can learn about it: whether the account it expects
    owns it, and the bucket's policy."""

    owned_by_expected_owner: bool
    policy: PolicyDocument | None = None


def assumed_role(
    role: RoleFacts | None, principal_arn: str, request: ProbeRequest
) -> RoleFacts | ProbeReport:
    """The role, if AWS lets ``principal_arn`` assume it; else the failed report."""
    if not _SESSION_NAME.fullmatch(request.session_name):
        return _assume_denied("STS rejected the role session name.")
    # On AWS a role ARN names its path too: the same name under another path is
    # another role.
    if role is None or role.arn != str(request.role):
        return _assume_denied(f"The role {request.role} does not exist.")
    context = _trust_context(principal_arn, request)
    if not trust_decision(role.trust_policy, principal_arn, context).allowed:
        return _assume_denied(
            f"The trust policy of {request.role} does not allow {principal_arn} "
            "to assume it with the external id that was sent."
        )
    return role


def reached_bucket(
    role: RoleFacts, bucket: BucketFacts | None, request: ProbeRequest
) -> BucketFacts | ProbeReport:
    """The bucket, if HeadBucket would succeed as ``role``; else the failed report."""
    name = request.target.bucket
    if bucket is None:
        return ProbeReport.failed_at(
            ProbeStep.HEAD_BUCKET, "bucket_not_found", f"HeadBucket: {name} does not exist."
        )
    if not bucket.owned_by_expected_owner:
        return _head_denied(f"HeadBucket: {name} is not owned by account {request.bucket_owner}.")
    if not _may_list(role, bucket, request, {}).allowed:
        return _head_denied(f"HeadBucket: the role may not s3:ListBucket on {name}.")
    return bucket


def list_objects_failure(
    role: RoleFacts, bucket: BucketFacts, request: ProbeRequest
) -> ProbeReport | None:
    prefix = request.target.prefix
    listing = {"s3:prefix": prefix, "s3:max-keys": "1"}
    if _may_list(role, bucket, request, listing).allowed:
        return None
    return ProbeReport.failed_at(
        ProbeStep.LIST_OBJECTS,
        "list_denied",
        f"ListObjectsV2: the role may not list {request.target.bucket} under prefix {prefix!r}.",
    )


def first_failure(
    role: RoleFacts | None, bucket: BucketFacts | None, principal_arn: str, request: ProbeRequest
) -> ProbeReport | None:
    assumed = assumed_role(role, principal_arn, request)
    if isinstance(assumed, ProbeReport):
        return assumed
    reached = reached_bucket(assumed, bucket, request)
    if isinstance(reached, ProbeReport):
        return reached
    return list_objects_failure(assumed, reached, request)


def _may_list(
    role: RoleFacts, bucket: BucketFacts, request: ProbeRequest, extra: Context
) -> Decision:
    context = {**_session_context(role, request), **extra}
    resource = request.target.bucket.arn
    identity = identity_decision(role.identity_policies, LIST_BUCKET, resource, context)
    boundary = (
        identity_decision([role.permissions_boundary], LIST_BUCKET, resource, context)
        if role.permissions_boundary is not None
        else Decision.ALLOW
    )
    granted = (
        resource_policy_decision(bucket.policy, role.arn, LIST_BUCKET, resource, context)
        if bucket.policy is not None
        else Decision.IMPLICIT_DENY
    )
    same_account = request.role.account_id == request.bucket_owner
    return _combine(identity, boundary, granted, same_account)


def _combine(
    identity: Decision, boundary: Decision, bucket_policy: Decision, same_account: bool
) -> Decision:
    if Decision.EXPLICIT_DENY in (identity, boundary, bucket_policy):
        return Decision.EXPLICIT_DENY
    # Within one account either policy may grant; across accounts both must. A
    # boundary limits grants made to the role ARN either way.
    if same_account:
        granted = identity.allowed or bucket_policy.allowed
    else:
        granted = identity.allowed and bucket_policy.allowed
    return Decision.ALLOW if granted and boundary.allowed else Decision.IMPLICIT_DENY


def _trust_context(principal_arn: str, request: ProbeRequest) -> Context:
    return {
        "sts:ExternalId": request.external_id.value,
        "sts:RoleSessionName": request.session_name,
        "aws:PrincipalArn": principal_arn,
        "aws:SecureTransport": "true",
    }


def _session_context(role: RoleFacts, request: ProbeRequest) -> Context:
    # The platform only ever talks to AWS over TLS, so TLS-only bucket policies
    # must not deny it, even when the sandbox itself answers on plain HTTP.
    return {
        "aws:PrincipalArn": role.arn,
        "aws:PrincipalAccount": request.role.account_id.value,
        "s3:ResourceAccount": request.bucket_owner.value,
        "aws:SecureTransport": "true",
    }


def _assume_denied(detail: str) -> ProbeReport:
    return ProbeReport.failed_at(
        ProbeStep.ASSUME_ROLE, "assume_role_denied", f"AssumeRole: {detail}"
    )


def _head_denied(detail: str) -> ProbeReport:
    return ProbeReport.failed_at(ProbeStep.HEAD_BUCKET, "bucket_access_denied", detail)
