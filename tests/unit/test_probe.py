from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from domain.account_id import AccountId
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.probe import FAILURE_CODES, FIXES, SKIPPED, ProbeReport, ProbeRequest, ProbeStep
from domain.role_arn import RoleArn
from domain.s3_uri import S3Uri

from .strategies import org_ids

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
    )
    assert ROLE_SESSION_NAME.fullmatch(request.session_name)
    assert request.session_name.endswith(f"-{org}")
