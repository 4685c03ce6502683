"""STS as AWS judges it: AssumeRole by the role's trust policy and the caller's
own policies, and GetCallerIdentity answered from the verified key.

AssumeRole (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html):
the session name must be 2-64 characters of ``[\\w+=,.@-]``; the duration at most
the role's maximum, and at most an hour when a session assumes a role (role
chaining, https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining);
a role that does not exist is AccessDenied, like one whose trust policy does not
let the caller in (STS never tells the two apart).
"""

from __future__ import annotations

from collections.abc import Mapping
from xml.sax.saxutils import escape

from adapters.aws_models.authorization import Caller, CallerKind, authorize_assume_role
from adapters.aws_models.policy_evaluation import Context
from adapters.aws_models.probe_rules import SESSION_NAME
from adapters.sandbox import aws_answers, moto_state
from adapters.sandbox.aws_answers import Refusal
from domain.errors import InvalidField
from domain.role_arn import RoleArn

_CHAINED_MAX_SECONDS = 3600
_MIN_SECONDS = 900


def assume_role_refusal(
    caller: Caller, form: Mapping[str, str], context: Context
) -> Refusal | None:
    """Why STS refuses this AssumeRole; None when AWS would let it through."""
    role_arn = form.get("RoleArn", "")
    malformed = _malformed(form, caller)
    if malformed is not None:
        return malformed
    account = _account_of(role_arn)
    role = moto_state.role(account, role_arn) if account else None
    denied = aws_answers.access_denied("sts", caller.arn, "sts:AssumeRole", role_arn)
    if role is None or role.trust_policy is None:
        return denied
    if _duration(form) > role.max_session_seconds:
        return aws_answers.invalid_parameter(
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
        )
    trust_context = {**context, **_trust_keys(form)}
    decision = authorize_assume_role(caller, role_arn, account, role.trust_policy, trust_context)
    return None if decision.allowed else denied


def _malformed(form: Mapping[str, str], caller: Caller) -> Refusal | None:
    if not SESSION_NAME.fullmatch(form.get("RoleSessionName", "")):
        return aws_answers.invalid_parameter(
            "1 validation error detected: Value at 'roleSessionName' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"
        )
    if any(name.startswith("PolicyArns.") for name in form):
        # Managed session policies are not kept by the emulator: refusing them
        # is the only way not to hand out a session wider than asked for.
        return aws_answers.invalid_parameter("the sandbox does not support PolicyArns")
    duration = _duration(form)
    if duration < _MIN_SECONDS:
        return aws_answers.invalid_parameter("DurationSeconds must be at least 900")
    if caller.kind is CallerKind.ASSUMED_ROLE and duration > _CHAINED_MAX_SECONDS:
        return aws_answers.invalid_parameter(
            "The requested DurationSeconds exceeds the 1 hour session limit for roles "
            "assumed by role chaining."
        )
    return None


def _account_of(role_arn: str) -> str:
    try:
        return RoleArn.parse(role_arn).account_id.value
    except InvalidField:
        return ""  # no such role can exist: denied like a missing one


def _duration(form: Mapping[str, str]) -> int:
    try:
        return int(form.get("DurationSeconds", "3600"))
    except ValueError:
        return 0


def _trust_keys(form: Mapping[str, str]) -> dict[str, str]:
    keys = {"sts:RoleSessionName": form.get("RoleSessionName", "")}
    if "ExternalId" in form:
        keys["sts:ExternalId"] = form["ExternalId"]
    return keys


def caller_identity(caller: Caller) -> bytes:
    """GetCallerIdentity needs no permission and cannot be denied
    (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html)."""
    return (
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        "<GetCallerIdentityResult>"
        f"<Arn>{escape(caller.arn)}</Arn><UserId>{escape(caller.userid)}</UserId>"
        f"<Account>{caller.account}</Account>"
        "</GetCallerIdentityResult>"
        "<ResponseMetadata><RequestId>bucketlink-sandbox</RequestId></ResponseMetadata>"
        "</GetCallerIdentityResponse>"
    ).encode()
