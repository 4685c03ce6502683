from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from domain.account_id import AccountId
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.probe import (
    EXTERNAL_ID_CONDITION,
    FAILURE_CODES,
    FIXES,
    SKIPPED,
    BindingAttempt,
    ProbeReport,
    ProbeRequest,
    ProbeStep,
    assume_role_refused,
    external_id_not_enforced,
    s3_call_refused,
)
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName, S3Uri

from .strategies import external_ids, org_ids

steps = st.sampled_from(list(ProbeStep))
failure_codes = st.sampled_from(sorted(FIXES))
details = st.text(max_size=200)


@given(steps, failure_codes, details)
def test_a_probe_failed_at_a_step_passed_every_earlier_step_and_skipped_every_later_one(
    step: ProbeStep, code: str, detail: str
) -> None:
    report = ProbeReport.failed_at(step, code, detail)
    order = list(ProbeStep)
    assert [check.name for check in report.checks] == order
    for check in report.checks:
        if order.index(check.name) < order.index(step):
            assert (check.ok, check.code) == (True, None)
        elif check.name is step:
            assert (check.ok, check.code) == (False, code)
        else:
            assert (check.ok, check.code) == (False, SKIPPED)


@given(steps, failure_codes, details)
def test_a_failed_probe_is_not_ok_and_its_failure_is_the_step_that_failed(
    step: ProbeStep, code: str, detail: str
) -> None:
    report = ProbeReport.failed_at(step, code, detail)
    assert not report.ok
    assert report.failure is not None
    assert (report.failure.name, report.failure.code) == (step, code)


@given(steps, failure_codes, details)
def test_a_failed_check_says_what_went_wrong_and_what_to_fix(
    step: ProbeStep, code: str, detail: str
) -> None:
    failure = ProbeReport.failed_at(step, code, detail).failure
    assert failure is not None
    assert detail.strip() in failure.message
    assert FIXES[code] in failure.message


def test_a_passed_probe_is_ok_at_every_step_and_has_no_failure() -> None:
    report = ProbeReport.passed()
    assert report.ok
    assert report.failure is None
    assert [(c.name, c.ok, c.code) for c in report.checks] == [
        (step, True, None) for step in ProbeStep
    ]


def test_every_step_has_a_failure_code_and_every_failure_code_a_fix() -> None:
    assert set(FAILURE_CODES) == set(ProbeStep)
    assert set(FAILURE_CODES.values()) <= set(FIXES)


# STS RoleSessionName: 2-64 characters of [\w+=,.@-].
ROLE_SESSION_NAME = re.compile(r"[\w+=,.@-]{2,64}", re.ASCII)


@given(org_ids)
def test_every_org_id_makes_a_valid_sts_role_session_name_naming_the_org(org: int) -> None:
    request = ProbeRequest(
        role=RoleArn.parse("arn:aws:iam::123456789012:role/reader"),
        target=S3Uri.parse("s3://customer-bucket"),
        bucket_owner=AccountId("123456789012"),
        external_id=ExternalId("an-external-id"),
        org_id=OrgId(org),
        decoy_external_id=ExternalId("a-decoy-external-id"),
    )
    assert ROLE_SESSION_NAME.fullmatch(request.session_name)
    assert request.session_name.endswith(f"-{org}")


ROLE = RoleArn.parse("arn:aws:iam::111122223333:role/team/reader")


def a_request(external_id: str, decoy: str) -> ProbeRequest:
    return ProbeRequest(
        role=ROLE,
        target=S3Uri.parse("s3://customer-bucket/in/"),
        bucket_owner=AccountId("111122223333"),
        external_id=ExternalId(external_id),
        org_id=OrgId(7),
        decoy_external_id=ExternalId(decoy),
    )


def test_the_checks_are_reported_in_the_contract_s_order() -> None:
    assert [str(step) for step in ProbeStep] == [
        "assume_role",
        "external_id_required",
        "head_bucket",
        "list_objects",
    ]


@given(external_ids, external_ids)
def test_the_binding_attempts_send_no_external_id_and_the_decoy(org_id: str, decoy: str) -> None:
    assume(org_id != decoy)
    attempts = a_request(org_id, decoy).binding_attempts()

    assert [(which, sent) for which, sent in attempts] == [
        (BindingAttempt.WITHOUT_EXTERNAL_ID, None),
        (BindingAttempt.WITH_ANOTHER_EXTERNAL_ID, ExternalId(decoy)),
    ]


@given(external_ids)
def test_a_decoy_equal_to_the_org_s_external_id_is_refused(external_id: str) -> None:
    with pytest.raises(ValueError, match="decoy"):
        a_request(external_id, external_id)


@given(st.lists(st.sampled_from(list(BindingAttempt)), min_size=1, max_size=2, unique=True))
def test_an_unbound_role_fails_the_external_id_check_naming_each_attempt_that_got_in(
    got_in: list[BindingAttempt],
) -> None:
    report = external_id_not_enforced(ROLE, got_in)

    assert [(c.name, c.ok, c.code) for c in report.checks] == [
        (ProbeStep.ASSUME_ROLE, True, None),
        (ProbeStep.EXTERNAL_ID_REQUIRED, False, "external_id_not_enforced"),
        (ProbeStep.HEAD_BUCKET, False, SKIPPED),
        (ProbeStep.LIST_OBJECTS, False, SKIPPED),
    ]
    assert report.failure is not None
    message = report.failure.message
    assert str(ROLE) in message
    for attempt in BindingAttempt:
        assert (attempt.value in message) == (attempt in got_in)
    assert EXTERNAL_ID_CONDITION in message
    assert "any organisation" in message


def test_a_refused_assume_role_says_what_aws_answered_and_whether_it_was_retried() -> None:
    once = assume_role_refused(ROLE, "AccessDenied").failure
    retried = assume_role_refused(ROLE, "AccessDenied", retried_for_seconds=8).failure

    assert once is not None and retried is not None
    assert once.message.startswith(f"AssumeRole on {ROLE} was refused (AccessDenied).")
    assert "retried" not in once.message
    assert "retried for 8 seconds" in retried.message


bucket_steps = st.sampled_from([ProbeStep.HEAD_BUCKET, ProbeStep.LIST_OBJECTS])


@given(bucket_steps, st.integers(400, 499), st.sampled_from([None, "AccessDenied", "Teapot"]))
def test_a_refused_bucket_call_fails_its_step_and_a_404_means_no_such_bucket(
    step: ProbeStep, status: int, code: str | None
) -> None:
    failure = s3_call_refused(step, BucketName("customer-bucket"), status, code).failure

    assert failure is not None and failure.name is step
    assert failure.code == ("bucket_not_found" if status == 404 else FAILURE_CODES[step])
    assert f"answered HTTP {status}" in failure.message
    assert (f"({code})" in failure.message) == (code is not None)


@given(bucket_steps, st.sampled_from(["NoSuchBucket", "NotFound"]))
def test_s3_s_not_found_codes_mean_no_such_bucket_whatever_the_status(
    step: ProbeStep, code: str
) -> None:
    failure = s3_call_refused(step, BucketName("customer-bucket"), 403, code).failure

    assert failure is not None and failure.code == "bucket_not_found"
