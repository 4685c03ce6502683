"""Whether AWS lets a caller make a request: the decisions of the caller's
policies and of the resource's policy, combined as AWS combines them.

From the IAM User Guide's "Policy evaluation logic"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html),
"Cross-account policy evaluation logic"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html),
"Evaluating effective permissions with boundaries"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html#access_policies_boundaries-eval-logic)
and "Session policies"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session):

* An explicit Deny in any policy (identity, boundary, session, resource) wins.
* The identity side allows when the identity policies allow, and the
  permissions boundary (if set) and the session policies (if any) allow too:
  their intersection.
* Within one account, a resource policy allows on its own too, depending on
  whom it names: the user or the session itself (or everyone) is not limited by
  an implicit deny elsewhere; the role a session is of is limited by the
  boundary and the session policies; the account grants nothing by itself.
* Across accounts both the identity side and the resource policy must allow
  (naming the account suffices there).
* A role's trust policy must allow in every case (it is the role's resource
  policy, and AWS requires it to name the principal, unlike other resource
  policies).

Not modelled: AWS Organizations SCPs and RCPs, ACLs, VPC endpoint policies, KMS
key policies, the account root user, federated users (``GetFederationToken``),
anonymous and service principals, and the checks IAM makes when it stores a
policy (such as a variable before the ARN's resource part). Several session
policies (the inline one and managed ones) are read as one set, any of which
may allow.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from adapters.aws_models.policy_evaluation import (
    ASSUME_ROLE,
    Context,
    Decision,
    Grant,
    PolicyDocument,
    Principal,
    Request,
    Verdict,
    decide,
    resource_policy_verdict,
    trust_verdict,
)
from adapters.aws_models.principals import is_principal


class CallerKind(enum.Enum):
    """``aws:PrincipalType`` for each kind of caller modelled."""

    USER = "User"
    ASSUMED_ROLE = "AssumedRole"


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated IAM user or role session, with the policies AWS holds
    for it."""

    account: str
    # A user: arn:aws:iam::<account>:user/<path/><name>;
    # a session: arn:aws:sts::<account>:assumed-role/<role>/<session>.
    arn: str
    kind: CallerKind
    # A user's unique id (AIDA...); for a session "<role id>:<session name>".
    userid: str
    # A session's role: arn:aws:iam::<account>:role/<path/><name>.
    role_arn: str | None = None
    # Inline and attached managed policies (a role's, for a session).
    identity_policies: tuple[PolicyDocument, ...] = ()
    permissions_boundary: PolicyDocument | None = None
    # What AssumeRole was given as Policy and PolicyArns.
    session_policies: tuple[PolicyDocument, ...] = ()

    def __post_init__(self) -> None:
        if self.kind is CallerKind.ASSUMED_ROLE:
            if self.role_arn is None or not is_principal(self.arn, self.role_arn):
                raise ValueError(f"{self.arn} is not a session of role {self.role_arn}")
        elif self.role_arn is not None or self.session_policies:
            raise ValueError("only a role session has a role and session policies")

    @classmethod
    def session(
        cls,
        role_arn: str,
        session_name: str,
        *,
        role_id: str,
        policies: tuple[PolicyDocument, ...] = (),
        boundary: PolicyDocument | None = None,
        session_policies: tuple[PolicyDocument, ...] = (),
    ) -> Caller:
        """A session of ``role_arn``: its ARN names the role without its path
        (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns)."""
        account = role_arn.split(":")[4]
        name = role_arn.rsplit("/", 1)[-1]
        return cls(
            account=account,
            arn=f"arn:aws:sts::{account}:assumed-role/{name}/{session_name}",
            kind=CallerKind.ASSUMED_ROLE,
            userid=f"{role_id}:{session_name}",
            role_arn=role_arn,
            identity_policies=policies,
            permissions_boundary=boundary,
            session_policies=session_policies,
        )

    @property
    def principal(self) -> Principal:
        return Principal(self.arn, self.account, self.role_arn)


def principal_context(caller: Caller) -> dict[str, str]:
    """The global condition keys AWS sets for the caller
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
    ``aws:PrincipalArn`` is the role's ARN for a session, not the session's, and
    ``aws:username`` is present for users only."""
    context = {
        "aws:PrincipalAccount": caller.account,
        "aws:PrincipalArn": caller.role_arn or caller.arn,
        "aws:PrincipalType": caller.kind.value,
        "aws:userid": caller.userid,
    }
    if caller.kind is CallerKind.USER:
        context["aws:username"] = caller.arn.rsplit("/", 1)[-1]
    return context


def authorize(
    caller: Caller,
    action: str,
    resource: str,
    context: Context,
    *,
    resource_policy: PolicyDocument | None = None,
    resource_account: str | None = None,
) -> Decision:
    """May ``caller`` do ``action`` on ``resource`` (in ``resource_account``, the
    caller's own when None), given the resource's policy if it has one?"""
    request = _request(caller, action, resource, context)
    granted = None
    if resource_policy is not None:
        granted = resource_policy_verdict(
            resource_policy, caller.principal, action, resource, request.context
        )
    same_account = resource_account in (None, caller.account)
    return _combine(caller, request, granted, same_account=same_account, required=False)


def authorize_assume_role(
    caller: Caller,
    role_arn: str,
    role_account: str,
    trust_policy: PolicyDocument,
    context: Context,
) -> Decision:
    """May ``caller`` call ``sts:AssumeRole`` on the role ``role_arn`` of
    ``role_account``, whose trust policy is ``trust_policy``?"""
    request = _request(caller, ASSUME_ROLE, role_arn, context)
    trusted = trust_verdict(trust_policy, caller.principal, request.context)
    same_account = role_account == caller.account
    return _combine(caller, request, trusted, same_account=same_account, required=True)


def _request(caller: Caller, action: str, resource: str, context: Context) -> Request:
    # AWS sets the principal's keys itself; a request cannot override them.
    return Request(action, resource, {**context, **principal_context(caller)})


def _combine(
    caller: Caller,
    request: Request,
    resource_side: Verdict | None,
    *,
    same_account: bool,
    required: bool,
) -> Decision:
    identity = decide(caller.identity_policies, request)
    limits = _limits(caller, request)
    resource = [] if resource_side is None else [resource_side.decision]
    if Decision.EXPLICIT_DENY in (identity, *limits, *resource):
        return Decision.EXPLICIT_DENY
    within_limits = all(limit.allowed for limit in limits)
    identity_allows = identity.allowed and within_limits
    grant = resource_side.grant if resource_side and resource_side.decision.allowed else None
    if grant is None and (required or not same_account):
        return Decision.IMPLICIT_DENY
    if same_account:
        allowed = identity_allows or _grant_suffices(grant, within_limits)
    else:
        allowed = identity_allows
    return Decision.ALLOW if allowed else Decision.IMPLICIT_DENY


def _limits(caller: Caller, request: Request) -> list[Decision]:
    """The boundary's and the session policies' decisions, for those present."""
    limits = []
    if caller.permissions_boundary is not None:
        limits.append(decide([caller.permissions_boundary], request))
    if caller.session_policies:
        limits.append(decide(caller.session_policies, request))
    return limits


def _grant_suffices(grant: Grant | None, within_limits: bool) -> bool:
    """Whether a same-account resource policy's grant allows without the
    identity side: by whom it names (``Grant``)."""
    return grant is Grant.DIRECT or (grant is Grant.ROLE and within_limits)
