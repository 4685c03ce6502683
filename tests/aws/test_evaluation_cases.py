"""IAM's policy evaluation, one documented case at a time.

Every case names the AWS documentation page (with its anchor where it has one)
that defines its outcome, so a case that fails points at the sentence the
evaluator no longer follows. Where a page is silent the evaluator fails closed,
and those cases cite the page whose silence they resolve.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import pytest

from adapters.aws_models.authorization import (
    Caller,
    CallerKind,
    authorize,
    authorize_assume_role,
    principal_context,
)
from adapters.aws_models.policy_evaluation import (
    Context,
    Decision,
    Principal,
    Request,
    decide,
    resource_policy_decision,
    trust_decision,
)

ALLOW, IMPLICIT, EXPLICIT = Decision.ALLOW, Decision.IMPLICIT_DENY, Decision.EXPLICIT_DENY

_GUIDE = "https://docs.aws.amazon.com/IAM/latest/UserGuide"
OPERATORS = f"{_GUIDE}/reference_policies_elements_condition_operators.html"
STRING = f"{OPERATORS}#Conditions_String"
NUMERIC = f"{OPERATORS}#Conditions_Numeric"
DATE = f"{OPERATORS}#Conditions_Date"
BOOLEAN = f"{OPERATORS}#Conditions_Boolean"
BINARY = f"{OPERATORS}#Conditions_BinaryEquals"
IP_ADDRESS = f"{OPERATORS}#Conditions_IPAddress"
ARN = f"{OPERATORS}#Conditions_ARN"
IF_EXISTS = f"{OPERATORS}#Conditions_IfExists"
NULL = f"{OPERATORS}#Conditions_Null"
MULTIVALUED = f"{_GUIDE}/reference_policies_condition-single-vs-multi-valued-context-keys.html"
_LOGIC = f"{_GUIDE}/reference_policies_condition-logic-multiple-context-keys-or-values.html"
SEVERAL_VALUES = f"{_LOGIC}#reference_policies_multiple-conditions-eval"
NEGATED_VALUES = f"{_LOGIC}#reference_policies_multiple-conditions-negated-matching-eval"
VARIABLES = f"{_GUIDE}/reference_policies_variables.html"
SPECIAL_CHARACTERS = f"{VARIABLES}#policy-vars-specialchars"
NO_VALUE = f"{VARIABLES}#policy-vars-no-value"
DEFAULT_VALUES = f"{VARIABLES}#policy-vars-default-values"
WHERE_VARIABLES = f"{VARIABLES}#policy-vars-wheretouse"
PRINCIPAL_KEYS = f"{VARIABLES}#principaltable"
VERSION = f"{_GUIDE}/reference_policies_elements_version.html"
_PRINCIPAL = f"{_GUIDE}/reference_policies_elements_principal.html"
ACCOUNT_PRINCIPALS = f"{_PRINCIPAL}#principal-accounts"
ROLE_PRINCIPALS = f"{_PRINCIPAL}#principal-roles"
SESSION_PRINCIPALS = f"{_PRINCIPAL}#principal-sessions"
USER_PRINCIPALS = f"{_PRINCIPAL}#principal-users"
SERVICE_PRINCIPALS = f"{_PRINCIPAL}#principal-services"
ALL_PRINCIPALS = f"{_PRINCIPAL}#principal-anonymous"
SPECIFYING_PRINCIPALS = f"{_PRINCIPAL}#Principal_specifying"
NOT_PRINCIPAL = f"{_GUIDE}/reference_policies_elements_notprincipal.html"
NOT_PRINCIPAL_DENY = f"{NOT_PRINCIPAL}#specifying-notprincipal"
NOT_ACTION = f"{_GUIDE}/reference_policies_elements_notaction.html"
NOT_RESOURCE = f"{_GUIDE}/reference_policies_elements_notresource.html"
_EVALUATION = f"{_GUIDE}/reference_policies_evaluation-logic.html"
WITHIN_ACCOUNT = f"{_EVALUATION}#policy-eval-denyallow"
IDENTITY_AND_RESOURCE = f"{_EVALUATION}#policy-eval-basics-id-rdp"
IDENTITY_AND_BOUNDARY = f"{_EVALUATION}#policy-eval-basics-id-bound"
CROSS_ACCOUNT = (
    f"{_GUIDE}/reference_policies_evaluation-logic-cross-account.html#policy-eval-cross-account"
)
BOUNDARIES = f"{_GUIDE}/access_policies_boundaries.html#access_policies_boundaries-eval-logic"
SESSION_POLICIES = f"{_GUIDE}/access_policies.html#policies_session"
CONDITION_KEYS = f"{_GUIDE}/reference_policies_condition-keys.html"
PRINCIPAL_ARN_KEY = f"{CONDITION_KEYS}#condition-keys-principalarn"
S3_BUCKET_POLICIES = (
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html"
)

ACCOUNT = "111122223333"
OTHER_ACCOUNT = "444455556666"
BUCKET = "arn:aws:s3:::amzn-s3-demo-bucket"
LIST = "s3:ListBucket"
USER_ARN = f"arn:aws:iam::{ACCOUNT}:user/team/alice"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/service/app"
SESSION_ARN = f"arn:aws:sts::{ACCOUNT}:assumed-role/app/job-1"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"
CANONICAL_USER = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"


def policy(*statements: dict[str, Any], version: str | None = "2012-10-17") -> dict[str, Any]:
    document: dict[str, Any] = {"Statement": list(statements)}
    return {"Version": version, **document} if version else document


def allow(action: Any = LIST, resource: Any = BUCKET, **more: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **more}


def deny(action: Any = LIST, resource: Any = BUCKET, **more: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **more}


def grant(principal: Any, effect: str = "Allow", **more: Any) -> dict[str, Any]:
    """A bucket policy statement on ``LIST`` for ``principal`` (an ``AWS`` one
    unless it is a whole Principal element)."""
    element = {"AWS": principal} if isinstance(principal, str) and principal != "*" else principal
    return {"Effect": effect, "Principal": element, "Action": LIST, "Resource": BUCKET, **more}


USER = Caller(account=ACCOUNT, arn=USER_ARN, kind=CallerKind.USER, userid="AIDAJQABLZS4A3QDU576Q")
SESSION = Caller(
    account=ACCOUNT,
    arn=SESSION_ARN,
    kind=CallerKind.ASSUMED_ROLE,
    userid="AROADBQP57FF2AEXAMPLE:job-1",
    role_arn=ROLE_ARN,
)
SESSION_PRINCIPAL = SESSION.principal
LISTS = policy(allow())
LISTS_NOTHING = policy(allow(action="ec2:DescribeInstances", resource="*"))
DENIES_LIST = policy(deny())


class Case(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def doc(self) -> str: ...
    @property
    def expected(self) -> Decision: ...
    def decide(self) -> Decision: ...


@dataclass(frozen=True)
class Identity:
    """Identity policies alone, for ``action`` on ``resource``."""

    id: str
    doc: str
    document: dict[str, Any]
    expected: Decision
    context: Context = field(default_factory=dict)
    action: str = LIST
    resource: str = BUCKET

    def decide(self) -> Decision:
        return decide([self.document], Request(self.action, self.resource, self.context))


def when(
    id: str, doc: str, condition: dict[str, Any], context: Context, expected: Decision = ALLOW
) -> Identity:
    """An Allow on ``LIST`` that holds only under ``condition``."""
    return Identity(id, doc, policy(allow(Condition=condition)), expected, context)


def unless(
    id: str, doc: str, condition: dict[str, Any], context: Context, denied: bool
) -> Identity:
    """An Allow on ``LIST``, and a Deny of it under ``condition``."""
    document = policy(allow(), deny(Condition=condition))
    return Identity(id, doc, document, EXPLICIT if denied else ALLOW, context)


@dataclass(frozen=True)
class Bucket:
    """A bucket policy alone, for ``principal``."""

    id: str
    doc: str
    document: dict[str, Any]
    expected: Decision
    principal: Principal | str = SESSION_PRINCIPAL
    context: Context = field(default_factory=dict)
    resource: str = BUCKET

    def decide(self) -> Decision:
        return resource_policy_decision(
            self.document, self.principal, LIST, self.resource, self.context
        )


def names(
    id: str, doc: str, principal: Any, expected: bool, caller: Principal | str = SESSION_PRINCIPAL
) -> Bucket:
    return Bucket(id, doc, policy(grant(principal)), ALLOW if expected else IMPLICIT, caller)


@dataclass(frozen=True)
class Trust:
    id: str
    doc: str
    document: dict[str, Any]
    expected: Decision
    principal: Principal | str = SESSION_PRINCIPAL
    context: Context = field(default_factory=dict)

    def decide(self) -> Decision:
        return trust_decision(self.document, self.principal, self.context)


@dataclass(frozen=True)
class Authorized:
    """``authorize``: the caller's policies and the bucket's combined."""

    id: str
    doc: str
    caller: Caller
    expected: Decision
    bucket_policy: dict[str, Any] | None = None
    bucket_account: str | None = None
    context: Context = field(default_factory=dict)
    resource: str = BUCKET

    def decide(self) -> Decision:
        return authorize(
            self.caller,
            LIST,
            self.resource,
            self.context,
            resource_policy=self.bucket_policy,
            resource_account=self.bucket_account,
        )


@dataclass(frozen=True)
class AssumesRole:
    """``authorize_assume_role`` on ``TARGET_ROLE`` of ``role_account``."""

    id: str
    doc: str
    caller: Caller
    trust_policy: dict[str, Any]
    expected: Decision
    role_account: str = ACCOUNT
    context: Context = field(default_factory=dict)

    def decide(self) -> Decision:
        role = f"arn:aws:iam::{self.role_account}:role/target"
        return authorize_assume_role(
            self.caller, role, self.role_account, self.trust_policy, self.context
        )


def holding(caller: Caller, *identity: dict[str, Any], **more: Any) -> Caller:
    return dataclasses.replace(caller, identity_policies=identity, **more)


def trusting(principal: Any, **more: Any) -> dict[str, Any]:
    return policy(
        {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole", **more}
    )


MAY_ASSUME = policy(allow(action="sts:AssumeRole", resource="*"))

STRING_CASES: list[Case] = [
    when(
        "StringEquals matches the exact value",
        STRING,
        {"StringEquals": {"aws:username": "john"}},
        {"aws:username": "john"},
    ),
    when(
        "StringEquals is case-sensitive",
        STRING,
        {"StringEquals": {"aws:username": "john"}},
        {"aws:username": "John"},
        IMPLICIT,
    ),
    when(
        "StringNotEquals holds for another value",
        STRING,
        {"StringNotEquals": {"aws:username": "john"}},
        {"aws:username": "jane"},
    ),
    when(
        "StringNotEquals fails for the value",
        STRING,
        {"StringNotEquals": {"aws:username": "john"}},
        {"aws:username": "john"},
        IMPLICIT,
    ),
    when(
        "StringEqualsIgnoreCase ignores case",
        STRING,
        {"StringEqualsIgnoreCase": {"aws:username": "john"}},
        {"aws:username": "JOHN"},
    ),
    when(
        "StringEqualsIgnoreCase still compares",
        STRING,
        {"StringEqualsIgnoreCase": {"aws:username": "john"}},
        {"aws:username": "jane"},
        IMPLICIT,
    ),
    when(
        "StringNotEqualsIgnoreCase fails for the value in any case",
        STRING,
        {"StringNotEqualsIgnoreCase": {"aws:username": "john"}},
        {"aws:username": "JOHN"},
        IMPLICIT,
    ),
    when(
        "StringNotEqualsIgnoreCase holds for another value",
        STRING,
        {"StringNotEqualsIgnoreCase": {"aws:username": "john"}},
        {"aws:username": "jane"},
    ),
    when(
        "StringLike star matches any run",
        STRING,
        {"StringLike": {"s3:prefix": "home/*"}},
        {"s3:prefix": "home/a/b"},
    ),
    when(
        "StringLike question mark matches one character",
        STRING,
        {"StringLike": {"s3:prefix": "h?me/"}},
        {"s3:prefix": "home/"},
    ),
    when(
        "StringLike needs wildcards for partial matches",
        STRING,
        {"StringLike": {"s3:prefix": "home"}},
        {"s3:prefix": "home/a"},
        IMPLICIT,
    ),
    when(
        "StringNotLike fails for a match",
        STRING,
        {"StringNotLike": {"s3:prefix": "secret/*"}},
        {"s3:prefix": "secret/x"},
        IMPLICIT,
    ),
    when(
        "StringNotLike holds for a non-match",
        STRING,
        {"StringNotLike": {"s3:prefix": "secret/*"}},
        {"s3:prefix": "public/x"},
    ),
    when(
        "a missing key fails a positive operator",
        OPERATORS,
        {"StringEquals": {"aws:PrincipalTag/job-category": "iamuser-admin"}},
        {},
        IMPLICIT,
    ),
    when(
        "a missing key passes a negated operator",
        OPERATORS,
        {"StringNotLike": {"aws:PrincipalTag/job-category": "x*"}},
        {},
    ),
    when(
        "context key names are case-insensitive",
        f"{_GUIDE}/reference_policies_elements_condition.html",
        {"StringEquals": {"AWS:SourceIp": "x"}},
        {"aws:SourceIP": "x"},
    ),
]

NUMERIC_CASES: list[Case] = [
    when(
        "NumericLessThanEquals allows up to 10 keys",
        NUMERIC,
        {"NumericLessThanEquals": {"s3:max-keys": "10"}},
        {"s3:max-keys": "10"},
    ),
    when(
        "NumericLessThanEquals refuses 11 keys",
        NUMERIC,
        {"NumericLessThanEquals": {"s3:max-keys": "10"}},
        {"s3:max-keys": "11"},
        IMPLICIT,
    ),
    when(
        "NumericEquals compares numbers, not text",
        NUMERIC,
        {"NumericEquals": {"s3:max-keys": "10"}},
        {"s3:max-keys": "10.0"},
    ),
    when(
        "NumericEquals refuses another number",
        NUMERIC,
        {"NumericEquals": {"s3:max-keys": "10"}},
        {"s3:max-keys": "9"},
        IMPLICIT,
    ),
    when(
        "NumericNotEquals holds for another number",
        NUMERIC,
        {"NumericNotEquals": {"s3:max-keys": "10"}},
        {"s3:max-keys": "9"},
    ),
    when(
        "NumericNotEquals fails for the number",
        NUMERIC,
        {"NumericNotEquals": {"s3:max-keys": "10"}},
        {"s3:max-keys": "10"},
        IMPLICIT,
    ),
    when(
        "NumericLessThan holds below",
        NUMERIC,
        {"NumericLessThan": {"s3:max-keys": "10"}},
        {"s3:max-keys": "9.5"},
    ),
    when(
        "NumericLessThan fails at the bound",
        NUMERIC,
        {"NumericLessThan": {"s3:max-keys": "10"}},
        {"s3:max-keys": "10"},
        IMPLICIT,
    ),
    when(
        "NumericGreaterThan holds above",
        NUMERIC,
        {"NumericGreaterThan": {"s3:max-keys": "10"}},
        {"s3:max-keys": "11"},
    ),
    when(
        "NumericGreaterThan fails at the bound",
        NUMERIC,
        {"NumericGreaterThan": {"s3:max-keys": "10"}},
        {"s3:max-keys": "10"},
        IMPLICIT,
    ),
    when(
        "NumericGreaterThanEquals holds at the bound",
        NUMERIC,
        {"NumericGreaterThanEquals": {"s3:max-keys": "10"}},
        {"s3:max-keys": "10"},
    ),
    when(
        "NumericGreaterThanEquals fails below",
        NUMERIC,
        {"NumericGreaterThanEquals": {"s3:max-keys": "10"}},
        {"s3:max-keys": "-3"},
        IMPLICIT,
    ),
    when(
        "a JSON number in the policy is a number",
        NUMERIC,
        {"NumericLessThan": {"s3:TlsVersion": 1.2}},
        {"s3:TlsVersion": "1.1"},
    ),
    when(
        "a request value that is no number matches nothing",
        NUMERIC,
        {"NumericLessThan": {"s3:max-keys": "10"}},
        {"s3:max-keys": "ten"},
        IMPLICIT,
    ),
    when(
        "a request value that is no number fails a negated operator too",
        NUMERIC,
        {"NumericNotEquals": {"s3:max-keys": "10"}},
        {"s3:max-keys": "ten"},
        IMPLICIT,
    ),
    when(
        "a policy value that is no number matches nothing",
        NUMERIC,
        {"NumericLessThan": {"s3:max-keys": "many"}},
        {"s3:max-keys": "1"},
        IMPLICIT,
    ),
    when(
        "a numeric operator takes no policy variable",
        WHERE_VARIABLES,
        {"NumericEquals": {"s3:max-keys": "${s3:max-keys}"}},
        {"s3:max-keys": "1"},
        IMPLICIT,
    ),
]

DATE_CASES: list[Case] = [
    when(
        "DateGreaterThan holds after the date",
        DATE,
        {"DateGreaterThan": {"aws:TokenIssueTime": "2020-01-01T00:00:01Z"}},
        {"aws:TokenIssueTime": "2020-06-01T12:00:00Z"},
    ),
    when(
        "DateGreaterThan fails before the date",
        DATE,
        {"DateGreaterThan": {"aws:TokenIssueTime": "2020-01-01T00:00:01Z"}},
        {"aws:TokenIssueTime": "2019-12-31T23:59:59Z"},
        IMPLICIT,
    ),
    when(
        "DateGreaterThan fails without temporary credentials",
        DATE,
        {"DateGreaterThan": {"aws:TokenIssueTime": "2020-01-01T00:00:01Z"}},
        {},
        IMPLICIT,
    ),
    when(
        "DateEquals compares instants across time zones",
        DATE,
        {"DateEquals": {"aws:CurrentTime": "2020-01-01T01:00:00+01:00"}},
        {"aws:CurrentTime": "2020-01-01T00:00:00Z"},
    ),
    when(
        "DateEquals reads a date as its midnight",
        DATE,
        {"DateEquals": {"aws:CurrentTime": "2020-01-01"}},
        {"aws:CurrentTime": "2020-01-01T00:00:00Z"},
    ),
    when(
        "DateNotEquals holds for another instant",
        DATE,
        {"DateNotEquals": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}},
        {"aws:CurrentTime": "2020-01-01T00:00:01Z"},
    ),
    when(
        "DateNotEquals fails for the instant",
        DATE,
        {"DateNotEquals": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}},
        {"aws:CurrentTime": "2020-01-01T00:00:00Z"},
        IMPLICIT,
    ),
    when(
        "DateLessThan compares epoch time with a date",
        DATE,
        {"DateLessThan": {"aws:EpochTime": "2020-06-01T00:00:00Z"}},
        {"aws:EpochTime": "1577836800"},
    ),
    when(
        "DateLessThan fails at the instant",
        DATE,
        {"DateLessThan": {"aws:EpochTime": "1577836800"}},
        {"aws:EpochTime": "2020-01-01T00:00:00Z"},
        IMPLICIT,
    ),
    when(
        "DateLessThanEquals holds at the instant",
        DATE,
        {"DateLessThanEquals": {"aws:EpochTime": "1577836800"}},
        {"aws:EpochTime": "2020-01-01T00:00:00Z"},
    ),
    when(
        "DateGreaterThanEquals holds at the instant",
        DATE,
        {"DateGreaterThanEquals": {"aws:CurrentTime": "2020-01"}},
        {"aws:CurrentTime": "2020-01-01T00:00:00Z"},
    ),
    when(
        "DateGreaterThanEquals fails before",
        DATE,
        {"DateGreaterThanEquals": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}},
        {"aws:CurrentTime": "2019-12-31T00:00:00Z"},
        IMPLICIT,
    ),
    when(
        "a request value that is no date matches nothing",
        DATE,
        {"DateLessThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}},
        {"aws:CurrentTime": "yesterday"},
        IMPLICIT,
    ),
]

BOOL_BINARY_IP_CASES: list[Case] = [
    unless(
        "Bool false denies plain HTTP",
        BOOLEAN,
        {"Bool": {"aws:SecureTransport": "false"}},
        {"aws:SecureTransport": "false"},
        denied=True,
    ),
    unless(
        "Bool false lets TLS through",
        BOOLEAN,
        {"Bool": {"aws:SecureTransport": "false"}},
        {"aws:SecureTransport": "true"},
        denied=False,
    ),
    when(
        "Bool takes a JSON boolean",
        BOOLEAN,
        {"Bool": {"aws:SecureTransport": True}},
        {"aws:SecureTransport": "true"},
    ),
    when(
        "Bool fails for a missing key",
        BOOLEAN,
        {"Bool": {"aws:SecureTransport": "true"}},
        {},
        IMPLICIT,
    ),
    when(
        "BinaryEquals compares the bytes of base64",
        BINARY,
        {"BinaryEquals": {"key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}},
        {"key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="},
    ),
    when(
        "BinaryEquals refuses other bytes",
        BINARY,
        {"BinaryEquals": {"key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}},
        {"key": "T3RoZXJWYWx1ZQ=="},
        IMPLICIT,
    ),
    when(
        "BinaryEquals refuses what is not base64",
        BINARY,
        {"BinaryEquals": {"key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}},
        {"key": "not base64!"},
        IMPLICIT,
    ),
    when(
        "BinaryEquals fails for a missing key",
        BINARY,
        {"BinaryEquals": {"key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}},
        {},
        IMPLICIT,
    ),
    when(
        "IpAddress holds inside the range",
        IP_ADDRESS,
        {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        {"aws:SourceIp": "203.0.113.7"},
    ),
    when(
        "IpAddress fails outside the range",
        IP_ADDRESS,
        {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        {"aws:SourceIp": "198.51.100.7"},
        IMPLICIT,
    ),
    when(
        "IpAddress takes IPv6 ranges",
        IP_ADDRESS,
        {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:DB8:1234:5678::/64"]}},
        {"aws:SourceIp": "2001:db8:1234:5678::1"},
    ),
    when(
        "IpAddress reads a bare address as /32",
        IP_ADDRESS,
        {"IpAddress": {"aws:SourceIp": "203.0.113.7"}},
        {"aws:SourceIp": "203.0.113.8"},
        IMPLICIT,
    ),
    when(
        "IpAddress never puts an IPv4 address in an IPv6 range",
        IP_ADDRESS,
        {"IpAddress": {"aws:SourceIp": "::/0"}},
        {"aws:SourceIp": "203.0.113.7"},
        IMPLICIT,
    ),
    when(
        "IpAddress fails without aws:SourceIp (a VPC endpoint)",
        IP_ADDRESS,
        {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        {},
        IMPLICIT,
    ),
    when(
        "NotIpAddress holds outside the range",
        IP_ADDRESS,
        {"NotIpAddress": {"aws:SourceIp": "54.240.143.188/32"}},
        {"aws:SourceIp": "54.240.143.1"},
    ),
    when(
        "NotIpAddress fails inside the range",
        IP_ADDRESS,
        {"NotIpAddress": {"aws:SourceIp": "54.240.143.188/32"}},
        {"aws:SourceIp": "54.240.143.188"},
        IMPLICIT,
    ),
]

_SOMESERVICE = "arn:aws:someservice:*:111122223333:finance/*"
_NESTED_ARN = (
    "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
)

ARN_CASES: list[Case] = [
    when(
        "StringLike lets a star span colons",
        ARN,
        {"StringLike": {"aws:SourceArn": _SOMESERVICE}},
        {"aws:SourceArn": _NESTED_ARN},
    ),
    when(
        "ArnLike matches component by component",
        ARN,
        {"ArnLike": {"aws:SourceArn": _SOMESERVICE}},
        {"aws:SourceArn": _NESTED_ARN},
        IMPLICIT,
    ),
    when(
        "ArnLike takes wildcards within a component",
        ARN,
        {"ArnLike": {"aws:SourceArn": _SOMESERVICE}},
        {"aws:SourceArn": "arn:aws:someservice:us-east-2:111122223333:finance/a.txt"},
    ),
    when(
        "ArnEquals behaves as ArnLike",
        ARN,
        {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:*:111122223333:topic"}},
        {"aws:SourceArn": "arn:aws:sns:us-east-2:111122223333:topic"},
    ),
    when(
        "ArnNotEquals fails for a match",
        ARN,
        {"ArnNotEquals": {"aws:SourceArn": "arn:aws:sns:*:111122223333:topic"}},
        {"aws:SourceArn": "arn:aws:sns:eu-west-1:111122223333:topic"},
        IMPLICIT,
    ),
    when(
        "ArnNotLike holds for a non-match",
        ARN,
        {"ArnNotLike": {"aws:SourceArn": "arn:aws:sns:*:111122223333:topic"}},
        {"aws:SourceArn": "arn:aws:sns:eu-west-1:444455556666:topic"},
    ),
    when(
        "ArnLike fails for a missing key",
        ARN,
        {"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:*:*"}},
        {},
        IMPLICIT,
    ),
]

EXISTENCE_CASES: list[Case] = [
    when(
        "StringLikeIfExists holds without the key",
        IF_EXISTS,
        {"StringLikeIfExists": {"ec2:InstanceType": ["t1.*", "t2.*", "m3.*"]}},
        {},
    ),
    when(
        "StringLikeIfExists tests a present key",
        IF_EXISTS,
        {"StringLikeIfExists": {"ec2:InstanceType": ["t1.*", "t2.*", "m3.*"]}},
        {"ec2:InstanceType": "t2.micro"},
    ),
    when(
        "StringLikeIfExists refuses a present key that does not match",
        IF_EXISTS,
        {"StringLikeIfExists": {"ec2:InstanceType": ["t1.*", "t2.*", "m3.*"]}},
        {"ec2:InstanceType": "c5.large"},
        IMPLICIT,
    ),
    unless(
        "a Deny with StringNotEqualsIfExists still denies without the key",
        IF_EXISTS,
        {"StringNotEqualsIfExists": {"aws:ResourceTag/team": "a"}},
        {},
        denied=True,
    ),
    when(
        "NumericLessThanIfExists holds without the key",
        IF_EXISTS,
        {"NumericLessThanIfExists": {"s3:max-keys": "10"}},
        {},
    ),
    when(
        "DateLessThanIfExists tests a present key",
        IF_EXISTS,
        {"DateLessThanIfExists": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}},
        {"aws:CurrentTime": "2021-01-01T00:00:00Z"},
        IMPLICIT,
    ),
    when("Null true holds without the key", NULL, {"Null": {"aws:TokenIssueTime": "true"}}, {}),
    when(
        "Null true fails with the key",
        NULL,
        {"Null": {"aws:TokenIssueTime": "true"}},
        {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"},
        IMPLICIT,
    ),
    when(
        "Null false holds with the key",
        NULL,
        {"Null": {"aws:TokenIssueTime": "false"}},
        {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"},
    ),
    when(
        "Null takes no IfExists",
        IF_EXISTS,
        {"NullIfExists": {"aws:TokenIssueTime": "true"}},
        {},
        IMPLICIT,
    ),
]

_ATTRIBUTES = "dynamodb:requestedAttributes"
_ALLOWED_ATTRIBUTES = {
    "ForAllValues:StringLike": {_ATTRIBUTES: ["PostDateTime", "Message", "Tags"]}
}
_FORBIDDEN_ATTRIBUTES = {"ForAnyValue:StringLike": {_ATTRIBUTES: ["ID", "PostDateTime"]}}

SET_CASES: list[Case] = [
    when(
        "ForAllValues holds when every value matches",
        MULTIVALUED,
        _ALLOWED_ATTRIBUTES,
        {_ATTRIBUTES: ["PostDateTime", "Message"]},
    ),
    when(
        "ForAllValues fails when one value does not",
        MULTIVALUED,
        _ALLOWED_ATTRIBUTES,
        {_ATTRIBUTES: ["PostDateTime", "UserName"]},
        IMPLICIT,
    ),
    when("ForAllValues holds for a missing key", MULTIVALUED, _ALLOWED_ATTRIBUTES, {}),
    when(
        "ForAllValues holds for an empty set", MULTIVALUED, _ALLOWED_ATTRIBUTES, {_ATTRIBUTES: []}
    ),
    unless(
        "ForAnyValue denies when one value matches",
        MULTIVALUED,
        _FORBIDDEN_ATTRIBUTES,
        {_ATTRIBUTES: ["UserName", "Message", "PostDateTime"]},
        denied=True,
    ),
    unless(
        "ForAnyValue does not deny when none matches",
        MULTIVALUED,
        _FORBIDDEN_ATTRIBUTES,
        {_ATTRIBUTES: ["UserName"]},
        denied=False,
    ),
    unless(
        "ForAnyValue does not deny for a missing key",
        MULTIVALUED,
        _FORBIDDEN_ATTRIBUTES,
        {},
        denied=False,
    ),
    when(
        "ForAnyValue fails for an empty set",
        MULTIVALUED,
        {"ForAnyValue:StringEquals": {"aws:TagKeys": "team"}},
        {"aws:TagKeys": []},
        IMPLICIT,
    ),
    when(
        "ForAnyValue with IfExists holds for a missing key",
        IF_EXISTS,
        {"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": "team"}},
        {},
    ),
    when(
        "ForAnyValue with a negated operator finds a value outside",
        MULTIVALUED,
        {"ForAnyValue:StringNotEquals": {"aws:TagKeys": "team"}},
        {"aws:TagKeys": ["team", "cost"]},
    ),
    when(
        "ForAllValues with a negated operator fails for a listed value",
        MULTIVALUED,
        {"ForAllValues:StringNotLike": {"aws:TagKeys": "aws:*"}},
        {"aws:TagKeys": ["team", "aws:x"]},
        IMPLICIT,
    ),
    when(
        "ForAnyValue applies to numeric operators",
        MULTIVALUED,
        {"ForAnyValue:NumericLessThan": {"k": "3"}},
        {"k": ["5", "2"]},
    ),
    when(
        "a multivalued key without a set operator grants nothing",
        MULTIVALUED,
        {"StringEquals": {"aws:TagKeys": "team"}},
        {"aws:TagKeys": ["team"]},
        IMPLICIT,
    ),
    unless(
        "a multivalued key without a set operator still denies",
        MULTIVALUED,
        {"StringEquals": {"aws:TagKeys": "team"}},
        {"aws:TagKeys": ["x"]},
        denied=True,
    ),
]

_BOTH_KEYS = {"StringEquals": {"aws:username": "bob", "aws:PrincipalTag/team": "data"}}

LOGIC_CASES: list[Case] = [
    when(
        "several keys in one operator are ANDed",
        SEVERAL_VALUES,
        _BOTH_KEYS,
        {"aws:username": "bob"},
        IMPLICIT,
    ),
    when(
        "several keys hold together",
        SEVERAL_VALUES,
        _BOTH_KEYS,
        {"aws:username": "bob", "aws:PrincipalTag/team": "data"},
    ),
    when(
        "several values of a key are ORed",
        SEVERAL_VALUES,
        {"StringEquals": {"aws:username": ["ann", "bob"]}},
        {"aws:username": "bob"},
    ),
    when(
        "several operators are ANDed",
        SEVERAL_VALUES,
        {"StringEquals": {"aws:username": "bob"}, "Bool": {"aws:SecureTransport": "true"}},
        {"aws:username": "bob", "aws:SecureTransport": "false"},
        IMPLICIT,
    ),
    when(
        "a negated operator NORs its values (one matches)",
        NEGATED_VALUES,
        {"StringNotEquals": {"aws:username": ["ann", "bob"]}},
        {"aws:username": "bob"},
        IMPLICIT,
    ),
    when(
        "a negated operator NORs its values (none matches)",
        NEGATED_VALUES,
        {"StringNotEquals": {"aws:username": ["ann", "bob"]}},
        {"aws:username": "cy"},
    ),
    when(
        "an unknown operator grants nothing",
        OPERATORS,
        {"StringRegex": {"aws:username": ".*"}},
        {"aws:username": "bob"},
        IMPLICIT,
    ),
    unless(
        "an unknown operator still denies",
        OPERATORS,
        {"StringRegex": {"aws:username": ".*"}},
        {"aws:username": "bob"},
        denied=True,
    ),
    unless(
        "a Deny whose other condition fails does not deny for an unknown operator",
        OPERATORS,
        {"StringRegex": {"k": "x"}, "Bool": {"aws:SecureTransport": "false"}},
        {"aws:SecureTransport": "true"},
        denied=False,
    ),
]

_HOME = "arn:aws:s3:::amzn-s3-demo-bucket/home"


def on(
    id: str,
    doc: str,
    resource_pattern: str,
    resource: str,
    context: Context,
    expected: Decision,
    version: str | None = "2012-10-17",
) -> Identity:
    """An Allow of GetObject on ``resource_pattern``, asked for ``resource``."""
    document = policy(allow(action="s3:GetObject", resource=resource_pattern), version=version)
    return Identity(id, doc, document, expected, context, "s3:GetObject", resource)


BOB = {"aws:username": "bob"}

VARIABLE_CASES: list[Case] = [
    on(
        "a variable in Resource takes the request's value",
        VARIABLES,
        f"{_HOME}/${{aws:username}}/*",
        f"{_HOME}/bob/notes",
        BOB,
        ALLOW,
    ),
    on(
        "a variable in Resource is no wildcard",
        VARIABLES,
        f"{_HOME}/${{aws:username}}/*",
        f"{_HOME}/ann/notes",
        BOB,
        IMPLICIT,
    ),
    on(
        "a variable without a value matches no resource",
        NO_VALUE,
        f"{_HOME}/${{aws:username}}/*",
        f"{_HOME}//notes",
        {},
        IMPLICIT,
    ),
    Identity(
        "a variable without a value does not deny either",
        NO_VALUE,
        policy(allow(resource="*"), deny(resource=f"{BUCKET}${{aws:username}}")),
        ALLOW,
    ),
    on(
        "a default stands in for a missing value",
        DEFAULT_VALUES,
        f"{_HOME}/${{aws:username, 'anonymous'}}/*",
        f"{_HOME}/anonymous/x",
        {},
        ALLOW,
    ),
    on(
        "a default is not used when the key has a value",
        DEFAULT_VALUES,
        f"{_HOME}/${{aws:username, 'anonymous'}}/*",
        f"{_HOME}/anonymous/x",
        BOB,
        IMPLICIT,
    ),
    on(
        "${*} is a literal asterisk",
        SPECIAL_CHARACTERS,
        f"{_HOME}/a${{*}}b",
        f"{_HOME}/a*b",
        {},
        ALLOW,
    ),
    on(
        "${*} is not a wildcard",
        SPECIAL_CHARACTERS,
        f"{_HOME}/a${{*}}b",
        f"{_HOME}/axyzb",
        {},
        IMPLICIT,
    ),
    on(
        "a plain * is a wildcard",
        f"{_GUIDE}/reference_policies_elements_resource.html",
        f"{_HOME}/a*b",
        f"{_HOME}/axyzb",
        {},
        ALLOW,
    ),
    on(
        "${?} is a literal question mark",
        SPECIAL_CHARACTERS,
        f"{_HOME}/a${{?}}",
        f"{_HOME}/a?",
        {},
        ALLOW,
    ),
    on(
        "${?} is not a wildcard",
        SPECIAL_CHARACTERS,
        f"{_HOME}/a${{?}}",
        f"{_HOME}/ax",
        {},
        IMPLICIT,
    ),
    on(
        "${$} is a literal dollar sign",
        SPECIAL_CHARACTERS,
        f"{_HOME}/${{$}}{{aws:username}}",
        f"{_HOME}/${{aws:username}}",
        BOB,
        ALLOW,
    ),
    on(
        "a substituted value's star is literal",
        VARIABLES,
        f"{_HOME}/${{aws:PrincipalTag/team}}/x",
        f"{_HOME}/data/x",
        {"aws:PrincipalTag/team": "*"},
        IMPLICIT,
    ),
    on(
        "a multivalued key is no variable",
        MULTIVALUED,
        f"{_HOME}/${{aws:TagKeys}}",
        f"{_HOME}/team",
        {"aws:TagKeys": ["team"]},
        IMPLICIT,
    ),
    on(
        "without Version 2012-10-17 a variable is literal text",
        VARIABLES,
        f"{_HOME}/${{aws:username}}",
        f"{_HOME}/${{aws:username}}",
        BOB,
        ALLOW,
        version=None,
    ),
    on(
        "without Version 2012-10-17 a variable is not replaced",
        VERSION,
        f"{_HOME}/${{aws:username}}",
        f"{_HOME}/bob",
        BOB,
        IMPLICIT,
        version=None,
    ),
    when(
        "a variable in a string condition takes the request's value",
        STRING,
        {"StringLike": {"s3:prefix": ["", "home/", "home/${aws:username}/"]}},
        {**BOB, "s3:prefix": "home/bob/"},
    ),
    when(
        "a variable in a string condition refuses another value",
        STRING,
        {"StringLike": {"s3:prefix": "home/${aws:username}/*"}},
        {**BOB, "s3:prefix": "home/ann/x"},
        IMPLICIT,
    ),
    when(
        "${*} in StringLike matches only an asterisk",
        SPECIAL_CHARACTERS,
        {"StringLike": {"s3:prefix": "data/${*}"}},
        {"s3:prefix": "data/x"},
        IMPLICIT,
    ),
    when(
        "${*} in StringLike matches a literal asterisk",
        SPECIAL_CHARACTERS,
        {"StringLike": {"s3:prefix": "data/${*}"}},
        {"s3:prefix": "data/*"},
    ),
    when(
        "a variable without a value fails a string condition",
        PRINCIPAL_KEYS,
        {"StringEquals": {"s3:prefix": "${aws:username}"}},
        {"s3:prefix": ""},
        IMPLICIT,
    ),
    when(
        "a variable in an ARN condition",
        ARN,
        {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:*:${aws:PrincipalAccount}:topic"}},
        {
            "aws:PrincipalAccount": ACCOUNT,
            "aws:SourceArn": f"arn:aws:sns:us-east-1:{ACCOUNT}:topic",
        },
    ),
]

PRINCIPAL_CASES: list[Case] = [
    Bucket('"*" names every principal', ALL_PRINCIPALS, policy(grant("*")), ALLOW),
    Bucket(
        '{"AWS": "*"} names every principal', ALL_PRINCIPALS, policy(grant({"AWS": "*"})), ALLOW
    ),
    names("an account id names its principals", ACCOUNT_PRINCIPALS, ACCOUNT, True),
    names("an account root ARN names its principals", ACCOUNT_PRINCIPALS, ROOT, True),
    names(
        "another account names none of this one's",
        ACCOUNT_PRINCIPALS,
        f"arn:aws:iam::{OTHER_ACCOUNT}:root",
        False,
    ),
    names("a role ARN names the role's sessions", ROLE_PRINCIPALS, ROLE_ARN, True),
    names("a role ARN names the role itself", ROLE_PRINCIPALS, ROLE_ARN, True, caller=ROLE_ARN),
    names(
        "another role names none of its sessions",
        ROLE_PRINCIPALS,
        f"arn:aws:iam::{ACCOUNT}:role/service/other",
        False,
    ),
    names("a session ARN names that session", SESSION_PRINCIPALS, SESSION_ARN, True),
    names(
        "a session ARN names no other session",
        SESSION_PRINCIPALS,
        f"arn:aws:sts::{ACCOUNT}:assumed-role/app/job-2",
        False,
    ),
    names("a user ARN names the user", USER_PRINCIPALS, USER_ARN, True, caller=USER.principal),
    names(
        "a user ARN's name is case-sensitive",
        USER_PRINCIPALS,
        USER_ARN.replace("alice", "Alice"),
        False,
        caller=USER.principal,
    ),
    names(
        "no wildcard matches part of a principal's ARN",
        ALL_PRINCIPALS,
        f"arn:aws:iam::{ACCOUNT}:user/team/*",
        False,
        caller=USER.principal,
    ),
    Bucket(
        "a service principal is no IAM principal",
        SERVICE_PRINCIPALS,
        policy(grant({"Service": "s3.amazonaws.com"})),
        IMPLICIT,
    ),
    Bucket(
        "a federated principal is no IAM principal",
        SPECIFYING_PRINCIPALS,
        policy(grant({"Federated": "accounts.google.com"})),
        IMPLICIT,
    ),
    Bucket(
        "a canonical user is no IAM principal",
        ACCOUNT_PRINCIPALS,
        policy(grant({"CanonicalUser": CANONICAL_USER})),
        IMPLICIT,
    ),
    Bucket(
        "a Deny by NotPrincipal spares the session, its role and account",
        NOT_PRINCIPAL_DENY,
        policy(
            grant("*"),
            {
                "Effect": "Deny",
                "NotPrincipal": {"AWS": [SESSION_ARN, ROLE_ARN, ROOT]},
                "Action": "s3:*",
                "Resource": BUCKET,
            },
        ),
        ALLOW,
    ),
    Bucket(
        "a Deny by NotPrincipal denies everyone else",
        NOT_PRINCIPAL_DENY,
        policy(
            grant("*"),
            {
                "Effect": "Deny",
                "NotPrincipal": {"AWS": [f"arn:aws:iam::{OTHER_ACCOUNT}:root"]},
                "Action": "s3:*",
                "Resource": BUCKET,
            },
        ),
        EXPLICIT,
    ),
    Bucket(
        "an Allow by NotPrincipal is no grant",
        NOT_PRINCIPAL,
        policy(
            {
                "Effect": "Allow",
                "NotPrincipal": {"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"},
                "Action": LIST,
                "Resource": BUCKET,
            }
        ),
        EXPLICIT,
    ),
    Trust(
        "a trust policy holding NotPrincipal lets no one in",
        NOT_PRINCIPAL,
        policy(
            {"Effect": "Allow", "Principal": {"AWS": ROLE_ARN}, "Action": "sts:AssumeRole"},
            {"Effect": "Deny", "NotPrincipal": {"AWS": ROOT}, "Action": "sts:AssumeRole"},
        ),
        EXPLICIT,
    ),
    Trust(
        "a trust policy naming the role lets its sessions in",
        ROLE_PRINCIPALS,
        trusting(ROLE_ARN),
        ALLOW,
    ),
    Trust(
        "a trust policy's external id must be sent",
        STRING,
        trusting(ROLE_ARN, Condition={"StringEquals": {"sts:ExternalId": "x-1"}}),
        IMPLICIT,
    ),
]

ELEMENT_CASES: list[Case] = [
    Identity(
        "NotAction allows every other action",
        NOT_ACTION,
        policy({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),
        ALLOW,
    ),
    Identity(
        "NotAction does not allow the actions it names",
        NOT_ACTION,
        policy({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),
        IMPLICIT,
        action="iam:CreateUser",
        resource="*",
    ),
    Identity(
        "a Deny by NotResource denies every other resource",
        NOT_RESOURCE,
        policy(
            allow(resource="*"),
            {
                "Effect": "Deny",
                "Action": "s3:*",
                "NotResource": ["arn:aws:s3:::other", "arn:aws:s3:::other/*"],
            },
        ),
        EXPLICIT,
    ),
    Identity(
        "a Deny by NotResource spares the resources it names",
        NOT_RESOURCE,
        policy(
            allow(resource="*"),
            {"Effect": "Deny", "Action": "s3:*", "NotResource": [BUCKET, f"{BUCKET}/*"]},
        ),
        ALLOW,
    ),
    Identity(
        "actions match case-insensitively",
        f"{_GUIDE}/reference_policies_elements_action.html",
        policy(allow(action="S3:list*")),
        ALLOW,
    ),
]

# AWS's own TLS floor: NumericLessThan on s3:TlsVersion, a JSON number, in a Deny.
_TLS_FLOOR = policy(
    grant("*"),
    {
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": ["s3:*"],
        "Resource": [f"{BUCKET}/*", BUCKET],
        "Condition": {"NumericLessThan": {"s3:TlsVersion": 1.2}},
    },
)

TLS_CASES: list[Case] = [
    Bucket(
        "TLS 1.0 is denied by the TLS floor",
        S3_BUCKET_POLICIES,
        _TLS_FLOOR,
        EXPLICIT,
        context={"s3:TlsVersion": "1.0"},
    ),
    Bucket(
        "TLS 1.1 is denied by the TLS floor",
        S3_BUCKET_POLICIES,
        _TLS_FLOOR,
        EXPLICIT,
        context={"s3:TlsVersion": "1.1"},
    ),
    Bucket(
        "TLS 1.2 passes the TLS floor",
        S3_BUCKET_POLICIES,
        _TLS_FLOOR,
        ALLOW,
        context={"s3:TlsVersion": "1.2"},
    ),
    Bucket(
        "TLS 1.3 passes the TLS floor",
        S3_BUCKET_POLICIES,
        _TLS_FLOOR,
        ALLOW,
        context={"s3:TlsVersion": "1.3"},
    ),
    # "If the key ... is not present in the request context, the values do not match".
    Bucket("no s3:TlsVersion is not denied by the TLS floor", NUMERIC, _TLS_FLOOR, ALLOW),
]

_NO_BOUNDARY = policy(allow(action="ec2:*", resource="*"))

COMBINATION_CASES: list[Case] = [
    Authorized(
        "an identity policy allows within the account",
        IDENTITY_AND_RESOURCE,
        holding(USER, LISTS),
        ALLOW,
    ),
    Authorized("no policy is an implicit deny", WITHIN_ACCOUNT, USER, IMPLICIT),
    Authorized(
        "an explicit deny in an identity policy wins",
        WITHIN_ACCOUNT,
        holding(USER, LISTS, DENIES_LIST),
        EXPLICIT,
    ),
    Authorized(
        "an explicit deny in an identity policy beats a bucket grant",
        WITHIN_ACCOUNT,
        holding(USER, DENIES_LIST),
        EXPLICIT,
        policy(grant(USER_ARN)),
    ),
    Authorized(
        "an explicit deny in a bucket policy wins",
        WITHIN_ACCOUNT,
        holding(USER, LISTS),
        EXPLICIT,
        policy(grant("*", "Deny")),
    ),
    Authorized(
        "a boundary that allows keeps the identity grant",
        IDENTITY_AND_BOUNDARY,
        holding(USER, LISTS, permissions_boundary=LISTS),
        ALLOW,
    ),
    Authorized(
        "a boundary that does not allow takes the identity grant away",
        IDENTITY_AND_BOUNDARY,
        holding(USER, LISTS, permissions_boundary=_NO_BOUNDARY),
        IMPLICIT,
    ),
    Authorized(
        "a boundary grants nothing by itself",
        BOUNDARIES,
        holding(USER, permissions_boundary=LISTS),
        IMPLICIT,
    ),
    Authorized(
        "an explicit deny in a boundary wins",
        BOUNDARIES,
        holding(USER, LISTS, permissions_boundary=DENIES_LIST),
        EXPLICIT,
    ),
    Authorized(
        "a session policy that allows keeps the role's grant",
        SESSION_POLICIES,
        holding(SESSION, LISTS, session_policies=(LISTS,)),
        ALLOW,
    ),
    Authorized(
        "a session policy that does not allow takes it away",
        SESSION_POLICIES,
        holding(SESSION, LISTS, session_policies=(LISTS_NOTHING,)),
        IMPLICIT,
    ),
    Authorized(
        "a session policy grants nothing by itself",
        SESSION_POLICIES,
        holding(SESSION, session_policies=(LISTS,)),
        IMPLICIT,
    ),
    Authorized(
        "an explicit deny in a session policy wins",
        SESSION_POLICIES,
        holding(SESSION, LISTS, session_policies=(DENIES_LIST,)),
        EXPLICIT,
    ),
    Authorized(
        "the session is limited by the boundary and the session policy",
        BOUNDARIES,
        holding(SESSION, LISTS, permissions_boundary=LISTS, session_policies=(LISTS_NOTHING,)),
        IMPLICIT,
    ),
    Authorized(
        "a bucket grant to the session needs no identity policy",
        WITHIN_ACCOUNT,
        SESSION,
        ALLOW,
        policy(grant(SESSION_ARN)),
    ),
    Authorized(
        "a bucket grant to the session is not limited by the boundary",
        BOUNDARIES,
        holding(SESSION, permissions_boundary=LISTS_NOTHING),
        ALLOW,
        policy(grant(SESSION_ARN)),
    ),
    Authorized(
        "a bucket grant to the session is not limited by a session policy",
        SESSION_POLICIES,
        holding(SESSION, session_policies=(LISTS_NOTHING,)),
        ALLOW,
        policy(grant(SESSION_ARN)),
    ),
    Authorized(
        "a bucket grant to the role needs no identity policy",
        WITHIN_ACCOUNT,
        SESSION,
        ALLOW,
        policy(grant(ROLE_ARN)),
    ),
    Authorized(
        "a bucket grant to the role is limited by the boundary",
        WITHIN_ACCOUNT,
        holding(SESSION, permissions_boundary=LISTS_NOTHING),
        IMPLICIT,
        policy(grant(ROLE_ARN)),
    ),
    Authorized(
        "a bucket grant to the role is limited by a session policy",
        SESSION_POLICIES,
        holding(SESSION, session_policies=(LISTS_NOTHING,)),
        IMPLICIT,
        policy(grant(ROLE_ARN)),
    ),
    Authorized(
        "a bucket grant to the role within the session policy",
        SESSION_POLICIES,
        holding(SESSION, session_policies=(LISTS,)),
        ALLOW,
        policy(grant(ROLE_ARN)),
    ),
    Authorized(
        "a bucket grant to the user is not limited by the boundary",
        BOUNDARIES,
        holding(USER, permissions_boundary=LISTS_NOTHING),
        ALLOW,
        policy(grant(USER_ARN)),
    ),
    Authorized(
        "a bucket grant to the account grants nothing by itself",
        ACCOUNT_PRINCIPALS,
        SESSION,
        IMPLICIT,
        policy(grant(ROOT)),
    ),
    Authorized(
        "a bucket grant to the account id grants nothing by itself",
        ACCOUNT_PRINCIPALS,
        USER,
        IMPLICIT,
        policy(grant(ACCOUNT)),
    ),
    Authorized(
        "a bucket grant to the account leaves it to identity policies",
        ACCOUNT_PRINCIPALS,
        holding(SESSION, LISTS),
        ALLOW,
        policy(grant(ROOT)),
    ),
    Authorized(
        "a bucket grant to everyone needs nothing else in the account",
        ALL_PRINCIPALS,
        holding(USER, permissions_boundary=LISTS_NOTHING),
        ALLOW,
        policy(grant("*")),
    ),
    Authorized(
        "across accounts the bucket grant alone is not enough",
        CROSS_ACCOUNT,
        SESSION,
        IMPLICIT,
        policy(grant(SESSION_ARN)),
        OTHER_ACCOUNT,
    ),
    Authorized(
        "across accounts the identity policy alone is not enough",
        CROSS_ACCOUNT,
        holding(SESSION, LISTS),
        IMPLICIT,
        None,
        OTHER_ACCOUNT,
    ),
    Authorized(
        "across accounts both allowing is enough",
        CROSS_ACCOUNT,
        holding(SESSION, LISTS),
        ALLOW,
        policy(grant(SESSION_ARN)),
        OTHER_ACCOUNT,
    ),
    Authorized(
        "across accounts a grant to the account is enough",
        CROSS_ACCOUNT,
        holding(USER, LISTS),
        ALLOW,
        policy(grant(ACCOUNT)),
        OTHER_ACCOUNT,
    ),
    Authorized(
        "across accounts the boundary limits the identity side",
        CROSS_ACCOUNT,
        holding(SESSION, LISTS, permissions_boundary=LISTS_NOTHING),
        IMPLICIT,
        policy(grant(SESSION_ARN)),
        OTHER_ACCOUNT,
    ),
    Authorized(
        "across accounts an explicit deny in the bucket policy wins",
        CROSS_ACCOUNT,
        holding(SESSION, LISTS),
        EXPLICIT,
        policy(grant(ROOT), grant("*", "Deny")),
        OTHER_ACCOUNT,
    ),
    Authorized(
        "aws:PrincipalArn is the role's ARN for a session",
        PRINCIPAL_ARN_KEY,
        holding(SESSION, policy(allow(Condition={"ArnEquals": {"aws:PrincipalArn": ROLE_ARN}}))),
        ALLOW,
    ),
    Authorized(
        "aws:username is the user's name",
        PRINCIPAL_KEYS,
        holding(USER, policy(allow(resource="arn:aws:s3:::${aws:username}-*"))),
        ALLOW,
        resource="arn:aws:s3:::alice-data",
    ),
    Authorized(
        "a session has no aws:username",
        PRINCIPAL_KEYS,
        holding(SESSION, policy(allow(resource="arn:aws:s3:::${aws:username}-*"))),
        IMPLICIT,
        resource="arn:aws:s3:::-data",
    ),
    Authorized(
        "the request cannot override the principal's keys",
        CONDITION_KEYS,
        holding(
            SESSION,
            policy(allow(Condition={"StringEquals": {"aws:PrincipalAccount": OTHER_ACCOUNT}})),
        ),
        IMPLICIT,
        context={"aws:PrincipalAccount": OTHER_ACCOUNT},
    ),
]

_OTHER_SESSION = Caller(
    account=OTHER_ACCOUNT,
    arn=f"arn:aws:sts::{OTHER_ACCOUNT}:assumed-role/platform/probe",
    kind=CallerKind.ASSUMED_ROLE,
    userid="AROAEXAMPLEOTHER:probe",
    role_arn=f"arn:aws:iam::{OTHER_ACCOUNT}:role/platform",
)

ASSUME_ROLE_CASES: list[Case] = [
    AssumesRole(
        "a trust policy naming the user lets it in within the account",
        WITHIN_ACCOUNT,
        USER,
        trusting(USER_ARN),
        ALLOW,
    ),
    AssumesRole(
        "a trust policy naming the caller's role lets its session in",
        ROLE_PRINCIPALS,
        SESSION,
        trusting(ROLE_ARN),
        ALLOW,
    ),
    AssumesRole(
        "a trust grant to the caller's role is limited by its boundary",
        ROLE_PRINCIPALS,
        holding(SESSION, permissions_boundary=LISTS_NOTHING),
        trusting(ROLE_ARN),
        IMPLICIT,
    ),
    AssumesRole(
        "a trust policy naming the account needs the identity side",
        ACCOUNT_PRINCIPALS,
        USER,
        trusting(ROOT),
        IMPLICIT,
    ),
    AssumesRole(
        "a trust policy naming the account and an identity grant",
        ACCOUNT_PRINCIPALS,
        holding(USER, MAY_ASSUME),
        trusting(ROOT),
        ALLOW,
    ),
    AssumesRole(
        "an identity grant without the trust policy is not enough",
        WITHIN_ACCOUNT,
        holding(USER, MAY_ASSUME),
        trusting(f"arn:aws:iam::{ACCOUNT}:user/someone-else"),
        IMPLICIT,
    ),
    AssumesRole(
        "across accounts the trust policy alone is not enough",
        CROSS_ACCOUNT,
        _OTHER_SESSION,
        trusting(_OTHER_SESSION.role_arn),
        IMPLICIT,
    ),
    AssumesRole(
        "across accounts the trust policy and an identity grant",
        CROSS_ACCOUNT,
        holding(_OTHER_SESSION, MAY_ASSUME),
        trusting(f"arn:aws:iam::{OTHER_ACCOUNT}:root"),
        ALLOW,
    ),
    AssumesRole(
        "an explicit deny in the caller's policies wins",
        WITHIN_ACCOUNT,
        holding(USER, policy(deny(action="sts:*", resource="*"))),
        trusting(USER_ARN),
        EXPLICIT,
    ),
    AssumesRole(
        "the external id in the trust policy must be sent",
        STRING,
        holding(_OTHER_SESSION, MAY_ASSUME),
        trusting(_OTHER_SESSION.role_arn, Condition={"StringEquals": {"sts:ExternalId": "org-1"}}),
        ALLOW,
        context={"sts:ExternalId": "org-1"},
    ),
    AssumesRole(
        "a wrong external id keeps the caller out",
        STRING,
        holding(_OTHER_SESSION, MAY_ASSUME),
        trusting(_OTHER_SESSION.role_arn, Condition={"StringEquals": {"sts:ExternalId": "org-1"}}),
        IMPLICIT,
        context={"sts:ExternalId": "org-2"},
    ),
]

CASES: list[Case] = [
    *STRING_CASES,
    *NUMERIC_CASES,
    *DATE_CASES,
    *BOOL_BINARY_IP_CASES,
    *ARN_CASES,
    *EXISTENCE_CASES,
    *SET_CASES,
    *LOGIC_CASES,
    *VARIABLE_CASES,
    *PRINCIPAL_CASES,
    *ELEMENT_CASES,
    *TLS_CASES,
    *COMBINATION_CASES,
    *ASSUME_ROLE_CASES,
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_evaluator_decides_as_the_documentation_says(case: Case) -> None:
    assert case.decide() is case.expected, case.doc


def test_every_case_names_its_aws_page_and_its_own_id() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))
    assert all(case.doc.startswith("https://docs.aws.amazon.com/") for case in CASES)


def test_the_principal_keys_of_a_user_and_of_a_session() -> None:
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable
    assert principal_context(USER) == {
        "aws:PrincipalAccount": ACCOUNT,
        "aws:PrincipalArn": USER_ARN,
        "aws:PrincipalType": "User",
        "aws:userid": "AIDAJQABLZS4A3QDU576Q",
        "aws:username": "alice",
    }
    assert principal_context(SESSION) == {
        "aws:PrincipalAccount": ACCOUNT,
        "aws:PrincipalArn": ROLE_ARN,
        "aws:PrincipalType": "AssumedRole",
        "aws:userid": "AROADBQP57FF2AEXAMPLE:job-1",
    }


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": CallerKind.ASSUMED_ROLE},
        {"kind": CallerKind.ASSUMED_ROLE, "role_arn": f"arn:aws:iam::{ACCOUNT}:role/other"},
        {"kind": CallerKind.USER, "role_arn": ROLE_ARN},
    ],
)
def test_a_caller_must_be_a_user_or_a_session_of_its_role(fields: Mapping[str, Any]) -> None:
    arn = SESSION_ARN if fields["kind"] is CallerKind.ASSUMED_ROLE else USER_ARN
    with pytest.raises(ValueError):
        Caller(account=ACCOUNT, arn=arn, userid="x", **fields)
