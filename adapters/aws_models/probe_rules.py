"""What AWS decides at each step of a probe, as a pure function of IAM and S3 state.

The fake keeps that state in memory and judges it here; the sandbox's gateway
judges the same requests with the same evaluator as they reach it. Reports say only what
AWS itself would answer (``AccessDenied``, an HTTP status): whether the role
exists, what its trust policy lacks or who owns the bucket is AWS's secret, so it
goes to the log, never into the answer. Each decision is
``adapters.aws_models.authorization``'s, the one evaluator the sandbox's gateway
applies to every client too.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from adapters.aws_models.authorization import (
    Caller,
    CallerKind,
    authorize,
    authorize_assume_role,
)
from adapters.aws_models.policy_evaluation import Context, Decision, PolicyDocument
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
SESSION_NAME = re.compile(r"[\w+=,.@-]{2,64}")


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
    region: str = "us-east-1"  # what HeadBucket's x-amz-bucket-region says


def assume_role_refusal(
    role: RoleFacts | None,
    role_arn: str,
    principal_arn: str,
    external_id: ExternalId | None,
    session_name: str,
) -> tuple[str, str] | None:
    """Why STS refuses ``principal_arn`` this AssumeRole: (AWS's error code, the
    precise reason), or None when it lets it in."""
    if not SESSION_NAME.fullmatch(session_name):
        return "ValidationError", "the role session name is not valid"
    # On AWS a role ARN names its path too: the same name under another path is
    # another role.
    if role is None or role.arn != role_arn:
        return ACCESS_DENIED, "the role does not exist"
    context = _trust_context(external_id, session_name)
    decision = authorize_assume_role(
        platform_caller(principal_arn), role.arn, _account_of(role.arn), role.trust_policy, context
    )
    if not decision.allowed:
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
    return authorize(
        _session_of(role, request.session_name),
        LIST_BUCKET,
        request.target.bucket.arn,
        {**_session_context(request), **extra},
        resource_policy=bucket.policy,
        resource_account=request.bucket_owner.value,
    )


# The platform's own permissions are not modelled here (AWS's or the operator's
# business): its identity side allows everything, as the sandbox's platform role.
_EVERYTHING: PolicyDocument = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
_PLATFORM_SESSION = "bucketlink"


def platform_caller(principal_arn: str) -> Caller:
    """The platform as STS sees it: a session of its role (or the user it is)."""
    account = _account_of(principal_arn)
    if ":role/" not in principal_arn:
        return Caller(
            account, principal_arn, CallerKind.USER, f"AIDA{account}", None, (_EVERYTHING,)
        )
    return Caller.session(
        principal_arn, _PLATFORM_SESSION, role_id=f"AROA{account}", policies=(_EVERYTHING,)
    )


def _session_of(role: RoleFacts, session_name: str) -> Caller:
    return Caller.session(
        role.arn,
        session_name,
        role_id=f"AROA{_account_of(role.arn)}",
        policies=role.identity_policies,
        boundary=role.permissions_boundary,
    )


def _account_of(arn: str) -> str:
    return arn.split(":")[4]


def _trust_context(external_id: ExternalId | None, session_name: str) -> Context:
    # sts:ExternalId is in the request context only when the caller sent one.
    context = {"sts:RoleSessionName": session_name, "aws:SecureTransport": "true"}
    if external_id is not None:
        context["sts:ExternalId"] = external_id.value
    return context


def _session_context(request: ProbeRequest) -> Context:
    # The platform only ever talks to AWS over TLS.
    return {"s3:ResourceAccount": request.bucket_owner.value, "aws:SecureTransport": "true"}
