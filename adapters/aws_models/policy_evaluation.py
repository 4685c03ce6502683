"""IAM policy evaluation, as AWS judges one request against a set of policies.

An explicit Deny wins; otherwise some statement must Allow; otherwise the request
is implicitly denied. What this module cannot judge (an unknown condition
operator, a policy variable, a malformed statement) is resolved fail-closed: such
a statement never grants, and it still denies; a document that is not a JSON
object with a ``Statement`` (which AWS would never store, and moto does) denies
outright. Wildcards are matched without backtracking (``wildcard_match``), so no
policy can stall the caller.

Covered: Effect, Action/NotAction, Resource/NotResource, Principal/NotPrincipal
(the ``AWS`` kind), and the String*, Arn*, Bool and Null condition operators with
``...IfExists``. Not covered (fail-closed): ``ForAnyValue:``/``ForAllValues:``,
numeric and date operators, policy variables.
"""

from __future__ import annotations

import enum
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

PolicyDocument = Mapping[str, Any]
Context = Mapping[str, str]

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
    # None for identity policies, which are attached to the principal itself.
    principal: str | None = None


def trust_decision(trust_policy: PolicyDocument, principal_arn: str, context: Context) -> Decision:
    """May ``principal_arn`` assume the role carrying ``trust_policy``?"""
    if any("NotPrincipal" in statement for statement in statements(trust_policy)):
        # IAM refuses NotPrincipal in a role's trust policy; one the emulator kept denies.
        return Decision.EXPLICIT_DENY
    return decide([trust_policy], Request(ASSUME_ROLE, None, context, principal_arn))


def identity_decision(
    policies: Iterable[PolicyDocument], action: str, resource: str, context: Context
) -> Decision:
    """May a principal holding ``policies`` do ``action`` on ``resource``?"""
    return decide(policies, Request(action, resource, context))


def resource_policy_decision(
    policy: PolicyDocument, principal_arn: str, action: str, resource: str, context: Context
) -> Decision:
    """What a resource's own policy (a bucket policy) says about ``principal_arn``."""
    if any(_allows_by_not_principal(statement) for statement in statements(policy)):
        return Decision.EXPLICIT_DENY  # not supported by AWS: never a grant
    return decide([policy], Request(action, resource, context, principal_arn))


def _allows_by_not_principal(statement: Mapping[str, Any]) -> bool:
    # "NotPrincipal must be used with "Effect":"Deny". Using it with
    # "Effect":"Allow" is not supported." (IAM User Guide, NotPrincipal)
    return "NotPrincipal" in statement and statement.get("Effect") == "Allow"


def decide(policies: Iterable[PolicyDocument], request: Request) -> Decision:
    effects: set[object] = set()
    for policy in policies:
        if not well_formed(policy):
            # AWS never stores such a document; one the emulator kept denies.
            return Decision.EXPLICIT_DENY
        effects.update(s.get("Effect") for s in statements(policy) if _applies(s, request))
    if "Deny" in effects:
        return Decision.EXPLICIT_DENY
    if "Allow" in effects:
        return Decision.ALLOW
    return Decision.IMPLICIT_DENY


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


class _CannotJudge(Exception):
    pass


def _applies(statement: Mapping[str, Any], request: Request) -> bool:
    try:
        return (
            _principal_matches(statement, request.principal)
            and _action_matches(statement, request.action)
            and _resource_matches(statement, request.resource)
            and _conditions_hold(statement.get("Condition", {}), request.context)
        )
    except _CannotJudge:
        return statement.get("Effect") == "Deny"


def _action_matches(statement: Mapping[str, Any], action: str) -> bool:
    lowered = action.lower()
    return _element_matches(statement, "Action", lambda p: wildcard_match(p.lower(), lowered))


def _resource_matches(statement: Mapping[str, Any], resource: str | None) -> bool:
    if resource is None:
        return True
    return _element_matches(statement, "Resource", lambda p: wildcard_match(_literal(p), resource))


def _element_matches(
    statement: Mapping[str, Any], element: str, matches: Callable[[str], object]
) -> bool:
    if element in statement:
        return any(matches(p) for p in _strings(statement[element]))
    if f"Not{element}" in statement:
        return not any(matches(p) for p in _strings(statement[f"Not{element}"]))
    raise _CannotJudge(f"statement has neither {element} nor Not{element}")


def _principal_matches(statement: Mapping[str, Any], principal: str | None) -> bool:
    if principal is None:
        return True
    if "Principal" in statement:
        return _names_principal(statement["Principal"], principal)
    if "NotPrincipal" in statement:
        return not _names_principal(statement["NotPrincipal"], principal)
    raise _CannotJudge("resource policy statement names no principal")


def _names_principal(value: Any, principal: str) -> bool:
    if value == "*":
        return True
    if not isinstance(value, Mapping):
        raise _CannotJudge("Principal must be '*' or an object")
    return any(_principal_is(p, principal) for p in _strings(value.get("AWS", [])))


_PRINCIPAL_ACCOUNT = re.compile(r"arn:aws:(?:iam|sts)::(?P<account>[0-9]{12}):")


def _principal_is(candidate: str, principal: str) -> bool:
    if candidate in ("*", principal):
        return True
    # An account (bare id or its root ARN) stands for every principal in it: the
    # account's own IAM policies then decide who may use the grant.
    match = _PRINCIPAL_ACCOUNT.match(principal)
    account = match["account"] if match else None
    return account is not None and candidate in (account, f"arn:aws:iam::{account}:root")


def _conditions_hold(conditions: Any, context: Context) -> bool:
    if not isinstance(conditions, Mapping):
        raise _CannotJudge("Condition must be an object")
    lowered = {key.lower(): value for key, value in context.items()}
    return all(
        _condition_holds(operator, key, expected, lowered)
        for operator, pairs in conditions.items()
        for key, expected in _pairs(pairs)
    )


def _pairs(pairs: Any) -> Iterator[tuple[str, Any]]:
    if not isinstance(pairs, Mapping):
        raise _CannotJudge("a condition operator needs an object of keys")
    yield from pairs.items()


def _condition_holds(operator: str, key: str, expected: Any, context: Context) -> bool:
    base, if_exists = _split_if_exists(operator)
    values = [_literal(v) for v in _strings(expected)]
    actual = context.get(key.lower())
    if base == "Null":
        return all((actual is None) == (v.lower() == "true") for v in values)
    negated = base in _NEGATED
    test = _TESTS.get(_NEGATED.get(base, base))
    if test is None:
        raise _CannotJudge(f"unsupported condition operator {operator}")
    if actual is None:
        # AWS: a missing key fails a positive test and passes a negated one.
        return if_exists or negated
    hit = any(test(actual, v) for v in values)
    return not hit if negated else hit


def _split_if_exists(operator: str) -> tuple[str, bool]:
    if operator.endswith("IfExists"):
        return operator.removesuffix("IfExists"), True
    return operator, False


def _like(actual: str, pattern: str) -> bool:
    return wildcard_match(pattern, actual)


# An ARN's six components; the last (the resource) may itself hold colons.
_ARN_COMPONENTS = 6


def arn_like(actual: str, pattern: str) -> bool:
    """IAM's ARN operators: each of the six colon-delimited components matched
    on its own, so a ``*`` never spans a colon into the next component
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN)."""
    wanted = pattern.split(":", _ARN_COMPONENTS - 1)
    got = actual.split(":", _ARN_COMPONENTS - 1)
    if len(wanted) != _ARN_COMPONENTS or len(got) != _ARN_COMPONENTS:
        return False
    return all(wildcard_match(w, g) for w, g in zip(wanted, got, strict=True))


_TESTS: dict[str, Callable[[str, str], bool]] = {
    "StringEquals": lambda actual, value: actual == value,
    "StringEqualsIgnoreCase": lambda actual, value: actual.casefold() == value.casefold(),
    "StringLike": _like,
    # ArnEquals and ArnLike both accept wildcards in AWS.
    "ArnEquals": arn_like,
    "ArnLike": arn_like,
    "Bool": lambda actual, value: actual.lower() == value.lower(),
}
_NEGATED: dict[str, str] = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}


def _strings(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str | bool | int) for item in items):
        raise _CannotJudge("expected a string or a list of strings")
    # JSON booleans in a Bool condition mean the same as "true"/"false".
    return [str(item).lower() if isinstance(item, bool) else str(item) for item in items]


def _literal(text: str) -> str:
    if "${" in text:
        raise _CannotJudge("policy variables are not evaluated")
    return text


def wildcard_match(pattern: str, text: str) -> bool:
    """IAM's wildcards: ``*`` any run of characters, ``?`` any one character.

    Without backtracking, so a policy cannot make the evaluator slow: the text
    between the stars is placed left to right, each piece at its leftmost fit
    (which is always safe for ``*``), the first piece at the start and the last
    at the end. Each character of ``text`` is scanned once per piece at most.
    """
    pieces = _pieces(pattern)
    if len(pieces) == 1:
        return len(text) == len(pattern) and pieces[0].fits(text, 0)
    first, *middle, last = pieces
    end = len(text) - len(last.text)
    if end < len(first.text) or not (first.fits(text, 0) and last.fits(text, end)):
        return False
    position = len(first.text)
    for piece in middle:
        found = piece.find(text, position, end)
        if found < 0:
            return False
        position = found + len(piece.text)
    return True


@dataclass(frozen=True, slots=True)
class _Piece:
    """Text between two stars, where ``?`` stands for any one character."""

    text: str

    def fits(self, text: str, at: int) -> bool:
        window = text[at : at + len(self.text)]
        return len(window) == len(self.text) and all(
            want in ("?", got) for want, got in zip(self.text, window, strict=True)
        )

    def find(self, text: str, start: int, end: int) -> int:
        """The leftmost place at or after ``start`` where the piece fits and ends
        by ``end``; -1 if none."""
        if "?" not in self.text:
            return text.find(self.text, start, end)
        return _shift_and(self.text, text, start, end)


def _shift_and(piece: str, text: str, start: int, end: int) -> int:
    # Shift-and (bitap): bit j of `state` says the last j+1 characters read fit
    # the piece's first j+1, so one pass over the text finds the leftmost fit.
    wild = sum(1 << j for j, want in enumerate(piece) if want == "?")
    masks: dict[str, int] = {}
    for j, want in enumerate(piece):
        if want != "?":
            masks[want] = masks.get(want, wild) | (1 << j)
    done, state = 1 << (len(piece) - 1), 0
    for index in range(start, end):
        state = ((state << 1) | 1) & masks.get(text[index], wild)
        if state & done:
            return index - len(piece) + 1
    return -1


@functools.lru_cache(maxsize=4096)
def _pieces(pattern: str) -> tuple[_Piece, ...]:
    return tuple(_Piece(text) for text in pattern.split("*"))
