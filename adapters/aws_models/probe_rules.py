"""What AWS decides at each step of a probe, as a pure function of IAM and S3 state.

The sandbox reads that state from the emulator and the fake keeps it in memory;
both judge it here, so they cannot drift apart on the rules. Reports say only what
AWS itself would answer (``AccessDenied``, an HTTP status): whether the role
exists, what its trust policy lacks or who owns the bucket is AWS's secret, so it
goes to the log, never into the answer. Not modelled: organisation SCPs, session
policies, KMS key policies, ACLs.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from adapters.aws_models.policy_evaluation import (
    Context,
    Decision,
    PolicyDocument,
    identity_decision,
    resource_policy_decision,
    trust_decision,
)
from domain.external_id import ExternalId
from domain.probe import (
    ProbeReport,
    ProbeRequest,
    ProbeStep,
    assume_role_refused,
    external_id_not_enforced,
    s3_call_refused,
)

log = logging.getLogger(__name__)

LIST_BUCKET = "s3:ListBucket"
ACCESS_DENIED = "AccessDenied"
# What STS accepts as RoleSessionName; anything else is a ValidationError.
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


def assume_role_refusal(
    role: RoleFacts | None,
    role_arn: str,
    principal_arn: str,
    external_id: ExternalId | None,
    session_name: str,
) -> tuple[str, str] | None:
    """Why STS refuses ``principal_arn`` this AssumeRole: (AWS's error code, the
    precise reason), or None when it lets it in."""
    if not _SESSION_NAME.fullmatch(session_name):
        return "ValidationError", "the role session name is not valid"
    # On AWS a role ARN names its path too: the same name under another path is
    # another role.
    if role is None or role.arn != role_arn:
        return ACCESS_DENIED, "the role does not exist"
    context = _trust_context(principal_arn, external_id, session_name)
    if not trust_decision(role.trust_policy, principal_arn, context).allowed:
        sent = "no external id" if external_id is None else "the external id that was sent"
        return ACCESS_DENIED, f"the trust policy does not let {principal_arn} in with {sent}"
    return None


def assumed_role(
    role: RoleFacts | None, principal_arn: str, request: ProbeRequest
) -> RoleFacts | ProbeReport:
    """The role, if AWS lets ``principal_arn`` assume it with the org's external
    id; else the failed report."""
    refusal = assume_role_refusal(
        role, str(request.role), principal_arn, request.external_id, request.session_name
    )
    if refusal is None and role is not None:
        return role
    code, reason = refusal or (ACCESS_DENIED, "the role does not exist")
    log.info("AssumeRole on %s refused as AWS would: %s", request.role, reason)
    return assume_role_refused(request.role, code)


def binding_failure(
    role: RoleFacts, principal_arn: str, request: ProbeRequest
) -> ProbeReport | None:
    """The failed report if the role also lets the platform in without the org's
    external id (the binding check); None when every such attempt is denied."""
    got_in = [
        attempt
        for attempt, external_id in request.binding_attempts()
        if assume_role_refusal(
            role, str(request.role), principal_arn, external_id, request.session_name
        )
        is None
    ]
    return external_id_not_enforced(request.role, got_in) if got_in else None


def reached_bucket(
    role: RoleFacts, bucket: BucketFacts | None, request: ProbeRequest
) -> BucketFacts | ProbeReport:
    """The bucket, if HeadBucket would succeed as ``role``; else the failed report."""
    name = request.target.bucket
    if bucket is None:
        return s3_call_refused(ProbeStep.HEAD_BUCKET, name, 404)
    if not bucket.owned_by_expected_owner:
        reason = f"the bucket is not owned by account {request.bucket_owner}"
    elif not _may_list(role, bucket, request, {}).allowed:
        reason = "the role may not s3:ListBucket on it"
    else:
        return bucket
    log.info("HeadBucket on %s refused as AWS would: %s", name, reason)
    # HeadBucket has no body, so S3 gives no error code with its 403.
    return s3_call_refused(ProbeStep.HEAD_BUCKET, name, 403)


def list_objects_failure(
    role: RoleFacts, bucket: BucketFacts, request: ProbeRequest
) -> ProbeReport | None:
    prefix = request.target.prefix
    listing = {"s3:prefix": prefix, "s3:max-keys": "1"}
    if _may_list(role, bucket, request, listing).allowed:
        return None
    log.info(
        "ListObjectsV2 on %s refused as AWS would: the role may not list prefix %r",
        request.target.bucket,
        prefix,
    )
    return s3_call_refused(ProbeStep.LIST_OBJECTS, request.target.bucket, 403, ACCESS_DENIED)


def first_failure(
    role: RoleFacts | None, bucket: BucketFacts | None, principal_arn: str, request: ProbeRequest
) -> ProbeReport | None:
    assumed = assumed_role(role, principal_arn, request)
    if isinstance(assumed, ProbeReport):
        return assumed
    unbound = binding_failure(assumed, principal_arn, request)
    if unbound is not None:
        return unbound
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


def _trust_context(
    principal_arn: str, external_id: ExternalId | None, session_name: str
) -> Context:
    # sts:ExternalId is in the request context only when the caller sent one.
    context = {
        "sts:RoleSessionName": session_name,
        "aws:PrincipalArn": principal_arn,
        "aws:SecureTransport": "true",
    }
    if external_id is not None:
        context["sts:ExternalId"] = external_id.value
    return context


def _session_context(role: RoleFacts, request: ProbeRequest) -> Context:
    # The platform only ever talks to AWS over TLS, so TLS-only bucket policies
    # must not deny it, even when the sandbox itself answers on plain HTTP.
    return {
        "aws:PrincipalArn": role.arn,
        "aws:PrincipalAccount": request.role.account_id.value,
        "s3:ResourceAccount": request.bucket_owner.value,
        "aws:SecureTransport": "true",
    }
