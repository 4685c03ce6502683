"""IAM's evaluation rules stated as properties: the operators agree with the
comparisons they are named after, the escapes of policy variables are literal,
and no policy type can widen what another one limits."""

from __future__ import annotations

import dataclasses
import ipaddress
import operator
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from adapters.aws_models.authorization import Caller, CallerKind, authorize
from adapters.aws_models.policy_evaluation import (
    Context,
    Decision,
    Principal,
    Request,
    decide,
    resource_policy_decision,
)

ACCOUNT = "111122223333"
BUCKET = "arn:aws:s3:::amzn-s3-demo-bucket"
LIST = "s3:ListBucket"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/service/app"
SESSION_ARN = f"arn:aws:sts::{ACCOUNT}:assumed-role/app/job-1"
SESSION = Caller(
    account=ACCOUNT,
    arn=SESSION_ARN,
    kind=CallerKind.ASSUMED_ROLE,
    userid="AROADBQP57FF2AEXAMPLE:job-1",
    role_arn=ROLE_ARN,
)


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def holds(condition: dict[str, Any], context: Context) -> bool:
    """Whether an Allow under ``condition`` allows a request with ``context``."""
    allow = {"Effect": "Allow", "Action": LIST, "Resource": BUCKET, "Condition": condition}
    return decide([policy(allow)], Request(LIST, BUCKET, context)).allowed


# -- the operators agree with the comparisons they are named after --

RELATIONS: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": operator.eq,
    "NotEquals": operator.ne,
    "LessThan": operator.lt,
    "LessThanEquals": operator.le,
    "GreaterThan": operator.gt,
    "GreaterThanEquals": operator.ge,
}
relations = st.sampled_from(sorted(RELATIONS))
numbers = st.one_of(st.integers(-(10**6), 10**6), st.floats(allow_nan=False, allow_infinity=False))


@given(relations, numbers, numbers)
def test_numeric_operators_agree_with_python(relation: str, actual: float, wanted: float) -> None:
    condition = {f"Numeric{relation}": {"k": str(wanted)}}
    assert holds(condition, {"k": str(actual)}) is RELATIONS[relation](actual, wanted)


instants = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
offsets = st.integers(-12 * 60, 12 * 60).map(lambda minutes: timedelta(minutes=minutes))


@given(relations, instants, instants, offsets)
def test_date_operators_compare_instants(
    relation: str, actual: datetime, wanted: datetime, offset: timedelta
) -> None:
    # The policy writes its instant in another zone: the same instant still.
    written = wanted.astimezone(timezone(offset)).isoformat()
    condition = {f"Date{relation}": {"aws:CurrentTime": written}}
    context = {"aws:CurrentTime": actual.isoformat()}
    assert holds(condition, context) is RELATIONS[relation](actual, wanted)


@given(relations, st.integers(0, 4 * 10**9), instants)
def test_epoch_time_compares_with_dates(relation: str, epoch: int, wanted: datetime) -> None:
    condition = {f"Date{relation}": {"aws:EpochTime": wanted.isoformat()}}
    actual = datetime.fromtimestamp(epoch, UTC)
    assert holds(condition, {"aws:EpochTime": str(epoch)}) is RELATIONS[relation](actual, wanted)


networks = st.one_of(
    st.tuples(st.ip_addresses(v=4), st.integers(0, 32)),
    st.tuples(st.ip_addresses(v=6), st.integers(0, 128)),
).map(lambda pair: ipaddress.ip_network(f"{pair[0]}/{pair[1]}", strict=False))


@given(st.ip_addresses(), networks)
def test_ip_address_agrees_with_ipaddress(address: Any, network: Any) -> None:
    inside = address in network
    context = {"aws:SourceIp": str(address)}
    assert holds({"IpAddress": {"aws:SourceIp": str(network)}}, context) is inside
    assert holds({"NotIpAddress": {"aws:SourceIp": str(network)}}, context) is not inside


@given(networks.flatmap(lambda net: st.tuples(st.just(net), st.ip_addresses(network=net))))
def test_every_address_of_a_network_is_in_it(pair: tuple[Any, Any]) -> None:
    network, address = pair
    assert holds({"IpAddress": {"aws:SourceIp": str(network)}}, {"aws:SourceIp": str(address)})


texts = st.text(alphabet="ab*?$/", max_size=8)
# (positive, negated, policy values, request values): values valid for the type.
POSITIVE_AND_NEGATED = [
    ("StringEquals", "StringNotEquals", texts, texts),
    ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", st.text("aAbB", max_size=4), texts),
    ("StringLike", "StringNotLike", texts, texts),
    ("NumericEquals", "NumericNotEquals", numbers.map(str), numbers.map(str)),
    ("DateEquals", "DateNotEquals", st.integers(0, 4).map(str), st.integers(0, 4).map(str)),
    (
        "IpAddress",
        "NotIpAddress",
        st.sampled_from(["10.0.0.1", "10.0.0.0/31", "::1", "::/127"]),
        st.ip_addresses().map(str) | st.sampled_from(["10.0.0.0", "10.0.0.1", "::"]),
    ),
    (
        "ArnLike",
        "ArnNotLike",
        st.sampled_from(["a:b:c:d:e:f", "a:*:c:d:e:f", "a:b:c:d:e:f/*"]),
        st.sampled_from(["a:b:c:d:e:f", "a:x:c:d:e:f", "a:b:c:d:e:f/g", "a:b"]),
    ),
]
Operators = tuple[str, str, st.SearchStrategy[str], st.SearchStrategy[str]]


@given(st.data(), st.sampled_from(POSITIVE_AND_NEGATED))
def test_a_negated_operator_is_the_complement_for_a_present_key(
    data: st.DataObject, operators: Operators
) -> None:
    positive, negated, policy_values, request_values = operators
    wanted = data.draw(st.lists(policy_values, min_size=1, max_size=3))
    context = {"k": data.draw(request_values)}
    assert holds({negated: {"k": wanted}}, context) is not holds({positive: {"k": wanted}}, context)


@given(st.lists(texts, max_size=4), st.lists(texts, min_size=1, max_size=3))
def test_the_set_operators_are_any_and_all_over_the_request_values(
    actual: list[str], wanted: list[str]
) -> None:
    matched = [value in wanted for value in actual]
    context = {"k": actual}
    assert holds({"ForAnyValue:StringEquals": {"k": wanted}}, context) is any(matched)
    assert holds({"ForAllValues:StringEquals": {"k": wanted}}, context) is all(matched)


OPERATOR_NAMES = [
    *(f"{family}{relation}" for family in ("Numeric", "Date") for relation in RELATIONS),
    *(f"String{name}" for name in ("Equals", "NotEquals", "EqualsIgnoreCase", "Like", "NotLike")),
    *("Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnLike", "ArnNotEquals", "Null"),
]
qualified = st.tuples(
    st.sampled_from(["", "ForAnyValue:", "ForAllValues:"]),
    st.sampled_from(OPERATOR_NAMES),
    st.sampled_from(["", "IfExists"]),
).map("".join)


@given(qualified, st.lists(st.text(), max_size=3), st.none() | st.text() | st.lists(st.text()))
def test_no_value_makes_a_condition_raise(
    name: str, wanted: list[str], actual: str | list[str] | None
) -> None:
    context = {} if actual is None else {"k": actual}
    holds({name: {"k": wanted}}, context)


# -- ${*}, ${?} and ${$}: the literal characters, never wildcards --


def escaped(text: str) -> str:
    """``text`` as a policy must write it to match it literally."""
    return "".join(f"${{{char}}}" if char in "*?$" else char for char in text)


def may_get(resource_pattern: str, key: str) -> bool:
    allow = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": resource_pattern}
    request = Request("s3:GetObject", f"{BUCKET}/{key}")
    return decide([policy(allow)], request).allowed


@given(texts, texts)
def test_an_escaped_prefix_matches_exactly_that_text(prefix: str, key: str) -> None:
    assert may_get(f"{BUCKET}/{escaped(prefix)}", key) is (key == prefix)


@given(texts, texts)
def test_an_escaped_prefix_and_a_star_match_the_keys_under_it(prefix: str, key: str) -> None:
    assert may_get(f"{BUCKET}/{escaped(prefix)}*", key) is key.startswith(prefix)


@given(texts, texts)
def test_an_escaped_prefix_in_a_condition_matches_exactly_that_text(prefix: str, sent: str) -> None:
    assert holds({"StringLike": {"s3:prefix": escaped(prefix)}}, {"s3:prefix": sent}) is (
        sent == prefix
    )


# -- principals --

names = st.text(alphabet="abc-_", min_size=1, max_size=6)


@given(names, st.lists(names, max_size=2), names)
def test_a_role_arn_names_every_session_of_the_role(
    role: str, path: list[str], session: str
) -> None:
    role_arn = f"arn:aws:iam::{ACCOUNT}:role/{''.join(p + '/' for p in path)}{role}"
    principal = Principal(
        f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}", ACCOUNT, role_arn
    )
    grant = {"Effect": "Allow", "Principal": {"AWS": role_arn}, "Action": LIST, "Resource": BUCKET}
    assert resource_policy_decision(policy(grant), principal, LIST, BUCKET, {}).allowed


# -- combining policy types: a Deny wins, a limit never widens --

actions = st.sampled_from([LIST, "s3:GetObject", "s3:*", "*", "ec2:*"])
resources = st.sampled_from([BUCKET, f"{BUCKET}*", "*", "arn:aws:s3:::other"])
effects = st.sampled_from(["Allow", "Deny"])
identity_statements = st.builds(
    lambda effect, action, resource: {"Effect": effect, "Action": action, "Resource": resource},
    effects,
    actions,
    resources,
)
principal_elements = st.sampled_from(["*", ACCOUNT, ROLE_ARN, SESSION_ARN, "arn:aws:iam::9:root"])
bucket_statements = st.builds(
    lambda statement, principal: {**statement, "Principal": {"AWS": principal}},
    identity_statements,
    principal_elements,
)
documents = st.lists(identity_statements, max_size=3).map(lambda s: policy(*s))
bucket_policies = st.none() | st.lists(bucket_statements, max_size=3).map(lambda s: policy(*s))
accounts = st.sampled_from([None, ACCOUNT, "444455556666"])


@st.composite
def sessions(draw: st.DrawFn) -> Caller:
    return dataclasses.replace(
        SESSION,
        identity_policies=tuple(draw(st.lists(documents, max_size=2))),
        permissions_boundary=draw(st.none() | documents),
        session_policies=tuple(draw(st.lists(documents, max_size=2))),
    )


DENY_ALL = policy({"Effect": "Deny", "Action": "*", "Resource": "*"})
DENY_ALL_IN_BUCKET = policy({"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"})


@given(
    sessions(),
    bucket_policies,
    accounts,
    st.sampled_from(["identity", "boundary", "session", "bucket"]),
)
def test_a_deny_anywhere_wins(
    caller: Caller, bucket_policy: dict[str, Any] | None, account: str | None, where: str
) -> None:
    if where == "identity":
        caller = dataclasses.replace(
            caller, identity_policies=(*caller.identity_policies, DENY_ALL)
        )
    elif where == "boundary":
        caller = dataclasses.replace(caller, permissions_boundary=DENY_ALL)
    elif where == "session":
        caller = dataclasses.replace(caller, session_policies=(DENY_ALL,))
    else:
        statements = [] if bucket_policy is None else bucket_policy["Statement"]
        bucket_policy = policy(*statements, *DENY_ALL_IN_BUCKET["Statement"])
    decision = authorize(
        caller, LIST, BUCKET, {}, resource_policy=bucket_policy, resource_account=account
    )
    assert decision is Decision.EXPLICIT_DENY


@given(sessions(), documents, bucket_policies, accounts)
def test_adding_a_boundary_never_widens_access(
    caller: Caller,
    boundary: dict[str, Any],
    bucket_policy: dict[str, Any] | None,
    account: str | None,
) -> None:
    unbounded = dataclasses.replace(caller, permissions_boundary=None)
    bounded = dataclasses.replace(caller, permissions_boundary=boundary)
    kwargs: dict[str, Any] = {"resource_policy": bucket_policy, "resource_account": account}
    if authorize(bounded, LIST, BUCKET, {}, **kwargs).allowed:
        assert authorize(unbounded, LIST, BUCKET, {}, **kwargs).allowed


@given(sessions(), documents, bucket_policies, accounts)
def test_adding_a_session_policy_never_widens_access(
    caller: Caller,
    session_policy: dict[str, Any],
    bucket_policy: dict[str, Any] | None,
    account: str | None,
) -> None:
    without = dataclasses.replace(caller, session_policies=())
    limited = dataclasses.replace(caller, session_policies=(session_policy,))
    kwargs: dict[str, Any] = {"resource_policy": bucket_policy, "resource_account": account}
    if authorize(limited, LIST, BUCKET, {}, **kwargs).allowed:
        assert authorize(without, LIST, BUCKET, {}, **kwargs).allowed


@given(sessions(), bucket_policies)
def test_another_account_never_allows_more_than_the_callers_own(
    caller: Caller, bucket_policy: dict[str, Any] | None
) -> None:
    def allowed(account: str) -> bool:
        return authorize(
            caller, LIST, BUCKET, {}, resource_policy=bucket_policy, resource_account=account
        ).allowed

    if allowed("444455556666"):
        assert allowed(ACCOUNT)
