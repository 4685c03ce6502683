"""The policy evaluator judges as AWS does: rules stated as properties, plus the
cases a customer's policies actually hit."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.aws_models.policy_evaluation import (
    Decision,
    arn_like,
    identity_decision,
    load_document,
    resource_policy_decision,
    statements,
    trust_decision,
    well_formed,
    wildcard_match,
)

BUCKET = "arn:aws:s3:::data-bucket"
PLATFORM = "arn:aws:iam::123456789012:role/bucketlink-platform"

actions = st.sampled_from(
    ["s3:ListBucket", "s3:GetObject", "s3:PutObject", "sts:AssumeRole", "iam:PassRole"]
)
action_patterns = st.sampled_from(
    ["*", "s3:*", "s3:List*", "S3:LISTBUCKET", "s3:Get?bject", "s3:ListBucket", "sts:*", "ec2:*"]
)
resources = st.sampled_from([BUCKET, f"{BUCKET}/a/b", "arn:aws:s3:::other", "arn:aws:s3:::data-x"])
resource_patterns = st.sampled_from(
    ["*", BUCKET, f"{BUCKET}/*", "arn:aws:s3:::data-*", "arn:aws:s3:::other", "arn:aws:s3:::?"]
)
contexts = st.fixed_dictionaries(
    {}, optional={"s3:prefix": st.sampled_from(["", "a/", "secret/x"]), "sts:ExternalId": st.text()}
)
conditions = st.one_of(
    st.just({}),
    st.builds(
        lambda operator, value: {operator: {"s3:prefix": value}},
        # NumericLessThan never matches these values (not numbers); StringRegex
        # stands for an operator IAM does not have, which the evaluator fails closed on.
        st.sampled_from(
            [
                "StringEquals",
                "StringNotEquals",
                "StringLike",
                "StringNotLike",
                "NumericLessThan",
                "StringRegex",
            ]
        ),
        st.sampled_from(["", "a/*", "secret/*", ["a/", "b/"]]),
    ),
)


def statements_with(effect: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda e, a, r, c: {
            "Effect": e,
            "Action": a,
            "Resource": r,
            **({"Condition": c} if c else {}),
        },
        effect,
        st.one_of(action_patterns, st.lists(action_patterns, min_size=1, max_size=3)),
        st.one_of(resource_patterns, st.lists(resource_patterns, min_size=1, max_size=3)),
        conditions,
    )


any_statement = statements_with(st.sampled_from(["Allow", "Deny"]))


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


@given(st.lists(any_statement, max_size=6), actions, resources, contexts)
def test_a_deny_of_everything_beats_any_allow(
    statements: list[dict[str, Any]], action: str, resource: str, context: dict[str, str]
) -> None:
    deny_all = {"Effect": "Deny", "Action": "*", "Resource": "*"}
    decision = identity_decision([policy(*statements, deny_all)], action, resource, context)
    assert decision is Decision.EXPLICIT_DENY


@given(st.lists(any_statement, max_size=6), any_statement, actions, resources, contexts)
def test_adding_a_statement_never_turns_an_explicit_deny_into_an_allow(
    statements: list[dict[str, Any]],
    extra: dict[str, Any],
    action: str,
    resource: str,
    context: dict[str, str],
) -> None:
    before = identity_decision([policy(*statements)], action, resource, context)
    after = identity_decision([policy(*statements, extra)], action, resource, context)
    if before is Decision.EXPLICIT_DENY:
        assert after is Decision.EXPLICIT_DENY


@given(st.lists(any_statement, max_size=6), any_statement, actions, resources, contexts)
def test_adding_an_allow_never_denies_what_was_allowed(
    statements: list[dict[str, Any]],
    extra: dict[str, Any],
    action: str,
    resource: str,
    context: dict[str, str],
) -> None:
    allow = {**extra, "Effect": "Allow"}
    before = identity_decision([policy(*statements)], action, resource, context)
    after = identity_decision([policy(*statements, allow)], action, resource, context)
    if before is Decision.ALLOW:
        assert after is Decision.ALLOW


@given(st.lists(any_statement, max_size=6), any_statement, resources, contexts)
def test_a_statement_about_another_service_changes_nothing(
    statements: list[dict[str, Any]], extra: dict[str, Any], resource: str, context: dict[str, str]
) -> None:
    unrelated = {**extra, "Action": "ec2:*"}
    before = identity_decision([policy(*statements)], "s3:ListBucket", resource, context)
    after = identity_decision([policy(*statements, unrelated)], "s3:ListBucket", resource, context)
    assert after is before


@given(st.lists(any_statement, max_size=6), actions, resources, contexts)
def test_splitting_statements_across_policies_changes_nothing(
    statements: list[dict[str, Any]], action: str, resource: str, context: dict[str, str]
) -> None:
    together = identity_decision([policy(*statements)], action, resource, context)
    apart = identity_decision([policy(s) for s in statements], action, resource, context)
    assert apart is together


@given(any_statement, actions, resources, contexts)
def test_a_lone_statement_may_be_an_object_instead_of_a_list(
    statement: dict[str, Any], action: str, resource: str, context: dict[str, str]
) -> None:
    as_list = identity_decision([policy(statement)], action, resource, context)
    as_object = {"Version": "2012-10-17", "Statement": statement}
    assert identity_decision([as_object], action, resource, context) is as_list


@given(actions, resources, contexts)
def test_no_policy_is_an_implicit_deny(action: str, resource: str, context: dict[str, str]) -> None:
    assert identity_decision([], action, resource, context) is Decision.IMPLICIT_DENY


@given(st.sampled_from(["Allow", "Deny"]), st.text(min_size=1), st.text())
def test_an_unknown_operator_fails_closed(effect: str, operator: str, value: str) -> None:
    statement = {
        "Effect": effect,
        "Action": "*",
        "Resource": "*",
        "Condition": {f"Unknown{operator}": {"s3:prefix": value}},
    }
    decision = identity_decision([policy(statement)], "s3:ListBucket", BUCKET, {"s3:prefix": value})
    expected = Decision.EXPLICIT_DENY if effect == "Deny" else Decision.IMPLICIT_DENY
    assert decision is expected


@pytest.mark.parametrize(
    ("pattern", "action", "matches"),
    [
        ("s3:ListBucket", "s3:listbucket", True),
        ("S3:List*", "s3:ListBucket", True),
        ("s3:Get?bject", "s3:GetObject", True),
        ("s3:Get?bject", "s3:GetXXbject", False),
        ("s3:List", "s3:ListBucket", False),
        ("*", "sts:AssumeRole", True),
    ],
)
def test_actions_match_case_insensitively_with_wildcards(
    pattern: str, action: str, matches: bool
) -> None:
    statement = {"Effect": "Allow", "Action": pattern, "Resource": "*"}
    assert identity_decision([policy(statement)], action, BUCKET, {}).allowed is matches


@pytest.mark.parametrize(
    ("pattern", "matches"),
    [
        (BUCKET, True),
        ("arn:aws:s3:::data-*", True),
        ("arn:aws:s3:::DATA-BUCKET", False),  # resource ARNs are case-sensitive
        (f"{BUCKET}/*", False),  # objects, not the bucket
        ("arn:aws:s3:::data-bucke?", True),
    ],
)
def test_resources_match_with_wildcards(pattern: str, matches: bool) -> None:
    statement = {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": pattern}
    assert identity_decision([policy(statement)], "s3:ListBucket", BUCKET, {}).allowed is matches


def test_not_action_and_not_resource_apply_to_everything_else() -> None:
    statement = {"Effect": "Allow", "NotAction": "s3:Delete*", "NotResource": "arn:aws:s3:::other"}
    policies = [policy(statement)]
    assert identity_decision(policies, "s3:ListBucket", BUCKET, {}).allowed
    assert not identity_decision(policies, "s3:DeleteObject", BUCKET, {}).allowed
    assert not identity_decision(policies, "s3:ListBucket", "arn:aws:s3:::other", {}).allowed


def test_a_statement_without_resource_grants_nothing_but_still_denies() -> None:
    allow = {"Effect": "Allow", "Action": "*"}
    deny = {"Effect": "Deny", "Action": "*"}
    assert identity_decision([policy(allow)], "s3:ListBucket", BUCKET, {}) is Decision.IMPLICIT_DENY
    assert identity_decision([policy(deny)], "s3:ListBucket", BUCKET, {}) is Decision.EXPLICIT_DENY


def trust(principal: Any, condition: dict[str, Any] | None = None) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": principal,
        "Action": "sts:AssumeRole",
    }
    if condition is not None:
        statement["Condition"] = condition
    return policy(statement)


@pytest.mark.parametrize(
    ("principal", "allowed"),
    [
        ({"AWS": PLATFORM}, True),
        ({"AWS": [PLATFORM, "arn:aws:iam::999999999999:root"]}, True),
        ({"AWS": "arn:aws:iam::123456789012:root"}, True),
        ({"AWS": "123456789012"}, True),
        ({"AWS": "*"}, True),
        ("*", True),
        ({"AWS": "arn:aws:iam::123456789012:role/someone-else"}, False),
        ({"AWS": "arn:aws:iam::999999999999:root"}, False),
        ({"AWS": "999999999999"}, False),
        ({"Service": "ec2.amazonaws.com"}, False),
    ],
)
def test_trust_principals(principal: Any, allowed: bool) -> None:
    assert trust_decision(trust(principal), PLATFORM, {}).allowed is allowed


def test_a_trust_policy_granting_another_action_does_not_allow_assume_role() -> None:
    statement = {"Effect": "Allow", "Principal": {"AWS": PLATFORM}, "Action": "sts:TagSession"}
    assert not trust_decision(policy(statement), PLATFORM, {}).allowed


@given(st.text(min_size=2), st.text(min_size=2))
def test_the_external_id_must_equal_the_one_sent(expected: str, sent: str) -> None:
    condition = {"StringEquals": {"sts:ExternalId": expected}}
    decision = trust_decision(
        trust({"AWS": PLATFORM}, condition), PLATFORM, {"sts:ExternalId": sent}
    )
    assert decision.allowed is (expected == sent)


def test_a_condition_key_missing_from_the_context_fails_positive_operators_only() -> None:
    equals = trust({"AWS": PLATFORM}, {"StringEquals": {"sts:ExternalId": "abc"}})
    not_equals = trust({"AWS": PLATFORM}, {"StringNotEquals": {"sts:ExternalId": "abc"}})
    if_exists = trust({"AWS": PLATFORM}, {"StringEqualsIfExists": {"sts:ExternalId": "abc"}})
    assert not trust_decision(equals, PLATFORM, {}).allowed
    assert trust_decision(not_equals, PLATFORM, {}).allowed
    assert trust_decision(if_exists, PLATFORM, {}).allowed


def test_condition_keys_are_case_insensitive_and_values_are_not() -> None:
    condition = {"StringEquals": {"STS:externalid": "Abc"}}
    policy_ = trust({"AWS": PLATFORM}, condition)
    assert trust_decision(policy_, PLATFORM, {"sts:ExternalId": "Abc"}).allowed
    assert not trust_decision(policy_, PLATFORM, {"sts:ExternalId": "abc"}).allowed


def test_several_values_for_one_key_are_alternatives_and_negation_excludes_them_all() -> None:
    like = {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": BUCKET}
    allow = {**like, "Condition": {"StringLike": {"s3:prefix": ["public/*", "shared/*"]}}}
    deny = {**like, "Effect": "Deny", "Condition": {"StringNotLike": {"s3:prefix": ["a/*", "b/*"]}}}
    assert identity_decision(
        [policy(allow)], "s3:ListBucket", BUCKET, {"s3:prefix": "shared/x"}
    ).allowed
    assert not identity_decision(
        [policy(allow)], "s3:ListBucket", BUCKET, {"s3:prefix": "x/"}
    ).allowed
    both = [policy(allow, deny)]
    assert (
        identity_decision(both, "s3:ListBucket", BUCKET, {"s3:prefix": "c/x"})
        is Decision.EXPLICIT_DENY
    )


def test_bool_and_null_conditions() -> None:
    tls_only = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [BUCKET, f"{BUCKET}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": False}},
    }
    context = {"aws:SecureTransport": "true"}
    decide = resource_policy_decision
    assert (
        decide(policy(tls_only), PLATFORM, "s3:ListBucket", BUCKET, context)
        is not Decision.EXPLICIT_DENY
    )
    plain = {"aws:SecureTransport": "false"}
    assert (
        decide(policy(tls_only), PLATFORM, "s3:ListBucket", BUCKET, plain) is Decision.EXPLICIT_DENY
    )
    null = {
        "Effect": "Allow",
        "Action": "*",
        "Resource": "*",
        "Condition": {"Null": {"s3:prefix": "true"}},
    }
    assert identity_decision([policy(null)], "s3:ListBucket", BUCKET, {}).allowed
    assert not identity_decision([policy(null)], "s3:ListBucket", BUCKET, {"s3:prefix": ""}).allowed


def test_policy_variables_are_not_guessed() -> None:
    statement = {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::${aws:username}"}
    assert not identity_decision([policy(statement)], "s3:ListBucket", BUCKET, {}).allowed


def test_a_bucket_policy_names_principals_and_not_principal_excludes_them() -> None:
    grant = {
        "Effect": "Allow",
        "Principal": {"AWS": PLATFORM},
        "Action": "s3:ListBucket",
        "Resource": BUCKET,
    }
    others = {
        "Effect": "Deny",
        "NotPrincipal": {"AWS": PLATFORM},
        "Action": "s3:*",
        "Resource": BUCKET,
    }
    stranger = "arn:aws:iam::999999999999:role/x"
    assert resource_policy_decision(
        policy(grant, others), PLATFORM, "s3:ListBucket", BUCKET, {}
    ).allowed
    denied = resource_policy_decision(policy(grant, others), stranger, "s3:ListBucket", BUCKET, {})
    assert denied is Decision.EXPLICIT_DENY


# -- wildcards: IAM's * and ?, matched without backtracking --
# IAM User Guide, "IAM JSON policy elements: Condition operators" (StringLike:
# "*" matches any run of characters, "?" any one) and "IAM JSON policy elements:
# Resource" (the same wildcards in ARNs).


def reference_match(pattern: str, text: str) -> bool:
    """The plain dynamic programme: fits[i][j] says pattern[:i] matches text[:j]."""
    fits = [[False] * (len(text) + 1) for _ in range(len(pattern) + 1)]
    fits[0][0] = True
    for i, want in enumerate(pattern, 1):
        fits[i][0] = fits[i - 1][0] and want == "*"
        for j, got in enumerate(text, 1):
            if want == "*":
                fits[i][j] = fits[i - 1][j] or fits[i][j - 1]
            else:
                fits[i][j] = fits[i - 1][j - 1] and want in ("?", got)
    return fits[len(pattern)][len(text)]


# Few letters, so that patterns and texts often nearly match.
glob_texts = st.text(alphabet="ab?*:/", max_size=14)
glob_patterns = st.text(alphabet="ab?*", max_size=10)


@given(glob_patterns, glob_texts)
def test_the_wildcard_matcher_agrees_with_the_reference(pattern: str, text: str) -> None:
    assert wildcard_match(pattern, text) == reference_match(pattern, text)


@given(glob_texts)
def test_a_pattern_without_wildcards_matches_only_itself(text: str) -> None:
    literal = text.replace("*", "").replace("?", "")
    assert wildcard_match(literal, text) == (literal == text)
    assert wildcard_match(literal, literal)


@given(glob_patterns, st.text(alphabet="ab", max_size=8), st.text(alphabet="ab", max_size=8))
def test_a_star_around_a_pattern_matches_it_anywhere(pattern: str, before: str, after: str) -> None:
    literal = pattern.replace("*", "").replace("?", "a")
    assert wildcard_match(f"*{pattern}*", f"{before}{literal}{after}")


def test_a_pathological_pattern_does_not_backtrack() -> None:
    # With a backtracking regex, "*?" eight times held the event loop 6.4 s per
    # validate and grew about 7x per extra pair; here forty pairs against 50,000
    # characters finish at once (a regression would hang this test).
    pattern = "*?" * 40 + "x"
    assert not wildcard_match(pattern, "a" * 50_000)
    assert wildcard_match(pattern, "a" * 50_000 + "x")


def test_a_string_like_trust_condition_uses_the_matcher() -> None:
    policy = {
        "Statement": {
            "Effect": "Allow",
            "Principal": {"AWS": PLATFORM},
            "Action": "sts:AssumeRole",
            "Condition": {"StringLike": {"sts:ExternalId": "*?" * 8 + "-suffix"}},
        }
    }
    allowed = trust_decision(policy, PLATFORM, {"sts:ExternalId": "a" * 5000 + "-suffix"})
    refused = trust_decision(policy, PLATFORM, {"sts:ExternalId": "a" * 5000})
    assert (allowed, refused) == (Decision.ALLOW, Decision.IMPLICIT_DENY)


# -- documents AWS would never store, and moto does --
# IAM User Guide, "IAM JSON policy element reference" and "Grammar of the IAM
# JSON policy language": a policy is a JSON object whose Statement is a
# statement object or a list of them.

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["Statement", "Effect", "Action", "x"]), children, max_size=3
        )
    ),
    max_leaves=10,
)


@given(json_values)
def test_no_document_crashes_the_evaluator_and_a_malformed_one_never_allows(document: Any) -> None:
    decision = trust_decision(document, PLATFORM, {"sts:ExternalId": "x"})
    if not well_formed(document):
        assert decision is Decision.EXPLICIT_DENY


@pytest.mark.parametrize(
    "text", ["[]", '"hello"', '{"Statement": null}', '{"Statement": ["x"]}', "{}", "not json", ""]
)
def test_a_malformed_document_denies(text: str) -> None:
    document = load_document(text)

    assert not well_formed(document)
    assert trust_decision(document, PLATFORM, {}) is Decision.EXPLICIT_DENY
    assert identity_decision([document], "s3:ListBucket", BUCKET, {}) is Decision.EXPLICIT_DENY
    assert list(statements(document)) == []


def test_a_malformed_policy_beside_a_granting_one_still_denies() -> None:
    grant = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    assert identity_decision([grant], "s3:ListBucket", BUCKET, {}) is Decision.ALLOW
    assert identity_decision([grant, {}], "s3:ListBucket", BUCKET, {}) is Decision.EXPLICIT_DENY


# -- ARN condition operators: each component on its own --
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
# "Each of the six colon-delimited components of the ARN is checked separately
# and each can include multi-character match wildcards (*) or single-character
# match wildcards (?)."

ARN_CASES = [
    ("arn:aws:iam::123456789012:role/*", PLATFORM, True),
    ("arn:aws:iam::*:role/bucketlink-platform", PLATFORM, True),
    ("arn:aws:iam::12345678901?:role/bucketlink-platform", PLATFORM, True),
    ("arn:aws:*:*:*:*", PLATFORM, True),
    # A star stays in its component: it cannot stand for the colons after it.
    ("arn:aws:iam::*", PLATFORM, False),
    ("arn:*:role/bucketlink-platform", PLATFORM, False),
    ("*", PLATFORM, False),
    # The resource is the sixth component, colons and all.
    ("arn:aws:s3:::data-bucket/*", "arn:aws:s3:::data-bucket/a:b", True),
    ("arn:aws:iam::999999999999:role/*", PLATFORM, False),
]


@pytest.mark.parametrize(("pattern", "arn", "matches"), ARN_CASES)
def test_an_arn_pattern_matches_component_by_component(
    pattern: str, arn: str, matches: bool
) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": "sts:AssumeRole",
                "Condition": {"ArnLike": {"aws:PrincipalArn": pattern}},
            }
        ],
    }
    decided = trust_decision(trust, arn, {"aws:principalarn": arn})
    assert (decided is Decision.ALLOW) is matches


arn_components = st.text(alphabet="ab/", max_size=6)
six_components = st.lists(arn_components, min_size=6, max_size=6)


@given(six_components, st.integers(0, 5))
def test_a_star_in_one_component_matches_anything_there_and_nothing_beyond(
    components: list[str], starred: int
) -> None:
    arn = ":".join(components)
    pattern = ":".join("*" if n == starred else c for n, c in enumerate(components))
    assert arn_like(arn, arn)
    assert arn_like(arn, pattern)
    # A colon in the starred place: only the resource (the last) may hold one.
    widened = components[:]
    widened[starred] += ":x"
    assert arn_like(":".join(widened), pattern) is (starred == 5)


# -- NotPrincipal: Deny only, and never in a role's trust policy --
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
# "NotPrincipal must be used with "Effect":"Deny". Using it with "Effect":"Allow"
# is not supported." and "You cannot use the NotPrincipal element in an IAM
# identity-based policy nor in an IAM role trust policy."


@pytest.mark.parametrize("effect", ["Allow", "Deny"])
def test_a_trust_policy_with_not_principal_lets_no_one_in(effect: str) -> None:
    trust = policy(
        {"Effect": "Allow", "Principal": {"AWS": PLATFORM}, "Action": "sts:AssumeRole"},
        {
            "Effect": effect,
            "NotPrincipal": {"AWS": "arn:aws:iam::999999999999:root"},
            "Action": "sts:AssumeRole",
        },
    )
    assert trust_decision(trust, PLATFORM, {}) is Decision.EXPLICIT_DENY


def test_a_bucket_policy_allowing_by_not_principal_grants_no_one() -> None:
    everyone_but = {
        "Effect": "Allow",
        "NotPrincipal": {"AWS": "arn:aws:iam::999999999999:root"},
        "Action": "s3:ListBucket",
        "Resource": BUCKET,
    }
    decided = resource_policy_decision(policy(everyone_but), PLATFORM, "s3:ListBucket", BUCKET, {})
    assert not decided.allowed
