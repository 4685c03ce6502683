"""IAM's condition operators: whether a statement's ``Condition`` holds for a request.

Each operator is as the IAM User Guide defines it in "IAM JSON policy elements:
Condition operators"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
String (#Conditions_String), Numeric (#Conditions_Numeric), Date
(#Conditions_Date), Bool (#Conditions_Boolean), BinaryEquals
(#Conditions_BinaryEquals), IpAddress/NotIpAddress (#Conditions_IPAddress),
Arn (#Conditions_ARN), ``...IfExists`` (#Conditions_IfExists) and Null
(#Conditions_Null).

* Several operators, and several keys in one operator, are ANDed; several values
  for one key are ORed, and for a negated operator (``StringNotEquals``,
  ``NotIpAddress``, ...) NORed: it holds when the request value matches none of
  them
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html).
* A key absent from the request fails a positive operator and passes a negated
  one; ``...IfExists`` passes whenever the key is absent; Null tests presence.
* ``ForAnyValue:`` and ``ForAllValues:`` compare each value of a multivalued key
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html):
  ForAnyValue holds if one does, and fails for an absent key; ForAllValues holds
  if all do, and holds for an absent key.
* Policy variables are read in the values of the String, Arn and Bool operators,
  the ones the operators page says take them.

Where the pages are silent the operator fails closed: a request value or policy
value that is not a number, a date, an address or base64 for its operator makes
the condition not hold (negated or not), and a multivalued key under an
operator without ``ForAnyValue:``/``ForAllValues:`` cannot be judged, nor can an
operator this module does not know.
"""

from __future__ import annotations

import base64
import ipaddress
import math
import operator
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from adapters.aws_models.policy_grammar import CannotJudge, all_hold, strings
from adapters.aws_models.policy_variables import Resolver
from adapters.aws_models.wildcards import Pattern

# One request value against one policy value: None when they cannot be compared.
_Comparison = Callable[[str, Pattern], bool | None]
_T = TypeVar("_T")

# An ARN's six components; the last (the resource) may itself hold colons.
_ARN_COMPONENTS = 6
_FOR_ANY_VALUE = "ForAnyValue:"
_FOR_ALL_VALUES = "ForAllValues:"
_IF_EXISTS = "IfExists"
_NULL = "Null"


@dataclass(frozen=True, slots=True)
class _Operator:
    compare: _Comparison
    negated: bool = False
    # Whether the operator reads policy variables in its values.
    variables: bool = False


def conditions_hold(conditions: Any, resolver: Resolver) -> bool:
    """Whether a statement's ``Condition`` element holds for the request."""
    if not isinstance(conditions, Mapping):
        raise CannotJudge("Condition must be an object")
    return all_hold(
        partial(_condition_holds, name, key, values, resolver)
        for name, pairs in conditions.items()
        for key, values in _pairs(pairs)
    )


def arn_like(actual: str, pattern: str) -> bool:
    """IAM's ARN operators: each of the six colon-delimited components matched
    on its own, so a ``*`` never spans a colon into the next component
    (#Conditions_ARN)."""
    return _arn_like(actual, Pattern.plain(pattern))


def _pairs(pairs: Any) -> Iterator[tuple[str, Any]]:
    if not isinstance(pairs, Mapping):
        raise CannotJudge("a condition operator needs an object of keys")
    yield from pairs.items()


def _condition_holds(name: str, key: str, values: Any, resolver: Resolver) -> bool:
    qualifier, base, if_exists = _parse(name)
    wanted = strings(values)
    actual = resolver.context.get(key)
    if base == _NULL:
        return any((actual is None) == _null_means_absent(value) for value in wanted)
    op = _OPERATORS[base]
    if actual is None:
        return _holds_without_key(op, qualifier, if_exists)
    holds = partial(_holds_for, op, _patterns(op, wanted, resolver))
    if qualifier is None:
        if not isinstance(actual, str):
            raise CannotJudge(f"{name} on the multivalued key {key} needs a set operator")
        return holds(actual)
    members = (actual,) if isinstance(actual, str) else actual
    combine = any if qualifier == _FOR_ANY_VALUE else all
    return combine(holds(member) for member in members)


def _holds_without_key(op: _Operator, qualifier: str | None, if_exists: bool) -> bool:
    # "If the key is not present, evaluate the condition element as true."
    if if_exists:
        return True
    if qualifier is not None:
        return qualifier == _FOR_ALL_VALUES
    return op.negated


def _parse(name: str) -> tuple[str | None, str, bool]:
    """(the set operator or None, the base operator, whether ...IfExists)."""
    qualifier = next((q for q in (_FOR_ANY_VALUE, _FOR_ALL_VALUES) if name.startswith(q)), None)
    rest = name.removeprefix(qualifier or "")
    if_exists = rest.endswith(_IF_EXISTS)
    base = rest.removesuffix(_IF_EXISTS) if if_exists else rest
    # "You can add IfExists to the end of any condition operator name except the Null condition."
    null_alone = base == _NULL and qualifier is None and not if_exists
    if not (null_alone or base in _OPERATORS):
        raise CannotJudge(f"unsupported condition operator {name}")
    return qualifier, base, if_exists


def _null_means_absent(value: str) -> bool:
    # "true (the key doesn't exist — it is null) or false (the key exists ...)"
    if value.lower() not in ("true", "false"):
        raise CannotJudge("Null takes true or false")
    return value.lower() == "true"


def _patterns(op: _Operator, values: list[str], resolver: Resolver) -> list[Pattern | None]:
    if op.variables:
        return [resolver.pattern(value) for value in values]
    return [Pattern.plain(value) for value in values]


def _holds_for(op: _Operator, patterns: list[Pattern | None], actual: str) -> bool:
    # A value whose variable has no value matches no request value.
    outcomes = [False if p is None else op.compare(actual, p) for p in patterns]
    if None in outcomes:
        return False
    return any(outcomes) is not op.negated


def _arn_like(actual: str, pattern: Pattern) -> bool:
    wanted = pattern.split(":", _ARN_COMPONENTS - 1)
    got = actual.split(":", _ARN_COMPONENTS - 1)
    if len(wanted) != _ARN_COMPONENTS or len(got) != _ARN_COMPONENTS:
        return False
    return all(w.matches(g) for w, g in zip(wanted, got, strict=True))


_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_EPOCH = re.compile(r"[+-]?\d+(?:\.\d+)?")
_YEAR_MONTH = re.compile(r"\d{4}-\d{2}")
_EPOCH_START = datetime(1970, 1, 1, tzinfo=UTC)


def _number(text: str) -> float | None:
    """An integer or decimal value (#Conditions_Numeric); None for anything else."""
    if not _DECIMAL.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def _instant(text: str) -> datetime | None:
    """A W3C ISO 8601 date or date-time, or epoch (UNIX) time
    (#Conditions_Date); None for anything else. A bare number is epoch time, so
    a bare year such as ``2020`` reads as seconds."""
    if _EPOCH.fullmatch(text):
        try:
            return _EPOCH_START + timedelta(seconds=float(text))
        except OverflowError:
            return None
    try:
        moment = datetime.fromisoformat(f"{text}-01" if _YEAR_MONTH.fullmatch(text) else text)
    except ValueError:
        return None
    # W3C dates may carry no zone; AWS keeps time in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _ordered(parse: Callable[[str], _T | None], relation: Callable[[_T, _T], bool]) -> _Comparison:
    def compare(actual: str, wanted: Pattern) -> bool | None:
        left, right = parse(actual), parse(wanted.text)
        return None if left is None or right is None else relation(left, right)

    return compare


def _binary_equals(actual: str, wanted: Pattern) -> bool | None:
    # "compares the value of the specified key byte for byte against a base-64
    # encoded representation"; the request value arrives base64 encoded too.
    try:
        return base64.b64decode(actual, validate=True) == base64.b64decode(
            wanted.text, validate=True
        )
    except ValueError:  # binascii.Error, or text that is not ASCII
        return None


def _in_network(actual: str, wanted: Pattern) -> bool | None:
    # A bare address is its own network (/32 for IPv4, /128 for IPv6).
    try:
        return ipaddress.ip_address(actual) in ipaddress.ip_network(wanted.text, strict=False)
    except ValueError:
        return None


def _string_equals(actual: str, wanted: Pattern) -> bool:
    return actual == wanted.text


def _string_equals_ignore_case(actual: str, wanted: Pattern) -> bool:
    return actual.casefold() == wanted.text.casefold()


def _string_like(actual: str, wanted: Pattern) -> bool:
    return wanted.matches(actual)


def _bool(actual: str, wanted: Pattern) -> bool:
    return actual.lower() == wanted.text.lower()


_RELATIONS: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": operator.eq,
    "LessThan": operator.lt,
    "LessThanEquals": operator.le,
    "GreaterThan": operator.gt,
    "GreaterThanEquals": operator.ge,
}

_POSITIVE: dict[str, _Operator] = {
    "StringEquals": _Operator(_string_equals, variables=True),
    "StringEqualsIgnoreCase": _Operator(_string_equals_ignore_case, variables=True),
    "StringLike": _Operator(_string_like, variables=True),
    **{f"Numeric{name}": _Operator(_ordered(_number, r)) for name, r in _RELATIONS.items()},
    **{f"Date{name}": _Operator(_ordered(_instant, r)) for name, r in _RELATIONS.items()},
    # The operators page lets Bool take policy variables (the variables page does not).
    "Bool": _Operator(_bool, variables=True),
    "BinaryEquals": _Operator(_binary_equals),
    "IpAddress": _Operator(_in_network),
    # ArnEquals and ArnLike "behave identically", wildcards and all.
    "ArnEquals": _Operator(_arn_like, variables=True),
    "ArnLike": _Operator(_arn_like, variables=True),
}
_NEGATIONS = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "NumericNotEquals": "NumericEquals",
    "DateNotEquals": "DateEquals",
    "NotIpAddress": "IpAddress",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}
_OPERATORS: dict[str, _Operator] = {
    **_POSITIVE,
    **{name: replace(_POSITIVE[base], negated=True) for name, base in _NEGATIONS.items()},
}
