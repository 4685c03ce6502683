"""IAM policy evaluation, as AWS judges one request against a set of policies.

An explicit Deny wins; otherwise some statement must Allow; otherwise the request
is implicitly denied. What this module cannot judge (an unknown condition
operator, a malformed statement) is resolved fail-closed: such a statement never
grants, and it still denies; a document that is not a JSON object with a
``Statement`` (which AWS would never store, and moto does) denies outright.
Wildcards are matched without backtracking (``wildcards``), so no policy can
stall the caller.

Covered: Effect, Action/NotAction, Resource/NotResource with policy variables
(``policy_variables``), Principal/NotPrincipal (``principal_matching``), and
Condition with every operator of the IAM User Guide, ``...IfExists`` and the
``ForAnyValue:``/``ForAllValues:`` set operators (``condition_operators``).
How the decisions of several policy types combine is ``authorization``'s job.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from adapters.aws_models.condition_operators import arn_like, conditions_hold
from adapters.aws_models.policy_grammar import CannotJudge, all_hold, attempt, strings
from adapters.aws_models.policy_variables import Resolver, supports_variables
from adapters.aws_models.principal_matching import Grant, Principal, grant_to
from adapters.aws_models.request_context import Context, RequestContext
from adapters.aws_models.wildcards import wildcard_match

__all__ = [
    "ASSUME_ROLE",
    "Context",
    "Decision",
    "Grant",
    "PolicyDocument",
    "Principal",
    "Request",
    "Verdict",
    "arn_like",
    "decide",
    "identity_decision",
    "judge",
    "load_document",
    "resource_policy_decision",
    "resource_policy_verdict",
    "statements",
    "trust_decision",
    "trust_verdict",
    "well_formed",
    "wildcard_match",
]

PolicyDocument = Mapping[str, Any]

ASSUME_ROLE = "sts:AssumeRole"


class Decision(enum.Enum):
    ALLOW = "allow"
    IMPLICIT_DENY = "implicit_deny"
    EXPLICIT_DENY = "explicit_deny"

    @property
    def allowed(self) -> bool:
        return self is Decision.ALLOW


@dataclass(frozen=True, slots=True)
class Request:
    action: str
    # None for a trust policy: it is attached to the role and names no resource.
    resource: str | None
    context: Context = field(default_factory=dict)
    # None for identity policies, which are attached to the principal itself. An
    # ARN alone stands for that user or role (``Principal.of``).
    principal: Principal | str | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    """A decision, and when it allows, how the strongest Allow named the
    principal (``Grant.DIRECT`` when the policies name none)."""

    decision: Decision
    grant: Grant | None = None


def trust_decision(
    trust_policy: PolicyDocument, principal: Principal | str, context: Context
) -> Decision:
    """May ``principal`` assume the role carrying ``trust_policy``?"""
    return trust_verdict(trust_policy, principal, context).decision


def trust_verdict(
    trust_policy: PolicyDocument, principal: Principal | str, context: Context
) -> Verdict:
    if any("NotPrincipal" in statement for statement in statements(trust_policy)):
        # IAM refuses NotPrincipal in a role's trust policy; one the emulator kept denies.
        return Verdict(Decision.EXPLICIT_DENY)
    return judge([trust_policy], Request(ASSUME_ROLE, None, context, principal))


def identity_decision(
    policies: Iterable[PolicyDocument], action: str, resource: str, context: Context
) -> Decision:
    """May a principal holding ``policies`` do ``action`` on ``resource``?"""
    return decide(policies, Request(action, resource, context))


def resource_policy_decision(
    policy: PolicyDocument,
    principal: Principal | str,
    action: str,
    resource: str,
    context: Context,
) -> Decision:
    """What a resource's own policy (a bucket policy) says about ``principal``."""
    return resource_policy_verdict(policy, principal, action, resource, context).decision


def resource_policy_verdict(
    policy: PolicyDocument,
    principal: Principal | str,
    action: str,
    resource: str,
    context: Context,
) -> Verdict:
    if any(_allows_by_not_principal(statement) for statement in statements(policy)):
        return Verdict(Decision.EXPLICIT_DENY)  # not supported by AWS: never a grant
    return judge([policy], Request(action, resource, context, principal))


def _allows_by_not_principal(statement: Mapping[str, Any]) -> bool:
    # "NotPrincipal must be used with "Effect":"Deny". Using it with
    # "Effect":"Allow" is not supported." (IAM User Guide, NotPrincipal)
    return "NotPrincipal" in statement and statement.get("Effect") == "Allow"


def decide(policies: Iterable[PolicyDocument], request: Request) -> Decision:
    return judge(policies, request).decision


def judge(policies: Iterable[PolicyDocument], request: Request) -> Verdict:
    principal = None if request.principal is None else Principal.of(request.principal)
    context = RequestContext.of(request.context)
    grants: list[Grant] = []
    for policy in policies:
        if not well_formed(policy):
            # AWS never stores such a document; one the emulator kept denies.
            return Verdict(Decision.EXPLICIT_DENY)
        resolver = Resolver(context, supports_variables(policy))
        for statement in statements(policy):
            grant = _applies(statement, principal, request, resolver)
            if grant is not None and statement.get("Effect") == "Deny":
                return Verdict(Decision.EXPLICIT_DENY)
            if grant is not None and statement.get("Effect") == "Allow":
                grants.append(grant)
    return Verdict(Decision.ALLOW, max(grants)) if grants else Verdict(Decision.IMPLICIT_DENY)


def load_document(document: object) -> PolicyDocument:
    """A policy as boto3 hands it over: IAM documents arrive parsed, bucket
    policies as JSON text. Anything that is not a JSON object comes back as a
    document that is not ``well_formed``, which denies."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            return _MALFORMED
    return document if isinstance(document, Mapping) else _MALFORMED


def well_formed(policy: object) -> bool:
    """A JSON object whose ``Statement`` is a statement object or a list of them."""
    if not isinstance(policy, Mapping):
        return False
    found = policy.get("Statement")
    if isinstance(found, Mapping):
        return True
    return isinstance(found, list) and all(isinstance(s, Mapping) for s in found)


def statements(policy: PolicyDocument) -> Iterator[Mapping[str, Any]]:
    """The statements of a ``well_formed`` policy; none of any other."""
    if well_formed(policy):
        found = policy["Statement"]
        yield from [found] if isinstance(found, Mapping) else found


_MALFORMED: PolicyDocument = {}


def _applies(
    statement: Mapping[str, Any],
    principal: Principal | None,
    request: Request,
    resolver: Resolver,
) -> Grant | None:
    """How the statement names the principal when it applies to the request,
    None when it does not. One the evaluator cannot judge applies only if it
    denies (and then how it names the principal does not matter)."""
    grant = attempt(partial(_principal_grant, statement, principal))
    rest = attempt(
        partial(
            all_hold,
            [
                partial(_action_matches, statement, request.action),
                partial(_resource_matches, statement, request.resource, resolver),
                partial(conditions_hold, statement.get("Condition", {}), resolver),
            ],
        )
    )
    if grant is None or rest is False:
        return None
    if isinstance(grant, CannotJudge) or isinstance(rest, CannotJudge):
        return Grant.DIRECT if statement.get("Effect") == "Deny" else None
    return grant


def _action_matches(statement: Mapping[str, Any], action: str) -> bool:
    lowered = action.lower()
    return _element_matches(statement, "Action", lambda p: wildcard_match(p.lower(), lowered))


def _resource_matches(
    statement: Mapping[str, Any], resource: str | None, resolver: Resolver
) -> bool:
    if resource is None:
        return True
    return _element_matches(statement, "Resource", partial(_fits, resolver, resource))


def _fits(resolver: Resolver, text: str, template: str) -> bool:
    pattern = resolver.pattern(template)
    # A variable without a value: the entry matches no resource.
    return pattern is not None and pattern.matches(text)


def _element_matches(
    statement: Mapping[str, Any], element: str, matches: Callable[[str], object]
) -> bool:
    if element in statement:
        return any(matches(p) for p in strings(statement[element]))
    if f"Not{element}" in statement:
        return not any(matches(p) for p in strings(statement[f"Not{element}"]))
    raise CannotJudge(f"statement has neither {element} nor Not{element}")


def _principal_grant(statement: Mapping[str, Any], principal: Principal | None) -> Grant | None:
    if principal is None:
        return Grant.DIRECT
    if "Principal" in statement:
        return grant_to(statement["Principal"], principal)
    if "NotPrincipal" in statement:
        # Everyone but those named: a grant to the caller itself, if it applies.
        return None if grant_to(statement["NotPrincipal"], principal) else Grant.DIRECT
    raise CannotJudge("resource policy statement names no principal")
